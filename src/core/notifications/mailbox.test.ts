import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createTestContext, createUser, type TestContext } from "../../../test/support/app.ts";
import { loadConfig } from "../config.ts";
import { createApp } from "../http/app.tsx";
import { notify } from "./index.ts";

describe("mailbox page /boite-mail (dev/demo, without SMTP_URL)", () => {
  let t: TestContext;
  let regionToken: string;
  let traineeToken: string;
  before(async () => {
    t = await createTestContext();
    await createUser(t.db, { email: "region@example.fr", role: "region_officer" });
    await createUser(t.db, { email: "stagiaire@example.fr", role: "trainee" });
    regionToken = await t.login("region@example.fr");
    traineeToken = await t.login("stagiaire@example.fr");
    await t.db.transaction().execute(async (tx) => {
      await notify(tx, { to: "premier@example.fr", subject: "Premier message", body: "Bonjour,\nligne deux <b>pas du HTML</b>" });
    });
    await new Promise((r) => setTimeout(r, 10)); // distinct created_at
    await t.db.transaction().execute((tx) => notify(tx, { to: "second@example.fr", subject: "Second message", body: "Suite." }));
  });
  after(() => t.close());

  /** The same database behind an app configured otherwise (production, or SMTP set). */
  const appWith = (env: Record<string, string>) => createApp({ db: t.db, clock: t.clock, config: loadConfig(env) });
  const get = (app: ReturnType<typeof appWith>, path: string, token: string) => app.request(path, { headers: { authorization: `Bearer ${token}` } });

  test("the Region reads every message, newest first, with recipient, subject and body (escaped)", async () => {
    const page = await t.pageSession("region@example.fr");
    const res = await page.get("/boite-mail");
    assert.equal(res.status, 200);
    assert.ok(res.html.indexOf("Second message") < res.html.indexOf("Premier message"));
    assert.match(res.html, /premier@example\.fr/);
    assert.match(res.html, /&lt;b&gt;pas du HTML&lt;\/b&gt;/);
    const api = await t.api("GET", "/api/mailbox", regionToken);
    assert.equal(api.status, 200);
    assert.deepEqual(
      api.body.map((m: { subject: string }) => m.subject),
      ["Second message", "Premier message"],
    );
    assert.equal(api.body[0].status, "pending");
  });

  test("in dev (NODE_ENV ≠ production) anyone signed in may read it; anonymous users may not", async () => {
    assert.equal((await t.api("GET", "/api/mailbox", traineeToken)).status, 200);
    assert.equal((await t.api("GET", "/api/mailbox")).status, 401);
  });

  test("in production without SMTP only the Region reads it (403 for others)", async () => {
    const prod = appWith({ NODE_ENV: "production" });
    assert.equal((await get(prod, "/api/mailbox", traineeToken)).status, 403);
    assert.equal((await get(prod, "/api/mailbox", regionToken)).status, 200);
  });

  test("with SMTP_URL set the mailbox does not exist, even for the Region (404)", async () => {
    const withSmtp = appWith({ SMTP_URL: "smtp://127.0.0.1:2525" });
    assert.equal((await get(withSmtp, "/api/mailbox", regionToken)).status, 404);
    assert.equal((await get(withSmtp, "/boite-mail", regionToken)).status, 404);
  });
});
