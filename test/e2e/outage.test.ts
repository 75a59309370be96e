// DATABASE_UNAVAILABLE: the platform process, spawned as in production, loses its database through a
// real TCP proxy (node net) that the test cuts and restores. While it is away every request answers
// 503 problem+json in French and /health says so; the process never exits; once the database is back
// requests succeed again by themselves and the background loop sends its mail. PostgreSQL only.
// A start with no database reachable: one French line on stderr, exit code 1, no stack trace.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { after, before, describe, test } from "node:test";
import { openDatabase, type Database } from "../../src/core/db/index.ts";
import { notify } from "../../src/core/notifications/index.ts";
import { createUser } from "../support/app.ts";
import { startTestSmtpServer, type TestSmtpServer } from "../support/smtp.ts";
import {
  type AppProcess,
  closedPort,
  createFreshDatabase,
  serverUrl,
  skipWithoutPostgres,
  spawnApp,
  startTcpProxy,
  type TcpProxy,
  withDatabase,
} from "../support/processes.ts";

const json = { "content-type": "application/json" };

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("DATABASE_UNAVAILABLE: the database goes away and comes back, the process stays up", { skip: skipWithoutPostgres }, () => {
  let fresh: Awaited<ReturnType<typeof createFreshDatabase>>;
  let direct: Database;
  let proxy: TcpProxy;
  let smtp: TestSmtpServer;
  let app: AppProcess;
  let token: string;

  before(async () => {
    fresh = await createFreshDatabase("test_outage");
    const target = new URL(serverUrl!);
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    smtp = await startTestSmtpServer();
    const throughProxy = new URL(fresh.url);
    throughProxy.hostname = "127.0.0.1";
    throughProxy.port = String(proxy.port);
    app = await spawnApp({
      DATABASE_URL: throughProxy.toString(),
      DB_CONNECT_TIMEOUT_MS: "1000",
      WORKER_POLL_MS: "100",
      SMTP_URL: smtp.url,
      APP_SECRET: "outage-test-secret-outage-test-secret",
    });
    direct = await openDatabase({ databaseUrl: fresh.url, poolSize: 2 }); // the test's own way in, beside the proxy
    await createUser(direct.db, { email: "region.panne@example.fr", role: "region_officer" });
    const login = await fetch(`${app.base}/api/auth/login`, { method: "POST", headers: json, body: JSON.stringify({ email: "region.panne@example.fr", password: "motdepasse-test" }) });
    assert.equal(login.status, 200, await login.clone().text());
    token = ((await login.json()) as { token: string }).token;
  });

  after(async () => {
    await app?.stop();
    await proxy?.close();
    await smtp?.stop();
    await direct?.close();
    await fresh?.drop();
  });

  const me = () => fetch(`${app.base}/api/me`, { headers: { authorization: `Bearer ${token}` } });

  test("DATABASE_UNAVAILABLE: 503 problem+json in French while cut or black-holed, /health 503, 200 again after restore, process alive, mail sent after", async () => {
    assert.deepEqual(await (await fetch(`${app.base}/health`)).json(), { status: "ok", database: "ok" });
    assert.equal((await me()).status, 200);

    // Cut: the proxy resets the pool's connections and refuses new ones (a server that stopped).
    await proxy.cut();
    for (let i = 0; i < 3; i++) {
      const res = await me();
      assert.equal(res.status, 503);
      assert.match(res.headers.get("content-type") ?? "", /^application\/problem\+json/);
      const problem = (await res.json()) as { code: string; detail: string };
      assert.equal(problem.code, "DATABASE_UNAVAILABLE");
      assert.match(problem.detail, /base de données est momentanément injoignable/);
    }
    const write = await fetch(`${app.base}/api/auth/login`, { method: "POST", headers: json, body: JSON.stringify({ email: "region.panne@example.fr", password: "motdepasse-test" }) });
    assert.equal(write.status, 503, "a write answers 503 too");
    const health = await fetch(`${app.base}/health`);
    assert.equal(health.status, 503);
    assert.deepEqual(await health.json(), { status: "unavailable", database: "unavailable" });
    const page = await fetch(`${app.base}/`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(page.status, 503, "a page answers the French error page with 503");
    assert.match(await page.text(), /momentanément injoignable/);
    await new Promise((r) => setTimeout(r, 400)); // the background loop ticks through the outage

    // Black hole: connections accepted, nothing answers — the connect timeout (1 s here) answers 503.
    await proxy.restore();
    proxy.blackhole();
    const t0 = Date.now();
    assert.equal((await me()).status, 503);
    assert.ok(Date.now() - t0 < 5_000, "answered within the connect timeout, not left hanging");

    await proxy.restore();
    await until("/health 200", async () => ((await fetch(`${app.base}/health`)).status === 200 ? true : undefined));
    assert.equal((await me()).status, 200, "the same session works again: nothing to restart");
    assert.ok(app.alive(), `the process is alive\n${app.stderr()}`);
    assert.doesNotMatch(app.stderr(), /^\s+at /m, "no stack trace was printed");

    // The background loop survived: a notification stored now is mailed.
    await notify(direct.db, { to: "apres.panne@example.fr", subject: "Après la panne", body: "La base est revenue." });
    await until("the mail", async () => (smtp.received.some((m) => m.subject === "Après la panne") ? true : undefined));
    assert.ok(app.alive());
  });
});

describe("DATABASE_UNAVAILABLE at startup", () => {
  test("DATABASE_UNAVAILABLE: starting with an unreachable database prints one French line on stderr and exits non-zero, no stack trace", async () => {
    const port = await closedPort();
    const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
      env: { PATH: process.env.PATH ?? "", PORT: "0", DATABASE_URL: withDatabase(`postgres://postgres:secret@127.0.0.1:${port}/x`, "cp"), DB_CONNECT_TIMEOUT_MS: "2000" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    let stdout = "";
    child.stderr.on("data", (c) => (stderr += c));
    child.stdout.on("data", (c) => (stdout += c));
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    assert.notEqual(code, 0);
    const lines = stderr.trim().split("\n");
    assert.equal(lines.length, 1, `one line:\n${stderr}`);
    assert.match(lines[0], new RegExp(`^Démarrage impossible : base de données PostgreSQL injoignable \\(127\\.0\\.0\\.1:${port}/cp\\) : connexion refusée`));
    assert.doesNotMatch(stderr, /secret/, "the password is never printed");
    assert.equal(stdout, "", "nothing announced");
  });
});
