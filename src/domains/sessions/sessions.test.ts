import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createTestContext, type TestContext } from "../../../test/support/app.ts";
import { createOrderFixture, type OrderFixture } from "../../../test/support/fixtures.ts";
import { getSession, infoRegularWarnings, listOpenSessions } from "./use-cases.ts";
import { completeContent, meetingBody, sessionBody } from "./testing.ts";

// "Today" is 2026-03-02 (Europe/Paris); the fixture's order runs 2026-02-01 → 2026-12-31.
describe("sessions and information meetings (API, pages, scoping)", () => {
  let t: TestContext;
  let a: OrderFixture;
  let b: OrderFixture;
  let tokenA: string;
  let tokenB: string;
  let region: string;
  before(async () => {
    t = await createTestContext("2026-03-02T09:00:00Z");
    a = await createOrderFixture(t.db);
    b = await createOrderFixture(t.db);
    tokenA = await t.login(a.adminEmail);
    tokenB = await t.login(b.adminEmail);
    region = await t.login(a.regionEmail);
  });
  after(() => t.close());

  test("a session starting on the order's first day is accepted; the day before is refused (SESSION_OUTSIDE_ORDER)", async () => {
    const ok = await t.api("POST", "/api/sessions", tokenA, sessionBody(a.orderLineId, a.siteId, { startDate: "2026-02-01" }));
    assert.equal(ok.status, 201, JSON.stringify(ok.body));
    assert.equal(ok.body.published_at, null);
    const ko = await t.api("POST", "/api/sessions", tokenA, sessionBody(a.orderLineId, a.siteId, { startDate: "2026-01-31" }));
    assert.equal(ko.status, 422);
    assert.equal(ko.body.code, "SESSION_OUTSIDE_ORDER");
    assert.equal(ko.body.violations[0].field, "startDate");
  });

  test("a session ending on the order's last day is accepted; the day after is refused", async () => {
    const ok = await t.api("POST", "/api/sessions", tokenA, sessionBody(a.orderLineId, a.siteId, { startDate: "2026-11-02", endDate: "2026-12-31", recruitmentEnd: null }));
    assert.equal(ok.status, 201, JSON.stringify(ok.body));
    const ko = await t.api("POST", "/api/sessions", tokenA, sessionBody(a.orderLineId, a.siteId, { startDate: "2026-11-02", endDate: "2027-01-01", recruitmentEnd: null }));
    assert.equal(ko.status, 422);
    assert.equal(ko.body.code, "SESSION_OUTSIDE_ORDER");
  });

  test("CP-ORDER-FROM-OFFER: a site outside the order line is refused; an in-person session needs a site", async () => {
    const other = await t.api("POST", "/api/sessions", tokenA, sessionBody(a.orderLineId, b.siteId));
    assert.equal(other.status, 422);
    assert.equal(other.body.code, "CP-ORDER-FROM-OFFER");
    const none = await t.api("POST", "/api/sessions", tokenA, sessionBody(a.orderLineId, null));
    assert.equal(none.status, 422);
    assert.equal(none.body.code, "CP-ORDER-FROM-OFFER");
  });

  test("an e-formation session may have no site", async () => {
    const e = await createOrderFixture(t.db, { eFormation: true });
    const res = await t.api("POST", "/api/sessions", await t.login(e.adminEmail), sessionBody(e.orderLineId, null));
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.site_id, null);
  });

  test("CP-INFO-SESSIONS: publishing sets published_at; the session reaches the recruitment exports", async () => {
    const created = await t.api("POST", "/api/sessions", tokenA, sessionBody(a.orderLineId, a.siteId));
    const published = await t.api("POST", `/api/sessions/${created.body.id}/publish`, tokenA);
    assert.equal(published.status, 200);
    assert.equal(published.body.published_at, "2026-03-02T09:00:00.000Z");
    const s = await getSession(t.db, created.body.id);
    assert.equal(s?.component_title, "Anglais professionnel (CECRL B1)");
    assert.equal(s?.site_id, a.siteId);
    assert.ok((await listOpenSessions(t.db, "2026-03-02")).some((o) => o.id === created.body.id));
    // Closing recruitment takes it out of the open sessions.
    const closed = await t.api("PUT", `/api/sessions/${created.body.id}`, tokenA, { ...sessionBody(a.orderLineId, a.siteId), orderLineId: undefined, recruitmentOpen: false });
    assert.equal(closed.status, 200, JSON.stringify(closed.body));
    assert.ok(!(await listOpenSessions(t.db, "2026-03-02")).some((o) => o.id === created.body.id));
  });

  test("CP-INFO-CONTENT: publishing a meeting without an item is refused, naming it; complete content publishes", async () => {
    const content = { ...completeContent(), regionPayRules: "" };
    const m = await t.api("POST", "/api/info-meetings", tokenA, meetingBody(a.orderLineId, a.siteId, { content }));
    assert.equal(m.status, 201, JSON.stringify(m.body));
    const refused = await t.api("POST", `/api/info-meetings/${m.body.id}/publish`, tokenA);
    assert.equal(refused.status, 422);
    assert.equal(refused.body.code, "CP-INFO-CONTENT");
    assert.deepEqual(refused.body.violations[0].details.missing, ["regionPayRules"]);
    const fixed = await t.api("PUT", `/api/info-meetings/${m.body.id}`, tokenA, { ...meetingBody(a.orderLineId, a.siteId), orderLineId: undefined });
    assert.equal(fixed.status, 200, JSON.stringify(fixed.body));
    const ok = await t.api("POST", `/api/info-meetings/${m.body.id}/publish`, tokenA);
    assert.equal(ok.status, 200);
    assert.ok(ok.body.published_at);
  });

  test("a meeting needs a place: a site, another place or a remote link", async () => {
    const none = await t.api("POST", "/api/info-meetings", tokenA, meetingBody(a.orderLineId, null));
    assert.equal(none.status, 422);
    const remote = await t.api("POST", "/api/info-meetings", tokenA, meetingBody(a.orderLineId, null, { remoteUrl: "https://visio.example.org/info" }));
    assert.equal(remote.status, 201, JSON.stringify(remote.body));
  });

  test("access: provider B cannot read, edit, publish or delete provider A's sessions; the Region reads all but writes none", async () => {
    const s = await t.api("POST", "/api/sessions", tokenA, sessionBody(a.orderLineId, a.siteId));
    const id = s.body.id;
    assert.equal((await t.api("GET", `/api/sessions/${id}`, tokenB)).status, 404);
    assert.equal((await t.api("PUT", `/api/sessions/${id}`, tokenB, { ...sessionBody(a.orderLineId, a.siteId), orderLineId: undefined })).status, 404);
    assert.equal((await t.api("POST", `/api/sessions/${id}/publish`, tokenB)).status, 404);
    assert.equal((await t.api("DELETE", `/api/sessions/${id}`, tokenB)).status, 404);
    // B cannot publish on A's order line either.
    const onA = await t.api("POST", "/api/sessions", tokenB, sessionBody(a.orderLineId, a.siteId));
    assert.equal(onA.status, 422);
    assert.ok(!(await t.api("GET", "/api/sessions", tokenB)).body.items.some((r: { id: string }) => r.id === id));
    assert.equal((await t.api("GET", `/api/sessions/${id}`, region)).status, 200);
    assert.ok((await t.api("GET", "/api/sessions", region)).body.items.some((r: { id: string }) => r.id === id));
    assert.equal((await t.api("POST", "/api/sessions", region, sessionBody(a.orderLineId, a.siteId))).status, 403);
    assert.equal((await t.api("GET", "/api/sessions")).status, 401);
    // A deletes its own draft.
    assert.equal((await t.api("DELETE", `/api/sessions/${id}`, tokenA)).status, 204);
  });

  test("a published session is not deleted (SESSION_PUBLISHED)", async () => {
    const s = await t.api("POST", "/api/sessions", tokenA, sessionBody(a.orderLineId, a.siteId));
    await t.api("POST", `/api/sessions/${s.body.id}/publish`, tokenA);
    const del = await t.api("DELETE", `/api/sessions/${s.body.id}`, tokenA);
    assert.equal(del.status, 409);
    assert.equal(del.body.code, "SESSION_PUBLISHED");
  });

  test("the API is described in /api/openapi.json", async () => {
    const doc = await t.api("GET", "/api/openapi.json");
    for (const p of ["/api/sessions", "/api/sessions/{id}/publish", "/api/info-meetings", "/api/info-meetings/{id}/publish", "/api/lheo/offre.xml", "/api/catalogue", "/api/sessions/info-regular"]) {
      assert.ok(doc.body.paths[p], p);
    }
  });
});

