import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createTestContext, type TestContext } from "../../../test/support/app.ts";
import { createOrderFixture, type OrderFixture } from "../../../test/support/fixtures.ts";
import { cookieSession, insertComponent, insertPath } from "./test-fixtures.ts";

describe("orders pages: forms without JS, live totals, details and consumption", () => {
  let t: TestContext;
  let a: OrderFixture;
  let b: OrderFixture;
  let region: Awaited<ReturnType<typeof cookieSession>>;
  let adminA: Awaited<ReturnType<typeof cookieSession>>;
  let adminB: Awaited<ReturnType<typeof cookieSession>>;
  let pathId: string;
  let caces: string;

  const p = () => `line_${a.componentId}`;
  const orderFields = (over: Record<string, string> = {}): [string, string][] => {
    const base: Record<string, string> = {
      number: "BC-2026-031-100",
      lotId: a.lotId,
      providerId: a.providerId,
      plannedStart: "2026-02-01",
      plannedEnd: "2026-12-31",
      headcount: "12",
      unitPrice: "12,50",
      coFunders: "Département du Tarn\nFrance Travail",
      [`${p()}_include`]: "1",
      [`${p()}_headcount`]: "12",
      [`${p()}_centre`]: "150 h 30",
      [`${p()}_company`]: "35",
      [`${p()}_sites`]: a.siteId,
      ...over,
    };
    return Object.entries(base);
  };

  before(async () => {
    t = await createTestContext();
    a = await createOrderFixture(t.db);
    b = await createOrderFixture(t.db, { lotId: a.lotId });
    caces = await insertComponent(t.db, { providerId: a.providerId, lotId: a.lotId, siteIds: [a.siteId] });
    pathId = await insertPath(t.db, { providerId: a.providerId, orderId: a.orderId, orderLineId: a.orderLineId, siteId: a.siteId }, "Dupont");
    region = await cookieSession(t, a.regionEmail);
    adminA = await cookieSession(t, a.adminEmail);
    adminB = await cookieSession(t, b.adminEmail);
  });
  after(() => t.close());

  test("CP-ORDER-FROM-OFFER: the new-order form lists the accepted offer with the average path taken from its modules", async () => {
    const choose = await region.get("/commandes/nouvelle");
    assert.equal(choose.status, 200);
    assert.match(await choose.text(), /Afficher l&#39;offre acceptée/);
    const res = await region.get(`/commandes/nouvelle?lot=${a.lotId}&organisme=${a.providerId}`);
    assert.equal(res.status, 200);
    const html = await res.text();
    // standardModules: 190 h outside company, none in company.
    assert.match(html, new RegExp(`name="${p()}_centre" type="text" value="190"`));
    assert.match(html, new RegExp(`name="${p()}_company" type="text" value="0"`));
    assert.match(html, new RegExp(`name="${p()}_sites" value="${a.siteId}" checked`), "a single site is pre-checked");
    assert.doesNotMatch(html, new RegExp(b.componentId), "another provider's component is not offered");
    assert.match(html, /hx-post="\/commandes\/calcul"/);
  });

  test("CP-ORDER-CONTENT: the region places an order through the form (303), price and hours typed in French", async () => {
    const res = await region.post("/commandes/nouvelle", orderFields());
    assert.equal(res.status, 303, await res.clone().text());
    const id = /\/commandes\/([0-9a-f-]{36})\?enregistre=1$/.exec(res.headers.get("location") ?? "")?.[1];
    assert.ok(id);
    const order = await t.db.selectFrom("order").selectAll().where("id", "=", id!).executeTakeFirstOrThrow();
    assert.equal(order.unit_price_cents, 1250);
    assert.deepEqual(order.co_funders, ["Département du Tarn", "France Travail"]);
    const line = await t.db.selectFrom("order_line").selectAll().where("order_id", "=", id!).executeTakeFirstOrThrow();
    assert.equal(line.average_path_centre_minutes, 150 * 60 + 30);
    assert.equal(line.average_path_company_minutes, 35 * 60);
    const page = await region.get(`/commandes/${id}?enregistre=1`);
    const html = await page.text();
    assert.match(html, /La commande a été enregistrée/);
    assert.match(html, /2226 h/, "12 × 185 h 30 = 2 226 h in total");
  });

  test("CP-NO-FSE: the form is re-rendered (422) with the typed values and the message next to the field", async () => {
    const res = await region.post("/commandes/nouvelle", orderFields({ number: "BC-2026-031-101", coFunders: "Département du Tarn\nFonds social européen" }));
    assert.equal(res.status, 422);
    const html = await res.text();
    assert.match(html, /id="f-coFunders-err"[^>]*>Le Fonds social européen ne peut pas cofinancer/);
    assert.match(html, /value="BC-2026-031-101"/);
    assert.match(html, /Département du Tarn\nFonds social européen<\/textarea>/);
    assert.equal(await t.db.selectFrom("order").select("id").where("number", "=", "BC-2026-031-101").executeTakeFirst(), undefined);
  });

  test("CP-COMPANY-MAX-70H and unreadable figures are shown next to the line's fields", async () => {
    const res = await region.post("/commandes/nouvelle", orderFields({ number: "BC-2026-031-102", [`${p()}_company`]: "70 h 01", unitPrice: "douze" }));
    assert.equal(res.status, 422);
    const html = await res.text();
    assert.match(html, /id="f-unitPrice-err"[^>]*>Prix horaire illisible/);
    const again = await region.post("/commandes/nouvelle", orderFields({ number: "BC-2026-031-102", [`${p()}_company`]: "70 h 01" }));
    const text = await again.text();
    assert.match(text, new RegExp(`id="f-${p()}_company-err"[^>]*>Ligne 1 : le parcours moyen compte 70 h 01 min en entreprise`));
  });

  test("live totals: htmx posts the form to /commandes/calcul; without JS 'Recalculer' re-renders the form", async () => {
    const fragment = await region.post("/commandes/calcul", orderFields(), { "hx-request": "true", "x-csrf-token": region.csrf });
    assert.equal(fragment.status, 200);
    const html = await fragment.text();
    assert.match(html, /^<h2>Heures commandées/);
    assert.match(html, /data-total="centre">1806 h</);
    assert.match(html, /data-total="company">420 h</);
    assert.match(html, /data-total="total">2226 h</);
    const noJs = await region.post("/commandes/nouvelle", [...orderFields({ number: "BC-2026-031-103" }), ["intent", "calcul"]]);
    assert.equal(noJs.status, 200);
    assert.match(await noJs.text(), /data-total="total">2226 h</);
    assert.equal(await t.db.selectFrom("order").select("id").where("number", "=", "BC-2026-031-103").executeTakeFirst(), undefined, "recalculating saves nothing");
  });

  test("order page: lines, consumption chart (role=img) and its table, path counts, findings linking to the path", async () => {
    const res = await adminA.get(`/commandes/${a.orderId}`);
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.match(html, /<caption>Lignes de la commande/);
    assert.match(html, /role="img" aria-label="Total de la commande : commandé 2000 h, prévu 0 h, réalisé 0 h, consommé 0 h \(0 % des heures commandées\)\."/);
    assert.match(html, /<caption>Heures commandées, prévues, réalisées et consommées par composante<\/caption>/);
    assert.match(html, /<caption>Parcours par statut<\/caption>/);
    assert.match(html, new RegExp(`href="/stagiaires/nouveau\\?commande=${a.orderId}"`));
    assert.doesNotMatch(html, /Modifier la commande/, "provider staff do not edit orders");
    const consumption = await t.api("GET", `/api/orders/${a.orderId}/consumption`, await t.login(a.adminEmail));
    assert.ok(consumption.body.findings.length > 0, "the draft path without positioning has findings");
    for (const f of consumption.body.findings) {
      assert.match(html, new RegExp(`href="/parcours/${f.pathId}">Léa Dupont|href="/parcours/${f.pathId}">[^<]*Dupont`));
      assert.match(html, new RegExp(f.violation.code));
    }
    assert.ok(consumption.body.findings.every((f: { pathId: string }) => f.pathId === pathId));
  });

  test("CP-LOTS: provider staff see only their own orders on /commandes; another provider's order page is a 404", async () => {
    const list = await (await adminA.get("/commandes")).text();
    const orderA = await t.db.selectFrom("order").select("number").where("id", "=", a.orderId).executeTakeFirstOrThrow();
    const orderB = await t.db.selectFrom("order").select("number").where("id", "=", b.orderId).executeTakeFirstOrThrow();
    assert.match(list, new RegExp(`>${orderA.number}<`));
    assert.doesNotMatch(list, new RegExp(`>${orderB.number}<`));
    assert.equal((await adminB.get(`/commandes/${a.orderId}`)).status, 404);
    assert.equal((await adminA.get("/commandes/nouvelle")).status, 403);
    const regionList = await (await region.get(`/commandes?providerId=${b.providerId}`)).text();
    assert.match(regionList, new RegExp(`>${orderB.number}<`));
    assert.doesNotMatch(regionList, new RegExp(`>${orderA.number}<`));
  });

  test("editing through the form: prefilled, saved (303); removing a line with paths is refused with a clear message", async () => {
    const form = await region.get(`/commandes/${a.orderId}/modifier`);
    assert.equal(form.status, 200);
    const html = await form.text();
    assert.match(html, /name="unitPrice" type="text" value="12,00"/);
    assert.match(html, new RegExp(`name="${p()}_centre" type="text" value="150"`));
    const fields = (over: Record<string, string>) =>
      orderFields({ [`${p()}_headcount`]: "10", [`${p()}_centre`]: "150", [`${p()}_company`]: "50", coFunders: "", ...over });
    const saved = await region.post(`/commandes/${a.orderId}/modifier`, fields({ unitPrice: "13,40" }));
    assert.equal(saved.status, 303);
    assert.equal((await t.db.selectFrom("order").select("unit_price_cents").where("id", "=", a.orderId).executeTakeFirstOrThrow()).unit_price_cents, 1340);
    const other = `line_${caces}`;
    const refused = await region.post(
      `/commandes/${a.orderId}/modifier`,
      fields({ [`${p()}_include`]: "", [`${other}_include`]: "1", [`${other}_headcount`]: "4", [`${other}_centre`]: "80", [`${other}_sites`]: a.siteId }),
    );
    assert.equal(refused.status, 422);
    const text = await refused.text();
    assert.match(text, /ne peut pas être retirée de la commande : 1 parcours y est inscrit/);
  });
});
