// The one way an order changes status: its row locked, the declared table (ORDER_TRANSITIONS)
// checked, a conditional update and the transition log, in the caller's transaction.
import type { Transaction } from "kysely";
import type { Actor } from "../../core/auth/actor.ts";
import type { DB } from "../../core/db/schema.ts";
import { notFound } from "../../core/errors.ts";
import { logTransition } from "../../core/outbox.ts";
import { changedMeanwhile, requireTransition, type WorkflowWording } from "../../core/workflow.ts";
import { ORDER_TRANSITIONS, type OrderStatus, type OrderTransitionFacts, orderStatusLabels } from "./rules.ts";

type Tx = Transaction<DB>;

const wording: WorkflowWording<OrderStatus> = {
  noun: "Une commande",
  labels: orderStatusLabels,
  code: "ORDER_CLOSED",
  refusal: (from) => (from === "closed" ? "Cette commande est déjà close : elle ne se clôture pas deux fois et ne change plus d'état." : undefined),
};

/** Columns set with the status: a closed order carries when, by whom and its findings (CHECK order_closed_when). */
export interface OrderChanges {
  closed_at?: Date;
  closed_by?: string;
  close_findings?: string;
}

/** Moves an order to `to`: 409 when the table does not allow it (or its guard fails), 403 for a role it does not name. */
export async function transitionOrder(
  tx: Tx,
  actor: Actor,
  orderId: string,
  to: OrderStatus,
  opts: { facts?: OrderTransitionFacts; reason?: string | null; changes?: OrderChanges } = {},
): Promise<{ from: OrderStatus }> {
  const row = await tx.selectFrom("order").select(["id", "status"]).where("id", "=", orderId).forUpdate().executeTakeFirst();
  if (!row) throw notFound("Commande");
  requireTransition(ORDER_TRANSITIONS, wording, row.status, to, actor.role, opts.facts ?? {});
  const updated = await tx
    .updateTable("order")
    .set({ ...opts.changes, status: to })
    .where("id", "=", orderId)
    .where("status", "=", row.status)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) throw changedMeanwhile("ORDER_CLOSED", "La commande");
  await logTransition(tx, { entity: "order", entityId: orderId, from: row.status, to, reason: opts.reason ?? null, actorId: actor.userId });
  return { from: row.status };
}
