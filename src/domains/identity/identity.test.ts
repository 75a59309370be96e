import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createTestContext, createUser, type TestContext } from "../../../test/support/app.ts";

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
    const res = await t.app.request("/connexion", {
      method: "POST",
      body: new URLSearchParams({ email: "region@example.fr", password: "motdepasse-test", suite: "//evil.example" }),
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get("location"), "/", "an off-site next URL is ignored");
    const cookie = res.headers.get("set-cookie") ?? "";
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Lax/);
    const sessionCookie = cookie.split(";")[0];
    const logout = await t.app.request("/deconnexion", {
      method: "POST",
      body: new URLSearchParams({}),
      headers: { cookie: sessionCookie, "content-type": "application/x-www-form-urlencoded" },
    });
    assert.equal(logout.status, 403);
    const home = await t.app.request("/", { headers: { cookie: sessionCookie } });
    assert.equal(home.status, 200);
    const html = await home.text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
    assert.ok(csrf);
    const ok = await t.app.request("/deconnexion", {
      method: "POST",
      body: new URLSearchParams({ _csrf: csrf! }),
      headers: { cookie: sessionCookie, "content-type": "application/x-www-form-urlencoded" },
    });
    assert.equal(ok.status, 303);
    assert.equal((await t.app.request("/", { headers: { cookie: sessionCookie } })).status, 302, "session ended");
  });
});
