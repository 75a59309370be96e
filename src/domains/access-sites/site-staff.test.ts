// CP-EFORM-SITES: an access site's staff (role 'access_site_staff') — the Region opens their account
// for a site; they see that site's day (names included), point arrivals there, and nothing else: any
// other site, its day, its bookings and every other object answer as unknown (404).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { sql } from "kysely";
import { createTestContext, TEST_PASSWORD, type TestContext } from "../../../test/support/app.ts";
import { createOrderFixture, type OrderFixture } from "../../../test/support/fixtures.ts";
import { siteBody, slotFor, traineePath } from "./testing.ts";

describe("CP-EFORM-SITES: the access site's staff", () => {
  let t: TestContext;
  let fx: OrderFixture;
  let region: string;
  let admin: string;
  let siteId: string;
  let otherSiteId: string;
  let room: string;
  let otherRoom: string;

  before(async () => {
    t = await createTestContext("2026-03-06T08:00:00Z");
    fx = await createOrderFixture(t.db, { hybrid: "approved" });
    region = await t.login(fx.regionEmail);
    admin = await t.login(fx.adminEmail);
    const a = await t.api("POST", "/api/access-sites", region, siteBody("Site e-formation de Cahors", { "Salle Lot": 4 }));
    const b = await t.api("POST", "/api/access-sites", region, siteBody("Site e-formation de Figeac", { "Salle Célé": 4 }, { commune: "Figeac", inseeCode: "46102", postcode: "46100" }));
    assert.equal(b.status, 201, JSON.stringify(b.body));
    siteId = a.body.id;
    room = a.body.rooms[0].id;
    otherSiteId = b.body.id;
    otherRoom = b.body.rooms[0].id;
  });
  after(() => t?.close());

  test("CP-EFORM-SITES: the Region opens a site staff account from the site's page; nobody else can", async () => {
    const page = await t.pageSession(fx.regionEmail);
    const detail = await page.get(`/sites-acces/${siteId}`);
    assert.match(detail.html, /Comptes du personnel du site/);
    const short = await page.post(`/sites-acces/${siteId}/comptes`, { fullName: "Marc Accueil", email: "marc@cahors.example.fr", password: "court" });
    assert.equal(short.status, 422);
    const made = await page.post(`/sites-acces/${siteId}/comptes`, { fullName: "Marc Accueil", email: "marc@cahors.example.fr", password: TEST_PASSWORD });
    assert.equal(made.status, 303, made.html.slice(0, 300));
    const row = await t.db.selectFrom("app_user").select(["role", "access_site_id"]).where("email", "=", "marc@cahors.example.fr").executeTakeFirstOrThrow();
    assert.deepEqual(row, { role: "access_site_staff", access_site_id: siteId });
    assert.match((await page.get(`/sites-acces/${siteId}`)).html, /marc@cahors\.example\.fr/);
    const staffPage = await t.pageSession(fx.adminEmail);
    assert.equal((await staffPage.post(`/sites-acces/${siteId}/comptes`, { fullName: "X", email: "x@example.fr", password: TEST_PASSWORD })).status, 403);
  });

  test("CP-EFORM-SITES: the database refuses a site staff account without a site, and a site on another role", async () => {
    await assert.rejects(sql`insert into app_user (id, email, password_hash, full_name, role) values (gen_random_uuid(), 'sans-site@example.fr', 'x', 'Sans site', 'access_site_staff')`.execute(t.db));
    await assert.rejects(sql`insert into app_user (id, email, password_hash, full_name, role, access_site_id) values (gen_random_uuid(), 'region-site@example.fr', 'x', 'Région', 'region_officer', ${siteId})`.execute(t.db));
  });

  test("CP-EFORM-SITES: they see their site's day with names, point an arrival there; another site, its day and its bookings are unknown (404)", async () => {
    const p = await traineePath(t.db, fx, { lastName: "Arrivante" });
    const q = await traineePath(t.db, fx, { lastName: "Ailleurs" });
    const slot = await slotFor(t.db, fx, [p.pathId, q.pathId], "2026-03-09");
    const here = await t.api("POST", "/api/seat-bookings", admin, { pathId: p.pathId, roomId: room, slotIds: [slot] });
    const there = await t.api("POST", "/api/seat-bookings", admin, { pathId: q.pathId, roomId: otherRoom, slotIds: [slot] });
    assert.equal(here.status, 201, JSON.stringify(here.body));
    assert.equal(there.status, 201, JSON.stringify(there.body));
    t.clock.set("2026-03-09T08:05:00Z"); // Monday 09:05 in Paris

    const staff = await t.pageSession("marc@cahors.example.fr");
    const home = await staff.get("/");
    assert.match(home.html, new RegExp(`/sites-acces/${siteId}/jour\\?date=2026-03-09`));
    const day = await staff.get(`/sites-acces/${siteId}/jour?date=2026-03-09`);
    assert.equal(day.status, 200);
    assert.match(day.html, /ARRIVANTE/);
    assert.match(day.html, /PC restants/);
    const arrived = await staff.post(`/reservations-sites/${here.body.bookings[0].id}/arrivee`, { siteId, date: "2026-03-09" });
    assert.equal(arrived.status, 303, arrived.html.slice(0, 300));
    const status = await t.db.selectFrom("seat_booking").select("status").where("id", "=", here.body.bookings[0].id).executeTakeFirstOrThrow();
    assert.equal(status.status, "arrived");

    // Another site: its day, its page, its bookings, as unknown.
    assert.equal((await staff.get(`/sites-acces/${otherSiteId}/jour?date=2026-03-09`)).status, 404);
    assert.equal((await staff.get(`/sites-acces/${otherSiteId}`)).status, 404);
    assert.equal((await staff.post(`/reservations-sites/${there.body.bookings[0].id}/arrivee`, { siteId: otherSiteId, date: "2026-03-09" })).status, 404);
    assert.equal((await staff.post(`/sites-acces/${otherSiteId}`, { name: "x" })).status, 404);
    assert.equal((await staff.post(`/sites-acces/${otherSiteId}/comptes`, { fullName: "X", email: "x@example.fr", password: TEST_PASSWORD })).status, 404);
    const token = await t.login("marc@cahors.example.fr");
    assert.equal((await t.api("GET", `/api/access-sites/${otherSiteId}/day?date=2026-03-09`, token)).status, 404);
    assert.equal((await t.api("POST", `/api/seat-bookings/${there.body.bookings[0].id}/arrival`, token)).status, 404);
    // Every other object of the platform: a path, the trainee's booking page, the provider.
    assert.equal((await staff.get(`/parcours/${p.pathId}/site-acces`)).status, 404);
    assert.equal((await t.api("GET", `/api/paths/${p.pathId}/seat-bookings`, token)).status, 404);
    // (a role refused before any lookup answers the same for an unknown id: no existence leak)
    const provider = await staff.get(`/organismes/${fx.providerId}`);
    assert.ok([403, 404].includes(provider.status));
    assert.equal((await staff.get("/organismes/3f1d2c3b-0000-4000-8000-00000000dead")).status, provider.status);
    // The navigation: home and their site's day only.
    assert.doesNotMatch(day.html, /href="\/sites-acces"/);
  });
  test("CP-EFORM-SITES: every page of their menu, their home and account answer 200; « Sites d'accès » leads to their site; pages outside their remit are refused as to other roles, not in their menu", async () => {
    const staff = await t.pageSession("marc@cahors.example.fr");
    const home = await staff.get("/");
    const nav = /<nav aria-label="Navigation principale"[\s\S]*?<\/nav>/.exec(home.html)?.[0] ?? "";
    const menu = [...new Set([...nav.matchAll(/href="([^"]+)"/g)].map((m) => m[1].replace(/&amp;/g, "&")))];
    assert.deepEqual(menu, ["/", `/sites-acces/${siteId}/jour`]);
    const linked = [...home.html.matchAll(/<main[\s\S]*<\/main>/g)].flatMap((m) => [...m[0].matchAll(/href="(\/[^"]*)"/g)].map((x) => x[1].replace(/&amp;/g, "&")));
    for (const path of [...menu, ...linked, "/mon-compte", "/mes-donnees", `/sites-acces/${siteId}`]) {
      assert.equal((await staff.get(path)).status, 200, path);
    }
    const list = await staff.get("/sites-acces");
    assert.equal(list.status, 303);
    assert.equal(list.location, `/sites-acces/${siteId}`);
    // Outside their remit: the role refusal every other role gets (403, no id read), and never in their menu.
    for (const path of ["/commandes", "/stagiaires", "/eformation", "/documents", "/comptes"]) {
      const res = await staff.get(path);
      assert.equal(res.status, 403, path);
      assert.match(res.html, /Accès refusé/);
      assert.ok(!menu.includes(path), path);
    }
  });
});
