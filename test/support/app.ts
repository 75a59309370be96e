import { createApp, type App } from "../../src/core/http/app.tsx";
import { loadConfig } from "../../src/core/config.ts";
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
}

export const TEST_PASSWORD = "motdepasse-test";
let cachedHash: string | undefined;

export async function createUser(
  db: Database["db"],
  u: { email: string; role: Role; fullName?: string; providerId?: string; prescriberOrganisationId?: string; traineeId?: string },
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
    })
    .execute();
  return id;
}

export async function createTestContext(now = "2026-03-02T09:00:00Z"): Promise<TestContext> {
  const database = await createTestDatabase();
  let current = now;
  const clock = { now: () => fixedClock(current).now(), set: (iso: string) => (current = iso) };
  const app = createApp({ db: database.db, clock, config: { ...loadConfig({}), sessionDays: 7 } });
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
    async login(email, password = TEST_PASSWORD) {
      const res = await api("POST", "/api/auth/login", undefined, { email, password });
      if (res.status !== 200) throw new Error(`login ${email} failed: ${JSON.stringify(res.body)}`);
      return res.body.token as string;
    },
  };
}
