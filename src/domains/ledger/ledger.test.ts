import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createTestContext, type TestContext } from "../../../test/support/app.ts";
import { createOrderFixture, type OrderFixture } from "../../../test/support/fixtures.ts";
import { actorOf, codes, register } from "../paths/testing.ts";
import { evaluateSavedPath, getOrderConsumption } from "../paths/use-cases.ts";
import { billingCap, eFormationGroupMinutes, regionCategories, zeroRealised, addModality } from "./rules.ts";
import { addAttendance, addSlot } from "./testing.ts";
import { getPathRealised, realisedTotalsByPath } from "./use-cases.ts";

describe("ledger rules (pure)", () => {
  test("CP-BILLING-REALISED: exactly the ordered volume is not capped, one minute more is", () => {
    assert.deepEqual({ ...billingCap(600, 0, 600), violation: undefined }, { billable: 600, capped: 0, violation: undefined });
    assert.equal(billingCap(600, 0, 600).violation, undefined);
    const over = billingCap(600, 0, 601);
    assert.equal(over.billable, 600);
    assert.equal(over.capped, 1);
    assert.equal(over.violation?.code, "CP-BILLING-REALISED");
    // Cumulative: earlier months took 590 of 600.
    assert.equal(billingCap(600, 590, 20).billable, 10);
    assert.equal(billingCap(600, 600, 20).billable, 0);
  });

  test("CP-EFORM-BILLING: a synchronous slot with 0 signatures is 0, with 1 is its minutes, counted once", () => {
    assert.equal(eFormationGroupMinutes([{ modality: "distance", minutes: 120, signedCount: 0 }]), 0);
    assert.equal(eFormationGroupMinutes([{ modality: "distance", minutes: 120, signedCount: 1 }]), 120);
    assert.equal(eFormationGroupMinutes([{ modality: "gathering", minutes: 210, signedCount: 12 }]), 210);
    assert.equal(eFormationGroupMinutes([{ modality: "self_study", minutes: 60, signedCount: 3 }]), 0);
  });

  test("CP-MODALITIES: four Region categories, self-study split remote / in centre", () => {
    const t = zeroRealised();
    addModality(t, "centre", null, 100);
    addModality(t, "gathering", null, 10);
    addModality(t, "distance", null, 20);
    addModality(t, "self_study", "remote", 30);
    addModality(t, "self_study", "centre", 5);
    addModality(t, "company", null, 40);
    assert.equal(t.centreMinutes, 165);
    assert.equal(t.total, 205);
    assert.deepEqual(regionCategories(t), { centre: 110, company: 40, distance: 20, selfStudy: 35, selfStudyRemote: 30, selfStudyCentre: 5 });
  });
});

