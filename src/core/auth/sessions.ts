import { hash, verify } from "@node-rs/argon2";
import { randomBytes } from "node:crypto";
import type { Db } from "../db/index.ts";
import type { Clock } from "../time.ts";
import type { Actor } from "./actor.ts";

export const SESSION_COOKIE = "cp_session";

export const hashPassword = (password: string) => hash(password);

const token = () => randomBytes(32).toString("base64url");

// Verifying against a fixed hash when the email is unknown keeps timing the same for both cases.
let dummyHash: string | undefined;

export async function login(db: Db, clock: Clock, email: string, password: string, days: number) {
  const user = await db
    .selectFrom("app_user")
    .selectAll()
    .where("email", "=", email.trim().toLowerCase())
    .where("active", "=", true)
    .executeTakeFirst();
  dummyHash ??= await hash("compte-inexistant");
  const ok = await verify(user?.password_hash ?? dummyHash, password);
  if (!user || !ok) return undefined;
  const id = token();
  const csrf = token();
  const expires = new Date(clock.now().getTime() + days * 86_400_000);
  await db.insertInto("user_session").values({ id, user_id: user.id, csrf_token: csrf, expires_at: expires }).execute();
  return { sessionId: id, csrfToken: csrf, expires };
}

export async function logout(db: Db, sessionId: string) {
  await db.deleteFrom("user_session").where("id", "=", sessionId).execute();
}

export async function actorForSession(
  db: Db,
  clock: Clock,
  sessionId: string,
): Promise<{ actor: Actor; csrfToken: string } | undefined> {
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
      "s.csrf_token",
    ])
    .where("s.id", "=", sessionId)
    .where("s.expires_at", ">", clock.now())
    .where("u.active", "=", true)
    .executeTakeFirst();
  if (!row) return undefined;
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
    },
  };
}
