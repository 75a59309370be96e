// Real concurrency needs PostgreSQL (PGlite serialises every query on one connection).
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { after, before, describe, test } from "node:test";
import { sql } from "kysely";
import { createTestContext, type TestContext } from "../../../test/support/app.ts";
import { usingPostgres } from "../../../test/support/db.ts";
import { makeCode } from "./qr.ts";
import { attendanceSettings } from "./settings.ts";
import { type AttendanceFixture, attendanceFixture, deviceCookie, insertSlot, SIGNATURE } from "./testing.ts";
import { verifyEvidence } from "./use-cases.ts";

const skip = usingPostgres ? false : "PostgreSQL only (set DATABASE_URL): PGlite runs one query at a time, so it cannot show races.";
if (skip) console.warn(`attendance concurrency tests skipped: ${skip}`);

describe("concurrent signing (PostgreSQL)", { skip }, () => {
  let t: TestContext;
  let f: AttendanceFixture;
  before(async () => {
    t = await createTestContext("2026-03-02T08:30:00Z");
    f = await attendanceFixture(t.db, 20);
  });
  after(() => t?.close());

  const post = async (cookie: string, body: unknown): Promise<Response> =>
    t.app.request("/api/attendance/sign", { method: "POST", headers: { cookie, "content-type": "application/json" }, body: JSON.stringify(body) });

  test("100 concurrent retries of one signature → exactly one attendance row and one evidence entry", async () => {
    const slotId = await insertSlot(t.db, f);
    const cookie = await deviceCookie(t.db, f, f.trainees[0].traineeId);
    const body = { slotId, code: makeCode(attendanceSettings().secret, slotId, new Date("2026-03-02T08:30:00Z")), signature: SIGNATURE, clientId: "concurrent-retry-0001" };
    const statuses = await Promise.all(Array.from({ length: 100 }, () => post(cookie, body).then((r) => r.status)));
    assert.equal(statuses.filter((s) => s === 201).length, 1, statuses.join(","));
    assert.equal(statuses.filter((s) => s === 200).length, 99);
    const rows = await t.db.selectFrom("attendance").select("id").where("slot_id", "=", slotId).execute();
    assert.equal(rows.length, 1);
    const evidence = await t.db.selectFrom("evidence").select("id").where("slot_id", "=", slotId).execute();
    assert.equal(evidence.length, 1);
  });

  test("20 trainees signing the same sheet at once → 20 rows, seq 1…20, chain intact; verify-evidence exits 0, then 1 after an SQL edit", async () => {
    const slotId = await insertSlot(t.db, f);
    const cookies = await Promise.all(f.trainees.map((tr) => deviceCookie(t.db, f, tr.traineeId)));
    const c = makeCode(attendanceSettings().secret, slotId, new Date("2026-03-02T08:30:00Z"));
    const statuses = await Promise.all(cookies.map((cookie, i) => post(cookie, { slotId, code: c, signature: SIGNATURE, clientId: `concurrent-sheet-${i}-abc` }).then((r) => r.status)));
    assert.deepEqual([...new Set(statuses)], [201]);
    const seqs = (await t.db.selectFrom("evidence").select("seq").where("slot_id", "=", slotId).orderBy("seq").execute()).map((e) => e.seq);
    assert.deepEqual(seqs, Array.from({ length: 20 }, (_, i) => i + 1));
    assert.deepEqual((await verifyEvidence(t.db, slotId)).broken, []);

    const url = (t.database.pool as unknown as { options: { connectionString: string } }).options.connectionString;
    const run = () => promisify(execFile)("npx", ["tsx", "scripts/verify-evidence.ts"], { env: { ...process.env, DATABASE_URL: url }, timeout: 120_000 });
    const ok = await run();
    assert.match(ok.stdout, /intactes/);
    await sql`update evidence set at = at + interval '1 second' where slot_id = ${slotId} and seq = 7`.execute(t.db);
    await assert.rejects(run(), (e: { code: number; stdout: string }) => e.code === 1 && /maillon 7/.test(e.stdout));
  });
});
