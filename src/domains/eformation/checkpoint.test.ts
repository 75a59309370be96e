// The 15-day checkpoint (CP-EFORM-CHECKPOINT-15D): open from day 15 before the start; the Region's
// postponement moves the session, its paths and their planned slots, and mails everyone concerned.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createTestContext, type PageSession, type TestContext } from "../../../test/support/app.ts";
import { createOrderFixture, type OrderFixture } from "../../../test/support/fixtures.ts";
import { newId } from "../../core/time.ts";

describe("e-formation 15-day checkpoint (CP-EFORM-CHECKPOINT-15D)", () => {
  let t: TestContext;
  let fx: OrderFixture;
  let sessionId: string;
  let lateId: string;
  let pathId: string;
  let slotId: string;
  let regionPage: PageSession;
  let provider: PageSession;

  before(async () => {
    t = await createTestContext("2026-03-02T09:00:00Z");
    fx = await createOrderFixture(t.db, { eFormation: true });
    sessionId = newId();
    lateId = newId();
    // Starts 17 March: today (2 March) is day 15 before, the checkpoint is open. The other starts 18 March (day 16).
    await t.db.insertInto("session").values({ id: sessionId, provider_id: fx.providerId, order_line_id: fx.orderLineId, site_id: null, start_date: "2026-03-17", end_date: "2026-06-30", places: 16 }).execute();
    await t.db.insertInto("session").values({ id: lateId, provider_id: fx.providerId, order_line_id: fx.orderLineId, site_id: null, start_date: "2026-03-18", end_date: "2026-06-30", places: 16 }).execute();
    const traineeId = newId();
    await t.db.insertInto("trainee").values({ id: traineeId, provider_id: fx.providerId, first_name: "Inès", last_name: "Roux", birth_date: "1990-01-01", email: "ines.roux@exemple.fr" }).execute();
    pathId = newId();
    await t.db.insertInto("path").values({ id: pathId, trainee_id: traineeId, order_id: fx.orderId, order_line_id: fx.orderLineId, provider_id: fx.providerId, site_id: fx.siteId, status: "validated", entry_date: "2026-03-17", planned_exit_date: "2026-06-30", updated_at: new Date("2026-03-01T00:00:00Z") }).execute();
    const candidateId = newId();
    await t.db.insertInto("candidate").values({ id: candidateId, first_name: "Inès", last_name: "Roux", birth_date: "1990-01-01" }).execute();
    await t.db.insertInto("candidacy").values({ id: newId(), candidate_id: candidateId, session_id: sessionId, provider_id: fx.providerId, origin: "paper", status: "entered", path_id: pathId, created_at: new Date("2026-02-01T00:00:00Z"), updated_at: new Date("2026-02-01T00:00:00Z") }).execute();
    slotId = newId();
    await t.db
      .insertInto("slot")
      .values({ id: slotId, provider_id: fx.providerId, order_line_id: fx.orderLineId, slot_date: "2026-03-17", start_time: "09:00", end_time: "12:00", starts_at: new Date("2026-03-17T08:00:00Z"), ends_at: new Date("2026-03-17T11:00:00Z"), modality: "distance", virtual_room_url: "https://visio.exemple.fr/salle", created_at: new Date("2026-03-01T00:00:00Z") })
      .execute();
    await t.db.insertInto("slot_trainee").values({ slot_id: slotId, path_id: pathId }).execute();
    regionPage = await t.pageSession(fx.regionEmail);
    provider = await t.pageSession(fx.adminEmail);
  });
  after(() => t.close());

  test("CP-EFORM-CHECKPOINT-15D: the page gathers candidates, planning, virtual class and software; on day 16 before, the Region cannot decide yet", async () => {
    const page = await regionPage.get(`/eformation/sessions/${sessionId}/point-15-jours`);
    assert.equal(page.status, 200);
    assert.match(page.html, /1 entrées en formation/);
    assert.match(page.html, /Inès Roux/);
    assert.match(page.html, /https:\/\/visio\.exemple\.fr\/salle/);
    assert.match(page.html, /Enregistrer la décision/);
    const early = await regionPage.post(`/eformation/sessions/${lateId}/point-15-jours`, { decision: "confirmed" });
    assert.equal(early.status, 422);
    assert.match(early.html, /CP-EFORM-CHECKPOINT-15D/);
    const byProvider = await provider.post(`/eformation/sessions/${sessionId}/point-15-jours`, { decision: "confirmed" });
    assert.equal(byProvider.status, 403);
  });

  test("CP-EFORM-CHECKPOINT-15D: a postponement without reason or to an earlier day is refused; a week later moves session, path and slot, and mails the provider and the trainee", async () => {
    const bare = await regionPage.post(`/eformation/sessions/${sessionId}/point-15-jours`, { decision: "postponed", newStart: "2026-03-24", newEnd: "2026-07-07", reason: "" });
    assert.equal(bare.status, 422);
    const earlier = await regionPage.post(`/eformation/sessions/${sessionId}/point-15-jours`, { decision: "postponed", newStart: "2026-03-16", newEnd: "2026-07-07", reason: "Effectif" });
    assert.equal(earlier.status, 422);
    assert.match(earlier.html, /nouveau début après le 17\/03\/2026/);
    const ok = await regionPage.post(`/eformation/sessions/${sessionId}/point-15-jours`, { decision: "postponed", newStart: "2026-03-24", newEnd: "2026-07-07", reason: "Effectif insuffisant au démarrage" });
    assert.equal(ok.status, 303, ok.html.slice(0, 500));
    const s = await t.db.selectFrom("session").select(["start_date", "end_date"]).where("id", "=", sessionId).executeTakeFirstOrThrow();
    assert.deepEqual(s, { start_date: "2026-03-24", end_date: "2026-07-07" });
    const p = await t.db.selectFrom("path").select(["entry_date", "planned_exit_date"]).where("id", "=", pathId).executeTakeFirstOrThrow();
    assert.deepEqual(p, { entry_date: "2026-03-24", planned_exit_date: "2026-07-07" });
    const slot = await t.db.selectFrom("slot").select(["slot_date", "starts_at"]).where("id", "=", slotId).executeTakeFirstOrThrow();
    assert.equal(slot.slot_date, "2026-03-24");
    assert.equal(new Date(slot.starts_at).toISOString(), "2026-03-24T08:00:00.000Z");
    const mails = await t.db.selectFrom("notification").select(["recipient_email", "subject"]).where("entity", "=", "session").where("entity_id", "=", sessionId).execute();
    const to = mails.map((m) => m.recipient_email);
    assert.ok(to.includes("ines.roux@exemple.fr"));
    assert.ok(to.includes(fx.adminEmail));
    assert.ok(mails.every((m) => /reportée/.test(m.subject)));
    const log = await t.db.selectFrom("eformation_checkpoint").selectAll().where("session_id", "=", sessionId).executeTakeFirstOrThrow();
    assert.equal(log.paths_moved, 1);
    assert.equal(log.slots_moved, 1);
    const page = await provider.get(`/eformation/sessions/${sessionId}/point-15-jours`);
    assert.match(page.html, /reportée du 17\/03\/2026 au 24\/03\/2026/);
  });
});
