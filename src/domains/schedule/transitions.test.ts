// The slot's declared workflow (SLOT_TRANSITIONS) and the one function that applies it — used by the
// schedule (cancel, replacement) and by the attendance sheet (open, countersign).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { judgeTransition, nextStatuses } from "../../core/workflow.ts";
import { createTestContext, createUser, type TestContext } from "../../../test/support/app.ts";
import { createOrderFixture, type OrderFixture } from "../../../test/support/fixtures.ts";
import { SLOT_TRANSITIONS, type SlotStatus } from "./rules.ts";
import { centreSlot, validatedPath } from "./testing.ts";

const ALL: SlotStatus[] = ["planned", "open", "closed", "cancelled"];
const SIGNATURE = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><path d="M1 1 L9 9"/></svg>';

describe("slot workflow table (pure)", () => {
  const facts = { reason: "Formateur malade", cancelledForTrainerAbsence: true, replacementTrainerId: "u-1" };

  test("allowed moves: planned → open | closed | cancelled; open → closed | cancelled; cancelled → planned; closed is final", () => {
    assert.deepEqual(nextStatuses(SLOT_TRANSITIONS, "planned").sort(), ["cancelled", "closed", "open"]);
    assert.deepEqual(nextStatuses(SLOT_TRANSITIONS, "open").sort(), ["cancelled", "closed"]);
    assert.deepEqual(nextStatuses(SLOT_TRANSITIONS, "cancelled"), ["planned"]);
    assert.deepEqual(nextStatuses(SLOT_TRANSITIONS, "closed"), []);
    const allowed = new Set(["planned>open", "planned>closed", "planned>cancelled", "open>closed", "open>cancelled", "cancelled>planned"]);
    for (const from of ALL) {
      for (const to of ALL) {
        const verdict = judgeTransition(SLOT_TRANSITIONS, from, to, "provider_admin", facts);
        assert.equal(verdict.ok, allowed.has(`${from}>${to}`), `${from} → ${to}`);
      }
    }
  });

  test("roles: a trainer keeps the sheet (open, close) but neither cancels nor replaces; the Region does none", () => {
    assert.equal(judgeTransition(SLOT_TRANSITIONS, "planned", "open", "trainer", facts).ok, true);
    assert.equal(judgeTransition(SLOT_TRANSITIONS, "open", "closed", "trainer", facts).ok, true);
    for (const [from, to] of [["planned", "cancelled"], ["cancelled", "planned"]] as const) {
      const verdict = judgeTransition(SLOT_TRANSITIONS, from, to, "trainer", facts);
      assert.equal(!verdict.ok && verdict.kind, "role", `${from} → ${to}`);
    }
    const region = judgeTransition(SLOT_TRANSITIONS, "planned", "open", "region_officer", facts);
    assert.equal(!region.ok && region.kind, "role");
  });

  test("guards: a cancellation needs its reason; a slot takes place again only for a trainer's absence, with a replacement (409)", () => {
    const noReason = judgeTransition(SLOT_TRANSITIONS, "planned", "cancelled", "provider_admin", { reason: " " });
    assert.equal(!noReason.ok && noReason.kind === "guard" && noReason.violations[0].code, "SLOT-CANCEL-REASON");
    const ordinary = judgeTransition(SLOT_TRANSITIONS, "cancelled", "planned", "provider_admin", { cancelledForTrainerAbsence: false, replacementTrainerId: "u-1" });
    assert.ok(!ordinary.ok && ordinary.kind === "guard" && ordinary.status === 409 && ordinary.violations[0].code === "SLOT-NOT-TRAINER-ABSENCE");
    const nobody = judgeTransition(SLOT_TRANSITIONS, "cancelled", "planned", "provider_admin", { cancelledForTrainerAbsence: true, replacementTrainerId: null });
    assert.equal(!nobody.ok && nobody.kind, "guard");
    assert.equal(judgeTransition(SLOT_TRANSITIONS, "cancelled", "planned", "provider_admin", facts).ok, true);
  });
});

