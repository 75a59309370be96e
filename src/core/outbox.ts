import type { Transaction } from "kysely";
import { readModel } from "./db/read-model.ts";
import type { DB } from "./db/schema.ts";

type Tx = Transaction<DB>;

/**
 * Writes an outbox event in the command's own transaction, processed after commit by the handler
 * registered for `topic` (ARCHITECTURE: nothing lost). Only topics with a consumer are written:
 * `src/app/outbox.ts` registers them and a test refuses an `emit` whose topic has none.
 */
export async function emit(tx: Tx, topic: string, payload: Record<string, unknown>): Promise<void> {
  await tx.insertInto("outbox").values({ topic, payload: JSON.stringify(payload) }).execute();
}

/**
 * Records a domain event in the history (audit log), in the command's transaction: what happened,
 * for the people who look back. Nothing consumes it; side effects go through `emit`.
 */
export async function recordEvent(tx: Tx, event: string, details: Record<string, unknown>, actorId: string | null = null): Promise<void> {
  const [entity] = event.split(".");
  const entityId = Object.entries(details).find(([k, v]) => k === `${camel(entity)}Id` && typeof v === "string")?.[1] as string | undefined;
  await audit(tx, { actorId, action: event, entity, entityId, details });
}

const camel = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

export async function audit(
  tx: Tx,
  entry: { actorId: string | null; action: string; entity: string; entityId?: string; details?: Record<string, unknown> },
): Promise<void> {
  await tx
    .insertInto("audit_log")
    .values({
      actor_id: entry.actorId,
      action: entry.action,
      entity: entry.entity,
      entity_id: entry.entityId ?? null,
      details: JSON.stringify(entry.details ?? {}),
    })
    .execute();
}

export async function logTransition(
  tx: Tx,
  t: { entity: string; entityId: string; from: string | null; to: string; reason?: string | null; actorId: string | null },
): Promise<void> {
  await tx
    .insertInto("transition_log")
    .values({ entity: t.entity, entity_id: t.entityId, from_status: t.from, to_status: t.to, reason: t.reason ?? null, actor_id: t.actorId })
    .execute();
}

/** The transition log as a read model: each domain joins it to show its records' history. */
export const transitionLogRows = () => readModel.selectFrom("transition_log").selectAll();
