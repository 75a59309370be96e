// Security issue, point 4: headers on every answer, links only to http(s) addresses, generated links
// from PUBLIC_URL (never the Host header), X-Forwarded-For believed only from TRUSTED_PROXIES.
import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { serve } from "@hono/node-server";
import { createTestContext, createUser, type TestContext } from "../support/app.ts";
import { createOrderFixture, type OrderFixture } from "../support/fixtures.ts";
import { loadConfig } from "../../src/core/config.ts";
import { clientAddressOf, proxyMatcher } from "../../src/core/http/client.ts";
import { httpUrl, isHttpUrl } from "../../src/core/inputs.ts";
import { createApp } from "../../src/app/index.ts";
import { mod } from "../../src/domains/paths/testing.ts";
import { centreSlot, validatedPath } from "../../src/domains/schedule/testing.ts";
import { attendanceFixture, insertSlot } from "../../src/domains/attendance/testing.ts";

describe("SECURITY-HEADERS: every answer carries the security headers; the CSP has no 'unsafe-inline'", () => {
  let t: TestContext;
  before(async () => {
    t = await createTestContext();
    await createUser(t.db, { email: "region@example.fr", role: "region_officer" });
  });
  after(() => t.close());

  test("SECURITY-HEADERS: a page, an API answer, a 404 and a static file", async () => {
    const token = await t.login("region@example.fr");
    for (const [path, init] of [["/connexion", {}], ["/api/me", { headers: { authorization: `Bearer ${token}` } }], ["/pas-de-page", {}], ["/api/inconnu", {}], ["/static/app.css", {}]] as const) {
      const res = await t.app.request(path, init);
      const csp = res.headers.get("content-security-policy") ?? "";
      assert.match(csp, /default-src 'self'/, path);
      assert.match(csp, /frame-ancestors 'none'/, path);
      assert.match(csp, /object-src 'none'/, path);
      assert.match(csp, /script-src 'self' 'nonce-[A-Za-z0-9+/=]{24}'/, path);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/, path);
      assert.equal(res.headers.get("x-content-type-options"), "nosniff", path);
      assert.equal(res.headers.get("referrer-policy"), "same-origin", path);
      assert.equal(res.headers.get("x-frame-options"), "DENY", path);
      assert.equal(res.headers.get("strict-transport-security"), null, `${path}: no HSTS on plain http`);
    }
    const a = (await t.app.request("/connexion")).headers.get("content-security-policy");
    const b = (await t.app.request("/connexion")).headers.get("content-security-policy");
    assert.notEqual(a, b, "a fresh nonce per answer");
  });

  test("SECURITY-HEADERS: pages hold no inline script, style attribute nor event handler", async () => {
    const page = await t.pageSession("region@example.fr");
    for (const path of ["/", "/connexion", "/mon-compte", "/comptes", "/mot-de-passe-oublie", "/catalogue", "/boite-mail"]) {
      const { html } = await page.get(path);
      assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, `${path}: inline <script>`);
      assert.doesNotMatch(html, /\sstyle=/, `${path}: style attribute`);
      assert.doesNotMatch(html, /\son[a-z]+=/, `${path}: event handler attribute`);
      assert.doesNotMatch(html, /<style/, `${path}: <style> element`);
    }
  });

  test("SECURITY-HEADERS: HSTS when PUBLIC_URL is https", async () => {
    const tls = createApp({ db: t.db, clock: t.clock, config: loadConfig({ PUBLIC_URL: "https://competences-plus.example" }) });
    const res = await tls.request("/connexion");
    assert.equal(res.headers.get("strict-transport-security"), "max-age=31536000");
    assert.match(res.headers.get("content-security-policy") ?? "", /upgrade-insecure-requests/);
  });
});

