// Lists that scale (ADR 0030): candidacies (/candidatures, /prescriptions, /api/candidacies) and
// continuation slips (/continuations, /api/continuation-slips) — search, sort, filters, keyset pages.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createTestContext, type TestContext } from "../../../test/support/app.ts";
import { createOrderFixture, type OrderFixture } from "../../../test/support/fixtures.ts";
import { walkApi } from "../../../test/support/listing.ts";
import { candidate, createPrescriber, createSessionRow, FT_TOULOUSE } from "./testing.ts";

const nextHref = (html: string) => /rel="next" href="([^"]+)"/.exec(html)?.[1]?.replace(/&amp;/g, "&");

describe("candidacy and slip lists: search, sort, filters, keyset pages", () => {
  let t: TestContext;
  let a: OrderFixture;
  let b: OrderFixture;
  let tok: { a: string; b: string; presc: string };
  const mine: string[] = [];
  const slips: string[] = [];
  let theirs = "";
  let theirSlip = "";
  before(async () => {
    t = await createTestContext("2026-03-02T09:00:00Z");
    a = await createOrderFixture(t.db);
    b = await createOrderFixture(t.db);
    const sessionA = await createSessionRow(t.db, a);
    const sessionB = await createSessionRow(t.db, b);
    const presc = await createPrescriber(t.db, FT_TOULOUSE);
    tok = { a: await t.login(a.adminEmail), b: await t.login(b.adminEmail), presc: await t.login(presc) };
    // The clock stands still: the five candidacies share their receipt instant (ties on the sort key).
    for (const lastName of ["Égal", "Égal", "Égal", "Aubert", "Roux"]) {
      const r = await t.api("POST", "/api/prescriptions", tok.presc, { sessionId: sessionA, ...candidate({ lastName, email: `${mine.length}@x.test` }) });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      mine.push(r.body.id);
    }
    theirs = (await t.api("POST", "/api/prescriptions", tok.presc, { sessionId: sessionB, ...candidate({ lastName: "Égal" }) })).body.id;
    for (const lastName of ["Navette", "Navette", "Navette", "Suite", "Suite"]) {
      const r = await t.api("POST", "/api/continuation-slips", tok.presc, { sessionId: sessionA, fromScheme: "prf_prequalifying", fromProviderName: "Organisme précédent", ...candidate({ lastName }) });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      slips.push(r.body.id);
    }
    theirSlip = (await t.api("POST", "/api/continuation-slips", tok.presc, { sessionId: sessionB, fromScheme: "prf_prequalifying", fromProviderName: "Ailleurs", ...candidate({ lastName: "Navette" }) })).body.id;
  });
  after(() => t.close());

  test("candidacies: page size 2 over ties, every row once; another provider's absent; search, status, sort; bad cursor 400", async () => {
    const walked = await walkApi(t, tok.a, "/api/candidacies?limit=2&q=%C3%A9gal");
    assert.equal(walked.pages, 2);
    assert.deepEqual(new Set(walked.ids), new Set(mine.slice(0, 3)));
    const all = await walkApi(t, tok.a, "/api/candidacies?limit=2&sort=name");
    assert.ok(!all.ids.includes(theirs) && !all.ids.includes(theirSlip));
    assert.deepEqual(all.rows.map((r) => r.last_name).slice(0, 4), ["Aubert", "Égal", "Égal", "Égal"]);
    assert.equal(all.ids.length, 10, "five prescriptions and five slips");
    assert.equal((await t.api("GET", "/api/candidacies?status=entered", tok.a)).body.items.length, 0);
    assert.equal((await t.api("GET", "/api/candidacies?status=received&q=roux", tok.a)).body.items.length, 1);
    const bad = await t.api("GET", "/api/candidacies?after=AAAA", tok.a);
    assert.equal(bad.status, 400);
    assert.equal(bad.body.code, "INVALID_CURSOR");
    assert.equal((await t.api("GET", "/api/candidacies?status=nope", tok.a)).status, 400);
    const presc = await walkApi(t, tok.presc, "/api/prescriptions?limit=3");
    assert.ok(presc.ids.includes(theirs), "the prescriber sees what it addressed to both providers");
  });

  test("candidacies page: criteria kept in the inputs and carried by « Page suivante »", async () => {
    const s = await t.pageSession(a.adminEmail);
    const p1 = await s.get("/candidatures?q=egal&status=received&limit=2");
    assert.equal(p1.status, 200);
    assert.match(p1.html, /name="q" type="search" maxlength="100" value="egal"/);
    assert.match(p1.html, /<option value="received" selected="">/);
    const href = nextHref(p1.html);
    assert.ok(href && /q=egal/.test(href) && /status=received/.test(href) && /after=/.test(href), href);
    const p2 = await s.get(href!);
    assert.equal((p2.html.match(/href="\/candidatures\/[0-9a-f-]{36}"/g) ?? []).length, 1);
    assert.doesNotMatch(p2.html, /rel="next"/);
    assert.doesNotMatch(p1.html + p2.html, new RegExp(theirs));
  });

  test("slips: keyset pages over ties, search, overdue filter, another provider's absent; page keeps the filter", async () => {
    const walked = await walkApi(t, tok.a, "/api/continuation-slips?limit=2", (r) => r.candidacy.id);
    assert.equal(walked.pages, 3);
    assert.deepEqual(new Set(walked.ids), new Set(slips));
    assert.ok(!walked.ids.includes(theirSlip));
    assert.equal((await t.api("GET", "/api/continuation-slips?q=suite", tok.a)).body.items.length, 2);
    assert.equal((await t.api("GET", "/api/continuation-slips?overdue=1", tok.a)).body.items.length, 0, "received today: not overdue");
    assert.equal((await t.api("GET", "/api/continuation-slips?after=%7B%7D", tok.a)).status, 400);
    const s = await t.pageSession(a.adminEmail);
    const p1 = await s.get("/continuations?q=navette&limit=2&direction=received");
    assert.match(p1.html, /<option value="received" selected="">Reçues/);
    const href = nextHref(p1.html);
    assert.ok(href && /q=navette/.test(href) && /direction=received/.test(href), href);
    const p2 = await s.get(href!);
    assert.equal((p2.html.match(/href="\/candidatures\/[0-9a-f-]{36}"/g) ?? []).length, 1);
  });
});
