import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { createTestContext, createUser, formLogin, TEST_PASSWORD, type TestContext } from "../../../test/support/app.ts";
import { createApp } from "../../app/index.ts";
import { login } from "../../core/auth/sessions.ts";
import { loadConfig } from "../../core/config.ts";
import { safeNext } from "./redirect.ts";

const form = (fields: Record<string, string>, cookie = "") => ({
  method: "POST",
  body: new URLSearchParams(fields),
  headers: { "content-type": "application/x-www-form-urlencoded", cookie },
});

describe("identity: login, sessions, CSRF", () => {
  let t: TestContext;
  before(async () => {
    t = await createTestContext();
    await createUser(t.db, { email: "region@example.fr", role: "region_officer", fullName: "Claire Région" });
  });
  after(() => t.close());

  test("API login returns a bearer token that identifies the user", async () => {
    const token = await t.login("region@example.fr");
    const me = await t.api("GET", "/api/me", token);
    assert.equal(me.status, 200);
    assert.equal(me.body.role, "region_officer");
  });

  test("a wrong password is refused with problem+json", async () => {
    const res = await t.api("POST", "/api/auth/login", undefined, { email: "region@example.fr", password: "faux" });
    assert.equal(res.status, 401);
    assert.equal(res.body.code, "INVALID_CREDENTIALS");
    assert.match(res.headers.get("content-type") ?? "", /problem\+json/);
  });

  test("without a session the API answers 401 and pages redirect to the login page", async () => {
    assert.equal((await t.api("GET", "/api/me")).status, 401);
    const page = await t.app.request("/");
    assert.equal(page.status, 302);
    assert.equal(page.headers.get("location"), "/connexion");
  });

  test("form login sets an httpOnly SameSite cookie; a cookie write without the CSRF token is refused", async () => {
    const { res, cookie: sessionCookie } = await formLogin(t.app, "region@example.fr");
    assert.equal(res.status, 303);
    assert.equal(res.headers.get("location"), "/");
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith("cp_session=")) ?? "";
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Lax/);
    const logout = await t.app.request("/deconnexion", form({}, sessionCookie));
    assert.equal(logout.status, 403);
    const home = await t.app.request("/", { headers: { cookie: sessionCookie } });
    assert.equal(home.status, 200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await home.text())?.[1];
    assert.ok(csrf);
    const ok = await t.app.request("/deconnexion", form({ _csrf: csrf! }, sessionCookie));
    assert.equal(ok.status, 303);
    assert.equal((await t.app.request("/", { headers: { cookie: sessionCookie } })).status, 302, "session ended");
  });

  test("login CSRF: the form needs its pre-session token, equal to the cookie's (double submit)", async () => {
    const page = await t.app.request("/connexion");
    const pre = page.headers.getSetCookie().find((c) => c.startsWith("cp_form="))?.split(";")[0] ?? "";
    const token = /name="_csrf_public" value="([^"]+)"/.exec(await page.text())?.[1] ?? "";
    assert.ok(pre && token);
    const fields = { email: "region@example.fr", password: TEST_PASSWORD };
    assert.equal((await t.app.request("/connexion", form(fields))).status, 403, "no token, no cookie");
    assert.equal((await t.app.request("/connexion", form({ ...fields, _csrf_public: token }))).status, 403, "token without its cookie (another site's form)");
    assert.equal((await t.app.request("/connexion", form({ ...fields, _csrf_public: `${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}` }, pre))).status, 403, "token differs from the cookie");
    const ok = await t.app.request("/connexion", form({ ...fields, _csrf_public: token }, pre));
    assert.equal(ok.status, 303);
  });

  test("no open redirect after login: //host, /\\host, /%09/host, https://x fall back to /; a path of the site is kept", async () => {
    for (const suite of ["//evil.example", "/\\evil.example", "/\t/evil.example", "/%09/evil.example", "/%2F/evil.example", "https://evil.example", "http:evil.example", " /evil", "/\r\n/evil.example"]) {
      const { res } = await formLogin(t.app, "region@example.fr", TEST_PASSWORD, { suite });
      assert.equal(res.headers.get("location"), "/", JSON.stringify(suite));
    }
    const { res } = await formLogin(t.app, "region@example.fr", TEST_PASSWORD, { suite: "/candidatures?session=3#liste" });
    assert.equal(res.headers.get("location"), "/candidatures?session=3#liste");
    assert.equal(safeNext("/%5Cevil.example"), "/");
    assert.equal(safeNext(["/a"]), "/");
  });

  test("the database keeps only the SHA-256 of a session token", async () => {
    const token = await t.login("region@example.fr");
    const hash = createHash("sha256").update(token).digest("hex");
    assert.equal((await t.db.selectFrom("user_session").select("id").where("id", "=", token).execute()).length, 0);
    assert.equal((await t.db.selectFrom("user_session").select("id").where("id", "=", hash).execute()).length, 1);
    // A copy of the table opens nothing: the hash itself is not a token.
    assert.equal((await t.api("GET", "/api/me", hash)).status, 401);
  });
});

