// Personal data (docs/privacy.md, ADR 0021): the salts that key personal fields in the attendance
// evidence, and the record of erasures. A salt is drawn once per subject and deleted on erasure:
// HMAC(salt, value) then says nothing about the value, yet the evidence chain that hashed the HMAC
// still verifies.
import { createHmac, randomBytes } from "node:crypto";
import { type Kysely, sql, type Transaction } from "kysely";
import { readModel } from "./db/read-model.ts";
import type { DB } from "./db/schema.ts";

type Q = Kysely<DB> | Transaction<DB>;

/** HMAC-SHA256 (hex) of a text under a subject's salt. */
export const saltedDigest = (salt: Buffer, text: string) => createHmac("sha256", salt).update(text, "utf8").digest("hex");

/**
 * The salts of these subjects, drawn for the ones that have none yet (call it in the command's
 * transaction). Usually one SELECT; an INSERT … ON CONFLICT DO NOTHING for the new ones, then a
 * second SELECT for any another transaction drew at the same time.
 */
export async function saltsFor(tx: Q, subjects: string[]): Promise<Map<string, Buffer>> {
  const wanted = [...new Set(subjects)];
  const found = new Map<string, Buffer>();
  if (!wanted.length) return found;
  const read = async (ids: string[]) => {
    for (const r of await tx.selectFrom("personal_salt").select(["subject", "salt"]).where("subject", "in", ids).execute()) found.set(r.subject, Buffer.from(r.salt));
  };
  await read(wanted);
  const missing = wanted.filter((s) => !found.has(s));
  if (!missing.length) return found;
  const inserted = await tx
    .insertInto("personal_salt")
    .values(missing.map((subject) => ({ subject, salt: randomBytes(32) })))
    .onConflict((oc) => oc.doNothing())
    .returning(["subject", "salt"])
    .execute();
  for (const r of inserted) found.set(r.subject, Buffer.from(r.salt));
  const stillMissing = missing.filter((s) => !found.has(s));
  if (stillMissing.length) await read(stillMissing);
  return found;
}

