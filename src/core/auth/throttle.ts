// Counting attempts in the database, so that a limit holds across server processes and restarts:
// failed logins per account and per client address, public forms per address and per recipient.
// Time comes from the caller's injected clock.
import type { Kysely } from "kysely";
import type { DB } from "../db/schema.ts";
import { newId } from "../time.ts";

/** At most `max` hits of one key within `windowSeconds` (a sliding window). */
export interface Limit {
  bucket: string;
  max: number;
  windowSeconds: number;
}
export interface Hit {
  limit: Limit;
  key: string;
}
export type Taken = { ok: true; ids: string[] } | { ok: false; retryAfterSeconds: number };

/** No bucket counts further back than this: older rows are removed as hits come. */
const OLDEST_KEPT_MS = 2 * 86_400_000;

/**
 * Records the hits, then counts each key's hits in its window, these included. Inserting first
 * and counting after means concurrent attempts see each other: a burst of a hundred parallel
 * requests lets at most `max` through. A refused hit is removed again, so that waiting frees the
 * key and refused attempts do not prolong a lock; the answer says how long to wait.
 */
export async function take(db: Kysely<DB>, now: Date, hits: Hit[]): Promise<Taken> {
  const ids = hits.map(() => newId());
  await db
    .insertInto("throttle_hit")
    .values(hits.map((h, i) => ({ id: ids[i], bucket: h.limit.bucket, key: h.key, at: now })))
    .execute();
  let wait = 0;
  for (const h of hits) {
    const since = new Date(now.getTime() - h.limit.windowSeconds * 1000);
    const { n } = await db
      .selectFrom("throttle_hit")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .where("bucket", "=", h.limit.bucket)
      .where("key", "=", h.key)
      .where("at", ">", since)
      .executeTakeFirstOrThrow();
    if (Number(n) > h.limit.max) wait = Math.max(wait, await secondsUntilFree(db, now, h, ids));
  }
  await db.deleteFrom("throttle_hit").where("at", "<", new Date(now.getTime() - OLDEST_KEPT_MS)).execute();
  if (wait === 0) return { ok: true, ids };
  await release(db, ids);
  return { ok: false, retryAfterSeconds: wait };
}

/** When the key will take one more hit: the max-th most recent other hit leaves the window. */
async function secondsUntilFree(db: Kysely<DB>, now: Date, h: Hit, own: string[]): Promise<number> {
  const row = await db
    .selectFrom("throttle_hit")
    .select("at")
    .where("bucket", "=", h.limit.bucket)
    .where("key", "=", h.key)
    .where("id", "not in", own)
    .orderBy("at", "desc")
    .offset(h.limit.max - 1)
    .limit(1)
    .executeTakeFirst();
  if (!row) return 1;
  return Math.max(1, Math.ceil((new Date(row.at).getTime() + h.limit.windowSeconds * 1000 - now.getTime()) / 1000));
}

/** Forgets hits that turned out fine (a successful login is not a failure). */
export async function release(db: Kysely<DB>, ids: string[]): Promise<void> {
  if (ids.length) await db.deleteFrom("throttle_hit").where("id", "in", ids).execute();
}

/** Forgets every hit of a key (a successful login or a password reset clears the account's failures). */
export async function clear(db: Kysely<DB>, bucket: string, key: string): Promise<void> {
  await db.deleteFrom("throttle_hit").where("bucket", "=", bucket).where("key", "=", key).execute();
}

/** « 15 minutes », « 1 minute », « 2 heures » — how long to wait, for French messages. */
export function waitText(seconds: number): string {
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 120) return `${minutes} minute${minutes > 1 ? "s" : ""}`;
  const hours = Math.ceil(minutes / 60);
  return `${hours} heures`;
}
