// Personal data held by core's own tables (docs/privacy.md): a user account, its sessions and
// reset links, the mail sent to it, the history it wrote. Export returns them; erasure
// pseudonymises the account and scrubs a person's identifiers from the free texts core keeps
// (mail, history, transition reasons, outbox payloads, file names).
import { randomBytes } from "node:crypto";
import { type Kysely, sql, type Transaction } from "kysely";
import type { DB } from "./db/schema.ts";
import { forgetSalts } from "./privacy.ts";

type Q = Kysely<DB> | Transaction<DB>;

/** What replaces an erased identifier in a free text. */
export const ERASED_PERSON = "[personne effacée]";
/** What replaces a free text written about an erased person. */
export const ERASED_TEXT = "[effacé]";

/** A user account and what core stores about it (never the password hash nor a token). */
export async function userPersonalData(db: Q, userId: string) {
  const user = await db
    .selectFrom("app_user")
    .select(["id", "email", "full_name", "role", "provider_id", "prescriber_organisation_id", "trainee_id", "active", "created_at"])
    .where("id", "=", userId)
    .executeTakeFirst();
  if (!user) return undefined;
  return {
    account: user,
    sessions: await db.selectFrom("user_session").select(["created_at", "last_seen_at", "expires_at"]).where("user_id", "=", userId).orderBy("created_at").execute(),
    passwordResets: await db.selectFrom("password_reset").select(["created_at", "expires_at", "used_at"]).where("user_id", "=", userId).orderBy("created_at").execute(),
    mail: await mailTo(db, { userId, email: user.email }),
    history: await db.selectFrom("audit_log").select(["action", "entity", "entity_id", "details", "at"]).where("actor_id", "=", userId).orderBy("at").limit(5000).execute(),
  };
}

/** The mail addressed to a person (by account or by address). */
export async function mailTo(db: Q, who: { userId?: string | null; email?: string | null }) {
  if (!who.userId && !who.email) return [];
  return db
    .selectFrom("notification")
    .select(["recipient_email", "subject", "body_text", "status", "created_at", "sent_at"])
    .where((eb) => eb.or([...(who.userId ? [eb("recipient_user_id", "=", who.userId)] : []), ...(who.email ? [eb("recipient_email", "=", who.email)] : [])]))
    .orderBy("created_at")
    .execute();
}

/** Accounts linked to a trainee (their own login). */
export async function usersOfTrainee(db: Q, traineeId: string): Promise<string[]> {
  return (await db.selectFrom("app_user").select("id").where("trainee_id", "=", traineeId).execute()).map((r) => r.id);
}

/**
 * Pseudonymises an account: name « Compte effacé », an address that cannot receive mail, a
 * password nobody knows, deactivated; its sessions and reset links deleted, the mail addressed to
 * it deleted, its salt destroyed. The id stays: the evidence and history it authored still name it.
 */
export async function eraseUser(tx: Transaction<DB>, userId: string): Promise<{ identifiers: string[]; rows: number } | undefined> {
  const u = await tx.selectFrom("app_user").select(["email", "full_name"]).where("id", "=", userId).forUpdate().executeTakeFirst();
  if (!u) return undefined;
  await tx
    .updateTable("app_user")
    .set({ full_name: "Compte effacé", email: `efface-${userId}@invalid.invalid`, password_hash: `effacé:${randomBytes(16).toString("hex")}`, active: false })
    .where("id", "=", userId)
    .execute();
  const n = (r: { numDeletedRows: bigint }) => Number(r.numDeletedRows);
  let rows = 1;
  rows += n(await tx.deleteFrom("user_session").where("user_id", "=", userId).executeTakeFirst());
  rows += n(await tx.deleteFrom("password_reset").where("user_id", "=", userId).executeTakeFirst());
  rows += n(await tx.deleteFrom("notification").where((eb) => eb.or([eb("recipient_user_id", "=", userId), eb("recipient_email", "=", u.email)])).executeTakeFirst());
  rows += n(await tx.deleteFrom("throttle_hit").where("key", "=", u.email.toLowerCase()).executeTakeFirst());
  rows += await forgetSalts(tx, [`user:${userId}`]);
  return { identifiers: [u.full_name, u.email].filter((s) => s.trim().length >= 2), rows };
}