describe("identity: lockout after failed logins (stored in the database, injected clock)", () => {
  let t: TestContext;
  const EMAIL = "cible@example.fr";
  const wrong = () => t.api("POST", "/api/auth/login", undefined, { email: EMAIL, password: "mauvais-mot-de-passe" });
  const right = () => t.api("POST", "/api/auth/login", undefined, { email: EMAIL, password: TEST_PASSWORD });
  before(async () => {
    t = await createTestContext("2026-03-02T09:00:00Z", { loginMaxFailures: 5, loginLockMinutes: 15 });
    await createUser(t.db, { email: EMAIL, role: "region_officer" });
  });
  after(() => t.close());

  test("LOGIN-LOCKOUT: the 5th wrong password still answers 401; the 6th attempt, even with the right password, is 429 until 15 minutes have passed", async () => {
    for (let i = 1; i <= 5; i++) assert.equal((await wrong()).status, 401, `failure ${i}`);
    const locked = await right();
    assert.equal(locked.status, 429);
    assert.equal(locked.body.code, "LOGIN_LOCKED");
    assert.match(locked.body.detail, /réessayez dans 15 minutes/);
    assert.equal(locked.headers.get("retry-after"), "900");
    // Refused attempts do not prolong the lock.
    t.clock.set("2026-03-02T09:14:59Z");
    assert.equal((await right()).status, 429, "one second early");
    assert.equal((await wrong()).status, 429);
    t.clock.set("2026-03-02T09:15:00Z");
    assert.equal((await right()).status, 200, "the lock lifts after the delay");
    // A success forgets the account's failures: five more tries before the next lock.
    for (let i = 1; i <= 5; i++) assert.equal((await wrong()).status, 401);
    assert.equal((await wrong()).status, 429);
    t.clock.set("2026-03-02T09:30:00Z");
  });

  test("LOGIN-LOCKOUT: the page form locks the same way (429 page in French, Retry-After)", async () => {
    const other = "page@example.fr";
    await createUser(t.db, { email: other, role: "region_officer" });
    for (let i = 1; i <= 5; i++) assert.equal((await formLogin(t.app, other, "faux-mot-de-passe")).res.status, 401);
    const { res } = await formLogin(t.app, other);
    assert.equal(res.status, 429);
    assert.ok(Number(res.headers.get("retry-after")) > 0);
    assert.match(await res.text(), /Trop de tentatives de connexion : réessayez dans 15 minutes/);
    t.clock.set("2026-03-02T09:45:00Z");
    assert.equal((await formLogin(t.app, other)).res.status, 303);
  });

  test("LOGIN-LOCKOUT: an unknown address locks exactly like an existing one (no account enumeration)", async () => {
    t.clock.set("2026-03-02T10:00:00Z");
    const ask = () => t.api("POST", "/api/auth/login", undefined, { email: "personne@example.fr", password: "x" });
    for (let i = 1; i <= 5; i++) assert.equal((await ask()).status, 401);
    const sixth = await ask();
    assert.equal(sixth.status, 429);
    assert.equal(sixth.headers.get("retry-after"), "900");
  });

  test("LOGIN-LOCKOUT: a burst of 30 parallel wrong passwords lets at most 5 be checked", async () => {
    t.clock.set("2026-03-02T11:00:00Z");
    await createUser(t.db, { email: "rafale@example.fr", role: "region_officer" });
    const answers = await Promise.all(Array.from({ length: 30 }, () => t.api("POST", "/api/auth/login", undefined, { email: "rafale@example.fr", password: "faux" })));
    const checked = answers.filter((a) => a.status === 401).length;
    // Every attempt is counted before its password is checked: a burst fails closed.
    assert.ok(checked <= 5, `${checked} passwords checked`);
    assert.equal(answers.filter((a) => a.status === 429).length, 30 - checked);
  });

  test("LOGIN-LOCKOUT: the lock holds for another server process on the same database", async () => {
    t.clock.set("2026-03-02T12:00:00Z");
    await createUser(t.db, { email: "deux@example.fr", role: "region_officer" });
    for (let i = 1; i <= 5; i++) await t.api("POST", "/api/auth/login", undefined, { email: "deux@example.fr", password: "faux" });
    const second = createApp({ db: t.db, clock: t.clock, config: { ...loadConfig({}), loginMaxFailures: 5, loginLockMinutes: 15 } });
    const res = await second.request("/api/auth/login", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: "deux@example.fr", password: TEST_PASSWORD }) });
    assert.equal(res.status, 429);
  });

  test("LOGIN-LOCKOUT: per client address, failures on many accounts lock that address only", async () => {
    t.clock.set("2026-03-02T13:00:00Z");
    const s = { ...loadConfig({}), loginMaxFailures: 5, loginLockMinutes: 15, loginMaxFailuresPerAddress: 8 };
    for (let i = 1; i <= 8; i++) assert.equal((await login(t.db, t.clock, s, `spray${i}@example.fr`, "Printemps2026", "192.0.2.7")).kind, "refused");
    assert.equal((await login(t.db, t.clock, s, EMAIL, TEST_PASSWORD, "192.0.2.7")).kind, "locked", "the spraying address is locked");
    assert.equal((await login(t.db, t.clock, s, EMAIL, TEST_PASSWORD, "198.51.100.4")).kind, "ok", "another address is not");
  });
});