describe("CP-INFO-REGULAR: an order open to entries without a future published meeting is flagged", () => {
  let t: TestContext;
  before(async () => {
    t = await createTestContext("2026-03-02T09:00:00Z");
  });
  after(() => t.close());

  async function openOrderWithMeeting(meetingDate: string | undefined) {
    const f = await createOrderFixture(t.db);
    const token = await t.login(f.adminEmail);
    const s = await t.api("POST", "/api/sessions", token, sessionBody(f.orderLineId, f.siteId, { startDate: "2026-03-02" }));
    assert.equal(s.status, 201, JSON.stringify(s.body));
    if (meetingDate) {
      const m = await t.api("POST", "/api/info-meetings", token, meetingBody(f.orderLineId, f.siteId, { meetingDate }));
      assert.equal((await t.api("POST", `/api/info-meetings/${m.body.id}/publish`, token)).status, 200);
    }
    return { f, token };
  }

  test("CP-INFO-REGULAR: a published meeting today → no warning", async () => {
    const { token } = await openOrderWithMeeting("2026-03-02");
    const res = await t.api("GET", "/api/sessions/info-regular", token);
    assert.deepEqual(res.body, []);
  });

  test("CP-INFO-REGULAR: the last meeting was yesterday → warning, on the provider's page and the Region's", async () => {
    const { f, token } = await openOrderWithMeeting("2026-03-01");
    const res = await t.api("GET", "/api/sessions/info-regular", token);
    assert.equal(res.body.length, 1);
    assert.equal(res.body[0].code, "CP-INFO-REGULAR");
    assert.equal(res.body[0].severity, "warning");
    const provider = await t.pageSession(f.adminEmail);
    const page = await provider.get("/sessions");
    assert.equal(page.status, 200);
    assert.match(page.html, /data-code="CP-INFO-REGULAR"/);
    const regionPage = await (await t.pageSession(f.regionEmail)).get("/sessions");
    assert.match(regionPage.html, /data-code="CP-INFO-REGULAR"/);
    assert.doesNotMatch(regionPage.html, /Nouvelle session/);
  });

  test("CP-INFO-REGULAR: an unpublished meeting ahead does not count; recruitment closed → no warning", async () => {
    const f = await createOrderFixture(t.db);
    const token = await t.login(f.adminEmail);
    const s = await t.api("POST", "/api/sessions", token, sessionBody(f.orderLineId, f.siteId));
    await t.api("POST", "/api/info-meetings", token, meetingBody(f.orderLineId, f.siteId, { meetingDate: "2026-03-05" }));
    assert.equal((await t.api("GET", "/api/sessions/info-regular", token)).body.length, 1);
    await t.api("PUT", `/api/sessions/${s.body.id}`, token, { ...sessionBody(f.orderLineId, f.siteId), orderLineId: undefined, recruitmentOpen: false });
    assert.equal((await t.api("GET", "/api/sessions/info-regular", token)).body.length, 0);
    const actor = { userId: "x", role: "region_officer" as const, fullName: "R", email: "r@x", providerId: null, prescriberOrganisationId: null, traineeId: null };
    assert.ok((await infoRegularWarnings(t.db, actor, "2026-03-02")).length >= 1);
  });
});

