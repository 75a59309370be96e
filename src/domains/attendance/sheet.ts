// The trainer's side of a sheet: open it, mark absences / lateness / excuses, correct, enter a
// paper sheet, countersign (which closes it, recording every missing trainee absent explicitly).
import { type Actor, isProviderStaff, requireProviderAccess } from "../../core/auth/actor.ts";
import type { Transaction } from "kysely";
import type { Db } from "../../core/db/index.ts";
import type { DB } from "../../core/db/schema.ts";
import { DomainError, forbidden, notFound } from "../../core/errors.ts";
import { emit, logTransition } from "../../core/outbox.ts";
import { check } from "../../core/rules.ts";
import { newId, parisDate } from "../../core/time.ts";
import { appendEvidence, sha256 } from "./evidence.ts";
import { absenceDeclared, lateWithinSlot, methodFitsModality, realisedMinutes, slotMinutes } from "./rules.ts";
import type { MarkInput, PaperInput } from "./schema.ts";
import { insertAttendance, lockSlot, type RequestMeta, requireSignable, selfStudyGuard } from "./signing.ts";
import { attendanceOf, sheetRows, slotById, slotHeading, type SlotRow } from "./store.ts";

type Tx = Transaction<DB>;

/** Reading a sheet: the Region, or staff of the slot's provider. */
export async function loadSlotForActor(db: Db, actor: Actor, slotId: string): Promise<SlotRow> {
  const slot = await slotById(db, slotId);
  if (!slot) throw notFound("Créneau");
  if (actor.role !== "region_officer" && !(isProviderStaff(actor) && actor.providerId === slot.provider_id)) throw notFound("Créneau");
  return slot;
}

/** Writing on a sheet: staff of the slot's provider; a trainer only on their own slots (or unassigned ones). */
export function canWriteSlot(actor: Actor, slot: SlotRow): void {
  if (!isProviderStaff(actor)) throw forbidden("Seul le personnel de l'organisme tient la feuille d'émargement.");
  requireProviderAccess(actor, slot.provider_id);
  if (actor.role === "trainer" && slot.trainer_id && slot.trainer_id !== actor.userId && slot.replacement_trainer_id !== actor.userId) {
    throw forbidden("Ce créneau est assuré par un·e autre formateur·rice.");
  }
}

export async function sheetOf(db: Db, actor: Actor, slotId: string) {
  const slot = await loadSlotForActor(db, actor, slotId);
  const [rows, heading, countersignature] = await Promise.all([
    sheetRows(db, slotId),
    slotHeading(db, slotId),
    db.selectFrom("countersignature as cs").innerJoin("app_user as u", "u.id", "cs.trainer_id").select(["u.full_name", "cs.signed_at"]).where("cs.slot_id", "=", slotId).executeTakeFirst(),
  ]);
  return { slot, rows, heading, countersignature, minutes: slotMinutes(slot) };
}
export type Sheet = Awaited<ReturnType<typeof sheetOf>>;

/** Slots of the day (Europe/Paris) the caller may run: a trainer's own, every slot of the provider for referents. */
export async function slotsOfDay(db: Db, actor: Actor, now: Date) {
  if (!isProviderStaff(actor) || !actor.providerId) throw forbidden("Réservé au personnel d'un organisme de formation.");
  let q = db
    .selectFrom("slot as s")
    .innerJoin("order_line as l", "l.id", "s.order_line_id")
    .innerJoin("component as c", "c.id", "l.component_id")
    .leftJoin("module as m", "m.id", "s.module_id")
    .select(["s.id", "s.start_time", "s.end_time", "s.modality", "s.status", "s.place", "c.title as component_title", "m.title as module_title"])
    .select((eb) => [
      eb.selectFrom("slot_trainee").select(eb.fn.countAll<number>().as("n")).whereRef("slot_id", "=", "s.id").as("expected"),
      eb.selectFrom("attendance").select(eb.fn.countAll<number>().as("n")).whereRef("slot_id", "=", "s.id").where("status", "in", ["present", "late"]).as("present"),
    ])
    .where("s.provider_id", "=", actor.providerId)
    .where("s.slot_date", "=", parisDate(now))
    .orderBy("s.start_time");
  if (actor.role === "trainer") q = q.where((eb) => eb.or([eb("s.trainer_id", "=", actor.userId), eb("s.replacement_trainer_id", "=", actor.userId)]));
  return q.execute();
}