describe("ledger (realised minutes from attendance)", () => {
  let t: TestContext;
  let fx: OrderFixture;
  let admin: Awaited<ReturnType<typeof actorOf>>;
  before(async () => {
    t = await createTestContext();
    fx = await createOrderFixture(t.db);
    admin = await actorOf(t.db, fx.adminEmail);
  });
  after(() => t.close());

  const slot = (pathIds: string[], over: Partial<Parameters<typeof addSlot>[1]> = {}) =>
    addSlot(t.db, { providerId: fx.providerId, orderLineId: fx.orderLineId, date: "2026-03-10", modality: "centre", pathIds, ...over });

  test("CP-ATTENDANCE-REALISED and CP-ABSENCE-DECLARED: present and late count, absent and excused count 0 and are reported", async () => {
    const { pathId } = await register(t.db, admin, fx);
    const s1 = await slot([pathId]);
    await addAttendance(t.db, { slotId: s1, pathId, minutes: 210 });
    const s2 = await slot([pathId], { date: "2026-03-11", modality: "distance" });
    await addAttendance(t.db, { slotId: s2, pathId, status: "late", lateMinutes: 15, minutes: 195, method: "remote" });
    const s3 = await slot([pathId], { date: "2026-03-12" });
    await addAttendance(t.db, { slotId: s3, pathId, status: "absent" });
    const s4 = await slot([pathId], { date: "2026-03-13", modality: "company", minutes: 420 });
    await addAttendance(t.db, { slotId: s4, pathId, status: "excused" });
    const r = await getPathRealised(t.db, admin, pathId);
    assert.equal(r.totals.inPerson, 210);
    assert.equal(r.totals.distance, 195);
    assert.equal(r.totals.total, 405);
    assert.equal(r.absences.absent, 1);
    assert.equal(r.absences.excused, 1);
    assert.equal(r.absences.minutes, 210 + 420);
    assert.deepEqual(r.absences.list.map((a) => `${a.date} ${a.status}`), ["2026-03-12 absent", "2026-03-13 excused"]);
    // Period: only the 11th.
    const day = await getPathRealised(t.db, admin, pathId, { from: "2026-03-11", to: "2026-03-11" });
    assert.equal(day.totals.total, 195);
  });

  test("CP-SELFSTUDY-PRESENCE: self-study realises only with the trainee's signature", async () => {
    const { pathId } = await register(t.db, admin, fx);
    await slot([pathId], { modality: "self_study", location: "remote", minutes: 120 }); // no row at all
    const marked = await slot([pathId], { date: "2026-03-11", modality: "self_study", minutes: 60 });
    await addAttendance(t.db, { slotId: marked, pathId, minutes: 60, signed: false, method: "trainer" }); // marked by the trainer, unsigned
    assert.equal((await realisedTotalsByPath(t.db, [pathId])).get(pathId)?.selfStudy, 0);
    const signed = await slot([pathId], { date: "2026-03-12", modality: "self_study", location: "remote", minutes: 90 });
    await addAttendance(t.db, { slotId: signed, pathId, minutes: 90, method: "self_study" });
    const r = (await realisedTotalsByPath(t.db, [pathId])).get(pathId)!;
    assert.equal(r.selfStudy, 90);
    assert.equal(r.selfStudyRemote, 90);
  });

  test("a cancelled slot realises nothing", async () => {
    const { pathId } = await register(t.db, admin, fx);
    const s = await slot([pathId], { status: "cancelled" });
    await addAttendance(t.db, { slotId: s, pathId });
    assert.equal((await realisedTotalsByPath(t.db, [pathId])).get(pathId)?.total, 0);
  });

  test("CP-PATH-MAX-200H on realised hours: exactly 200 h passes, 200 h 01 min fails", async () => {
    const { pathId } = await register(t.db, admin, fx);
    const s = await slot([pathId]);
    await addAttendance(t.db, { slotId: s, pathId, minutes: 12_000 });
    assert.ok(!codes((await evaluateSavedPath(t.db, admin, pathId)).violations).includes("CP-PATH-MAX-200H"));
    const s2 = await slot([pathId], { date: "2026-03-11", modality: "company", minutes: 1 });
    await addAttendance(t.db, { slotId: s2, pathId, minutes: 1, method: "tutor" });
    const v = (await evaluateSavedPath(t.db, admin, pathId)).violations.find((x) => x.code === "CP-PATH-MAX-200H");
    assert.ok(v, "realised 200 h 01 min is refused");
    assert.match(v.message, /réalisé/);
  });

  test("CP-DISTANCE-MAX-50 on realised hours: exactly 50 % passes, one minute more fails", async () => {
    const { pathId } = await register(t.db, admin, fx);
    const c = await slot([pathId], { minutes: 60 });
    await addAttendance(t.db, { slotId: c, pathId, minutes: 60 });
    const d = await slot([pathId], { date: "2026-03-11", modality: "distance", minutes: 60 });
    await addAttendance(t.db, { slotId: d, pathId, minutes: 60, method: "remote" });
    assert.ok(!codes((await evaluateSavedPath(t.db, admin, pathId)).violations, "error").includes("CP-DISTANCE-MAX-50"));
    const d2 = await slot([pathId], { date: "2026-03-12", modality: "self_study", location: "remote", minutes: 1 });
    await addAttendance(t.db, { slotId: d2, pathId, minutes: 1, method: "self_study" });
    assert.ok(codes((await evaluateSavedPath(t.db, admin, pathId)).violations, "error").includes("CP-DISTANCE-MAX-50"));
  });

  test("CP-ORDER-FUNGIBLE: realised minutes feed the order consumption", async () => {
    const before = await getOrderConsumption(t.db, admin, fx.orderId);
    const { pathId } = await register(t.db, admin, fx);
    const s = await slot([pathId], { date: "2026-03-20", minutes: 30 });
    await addAttendance(t.db, { slotId: s, pathId, minutes: 30 });
    const afterC = await getOrderConsumption(t.db, admin, fx.orderId);
    assert.equal(afterC.realised.inPerson - before.realised.inPerson, 0, "drafts do not count in the order");
    await t.db.updateTable("path").set({ status: "validated" }).where("id", "=", pathId).execute();
    const validated = await getOrderConsumption(t.db, admin, fx.orderId);
    assert.equal(validated.realised.inPerson - before.realised.inPerson, 30);
  });

  test("GET /api/paths/{id}/realised: own provider 200, another provider 404", async () => {
    const { pathId } = await register(t.db, admin, fx);
    const s = await slot([pathId], { modality: "gathering", minutes: 45 });
    await addAttendance(t.db, { slotId: s, pathId, minutes: 45 });
    const own = await t.api("GET", `/api/paths/${pathId}/realised`, await t.login(fx.adminEmail));
    assert.equal(own.status, 200);
    assert.equal(own.body.totals.gathering, 45);
    assert.equal(own.body.categories.centre, 45);
    const other = await createOrderFixture(t.db);
    const res = await t.api("GET", `/api/paths/${pathId}/realised`, await t.login(other.adminEmail));
    assert.equal(res.status, 404);
    assert.equal((await t.api("GET", `/api/paths/${pathId}/realised`, await t.login(fx.regionEmail))).status, 200);
  });
});
