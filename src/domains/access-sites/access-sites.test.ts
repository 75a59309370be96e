// CP-EFORM-SITES at its boundaries, through the JSON API on a migrated database: the Region's access
// sites; a PC never double-booked (the fifth booking in a 4-PC room is refused), a trainee never in
// two places at once (also when a row is written around the use cases: the database refuses it);
// moving a trainee home; a no-show freeing the rest of the day; the site's day.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createTestContext, type TestContext } from "../../../test/support/app.ts";
import { createOrderFixture, type OrderFixture } from "../../../test/support/fixtures.ts";
import { newId } from "../../core/time.ts";
import { siteBody, slotFor, traineePath } from "./testing.ts";

describe("CP-EFORM-SITES: access sites and their seats", () => {
  let t: TestContext;
  let fx: OrderFixture;
  let region: string;
  let admin: string;
  let otherAdmin: string;
  let siteId: string;
  let room4: string;
  let room2: string;

  before(async () => {
    t = await createTestContext("2026-03-06T08:00:00Z"); // Friday 6 March, 09:00 in Paris
    fx = await createOrderFixture(t.db, { hybrid: "approved" });
    const other = await createOrderFixture(t.db);
    region = await t.login(fx.regionEmail);
    admin = await t.login(fx.adminEmail);
    otherAdmin = await t.login(other.adminEmail);
    const created = await t.api("POST", "/api/access-sites", region, siteBody("Site e-formation de Cahors", { "Salle Lot": 4, "Salle Célé": 2 }));
    assert.equal(created.status, 201, JSON.stringify(created.body));
    siteId = created.body.id;
    room4 = created.body.rooms.find((r: { name: string }) => r.name === "Salle Lot").id;
    room2 = created.body.rooms.find((r: { name: string }) => r.name === "Salle Célé").id;
  });
  after(() => t?.close());

  const book = (pathId: string, roomId: string, slotIds: string[], token = admin) => t.api("POST", "/api/seat-bookings", token, { pathId, roomId, slotIds });

  test("CP-EFORM-SITES: the Region keeps the sites (rooms with PCs, INSEE code, hours, contact); providers read them, never write", async () => {
    const list = await t.api("GET", "/api/access-sites", admin);
    assert.equal(list.status, 200);
    const mine = list.body.find((s: { id: string }) => s.id === siteId);
    assert.deepEqual([mine.inseeCode, mine.departementCode, mine.rooms, mine.pcs], ["46042", "46", 2, 6]);
    assert.equal((await t.api("POST", "/api/access-sites", admin, siteBody("Site pirate", { A: 3 }))).status, 403);
    const badInsee = await t.api("POST", "/api/access-sites", region, siteBody("Site de Figeac", { A: 3 }, { inseeCode: "31555" }));
    assert.equal(badInsee.status, 422);
    assert.match(badInsee.body.detail, /INSEE 31555/);
    const tooLong = await t.api("POST", "/api/access-sites", region, siteBody("x".repeat(201), { A: 3 }));
    assert.equal(tooLong.status, 400);
    assert.equal((await t.api("POST", "/api/access-sites", region, siteBody("Site de Figeac", { A: 0 }))).status, 400);
    // Edit: a room added, the 2-PC room to 3 PCs and back.
    const edited = await t.api("PUT", `/api/access-sites/${siteId}`, region, siteBody("Site e-formation de Cahors", { "Salle Lot": 4, "Salle Célé": 3 }));
    assert.equal(edited.status, 200);
    assert.equal(edited.body.rooms.find((r: { id: string }) => r.id === room2).pcs, 3);
    assert.equal((await t.api("PUT", `/api/access-sites/${siteId}`, region, siteBody("Site e-formation de Cahors", { "Salle Lot": 4, "Salle Célé": 2 }))).status, 200);
  });

  test("CP-EFORM-SITES: four bookings in a 4-PC room pass, the fifth is refused (409); another room still has PCs", async () => {
    const paths = [];
    for (let i = 0; i < 5; i++) paths.push(await traineePath(t.db, fx));
    const slot = await slotFor(t.db, fx, paths.map((p) => p.pathId), "2026-03-09");
    const seats = [];
    for (const p of paths.slice(0, 4)) {
      const r = await book(p.pathId, room4, [slot]);
      assert.equal(r.status, 201, JSON.stringify(r.body));
      seats.push(r.body.bookings[0].seatNo);
    }
    assert.deepEqual(seats, [1, 2, 3, 4]);
    const fifth = await book(paths[4].pathId, room4, [slot]);
    assert.equal(fifth.status, 409);
    assert.equal(fifth.body.code, "CP-EFORM-SITES");
    assert.match(fifth.body.detail, /complète/);
    assert.equal((await book(paths[4].pathId, room2, [slot])).status, 201);
  });

  test("CP-EFORM-SITES: the same trainee on two overlapping slots is refused (409); back-to-back slots are not an overlap", async () => {
    const p = await traineePath(t.db, fx);
    const morning = await slotFor(t.db, fx, [p.pathId], "2026-03-10", "09:00", "12:30");
    const overlapping = await slotFor(t.db, fx, [p.pathId], "2026-03-10", "12:00", "14:00");
    const afterwards = await slotFor(t.db, fx, [p.pathId], "2026-03-10", "12:30", "16:00");
    assert.equal((await book(p.pathId, room4, [morning])).status, 201);
    const twice = await book(p.pathId, room2, [overlapping]);
    assert.equal(twice.status, 409);
    assert.equal(twice.body.code, "CP-EFORM-SITES");
    assert.match(twice.body.detail, /deux endroits/);
    assert.equal((await book(p.pathId, room2, [afterwards])).status, 201);
  });

  test("CP-EFORM-SITES: the database itself refuses a double booking written around the use cases (exclusion constraints, 23P01)", async () => {
    const [a, b] = [await traineePath(t.db, fx), await traineePath(t.db, fx)];
    const slot = await slotFor(t.db, fx, [a.pathId, b.pathId], "2026-03-11");
    assert.equal((await book(a.pathId, room2, [slot])).status, 201);
    const taken = await t.db.selectFrom("seat_booking").selectAll().where("slot_id", "=", slot).executeTakeFirstOrThrow();
    const raw = (over: Record<string, unknown>) => t.db.insertInto("seat_booking").values({ ...taken, id: newId(), status: "booked", ...over }).execute();
    await assert.rejects(raw({ trainee_id: b.traineeId, path_id: b.pathId }), (e: { code?: string; constraint?: string }) => e.code === "23P01" && e.constraint === "seat_booking_seat_free");
    await assert.rejects(raw({ seat_no: 2 }), (e: { code?: string; constraint?: string }) => e.code === "23P01" && e.constraint === "seat_booking_trainee_once");
    // A third PC of a 2-PC room does not exist: the seat's foreign key refuses it.
    await assert.rejects(raw({ trainee_id: b.traineeId, path_id: b.pathId, seat_no: 3 }), (e: { code?: string }) => e.code === "23503");
  });

  test("CP-EFORM-SITES: refused when the positioning did not recommend a site, for a centre slot, a begun slot, another provider's path", async () => {
    const no = await traineePath(t.db, fx, { recommends: false });
    const slot = await slotFor(t.db, fx, [no.pathId], "2026-03-12");
    const r = await book(no.pathId, room4, [slot]);
    assert.equal(r.status, 422);
    assert.equal(r.body.code, "CP-EFORM-SITES");
    assert.match(r.body.detail, /positionnement/);
    const yes = await traineePath(t.db, fx);
    const centre = await slotFor(t.db, fx, [yes.pathId], "2026-03-12", "14:00", "17:00", "centre");
    assert.equal((await book(yes.pathId, room4, [centre])).status, 422);
    const begun = await slotFor(t.db, fx, [yes.pathId], "2026-03-06", "08:30", "12:00");
    const late = await book(yes.pathId, room4, [begun]);
    assert.equal(late.status, 422);
    assert.match(late.body.detail, /a commencé/);
    const notMine = await book(yes.pathId, room4, [slot], otherAdmin);
    assert.equal(notMine.status, 404);
    assert.equal((await book(newId(), room4, [slot], otherAdmin)).body.detail, notMine.body.detail);
  });

  test("CP-EFORM-SITES: a week of slots booked at once (all or none), then the trainee moved home from Wednesday: later bookings cancelled", async () => {
    const p = await traineePath(t.db, fx);
    const week = [];
    for (const d of ["2026-03-16", "2026-03-17", "2026-03-18", "2026-03-19", "2026-03-20"]) week.push(await slotFor(t.db, fx, [p.pathId], d, "13:30", "16:30"));
    const booked = await book(p.pathId, room4, week);
    assert.equal(booked.status, 201);
    assert.equal(booked.body.bookings.length, 5);
    assert.equal((await t.api("POST", `/api/paths/${p.pathId}/seat-bookings/home`, admin, { from: "2026-03-05" })).status, 422);
    const home = await t.api("POST", `/api/paths/${p.pathId}/seat-bookings/home`, admin, { from: "2026-03-18" });
    assert.equal(home.status, 200);
    assert.equal(home.body.cancelled, 3);
    const seats = await t.api("GET", `/api/paths/${p.pathId}/seat-bookings`, admin);
    assert.deepEqual(
      seats.body.slots.filter((s: { date: string }) => s.date >= "2026-03-16").map((s: { booking: unknown }) => (s.booking ? "site" : "home")),
      ["site", "site", "home", "home", "home"],
    );
  });

  test("CP-EFORM-SITES: a no-show (from the slot's start, on its day) frees the trainee's seats for the rest of the day; arrival pointed", async () => {
    t.clock.set("2026-03-23T07:00:00Z"); // Monday 23 March, 08:00 in Paris
    // Sessions last a week here: sign in again after the jump.
    region = await t.login(fx.regionEmail);
    admin = await t.login(fx.adminEmail);
    otherAdmin = await t.login((await t.db.selectFrom("app_user").select("email").where("role", "=", "provider_admin").where("provider_id", "!=", fx.providerId).executeTakeFirstOrThrow()).email);
    const paths = [];
    for (let i = 0; i < 3; i++) paths.push(await traineePath(t.db, fx));
    const [absent, present, waiting] = paths;
    const morning = await slotFor(t.db, fx, [absent.pathId, present.pathId], "2026-03-23", "09:00", "12:00");
    const afternoon = await slotFor(t.db, fx, paths.map((p) => p.pathId), "2026-03-23", "13:30", "16:30");
    const a = await book(absent.pathId, room2, [morning, afternoon]);
    const b = await book(present.pathId, room2, [morning, afternoon]);
    assert.equal((await book(waiting.pathId, room2, [afternoon])).status, 409);
    const [absentMorning] = a.body.bookings;
    const early = await t.api("POST", `/api/seat-bookings/${absentMorning.id}/no-show`, region);
    assert.equal(early.status, 409, "before the slot's start");
    t.clock.set("2026-03-23T08:00:00Z"); // 09:00 in Paris: the slot begins
    const noShow = await t.api("POST", `/api/seat-bookings/${absentMorning.id}/no-show`, region);
    assert.equal(noShow.status, 200, JSON.stringify(noShow.body));
    assert.equal(noShow.body.released.length, 1);
    assert.equal((await t.api("POST", `/api/seat-bookings/${b.body.bookings[0].id}/arrival`, admin)).status, 200);
    assert.equal((await book(waiting.pathId, room2, [afternoon])).status, 201, "the afternoon PC is free again");
    const day = await t.api("GET", `/api/access-sites/${siteId}/day?date=2026-03-23`, region);
    const salle = day.body.rooms.find((r: { id: string }) => r.id === room2);
    assert.deepEqual(
      salle.windows.map((w: { startTime: string; pcsLeft: number }) => `${w.startTime} ${w.pcsLeft}`),
      ["09:00 1", "13:30 0"],
    );
    assert.deepEqual(salle.bookings.map((x: { status: string }) => x.status).sort(), ["arrived", "booked", "booked", "no_show"]);
    // Another provider sees the seats counted, never the names.
    const seen = await t.api("GET", `/api/access-sites/${siteId}/day?date=2026-03-23`, otherAdmin);
    assert.ok(seen.body.rooms.flatMap((r: { bookings: { trainee: string; id: string | null }[] }) => r.bookings).every((x: { id: string | null }) => x.id === null));
    assert.equal((await t.api("POST", `/api/seat-bookings/${absentMorning.id}/arrival`, otherAdmin)).status, 404);
  });

  test("CP-EFORM-SITES: the pages — the Region's list and form, the printable day, the path's booking page", async () => {
    const regionPage = await t.pageSession(fx.regionEmail);
    const list = await regionPage.get("/sites-acces");
    assert.equal(list.status, 200);
    assert.match(list.html, /Ouvrir un site d&#39;accès/);
    const created = await regionPage.post("/sites-acces", { ...Object.fromEntries(Object.entries(siteBody("Site de Millau", {})).filter(([, v]) => typeof v === "string")) as Record<string, string>, departementCode: "12", inseeCode: "12145", postcode: "12100", commune: "Millau", roomName_0: "Salle Tarn", roomPcs_0: "6" });
    assert.equal(created.status, 303, created.html.slice(0, 400));
    const day = await regionPage.get(`/sites-acces/${siteId}/jour?date=2026-03-23`);
    assert.equal(day.status, 200);
    assert.match(day.html, /data-print/);
    assert.match(day.html, /PC restants/);
    const staff = await t.pageSession(fx.adminEmail);
    const p = await traineePath(t.db, fx);
    const slot = await slotFor(t.db, fx, [p.pathId], "2026-03-25");
    const page = await staff.get(`/parcours/${p.pathId}/site-acces`);
    assert.equal(page.status, 200);
    assert.match(page.html, /Réserver les créneaux cochés/);
    const posted = await staff.post(`/parcours/${p.pathId}/site-acces`, { roomId: room4, slotIds: slot });
    assert.equal(posted.status, 303);
    assert.equal((await staff.post(`/sites-acces/${siteId}`, { name: "x" })).status, 403);
  });
});
