import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Actor } from "../../core/auth/actor.ts";
import { newId } from "../../core/time.ts";
import { createTestContext, type TestContext } from "../../../test/support/app.ts";
import { createOrderFixture, type OrderFixture } from "../../../test/support/fixtures.ts";
import { actorOf, addLine, codes, mod, plan, position, refused, register } from "./testing.ts";
import { checkPlan, exitPath, getOrderConsumption, savePlan, validatePath } from "./use-cases.ts";

const GENERAL = "Anglais général";
const DISTANCE = "Anglais à distance (tutorat)";
const SELF_STUDY = "Autoformation guidée";
const DIGITAL = "Usages numériques";
const TRE = "Techniques de recherche d'emploi";

describe("order-wide path rules", () => {
  let t: TestContext;
  before(async () => {
    t = await createTestContext();
  });
  after(() => t.close());

  describe("CP-ORDER-FUNGIBLE: hours move between components, never beyond the order's total", () => {
    // Line A orders 1 × 2 000 min, line B 1 × 4 000 min: 6 000 min in all.
    let fx: OrderFixture;
    let admin: Actor;
    let lineB: Awaited<ReturnType<typeof addLine>>;
    const onA = (title: string) => fx.moduleIds[title];
    const onB = (title: string) => lineB.moduleIds[title];
    let p1: string;
    let p2: string;
    let p3: string;

    before(async () => {
      fx = await createOrderFixture(t.db, { headcount: 1, centreMinutes: 2000, companyMinutes: 0 });
      admin = await actorOf(t.db, fx.adminEmail);
      lineB = await addLine(t.db, fx, { centreMinutes: 4000 });
    });

    test("CP-ORDER-FUNGIBLE a path on line A may exceed line A's ordered hours when the order total allows", async () => {
      p1 = (await register(t.db, admin, fx)).pathId;
      await position(t.db, admin, p1, 240);
      // 240 + 2 320 + 600 + 840 = 4 000 min on a line that ordered 2 000
      await savePlan(t.db, admin, p1, plan([mod(onA(GENERAL), "centre", 2320), mod(onA(DIGITAL), "centre", 600), mod(onA(TRE), "centre", 840)]));
      const e = await validatePath(t.db, admin, p1);
      assert.equal(e.consumed.total, 4000);
    });

    test("CP-ORDER-FUNGIBLE consumption exactly equal to the ordered total passes, one minute more is refused", async () => {
      p2 = (await register(t.db, admin, fx, { orderLineId: lineB.orderLineId })).pathId;
      await savePlan(t.db, admin, p2, plan([mod(onB(GENERAL), "centre", 2000)]));
      const e = await refused(savePlan(t.db, admin, p2, plan([mod(onB(GENERAL), "centre", 2001)])), 422, "CP-ORDER-FUNGIBLE");
      assert.deepEqual(e.violations.find((v) => v.code === "CP-ORDER-FUNGIBLE")?.details, { used: 6001, ordered: 6000 });
      const live = await checkPlan(t.db, admin, p2, plan([mod(onB(GENERAL), "centre", 2001)]));
      assert.ok(codes(live.violations, "error").includes("CP-ORDER-FUNGIBLE"));
    });

    test("CP-ORDER-FUNGIBLE drafts do not consume the order until validated, and are re-checked at validation", async () => {
      p3 = (await register(t.db, admin, fx)).pathId;
      await savePlan(t.db, admin, p3, plan([mod(onA(GENERAL), "centre", 1760)]));
      // p2 (draft) is not counted against p3, nor p3 against p2
      await savePlan(t.db, admin, p2, plan([mod(onB(GENERAL), "centre", 1760)]));
      await position(t.db, admin, p2, 240);
      await position(t.db, admin, p3, 240);
      await validatePath(t.db, admin, p2); // 4 000 + 2 000 = 6 000: exactly the order's total
      await refused(validatePath(t.db, admin, p3), 422, "CP-ORDER-FUNGIBLE");
      const c = await getOrderConsumption(t.db, admin, fx.orderId);
      assert.equal(c.ordered.total, 6000);
      assert.equal(c.consumed.total, 6000);
      const lineA = c.lines.find((l) => l.orderLineId === fx.orderLineId)!;
      assert.equal(lineA.ordered.total, 2000);
      assert.equal(lineA.consumed.total, 4000, "line A exceeds its own hours");
      assert.deepEqual(lineA.paths, { draft: 1, validated: 1, closed: 0, dropped: 0 });
    });

    test("CP-ORDER-FUNGIBLE a dropped path returns its unrealised hours: the next one fits", async () => {
      await exitPath(t.db, admin, p1, { status: "dropped", actualExitDate: "2026-03-20", reason: "Reprise d'emploi" });
      await validatePath(t.db, admin, p3);
      const c = await getOrderConsumption(t.db, admin, fx.orderId);
      // p1 keeps its realised positioning (240 min, §12.1): it returns the rest of its 4 000.
      assert.equal(c.consumed.total, 240 + 2000 + 2000);
      assert.equal(c.planned.total, 4000);
      const lineA = c.lines.find((l) => l.orderLineId === fx.orderLineId)!;
      assert.deepEqual(lineA.paths, { draft: 0, validated: 1, closed: 0, dropped: 1 });
      assert.equal(lineA.consumed.total, 240 + 2000);
      assert.equal(lineA.realised.positioning, 240 + 240);
      assert.ok(c.findings.every((f) => f.violation.severity === "warning"), JSON.stringify(c.findings));
    });
  });

  describe("CP-SELFSTUDY-MAX-20 / CP-EFORM-SELFSTUDY-MAX-50 in a mixed order: each part has its own budget", () => {
    // Normal line: 1 × 6 000 centre min → 1 200 min of self-study; e-formation line: 1 × 2 000 → 1 000 min.
    let fx: OrderFixture;
    let admin: Actor;
    let eLine: Awaited<ReturnType<typeof addLine>>;
    const n = (title: string) => fx.moduleIds[title];
    const e = (title: string) => eLine.moduleIds[title];
    const normalPlan = (selfStudy: number) => plan([mod(n(GENERAL), "centre", 1000), mod(n(SELF_STUDY), "self_study", selfStudy)]);
    const eFormPlan = (selfStudy: number) => plan([mod(e(DISTANCE), "distance", 500), mod(e(SELF_STUDY), "self_study", selfStudy, { selfStudyLocation: "remote" })]);

    before(async () => {
      fx = await createOrderFixture(t.db, { headcount: 1, centreMinutes: 6000, companyMinutes: 0 });
      admin = await actorOf(t.db, fx.adminEmail);
      eLine = await addLine(t.db, fx, { eFormation: true, centreMinutes: 2000 });
    });

    test("CP-SELFSTUDY-MAX-20 20 % of the normal lines' ordered centre minutes: 1 200 passes, 1 201 is refused", async () => {
      const { pathId } = await register(t.db, admin, fx);
      await savePlan(t.db, admin, pathId, normalPlan(1200));
      const err = await refused(savePlan(t.db, admin, pathId, normalPlan(1201)), 422, "CP-SELFSTUDY-MAX-20");
      assert.equal(err.violations.find((v) => v.code === "CP-SELFSTUDY-MAX-20")?.details?.cap, 1200);
    });

    test("CP-SELFSTUDY-MAX-20 the other validated paths' self-study is counted", async () => {
      const first = (await register(t.db, admin, fx)).pathId;
      await position(t.db, admin, first, 240);
      await savePlan(t.db, admin, first, normalPlan(700));
      await validatePath(t.db, admin, first);
      const { pathId } = await register(t.db, admin, fx);
      await savePlan(t.db, admin, pathId, normalPlan(500));
      await refused(savePlan(t.db, admin, pathId, normalPlan(501)), 422, "CP-SELFSTUDY-MAX-20");
    });

    test("CP-EFORM-SELFSTUDY-MAX-50 50 % of the e-formation line: 1 000 passes, 1 001 is refused; normal self-study is not counted", async () => {
      const { pathId } = await register(t.db, admin, fx, { orderLineId: eLine.orderLineId });
      await position(t.db, admin, pathId, 240);
      await refused(savePlan(t.db, admin, pathId, eFormPlan(1001)), 422, "CP-EFORM-SELFSTUDY-MAX-50");
      await savePlan(t.db, admin, pathId, eFormPlan(1000));
      await validatePath(t.db, admin, pathId);
    });

    test("CP-SELFSTUDY-MAX-20 e-formation self-study does not eat the normal budget (still 500 left, not 501)", async () => {
      const { pathId } = await register(t.db, admin, fx);
      await savePlan(t.db, admin, pathId, normalPlan(500));
      await refused(savePlan(t.db, admin, pathId, normalPlan(501)), 422, "CP-SELFSTUDY-MAX-20");
    });
  });

  describe("CP-GROUP-MAX-20 (warning): trainees of one component at one site on the same day", () => {
    let fx: OrderFixture;
    let admin: Actor;
    let otherSiteId: string;
    let group: string[];
    const items = () => [mod(fx.moduleIds[GENERAL], "centre", 3000), mod(fx.moduleIds[DIGITAL], "centre", 600), mod(fx.moduleIds[TRE], "centre", 840)];
    const groupWarning = async (pathId: string, entryDate: string, siteId?: string, plannedExitDate = "2026-09-30") =>
      codes((await checkPlan(t.db, admin, pathId, plan(items(), { entryDate, plannedExitDate, siteId }))).violations).includes("CP-GROUP-MAX-20");

    before(async () => {
      fx = await createOrderFixture(t.db);
      admin = await actorOf(t.db, fx.adminEmail);
      otherSiteId = newId();
      await t.db
        .insertInto("site")
        .values({ id: otherSiteId, provider_id: fx.providerId, name: "Site d'Albi", address: "2 place du Vigan", postcode: "81000", commune: "Albi", departement_code: "81" })
        .execute();
      await t.db.insertInto("component_site").values({ component_id: fx.componentId, site_id: otherSiteId }).execute();
      await t.db.insertInto("order_line_site").values({ order_line_id: fx.orderLineId, site_id: otherSiteId }).execute();
      group = [];
      for (let i = 0; i < 20; i++) group.push((await register(t.db, admin, fx, { entryDate: "2026-03-02", plannedExitDate: "2026-06-30" })).pathId);
    });

    test("CP-GROUP-MAX-20 a 21st path starting the day after the others' exit does not warn; on their exit day it warns", async () => {
      const { pathId } = await register(t.db, admin, fx, { entryDate: "2026-07-01", plannedExitDate: "2026-09-30" });
      assert.equal(await groupWarning(pathId, "2026-07-01"), false);
      assert.equal(await groupWarning(pathId, "2026-06-30"), true);
      const saved = await savePlan(t.db, admin, pathId, plan(items(), { entryDate: "2026-06-30", plannedExitDate: "2026-09-30" }));
      assert.equal(saved.violations.find((v) => v.code === "CP-GROUP-MAX-20")?.severity, "warning");
    });

    test("CP-GROUP-MAX-20 a path at another site is not in the group", async () => {
      const { pathId } = await register(t.db, admin, fx, { siteId: otherSiteId, entryDate: "2026-04-01", plannedExitDate: "2026-09-30" });
      assert.equal(await groupWarning(pathId, "2026-04-01", otherSiteId), false);
      assert.equal(await groupWarning(pathId, "2026-04-01", fx.siteId), true);
    });

    test("CP-GROUP-MAX-20 an abandoned draft (dropped before it was validated) leaves the group altogether", async () => {
      const { pathId } = await register(t.db, admin, fx, { siteId: otherSiteId, entryDate: "2026-04-01", plannedExitDate: "2026-09-30" });
      assert.equal(await groupWarning(pathId, "2026-04-01", fx.siteId, "2026-06-29"), true);
      await exitPath(t.db, admin, group[0], { status: "dropped", actualExitDate: "2026-03-10", reason: "Déménagement" });
      // 20 registered until 30/06 + this one from 01/04 to 29/06: 21 before the drop, 20 after
      assert.equal(await groupWarning(pathId, "2026-04-01", fx.siteId, "2026-06-29"), false);
      // The draft never entered: not even before its drop date (a validated path counts until its exit: schedule/group.test.ts).
      assert.equal(await groupWarning(pathId, "2026-03-05", fx.siteId, "2026-06-29"), false);
    });
  });
});

