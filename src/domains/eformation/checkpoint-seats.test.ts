// CP-EFORM-CHECKPOINT-15D × CP-EFORM-SITES: a postponement moves the session's slots; their access-site
// seats follow them and are re-checked at the new times — the same PC when free, another PC of the
// room when not, cancelled ('rescheduled') and named to the provider when the room is full then.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createTestContext, type TestContext } from "../../../test/support/app.ts";
import { createOrderFixture, type OrderFixture } from "../../../test/support/fixtures.ts";
import { newId } from "../../core/time.ts";
import { siteBody, slotFor, traineePath } from "../access-sites/testing.ts";

describe("CP-EFORM-CHECKPOINT-15D: a postponement re-checks the seat bookings (CP-EFORM-SITES)", () => {
  let t: TestContext;
  let fx: OrderFixture;
  let sessionId: string;
  let region: string;
  let admin: string;
  const ids: Record<string, string> = {};

  before(async () => {
    t = await createTestContext("2026-03-02T09:00:00Z"); // day 15 before 17 March: the checkpoint is open
    fx = await createOrderFixture(t.db, { eFormation: true });
    region = await t.login(fx.regionEmail);
    admin = await t.login(fx.adminEmail);
    sessionId = newId();
    await t.db.insertInto("session").values({ id: sessionId, provider_id: fx.providerId, order_line_id: fx.orderLineId, site_id: null, start_date: "2026-03-17", end_date: "2026-06-30", places: 16 }).execute();
    const site = await t.api("POST", "/api/access-sites", region, siteBody("Site e-formation de Cahors", { "Salle Lot": 2, "Salle Célé": 1 }));
    assert.equal(site.status, 201, JSON.stringify(site.body));
    const room = (n: string) => site.body.rooms.find((r: { name: string }) => r.name === n).id as string;
    const inSession = async (lastName: string) => {
      const p = await traineePath(t.db, fx, { lastName });
      const candidateId = newId();
      await t.db.insertInto("candidate").values({ id: candidateId, first_name: "Inès", last_name: lastName, birth_date: "1990-01-01" }).execute();
      await t.db.insertInto("candidacy").values({ id: newId(), candidate_id: candidateId, session_id: sessionId, provider_id: fx.providerId, origin: "paper", status: "entered", path_id: p.pathId, created_at: new Date("2026-02-01T00:00:00Z"), updated_at: new Date("2026-02-01T00:00:00Z") }).execute();
      return p.pathId;
    };
    const anne = await inSession("Marty");
    const bruno = await inSession("Vidal");
    const other = (await traineePath(t.db, fx, { lastName: "Autre" })).pathId; // another group's trainee, not postponed
    ids.a1 = await slotFor(t.db, fx, [anne], "2026-03-17", "09:00", "12:00");
    ids.a2 = await slotFor(t.db, fx, [anne], "2026-03-18", "09:00", "12:00");
    ids.b1 = await slotFor(t.db, fx, [bruno], "2026-03-17", "14:00", "17:00");
    ids.o1 = await slotFor(t.db, fx, [other], "2026-03-25", "09:00", "12:00");
    ids.o2 = await slotFor(t.db, fx, [other], "2026-03-24", "14:00", "17:00");
    const book = async (pathId: string, roomId: string, slotIds: string[]) => {
      const r = await t.api("POST", "/api/seat-bookings", admin, { pathId, roomId, slotIds });
      assert.equal(r.status, 201, JSON.stringify(r.body));
    };
    await book(anne, room("Salle Lot"), [ids.a1, ids.a2]); // PC 1 both days
    await book(other, room("Salle Lot"), [ids.o1]); // PC 1 on 25 March, where Anne's 18 March goes
    await book(bruno, room("Salle Célé"), [ids.b1]); // the only PC
    await book(other, room("Salle Célé"), [ids.o2]); // taken on 24 March afternoon, where Bruno's goes
  });
  after(() => t?.close());

  const bookingOf = (slotId: string) => t.db.selectFrom("seat_booking").select(["slot_date", "seat_no", "status", "cancel_reason", "during"]).where("slot_id", "=", slotId).executeTakeFirstOrThrow();

  test("CP-EFORM-CHECKPOINT-15D: postponed a week — same PC when free, the next PC when taken, cancelled and named when the room is full", async () => {
    const r = await t.api("POST", `/api/eformation/sessions/${sessionId}/checkpoint`, region, { decision: "postponed", newStart: "2026-03-24", newEnd: "2026-07-07", reason: "Effectif insuffisant" });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.slotsMoved, 3);
    assert.deepEqual({ kept: r.body.seats.kept, reseated: r.body.seats.reseated }, { kept: 1, reseated: 1 });
    assert.deepEqual(r.body.seats.released, [{ trainee: "VIDAL Inès", date: "2026-03-24" }]);
    const a1 = await bookingOf(ids.a1);
    assert.deepEqual([a1.slot_date, a1.seat_no, a1.status], ["2026-03-24", 1, "booked"]);
    assert.match(String(a1.during), /2026-03-24 0?8:00:00\+00/);
    const a2 = await bookingOf(ids.a2);
    assert.deepEqual([a2.slot_date, a2.seat_no, a2.status], ["2026-03-25", 2, "booked"], "PC 1 is the other trainee's on 25 March");
    const b1 = await bookingOf(ids.b1);
    assert.deepEqual([b1.status, b1.cancel_reason], ["cancelled", "rescheduled"]);
    const o2 = await bookingOf(ids.o2);
    assert.deepEqual([o2.slot_date, o2.seat_no, o2.status], ["2026-03-24", 1, "booked"], "the other group's seat is untouched");
    const mail = await t.db.selectFrom("notification").select("body_text").where("entity_id", "=", sessionId).where("recipient_email", "=", fx.adminEmail).executeTakeFirstOrThrow();
    assert.match(mail.body_text, /VIDAL Inès le 24\/03\/2026/);
  });
});
