// Group commit of QR signatures (qr-signing.ts): concurrent signatures of one slot are written in
// shared transactions, yet each gets its own answer and the chain stays one link per signature.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { sql } from "kysely";
import { createTestContext, type TestContext } from "../../../test/support/app.ts";
import { usingPostgres } from "../../../test/support/db.ts";
import { makeCode } from "./qr.ts";
import { attendanceSettings } from "./settings.ts";
import { type AttendanceFixture, attendanceFixture, deviceCookie, insertSlot, SIGNATURE } from "./testing.ts";
import { verifyEvidence, verifyFactsAgainstEvidence } from "./use-cases.ts";

const skip = usingPostgres ? false : "PostgreSQL only (set DATABASE_URL): PGlite runs one query at a time, so signatures never overlap.";
if (skip) console.warn(`attendance group-commit tests skipped: ${skip}`);

describe("group commit of concurrent QR signatures (PostgreSQL)", { skip }, () => {
  let t: TestContext;
  let f: AttendanceFixture;
  let cookies: string[];
  before(async () => {
    t = await createTestContext("2026-03-02T08:30:00Z");
    f = await attendanceFixture(t.db, 30);
    cookies = await Promise.all(f.trainees.map((tr) => deviceCookie(t.db, f, tr.traineeId)));
  });
  after(() => t?.close());

  const post = async (cookie: string, body: unknown): Promise<Response> =>
    t.app.request("/api/attendance/sign", { method: "POST", headers: { cookie, "content-type": "application/json" }, body: JSON.stringify(body) });

  test("30 trainees at once, one of them twice → 30 rows, one per trainee, seq 1…30 in shared transactions, chain and rows verify", async () => {
    const slotId = await insertSlot(t.db, f);
    const code = makeCode(attendanceSettings().secret, slotId, new Date("2026-03-02T08:30:00Z"));
    const bodies = cookies.map((cookie, i) => ({ cookie, body: { slotId, code, signature: SIGNATURE, clientId: `group-${i}-abcdef` } }));
    bodies.push({ cookie: cookies[0], body: { slotId, code, signature: SIGNATURE, clientId: "group-0-second-try" } });
    const statuses = await Promise.all(bodies.map((b) => post(b.cookie, b.body).then((r) => r.status)));
    assert.equal(statuses.filter((s) => s === 201).length, 30, statuses.join(","));
    assert.equal(statuses.filter((s) => s === 200).length, 1);

    const rows = await sql<{ path_id: string; tx: string }>`select path_id, xmin::text as tx from attendance where slot_id = ${slotId}`.execute(t.db);
    assert.equal(rows.rows.length, 30);
    assert.equal(new Set(rows.rows.map((r) => r.path_id)).size, 30);
    // Fewer transactions than signatures: they were grouped.
    assert.ok(new Set(rows.rows.map((r) => r.tx)).size < 30, `${new Set(rows.rows.map((r) => r.tx)).size} transactions`);
    const seqs = (await t.db.selectFrom("evidence").select("seq").where("slot_id", "=", slotId).orderBy("seq").execute()).map((e) => e.seq);
    assert.deepEqual(seqs, Array.from({ length: 30 }, (_, i) => i + 1));
    assert.deepEqual((await verifyEvidence(t.db, slotId)).broken, []);
    assert.deepEqual(await verifyFactsAgainstEvidence(t.db, slotId), []);
    // No outbox event per signature: nothing consumes one (the evidence row is the record).
    const events = await t.db.selectFrom("outbox").select("id").where(sql<boolean>`payload->>'slotId' = ${slotId}`).execute();
    assert.equal(events.length, 0);
  });

  test("errors stay per signature: a clientId already used on another slot gets 409 alone, an expired code 422 alone, the others 201", async () => {
    const first = await insertSlot(t.db, f);
    const now = new Date("2026-03-02T08:30:00Z");
    assert.equal((await post(cookies[0], { slotId: first, code: makeCode(attendanceSettings().secret, first, now), signature: SIGNATURE, clientId: "group-reused-id" })).status, 201);
    const slotId = await insertSlot(t.db, f);
    const code = makeCode(attendanceSettings().secret, slotId, now);
    const stale = makeCode(attendanceSettings().secret, slotId, new Date(now.getTime() - 61_000));
    const results = await Promise.all(
      cookies.map((cookie, i) =>
        post(cookie, { slotId, code: i === 7 ? stale : code, signature: SIGNATURE, clientId: i === 3 ? "group-reused-id" : `group-b-${i}-abcdef` }).then(async (r) => ({ i, status: r.status, code: r.status >= 400 ? ((await r.json()) as { code: string }).code : undefined })),
      ),
    );
    assert.deepEqual(results.find((r) => r.i === 3), { i: 3, status: 409, code: "CLIENT_ID_REUSED" });
    assert.deepEqual(results.find((r) => r.i === 7), { i: 7, status: 422, code: "CP-ATTENDANCE-QR-EXPIRED" });
    assert.equal(results.filter((r) => r.status === 201).length, 28);
    const seqs = (await t.db.selectFrom("evidence").select("seq").where("slot_id", "=", slotId).orderBy("seq").execute()).map((e) => e.seq);
    assert.deepEqual(seqs, Array.from({ length: 28 }, (_, i) => i + 1));
    assert.deepEqual((await verifyEvidence(t.db, slotId)).broken, []);
  });

  test("CP-ATTENDANCE phones that cannot sign stay refused inside a group: unknown cookie 401, revoked device 401, trainee not expected 403; the others 201", async () => {
    // Slot expecting 27 trainees: the 28th has a valid phone but is not on this slot.
    const slotId = await insertSlot(t.db, f, { pathIds: f.trainees.slice(0, 27).map((tr) => tr.pathId) });
    const code = makeCode(attendanceSettings().secret, slotId, new Date("2026-03-02T08:30:00Z"));
    const device = await t.db.selectFrom("device_session").select("id").where("trainee_id", "=", f.trainees[5].traineeId).executeTakeFirstOrThrow();
    await t.db.updateTable("device_session").set({ revoked_at: new Date("2026-03-02T08:00:00Z") }).where("id", "=", device.id).execute();
    const jobs = cookies.slice(0, 28).map((cookie, i) => ({ i, cookie: i === 2 ? "cp_device=not-a-real-device-token" : cookie }));
    const results = await Promise.all(
      jobs.map(({ i, cookie }) => post(cookie, { slotId, code, signature: SIGNATURE, clientId: `group-c-${i}-abcdef` }).then((r) => ({ i, status: r.status }))),
    );
    assert.equal(results.find((r) => r.i === 2)?.status, 401);
    assert.equal(results.find((r) => r.i === 5)?.status, 401);
    assert.equal(results.find((r) => r.i === 27)?.status, 403);
    assert.equal(results.filter((r) => r.status === 201).length, 25);
    assert.equal((await t.db.selectFrom("attendance").select("id").where("slot_id", "=", slotId).execute()).length, 25);
    assert.deepEqual((await verifyEvidence(t.db, slotId)).broken, []);
  });
});