describe("CP-PERIODIC-ENTRY: trainees enter an order at different dates, each on their own path", () => {
  let t: TestContext;
  before(async () => {
    t = await createTestContext();
  });
  after(() => t.close());

  test("CP-PERIODIC-ENTRY entries in March, June and December of the order's year are each accepted with their own dates", async () => {
    const fx = await createOrderFixture(t.db);
    const admin = await actorOf(t.db, fx.adminEmail);
    const spans = [
      ["2026-03-02", "2026-05-29"],
      ["2026-06-15", "2026-09-30"],
      ["2026-12-31", "2026-12-31"],
    ];
    for (const [entryDate, plannedExitDate] of spans) {
      const { pathId } = await register(t.db, admin, fx, { entryDate, plannedExitDate });
      const row = await t.db.selectFrom("path").select(["entry_date", "planned_exit_date", "status"]).where("id", "=", pathId).executeTakeFirstOrThrow();
      assert.deepEqual([row.entry_date, row.planned_exit_date, row.status], [entryDate, plannedExitDate, "draft"]);
    }
    const count = await t.db.selectFrom("path").select((eb) => eb.fn.countAll<number>().as("n")).where("order_id", "=", fx.orderId).executeTakeFirstOrThrow();
    assert.equal(Number(count.n), 3);
  });
});
