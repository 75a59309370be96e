// The one way a path changes status: its row locked, the declared table (PATH_TRANSITIONS) checked,
// a conditional update, and the transition log — all in the caller's transaction.
import type { Transaction } from "kysely";
import type { Actor } from "../../core/auth/actor.ts";
import { isProviderStaff } from "../../core/auth/actor.ts";
import type { DB, PathStatus } from "../../core/db/schema.ts";
import { notFound } from "../../core/errors.ts";
import { logTransition } from "../../core/outbox.ts";
import { changedMeanwhile, requireTransition, type WorkflowWording } from "../../core/workflow.ts";
import { PATH_TRANSITIONS, type PathTransitionFacts, pathStatusLabels } from "./rules.ts";

type Tx = Transaction<DB>;
export type PathTarget = Exclude<PathStatus, "draft">;

const wording: WorkflowWording<PathStatus> = { noun: "Un parcours", labels: pathStatusLabels, code: "TRANSITION" };

/** Locks a path's row for the rest of the transaction; 404 for an unknown path or another provider's. */
export async function lockPath(tx: Tx, actor: Actor, pathId: string) {
  const row = await tx.selectFrom("path").select(["id", "status", "provider_id", "order_id", "entry_date"]).where("id", "=", pathId).forUpdate().executeTakeFirst();
  if (!row || (actor.role !== "region_officer" && !(isProviderStaff(actor) && actor.providerId === row.provider_id))) throw notFound("Parcours");
  return row;
}

type Facts = Omit<PathTransitionFacts, "entryDate">;

/** The table's verdict on a path row, before any write (a quick refusal; transitionPath judges again under lock). */
export function requirePathTransition(row: { status: PathStatus; entry_date: string }, actor: Actor, to: PathTarget, facts: Facts = {}): void {
  requireTransition(PATH_TRANSITIONS, wording, row.status, to, actor.role, { entryDate: row.entry_date, from: row.status, ...facts });
}

/**
 * Moves a path to `to`: refused with 409 when the table does not allow it from its current status,
 * 403 for a role it does not name, 422 when its guard fails. `changes` are written by the same update.
 */
export async function transitionPath(
  tx: Tx,
  actor: Actor,
  pathId: string,
  to: PathTarget,
  opts: { facts?: Facts; reason?: string | null; changes?: { actual_exit_date?: string } } = {},
): Promise<{ from: PathStatus }> {
  const row = await lockPath(tx, actor, pathId);
  requirePathTransition(row, actor, to, opts.facts);
  const updated = await tx
    .updateTable("path")
    .set({ ...opts.changes, status: to, updated_at: new Date() })
    .where("id", "=", pathId)
    .where("status", "=", row.status)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) throw changedMeanwhile("TRANSITION", "Le parcours");
  await logTransition(tx, { entity: "path", entityId: pathId, from: row.status, to, reason: opts.reason ?? null, actorId: actor.userId });
  return { from: row.status };
}