describe("slot transitions: one function for the schedule and the attendance sheet, each change logged", () => {
  let t: TestContext;
  let f: OrderFixture;
  let admin: string;
  let pathId: string;
  let trainerId: string;
  let replacementId: string;
  let replacement: string;

  before(async () => {
    t = await createTestContext("2026-03-01T09:00:00Z");
    f = await createOrderFixture(t.db);
    pathId = (await validatedPath(t.db, f)).pathId;
    trainerId = await createUser(t.db, { email: "fanny@organisme.test", role: "trainer", providerId: f.providerId, fullName: "Fanny Formatrice" });
    replacementId = await createUser(t.db, { email: "remi@organisme.test", role: "trainer", providerId: f.providerId, fullName: "Rémi Remplaçant" });
    admin = await t.login(f.adminEmail);
    replacement = await t.login("remi@organisme.test");
  });
  after(() => t?.close());

  const log = (slotId: string) =>
    t.db.selectFrom("transition_log").select(["from_status", "to_status", "reason", "actor_id"]).where("entity", "=", "slot").where("entity_id", "=", slotId).orderBy("id").execute();

  test("cancelled for the trainer's absence → planned with a replacement → open → closed: four rows, who and why", async () => {
    const created = await t.api("POST", "/api/slots", admin, centreSlot(f, [pathId], "2026-03-05", "09:00", "12:00", { trainerId }));
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const id = created.body.id;
    assert.equal((await t.api("POST", `/api/slots/${id}/cancel`, admin, { reason: "Formatrice malade", trainerAbsence: true })).status, 200);
    assert.equal((await t.api("POST", `/api/slots/${id}/replacement`, admin, { replacementTrainerId: replacementId })).status, 200);
    assert.equal((await t.api("POST", `/api/attendance/slots/${id}/open`, replacement)).status, 204);
    const cs = await t.api("POST", `/api/attendance/slots/${id}/countersign`, replacement, { signature: SIGNATURE });
    assert.equal(cs.status, 200, JSON.stringify(cs.body));
    const adminId = (await t.db.selectFrom("app_user").select("id").where("email", "=", f.adminEmail).executeTakeFirstOrThrow()).id;
    assert.deepEqual(await log(id), [
      { from_status: "planned", to_status: "cancelled", reason: "Formatrice malade", actor_id: adminId },
      { from_status: "cancelled", to_status: "planned", reason: "Formateur ou formatrice remplaçant·e enregistré·e", actor_id: adminId },
      { from_status: "planned", to_status: "open", reason: null, actor_id: replacementId },
      { from_status: "open", to_status: "closed", reason: "Feuille contresignée", actor_id: replacementId },
    ]);
  });

  test("refused moves answer 409 in French and log nothing: a closed sheet cancelled, an ordinary cancellation replaced", async () => {
    const created = await t.api("POST", "/api/slots", admin, centreSlot(f, [pathId], "2026-03-06", "09:00", "12:00", { trainerId }));
    const id = created.body.id;
    const fanny = await t.login("fanny@organisme.test");
    assert.equal((await t.api("POST", `/api/attendance/slots/${id}/countersign`, fanny, { signature: SIGNATURE })).status, 200);
    const cancel = await t.api("POST", `/api/slots/${id}/cancel`, admin, { reason: "Report" });
    assert.equal(cancel.status, 409);
    assert.equal(cancel.body.code, "SLOT-TRANSITION");
    assert.match(cancel.body.detail, /Un créneau « Clos » ne peut pas passer à « Annulé » \(étapes possibles depuis « Clos » : aucune\)/);
    const plain = (await t.api("POST", "/api/slots", admin, centreSlot(f, [pathId], "2026-03-09"))).body.id;
    await t.api("POST", `/api/slots/${plain}/cancel`, admin, { reason: "Report" });
    const replaced = await t.api("POST", `/api/slots/${plain}/replacement`, admin, { replacementTrainerId: replacementId });
    assert.equal(replaced.status, 409);
    assert.equal(replaced.body.code, "SLOT-NOT-TRAINER-ABSENCE");
    assert.deepEqual((await log(id)).map((r) => r.to_status), ["closed"]);
    assert.deepEqual((await log(plain)).map((r) => r.to_status), ["cancelled"]);
  });
});