describe("identity: idle timeout and absolute expiry", () => {
  let t: TestContext;
  before(async () => {
    t = await createTestContext("2026-03-02T09:00:00Z", { sessionIdleMinutes: 30, sessionDays: 1 });
    await createUser(t.db, { email: "idle@example.fr", role: "region_officer" });
  });
  after(() => t.close());

  test("SESSION-IDLE: a session used every 29 minutes lives on; 30 minutes without use end it", async () => {
    const token = await t.login("idle@example.fr");
    for (const at of ["09:29", "09:58", "10:27"]) {
      t.clock.set(`2026-03-02T${at}:00Z`);
      assert.equal((await t.api("GET", "/api/me", token)).status, 200, at);
    }
    t.clock.set("2026-03-02T10:57:00Z");
    assert.equal((await t.api("GET", "/api/me", token)).status, 401, "30 minutes idle");
  });

  test("SESSION-EXPIRY: a session in use still ends at its absolute expiry (SESSION_DAYS)", async () => {
    t.clock.set("2026-03-03T09:00:00Z");
    const token = await t.login("idle@example.fr");
    // Kept alive by use every 20 minutes up to the last minute of its day…
    const base = Date.parse("2026-03-03T09:00:00Z");
    for (let m = 20; m < 24 * 60; m += 20) {
      t.clock.set(new Date(base + m * 60_000).toISOString());
      assert.equal((await t.api("GET", "/api/me", token)).status, 200, `minute ${m}`);
    }
    t.clock.set("2026-03-04T09:00:00Z");
    assert.equal((await t.api("GET", "/api/me", token)).status, 401, "…and over after exactly one day");
  });
});

describe("identity: cookies are Secure unless running on plain http locally", () => {
  test("COOKIE-SECURE: loadConfig", () => {
    assert.equal(loadConfig({}).secureCookies, false, "default PUBLIC_URL http://localhost:3000 (npm run demo)");
    assert.equal(loadConfig({ PUBLIC_URL: "http://127.0.0.1:8080" }).secureCookies, false);
    assert.equal(loadConfig({ PUBLIC_URL: "https://competences-plus.laregion.fr" }).secureCookies, true);
    assert.equal(loadConfig({ PUBLIC_URL: "http://plateforme.example" }).secureCookies, true, "plain http elsewhere than locally still gets Secure cookies");
    assert.equal(loadConfig({ PUBLIC_URL: "https://competences-plus.laregion.fr", INSECURE_COOKIES: "1" }).secureCookies, false, "only when asked explicitly");
  });

  test("COOKIE-SECURE: behind https the session cookie is Secure and __Host- prefixed, and it works", async () => {
    const t = await createTestContext("2026-03-02T09:00:00Z", loadConfig({ PUBLIC_URL: "https://competences-plus.example" }));
    try {
      await createUser(t.db, { email: "tls@example.fr", role: "region_officer" });
      const page = await t.app.request("/connexion");
      const pre = page.headers.getSetCookie()[0];
      assert.match(pre, /^__Host-cp_form=.*; Secure/);
      const token = /name="_csrf_public" value="([^"]+)"/.exec(await page.text())?.[1] ?? "";
      const res = await t.app.request("/connexion", form({ email: "tls@example.fr", password: TEST_PASSWORD, _csrf_public: token }, pre.split(";")[0]));
      assert.equal(res.status, 303);
      const session = res.headers.getSetCookie().find((c) => c.startsWith("__Host-cp_session=")) ?? "";
      assert.match(session, /; Secure/);
      assert.match(session, /HttpOnly/);
      assert.equal((await t.app.request("/", { headers: { cookie: session.split(";")[0] } })).status, 200);
    } finally {
      await t.close();
    }
  });
});
