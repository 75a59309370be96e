import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { createTestContext, createUser, formLogin, TEST_PASSWORD, type TestContext } from "../../../test/support/app.ts";

const form = (fields: Record<string, string>, cookie = "") => ({
  method: "POST",
  body: new URLSearchParams(fields),
  headers: { "content-type": "application/x-www-form-urlencoded", cookie },
});

describe("identity: the Region deactivates and reactivates accounts", () => {
  let t: TestContext;
  let region: string;
  let staffId: string;
  before(async () => {
    t = await createTestContext();
    await createUser(t.db, { email: "region@example.fr", role: "region_officer", fullName: "Claire Région" });
    staffId = await createUser(t.db, { email: "agent@example.fr", role: "region_officer", fullName: "Paul Agent" });
    region = await t.login("region@example.fr");
  });
  after(() => t.close());

  test("ACCOUNT-ACTIVE: a deactivated account's sessions end at once and it cannot log in (403), until reactivated", async () => {
    const token = await t.login("agent@example.fr");
    const page = await t.pageSession("agent@example.fr");
    assert.equal((await t.api("GET", "/api/me", token)).status, 200);
    assert.equal((await t.api("POST", `/api/accounts/${staffId}/deactivate`, region)).status, 204);
    assert.equal((await t.api("GET", "/api/me", token)).status, 401, "bearer session ended");
    assert.equal((await page.get("/")).status, 302, "cookie session ended");
    assert.equal((await t.db.selectFrom("user_session").select("id").where("user_id", "=", staffId).execute()).length, 0);
    const refused = await t.api("POST", "/api/auth/login", undefined, { email: "agent@example.fr", password: TEST_PASSWORD });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.code, "ACCOUNT_DEACTIVATED");
    assert.equal((await t.api("POST", "/api/auth/login", undefined, { email: "agent@example.fr", password: "faux" })).status, 401, "a wrong password says nothing more");
    const audit = await t.db.selectFrom("audit_log").select(["action"]).where("entity_id", "=", staffId).execute();
    assert.ok(audit.some((a) => a.action === "user.deactivate"));
    assert.equal((await t.api("POST", `/api/accounts/${staffId}/reactivate`, region)).status, 204);
    assert.equal((await t.api("POST", "/api/auth/login", undefined, { email: "agent@example.fr", password: TEST_PASSWORD })).status, 200);
  });

  test("ACCOUNT-ACTIVE: only the Region; not its own account; an unknown account is a 404", async () => {
    const agent = await t.login("agent@example.fr");
    const self = await t.api("POST", `/api/accounts/${staffId}/deactivate`, agent);
    assert.equal(self.status, 422);
    assert.equal(self.body.code, "SELF_DEACTIVATION");
    const trainerId = await createUser(t.db, { email: "stagiaire@example.fr", role: "trainee" });
    const trainee = await t.login("stagiaire@example.fr");
    assert.equal((await t.api("POST", `/api/accounts/${staffId}/deactivate`, trainee)).status, 403);
    assert.equal((await t.api("GET", "/api/accounts", trainee)).status, 403);
    assert.equal((await t.api("POST", "/api/accounts/3f1d2c3b-0000-4000-8000-00000000dead/deactivate", region)).status, 404);
    const list = await t.api("GET", "/api/accounts?search=STAGIAIRE", region);
    assert.deepEqual(list.body.map((a: { id: string }) => a.id), [trainerId]);
  });

  test("ACCOUNT-ACTIVE: the accounts page deactivates with a form", async () => {
    const page = await t.pageSession("region@example.fr");
    const html = (await page.get("/comptes?q=agent")).html;
    assert.match(html, new RegExp(`action="/comptes/${staffId}/desactiver"`));
    const done = await page.post(`/comptes/${staffId}/desactiver`, {});
    assert.equal(done.status, 303);
    assert.match((await page.get(done.location!)).html, /Compte désactivé : ses sessions sont fermées/);
    assert.equal((await t.db.selectFrom("app_user").select("active").where("id", "=", staffId).executeTakeFirstOrThrow()).active, false);
    assert.equal((await page.post(`/comptes/${staffId}/reactiver`, {})).status, 303);
  });
});

