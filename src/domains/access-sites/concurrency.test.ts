// CP-EFORM-SITES under concurrent bookings on PostgreSQL: the exclusion constraints decide the race
// for the last PC of a room, and for a trainee booked twice at once (ADR 0019).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createTestContext, type TestContext } from "../../../test/support/app.ts";
import { usingPostgres } from "../../../test/support/db.ts";
import { createOrderFixture, type OrderFixture } from "../../../test/support/fixtures.ts";
import { siteBody, slotFor, traineePath } from "./testing.ts";

const skip = usingPostgres ? false : "PostgreSQL only (set DATABASE_URL): PGlite runs one query at a time, so bookings never race.";

describe("CP-EFORM-SITES: concurrent bookings (PostgreSQL)", { skip }, () => {
  let t: TestContext;
  let fx: OrderFixture;
  let admin: string;
  let roomId: string;

  before(async () => {
    t = await createTestContext("2026-03-06T08:00:00Z");
    fx = await createOrderFixture(t.db, { hybrid: "approved" });
    admin = await t.login(fx.adminEmail);
    const site = await t.api("POST", "/api/access-sites", await t.login(fx.regionEmail), siteBody("Site de Rodez", { "Salle Aveyron": 4 }, { postcode: "12000", commune: "Rodez", inseeCode: "12202", departementCode: "12" }));
    roomId = site.body.rooms[0].id;
  });
  after(() => t?.close());

  const outcome = (rs: { status: number; body: { code?: string } }[]) => rs.map((r) => (r.status === 201 ? "ok" : `${r.status} ${r.body.code}`)).sort();

  test("CP-EFORM-SITES: three PCs of four booked, six bookings at once for the last one → exactly one wins, five are refused (409)", async () => {
    const paths = [];
    for (let i = 0; i < 9; i++) paths.push(await traineePath(t.db, fx));
    const slot = await slotFor(t.db, fx, paths.map((p) => p.pathId), "2026-03-09");
    for (const p of paths.slice(0, 3)) assert.equal((await t.api("POST", "/api/seat-bookings", admin, { pathId: p.pathId, roomId, slotIds: [slot] })).status, 201);
    const results = await Promise.all(paths.slice(3).map((p) => t.api("POST", "/api/seat-bookings", admin, { pathId: p.pathId, roomId, slotIds: [slot] })));
    assert.deepEqual(outcome(results), ["409 CP-EFORM-SITES", "409 CP-EFORM-SITES", "409 CP-EFORM-SITES", "409 CP-EFORM-SITES", "409 CP-EFORM-SITES", "ok"]);
    const seats = await t.db.selectFrom("seat_booking").select("seat_no").where("slot_id", "=", slot).where("status", "=", "booked").orderBy("seat_no").execute();
    assert.deepEqual(seats.map((s) => s.seat_no), [1, 2, 3, 4]);
  });

  test("CP-EFORM-SITES: an empty room, four bookings at once → all four placed on four different PCs (a lost race retries the next PC)", async () => {
    const paths = [];
    for (let i = 0; i < 4; i++) paths.push(await traineePath(t.db, fx));
    const slot = await slotFor(t.db, fx, paths.map((p) => p.pathId), "2026-03-10");
    const results = await Promise.all(paths.map((p) => t.api("POST", "/api/seat-bookings", admin, { pathId: p.pathId, roomId, slotIds: [slot] })));
    assert.deepEqual(outcome(results), ["ok", "ok", "ok", "ok"]);
  });

  test("CP-EFORM-SITES: the same trainee booked on two overlapping slots at once → one booking, the other refused (409)", async () => {
    const p = await traineePath(t.db, fx);
    const a = await slotFor(t.db, fx, [p.pathId], "2026-03-11", "09:00", "12:00");
    const b = await slotFor(t.db, fx, [p.pathId], "2026-03-11", "11:00", "13:00");
    const results = await Promise.all([a, b, a, b].map((slot) => t.api("POST", "/api/seat-bookings", admin, { pathId: p.pathId, roomId, slotIds: [slot] })));
    assert.deepEqual(outcome(results), ["409 CP-EFORM-SITES", "409 CP-EFORM-SITES", "409 CP-EFORM-SITES", "ok"]);
  });
});
