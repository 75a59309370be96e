// npm run backup / npm run restore on PostgreSQL: pg_dump of a database holding signed attendance,
// pg_restore into a new empty database, evidence chains verified by the restore. PostgreSQL only.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { createApp } from "../../src/app/index.ts";
import { loadConfig } from "../../src/core/config.ts";
import { openDatabase } from "../../src/core/db/index.ts";
import { migrateToLatest } from "../../src/core/db/migrate.ts";
import { fixedClock } from "../../src/core/time.ts";
import { makeCode } from "../../src/domains/attendance/qr.ts";
import { attendanceSettings } from "../../src/domains/attendance/settings.ts";
import { attendanceFixture, deviceCookie, insertSlot, SIGNATURE } from "../../src/domains/attendance/testing.ts";
import { createFreshDatabase, runScript, skipWithoutPostgres } from "../support/processes.ts";

const NOW = "2026-03-02T08:30:00Z";
describe("backup of PostgreSQL (pg_dump) restored into a new database, evidence chains verified", { skip: skipWithoutPostgres }, () => {
  test("npm run backup writes a pg_dump; npm run restore into an empty database verifies the chains", async () => {
    const source = await createFreshDatabase("test_backup_src");
    const target = await createFreshDatabase("test_backup_dst");
    const work = mkdtempSync(join(tmpdir(), "cp-backup-pg-"));
    const database = await openDatabase({ databaseUrl: source.url, poolSize: 2 });
    try {
      await migrateToLatest(database.db);
      const app = createApp({ db: database.db, clock: fixedClock(NOW), config: loadConfig({}) });
      const f = await attendanceFixture(database.db, 2);
      const slotId = await insertSlot(database.db, f);
      for (const t of f.trainees) {
        const cookie = await deviceCookie(database.db, f, t.traineeId);
        const body = { slotId, code: makeCode(attendanceSettings().secret, slotId, new Date(NOW)), signature: SIGNATURE, clientId: `pg-backup-${t.pathId}` };
        assert.equal((await app.request("/api/attendance/sign", { method: "POST", headers: { "content-type": "application/json", cookie }, body: JSON.stringify(body) })).status, 201);
      }
      const file = join(work, "sauvegarde.dump");
      const backup = await runScript("backup", [file], work, source.url);
      assert.equal(backup.code, 0, backup.stderr);
      const restore = await runScript("restore", [file], work, target.url);
      assert.equal(restore.code, 0, restore.stdout + restore.stderr);
      assert.match(restore.stdout, /2 entrées, 1 feuilles\.\nToutes les chaînes sont intactes\./);
    } finally {
      await database.close();
      await source.drop();
      await target.drop();
      rmSync(work, { recursive: true, force: true });
    }
  });
});