describe("identity: changing one's password (current one required)", () => {
  let t: TestContext;
  let userId: string;
  before(async () => {
    t = await createTestContext();
    userId = await createUser(t.db, { email: "moi@example.fr", role: "region_officer", fullName: "Moi Même" });
  });
  after(() => t.close());

  test("PASSWORD-CHANGE: the current password is required; the new one has 12 characters at least; the other sessions end; the user is told by mail", async () => {
    const mine = await t.login("moi@example.fr");
    const other = await t.login("moi@example.fr");
    const wrong = await t.api("POST", "/api/me/password", mine, { currentPassword: "pas-le-bon", newPassword: "une phrase de passe neuve" });
    assert.equal(wrong.status, 422);
    assert.equal(wrong.body.code, "WRONG_PASSWORD");
    assert.equal(wrong.body.violations[0].field, "currentPassword");
    const short = await t.api("POST", "/api/me/password", mine, { currentPassword: TEST_PASSWORD, newPassword: "onze-carac" });
    assert.equal(short.status, 400);
    assert.match(short.body.violations[0].message, /newPassword : Nouveau mot de passe : 12 caractères au moins/);
    const eleven = await t.api("POST", "/api/me/password", mine, { currentPassword: TEST_PASSWORD, newPassword: "a".repeat(11) });
    assert.equal(eleven.status, 400, "11 characters");
    assert.equal((await t.api("POST", "/api/me/password", mine, { currentPassword: TEST_PASSWORD, newPassword: "b".repeat(12) })).status, 204, "12 characters");
    assert.equal((await t.api("GET", "/api/me", mine)).status, 200, "the caller's own session stays");
    assert.equal((await t.api("GET", "/api/me", other)).status, 401, "every other session ends");
    assert.equal((await t.api("POST", "/api/auth/login", undefined, { email: "moi@example.fr", password: TEST_PASSWORD })).status, 401, "the old password is gone");
    assert.equal((await t.api("POST", "/api/auth/login", undefined, { email: "moi@example.fr", password: "b".repeat(12) })).status, 200);
    const mail = await t.db.selectFrom("notification").select(["subject", "recipient_email"]).where("recipient_user_id", "=", userId).execute();
    assert.ok(mail.some((m) => m.subject === "Votre mot de passe a été modifié"));
    // Back to the shared test password for the next test.
    assert.equal((await t.api("POST", "/api/me/password", mine, { currentPassword: "b".repeat(12), newPassword: `${TEST_PASSWORD}-2` })).status, 204);
  });

  test("PASSWORD-CHANGE: the « Mon compte » page: confirmation must match; success ends the other sessions", async () => {
    const { cookie } = await formLogin(t.app, "moi@example.fr", `${TEST_PASSWORD}-2`);
    const account = await t.app.request("/mon-compte", { headers: { cookie } });
    const html = await account.text();
    assert.match(html, /Changer mon mot de passe/);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? "";
    const mismatch = await t.app.request("/mon-compte/mot-de-passe", form({ _csrf: csrf, currentPassword: `${TEST_PASSWORD}-2`, newPassword: "nouvelle phrase de passe", newPasswordConfirm: "autre phrase de passe" }, cookie));
    assert.equal(mismatch.status, 422);
    assert.match(await mismatch.text(), /Les deux saisies du nouveau mot de passe diffèrent/);
    const wrong = await t.app.request("/mon-compte/mot-de-passe", form({ _csrf: csrf, currentPassword: "faux", newPassword: "nouvelle phrase de passe", newPasswordConfirm: "nouvelle phrase de passe" }, cookie));
    assert.equal(wrong.status, 422);
    assert.match(await wrong.text(), /Mot de passe actuel incorrect/);
    const ok = await t.app.request("/mon-compte/mot-de-passe", form({ _csrf: csrf, currentPassword: `${TEST_PASSWORD}-2`, newPassword: "nouvelle phrase de passe", newPasswordConfirm: "nouvelle phrase de passe" }, cookie));
    assert.equal(ok.status, 303);
    assert.match(await (await t.app.request("/mon-compte?ok=1", { headers: { cookie } })).text(), /Votre mot de passe est modifié/);
  });
});

