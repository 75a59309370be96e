import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createTestContext, type TestContext } from "../../../test/support/app.ts";
import { createOrderFixture, type OrderFixture } from "../../../test/support/fixtures.ts";
import { insertComponent, insertPath, insertSite } from "./test-fixtures.ts";

describe("orders API: placing, reading, editing, scoping, consumption", () => {
  let t: TestContext;
  let a: OrderFixture;
  let b: OrderFixture;
  let region: string;
  let adminA: string;
  let adminB: string;
  let albiA: string;
  let cacesA: string;
  let n = 0;

  const body = (over: Record<string, unknown> = {}) => ({
    number: `BC-2026-031-${String(++n).padStart(3, "0")}`,
    lotId: a.lotId,
    providerId: a.providerId,
    plannedStart: "2026-02-01",
    plannedEnd: "2026-12-31",
    headcount: 20,
    unitPriceCents: 1250,
    coFunders: ["Département du Tarn"],
    lines: [
      { componentId: a.componentId, siteIds: [a.siteId], headcount: 12, averagePathCentreMinutes: 9000, averagePathCompanyMinutes: 2100 },
      { componentId: cacesA, siteIds: [albiA], headcount: 8, averagePathCentreMinutes: 4830, averagePathCompanyMinutes: 0 },
    ],
    ...over,
  });
  const line = (over: Record<string, unknown>) => ({ componentId: a.componentId, siteIds: [a.siteId], headcount: 5, averagePathCentreMinutes: 6000, averagePathCompanyMinutes: 0, ...over });

  before(async () => {
    t = await createTestContext();
    a = await createOrderFixture(t.db);
    b = await createOrderFixture(t.db, { lotId: a.lotId });
    albiA = await insertSite(t.db, a.providerId, "81");
    cacesA = await insertComponent(t.db, { providerId: a.providerId, lotId: a.lotId, siteIds: [albiA] });
    region = await t.login(a.regionEmail);
    adminA = await t.login(a.adminEmail);
    adminB = await t.login(b.adminEmail);
  });
  after(() => t.close());

  test("CP-ORDER-CONTENT: the region places an order; ordered hours = Σ headcount × average path", async () => {
    const res = await t.api("POST", "/api/orders", region, body({ unitPriceCents: 1250 }));
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.providerId, a.providerId);
    assert.equal(res.body.unitPriceCents, 1250);
    assert.deepEqual(res.body.coFunders, ["Département du Tarn"]);
    assert.equal(res.body.lines.length, 2);
    const centre = 12 * 9000 + 8 * 4830;
    const company = 12 * 2100;
    assert.deepEqual(res.body.orderedMinutes, { centre, company, total: centre + company });
    const got = await t.api("GET", `/api/orders/${res.body.id}`, region);
    assert.equal(got.status, 200);
    assert.deepEqual(got.body, res.body);
    const audit = await t.db.selectFrom("audit_log").select("entity_id").where("action", "=", "order.create").execute();
    assert.ok(audit.some((a) => a.entity_id === res.body.id), "the creation is in the history with the order");
  });

  test("CP-NO-FSE: each spelling of the European Social Fund is refused with problem+json; the DB check holds too", async () => {
    for (const name of ["FSE", "FSE+", "Fonds social européen", "fonds social europeen", "f.s.e."]) {
      const res = await t.api("POST", "/api/orders", region, body({ coFunders: ["Département du Tarn", name] }));
      assert.equal(res.status, 422, name);
      assert.equal(res.body.code, "CP-NO-FSE");
      assert.match(res.headers.get("content-type") ?? "", /problem\+json/);
      assert.match(res.body.detail, /CCTP §II\.1/);
    }
    // No path around the use case: the database refuses any spelling as well.
    await assert.rejects(t.db.updateTable("order").set({ co_funders: ["Département du Tarn", "Fonds Social Européen +"] }).where("id", "=", a.orderId).execute());
    await assert.rejects(t.db.updateTable("order").set({ co_funders: ["fse"] }).where("id", "=", a.orderId).execute());
    await t.db.updateTable("order").set({ co_funders: ["Département du Tarn", "FSEA"] }).where("id", "=", a.orderId).execute();
  });

  test("CP-ORDER-FROM-OFFER: a non-accepted component, a site not of the component, another provider's component are refused", async () => {
    const draft = await insertComponent(t.db, { providerId: a.providerId, lotId: a.lotId, siteIds: [albiA], title: "Composante en brouillon", status: "draft" });
    const cases = [
      { lines: [line({ componentId: draft, siteIds: [albiA] })], field: "lines.0.componentId" },
      { lines: [line({ siteIds: [a.siteId, albiA] })], field: "lines.0.siteIds" },
      { lines: [line({}), line({ componentId: b.componentId, siteIds: [b.siteId] })], field: "lines.1.componentId" },
    ];
    for (const c of cases) {
      const res = await t.api("POST", "/api/orders", region, body({ lines: c.lines }));
      assert.equal(res.status, 422, c.field);
      assert.equal(res.body.code, "CP-ORDER-FROM-OFFER");
      assert.ok(res.body.violations.some((v: { field: string }) => v.field === c.field), JSON.stringify(res.body.violations));
    }
  });

  test("CP-SITE-IN-LOT: a line site outside the lot's départements is refused", async () => {
    const montpellier = await insertSite(t.db, a.providerId, "34", "Site de Montpellier");
    await t.db.insertInto("component_site").values({ component_id: cacesA, site_id: montpellier }).execute();
    const res = await t.api("POST", "/api/orders", region, body({ lines: [line({ componentId: cacesA, siteIds: [montpellier] })] }));
    assert.equal(res.status, 422);
    assert.equal(res.body.code, "CP-SITE-IN-LOT");
    assert.match(res.body.detail, /Montpellier/);
    await t.db.deleteFrom("component_site").where("site_id", "=", montpellier).execute();
  });

  test("CP-COMPANY-MAX-70H: an average of 70 h in company passes, 70 h 01 min fails", async () => {
    const ok = await t.api("POST", "/api/orders", region, body({ lines: [line({ averagePathCentreMinutes: 7800, averagePathCompanyMinutes: 4200 })] }));
    assert.equal(ok.status, 201, JSON.stringify(ok.body));
    const ko = await t.api("POST", "/api/orders", region, body({ lines: [line({ averagePathCentreMinutes: 6000, averagePathCompanyMinutes: 4201 })] }));
    assert.equal(ko.status, 422);
    assert.equal(ko.body.code, "CP-COMPANY-MAX-70H");
  });

  test("CP-PATH-MAX-200H: an average path of 200 h passes, 200 h 01 min fails", async () => {
    const ko = await t.api("POST", "/api/orders", region, body({ lines: [line({ averagePathCentreMinutes: 7801, averagePathCompanyMinutes: 4200 })] }));
    assert.equal(ko.status, 422);
    assert.equal(ko.body.code, "CP-PATH-MAX-200H");
  });

  test("the order number is unique (409), a component appears once, input errors are 400 problem+json", async () => {
    const first = body();
    assert.equal((await t.api("POST", "/api/orders", region, first)).status, 201);
    const again = await t.api("POST", "/api/orders", region, { ...body(), number: first.number });
    assert.equal(again.status, 409);
    assert.equal(again.body.code, "ORDER_NUMBER_TAKEN");
    const twice = await t.api("POST", "/api/orders", region, body({ lines: [line({}), line({})] }));
    assert.equal(twice.status, 422);
    assert.equal(twice.body.violations[0].field, "lines.1.componentId");
    const bad = await t.api("POST", "/api/orders", region, body({ plannedEnd: "2026-01-01", lines: [] }));
    assert.equal(bad.status, 400);
    assert.equal(bad.body.code, "VALIDATION");
  });

  test("only region officers write orders: provider staff get 403 on POST and PATCH", async () => {
    assert.equal((await t.api("POST", "/api/orders", adminA, body())).status, 403);
    assert.equal((await t.api("PATCH", `/api/orders/${a.orderId}`, adminA, { headcount: 3 })).status, 403);
  });

  test("CP-LOTS: provider staff list only their own orders; the region filters by lot and provider", async () => {
    const listA = await t.api("GET", "/api/orders", adminA);
    assert.equal(listA.status, 200);
    assert.ok(listA.body.items.length >= 1);
    assert.ok(listA.body.items.every((o: { providerId: string }) => o.providerId === a.providerId));
    // Asking for another provider's orders changes nothing: the scope is the caller's organisation.
    const sneaky = await t.api("GET", `/api/orders?providerId=${b.providerId}`, adminA);
    assert.ok(sneaky.body.items.every((o: { providerId: string }) => o.providerId === a.providerId));
    const listB = await t.api("GET", "/api/orders", adminB);
    assert.deepEqual(
      listB.body.items.map((o: { id: string }) => o.id),
      [b.orderId],
    );
    const all = await t.api("GET", `/api/orders?lotId=${a.lotId}`, region);
    assert.ok(all.body.items.some((o: { id: string }) => o.id === b.orderId) && all.body.items.some((o: { id: string }) => o.id === a.orderId));
    const onlyB = await t.api("GET", `/api/orders?providerId=${b.providerId}`, region);
    assert.deepEqual(
      onlyB.body.items.map((o: { id: string }) => o.id),
      [b.orderId],
    );
    assert.equal(onlyB.body.items[0].orderedMinutes, 10 * (9000 + 3000));
  });

  test("another provider gets 404 on the order and its consumption (API and page)", async () => {
    assert.equal((await t.api("GET", `/api/orders/${a.orderId}`, adminB)).status, 404);
    const consumption = await t.api("GET", `/api/orders/${a.orderId}/consumption`, adminB);
    assert.equal(consumption.status, 404);
    assert.equal(consumption.body.code, "NOT_FOUND");
    const page = await t.app.request(`/commandes/${a.orderId}`, { headers: { authorization: `Bearer ${adminB}` } });
    assert.equal(page.status, 404);
    assert.equal((await t.api("GET", `/api/orders/${a.orderId}`, adminA)).status, 200);
  });

  test("CP-ORDER-FUNGIBLE, CP-KPI-ORGANISATION: the consumption endpoint (hours ordered / planned / realised) returns ordered totals = Σ headcount × average, paths by status", async () => {
    const created = await t.api("POST", "/api/orders", region, body());
    const id = created.body.id;
    const lineA = created.body.lines.find((l: { componentId: string }) => l.componentId === a.componentId);
    await insertPath(t.db, { providerId: a.providerId, orderId: id, orderLineId: lineA.id, siteId: a.siteId });
    const res = await t.api("GET", `/api/orders/${id}/consumption`, adminA);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const centre = 12 * 9000 + 8 * 4830;
    assert.deepEqual(res.body.ordered, { centre, company: 12 * 2100, total: centre + 12 * 2100 });
    const byLine = new Map(res.body.lines.map((l: { orderLineId: string; ordered: unknown; paths: unknown }) => [l.orderLineId, l]));
    assert.deepEqual((byLine.get(lineA.id) as { ordered: unknown }).ordered, { centre: 12 * 9000, company: 12 * 2100, total: 12 * 11100 });
    assert.deepEqual((byLine.get(lineA.id) as { paths: unknown }).paths, { draft: 1, validated: 0, closed: 0, dropped: 0 });
    assert.equal(res.body.realised.total, 0);
  });

  test("editing: dates, headcount, price, co-funders; adding and removing lines without paths", async () => {
    const created = (await t.api("POST", "/api/orders", region, body({ lines: [line({})] }))).body;
    const res = await t.api("PATCH", `/api/orders/${created.id}`, region, {
      plannedEnd: "2027-06-30",
      headcount: 25,
      unitPriceCents: 1300,
      coFunders: [],
      lines: [line({ headcount: 6 }), line({ componentId: cacesA, siteIds: [albiA], headcount: 4, averagePathCentreMinutes: 3000 })],
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.plannedEnd, "2027-06-30");
    assert.equal(res.body.plannedStart, "2026-02-01");
    assert.equal(res.body.unitPriceCents, 1300);
    assert.deepEqual(res.body.coFunders, []);
    assert.equal(res.body.orderedMinutes.total, 6 * 6000 + 4 * 3000);
    const kept = res.body.lines.find((l: { componentId: string }) => l.componentId === a.componentId);
    assert.equal(kept.id, created.lines[0].id, "a line is matched by its component: same id");
    const removed = await t.api("PATCH", `/api/orders/${created.id}`, region, { lines: [line({ componentId: cacesA, siteIds: [albiA] })] });
    assert.equal(removed.status, 200);
    assert.equal(removed.body.lines.length, 1);
    const fse = await t.api("PATCH", `/api/orders/${created.id}`, region, { coFunders: ["FSE+"] });
    assert.equal(fse.body.code, "CP-NO-FSE");
    const dates = await t.api("PATCH", `/api/orders/${created.id}`, region, { plannedStart: "2028-01-01" });
    assert.equal(dates.status, 422);
    assert.equal(dates.body.violations[0].field, "plannedEnd");
  });

  test("editing: a line with paths can be neither removed nor lose a site; adding a site is fine", async () => {
    const created = (await t.api("POST", "/api/orders", region, body())).body;
    const lineA = created.lines.find((l: { componentId: string }) => l.componentId === a.componentId);
    await insertPath(t.db, { providerId: a.providerId, orderId: created.id, orderLineId: lineA.id, siteId: a.siteId }, "Garcia");
    const caces = line({ componentId: cacesA, siteIds: [albiA] });
    const removed = await t.api("PATCH", `/api/orders/${created.id}`, region, { lines: [caces] });
    assert.equal(removed.status, 422);
    assert.equal(removed.body.code, "ORDER_LINE_HAS_PATHS");
    assert.match(removed.body.detail, /ne peut pas être retirée de la commande : 1 parcours y est inscrit/);
    assert.equal((await t.api("GET", `/api/orders/${created.id}`, region)).body.lines.length, 2, "nothing was written");
    // The component also runs at Albi now: adding that site is allowed, removing Toulouse is not.
    await t.db.insertInto("component_site").values({ component_id: a.componentId, site_id: albiA }).execute();
    const added = await t.api("PATCH", `/api/orders/${created.id}`, region, { lines: [line({ siteIds: [a.siteId, albiA], headcount: 12 }), caces] });
    assert.equal(added.status, 200, JSON.stringify(added.body));
    const lost = await t.api("PATCH", `/api/orders/${created.id}`, region, { lines: [line({ siteIds: [albiA], headcount: 12 }), caces] });
    assert.equal(lost.status, 422);
    assert.equal(lost.body.code, "ORDER_LINE_HAS_PATHS");
    await t.db.deleteFrom("component_site").where("component_id", "=", a.componentId).where("site_id", "=", albiA).execute();
  });

  test("the order API is described in the OpenAPI document", async () => {
    const doc = await t.api("GET", "/api/openapi.json");
    for (const p of ["/api/orders", "/api/orders/{id}", "/api/orders/{id}/consumption"]) assert.ok(doc.body.paths[p], p);
    assert.ok(doc.body.paths["/api/orders/{id}"].patch);
    assert.deepEqual(doc.body.paths["/api/orders"].post.security, [{ bearer: [] }]);
  });
});
