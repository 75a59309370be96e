// CP-SELFSTUDY-ASSIST-2H: help requests during self-study and their response time.
import { type Actor, isProviderStaff } from "../../core/auth/actor.ts";
import type { Db } from "../../core/db/index.ts";
import { DomainError, forbidden, notFound } from "../../core/errors.ts";
import { recordEvent } from "../../core/outbox.ts";
import { newId } from "../../core/time.ts";
import { assistWithin2h } from "./rules.ts";
import { canWriteSlot } from "./sheet.ts";
import { pathOfSigner, type Signer } from "./signing.ts";
import { slotById } from "./store.ts";
import { slotRows } from "../schedule/views.ts";
import { pathRows, traineeRows } from "../paths/views.ts";

export async function askHelp(db: Db, now: Date, signer: Signer, slotId: string, question: string) {
  const slot = await slotById(db, slotId);
  if (!slot) throw notFound("Créneau");
  const pathId = await pathOfSigner(db, slotId, signer.traineeId); // first: another provider's slot is unknown
  if (slot.modality !== "self_study") throw new DomainError("CP-SELFSTUDY-ASSIST-2H", 422, "Les demandes d'aide concernent les séquences d'autoformation.");
  const id = newId();
  await db.transaction().execute(async (tx) => {
    await tx.insertInto("help_request").values({ id, slot_id: slotId, path_id: pathId, question, asked_at: now }).execute();
    await recordEvent(tx, "attendance.help_requested", { helpRequestId: id, slotId, providerId: slot.provider_id });
  });
  return { id, askedAt: now };
}

export async function answerHelp(db: Db, actor: Actor, now: Date, helpId: string, answer: string) {
  const help = await db.selectFrom("help_request").selectAll().where("id", "=", helpId).executeTakeFirst();
  const slot = help && (await slotById(db, help.slot_id));
  if (!help || !slot) throw notFound("Demande d'aide");
  canWriteSlot(actor, slot, "Demande d'aide");
  const updated = await db
    .updateTable("help_request")
    .set({ answer, answered_at: now, answered_by: actor.userId })
    .where("id", "=", helpId)
    .where("answered_at", "is", null)
    .returningAll()
    .executeTakeFirst();
  if (!updated) throw new DomainError("HELP_ANSWERED", 409, "Cette demande a déjà reçu une réponse.");
  return { ...updated, violation: assistWithin2h(updated.asked_at, updated.answered_at, now) ?? null };
}

/** Help requests of a provider (or of one slot) with the 2 h flag computed now; the Region sees all. */
export async function helpRequests(db: Db, actor: Actor, now: Date, filter: { slotId?: string; providerId?: string }) {
  if (actor.role === "region_officer") return queryHelp(db, now, filter);
  if (!isProviderStaff(actor) || !actor.providerId) throw forbidden();
  return queryHelp(db, now, { ...filter, providerId: actor.providerId });
}

/** A trainee's own help requests on one slot. */
export const myHelpRequests = (db: Db, traineeId: string, slotId: string, now: Date) => queryHelp(db, now, { slotId, traineeId });

async function queryHelp(db: Db, now: Date, filter: { slotId?: string; traineeId?: string; providerId?: string }) {
  let q = db
    .selectFrom("help_request as h")
    .innerJoin(slotRows().as("s"), "s.id", "h.slot_id")
    .innerJoin(pathRows().as("p"), "p.id", "h.path_id")
    .innerJoin(traineeRows().as("t"), "t.id", "p.trainee_id")
    .select(["h.id", "h.slot_id", "h.question", "h.asked_at", "h.answered_at", "h.answer", "t.first_name", "t.last_name", "s.provider_id"])
    .orderBy("h.asked_at", "desc");
  if (filter.slotId) q = q.where("h.slot_id", "=", filter.slotId);
  if (filter.traineeId) q = q.where("t.id", "=", filter.traineeId);
  if (filter.providerId) q = q.where("s.provider_id", "=", filter.providerId);
  const rows = await q.limit(200).execute();
  return rows.map((r) => ({ ...r, violation: assistWithin2h(r.asked_at, r.answered_at, now) ?? null }));
}