describe("pages: provider staff publish from forms that work without JavaScript", () => {
  let t: TestContext;
  let f: OrderFixture;
  before(async () => {
    t = await createTestContext("2026-03-02T09:00:00Z");
    f = await createOrderFixture(t.db);
  });
  after(() => t.close());

  test("a refused session re-renders the form with the message next to the field and the typed values (422)", async () => {
    const s = await t.pageSession(f.adminEmail);
    const form = await s.get("/sessions/nouvelle");
    assert.equal(form.status, 200);
    assert.match(form.html, /<label for="f-lineSite">/);
    const refused = await s.post("/sessions/nouvelle", { lineSite: `${f.orderLineId}|${f.siteId}`, startDate: "2026-01-31", endDate: "2026-03-31", places: "10", recruitmentOpen: "1" });
    assert.equal(refused.status, 422);
    assert.match(refused.html, /avant le début de la commande/);
    assert.match(refused.html, /value="2026-01-31"/);
    const ok = await s.post("/sessions/nouvelle", { lineSite: `${f.orderLineId}|${f.siteId}`, startDate: "2026-02-01", endDate: "2026-03-31", places: "10", recruitmentOpen: "1", publish: "1" });
    assert.equal(ok.status, 303);
    assert.equal(ok.location, "/sessions?ok=published");
    const list = await s.get("/sessions?ok=published");
    assert.match(list.html, /Publiée/);
  });

  test("CP-INFO-CONTENT: publishing an incomplete meeting from the form marks each missing item", async () => {
    const s = await t.pageSession(f.adminEmail);
    const refused = await s.post("/informations-collectives/nouvelle", {
      lineSite: `${f.orderLineId}|${f.siteId}`,
      meetingDate: "2026-03-10",
      startTime: "09:00",
      endTime: "11:00",
      "content.objectives": "Objectifs",
      publish: "1",
    });
    assert.equal(refused.status, 422);
    assert.match(refused.html, /data-code="CP-INFO-CONTENT"/);
    assert.match(refused.html, /id="f-content-programme-err"/);
    assert.doesNotMatch(refused.html, /id="f-content-objectives-err"/);
    // Saved as a draft, then published once complete.
    const draft = await s.post("/informations-collectives/nouvelle", { lineSite: `${f.orderLineId}|${f.siteId}`, meetingDate: "2026-03-10", startTime: "09:00", endTime: "11:00" });
    assert.equal(draft.status, 303);
    const [meeting] = await t.db.selectFrom("info_meeting").select("id").where("order_line_id", "=", f.orderLineId).execute();
    const publish = await s.post(`/informations-collectives/${meeting.id}/publier`, {});
    assert.equal(publish.status, 422);
    const fields = Object.fromEntries(Object.entries(completeContent()).map(([k, v]) => [`content.${k}`, v]));
    const done = await s.post(`/informations-collectives/${meeting.id}/modifier`, { lineSite: `${f.orderLineId}|${f.siteId}`, meetingDate: "2026-03-10", startTime: "09:00", endTime: "11:00", ...fields, publish: "1" });
    assert.equal(done.status, 303, done.html.slice(0, 500));
  });
});
