import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Actor } from "../../core/auth/actor.ts";
import { createTestContext, type TestContext } from "../../../test/support/app.ts";
import { createOrderFixture, type OrderFixture } from "../../../test/support/fixtures.ts";
import { actorFor, actorOf, codes, company, mod, plan, position, refused, register } from "./testing.ts";
import { PositioningInput } from "./schema.ts";
import { checkPlan, evaluateSavedPath, exitPath, getOrderConsumption, loadPathForActor, recordDeposit, recordPositioning, savePlan, settleDeposit, validatePath } from "./use-cases.ts";

const GENERAL = "Anglais général";
const DISTANCE = "Anglais à distance (tutorat)";
const SELF_STUDY = "Autoformation guidée";
const DIGITAL = "Usages numériques";
const TRE = "Techniques de recherche d'emploi";

describe("paths use cases", () => {
  let t: TestContext;
  let fx: OrderFixture;
  let admin: Actor;
  const m = (title: string) => fx.moduleIds[title];
  /** A compliant 7 440 min plan: no warning besides those a test adds. */
  const basePlan = () => [mod(m(GENERAL), "centre", 6000), mod(m(DIGITAL), "centre", 600), mod(m(TRE), "centre", 840)];

  before(async () => {
    t = await createTestContext();
    fx = await createOrderFixture(t.db, { plannedStart: "2026-02-01", plannedEnd: "2027-06-30" });
    admin = await actorOf(t.db, fx.adminEmail);
  });
  after(() => t.close());

  async function validatedPath(items = basePlan()) {
    const { pathId } = await register(t.db, admin, fx);
    await position(t.db, admin, pathId);
    await savePlan(t.db, admin, pathId, plan(items));
    await validatePath(t.db, admin, pathId);
    return pathId;
  }

  describe("registration", () => {
    test("CP-ELIGIBLE-PUBLIC an unregistered job seeker is registered as a draft with a warning", async () => {
      const res = await register(t.db, admin, fx, { jobSeekerRegistered: false });
      assert.deepEqual(codes(res.warnings), ["CP-ELIGIBLE-PUBLIC"]);
      assert.equal(res.warnings[0].severity, "warning");
      const path = await loadPathForActor(t.db, admin, res.pathId);
      assert.equal(path.status, "draft");
    });

    test("CP-ENTRY-YEAR-N entry on 31 December of the order's start year passes, 1 January of the next year is refused", async () => {
      await register(t.db, admin, fx, { entryDate: "2026-12-31", plannedExitDate: "2027-01-15" });
      await refused(register(t.db, admin, fx, { entryDate: "2027-01-01", plannedExitDate: "2027-01-15" }), 422, "CP-ENTRY-YEAR-N");
    });

    test("CP-PATH-WITHIN-ORDER planned exit on the order's last day passes, the day after is refused", async () => {
      await register(t.db, admin, fx, { plannedExitDate: "2027-06-30" });
      await refused(register(t.db, admin, fx, { plannedExitDate: "2027-07-01" }), 422, "CP-PATH-WITHIN-ORDER");
    });

    test("CP-ORDER-FROM-OFFER a site the order does not list for the component is refused", async () => {
      const other = await createOrderFixture(t.db);
      await refused(register(t.db, admin, fx, { siteId: other.siteId }), 422, "CP-ORDER-FROM-OFFER");
    });
  });

  describe("plan: hard rules refuse the save, nothing is written", () => {
    test("CP-PATH-MAX-200H positioning 600 + 11 400 planned passes; 11 401 is refused and the saved plan is unchanged", async () => {
      const { pathId } = await register(t.db, admin, fx);
      await position(t.db, admin, pathId, 600);
      const ok = await savePlan(t.db, admin, pathId, plan([mod(m(GENERAL), "centre", 9960), mod(m(TRE), "centre", 840), mod(m(DIGITAL), "centre", 600)]));
      assert.equal(ok.planned.total, 12_000);
      const e = await refused(savePlan(t.db, admin, pathId, plan([mod(m(GENERAL), "centre", 9961), mod(m(TRE), "centre", 840), mod(m(DIGITAL), "centre", 600)])), 422, "CP-PATH-MAX-200H");
      assert.equal(e.violations[0].field, "items");
      const saved = await t.db.selectFrom("path_item").select((eb) => eb.fn.sum<number>("planned_minutes").as("s")).where("path_id", "=", pathId).executeTakeFirstOrThrow();
      assert.equal(Number(saved.s), 11_400);
    });

    test("CP-PATH-MAX-200H every modality counts (company, distance, self-study, gathering) and exempted modules do not", async () => {
      const { pathId } = await register(t.db, admin, fx);
      await position(t.db, admin, pathId, 120);
      const items = [
        mod(m(GENERAL), "centre", 3000),
        mod(m(DISTANCE), "distance", 1800),
        mod(m(SELF_STUDY), "self_study", 1200),
        mod(m(DIGITAL), "gathering", 840),
        mod(m(TRE), "centre", 840, { exempted: true, exemptionReason: "TRE suivies en 2025" }),
        company(2100),
        company(2100),
      ];
      const e = await savePlan(t.db, admin, pathId, plan(items));
      // 120 positioning + 3 000 + 1 800 + 1 200 + 840 + 4 200 company = 11 160: 840 min left.
      assert.equal(e.planned.total, 11_160);
      for (const extra of [mod(m(GENERAL), "centre", 841), mod(m(DISTANCE), "distance", 841), mod(m(SELF_STUDY), "self_study", 841), mod(m(DIGITAL), "gathering", 841), company(841)]) {
        const { violations } = await checkPlan(t.db, admin, pathId, plan([...items, extra]));
        assert.ok(codes(violations, "error").includes("CP-PATH-MAX-200H"), JSON.stringify(extra));
      }
      const exact = await checkPlan(t.db, admin, pathId, plan([...items, mod(m(GENERAL), "centre", 840)]));
      assert.equal(exact.planned.total, 12_000);
      assert.deepEqual(codes(exact.violations, "error"), []);
    });

    test("CP-PATH-MAX-200H a positioning that takes the path over 200 h is refused", async () => {
      const { pathId } = await register(t.db, admin, fx);
      await savePlan(t.db, admin, pathId, plan([mod(m(GENERAL), "centre", 10_440), mod(m(TRE), "centre", 840), mod(m(DIGITAL), "centre", 600)]));
      await position(t.db, admin, pathId, 120);
      await refused(position(t.db, admin, pathId, 121), 422, "CP-PATH-MAX-200H");
      const pos = await t.db.selectFrom("positioning").select("minutes").where("path_id", "=", pathId).executeTakeFirstOrThrow();
      assert.equal(pos.minutes, 120);
    });

    test("CP-COMPANY-MAX-70H company periods of 2 100 + 2 100 min pass, 2 100 + 2 101 are refused", async () => {
      const { pathId } = await register(t.db, admin, fx);
      await savePlan(t.db, admin, pathId, plan([...basePlan(), company(2100), company(2100)]));
      await refused(savePlan(t.db, admin, pathId, plan([...basePlan(), company(2100), company(2101)])), 422, "CP-COMPANY-MAX-70H");
    });

    test("CP-DISTANCE-MAX-50 on a saved plan: exactly half the centre minutes passes, one more minute is refused", async () => {
      const { pathId } = await register(t.db, admin, fx);
      await position(t.db, admin, pathId, 600);
      // centre minutes = 600 + 600 + 840 + 1 200 (centre self-study) + 3 240 remote = 6 480; remote = 3 240
      const items = (remote: number) => [
        mod(m(DIGITAL), "centre", 600),
        mod(m(TRE), "centre", 840),
        mod(m(SELF_STUDY), "self_study", 1200, { selfStudyLocation: "centre" }),
        mod(m(DISTANCE), "distance", 1800),
        mod(m(GENERAL), "self_study", remote, { selfStudyLocation: "remote" }),
        company(4200),
      ];
      await savePlan(t.db, admin, pathId, plan(items(1440)));
      await refused(savePlan(t.db, admin, pathId, plan(items(1441))), 422, "CP-DISTANCE-MAX-50");
    });

    test("CP-HYBRID-APPROVED distance on a component whose hybrid modality is only requested is refused", async () => {
      const requested = await createOrderFixture(t.db, { hybrid: "requested" });
      const a = await actorOf(t.db, requested.adminEmail);
      const { pathId } = await register(t.db, a, requested);
      await refused(savePlan(t.db, a, pathId, plan([mod(requested.moduleIds[GENERAL], "centre", 3000), mod(requested.moduleIds[DISTANCE], "distance", 600)])), 422, "CP-HYBRID-APPROVED");
      await savePlan(t.db, a, pathId, plan([mod(requested.moduleIds[GENERAL], "centre", 3000)]));
    });

    test("CP-HYBRID-APPROVED e-formation components need no hybrid approval", async () => {
      const eForm = await createOrderFixture(t.db, { eFormation: true, hybrid: "none" });
      const a = await actorOf(t.db, eForm.adminEmail);
      const { pathId } = await register(t.db, a, eForm);
      const e = await savePlan(t.db, a, pathId, plan([mod(eForm.moduleIds[DISTANCE], "distance", 1800), mod(eForm.moduleIds[GENERAL], "distance", 3000)]));
      assert.deepEqual(codes(e.violations, "error"), []);
    });

    test("CP-PATH-WITHIN-ORDER and CP-ENTRY-YEAR-N also hold when the plan's dates change", async () => {
      const { pathId } = await register(t.db, admin, fx);
      await savePlan(t.db, admin, pathId, plan(basePlan(), { entryDate: "2026-12-31", plannedExitDate: "2027-06-30" }));
      await refused(savePlan(t.db, admin, pathId, plan(basePlan(), { plannedExitDate: "2027-07-01" })), 422, "CP-PATH-WITHIN-ORDER");
      await refused(savePlan(t.db, admin, pathId, plan(basePlan(), { entryDate: "2027-01-01", plannedExitDate: "2027-06-30" })), 422, "CP-ENTRY-YEAR-N");
    });

    test("CP-ENTRY-YEAR-N judges the path's first day, positioning included (§12.6): positioning on 31 Dec N before a first module on 4 Jan N+1 passes, on 1 Jan N+1 is refused", async () => {
      const { pathId } = await register(t.db, admin, fx, { entryDate: "2026-12-28", plannedExitDate: "2027-06-30" });
      await position(t.db, admin, pathId, 240, { startedOn: "2026-12-31", restitutionOn: "2027-01-02" });
      const moved = await savePlan(t.db, admin, pathId, plan(basePlan(), { entryDate: "2027-01-04", plannedExitDate: "2027-06-30" }));
      assert.ok(!codes(moved.violations).includes("CP-ENTRY-YEAR-N"), "the positioning on 31 December is the entry");
      await validatePath(t.db, admin, pathId);
      // Re-dating the positioning to 1 January: the path would enter in N+1 — refused, nothing written.
      const e = await refused(position(t.db, admin, pathId, 240, { startedOn: "2027-01-01", restitutionOn: "2027-01-02" }), 422, "CP-ENTRY-YEAR-N");
      assert.equal(e.violations.find((v) => v.code === "CP-ENTRY-YEAR-N")?.field, "positioning");
      const stored = await t.db.selectFrom("positioning").select(["started_on", "first_day"]).where("path_id", "=", pathId).executeTakeFirstOrThrow();
      assert.deepEqual(stored, { started_on: "2026-12-31", first_day: "2026-12-31" });
      // Without a start date the restitution day is the positioning's first day: 2 January is too late.
      await refused(position(t.db, admin, pathId, 240, { startedOn: "", restitutionOn: "2027-01-02" }), 422, "CP-ENTRY-YEAR-N");
      await position(t.db, admin, pathId, 240, { startedOn: "", restitutionOn: "2026-12-31" });
      assert.deepEqual(codes((await evaluateSavedPath(t.db, admin, pathId)).violations).filter((c) => c === "CP-ENTRY-YEAR-N"), []);
    });

    test("CP-ENTRY-YEAR-N: first evaluations after the restitution are refused by the input schema and by the database", async () => {
      const bad = PositioningInput.safeParse({ minutes: 240, evaluations: "Tests", startedOn: "2026-03-04", restitutionOn: "2026-03-03" });
      assert.equal(bad.success, false);
      assert.deepEqual(bad.error?.issues.map((i) => i.path.join(".")), ["startedOn"]);
      const { pathId } = await register(t.db, admin, fx);
      await assert.rejects(position(t.db, admin, pathId, 240, { startedOn: "2026-03-04", restitutionOn: "2026-03-03" }), /positioning_started_before_restitution/);
    });

    test("a module of another component is refused", async () => {
      const other = await createOrderFixture(t.db);
      const { pathId } = await register(t.db, admin, fx);
      await refused(savePlan(t.db, admin, pathId, plan([mod(other.moduleIds[GENERAL], "centre", 600)])), 400, "VALIDATION");
    });
  });

  describe("plan: warnings are shown and do not block", () => {
    test("CP-TRE-MIN-14H / CP-TRANSVERSE-CONTENT a path without TRE and digital usage is saved with both warnings", async () => {
      const { pathId } = await register(t.db, admin, fx);
      const e = await savePlan(t.db, admin, pathId, plan([mod(m(GENERAL), "centre", 6000)]));
      assert.deepEqual(codes(e.violations).sort(), ["CP-TRANSVERSE-CONTENT", "CP-TRE-MIN-14H"]);
      assert.ok(e.violations.every((v) => v.severity === "warning"));
    });

    test("CP-TRE-MIN-14H TRE shortened to 839 min warns; the full 840 min does not", async () => {
      const { pathId } = await register(t.db, admin, fx);
      const short = await checkPlan(t.db, admin, pathId, plan([mod(m(GENERAL), "centre", 6000), mod(m(DIGITAL), "centre", 600), mod(m(TRE), "centre", 839)]));
      assert.deepEqual(codes(short.violations), ["CP-TRE-MIN-14H"]);
      assert.deepEqual(codes((await checkPlan(t.db, admin, pathId, plan(basePlan()))).violations), []);
    });

    test("CP-TRANSVERSE-CONTENT digital usage exempted with a reason does not warn", async () => {
      const { pathId } = await register(t.db, admin, fx);
      const e = await checkPlan(t.db, admin, pathId, plan([mod(m(GENERAL), "centre", 6000), mod(m(TRE), "centre", 840), mod(m(DIGITAL), "centre", 0, { exempted: true, exemptionReason: "PIX certifié" })]));
      assert.deepEqual(codes(e.violations), []);
    });

    test("CP-POSITIONING-2-14H positionings of 120 and 840 min are recorded without that warning; 119 and 841 min with it", async () => {
      const { pathId } = await register(t.db, admin, fx);
      for (const [minutes, warned] of [[119, true], [120, false], [840, false], [841, true]] as const) {
        const e = await position(t.db, admin, pathId, minutes);
        assert.equal(codes(e.violations, "warning").includes("CP-POSITIONING-2-14H"), warned, `${minutes} min`);
      }
    });
  });

  describe("validation (entry)", () => {
    test("CP-POSITIONING no recorded positioning: validation refused", async () => {
      const { pathId } = await register(t.db, admin, fx);
      await savePlan(t.db, admin, pathId, plan(basePlan()));
      await refused(validatePath(t.db, admin, pathId), 422, "CP-POSITIONING");
    });

    test("CP-POSITIONING a positioning without face-to-face restitution: validation refused", async () => {
      const { pathId } = await register(t.db, admin, fx);
      await position(t.db, admin, pathId, 240, { restitutionOn: "" });
      await savePlan(t.db, admin, pathId, plan(basePlan()));
      const e = await refused(validatePath(t.db, admin, pathId), 422, "CP-POSITIONING");
      assert.match(e.detail, /restitution/);
      assert.equal((await loadPathForActor(t.db, admin, pathId)).status, "draft");
    });

    test("CP-POSITIONING an incomplete deliverable is only a warning: the path is validated", async () => {
      const { pathId } = await register(t.db, admin, fx);
      await position(t.db, admin, pathId, 240, { priorLearning: "", recommendedMethods: "" });
      await savePlan(t.db, admin, pathId, plan(basePlan()));
      const e = await validatePath(t.db, admin, pathId);
      assert.deepEqual(codes(e.violations), ["CP-POSITIONING"]);
      assert.equal(e.violations[0].severity, "warning");
      assert.equal((await loadPathForActor(t.db, admin, pathId)).status, "validated");
      const log = await t.db.selectFrom("transition_log").selectAll().where("entity_id", "=", pathId).where("to_status", "=", "validated").execute();
      assert.equal(log.length, 1);
    });

    test("CP-REFERENTS a trainee without a pedagogical referent cannot enter", async () => {
      const { pathId } = await register(t.db, admin, fx, { pedagogicalReferentId: "" });
      await position(t.db, admin, pathId);
      await savePlan(t.db, admin, pathId, plan(basePlan()));
      await refused(validatePath(t.db, admin, pathId), 422, "CP-REFERENTS");
    });

    test("CP-ELIGIBLE-PUBLIC a trainee not registered at France Travail cannot enter", async () => {
      const { pathId } = await register(t.db, admin, fx, { jobSeekerRegistered: false });
      await position(t.db, admin, pathId);
      await savePlan(t.db, admin, pathId, plan(basePlan()));
      await refused(validatePath(t.db, admin, pathId), 422, "CP-ELIGIBLE-PUBLIC");
    });

    test("CP-MODULAR a path with no module followed cannot be validated; a validated path cannot be validated again", async () => {
      const { pathId } = await register(t.db, admin, fx);
      await position(t.db, admin, pathId);
      await refused(validatePath(t.db, admin, pathId), 422, "CP-MODULAR");
      await savePlan(t.db, admin, pathId, plan([mod(m(GENERAL), "centre", 0, { exempted: true, exemptionReason: "acquis" })]));
      await refused(validatePath(t.db, admin, pathId), 422, "CP-MODULAR");
      await savePlan(t.db, admin, pathId, plan(basePlan()));
      await validatePath(t.db, admin, pathId);
      await refused(validatePath(t.db, admin, pathId), 409, "TRANSITION");
    });
  });

  describe("CP-PATH-READJUST: changes after validation", () => {
    test("CP-PATH-READJUST saving a validated path without a reason is refused", async () => {
      const pathId = await validatedPath();
      const e = await refused(savePlan(t.db, admin, pathId, plan(basePlan())), 422, "CP-PATH-READJUST");
      assert.equal(e.violations[0].field, "reason");
    });

    test("CP-PATH-READJUST with a reason the plan changes and a path_adjustment row keeps before and after", async () => {
      const pathId = await validatedPath();
      const shorter = [mod(m(GENERAL), "centre", 4500), mod(m(DIGITAL), "centre", 600), mod(m(TRE), "centre", 840)];
      await savePlan(t.db, admin, pathId, plan(shorter, { plannedExitDate: "2026-05-29", reason: "Progrès rapides à l'évaluation intermédiaire" }));
      const rows = await t.db.selectFrom("path_adjustment").selectAll().where("path_id", "=", pathId).execute();
      assert.equal(rows.length, 1);
      assert.equal(rows[0].reason, "Progrès rapides à l'évaluation intermédiaire");
      assert.equal(rows[0].adjusted_by, admin.userId);
      const before = rows[0].before as any;
      const afterVersion = rows[0].after as any;
      assert.equal(before.plannedExitDate, "2026-06-30");
      assert.equal(afterVersion.plannedExitDate, "2026-05-29");
      assert.equal(before.items[0].plannedMinutes, 6000);
      assert.equal(afterVersion.items[0].plannedMinutes, 4500);
      const event = await t.db.selectFrom("audit_log").select("entity_id").where("action", "=", "path.readjusted").execute();
      assert.ok(event.some((e) => e.entity_id === pathId));
    });

    test("CP-PATH-READJUST a readjustment still respects the hard rules", async () => {
      const pathId = await validatedPath();
      await refused(savePlan(t.db, admin, pathId, plan([...basePlan(), company(4201)], { reason: "Stage prolongé" })), 422, "CP-COMPANY-MAX-70H");
      assert.equal((await t.db.selectFrom("path_adjustment").select("id").where("path_id", "=", pathId).execute()).length, 0);
    });

    test("a finished path cannot be changed", async () => {
      const pathId = await validatedPath();
      await exitPath(t.db, admin, pathId, { status: "closed", actualExitDate: "2026-06-30" });
      await refused(savePlan(t.db, admin, pathId, plan(basePlan(), { reason: "après coup" })), 409, "PATH_FINISHED");
    });
  });

  describe("CP-DEPOSIT-MAX-200 / CP-FREE-OF-CHARGE: deposits", () => {
    const deposit = (pathId: string, amountCents: number, material = "Ordinateur portable") =>
      recordDeposit(t.db, admin, t.clock, pathId, { amountCents, material, takenOn: "2026-03-02" });

    test("CP-DEPOSIT-MAX-200 200,00 € in total passes, 200,01 € is refused", async () => {
      const { pathId } = await register(t.db, admin, fx);
      await deposit(pathId, 10_000);
      await deposit(pathId, 10_000, "Casque audio");
      const e = await refused(deposit(pathId, 1, "Clé USB"), 422, "CP-DEPOSIT-MAX-200");
      assert.match(e.detail, /200,01/);
    });

    test("CP-DEPOSIT-MAX-200 a single deposit of 200,01 € is refused by the rule", async () => {
      const { pathId } = await register(t.db, admin, fx);
      await refused(deposit(pathId, 20_001), 422, "CP-DEPOSIT-MAX-200");
      await deposit(pathId, 20_000);
    });

    test("CP-DEPOSIT-MAX-200 a refunded deposit no longer counts; a kept one still does", async () => {
      const { pathId } = await register(t.db, admin, fx);
      const first = await deposit(pathId, 15_000);
      const second = await deposit(pathId, 5_000, "Casque audio");
      await settleDeposit(t.db, admin, first, { refundedOn: "2026-04-01" });
      await deposit(pathId, 15_000, "Tablette");
      await refused(deposit(pathId, 1, "Clé USB"), 422, "CP-DEPOSIT-MAX-200");
      await settleDeposit(t.db, admin, second, { keptReason: "Casque rendu cassé" });
      await refused(deposit(pathId, 1, "Clé USB"), 422, "CP-DEPOSIT-MAX-200");
      await refused(settleDeposit(t.db, admin, second, { refundedOn: "2026-05-01" }), 409, "DEPOSIT_SETTLED");
    });

    test("CP-FREE-OF-CHARGE a deposit without lent material is refused", async () => {
      const { pathId } = await register(t.db, admin, fx);
      await refused(deposit(pathId, 5_000, "   "), 422, "CP-FREE-OF-CHARGE");
      assert.equal((await t.db.selectFrom("deposit").select("id").where("path_id", "=", pathId).execute()).length, 0);
    });

    test("CP-DEPOSIT-MAX-200 leaving with a deposit neither refunded nor kept raises a warning", async () => {
      const pathId = await validatedPath();
      await deposit(pathId, 5_000);
      const warnings = await exitPath(t.db, admin, pathId, { status: "dropped", actualExitDate: "2026-04-15", reason: "Reprise d'emploi" });
      assert.deepEqual(codes(warnings, "warning"), ["CP-DEPOSIT-MAX-200"]);
    });
  });

  describe("access scoping", () => {
    let pathId: string;
    let otherAdmin: Actor;
    let trainer: Actor;
    let region: Actor;
    before(async () => {
      pathId = await validatedPath();
      const other = await createOrderFixture(t.db);
      otherAdmin = await actorOf(t.db, other.adminEmail);
      trainer = await actorFor(t.db, `formateur-${fx.providerId}@organisme.test`, "trainer", fx.providerId);
      region = await actorOf(t.db, fx.regionEmail);
    });

    test("another provider's staff can neither read, check nor save the path (404)", async () => {
      await refused(loadPathForActor(t.db, otherAdmin, pathId), 404, "NOT_FOUND");
      await refused(checkPlan(t.db, otherAdmin, pathId, plan(basePlan())), 404, "NOT_FOUND");
      await refused(savePlan(t.db, otherAdmin, pathId, plan(basePlan(), { reason: "x" })), 404, "NOT_FOUND");
      await refused(recordPositioning(t.db, otherAdmin, pathId, { minutes: 240, evaluations: "x" }), 404, "NOT_FOUND");
      await refused(recordDeposit(t.db, otherAdmin, t.clock, pathId, { amountCents: 100, material: "Casque", takenOn: "2026-03-02" }), 404, "NOT_FOUND");
      await refused(getOrderConsumption(t.db, otherAdmin, fx.orderId), 404, "NOT_FOUND");
      await refused(register(t.db, otherAdmin, fx), 404, "NOT_FOUND"); // NO-EXISTENCE-LEAK: another provider's order line
    });

    test("a trainer of the provider can read and check but not save (403)", async () => {
      assert.equal((await loadPathForActor(t.db, trainer, pathId)).id, pathId);
      await checkPlan(t.db, trainer, pathId, plan(basePlan()));
      await refused(savePlan(t.db, trainer, pathId, plan(basePlan(), { reason: "x" })), 403, "FORBIDDEN");
      await refused(validatePath(t.db, trainer, pathId), 403, "FORBIDDEN");
      await refused(register(t.db, trainer, fx), 403, "FORBIDDEN");
    });

    test("the Region can read any path and order consumption, but does not write paths", async () => {
      assert.equal((await loadPathForActor(t.db, region, pathId)).id, pathId);
      const e = await checkPlan(t.db, region, pathId, plan(basePlan()));
      assert.equal(e.planned.total, 7680);
      assert.ok((await getOrderConsumption(t.db, region, fx.orderId)).consumed.total > 0);
      await refused(savePlan(t.db, region, pathId, plan(basePlan(), { reason: "x" })), 403, "FORBIDDEN");
    });

    test("a prescriber cannot read the path nor the order consumption (404)", async () => {
      const prescriber = await actorFor(t.db, `prescripteur-${fx.providerId}@ft.test`, "prescriber");
      await refused(loadPathForActor(t.db, prescriber, pathId), 404, "NOT_FOUND");
      await refused(getOrderConsumption(t.db, prescriber, fx.orderId), 404, "NOT_FOUND");
    });
  });
});
