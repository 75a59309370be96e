// Lists that scale (ADR 0030): /stagiaires and /api/paths — search, sort, filters kept in the URL, keyset pages.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createTestContext, type TestContext } from "../../../test/support/app.ts";
import { createOrderFixture, type OrderFixture } from "../../../test/support/fixtures.ts";
import { walkApi } from "../../../test/support/listing.ts";
import { actorOf, register } from "./testing.ts";
import { validatePath, savePlan, } from "./use-cases.ts";
import { mod, plan, position } from "./testing.ts";

describe("trainees and paths list: search, sort, filters, keyset pages", () => {
  let t: TestContext;
  let fx: OrderFixture;
  let other: OrderFixture;
  let token: string;
  const ids: string[] = [];
  let theirs = "";
  before(async () => {
    t = await createTestContext("2026-03-02T09:00:00Z");
    fx = await createOrderFixture(t.db);
    other = await createOrderFixture(t.db);
    const admin = await actorOf(t.db, fx.adminEmail);
    // Five paths, three with the very same name (ties on the sort key), entry dates tied two by two.
    const names = [["Égal", "Zoé"], ["Égal", "Zoé"], ["Égal", "Zoé"], ["Aubert", "Lina"], ["Roux", "Inès"]];
    for (const [i, [lastName, firstName]] of names.entries()) {
      const { pathId } = await register(t.db, admin, fx, { lastName, firstName, entryDate: i < 2 ? "2026-03-02" : "2026-03-09" });
      ids.push(pathId);
    }
    await position(t.db, admin, ids[4], 240);
    await savePlan(t.db, admin, ids[4], plan([mod(fx.moduleIds["Anglais général"], "centre", 600)], { entryDate: "2026-03-09" }));
    await validatePath(t.db, admin, ids[4]);
    theirs = (await register(t.db, await actorOf(t.db, other.adminEmail), other, { lastName: "Égal", firstName: "Zoé" })).pathId;
    token = await t.login(fx.adminEmail);
  });
  after(() => t.close());

  test("page size 2 over 5 rows with ties: every path once, in name order, another provider's absent", async () => {
    const { ids: seen, pages } = await walkApi(t, token, "/api/paths?limit=2");
    assert.equal(pages, 3);
    assert.deepEqual([...seen].sort(), [...ids].sort());
    assert.ok(!seen.includes(theirs));
    const byEntry = await walkApi(t, token, "/api/paths?limit=2&sort=entry_desc");
    assert.deepEqual(new Set(byEntry.ids.slice(0, 3)), new Set(ids.slice(2)), "entries of 9 March first");
    const region = await walkApi(t, await t.login(fx.regionEmail), "/api/paths?limit=2");
    assert.ok(region.ids.includes(theirs), "the Region sees every provider's paths");
  });

  test("search and status filter; name order; a bad cursor is a 400 problem", async () => {
    const found = await t.api("GET", "/api/paths?q=egal", token);
    assert.equal(found.body.items.length, 3);
    const all = await t.api("GET", "/api/paths", token);
    assert.deepEqual(all.body.items.map((r: { last_name: string }) => r.last_name), ["Aubert", "Égal", "Égal", "Égal", "Roux"]);
    const validated = await t.api("GET", "/api/paths?status=validated", token);
    assert.deepEqual(validated.body.items.map((r: { id: string }) => r.id), [ids[4]]);
    const bad = await t.api("GET", "/api/paths?after=nope", token);
    assert.equal(bad.status, 400);
    assert.equal(bad.body.code, "INVALID_CURSOR");
    const first = await t.api("GET", "/api/paths?limit=2", token);
    const wrongSort = await t.api("GET", `/api/paths?limit=2&sort=exit&after=${first.body.next}`, token);
    assert.equal(wrongSort.status, 400, "a cursor made for another sort");
    assert.equal((await t.api("GET", "/api/paths?sort=drop%20table", token)).status, 400);
    assert.equal((await t.api("GET", `/api/paths?q=${"x".repeat(101)}`, token)).status, 400);
  });

  test("the page keeps the criteria in the URL and in the inputs; « Page suivante » carries them", async () => {
    const s = await t.pageSession(fx.adminEmail);
    const page = await s.get("/stagiaires?q=egal&limit=2&sort=name");
    assert.equal(page.status, 200);
    const p2 = await s.get("/stagiaires?q=%C3%89gal&limit=2&sort=name");
    assert.match(p2.html, /name="q" type="search" maxlength="100" value="Égal"/);
    assert.match(p2.html, /<option value="name" selected="">/);
    const next = /href="([^"]+)"[^>]*>Page suivante/.exec(p2.html.replace(/rel="next" /, ""))?.[1] ?? /rel="next" href="([^"]+)"/.exec(p2.html)?.[1];
    assert.ok(next, "a next link");
    const href = next!.replace(/&amp;/g, "&");
    assert.match(href, /q=%C3%89gal/);
    assert.match(href, /after=/);
    const last = await s.get(href);
    assert.equal((last.html.match(/href="\/parcours\/[0-9a-f-]{36}"/g) ?? []).length, 1, "the third Égal on page 2");
    assert.doesNotMatch(last.html, /rel="next"/);
    const stale = await s.get("/stagiaires?after=abimé");
    assert.equal(stale.status, 200);
    assert.match(stale.html, /n&#39;est plus valide/);
    assert.doesNotMatch(page.html, new RegExp(theirs));
  });
});
