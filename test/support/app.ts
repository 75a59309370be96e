import { createApp, type App } from "../../src/app/index.ts";
import { type Config, loadConfig } from "../../src/core/config.ts";
import { hashPassword } from "../../src/core/auth/sessions.ts";
import type { Database } from "../../src/core/db/index.ts";
import type { Role } from "../../src/core/db/schema.ts";
import { fixedClock, newId, type Clock } from "../../src/core/time.ts";
import { createTestDatabase } from "./db.ts";

export interface TestContext {
  database: Database;
  db: Database["db"];
  app: App;
  clock: Clock & { set(iso: string): void };
  close(): Promise<void>;
  /** JSON API call as the given bearer token (or anonymous). */
  api(method: string, path: string, token?: string, body?: unknown): Promise<{ status: number; body: any; headers: Headers }>;
  login(email: string, password?: string): Promise<string>;
  /** Logs in through the form like a browser: cookie + CSRF token for page requests. */
  pageSession(email: string): Promise<PageSession>;
}

export interface PageSession {
  get(path: string): Promise<{ status: number; html: string; location: string | null }>;
  /** A form POST; an array value is sent as repeated fields (checkboxes). */
  post(path: string, form: Record<string, string | string[]>, headers?: Record<string, string>): Promise<{ status: number; html: string; location: string | null }>;
}

export const TEST_PASSWORD = "motdepasse-test";
let cachedHash: string | undefined;

export async function createUser(
  db: Database["db"],
  u: { email: string; role: Role; fullName?: string; providerId?: string; prescriberOrganisationId?: string; traineeId?: string; accessSiteId?: string },
): Promise<string> {
  cachedHash ??= await hashPassword(TEST_PASSWORD);
  const id = newId();
  await db
    .insertInto("app_user")
    .values({
      id,
      email: u.email,
      password_hash: cachedHash,
      full_name: u.fullName ?? u.email.split("@")[0],
      role: u.role,
      provider_id: u.providerId ?? null,
      prescriber_organisation_id: u.prescriberOrganisationId ?? null,
      trainee_id: u.traineeId ?? null,
      access_site_id: u.accessSiteId ?? null,
    })
    .execute();
  return id;
}

/**
 * Logs in through the form as a browser does: the login page first (its pre-session CSRF cookie
 * and field), then the POST. Returns the answer and the `name=value` of the session cookie.
 */
export async function formLogin(app: App, email: string, password = TEST_PASSWORD, extra: Record<string, string> = {}) {
  const page = await app.request("/connexion");
  const preCookie = (page.headers.get("set-cookie") ?? "").split(";")[0];
  const pre = /name="_csrf_public" value="([^"]+)"/.exec(await page.text())?.[1] ?? "";
  const res = await app.request("/connexion", {
    method: "POST",
    body: new URLSearchParams({ email, password, _csrf_public: pre, ...extra }),
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: preCookie },
  });
  const cookie = (res.headers.getSetCookie?.() ?? [res.headers.get("set-cookie") ?? ""]).map((c) => c.split(";")[0]).find((c) => c.includes("cp_session=")) ?? "";
  return { res, cookie };
}

export async function createTestContext(now = "2026-03-02T09:00:00Z", config: Partial<Config> = {}): Promise<TestContext> {
  const database = await createTestDatabase();
  let current = now;
  const clock = { now: () => fixedClock(current).now(), set: (iso: string) => (current = iso) };
  // Tests move the clock by hours or days with the same session: the idle timeout is a week here,
  // and tested with its own setting (src/domains/identity).
  const app = createApp({ db: database.db, clock, config: { ...loadConfig({}), sessionDays: 7, sessionIdleMinutes: 7 * 24 * 60, ...config } });
  const api: TestContext["api"] = async (method, path, token, body) => {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers["content-type"] = "application/json";
    const res = await app.request(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {}
    return { status: res.status, body: parsed, headers: res.headers };
  };
  return {
    database,
    db: database.db,
    app,
    clock,
    close: () => database.close(),
    api,
    async pageSession(email) {
      const { res, cookie } = await formLogin(app, email);
      if (res.status !== 303) throw new Error(`form login ${email} failed (${res.status})`);
      const home = await (await app.request("/", { headers: { cookie } })).text();
      const csrf = /name="_csrf" value="([^"]+)"/.exec(home)?.[1] ?? "";
      const wrap = async (r: Response) => ({ status: r.status, html: await r.text(), location: r.headers.get("location") });
      return {
        get: async (path) => wrap(await app.request(path, { headers: { cookie } })),
        post: async (path, form, headers = {}) =>
          wrap(
            await app.request(path, {
              method: "POST",
              body: new URLSearchParams([["_csrf", csrf], ...Object.entries(form).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x]) : [[k, v]]))]),
              headers: { cookie, "content-type": "application/x-www-form-urlencoded", ...headers },
            }),
          ),
      };
    },
    async login(email, password = TEST_PASSWORD) {
      const res = await api("POST", "/api/auth/login", undefined, { email, password });
      if (res.status !== 200) throw new Error(`login ${email} failed: ${JSON.stringify(res.body)}`);
      return res.body.token as string;
    },
  };
}