describe("HTTP-URL: only http(s) addresses are accepted and rendered as links", () => {
  let t: TestContext;
  let f: OrderFixture;
  let a: { pathId: string; traineeId: string };
  let admin: string;
  before(async () => {
    t = await createTestContext("2026-03-01T09:00:00Z");
    f = await createOrderFixture(t.db);
    // 10 h at distance in the plan: the schedule answers to it (CP-PATH-READJUST).
    const items = [mod(f.moduleIds["Anglais général"], "centre", 4560), mod(f.moduleIds["Techniques de recherche d'emploi"], "centre", 840), mod(f.moduleIds["Anglais à distance (tutorat)"], "distance", 600)];
    a = await validatedPath(t.db, f, { firstName: "Alice", lastName: "Martin", items });
    await createUser(t.db, { email: "alice@exemple.fr", role: "trainee", traineeId: a.traineeId, fullName: "Alice Martin" });
    admin = await t.login(f.adminEmail);
  });
  after(() => t.close());

  const distance = (virtualRoomUrl: string, date = "2026-03-03") =>
    centreSlot(f, [a.pathId], date, "09:00", "12:00", { modality: "distance", moduleId: f.moduleIds["Anglais à distance (tutorat)"], siteId: undefined, virtualRoomUrl });

  test("HTTP-URL: the schema takes https://… and http://…, refuses javascript:, data:, vbscript: and a bare word", () => {
    const schema = httpUrl("Classe virtuelle (lien)");
    for (const ok of ["https://visio.exemple.fr/salle?id=3", "http://visio.exemple.fr", "  https://visio.exemple.fr  "]) assert.ok(schema.safeParse(ok).success, ok);
    for (const bad of ["javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)", "data:text/html,<script>alert(1)</script>", "vbscript:msgbox", "visio.exemple.fr", "https://", "https://visio.exemple.fr/a b"]) {
      const r = schema.safeParse(bad);
      assert.equal(r.success, false, bad);
      assert.match(r.error!.issues[0].message, /^Classe virtuelle \(lien\) : adresse web attendue, commençant par https:\/\/ ou http:\/\//, bad);
    }
    assert.equal(isHttpUrl("javascript:alert(1)"), false);
    assert.equal(isHttpUrl("https://visio.exemple.fr"), true);
  });

  test("HTTP-URL: a javascript: virtual-class link is refused by the API (400, French message naming the field) and by the form (422)", async () => {
    const refused = await t.api("POST", "/api/slots", admin, distance("javascript:alert(document.cookie)"));
    assert.equal(refused.status, 400);
    assert.equal(refused.body.violations[0].field, "virtualRoomUrl");
    assert.match(refused.body.violations[0].message, /virtualRoomUrl : Classe virtuelle \(lien\) : adresse web attendue/);
    const page = await t.pageSession(f.adminEmail);
    const form = await page.post("/planning/creneaux/nouveau", { orderLineId: f.orderLineId, pathIds: a.pathId, moduleId: f.moduleIds["Anglais à distance (tutorat)"], date: "2026-03-03", startTime: "09:00", endTime: "12:00", modality: "distance", virtualRoomUrl: "javascript:alert(1)" });
    assert.equal(form.status, 422);
    assert.match(form.html, /Classe virtuelle \(lien\) : adresse web attendue/);
    const ok = await t.api("POST", "/api/slots", admin, distance("https://visio.exemple.fr/salle"));
    assert.equal(ok.status, 201, JSON.stringify(ok.body));
  });

  test("HTTP-URL: a stored javascript: link (written before this check) is never rendered as a link on the trainee's planning", async () => {
    const made = await t.api("POST", "/api/slots", admin, distance("https://visio.exemple.fr/salle", "2026-03-04"));
    assert.equal(made.status, 201, JSON.stringify(made.body));
    await t.db.updateTable("slot").set({ virtual_room_url: "javascript:alert(document.cookie)" }).where("id", "=", made.body.id).execute();
    const alice = await t.pageSession("alice@exemple.fr");
    const { html } = await alice.get("/mon-planning");
    assert.match(html, /Rejoindre la classe virtuelle/, "the good link of 3 March is there");
    assert.doesNotMatch(html, /href="javascript:/i);
  });
});

describe("PUBLIC-URL: generated links use PUBLIC_URL, never the Host header", () => {
  let t: TestContext;
  before(async () => {
    t = await createTestContext("2026-03-02T08:30:00Z", { publicUrl: "https://competences-plus.example" });
  });
  after(() => t.close());

  test("PUBLIC-URL: the QR code's address and a signing link, asked with Host: evil.example", async () => {
    const f = await attendanceFixture(t.db, 1);
    const trainer = await t.login(f.trainerEmail);
    const slotId = await insertSlot(t.db, f, { status: "open" });
    const headers = { authorization: `Bearer ${trainer}`, host: "evil.example", "content-type": "application/json" };
    const qr = await (await t.app.request(`http://evil.example/api/attendance/slots/${slotId}/qr`, { headers })).json();
    assert.match(qr.url, /^https:\/\/competences-plus\.example\/signer\//);
    const admin = await t.login(f.fx.adminEmail);
    const companySlot = await insertSlot(t.db, f, { status: "open", modality: "company" });
    const link = await t.app.request(`http://evil.example/api/attendance/slots/${companySlot}/links`, {
      method: "POST",
      headers: { ...headers, authorization: `Bearer ${admin}` },
      body: JSON.stringify({ pathId: f.trainees[0].pathId, purpose: "tutor" }),
    });
    const body = await link.json();
    assert.equal(link.status, 201, JSON.stringify(body));
    assert.match(body.url, /^https:\/\/competences-plus\.example\/lien\//);
  });
});

describe("TRUSTED-PROXIES: X-Forwarded-For is believed only from a configured proxy", () => {
  test("TRUSTED-PROXIES: clientAddressOf", () => {
    const none = proxyMatcher([]);
    const proxies = proxyMatcher(["10.0.0.0/8", "::1"]);
    assert.equal(clientAddressOf("203.0.113.9", "198.51.100.1", none), "203.0.113.9", "an untrusted peer's header is ignored");
    assert.equal(clientAddressOf("10.0.0.5", "198.51.100.1", proxies), "198.51.100.1");
    assert.equal(clientAddressOf("::ffff:10.0.0.5", "6.6.6.6, 198.51.100.1, 10.0.0.7", proxies), "198.51.100.1", "read from the right, proxies skipped; the forged left entry is not used");
    assert.equal(clientAddressOf("10.0.0.5", undefined, proxies), "10.0.0.5");
    assert.equal(clientAddressOf(undefined, "198.51.100.1", proxies), null);
    assert.throws(() => proxyMatcher(["proxy.local"]), /TRUSTED_PROXIES/);
  });

  test("TRUSTED-PROXIES: over a socket, a forged X-Forwarded-For does not escape the per-address login lock", async () => {
    const t = await createTestContext();
    const run = async (trustedProxies: string[]) => {
      const app = createApp({ db: t.db, clock: t.clock, config: { ...loadConfig({}), loginMaxFailuresPerAddress: 3, trustedProxies } });
      const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" });
      await new Promise((r) => server.once("listening", r));
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const statuses: number[] = [];
      for (let i = 1; i <= 4; i++) {
        const res = await fetch(`${base}/api/auth/login`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-forwarded-for": `198.51.100.${i}` },
          body: JSON.stringify({ email: `compte${i}-${trustedProxies.length}@example.fr`, password: "faux" }),
        });
        statuses.push(res.status);
      }
      await new Promise((r) => server.close(r));
      await t.db.deleteFrom("throttle_hit").execute();
      return statuses;
    };
    try {
      assert.deepEqual(await run([]), [401, 401, 401, 429], "untrusted: every request is 127.0.0.1's");
      assert.deepEqual(await run(["127.0.0.1"]), [401, 401, 401, 401], "behind a trusted proxy: four different clients");
    } finally {
      await t.close();
    }
  });
});