/** Destroys the salts of these subjects: what they keyed can no longer be linked to anyone. */
export async function forgetSalts(tx: Q, subjects: string[]): Promise<number> {
  if (!subjects.length) return 0;
  const r = await tx.deleteFrom("personal_salt").where("subject", "in", subjects).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** The salts as a read model (the evidence verifier joins it). */
export const personalSaltRows = () => readModel.selectFrom("personal_salt").select(["subject", "salt"]);
/** Each salt's row version (xmin, ctid): any write to the row changes it (an evidence seal covers it, docs/adr/0047). */
export const personalSaltVersions = () => readModel.selectFrom("personal_salt").select(["subject", sql<string>`xmin::text || ':' || ctid::text`.as("version")]);

/** The subject whose salt keys an evidence entry: the trainee's path, else the author's account, else the sheet. */
export const evidenceSubject = (e: { pathId?: string | null; actorId: string | null; slotId: string }) =>
  e.pathId ? `path:${e.pathId}` : e.actorId ? `user:${e.actorId}` : `slot:${e.slotId}`;

/** Stores salts drawn ahead (the demo's seeded history builds its evidence rows before inserting them). */
export async function storeSalts(tx: Q, salts: Map<string, Buffer>): Promise<void> {
  const rows = [...salts].map(([subject, salt]) => ({ subject, salt }));
  for (let i = 0; i < rows.length; i += 500) await tx.insertInto("personal_salt").values(rows.slice(i, i + 500)).onConflict((oc) => oc.doNothing()).execute();
}

/** The erasures done, as a read model (a domain skips the people already erased). */
export const erasureRows = () => readModel.selectFrom("privacy_erasure").select(["id", "subject_kind", "subject_id", "cause", "erased_at"]);

/** Records an erasure (in its transaction): who, why, when and how many rows — never the erased data. */
export async function recordErasure(
  tx: Transaction<DB>,
  e: { id: string; kind: "trainee" | "candidate" | "user"; subjectId: string; cause: "request" | "retention"; reason: string | null; erasedBy: string | null; at: Date; counts: Record<string, number> },
): Promise<void> {
  await tx
    .insertInto("privacy_erasure")
    .values({ id: e.id, subject_kind: e.kind, subject_id: e.subjectId, cause: e.cause, reason: e.reason, erased_by: e.erasedBy, erased_at: e.at, counts: JSON.stringify(e.counts) })
    .execute();
}

/** The erasures of a subject (the Region's page shows them). */
export const erasuresOf = (db: Q, kind: string, subjectId: string) =>
  db.selectFrom("privacy_erasure").selectAll().where("subject_kind", "=", kind as "trainee").where("subject_id", "=", subjectId).orderBy("erased_at").execute();

/** A read of a person's record (page or API): who, when, what (ADR 0021). Written outside any command. */
export async function recordRead(db: Q, r: { actorId: string; entity: string; entityId: string; route: string; via: "page" | "api" }): Promise<void> {
  await db.insertInto("audit_log").values({ actor_id: r.actorId, action: "record.read", entity: r.entity, entity_id: r.entityId, details: JSON.stringify({ route: r.route, via: r.via }) }).execute();
}

/** The reads of these records, newest first, with the reader's name and role. */
export async function readsOf(db: Q, records: { entity: string; ids: string[] }[], limit = 500) {
  const wanted = records.filter((r) => r.ids.length);
  if (!wanted.length) return [];
  return db
    .selectFrom("audit_log as l")
    .leftJoin("app_user as u", "u.id", "l.actor_id")
    .select(["l.at", "l.entity", "l.entity_id", "l.details", "l.action", "u.full_name", "u.role", "u.email"])
    .where("l.action", "in", ["record.read", "personal-data.export"])
    .where((eb) => eb.or(wanted.map((r) => eb.and([eb("l.entity", "=", r.entity), eb("l.entity_id", "in", r.ids)]))))
    .orderBy("l.at", "desc")
    .orderBy("l.id", "desc")
    .limit(limit)
    .execute();
}

/**
 * Retention of core's own tables (the purge job, docs/privacy.md): sessions past their end or idle
 * limit, reset links expired or used, counted attempts older than two days (the throttle's own horizon), and the body of mail sent
 * (or given up) more than `mailBodyDays` ago. Returns the rows removed or blanked per table.
 */
export async function purgeCoreExpired(db: Q, now: Date, opts: { sessionIdleMinutes: number; mailBodyDays: number }) {
  const idle = new Date(now.getTime() - opts.sessionIdleMinutes * 60_000);
  const twoDays = new Date(now.getTime() - 2 * 24 * 3600_000);
  const mailBefore = new Date(now.getTime() - opts.mailBodyDays * 24 * 3600_000);
  const n = (r: { numDeletedRows: bigint } | { numUpdatedRows: bigint }) => Number("numDeletedRows" in r ? r.numDeletedRows : r.numUpdatedRows);
  return {
    sessions: n(await db.deleteFrom("user_session").where((eb) => eb.or([eb("expires_at", "<", now), eb("last_seen_at", "<", idle)])).executeTakeFirst()),
    passwordResets: n(await db.deleteFrom("password_reset").where((eb) => eb.or([eb("expires_at", "<", now), eb("used_at", "is not", null)])).executeTakeFirst()),
    throttle: n(await db.deleteFrom("throttle_hit").where("at", "<", twoDays).executeTakeFirst()),
    mailBodies: n(
      await db
        .updateTable("notification")
        .set({ body_text: "", last_error: null })
        .where("status", "in", ["sent", "failed"])
        .where("created_at", "<", mailBefore)
        .where("body_text", "<>", "")
        .executeTakeFirst(),
    ),
  };
}
