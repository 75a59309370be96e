import type { Transaction } from "kysely";
import type { DB } from "./db/schema.ts";

type Tx = Transaction<DB>;

/** Written in the command's own transaction; processed after commit (ARCHITECTURE: nothing lost). */
export async function emit(tx: Tx, topic: string, payload: Record<string, unknown>): Promise<void> {
  await tx.insertInto("outbox").values({ topic, payload: JSON.stringify(payload) }).execute();
}

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