/** Mail addressed to these addresses is deleted (a candidate or trainee without an account). */
export async function deleteMailTo(tx: Transaction<DB>, emails: string[]): Promise<number> {
  if (!emails.length) return 0;
  return Number((await tx.deleteFrom("notification").where("recipient_email", "in", emails).executeTakeFirst()).numDeletedRows);
}

/** The identifiers worth scrubbing (distinct, at least two characters, no JSON escapes). */
const scrubbable = (identifiers: string[]) => [...new Set(identifiers)].filter((s) => s.trim().length >= 2 && !/["\\]/.test(s));

/** The regular expression and the LIKE pattern that find one identifier, both escaped. */
export function patternsOf(identifier: string) {
  return { pattern: identifier.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), like: `%${identifier.replace(/[\\%_]/g, (c) => `\\${c}`)}%` };
}

/**
 * Replaces each identifier (full name, address, phone…) wherever core keeps free text: mail
 * subjects and bodies, the history's details, transition reasons, outbox payloads, file names.
 * Case-insensitive; JSON columns are rewritten as text (identifiers carry no JSON escapes).
 */
export async function scrubIdentifiers(tx: Transaction<DB>, identifiers: string[]): Promise<number> {
  let rows = 0;
  for (const id of scrubbable(identifiers)) {
    const { pattern, like } = patternsOf(id);
    const re = (col: string) => sql<string>`regexp_replace(${sql.ref(col)}, ${pattern}, ${ERASED_PERSON}, 'gi')`;
    const count = (r: { numUpdatedRows: bigint }) => Number(r.numUpdatedRows);
    rows += count(await tx.updateTable("notification").set({ subject: re("subject"), body_text: re("body_text") }).where((eb) => eb.or([eb("subject", "ilike", like), eb("body_text", "ilike", like)])).executeTakeFirst());
    rows += count(await tx.updateTable("notification").set({ recipient_email: `efface@invalid.invalid` }).where("recipient_email", "ilike", id).executeTakeFirst());
    rows += count(await tx.updateTable("audit_log").set({ details: sql`regexp_replace(details::text, ${pattern}, ${ERASED_PERSON}, 'gi')::jsonb` }).where(sql<boolean>`details::text ilike ${like}`).executeTakeFirst());
    rows += count(await tx.updateTable("transition_log").set({ reason: re("reason") }).where("reason", "ilike", like).executeTakeFirst());
    rows += count(await tx.updateTable("outbox").set({ payload: sql`regexp_replace(payload::text, ${pattern}, ${ERASED_PERSON}, 'gi')::jsonb`, last_error: null }).where(sql<boolean>`payload::text ilike ${like}`).executeTakeFirst());
    rows += count(await tx.updateTable("attachment").set({ filename: re("filename") }).where("filename", "ilike", like).executeTakeFirst());
  }
  return rows;
}


/**
 * Replaces each identifier in the given text columns of a domain's table (case-insensitive),
 * optionally only on the rows whose `scope.column` is one of `scope.ids`: the free texts a domain
 * keeps about a person (observations, notes) may name them. Returns the rows rewritten.
 */
export async function scrubColumns(tx: Transaction<DB>, table: keyof DB & string, columns: string[], identifiers: string[], scope?: { column: string; ids: string[] }): Promise<number> {
  if (scope && !scope.ids.length) return 0;
  let rows = 0;
  for (const id of scrubbable(identifiers)) {
    const { pattern, like } = patternsOf(id);
    const sets = sql.join(columns.map((c) => sql`${sql.ref(c)} = regexp_replace(${sql.ref(c)}, ${pattern}, ${ERASED_PERSON}, 'gi')`));
    const found = sql.join(columns.map((c) => sql`${sql.ref(c)} ilike ${like}`), sql` or `);
    const inScope = scope ? sql`and ${sql.ref(scope.column)} = any(${scope.ids}::uuid[])` : sql``;
    const r = await sql`update ${sql.table(table)} set ${sets} where (${found}) ${inScope}`.execute(tx);
    rows += Number(r.numAffectedRows ?? 0);
  }
  return rows;
}

/** Deletes stored files (a candidacy's form or CV) once nothing refers to them any more. */
export async function deleteFiles(tx: Transaction<DB>, ids: string[]): Promise<number> {
  if (!ids.length) return 0;
  return Number((await tx.deleteFrom("attachment").where("id", "in", ids).executeTakeFirst()).numDeletedRows);
}
