// Lists that scale (ADR 0030): /commandes and /api/orders with each order's consumption; the order
// page shows one keyset page of its paths, the CSV export all of them.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createTestContext, type TestContext } from "../../../test/support/app.ts";
import { createOrderFixture, type OrderFixture } from "../../../test/support/fixtures.ts";
import { walkApi } from "../../../test/support/listing.ts";
import { actorOf, register } from "../paths/testing.ts";

describe("orders list and order page: keyset pages", () => {
  let t: TestContext;
  let a: OrderFixture;
  let b: OrderFixture;
  const paths: string[] = [];
  before(async () => {
    t = await createTestContext("2026-03-02T09:00:00Z");
    a = await createOrderFixture(t.db);
    b = await createOrderFixture(t.db);
    const admin = await actorOf(t.db, a.adminEmail);
    for (const lastName of ["Égal", "Égal", "Égal", "Aubert", "Roux"]) paths.push((await register(t.db, admin, a, { lastName, firstName: "Zoé" })).pathId);
  });
  after(() => t.close());

  test("orders: each with its consumption; another provider's absent; sort, search, bad cursor 400", async () => {
    const mine = await walkApi(t, await t.login(a.adminEmail), "/api/orders?limit=1");
    assert.deepEqual(mine.ids, [a.orderId]);
    assert.equal(mine.rows[0].consumption.ordered, mine.rows[0].orderedMinutes);
    const region = await t.login(a.regionEmail);
    const all = await walkApi(t, region, "/api/orders?limit=1&sort=number");
    assert.ok(all.ids.includes(a.orderId) && all.ids.includes(b.orderId));
    const numbers = all.rows.map((r) => r.number);
    assert.deepEqual(numbers, [...numbers].sort());
    const num = all.rows.find((r) => r.id === b.orderId).number;
    assert.deepEqual((await t.api("GET", `/api/orders?q=${encodeURIComponent(num)}`, region)).body.items.map((r: { id: string }) => r.id), [b.orderId]);
    assert.equal((await t.api("GET", "/api/orders?after=bad", region)).status, 400);
    const s = await t.pageSession(a.regionEmail);
    const list = await s.get(`/commandes?q=${encodeURIComponent(num)}&status=issued`);
    assert.match(list.html, /<option value="issued" selected="">/);
    assert.match(list.html, new RegExp(`value="${num}"`));
    assert.match(list.html, /<th scope="col" class="num">Consommé<\/th>/);
  });

  test("an order with more paths than the page shows one page and a next link; the export holds all", async () => {
    const s = await t.pageSession(a.adminEmail);
    const p1 = await s.get(`/commandes/${a.orderId}?limit=2`);
    assert.equal(p1.status, 200);
    const listed = (html: string) => (html.split('id="parcours"')[1] ?? "").match(/href="\/parcours\/[0-9a-f-]{36}"/g) ?? [];
    assert.equal(listed(p1.html).length, 2);
    const href = /rel="next" href="([^"]+)"/.exec(p1.html)?.[1]?.replace(/&amp;/g, "&");
    assert.ok(href?.startsWith(`/commandes/${a.orderId}?`) && href?.endsWith("#parcours"), href);
    const p2 = await s.get(href!.replace(/#.*/, ""));
    assert.equal(listed(p2.html).length, 2);
    const csv = await t.app.request(`/commandes/${a.orderId}/parcours.csv`, { headers: { authorization: `Bearer ${await t.login(a.adminEmail)}` } });
    const text = new TextDecoder().decode(new Uint8Array(await csv.arrayBuffer()));
    for (const id of paths) assert.match(text, new RegExp(id));
  });
});
