// An order edit is re-judged on every path of the order (issue "Limits hold…", point 4): the paths
// domain's own evaluation on the order as the edit would leave it, refused with the paths it breaks.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Actor } from "../../core/auth/actor.ts";
import { createTestContext, type TestContext } from "../../../test/support/app.ts";
import { createOrderFixture, type OrderFixture } from "../../../test/support/fixtures.ts";
import { actorOf, addLine, mod, plan, position, register } from "../paths/testing.ts";
import { savePlan, validatePath } from "../paths/use-cases.ts";
import { cookieSession } from "./test-fixtures.ts";

const GENERAL = "Anglais général";
const SELF_STUDY = "Autoformation guidée";

describe("order edits re-judge the order's paths (CP-ORDER-FUNGIBLE, CP-ENTRY-YEAR-N, CP-PATH-WITHIN-ORDER, self-study budgets)", () => {
  let t: TestContext;

  before(async () => {
    t = await createTestContext();
  });
  after(() => t.close());

  /** A validated path: 240 min positioning + the given items, entering 2026-03-02, leaving 2026-06-30. */
  async function validated(fx: OrderFixture, admin: Actor, lastName: string, items: ReturnType<typeof mod>[], orderLineId = fx.orderLineId) {
    const { pathId } = await register(t.db, admin, fx, { lastName, orderLineId });
    await position(t.db, admin, pathId, 240);
    await savePlan(t.db, admin, pathId, plan(items));
    await validatePath(t.db, admin, pathId);
    return pathId;
  }

  async function setup(opts: { centreMinutes: number; eFormation?: number }) {
    const fx = await createOrderFixture(t.db, { headcount: 1, centreMinutes: opts.centreMinutes, companyMinutes: 0 });
    const admin = await actorOf(t.db, fx.adminEmail);
    const eLine = opts.eFormation ? await addLine(t.db, fx, { eFormation: true, centreMinutes: opts.eFormation }) : undefined;
    return { fx, admin, eLine, region: await t.login(fx.regionEmail) };
  }

  const line = (fx: OrderFixture, headcount: number, centre: number, componentId = fx.componentId) => ({
    componentId,
    siteIds: [fx.siteId],
    headcount,
    averagePathCentreMinutes: centre,
    averagePathCompanyMinutes: 0,
  });
  const edit = (region: string, fx: OrderFixture, body: Record<string, unknown>) => t.api("PATCH", `/api/orders/${fx.orderId}`, region, body);
  const pathIdsIn = (body: { violations: { field?: string; details?: { pathId?: string } }[] }) =>
    body.violations.filter((v) => v.field === "paths").map((v) => v.details?.pathId);

  test("CP-ORDER-FUNGIBLE: shrinking the order to exactly its consumption passes; one minute less is refused, naming every path", async () => {
    const { fx, admin, region } = await setup({ centreMinutes: 6000 });
    const durand = await validated(fx, admin, "Durand", [mod(fx.moduleIds[GENERAL], "centre", 1760)]);
    const roux = await validated(fx, admin, "Roux", [mod(fx.moduleIds[GENERAL], "centre", 1760)]);
    // 2 paths × (240 + 1 760) = 4 000 min consumed; 2 × 2 000 ordered: exactly equal.
    const exact = await edit(region, fx, { headcount: 2, lines: [line(fx, 2, 2000)] });
    assert.equal(exact.status, 200, JSON.stringify(exact.body));
    assert.equal(exact.body.orderedMinutes.total, 4000);
    const over = await edit(region, fx, { headcount: 1, lines: [line(fx, 1, 3999)] });
    assert.equal(over.status, 422);
    assert.equal(over.body.code, "CP-ORDER-FUNGIBLE");
    assert.match(over.body.detail, /Parcours de Camille Durand : La commande serait consommée à 66 h 40 min pour 66 h 39 min commandées/);
    assert.match(over.body.detail, /Parcours de Camille Roux : /);
    assert.deepEqual(pathIdsIn(over.body).sort(), [durand, roux].sort());
    const after = await t.api("GET", `/api/orders/${fx.orderId}`, region);
    assert.equal(after.body.orderedMinutes.total, 4000, "nothing written");
  });

  test("CP-ENTRY-YEAR-N: moving the planned start into the next year refuses the paths entering this year", async () => {
    const { fx, admin, region } = await setup({ centreMinutes: 6000 });
    const path = await validated(fx, admin, "Martin", [mod(fx.moduleIds[GENERAL], "centre", 1760)]);
    const res = await edit(region, fx, { plannedStart: "2027-01-04", plannedEnd: "2027-12-31" });
    assert.equal(res.status, 422);
    assert.equal(res.body.code, "CP-ENTRY-YEAR-N");
    assert.match(res.body.detail, /Parcours de Camille Martin : L'entrée \(02\/03\/2026\) doit avoir lieu en 2027/);
    assert.ok(pathIdsIn(res.body).includes(path));
    const beside = res.body.violations.find((v: { field?: string }) => v.field === "plannedStart");
    assert.match(beside.message, /1 parcours en défaut \(Camille Martin\)/, "a message beside the field the edit moved");
    // The same year passes (entry rules judged on the planned start's year).
    assert.equal((await edit(region, fx, { plannedStart: "2026-01-05" })).status, 200);
  });

  test("CP-PATH-WITHIN-ORDER: the planned start on the path's entry passes, a day later is refused", async () => {
    const { fx, admin, region } = await setup({ centreMinutes: 6000 });
    await validated(fx, admin, "Petit", [mod(fx.moduleIds[GENERAL], "centre", 1760)]);
    assert.equal((await edit(region, fx, { plannedStart: "2026-03-02" })).status, 200);
    const late = await edit(region, fx, { plannedStart: "2026-03-03" });
    assert.equal(late.status, 422);
    assert.equal(late.body.code, "CP-PATH-WITHIN-ORDER");
    assert.match(late.body.detail, /Parcours de Camille Petit : L'entrée \(02\/03\/2026\) précède le démarrage prévu de la commande \(03\/03\/2026\)/);
  });

  test("CP-PATH-WITHIN-ORDER: the planned end on the path's planned exit passes, the day before is refused", async () => {
    const { fx, admin, region } = await setup({ centreMinutes: 6000 });
    await validated(fx, admin, "Blanc", [mod(fx.moduleIds[GENERAL], "centre", 1760)]);
    assert.equal((await edit(region, fx, { plannedEnd: "2026-06-30" })).status, 200);
    const early = await edit(region, fx, { plannedEnd: "2026-06-29" });
    assert.equal(early.status, 422);
    assert.equal(early.body.code, "CP-PATH-WITHIN-ORDER");
    assert.match(early.body.detail, /Parcours de Camille Blanc : La sortie prévue \(30\/06\/2026\) est postérieure à la fin prévue de la commande \(29\/06\/2026\)/);
    assert.ok(early.body.violations.some((v: { field?: string }) => v.field === "plannedEnd"));
  });

  test("CP-SELFSTUDY-MAX-20: ordered centre minutes down to 5 × the self-study consumed pass; one minute less is refused", async () => {
    const { fx, admin, region } = await setup({ centreMinutes: 10000 });
    await validated(fx, admin, "Garcia", [mod(fx.moduleIds[GENERAL], "centre", 3000), mod(fx.moduleIds[SELF_STUDY], "self_study", 1200)]);
    // 1 200 min of self-study: 20 % of 6 000 exactly. The order's consumption (4 440) stays within.
    assert.equal((await edit(region, fx, { lines: [line(fx, 1, 6000)] })).status, 200);
    const res = await edit(region, fx, { lines: [line(fx, 1, 5999)] });
    assert.equal(res.status, 422);
    assert.equal(res.body.code, "CP-SELFSTUDY-MAX-20");
    assert.match(res.body.detail, /Parcours de Camille Garcia : L'autoformation de la commande atteindrait 20 h/);
  });

  test("CP-EFORM-SELFSTUDY-MAX-50: the e-formation part is judged at 50 % of its own ordered centre minutes", async () => {
    const { fx, admin, region, eLine } = await setup({ centreMinutes: 10000, eFormation: 5000 });
    const e = eLine!;
    await validated(fx, admin, "Nguyen", [mod(e.moduleIds[GENERAL], "centre", 600), mod(e.moduleIds[SELF_STUDY], "self_study", 1200)], e.orderLineId);
    const lines = (eCentre: number) => [line(fx, 1, 10000), line(fx, 1, eCentre, e.componentId)];
    assert.equal((await edit(region, fx, { lines: lines(2400) })).status, 200);
    const res = await edit(region, fx, { lines: lines(2399) });
    assert.equal(res.status, 422);
    assert.equal(res.body.code, "CP-EFORM-SELFSTUDY-MAX-50");
    assert.match(res.body.detail, /Parcours de Camille Nguyen : /);
  });

  test("CP-ORDER-FUNGIBLE: a path already in error does not block an unrelated edit; an edit deepening the breach is refused", async () => {
    const { fx, admin, region } = await setup({ centreMinutes: 6000 });
    await validated(fx, admin, "Faure", [mod(fx.moduleIds[GENERAL], "centre", 3760)]);
    // Data predating the rule: 4 000 min consumed on an order of 3 000.
    await t.db.updateTable("order_line").set({ average_path_centre_minutes: 3000 }).where("id", "=", fx.orderLineId).execute();
    assert.equal((await edit(region, fx, { unitPriceCents: 1500 })).status, 200, "the price has nothing to do with the breach");
    assert.equal((await edit(region, fx, { lines: [line(fx, 1, 3500)] })).status, 200, "less over than before: allowed");
    const deeper = await edit(region, fx, { lines: [line(fx, 1, 3499)] });
    assert.equal(deeper.status, 422);
    assert.equal(deeper.body.code, "CP-ORDER-FUNGIBLE");
  });

  test("pages: the edit form refused by a path re-renders (422) with the input kept and each path named", async () => {
    const { fx, admin } = await setup({ centreMinutes: 6000 });
    await validated(fx, admin, "Lambert", [mod(fx.moduleIds[GENERAL], "centre", 1760)]);
    const region = await cookieSession(t, fx.regionEmail);
    const p = `line_${fx.componentId}`;
    const res = await region.post(`/commandes/${fx.orderId}/modifier`, [
      ["plannedStart", "2026-02-01"],
      ["plannedEnd", "2026-06-15"],
      ["headcount", "1"],
      ["unitPrice", "12,00"],
      ["coFunders", ""],
      [`${p}_include`, "1"],
      [`${p}_headcount`, "1"],
      [`${p}_centre`, "100"],
      [`${p}_company`, "0"],
      [`${p}_sites`, fx.siteId],
    ]);
    assert.equal(res.status, 422);
    const html = await res.text();
    assert.match(html, /data-code="CP-PATH-WITHIN-ORDER"/);
    assert.match(html, /Parcours de Camille Lambert : La sortie prévue \(30\/06\/2026\)/);
    assert.match(html, /name="plannedEnd" type="date" value="2026-06-15"/);
    assert.match(html, /1 parcours en défaut \(Camille Lambert\)/);
  });
});
