// Backups of the embedded database (npm run backup / npm run restore, ADR 0015): the platform keeps
// signing attendance while `npm run backup` (a separate process) asks it for a copy over its control
// channel; `npm run restore` puts the copy into a fresh DATA_DIR and verifies the evidence chains,
// which this test checks again on the restored database. Always on PGlite (PostgreSQL uses pg_dump).
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { createApp, type App } from "../../src/app/index.ts";
import { loadConfig } from "../../src/core/config.ts";
import { type ControlChannel, restoreEmbedded, startControlChannel } from "../../src/core/db/backup.ts";
import { type Database, openDatabase } from "../../src/core/db/index.ts";
import { fixedClock } from "../../src/core/time.ts";
import { verifyProofs } from "../../src/domains/attendance/use-cases.ts";
import { makeCode } from "../../src/domains/attendance/qr.ts";
import { attendanceSettings } from "../../src/domains/attendance/settings.ts";
import { type AttendanceFixture, attendanceFixture, deviceCookie, insertSlot, SIGNATURE } from "../../src/domains/attendance/testing.ts";
import { embeddedTemplate } from "../support/db.ts";
import { runScript } from "../support/processes.ts";

const NOW = "2026-03-02T08:30:00Z";

const count = async (db: Database["db"], table: "evidence" | "attendance") =>
  Number((await db.selectFrom(table).select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow()).n);

describe("backup of the running embedded platform, restored into a fresh database, evidence chains verified", () => {
  let work: string;
  let database: Database;
  let app: App;
  let control: ControlChannel;
  let f: AttendanceFixture;
  let cookies: string[];

  before(async () => {
    work = mkdtempSync(join(tmpdir(), "cp-backup-"));
    // The platform's own data dir (as `npm start` opens it), started from the migrated template.
    database = await openDatabase({ dataDir: join(work, "live"), poolSize: 1, loadDataDirFile: await embeddedTemplate() });
    app = createApp({ db: database.db, clock: fixedClock(NOW), config: loadConfig({}) });
    control = await startControlChannel(join(work, "live"), database.backup as () => Promise<Buffer>);
    f = await attendanceFixture(database.db, 4);
    cookies = [];
    for (const t of f.trainees) cookies.push(await deviceCookie(database.db, f, t.traineeId));
  });
  after(async () => {
    await control?.close();
    await database?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  let n = 0;
  async function signSlot(slotId: string) {
    for (const cookie of cookies) {
      const body = { slotId, code: makeCode(attendanceSettings().secret, slotId, new Date(NOW)), signature: SIGNATURE, clientId: `backup-client-${++n}` };
      const res = await app.request("/api/attendance/sign", { method: "POST", headers: { "content-type": "application/json", cookie }, body: JSON.stringify(body) });
      assert.equal(res.status, 201, await res.text());
    }
  }

  test("npm run backup while signatures keep coming; npm run restore into a fresh DATA_DIR: chains intact, the copy is a moment of the live database", async () => {
    for (let i = 0; i < 3; i++) await signSlot(await insertSlot(database.db, f));
    const before = await count(database.db, "evidence");

    // Signing goes on during the backup: the copy must hold whole signatures only (row + its proof).
    let signing = true;
    const writer = (async () => {
      while (signing) await signSlot(await insertSlot(database.db, f));
    })();
    const file = join(work, "sauvegarde.tar.gz");
    const backup = await runScript("backup", [file], join(work, "live"));
    signing = false;
    await writer;
    assert.equal(backup.code, 0, backup.stderr);
    assert.match(backup.stdout, /copie faite par la plateforme en marche/);
    assert.ok(statSync(file).size > 0);
    const afterBackup = await count(database.db, "evidence");
    assert.ok(afterBackup > before, "signatures were written while the backup ran");

    // The live data dir is locked by this (running) platform: restoring over it is refused.
    await assert.rejects(restoreEmbedded(file, join(work, "live")), /la plateforme tourne sur ce DATA_DIR/);

    const restore = await runScript("restore", [file], join(work, "restored"));
    assert.equal(restore.code, 0, restore.stdout + restore.stderr);
    assert.match(restore.stdout, /Toutes les chaînes sont intactes\./);

    const restored = await openDatabase({ dataDir: join(work, "restored"), poolSize: 1 });
    try {
      const report = await verifyProofs(restored.db);
      assert.deepEqual(report.broken, []);
      assert.ok(report.entries >= before && report.entries <= afterBackup, `${before} ≤ ${report.entries} ≤ ${afterBackup}`);
      assert.equal(await count(restored.db, "attendance"), report.entries, "one proof per signature, none without its row");
    } finally {
      await restored.close();
    }
  });
});
