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

describe("GET /api/info-meetings: keyset pages, backward compatible (ADR 0030, 0045)", () => {
  let t: TestContext;
  let a: OrderFixture;
  let b: OrderFixture;
  let token: string;
  const mine: { id: string; meeting_date: string; start_time: string; published: boolean }[] = [];
  let theirs = "";
  before(async () => {
    t = await createTestContext("2026-03-02T09:00:00Z");
    a = await createOrderFixture(t.db);
    b = await createOrderFixture(t.db);
    // Four of A's, two at the same date and time (a tie on the sort key), one a draft, one past; one of B's.
    for (const [meeting_date, start_time, published] of [["2026-03-20", "09:30", true], ["2026-03-10", "14:00", true], ["2026-03-10", "14:00", false], ["2026-02-20", "09:30", true]] as const) {
      mine.push({ id: newId(), meeting_date, start_time, published });
    }
    const row = (m: (typeof mine)[number], fx: OrderFixture) => ({
      id: m.id, provider_id: fx.providerId, order_line_id: fx.orderLineId, meeting_date: m.meeting_date, start_time: m.start_time, end_time: "16:00", site_id: fx.siteId,
      published_at: m.published ? new Date("2026-02-01T09:00:00Z") : null, created_at: new Date("2026-02-01T09:00:00Z"),
    });
    theirs = newId();
    await t.db.insertInto("info_meeting").values([...mine.map((m) => row(m, a)), row({ id: theirs, meeting_date: "2026-03-10", start_time: "14:00", published: true }, b)]).execute();
    token = await t.login(a.adminEmail);
  });
  after(() => t.close());

  const byDate = () => [...mine].sort((x, y) => `${x.meeting_date} ${x.start_time}`.localeCompare(`${y.meeting_date} ${y.start_time}`) || x.id.localeCompare(y.id)).map((m) => m.id);

  test("without any list parameter: the former bare array, every meeting of the provider by date", async () => {
    const res = await t.api("GET", "/api/info-meetings", token);
    assert.equal(res.status, 200);
    assert.ok(Array.isArray(res.body));
    assert.deepEqual(res.body.map((m: { id: string }) => m.id), byDate());
  });

  test("at the page boundary: 4 meetings in pages of 2 (last page full, next null), of 4 (one page), of 3 (3 + 1); ties once; another provider's absent", async () => {
    const two = await walkApi(t, token, "/api/info-meetings?limit=2");
    assert.equal(two.pages, 2, "two full pages, no empty third");
    assert.deepEqual(two.ids, byDate());
    const four = await t.api("GET", "/api/info-meetings?limit=4", token);
    assert.equal(four.body.items.length, 4);
    assert.equal(four.body.next, null, "exactly one page: no cursor");
    const three = await walkApi(t, token, "/api/info-meetings?limit=3");
    assert.equal(three.pages, 2);
    assert.deepEqual(three.ids, byDate());
    assert.ok(!two.ids.includes(theirs));
    const desc = await walkApi(t, token, "/api/info-meetings?limit=2&sort=date_desc");
    assert.deepEqual(desc.ids, byDate().reverse());
  });

  test("filters, search, scope; a bad or another sort's cursor is 400 INVALID_CURSOR; a bad date 400", async () => {
    const ids = async (query: string, tk = token) => (await t.api("GET", `/api/info-meetings?${query}`, tk)).body.items.map((m: { id: string }) => m.id);
    assert.deepEqual(await ids("published=no"), [mine[2].id]);
    assert.deepEqual(new Set(await ids("from=2026-03-02")), new Set([mine[0].id, mine[1].id, mine[2].id]));
    assert.equal((await ids(`orderId=${b.orderId}`)).length, 0, "another provider's order: nothing");
    assert.equal((await ids("q=introuvable")).length, 0);
    assert.ok((await ids("limit=100", await t.login(a.regionEmail))).includes(theirs), "the Region sees every provider's");
    const first = await t.api("GET", "/api/info-meetings?limit=2", token);
    const other = await t.api("GET", `/api/info-meetings?sort=date_desc&after=${encodeURIComponent(first.body.next)}`, token);
    assert.equal(other.status, 400);
    assert.equal(other.body.code, "INVALID_CURSOR");
    assert.equal((await t.api("GET", "/api/info-meetings?after=xyz", token)).body.code, "INVALID_CURSOR");
    assert.equal((await t.api("GET", "/api/info-meetings?from=2026-02-30", token)).status, 400);
  });
});
