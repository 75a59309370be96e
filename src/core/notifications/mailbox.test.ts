import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createTestContext, createUser, type TestContext } from "../../../test/support/app.ts";
import { loadConfig } from "../config.ts";
import { createApp } from "../../app/index.ts";
import { notify } from "./index.ts";

describe("mailbox page /boite-mail (dev/demo: DEV_MAILBOX=true, no SMTP_URL)", () => {
  let t: TestContext;
  let regionToken: string;
  let traineeToken: string;
  let firstToken: string;
  before(async () => {
    t = await createTestContext();
    await createUser(t.db, { email: "region@example.fr", role: "region_officer" });
    await createUser(t.db, { email: "stagiaire@example.fr", role: "trainee" });
    await createUser(t.db, { email: "premier@example.fr", role: "trainee" });
    regionToken = await t.login("region@example.fr");
    traineeToken = await t.login("stagiaire@example.fr");
    firstToken = await t.login("premier@example.fr");
    await t.db.transaction().execute(async (tx) => {
      await notify(tx, { to: "premier@example.fr", subject: "Premier message", body: "Bonjour,\nligne deux <b>pas du HTML</b>" });
    });
    await new Promise((r) => setTimeout(r, 10)); // distinct created_at
    await t.db.transaction().execute((tx) => notify(tx, { to: "Premier@Example.fr", subject: "Second message", body: "Suite." }));
    await t.db.transaction().execute((tx) => notify(tx, { to: "region@example.fr", subject: "Pour la Région", body: "Confidentiel." }));
  });
  after(() => t.close());

  /** The same database behind an app configured otherwise. */
  const appWith = (env: Record<string, string>) => createApp({ db: t.db, clock: t.clock, config: loadConfig(env) });
  const get = (app: ReturnType<typeof appWith>, path: string, token: string) => app.request(path, { headers: { authorization: `Bearer ${token}` } });
  const mailbox = () => appWith({ DEV_MAILBOX: "true" });

  test("each person reads only the mail addressed to them, newest first, escaped (any case of the address)", async () => {
    const mine = await get(mailbox(), "/api/mailbox", firstToken);
    assert.equal(mine.status, 200);
    assert.deepEqual(
      (await mine.json()).map((m: { subject: string }) => m.subject),
      ["Second message", "Premier message"],
    );
    const page = await (await get(mailbox(), "/boite-mail", firstToken)).text();
    assert.match(page, /&lt;b&gt;pas du HTML&lt;\/b&gt;/);
    assert.doesNotMatch(page, /Pour la Région/);
  });

  test("the Region reads its own mail only, not everyone's; someone without mail sees none", async () => {
    const region = await (await get(mailbox(), "/api/mailbox", regionToken)).json();
    assert.deepEqual(
      region.map((m: { subject: string }) => m.subject),
      ["Pour la Région"],
    );
    assert.deepEqual(await (await get(mailbox(), "/api/mailbox", traineeToken)).json(), []);
    assert.equal((await mailbox().request("/api/mailbox")).status, 401);
  });

  test("off unless DEV_MAILBOX=true: the page does not exist (404), even for the Region", async () => {
    assert.equal((await t.api("GET", "/api/mailbox", regionToken)).status, 404);
    assert.equal((await get(appWith({ DEV_MAILBOX: "false" }), "/boite-mail", regionToken)).status, 404);
  });

  test("with SMTP_URL set the mailbox does not exist even when asked for (404)", async () => {
    const withSmtp = appWith({ DEV_MAILBOX: "true", SMTP_URL: "smtp://127.0.0.1:2525" });
    assert.equal((await get(withSmtp, "/api/mailbox", regionToken)).status, 404);
    assert.equal((await get(withSmtp, "/boite-mail", regionToken)).status, 404);
  });
});

describe("the header links the mailbox when it exists", () => {
  let t: TestContext;
  let token: string;
  before(async () => {
    t = await createTestContext();
    await createUser(t.db, { email: "lien@example.fr", role: "region_officer" });
    token = await t.login("lien@example.fr");
  });
  after(() => t.close());
  const page = (env: Record<string, string>) => createApp({ db: t.db, clock: t.clock, config: loadConfig(env) }).request("/mon-compte", { headers: { authorization: `Bearer ${token}` } });

  test("DEV_MAILBOX=true: « Boîte mail (démo) » in the header; off or with SMTP: no link", async () => {
    assert.match(await (await page({ DEV_MAILBOX: "true" })).text(), /<a href="\/boite-mail">Boîte mail \(démo\)<\/a>/);
    assert.doesNotMatch(await (await page({})).text(), /boite-mail/);
    assert.doesNotMatch(await (await page({ DEV_MAILBOX: "true", SMTP_URL: "smtp://127.0.0.1:2525" })).text(), /boite-mail/);
  });
});
