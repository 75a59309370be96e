// The one way a slot changes status (the schedule domain owns slots): its row locked, the declared
// table (SLOT_TRANSITIONS) checked, a conditional update and the transition log, in the caller's
// transaction. The attendance sheet opens and closes slots through it.
import type { Transaction } from "kysely";
import type { Actor } from "../../core/auth/actor.ts";
import { isProviderStaff } from "../../core/auth/actor.ts";
import type { DB } from "../../core/db/schema.ts";
import { notFound } from "../../core/errors.ts";
import { logTransition } from "../../core/outbox.ts";
import { changedMeanwhile, requireTransition, type WorkflowWording } from "../../core/workflow.ts";
import { SLOT_TRANSITIONS, type SlotStatus, type SlotTransitionFacts, slotStatusLabels } from "./rules.ts";

type Tx = Transaction<DB>;

const wording: WorkflowWording<SlotStatus> = { noun: "Un créneau", labels: slotStatusLabels, code: "SLOT-TRANSITION" };

/** Columns a transition may set with the status, in the same update. */
export interface SlotChanges {
  cancel_reason?: string;
  cancelled_for_trainer_absence?: boolean;
  replacement_trainer_id?: string | null;
}

/**
 * Moves a slot to `to`: 409 when the table does not allow it from its current status (or its guard
 * fails on the state of the slot), 403 for a role it does not name, 404 for another provider's slot.
 * Facts not given are read from the locked row.
 */
export async function transitionSlot(
  tx: Tx,
  actor: Actor,
  slotId: string,
  to: SlotStatus,
  opts: { facts?: SlotTransitionFacts; reason?: string | null; changes?: SlotChanges } = {},
): Promise<{ from: SlotStatus }> {
  const row = await tx
    .selectFrom("slot")
    .select(["id", "status", "provider_id", "cancelled_for_trainer_absence"])
    .where("id", "=", slotId)
    .forUpdate()
    .executeTakeFirst();
  if (!row || (actor.role !== "region_officer" && !(isProviderStaff(actor) && actor.providerId === row.provider_id))) throw notFound("Créneau");
  requireTransition(SLOT_TRANSITIONS, wording, row.status, to, actor.role, { cancelledForTrainerAbsence: row.cancelled_for_trainer_absence, reason: opts.reason, ...opts.facts });
  const updated = await tx
    .updateTable("slot")
    .set({ ...opts.changes, status: to })
    .where("id", "=", slotId)
    .where("status", "=", row.status)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) throw changedMeanwhile("SLOT-TRANSITION", "Le créneau");
  await logTransition(tx, { entity: "slot", entityId: slotId, from: row.status, to, reason: opts.reason ?? null, actorId: actor.userId });
  return { from: row.status };
}
