// Gatherings (CP-EFORM-GATHERINGS), welcome-day deliveries (CP-EFORM-WELCOME-DAY) and the web-conference
// declaration (CP-WEBCONF), through the JSON API and the page.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createTestContext, type TestContext } from "../../../test/support/app.ts";
import { createOrderFixture, type OrderFixture } from "../../../test/support/fixtures.ts";
import { newId } from "../../core/time.ts";

describe("e-formation gatherings, welcome day and web conference", () => {
  let t: TestContext;
  let fx: OrderFixture;
  let other: OrderFixture;
  let sessionId: string;
  let pathId: string;
  let provider: string;
  let region: string;
  let stranger: string;

  before(async () => {
    t = await createTestContext("2026-03-02T09:00:00Z");
    fx = await createOrderFixture(t.db, { eFormation: true });
    other = await createOrderFixture(t.db, { eFormation: true });
    sessionId = newId();
    await t.db.insertInto("session").values({ id: sessionId, provider_id: fx.providerId, order_line_id: fx.orderLineId, site_id: null, start_date: "2026-03-17", end_date: "2026-06-30", places: 16 }).execute();
    const traineeId = newId();
    await t.db.insertInto("trainee").values({ id: traineeId, provider_id: fx.providerId, first_name: "Inès", last_name: "Roux", birth_date: "1990-01-01" }).execute();
    pathId = newId();
    await t.db.insertInto("path").values({ id: pathId, trainee_id: traineeId, order_id: fx.orderId, order_line_id: fx.orderLineId, provider_id: fx.providerId, site_id: fx.siteId, status: "validated", entry_date: "2026-03-17", planned_exit_date: "2026-06-30" }).execute();
    const candidateId = newId();
    await t.db.insertInto("candidate").values({ id: candidateId, first_name: "Inès", last_name: "Roux", birth_date: "1990-01-01" }).execute();
    await t.db.insertInto("candidacy").values({ id: newId(), candidate_id: candidateId, session_id: sessionId, provider_id: fx.providerId, origin: "paper", status: "entered", path_id: pathId, created_at: new Date("2026-02-01T00:00:00Z"), updated_at: new Date("2026-02-01T00:00:00Z") }).execute();
    provider = await t.login(fx.adminEmail);
    region = await t.login(fx.regionEmail);
    stranger = await t.login(other.adminEmail);
  });
  after(() => t.close());

  const base = () => `/api/eformation/sessions/${sessionId}`;

  test("CP-EFORM-WELCOME-DAY: the welcome day is the session's first day (the day after is refused), once; deliveries are recorded and missing ones shown", async () => {
    const none = await t.api("GET", `${base()}/gatherings`, provider);
    assert.equal(none.status, 200);
    assert.ok(none.body.warnings.some((w: { code: string }) => w.code === "CP-EFORM-WELCOME-DAY"));
    const early = await t.api("PUT", `${base()}/deliveries`, provider, { pathId, items: ["contract"] });
    assert.equal(early.status, 409);
    const late = await t.api("POST", `${base()}/gatherings`, provider, { kind: "welcome_day", date: "2026-03-18", place: "Toulouse" });
    assert.equal(late.status, 422);
    assert.equal(late.body.code, "CP-EFORM-WELCOME-DAY");
    const ok = await t.api("POST", `${base()}/gatherings`, provider, { kind: "welcome_day", date: "2026-03-17", place: "Toulouse, salle B" });
    assert.equal(ok.status, 201);
    const twice = await t.api("POST", `${base()}/gatherings`, provider, { kind: "welcome_day", date: "2026-03-17", place: "Toulouse" });
    assert.equal(twice.status, 422);
    const rec = await t.api("PUT", `${base()}/deliveries`, provider, { pathId, items: ["contract", "calendar"] });
    assert.equal(rec.status, 200);
    assert.deepEqual(rec.body.trainees[0].missing, ["materials"]);
    t.clock.set("2026-03-17T16:00:00Z");
    const after = await t.api("GET", `${base()}/gatherings`, await t.login(fx.adminEmail));
    assert.ok(after.body.warnings.some((w: { message: string }) => /ressources pédagogiques/.test(w.message)));
    t.clock.set("2026-03-02T09:00:00Z");
    provider = await t.login(fx.adminEmail); // the clock jump ended the earlier API session
    region = await t.login(fx.regionEmail);
    stranger = await t.login(other.adminEmail);
    const page = await (await t.pageSession(fx.adminEmail)).get(`/eformation/sessions/${sessionId}/regroupements`);
    assert.equal(page.status, 200);
    assert.match(page.html, /manquant/);
  });

  test("CP-EFORM-GATHERINGS: an exam passes; another gathering is refused until the Region authorises an argued request; a refusal needs its reason", async () => {
    const exam = await t.api("POST", `${base()}/gatherings`, provider, { kind: "exam", date: "2026-06-29", place: "Centre d'examen" });
    assert.equal(exam.status, 201);
    const outside = await t.api("POST", `${base()}/gatherings`, provider, { kind: "exam", date: "2026-07-01", place: "Centre d'examen" });
    assert.equal(outside.status, 422);
    const bare = await t.api("POST", `${base()}/gatherings`, provider, { kind: "other", date: "2026-04-10", place: "Albi" });
    assert.equal(bare.status, 422);
    assert.equal(bare.body.code, "CP-EFORM-GATHERINGS");
    const filed = await t.api("POST", `${base()}/gathering-requests`, provider, { date: "2026-04-10", place: "Albi", argument: "Groupe du Tarn : atelier pratique en présentiel." });
    assert.equal(filed.status, 201);
    const pending = await t.api("POST", `${base()}/gatherings`, provider, { kind: "other", date: "2026-04-10", place: "Albi", requestId: filed.body.id });
    assert.equal(pending.body.code, "CP-EFORM-GATHERINGS");
    const byProvider = await t.api("POST", `/api/eformation/gathering-requests/${filed.body.id}/decision`, provider, { decision: "authorised" });
    assert.equal(byProvider.status, 403);
    const noReason = await t.api("POST", `/api/eformation/gathering-requests/${filed.body.id}/decision`, region, { decision: "refused" });
    assert.equal(noReason.status, 422);
    const yes = await t.api("POST", `/api/eformation/gathering-requests/${filed.body.id}/decision`, region, { decision: "authorised" });
    assert.equal(yes.status, 200);
    const again = await t.api("POST", `/api/eformation/gathering-requests/${filed.body.id}/decision`, region, { decision: "refused", reason: "Non" });
    assert.equal(again.status, 409);
    const held = await t.api("POST", `${base()}/gatherings`, provider, { kind: "other", date: "2026-04-10", place: "Albi", requestId: filed.body.id });
    assert.equal(held.status, 201);
    const reused = await t.api("POST", `${base()}/gatherings`, provider, { kind: "other", date: "2026-04-10", place: "Albi", requestId: filed.body.id });
    assert.equal(reused.body.code, "CP-EFORM-GATHERINGS");
  });

  test("CP-EFORM-GATHERINGS: another provider's session answers 404 like an unknown one", async () => {
    assert.equal((await t.api("GET", `${base()}/gatherings`, stranger)).status, 404);
    assert.equal((await t.api("GET", `/api/eformation/sessions/${newId()}/gatherings`, stranger)).status, 404);
  });

  test("CP-WEBCONF: a tool without remote control is refused; the Region refuses with a reason, then accepts a new declaration", async () => {
    const component = (await t.db.selectFrom("order_line").select("component_id").where("id", "=", fx.orderLineId).executeTakeFirstOrThrow()).component_id;
    const url = `/api/eformation/components/${component}/webconf`;
    const full = { toolName: "Visio+", audio_video_16: true, screen_sharing: true, remote_control: true, whiteboard: true, file_transfer: true, platform: "region_moodle" };
    const lacking = await t.api("PUT", url, provider, { ...full, remote_control: false });
    assert.equal(lacking.status, 422);
    assert.equal(lacking.body.code, "CP-WEBCONF");
    const ownNoUrl = await t.api("PUT", url, provider, { ...full, platform: "own", platformName: "Notre LMS" });
    assert.equal(ownNoUrl.status, 422);
    assert.equal((await t.api("PUT", url, provider, full)).status, 200);
    assert.equal((await t.api("POST", `${url}/decision`, region, { decision: "refused" })).status, 422);
    const refused = await t.api("POST", `${url}/decision`, region, { decision: "refused", reason: "Tableau blanc non démontré" });
    assert.equal(refused.body.status, "refused");
    assert.equal((await t.api("PUT", url, provider, full)).body.status, "submitted");
    assert.equal((await t.api("POST", `${url}/decision`, region, { decision: "accepted" })).body.status, "accepted");
    assert.equal((await t.api("GET", url, stranger)).status, 404);
  });
});
