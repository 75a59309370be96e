// Lists that scale (ADR 0030): /sessions and /api/sessions — search, sort, filters kept in the URL, keyset pages.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createTestContext, type TestContext } from "../../../test/support/app.ts";
import { createOrderFixture, type OrderFixture } from "../../../test/support/fixtures.ts";
import { walkApi } from "../../../test/support/listing.ts";
import { createSessionRow } from "../recruitment/testing.ts";
import { newId } from "../../core/time.ts";

describe("sessions list: search, sort, filters, keyset pages", () => {
  let t: TestContext;
  let a: OrderFixture;
  let b: OrderFixture;
  let token: string;
  const mine: string[] = [];
  let theirs = "";
  before(async () => {
    t = await createTestContext("2026-03-02T09:00:00Z");
    a = await createOrderFixture(t.db);
    b = await createOrderFixture(t.db);
    // Five sessions, three starting the same day (ties on the sort key), one a draft.
    for (const [start, published] of [["2026-04-01", true], ["2026-04-01", true], ["2026-04-01", false], ["2026-05-04", true], ["2026-03-16", true]] as const) {
      mine.push(await createSessionRow(t.db, a, { start_date: start, published }));
    }
    theirs = await createSessionRow(t.db, b);
    token = await t.login(a.adminEmail);
  });
  after(() => t.close());

  test("page size 2 over 5 sessions with ties: each once, by start date; another provider's absent; filters; bad cursor 400", async () => {
    const walked = await walkApi(t, token, "/api/sessions?limit=2");
    assert.equal(walked.pages, 3);
    assert.deepEqual(new Set(walked.ids), new Set(mine));
    assert.ok(!walked.ids.includes(theirs));
    assert.deepEqual(walked.rows.map((r) => r.start_date), ["2026-03-16", "2026-04-01", "2026-04-01", "2026-04-01", "2026-05-04"]);
    const desc = await walkApi(t, token, "/api/sessions?limit=2&sort=start_desc");
    assert.equal(desc.ids[0], mine[3]);
    assert.deepEqual((await t.api("GET", "/api/sessions?published=no", token)).body.items.map((r: { id: string }) => r.id), [mine[2]]);
    assert.equal((await t.api("GET", `/api/sessions?q=${encodeURIComponent("BC-")}`, token)).body.items.length, 5);
    assert.equal((await t.api("GET", "/api/sessions?q=introuvable", token)).body.items.length, 0);
    const bad = await t.api("GET", "/api/sessions?after=xyz", token);
    assert.equal(bad.status, 400);
    assert.equal(bad.body.code, "INVALID_CURSOR");
    const region = await walkApi(t, await t.login(a.regionEmail), "/api/sessions?limit=4");
    assert.ok(region.ids.includes(theirs));
  });

  test("the page keeps its filters in the inputs and « Page suivante » carries them", async () => {
    const s = await t.pageSession(a.adminEmail);
    const p1 = await s.get("/sessions?published=yes&limit=2&sort=start");
    assert.equal(p1.status, 200);
    assert.match(p1.html, /<option value="yes" selected="">Publiées/);
    const href = /rel="next" href="([^"]+)"/.exec(p1.html)?.[1]?.replace(/&amp;/g, "&");
    assert.ok(href && /published=yes/.test(href) && /after=/.test(href), href);
    const p2 = await s.get(href!);
    assert.equal((p2.html.match(/href="\/sessions\/[0-9a-f-]{36}\/modifier"/g) ?? []).length, 2, "four published: the second page holds two");
    assert.doesNotMatch(p2.html, /rel="next"/);
    assert.doesNotMatch(p1.html + p2.html, new RegExp(theirs));
  });

  test("information meetings on /sessions: to come (soonest first) or past, 20 a page, « suivantes » keeps the sessions' criteria; another provider's absent", async () => {
    const day = (n: number) => new Date(Date.UTC(2026, 2, 2 + n)).toISOString().slice(0, 10);
    // 23 to come (from today, 2026-03-02), 2 past; one of another provider.
    const rows = [...Array.from({ length: 23 }, (_, i) => day(i)), day(-3), day(-10)].map((meeting_date) => ({
      id: newId(), provider_id: a.providerId, order_line_id: a.orderLineId, meeting_date, start_time: "09:30", end_time: "11:00", site_id: a.siteId, created_at: new Date("2026-03-01T09:00:00Z"),
    }));
    const theirMeeting = newId();
    await t.db.insertInto("info_meeting").values([...rows, { ...rows[0], id: theirMeeting, provider_id: b.providerId, order_line_id: b.orderLineId, site_id: b.siteId }]).execute();
    const s = await t.pageSession(a.adminEmail);
    const count = (html: string) => (html.match(/href="\/informations-collectives\/[0-9a-f-]{36}\/modifier"/g) ?? []).length;
    const p1 = await s.get("/sessions?published=yes");
    assert.equal(p1.status, 200);
    assert.equal(count(p1.html), 20, "the first 20 to come");
    assert.match(p1.html, /Informations collectives à venir \(20 sur cette page\)/);
    assert.ok(p1.html.indexOf(rows[0].id) < p1.html.indexOf(rows[1].id), "soonest first");
    const href = /href="([^"]*icAfter=[^"]+)"/.exec(p1.html)?.[1]?.replace(/&amp;/g, "&");
    assert.ok(href && /published=yes/.test(href), href);
    const p2 = await s.get(href!);
    assert.equal(count(p2.html), 3);
    assert.match(p2.html, /Premières informations collectives/);
    assert.match(p2.html, /<option value="yes" selected="">Publiées/, "the sessions' filter kept");
    const past = await s.get("/sessions?ic=past");
    assert.equal(count(past.html), 2);
    assert.ok(past.html.indexOf(rows[23].id) < past.html.indexOf(rows[24].id), "latest past first");
    assert.doesNotMatch(p1.html + p2.html + past.html, /Aucune information collective/);
    assert.doesNotMatch(p1.html + p2.html + past.html, new RegExp(theirMeeting));
    const stale = await s.get("/sessions?icAfter=abc");
    assert.equal(stale.status, 200);
    assert.match(stale.html, /retour à la première page/);
    assert.equal(count(stale.html), 20);
  });
});
