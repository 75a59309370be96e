// CP-GROUP-MAX-20: everyone in the room counts — paths of every order on the component at the site,
// trainees other funders pay for (recorded on the group or on a slot), and, once slots exist, the
// distinct trainees in overlapping slots. 20 pass, 21 warn, for each source of people.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createTestContext, type TestContext } from "../../../test/support/app.ts";
import { createOrderFixture, type OrderFixture } from "../../../test/support/fixtures.ts";
import type { Db } from "../../core/db/index.ts";
import { newId } from "../../core/time.ts";
import { actorOf, plan, register } from "../paths/testing.ts";
import { checkPlan, evaluateSavedPath, exitPath } from "../paths/use-cases.ts";
import { centreSlot, validatedPath } from "./testing.ts";

/** A second order of the same provider placing the same component at the same site (another group member source). */
async function sameGroupOrder(db: Db, fx: OrderFixture, headcount = 30) {
  const orderId = newId();
  await db
    .insertInto("order")
    .values({ id: orderId, number: `BC-B-${orderId.slice(0, 8)}`, lot_id: fx.lotId, provider_id: fx.providerId, planned_start: "2026-02-01", planned_end: "2026-12-31", headcount, unit_price_cents: 1200 })
    .execute();
  const orderLineId = newId();
  await db.insertInto("order_line").values({ id: orderLineId, order_id: orderId, component_id: fx.componentId, headcount, average_path_centre_minutes: 9000, average_path_company_minutes: 3000 }).execute();
  await db.insertInto("order_line_site").values({ order_line_id: orderLineId, site_id: fx.siteId }).execute();
  return orderLineId;
}

type Warning = { code: string; severity: string; message: string };