describe("identity: resetting a forgotten password by mail", () => {
  let t: TestContext;
  let userId: string;
  before(async () => {
    t = await createTestContext("2026-03-02T09:00:00Z", { passwordResetMinutes: 60 });
    userId = await createUser(t.db, { email: "oubli@example.fr", role: "region_officer", fullName: "Léa Oubli" });
  });
  after(() => t.close());

  /** Asks for a link through the page as a browser does; returns the answer's status and text. */
  async function ask(email: string) {
    const page = await t.app.request("/mot-de-passe-oublie");
    const pre = page.headers.getSetCookie().find((c) => c.startsWith("cp_form="))?.split(";")[0] ?? "";
    const token = /name="_csrf_public" value="([^"]+)"/.exec(await page.text())?.[1] ?? "";
    const res = await t.app.request("/mot-de-passe-oublie", form({ email, _csrf_public: token }, pre));
    return { status: res.status, text: (await res.text()).replace(/value="[A-Za-z0-9_-]{43}"/g, "") };
  }
  const mails = () => t.db.selectFrom("notification").select(["body_text", "recipient_email", "subject"]).where("entity", "=", "password_reset").orderBy("created_at").execute();
  const linkIn = (body: string) => /\/mot-de-passe\/nouveau\/([A-Za-z0-9_-]{43})/.exec(body)?.[1] ?? "";
  const setPassword = (token: string, password: string, confirm = password) => t.app.request(`/mot-de-passe/nouveau/${token}`, form({ newPassword: password, newPasswordConfirm: confirm }));

  test("PASSWORD-RESET: the same answer whether the address has an account or not; only a real account gets a mail, with a PUBLIC_URL link", async () => {
    const known = await ask("oubli@example.fr");
    const unknown = await ask("inconnu@example.fr");
    assert.equal(known.status, 200);
    assert.equal(unknown.status, known.status);
    assert.equal(unknown.text.replace("inconnu@example.fr", "oubli@example.fr"), known.text);
    const sent = await mails();
    assert.equal(sent.length, 1);
    assert.equal(sent[0].recipient_email, "oubli@example.fr");
    assert.ok(sent[0].body_text.includes("http://localhost:3000/mot-de-passe/nouveau/"), sent[0].body_text);
    const token = linkIn(sent[0].body_text);
    const stored = await t.db.selectFrom("password_reset").select("token_hash").where("user_id", "=", userId).execute();
    assert.deepEqual(stored.map((r) => r.token_hash), [createHash("sha256").update(token).digest("hex")], "only the token's hash is stored");
  });

  test("PASSWORD-RESET: a link works once; every session ends; the old password is gone", async () => {
    const session = await t.login("oubli@example.fr");
    const token = linkIn((await mails())[0].body_text);
    assert.equal((await t.app.request(`/mot-de-passe/nouveau/${token}`)).status, 200);
    const mismatch = await setPassword(token, "phrase de passe toute neuve", "autre chose encore");
    assert.equal(mismatch.status, 422);
    const short = await setPassword(token, "court");
    assert.equal(short.status, 422);
    assert.match(await short.text(), /12 caractères au moins/);
    const done = await setPassword(token, "phrase de passe toute neuve");
    assert.equal(done.status, 303);
    assert.equal(done.headers.get("location"), "/connexion?info=nouveau-mot-de-passe");
    assert.equal((await t.api("GET", "/api/me", session)).status, 401, "sessions ended");
    assert.equal((await t.api("POST", "/api/auth/login", undefined, { email: "oubli@example.fr", password: TEST_PASSWORD })).status, 401);
    assert.equal((await t.api("POST", "/api/auth/login", undefined, { email: "oubli@example.fr", password: "phrase de passe toute neuve" })).status, 200);
    const again = await setPassword(token, "encore une autre phrase");
    assert.equal(again.status, 410, "used once only");
    assert.match(await again.text(), /n&#39;est plus valable/);
    assert.equal((await t.app.request(`/mot-de-passe/nouveau/${token}`)).status, 410);
  });

  test("PASSWORD-RESET: a link expires after PASSWORD_RESET_MINUTES (59 min works, 60 min does not); a new request retires the previous link", async () => {
    t.clock.set("2026-03-02T10:00:00Z");
    await ask("oubli@example.fr");
    const first = linkIn((await mails()).at(-1)!.body_text);
    await ask("oubli@example.fr");
    const second = linkIn((await mails()).at(-1)!.body_text);
    assert.equal((await t.app.request(`/mot-de-passe/nouveau/${first}`)).status, 410, "replaced by the newer link");
    t.clock.set("2026-03-02T10:59:59Z");
    assert.equal((await t.app.request(`/mot-de-passe/nouveau/${second}`)).status, 200);
    t.clock.set("2026-03-02T11:00:00Z");
    assert.equal((await setPassword(second, "phrase de passe expirée")).status, 410);
  });

  test("PASSWORD-RESET: one recipient gets at most 3 links an hour, whoever asks; the answer does not change", async () => {
    t.clock.set("2026-03-02T14:00:00Z");
    const before = (await mails()).length;
    for (let i = 0; i < 5; i++) assert.equal((await ask("oubli@example.fr")).status, 200);
    assert.equal((await mails()).length - before, 3);
    t.clock.set("2026-03-02T15:00:01Z");
    await ask("oubli@example.fr");
    assert.equal((await mails()).length - before, 4, "an hour later, one more");
  });

  test("PASSWORD-RESET: the form needs its pre-session token", async () => {
    const res = await t.app.request("/mot-de-passe-oublie", form({ email: "oubli@example.fr" }));
    assert.equal(res.status, 403);
  });
});
