// Several processes behind a load balancer (docs/operations.md): two real platform processes
// (`src/main.ts`, as `npm start` runs it) on two ports, started together against one new, empty
// PostgreSQL database. Migrations run once; a session opened on one works on the other; a QR code
// shown by one is accepted by the other (the key comes from the database, not from each process);
// every mail goes out once although both background loops send. PostgreSQL only.
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { openDatabase, type Database } from "../../src/core/db/index.ts";
import { migrationsDir } from "../../src/core/db/migrate.ts";
import { notify } from "../../src/core/notifications/index.ts";
import { attendanceFixture, deviceCookie, insertSlot, SIGNATURE, type AttendanceFixture } from "../../src/domains/attendance/testing.ts";
import { insertSignedPeriod } from "../../src/domains/internships/testing.ts";
import { createUser, TEST_PASSWORD } from "../support/app.ts";
import { startTestSmtpServer, type TestSmtpServer } from "../support/smtp.ts";
import { type AppProcess, createFreshDatabase, skipWithoutPostgres, spawnApp } from "../support/processes.ts";

const json = { "content-type": "application/json" };
const parisDate = (d: Date) => new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Paris" }).format(d);

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("two processes against one PostgreSQL: migrations once, sessions, QR codes and mail work across them", { skip: skipWithoutPostgres }, () => {
  let fresh: Awaited<ReturnType<typeof createFreshDatabase>>;
  let smtp: TestSmtpServer;
  let a: AppProcess;
  let b: AppProcess;
  let direct: Database;
  let f: AttendanceFixture;
  let regionUserId: string;

  before(async () => {
    fresh = await createFreshDatabase("test_multi");
    smtp = await startTestSmtpServer();
    // No APP_SECRET, no ATTENDANCE_SECRET: each process would draw its own key if it could.
    const env = { DATABASE_URL: fresh.url, SMTP_URL: smtp.url, WORKER_POLL_MS: "50" };
    [a, b] = await Promise.all([spawnApp(env), spawnApp(env)]); // both migrate an empty database at once
    direct = await openDatabase({ databaseUrl: fresh.url, poolSize: 2 });
    f = await attendanceFixture(direct.db, 2);
    regionUserId = await createUser(direct.db, { email: "region.multi@example.fr", role: "region_officer" });
  });

  after(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await smtp?.stop();
    await direct?.close();
    await fresh?.drop();
  });

  const login = async (base: string, email: string) => {
    const res = await fetch(`${base}/api/auth/login`, { method: "POST", headers: json, body: JSON.stringify({ email, password: TEST_PASSWORD }) });
    assert.equal(res.status, 200, await res.clone().text());
    return ((await res.json()) as { token: string }).token;
  };

  test("migrations ran once although both processes started together on an empty database", async () => {
    const files = readdirSync(migrationsDir).filter((n) => /^\d{14}_.*\.ts$/.test(n));
    const rows = await direct.db.selectFrom("kysely_migration" as never).select("name" as never).execute();
    assert.equal(rows.length, files.length);
    assert.ok(a.alive() && b.alive(), `${a.stderr()}\n${b.stderr()}`);
    assert.doesNotMatch(a.stderr() + b.stderr(), /migration|already exists/i);
  });

  test("a session opened on one process works on the other", async () => {
    const token = await login(a.base, "region.multi@example.fr");
    const me = await fetch(`${b.base}/api/me`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(me.status, 200);
    assert.equal(((await me.json()) as { userId: string }).userId, regionUserId);
  });

  test("CP-ATTENDANCE: a QR code shown by one process is accepted by the other, both ways", async () => {
    const now = new Date();
    const slotId = await insertSlot(direct.db, f, {
      status: "planned",
      date: parisDate(now),
      start: "00:00",
      end: "23:59",
      startsAt: new Date(now.getTime() - 10 * 60_000).toISOString(),
      endsAt: new Date(now.getTime() + 2 * 3_600_000).toISOString(),
    });
    await direct.db.updateTable("slot").set({ holiday_override: true }).where("id", "=", slotId).execute();
    const trainer = await login(a.base, f.trainerEmail);
    assert.equal((await fetch(`${a.base}/api/attendance/slots/${slotId}/open`, { method: "POST", headers: { authorization: `Bearer ${trainer}` } })).status, 204);

    const cases = [
      { shownBy: a, signedOn: b, trainee: f.trainees[0] },
      { shownBy: b, signedOn: a, trainee: f.trainees[1] },
    ];
    for (const { shownBy, signedOn, trainee } of cases) {
      const qr = await fetch(`${shownBy.base}/api/attendance/slots/${slotId}/qr`, { headers: { authorization: `Bearer ${trainer}` } });
      assert.equal(qr.status, 200);
      const { code } = (await qr.json()) as { code: string };
      const cookie = await deviceCookie(direct.db, f, trainee.traineeId, now);
      const sign = await fetch(`${signedOn.base}/api/attendance/sign`, {
        method: "POST",
        headers: { ...json, cookie },
        body: JSON.stringify({ slotId, code, signature: SIGNATURE, clientId: `multi-${trainee.pathId}` }),
      });
      assert.equal(sign.status, 201, await sign.clone().text());
    }
    const rows = await direct.db.selectFrom("evidence").select(["seq"]).where("slot_id", "=", slotId).orderBy("seq").execute();
    assert.deepEqual(rows.map((r) => r.seq), [1, 2], "one chain, written by both processes");
  });

  test("CP-ATTENDANCE: a tutor's signing link made on one process is signed on the other, once", async () => {
    const now = new Date();
    // A company hour needs the period's signed agreement (CP-INTERNSHIP-AGREEMENT), today included.
    // The slot runs at the hour the test runs (any day, any hour): the agreement provides for hours
    // outside the centre's opening with a reachable contact (CP-COMPANY-OUTSIDE-OPENING).
    const periodId = await insertSignedPeriod(direct.db, f.fx.providerId, f.trainees[0].pathId, parisDate(now), parisDate(now));
    await direct.db.updateTable("company_period").set({ outside_opening: true, centre_contact: "Accueil du centre, 05 61 00 00 00" }).where("id", "=", periodId).execute();
    const slotId = await insertSlot(direct.db, f, {
      modality: "company",
      date: parisDate(now),
      start: "00:00",
      end: "23:59",
      startsAt: new Date(now.getTime() - 3 * 3_600_000).toISOString(),
      endsAt: new Date(now.getTime() - 3_600_000).toISOString(),
    });
    const trainer = await login(a.base, f.trainerEmail);
    const made = await fetch(`${a.base}/api/attendance/slots/${slotId}/links`, {
      method: "POST",
      headers: { ...json, authorization: `Bearer ${trainer}` },
      body: JSON.stringify({ pathId: f.trainees[0].pathId, purpose: "tutor" }),
    });
    assert.equal(made.status, 201, await made.clone().text());
    const token = new URL(((await made.json()) as { url: string }).url).pathname.split("/").pop();
    const sign = (base: string) =>
      fetch(`${base}/api/attendance/links/${token}/sign`, { method: "POST", headers: json, body: JSON.stringify({ signature: SIGNATURE, signerName: "Jeanne Tutrice" }) });
    const first = await sign(b.base);
    assert.equal(first.status, 201, await first.clone().text());
    assert.notEqual((await sign(a.base)).status, 201, "used once: the other process knows it too");
  });

  test("every mail goes out once although both processes' loops send", async () => {
    const subjects = Array.from({ length: 30 }, (_, i) => `Multi-processus ${i}`);
    await direct.db.transaction().execute(async (tx) => {
      for (const subject of subjects) await notify(tx, { to: "destinataire@example.fr", subject, body: "Une fois." });
    });
    await until("every notification sent", async () => {
      const pending = await direct.db.selectFrom("notification").select("id").where("status", "!=", "sent").where("subject", "like", "Multi-processus %").execute();
      return pending.length === 0 ? true : undefined;
    });
    await new Promise((r) => setTimeout(r, 300)); // a few more ticks of both loops: nothing more may go out
    const received = smtp.received.filter((m) => m.subject.startsWith("Multi-processus ")).map((m) => m.subject);
    assert.equal(received.length, subjects.length, "no mail twice, none lost");
    assert.deepEqual([...received].sort(), [...subjects].sort());
  });
});