describe("CP-GROUP-MAX-20: everyone in the room counts", () => {
  let t: TestContext;

  before(async () => {
    t = await createTestContext("2026-03-01T09:00:00Z");
  });
  after(() => t?.close());

  const groupWarning = async (fx: OrderFixture, pathId: string) =>
    (await evaluateSavedPath(t.db, await actorOf(t.db, fx.adminEmail), pathId)).violations.find((v) => v.code === "CP-GROUP-MAX-20");

  test("CP-GROUP-MAX-20 before slots: paths of another order on the same component and site count — 20 pass, 21 warn; an abandoned draft does not count; a dropped validated path counts until its exit", async () => {
    const fx = await createOrderFixture(t.db, { headcount: 30 });
    const admin = await actorOf(t.db, fx.adminEmail);
    const otherLine = await sameGroupOrder(t.db, fx);
    const me = await register(t.db, admin, fx);
    for (let i = 0; i < 18; i++) await register(t.db, admin, fx);
    await register(t.db, admin, fx, { orderLineId: otherLine });
    assert.equal(await groupWarning(fx, me.pathId), undefined, "19 of this order + 1 of the other: 20");
    const late = await register(t.db, admin, fx, { orderLineId: otherLine });
    const w = await groupWarning(fx, me.pathId);
    assert.equal(w?.severity, "warning");
    assert.match(w!.message, /21 stagiaires de cette composante sur ce site \(toutes commandes, tous financeurs\)/);
    // The other order's trainee never entered: an abandoned draft leaves the room.
    await exitPath(t.db, admin, late.pathId, { status: "dropped", actualExitDate: "2026-03-02", reason: "N'a pas donné suite" });
    assert.equal(await groupWarning(fx, me.pathId), undefined);
    // A validated path of the other order, dropped on 31 March, is in the room until then.
    const entered = await validatedPath(t.db, fx, { orderLineId: otherLine, firstName: "Valentin", lastName: "Entré" });
    assert.equal((await groupWarning(fx, me.pathId))?.severity, "warning");
    await exitPath(t.db, admin, entered.pathId, { status: "dropped", actualExitDate: "2026-03-31", reason: "Emploi trouvé" });
    assert.match((await groupWarning(fx, me.pathId))!.message, /le 02\/03\/2026/);
    // Moved to start on 1 April, the first path shares its days with 19 + 1 (the dropped one left on 31 March): 20.
    const moved = async (entryDate: string) => (await checkPlan(t.db, admin, me.pathId, plan([], { entryDate }))).violations.find((v) => v.code === "CP-GROUP-MAX-20");
    assert.equal(await moved("2026-04-01"), undefined);
    assert.equal((await moved("2026-03-31"))?.severity, "warning");
  });

  test("CP-GROUP-MAX-20 before slots: trainees other funders pay for, recorded on the group (API), count on their days — 20 pass, 21 warn", async () => {
    const fx = await createOrderFixture(t.db, { headcount: 30 });
    const admin = await actorOf(t.db, fx.adminEmail);
    const token = await t.login(fx.adminEmail);
    const me = await register(t.db, admin, fx);
    for (let i = 0; i < 18; i++) await register(t.db, admin, fx);
    const record = (fullName: string, startDate: string, endDate: string) =>
      t.api("POST", "/api/other-funded-trainees", token, { componentId: fx.componentId, siteId: fx.siteId, fullName, funder: "OPCO Atlas", startDate, endDate });
    const first = await record("Olga Opco", "2026-03-02", "2026-06-30");
    assert.equal(first.status, 201, JSON.stringify(first.body));
    assert.equal(await groupWarning(fx, me.pathId), undefined, "19 paths + 1 other-funded: 20");
    assert.equal((await record("Hors période", "2026-07-01", "2026-07-31")).status, 201);
    assert.equal(await groupWarning(fx, me.pathId), undefined, "not there on the same days");
    assert.equal((await record("Paul Employeur", "2026-06-30", "2026-06-30")).status, 201);
    assert.match((await groupWarning(fx, me.pathId))!.message, /21 stagiaires .* le 30\/06\/2026/);
    const listed = await t.api("GET", "/api/other-funded-trainees", token);
    assert.deepEqual(listed.body.map((o: { fullName: string; funder: string }) => `${o.fullName} (${o.funder})`), ["Olga Opco (OPCO Atlas)", "Paul Employeur (OPCO Atlas)", "Hors période (OPCO Atlas)"]);
    // Another provider neither sees them nor records on this group.
    const other = await createOrderFixture(t.db);
    const otherToken = await t.login(other.adminEmail);
    assert.deepEqual((await t.api("GET", "/api/other-funded-trainees", otherToken)).body, []);
    const foreign = await t.api("POST", "/api/other-funded-trainees", otherToken, { componentId: fx.componentId, siteId: fx.siteId, fullName: "X", funder: "Y", startDate: "2026-03-02", endDate: "2026-03-02" });
    assert.equal(foreign.status, 422);
    // The page: the form refuses with its message next to the field and keeps what was typed; the list shows the group.
    const staff = await t.pageSession(fx.adminEmail);
    const form = { fullName: "Nadia Employeur", funder: "", componentId: fx.componentId, siteId: fx.siteId, startDate: "2026-03-02", endDate: "2026-03-20" };
    const missing = await staff.post("/planning/autres-financeurs", form);
    assert.equal(missing.status, 422);
    assert.match(missing.html, /Indiquez le financeur/);
    assert.match(missing.html, /value="Nadia Employeur"/);
    assert.equal((await staff.post("/planning/autres-financeurs", { ...form, funder: "Employeur" })).status, 303);
    const page = await staff.get("/planning/autres-financeurs");
    assert.match(page.html, /Nadia Employeur/);
    assert.match(page.html, /OPCO Atlas/);
    assert.match(page.html, /CP-GROUP-MAX-20/);
  });

  describe("once slots exist: distinct trainees in overlapping slots at the site", () => {
    let fx: OrderFixture;
    let admin: string;
    let mine: string[];
    let theirs: string[];
    let otherLine: string;

    before(async () => {
      fx = await createOrderFixture(t.db, { headcount: 30 });
      otherLine = await sameGroupOrder(t.db, fx);
      mine = [];
      for (let i = 0; i < 12; i++) mine.push((await validatedPath(t.db, fx, { firstName: `A${i}`, lastName: "Commande" })).pathId);
      theirs = [];
      for (let i = 0; i < 9; i++) theirs.push((await validatedPath(t.db, fx, { orderLineId: otherLine, firstName: `B${i}`, lastName: "Autre" })).pathId);
      admin = await t.login(fx.adminEmail);
    });

    const post = async (body: unknown) => {
      const r = await t.api("POST", "/api/slots", admin, body);
      assert.equal(r.status, 201, JSON.stringify(r.body));
      return r.body as { id: string; warnings: Warning[] };
    };
    const group = (w: Warning[]) => w.find((x) => x.code === "CP-GROUP-MAX-20");

    test("CP-GROUP-MAX-20 overlapping slots of two orders: 20 distinct trainees at once pass, 21 warn; touching slots do not overlap; a slot that does not overlap the busy hour is not counted", async () => {
      // 9:00–12:00 ten of this order; 10:00–13:00 nine of the other order.
      await post(centreSlot(fx, mine.slice(0, 10), "2026-03-09", "09:00", "12:00"));
      await post({ ...centreSlot(fx, theirs, "2026-03-09", "10:00", "13:00"), orderLineId: otherLine });
      const twentieth = await post(centreSlot(fx, [mine[10]], "2026-03-09", "11:00", "12:00"));
      assert.equal(group(twentieth.warnings), undefined, "10 + 9 + 1 = 20 at 11:00");
      const touching = await post(centreSlot(fx, [mine[11]], "2026-03-09", "12:00", "12:30"));
      assert.equal(group(touching.warnings), undefined, "from 12:00 only the other order's 9 are left");
      const day2 = "2026-03-10";
      await post(centreSlot(fx, mine.slice(0, 10), day2, "09:00", "12:00"));
      await post({ ...centreSlot(fx, theirs, day2, "10:00", "13:00"), orderLineId: otherLine });
      await post(centreSlot(fx, [mine[10]], day2, "11:00", "12:00"));
      const w = group((await post(centreSlot(fx, [mine[11]], day2, "11:30", "12:30"))).warnings);
      assert.equal(w?.severity, "warning");
      assert.match(w!.message, /Le 10\/03\/2026 à 11 h 30, 21 stagiaires distincts \(tous financeurs, toutes commandes\)/);
    });

    test("CP-GROUP-MAX-20 an other-funded trainee ticked on a slot counts: 20 pass, 21 warn; the slot page lists them; one outside their days is refused", async () => {
      const token = admin;
      const rec = async (fullName: string, startDate = "2026-03-02", endDate = "2026-06-30") =>
        (await t.api("POST", "/api/other-funded-trainees", token, { componentId: fx.componentId, siteId: fx.siteId, fullName, funder: "Employeur", startDate, endDate })).body.id as string;
      const olga = await rec("Olga Autrefinancée");
      const late = await rec("Léa Tardive", "2026-05-01");
      const day = "2026-03-11";
      await post(centreSlot(fx, mine.slice(0, 10), day, "09:00", "12:00"));
      await post({ ...centreSlot(fx, theirs, day, "09:00", "12:00"), orderLineId: otherLine });
      const twenty = await post(centreSlot(fx, [mine[10]], day, "10:00", "11:00"));
      assert.equal(group(twenty.warnings), undefined);
      // The same slot edited to bring Olga: 21 people at 10:00.
      const edit = { pathIds: [mine[10]], moduleId: fx.moduleIds["Anglais général"], siteId: fx.siteId, date: day, startTime: "10:00", endTime: "11:00", modality: "centre" };
      const withOlga = await t.api("PUT", `/api/slots/${twenty.id}`, token, { ...edit, otherFundedIds: [olga] });
      assert.equal(withOlga.status, 200, JSON.stringify(withOlga.body));
      assert.equal(group(withOlga.body.warnings)?.severity, "warning");
      const shown = (await t.api("GET", `/api/slots/${twenty.id}`, token)).body;
      assert.deepEqual(shown.otherFunded.map((o: { fullName: string }) => o.fullName), ["Olga Autrefinancée"]);
      // An edit that leaves the other-funded out keeps them.
      assert.equal((await t.api("PUT", `/api/slots/${twenty.id}`, token, { ...edit, endTime: "10:59" })).status, 200);
      assert.equal((await t.api("GET", `/api/slots/${twenty.id}`, token)).body.otherFunded.length, 1);
      const outside = await t.api("POST", "/api/slots", token, { ...centreSlot(fx, [mine[11]], day, "14:00", "15:00"), otherFundedIds: [late] });
      assert.equal(outside.status, 422);
      assert.equal(outside.body.code, "SLOT-TRAINEE");
      assert.match(outside.body.detail, /hors de la présence de Léa Tardive/);
      const page = await (await t.pageSession(fx.adminEmail)).get(`/planning/creneaux/${twenty.id}`);
      assert.match(page.html, /Olga Autrefinancée/);
      assert.match(page.html, /Employeur/);
      assert.match(page.html, /data-code="CP-GROUP-MAX-20"/, "the room's headcount is shown on the slot's page");
    });
  });
});
