import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createTestContext, type TestContext } from "../../../test/support/app.ts";
import { createOrderFixture, type OrderFixture } from "../../../test/support/fixtures.ts";
import { actorOf, codes, mod, plan, position, refused, register } from "../paths/testing.ts";
import { evaluateSavedPath, exitPath, getOrderConsumption, savePlan, validatePath } from "../paths/use-cases.ts";
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

describe("positioning counts where §12.1 says: realised totals, the realised 200 h, consumption, certificate", () => {
  let t: TestContext;
  let fx: OrderFixture;
  let admin: Awaited<ReturnType<typeof actorOf>>;
  before(async () => {
    t = await createTestContext("2026-03-20T10:00:00Z");
    fx = await createOrderFixture(t.db);
    admin = await actorOf(t.db, fx.adminEmail);
  });
  after(() => t.close());

  // The row's realised minutes are the ledger's input (a long total on one row keeps the test short).
  const signed = async (pathId: string, minutes: number, date = "2026-03-10") => {
    const s = await addSlot(t.db, { providerId: fx.providerId, orderLineId: fx.orderLineId, date, modality: "centre", minutes: Math.min(minutes, 600), pathIds: [pathId] });
    await addAttendance(t.db, { slotId: s, pathId, minutes });
  };

  test("CP-PATH-MAX-200H on realised: 196 h signed + 4 h positioning = 200 h passes; 196 h 01 min + 4 h fails", async () => {
    const { pathId } = await register(t.db, admin, fx);
    await signed(pathId, 196 * 60);
    await position(t.db, admin, pathId, 240);
    const r = await getPathRealised(t.db, admin, pathId);
    assert.equal(r.totals.positioning, 240);
    assert.equal(r.totals.total, 12_000);
    assert.equal(r.categories.centre, 12_000, "positioning is in the Region's centre category");
    assert.ok(!codes((await evaluateSavedPath(t.db, admin, pathId)).violations).includes("CP-PATH-MAX-200H"));
    await signed(pathId, 1, "2026-03-11");
    const v = (await evaluateSavedPath(t.db, admin, pathId)).violations.find((x) => x.code === "CP-PATH-MAX-200H");
    assert.ok(v, "realised 200 h 01 min, positioning included, is a breach");
    assert.match(v.message, /réalisé/);
    assert.equal(v.details?.total, 12_001);
  });

  test("CP-PATH-MAX-200H on realised: recording 4 h of positioning on 196 h 01 min signed is refused, 3 h 59 passes", async () => {
    const { pathId } = await register(t.db, admin, fx);
    await signed(pathId, 196 * 60 + 1);
    await refused(position(t.db, admin, pathId, 240), 422, "CP-PATH-MAX-200H");
    await position(t.db, admin, pathId, 239);
    assert.equal((await getPathRealised(t.db, admin, pathId)).totals.total, 12_000);
  });

  test("CP-ORDER-FUNGIBLE: a closed path keeps its positioning in the order's consumption; only the unrealised plan returns", async () => {
    const { pathId } = await register(t.db, admin, fx);
    await position(t.db, admin, pathId, 240);
    await savePlan(t.db, admin, pathId, plan([mod(fx.moduleIds["Anglais général"], "centre", 1000)]));
    await validatePath(t.db, admin, pathId);
    const before = await getOrderConsumption(t.db, admin, fx.orderId);
    await signed(pathId, 100, "2026-03-12");
    await exitPath(t.db, admin, pathId, { status: "closed", actualExitDate: "2026-03-13" });
    const after = await getOrderConsumption(t.db, admin, fx.orderId);
    assert.equal(before.consumed.total - after.consumed.total, 1240 - 340, "consumed: 240 positioning + 100 signed");
    assert.equal(after.realised.positioning - before.realised.positioning, 0, "the positioning was realised before the close too");
  });

  test("CP-CERTIFICATE-OF-COMPLETION: the certificate counts the positioning on its first day, in the in-person row", async () => {
    const { pathId } = await register(t.db, admin, fx);
    await position(t.db, admin, pathId, 240, { restitutionOn: "2026-03-03" });
    await savePlan(t.db, admin, pathId, plan([mod(fx.moduleIds["Anglais général"], "centre", 1000)]));
    await validatePath(t.db, admin, pathId);
    await signed(pathId, 60, "2026-03-10");
    const token = await t.login(fx.adminEmail);
    const march = await t.api("POST", `/api/paths/${pathId}/certificates`, token, { from: "2026-03-01", to: "2026-03-31" });
    assert.equal(march.status, 201, JSON.stringify(march.body));
    assert.equal(march.body.content.minutes.total, 300);
    assert.equal(march.body.content.minutes.inPerson, 300);
    const later = await t.api("POST", `/api/paths/${pathId}/certificates`, token, { from: "2026-03-04", to: "2026-03-31" });
    assert.equal(later.body.content.minutes.total, 60, "outside the period, the positioning is not counted");
  });
});