/** planned → open: the QR code can be shown and trainees sign. */
export async function openSlot(db: Db, actor: Actor, slotId: string): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const slot = await lockSlot(tx, slotId);
    canWriteSlot(actor, slot);
    if (slot.status === "open") return;
    requireSignable(slot, ["planned"]);
    await tx.updateTable("slot").set({ status: "open" }).where("id", "=", slotId).execute();
    await logTransition(tx, { entity: "slot", entityId: slotId, from: "planned", to: "open", actorId: actor.userId });
  });
}

/**
 * A trainer's mark. Without a row: inserts it (absence, excused absence, presence noted by the
 * trainer). With a row: a correction — the row changes and a new evidence entry records the
 * author and the reason (mandatory once the sheet is closed); earlier entries are never touched.
 */
export async function markAttendance(db: Db, actor: Actor, now: Date, meta: RequestMeta, slotId: string, input: MarkInput) {
  return db.transaction().execute((tx) => markInTx(tx, actor, now, meta, slotId, input, "trainer"));
}

async function markInTx(tx: Tx, actor: Actor, now: Date, meta: RequestMeta, slotId: string, input: MarkInput, method: "trainer" | "paper") {
  {
    const slot = await lockSlot(tx, slotId);
    canWriteSlot(actor, slot);
    if (slot.status === "cancelled") requireSignable(slot, ["planned", "open", "closed"]);
    const expected = await tx.selectFrom("slot_trainee").select("path_id").where("slot_id", "=", slotId).where("path_id", "=", input.pathId).executeTakeFirst();
    if (!expected) throw new DomainError("CP-ATTENDANCE-NOT-EXPECTED", 403, "Ce·tte stagiaire n'est pas inscrit·e sur ce créneau (CP-ATTENDANCE).");
    const minutes = slotMinutes(slot);
    const lateMinutes = input.status === "late" ? input.lateMinutes : 0;
    const existing = await attendanceOf(tx, slotId, input.pathId);
    const violations = check(lateWithinSlot(input.status, lateMinutes, minutes), methodFitsModality(method, slot.modality));
    // Turning a trainee's own signature into another presence status keeps it signed; a new presence needs one on self-study.
    const signed = existing?.signed_at != null;
    if (!(signed && (input.status === "present" || input.status === "late"))) selfStudyGuard(slot, input.status, method);
    if (violations.length) throw DomainError.fromViolations(violations);
    if (!existing) {
      const kind = input.status === "absent" || input.status === "excused" ? "absence" : method === "paper" ? "paper" : "mark";
      return insertAttendance(
        tx,
        { slot, pathId: input.pathId, status: input.status, lateMinutes, method, signedAt: null, signature: null, recordedBy: actor.userId },
        { kind, actorId: actor.userId, actorRole: actor.role, at: now, meta, reason: input.reason ?? null },
      );
    }
    if (existing.status === input.status && existing.late_minutes === lateMinutes) return { attendance: existing, created: false };
    if (slot.status === "closed" && !input.reason) {
      throw new DomainError("CORRECTION_REASON", 422, "La feuille est close : indiquez le motif de la correction.", [
        { code: "CORRECTION_REASON", severity: "error", message: "Indiquez le motif de la correction.", article: "", field: "reason" },
      ]);
    }
    const realised = realisedMinutes(input.status, minutes, lateMinutes);
    const updated = await tx
      .updateTable("attendance")
      .set({ status: input.status, late_minutes: lateMinutes, realised_minutes: realised, recorded_by: actor.userId })
      .where("id", "=", existing.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendEvidence(tx, {
      slotId,
      kind: "correction",
      actorId: actor.userId,
      actorRole: actor.role,
      pathId: input.pathId,
      at: now,
      ip: meta.ip,
      userAgent: meta.userAgent,
      method,
      reason: input.reason ?? null,
      payload: {
        attendanceId: existing.id,
        slotId,
        pathId: input.pathId,
        before: { status: existing.status, lateMinutes: existing.late_minutes, realisedMinutes: existing.realised_minutes },
        status: input.status,
        lateMinutes,
        realisedMinutes: realised,
        reason: input.reason ?? null,
      },
    }, { slotLocked: true });
    await emit(tx, "attendance.corrected", { slotId, pathId: input.pathId, status: input.status, realisedMinutes: realised });
    return { attendance: updated, created: false };
  }
}

/** Countersignature: closes the sheet; every expected trainee still without a row is recorded absent (CP-ABSENCE-DECLARED). */
export async function countersign(db: Db, actor: Actor, now: Date, meta: RequestMeta, slotId: string, signature: string) {
  return db.transaction().execute(async (tx) => {
    const slot = await lockSlot(tx, slotId);
    canWriteSlot(actor, slot);
    requireSignable(slot, ["open", "planned"]);
    const rows = await sheetRows(tx, slotId);
    const missing = absenceDeclared(rows.map((r) => r.path_id), rows.filter((r) => r.attendance_id).map((r) => r.path_id));
    for (const pathId of (missing?.details?.missing as string[] | undefined) ?? []) {
      await insertAttendance(
        tx,
        { slot, pathId, status: "absent", method: "trainer", signedAt: null, signature: null, recordedBy: actor.userId },
        { kind: "absence", actorId: actor.userId, actorRole: actor.role, at: now, meta, reason: "Sans émargement à la clôture de la feuille" },
      );
    }
    await tx.insertInto("countersignature").values({ slot_id: slotId, trainer_id: actor.userId, signature, signed_at: now }).execute();
    await tx.updateTable("slot").set({ status: "closed" }).where("id", "=", slotId).execute();
    await appendEvidence(tx, {
      slotId,
      kind: "countersignature",
      actorId: actor.userId,
      actorRole: actor.role,
      at: now,
      ip: meta.ip,
      userAgent: meta.userAgent,
      method: "trainer",
      payload: {
        slotId,
        slotStartsAt: slot.starts_at.toISOString(),
        slotEndsAt: slot.ends_at.toISOString(),
        signedAt: now.toISOString(),
        signatureSha256: sha256(signature),
        absentRecorded: (missing?.details?.missing as string[] | undefined)?.length ?? 0,
      },
    }, { slotLocked: true });
    await logTransition(tx, { entity: "slot", entityId: slotId, from: slot.status, to: "closed", actorId: actor.userId });
    await emit(tx, "attendance.sheet_closed", { slotId });
    return { warnings: missing ? [missing] : [] };
  });
}

/** Paper fallback: the scan is attached to the slot and the trainer enters presences (method 'paper'). */
export async function recordPaper(
  db: Db,
  actor: Actor,
  now: Date,
  meta: RequestMeta,
  slotId: string,
  input: PaperInput,
  scan?: { filename: string; contentType: string; bytes: Buffer },
) {
  const slot = await slotById(db, slotId);
  if (!slot) throw notFound("Créneau");
  canWriteSlot(actor, slot);
  if (scan && scan.bytes.length > 10 * 1024 * 1024) throw new DomainError("VALIDATION", 422, "Le scan dépasse 10 Mo.");
  if (scan && !/^(application\/pdf|image\/(png|jpeg))$/.test(scan.contentType)) throw new DomainError("VALIDATION", 422, "Le scan doit être un PDF, un PNG ou un JPEG.");
  return db.transaction().execute(async (tx) => {
    await lockSlot(tx, slotId);
    if (scan) {
      const id = newId();
      const hash = sha256(scan.bytes);
      await tx
        .insertInto("attachment")
        .values({ id, provider_id: slot.provider_id, filename: scan.filename.slice(0, 200), content_type: scan.contentType, size_bytes: scan.bytes.length, sha256: hash, bytes: scan.bytes, uploaded_by: actor.userId })
        .execute();
      await tx.updateTable("slot").set({ paper_attachment_id: id }).where("id", "=", slotId).execute();
      await appendEvidence(tx, { slotId, kind: "paper", actorId: actor.userId, actorRole: actor.role, at: now, ip: meta.ip, userAgent: meta.userAgent, method: "paper", payload: { slotId, attachmentId: id, filename: scan.filename, sha256: hash } }, { slotLocked: true });
    }
    const results = [];
    for (const entry of input.entries) results.push(await markInTx(tx, actor, now, meta, slotId, entry, "paper"));
    return results;
  });
}
