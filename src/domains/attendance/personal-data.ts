// Personal data held by attendance (docs/privacy.md): a trainee's presences with their drawn
// signatures and deliverables, the evidence entries of their paths (IP address, device), their
// phones' sessions, signing links and help requests. Erasure keeps every fact the order's
// realised hours and billing rest on, and the evidence chain verifying (ADR 0021): drawings become
// the SHA-256 their proof states, the IP and device of version 3 entries go with the path's salt.
import { sql, type Kysely, type Transaction } from "kysely";
import type { DB } from "../../core/db/schema.ts";
import { ERASED_TEXT } from "../../core/personal-data.ts";
import { forgetSalts } from "../../core/privacy.ts";
import { sha256 } from "./evidence.ts";
import { ERASED_DRAWING } from "./proof.ts";

type Q = Kysely<DB> | Transaction<DB>;

/** A trainee's attendance data: presences (with their drawings), evidence entries, phones, links, questions. */
export async function attendancePersonalData(db: Q, traineeId: string, pathIds: string[]) {
  const none = pathIds.length === 0;
  return {
    attendance: none ? [] : await db.selectFrom("attendance").selectAll().where("path_id", "in", pathIds).orderBy("created_at").execute(),
    evidence: none
      ? []
      : await db
          .selectFrom("evidence")
          .select(["slot_id", "seq", "kind", "actor_id", "actor_role", "path_id", "at", "ip", "user_agent", "personal", "method", "reason", "payload", "hash", "hash_version"])
          .where("path_id", "in", pathIds)
          .orderBy("at")
          .execute(),
    deviceSessions: await db.selectFrom("device_session").select(["label", "created_at", "expires_at", "last_seen_at", "revoked_at"]).where("trainee_id", "=", traineeId).execute(),
    signingLinks: none ? [] : await db.selectFrom("signing_link").select(["purpose", "slot_id", "path_id", "expires_at", "used_at", "created_at"]).where("path_id", "in", pathIds).execute(),
    helpRequests: none ? [] : await db.selectFrom("help_request").selectAll().where("path_id", "in", pathIds).execute(),
  };
}

/**
 * Erases a trainee's attendance data (caller's transaction): drawings and deliverables replaced by
 * the hash their proof states, the IP and device blanked on their version 3 evidence entries and the
 * paths' salts destroyed, phones' sessions and signing links deleted, questions and answers blanked.
 * Statuses, minutes, times and the chain stay: realised hours, billing and verification are unchanged.
 * Entries of versions 1 and 2 hashed the IP and device in clear: they keep them (ADR 0021).
 */
export async function eraseAttendance(tx: Transaction<DB>, traineeId: string, pathIds: string[]): Promise<number> {
  let rows = Number((await tx.deleteFrom("device_session").where("trainee_id", "=", traineeId).executeTakeFirst()).numDeletedRows);
  if (!pathIds.length) return rows;
  const n = (r: { numUpdatedRows: bigint } | { numDeletedRows: bigint }) => Number("numUpdatedRows" in r ? r.numUpdatedRows : r.numDeletedRows);
  for (const a of await tx.selectFrom("attendance").select(["id", "signature", "deliverable"]).where("path_id", "in", pathIds).execute()) {
    const erase = (v: string | null) => (v === null || v.startsWith(ERASED_DRAWING) ? v : `${ERASED_DRAWING}${sha256(v)}`);
    if (erase(a.signature) === a.signature && erase(a.deliverable) === a.deliverable) continue;
    rows += n(await tx.updateTable("attendance").set({ signature: erase(a.signature), deliverable: erase(a.deliverable) }).where("id", "=", a.id).executeTakeFirst());
  }
  rows += n(await tx.updateTable("evidence").set({ ip: null, user_agent: null, personal: null }).where("path_id", "in", pathIds).where("hash_version", ">=", 3).where(sql<boolean>`(ip is not null or user_agent is not null or personal is not null)`).executeTakeFirst());
  rows += await forgetSalts(tx, pathIds.map((id) => `path:${id}`));
  rows += n(await tx.deleteFrom("signing_link").where("path_id", "in", pathIds).executeTakeFirst());
  rows += n(await tx.updateTable("help_request").set({ question: ERASED_TEXT, answer: sql`case when answer is null then null else ${ERASED_TEXT} end` }).where("path_id", "in", pathIds).executeTakeFirst());
  return rows;
}

/** Phones' sessions ended (expired or revoked) and signing links past their end: deleted by the purge. */
export async function purgeExpiredAccess(db: Q, now: Date): Promise<{ deviceSessions: number; signingLinks: number }> {
  return {
    deviceSessions: Number((await db.deleteFrom("device_session").where((eb) => eb.or([eb("expires_at", "<", now), eb("revoked_at", "is not", null)])).executeTakeFirst()).numDeletedRows),
    signingLinks: Number((await db.deleteFrom("signing_link").where("expires_at", "<", now).executeTakeFirst()).numDeletedRows),
  };
}
