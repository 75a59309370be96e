// Login sessions: the client holds a random token (cookie or bearer), the database only its
// SHA-256. A session ends at its absolute expiry, after SESSION_IDLE_MINUTES without use, when its
// account is deactivated, or when the password changes.
import { hash, verify } from "@node-rs/argon2";
import { createHash, randomBytes } from "node:crypto";
import type { Config } from "../config.ts";
import type { Db } from "../db/index.ts";
import type { Clock } from "../time.ts";
import type { Actor } from "./actor.ts";
import { clear, type Limit, release, take } from "./throttle.ts";

/** The session cookie: `__Host-` prefixed when Secure (no sub-domain can set or shadow it). */
export const sessionCookie = (config: Pick<Config, "secureCookies">) => (config.secureCookies ? "__Host-cp_session" : "cp_session");

export const hashPassword = (password: string) => hash(password);
export const verifyPassword = (passwordHash: string, password: string) => verify(passwordHash, password);

export const newToken = () => randomBytes(32).toString("base64url");
/** What the database keeps of a token (sessions, reset links): its SHA-256, hex. */
export const tokenHash = (token: string) => createHash("sha256").update(token, "utf8").digest("hex");

export const normaliseEmail = (email: string) => email.trim().toLowerCase();

// Verifying against a fixed hash when the email is unknown keeps timing the same for both cases.
let dummyHash: string | undefined;
export async function verifyOrWaste(passwordHash: string | undefined, password: string): Promise<boolean> {
  dummyHash ??= await hash("compte-inexistant");
  const ok = await verify(passwordHash ?? dummyHash, password);
  return ok && passwordHash !== undefined;
}

export type LoginSettings = Pick<Config, "sessionDays" | "loginMaxFailures" | "loginLockMinutes" | "loginMaxFailuresPerAddress">;

/** Failed logins (and wrong current passwords) per address e-mail, known or not: an unknown address locks like a real one. */
export const accountLimit = (s: LoginSettings): Limit => ({ bucket: "login.account", max: s.loginMaxFailures, windowSeconds: s.loginLockMinutes * 60 });
/** Failed logins per client address, every account together. */
export const addressLimit = (s: LoginSettings): Limit => ({ bucket: "login.address", max: s.loginMaxFailuresPerAddress, windowSeconds: s.loginLockMinutes * 60 });

export interface OpenedSession {
  /** The token for the client (cookie value or bearer); the database has only its hash. */
  sessionId: string;
  csrfToken: string;
  expires: Date;
}
export type LoginResult =
  | { kind: "ok"; session: OpenedSession; userId: string }
  | { kind: "refused" }
  | { kind: "locked"; retryAfterSeconds: number }
  | { kind: "deactivated" };

/**
 * Checks a password under the lockout: every attempt is counted first (per account and per client
 * address) and only a success forgets it, so the (max+1)-th failure within the window is refused
 * without even checking the password, until the window has moved on (LOGIN_LOCK_MINUTES).
 */
export async function login(db: Db, clock: Clock, s: LoginSettings, email: string, password: string, address: string | null): Promise<LoginResult> {
  const key = normaliseEmail(email);
  const now = clock.now();
  const taken = await take(db, now, [
    { limit: accountLimit(s), key },
    { limit: addressLimit(s), key: address ?? "inconnue" },
  ]);
  if (!taken.ok) return { kind: "locked", retryAfterSeconds: taken.retryAfterSeconds };
  const user = await db.selectFrom("app_user").select(["id", "password_hash", "active"]).where("email", "=", key).executeTakeFirst();
  if (!(await verifyOrWaste(user?.password_hash, password)) || !user) return { kind: "refused" };
  await release(db, taken.ids);
  await clear(db, accountLimit(s).bucket, key);
  // Told only to whoever has the password: a deactivated account cannot log in.
  if (!user.active) return { kind: "deactivated" };
  return { kind: "ok", session: await openSession(db, clock, user.id, s.sessionDays), userId: user.id };
}

export async function openSession(db: Db, clock: Clock, userId: string, days: number): Promise<OpenedSession> {
  const token = newToken();
  const csrf = newToken();
  const now = clock.now();
  const expires = new Date(now.getTime() + days * 86_400_000);
  await db.insertInto("user_session").values({ id: tokenHash(token), user_id: userId, csrf_token: csrf, created_at: now, expires_at: expires, last_seen_at: now }).execute();
  return { sessionId: token, csrfToken: csrf, expires };
}

export async function logout(db: Db, token: string) {
  await db.deleteFrom("user_session").where("id", "=", tokenHash(token)).execute();
}

/** Ends every session of an account (deactivation, password reset), or all but the caller's own (password change). */
export async function endSessions(db: Db, userId: string, keepToken?: string) {
  let q = db.deleteFrom("user_session").where("user_id", "=", userId);
  if (keepToken) q = q.where("id", "<>", tokenHash(keepToken));
  await q.execute();
}

/** last_seen_at is written at most once a minute per session, not on every request. */
const TOUCH_EVERY_MS = 60_000;

export async function actorForSession(
  db: Db,
  clock: Clock,
  token: string,
  idleMinutes: number,
): Promise<{ actor: Actor; csrfToken: string } | undefined> {
  const now = clock.now();
  const id = tokenHash(token);
  const row = await db
    .selectFrom("user_session as s")
    .innerJoin("app_user as u", "u.id", "s.user_id")
    .select([
      "u.id",
      "u.role",
      "u.full_name",
      "u.email",
      "u.provider_id",
      "u.prescriber_organisation_id",
      "u.trainee_id",
      "u.access_site_id",
      "s.csrf_token",
      "s.last_seen_at",
    ])
    .where("s.id", "=", id)
    .where("s.expires_at", ">", now)
    .where("s.last_seen_at", ">", new Date(now.getTime() - idleMinutes * 60_000))
    .where("u.active", "=", true)
    .executeTakeFirst();
  if (!row) return undefined;
  if (now.getTime() - new Date(row.last_seen_at).getTime() >= TOUCH_EVERY_MS) {
    await db.updateTable("user_session").set({ last_seen_at: now }).where("id", "=", id).execute();
  }
  return {
    csrfToken: row.csrf_token,
    actor: {
      userId: row.id,
      role: row.role,
      fullName: row.full_name,
      email: row.email,
      providerId: row.provider_id,
      prescriberOrganisationId: row.prescriber_organisation_id,
      traineeId: row.trainee_id,
      accessSiteId: row.access_site_id,
    },
  };
}
