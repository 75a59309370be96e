// Processes the outbox (events written in a command's transaction) after commit: nothing is lost
// if the process stops between the command and the processing (ARCHITECTURE: outbox).
import { sql, type Transaction } from "kysely";
import type { Db } from "../db/index.ts";
import type { DB } from "../db/schema.ts";
import type { Clock } from "../time.ts";
import { backoffMs, consoleLog, type JobLog } from "./backoff.ts";

export type OutboxHandler = (tx: Transaction<DB>, payload: Record<string, unknown>) => Promise<void>;

const handlers = new Map<string, OutboxHandler>();
/** Topics without a handler already reported: logged once per process, not once per event. */
const reportedUnknown = new Set<string>();

/** One handler per topic; it runs inside the transaction that claimed the event. */
export function registerOutboxHandler(topic: string, handler: OutboxHandler): void {
  if (handlers.has(topic)) throw new Error(`Outbox handler already registered for "${topic}"`);
  handlers.set(topic, handler);
}

/** Tests register throwaway handlers; they remove them afterwards. */
export function unregisterOutboxHandler(topic: string): void {
  handlers.delete(topic);
}

export interface OutboxRunOptions {
  /** At most this many events per run (the next tick takes the rest). */
  limit?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  log?: JobLog;
}

export interface OutboxRunResult {
  processed: number;
  failed: number;
  unknown: number;
}

type Outcome = "processed" | "failed" | "unknown" | "none";

/**
 * Claims due events one at a time (FOR UPDATE SKIP LOCKED: two workers never take the same row),
 * runs the topic's handler in the claiming transaction and marks the event processed. A handler
 * error rolls back to a savepoint (its writes are undone) and the event is retried later.
 */
export async function runOutboxOnce(db: Db, clock: Clock, options: OutboxRunOptions = {}): Promise<OutboxRunResult> {
  const limit = options.limit ?? 100;
  const log = options.log ?? consoleLog;
  const result: OutboxRunResult = { processed: 0, failed: 0, unknown: 0 };
  for (let i = 0; i < limit; i++) {
    const outcome = await processOne(db, clock, options, log);
    if (outcome === "none") break;
    result[outcome]++;
  }
  return result;
}

async function processOne(db: Db, clock: Clock, options: OutboxRunOptions, log: JobLog): Promise<Outcome> {
  const now = clock.now();
  return db.transaction().execute(async (tx) => {
    // A never-tried event is due at once (its default timestamp comes from the database clock);
    // a failed one waits for its next_attempt_at.
    const event = await tx
      .selectFrom("outbox")
      .select(["id", "topic", "payload", "attempts"])
      .where("processed_at", "is", null)
      .where((eb) => eb.or([eb("attempts", "=", 0), eb("next_attempt_at", "<=", now)]))
      .orderBy("id")
      .limit(1)
      .forUpdate()
      .skipLocked()
      .executeTakeFirst();
    if (!event) return "none";
    const handler = handlers.get(event.topic);
    if (!handler) {
      if (!reportedUnknown.has(event.topic)) {
        reportedUnknown.add(event.topic);
        log(`outbox : aucun traitement pour « ${event.topic} » (événement ${event.id}) — marqué traité (les suivants de ce sujet aussi, sans message).`);
      }
      await tx.updateTable("outbox").set({ processed_at: now }).where("id", "=", event.id).execute();
      return "unknown";
    }
    await sql`savepoint outbox_handler`.execute(tx);
    try {
      await handler(tx, (event.payload ?? {}) as Record<string, unknown>);
      await sql`release savepoint outbox_handler`.execute(tx);
      await tx.updateTable("outbox").set({ processed_at: now }).where("id", "=", event.id).execute();
      return "processed";
    } catch (error) {
      await sql`rollback to savepoint outbox_handler`.execute(tx);
      const attempts = event.attempts + 1;
      const delay = backoffMs(attempts, options.baseDelayMs ?? 30_000, options.maxDelayMs ?? 3_600_000);
      const message = error instanceof Error ? error.message : String(error);
      log(`outbox: échec du traitement « ${event.topic} » (événement ${event.id}, tentative ${attempts}) : ${message}`);
      await tx
        .updateTable("outbox")
        .set({ attempts, last_error: message.slice(0, 2000), next_attempt_at: new Date(now.getTime() + delay) })
        .where("id", "=", event.id)
        .execute();
      return "failed";
    }
  });
}
