// The trainer's side of a sheet: open it, mark absences / lateness / excuses, correct, enter a
// paper sheet, countersign (which closes it, recording every missing trainee absent explicitly).
import { type Actor, isProviderStaff, requireVisible } from "../../core/auth/actor.ts";
import type { Transaction } from "kysely";
import type { Db } from "../../core/db/index.ts";
import type { DB } from "../../core/db/schema.ts";
import { DomainError, forbidden, notFound } from "../../core/errors.ts";
import { recordEvent } from "../../core/outbox.ts";
import { check } from "../../core/rules.ts";
import { parisDate } from "../../core/time.ts";
import { transitionSlot } from "../schedule/use-cases.ts";
import { appendEvidence, type EvidenceEntry, sha256 } from "./evidence.ts";
import { attendanceProof, declaredPresence } from "./proof.ts";
import { absenceDeclared, declaredAwaitingProof, lateWithinSlot, methodFitsModality, realisedMinutes, slotMinutes } from "./rules.ts";
import type { MarkInput, PaperInput } from "./schema.ts";
import { requireCompanyAgreement } from "./company-guard.ts";
import { insertAttendance, lockSlot, type RequestMeta, requireSignable, selfStudyGuard } from "./signing.ts";
import { attendanceOf, sheetRows, slotById, slotHeading, type SlotRow } from "./store.ts";
import { accountRows } from "../../core/auth/accounts.ts";
import { slotRows, slotTraineeRows } from "../schedule/views.ts";
import { orderLineRows } from "../orders/views.ts";
import { componentRows, moduleRows } from "../offer/views.ts";
import { checkFile, storeFile } from "../../core/files.ts";
import { attachPaperScan } from "../schedule/use-cases.ts";

type Tx = Transaction<DB>;

/** Reading a sheet: the Region, or staff of the slot's provider. */
export async function loadSlotForActor(db: Db, actor: Actor, slotId: string): Promise<SlotRow> {
  const slot = await slotById(db, slotId);
  if (!slot) throw notFound("Créneau");
  if (actor.role !== "region_officer" && !(isProviderStaff(actor) && actor.providerId === slot.provider_id)) throw notFound("Créneau");
  return slot;
}

/**
 * Writing on a sheet: staff of the slot's provider; a trainer only on their own slots (or unassigned
 * ones). Another organisation's slot (or its `what`) answers as an unknown one, before the role.
 */
export function canWriteSlot(actor: Actor, slot: SlotRow, what = "Créneau"): void {
  requireVisible(actor, slot.provider_id, what);
  if (!isProviderStaff(actor)) throw forbidden("Seul le personnel de l'organisme tient la feuille d'émargement.");
  if (actor.role === "trainer" && slot.trainer_id && slot.trainer_id !== actor.userId && slot.replacement_trainer_id !== actor.userId) {
    throw forbidden("Ce créneau est assuré par un·e autre formateur·rice.");
  }
}

export async function sheetOf(db: Db, actor: Actor, slotId: string) {
  const slot = await loadSlotForActor(db, actor, slotId);
  const [rows, heading, countersignature] = await Promise.all([
    sheetRows(db, slotId),
    slotHeading(db, slotId),
    db.selectFrom("countersignature as cs").innerJoin(accountRows().as("u"), "u.id", "cs.trainer_id").select(["u.full_name", "cs.signed_at"]).where("cs.slot_id", "=", slotId).executeTakeFirst(),
  ]);
  return { slot, rows, heading, countersignature, minutes: slotMinutes(slot) };
}
export type Sheet = Awaited<ReturnType<typeof sheetOf>>;

/** Slots of the day (Europe/Paris) the caller may run: a trainer's own, every slot of the provider for referents. */
export async function slotsOfDay(db: Db, actor: Actor, now: Date) {
  if (!isProviderStaff(actor) || !actor.providerId) throw forbidden("Réservé au personnel d'un organisme de formation.");
  let q = db
    .selectFrom(slotRows().as("s"))
    .innerJoin(orderLineRows().as("l"), "l.id", "s.order_line_id")
    .innerJoin(componentRows().as("c"), "c.id", "l.component_id")
    .leftJoin(moduleRows().as("m"), "m.id", "s.module_id")
    .select(["s.id", "s.start_time", "s.end_time", "s.modality", "s.status", "s.place", "c.title as component_title", "m.title as module_title"])
    .select((eb) => [
      eb.selectFrom(slotTraineeRows().as("slot_trainee")).select(eb.fn.countAll<number>().as("n")).whereRef("slot_id", "=", "s.id").as("expected"),
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
    await transitionSlot(tx, actor, slotId, "open");
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
    const expected = await tx.selectFrom(slotTraineeRows().as("slot_trainee")).select("path_id").where("slot_id", "=", slotId).where("path_id", "=", input.pathId).executeTakeFirst();
    if (!expected) throw new DomainError("CP-ATTENDANCE-NOT-EXPECTED", 403, "Ce·tte stagiaire n'est pas inscrit·e sur ce créneau (CP-ATTENDANCE).");
    const minutes = slotMinutes(slot);
    const lateMinutes = input.status === "late" ? input.lateMinutes : 0;
    const existing = await attendanceOf(tx, slotId, input.pathId);
    const violations = check(lateWithinSlot(input.status, lateMinutes, minutes), methodFitsModality(method, slot.modality));
    // Turning a trainee's own signature into another presence status keeps it signed; a new presence needs one on self-study.
    const signed = existing?.signed_at != null;
    if (!(signed && (input.status === "present" || input.status === "late"))) selfStudyGuard(slot, input.status, method);
    if (violations.length) throw DomainError.fromViolations(violations);
    await requireCompanyAgreement(tx, slot, input.pathId, input.status);
    if (!existing) {
      const kind = input.status === "absent" || input.status === "excused" ? "absence" : method === "paper" ? "paper" : "mark";
      return insertAttendance(
        tx,
        { slot, pathId: input.pathId, status: input.status, lateMinutes, method, signedAt: null, signature: null, recordedBy: actor.userId },
        { kind, actorId: actor.userId, actorRole: actor.role, at: now, meta, reason: input.reason ?? null },
      );
    }
    // A presence the trainer marked, then entered from the paper sheet, becomes a paper row: its scan
    // and the countersignature will prove it (a trainer's mark alone never is).
    const toPaper = method === "paper" && existing.method === "trainer" && existing.signature == null;
    if (existing.status === input.status && existing.late_minutes === lateMinutes && !toPaper) return { attendance: existing, created: false };
    const reason = input.reason ?? (toPaper ? "Présence reprise de la feuille papier" : undefined);
    if (slot.status === "closed" && !reason) {
      throw new DomainError("CORRECTION_REASON", 422, "La feuille est close : indiquez le motif de la correction.", [
        { code: "CORRECTION_REASON", severity: "error", message: "Indiquez le motif de la correction.", article: "", field: "reason" },
      ]);
    }
    const realised = realisedMinutes(input.status, minutes, lateMinutes);
    const updated = await tx
      .updateTable("attendance")
      .set({ status: input.status, late_minutes: lateMinutes, realised_minutes: realised, recorded_by: actor.userId, ...(toPaper ? { method: "paper" as const } : {}) })
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
      reason: reason ?? null,
      // The whole row as it now stands (what the verifier compares), and what it was before.
      payload: {
        ...attendanceProof(updated, slot),
        before: { status: existing.status, lateMinutes: existing.late_minutes, realisedMinutes: existing.realised_minutes, method: existing.method, recordedBy: existing.recorded_by },
        reason: reason ?? null,
      },
    }, { slotLocked: true });
    await recordEvent(tx, "attendance.corrected", { slotId, pathId: input.pathId, status: input.status, realisedMinutes: realised });
    return { attendance: updated, created: false };
  }
}

/** The evidence entry of a countersignature (pure; the demo's history is written with it too). */
export function countersignatureEntry(
  slot: { id: string; starts_at: Date; ends_at: Date },
  c: { trainerId: string; role: string; signature: string; at: Date; meta: RequestMeta; absentRecorded: number },
): EvidenceEntry {
  return {
    slotId: slot.id,
    kind: "countersignature",
    actorId: c.trainerId,
    actorRole: c.role,
    at: c.at,
    ip: c.meta.ip,
    userAgent: c.meta.userAgent,
    method: "trainer",
    payload: {
      slotId: slot.id,
      slotStartsAt: slot.starts_at.toISOString(),
      slotEndsAt: slot.ends_at.toISOString(),
      trainerId: c.trainerId,
      signedAt: c.at.toISOString(),
      signatureSha256: sha256(c.signature),
      absentRecorded: c.absentRecorded,
    },
  };
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
    await transitionSlot(tx, actor, slotId, "closed", { reason: "Feuille contresignée" });
    const absentRecorded = (missing?.details?.missing as string[] | undefined)?.length ?? 0;
    await appendEvidence(tx, countersignatureEntry(slot, { trainerId: actor.userId, role: actor.role, signature, at: now, meta, absentRecorded }), { slotLocked: true });
    await recordEvent(tx, "attendance.sheet_closed", { slotId });
    const declared = await tx
      .selectFrom("attendance as a")
      .innerJoin(slotRows().as("s"), "s.id", "a.slot_id")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("a.slot_id", "=", slotId)
      .where(declaredPresence("a", "s"))
      .executeTakeFirstOrThrow();
    return { warnings: check(missing, declaredAwaitingProof(Number(declared.n))) };
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
  // The scan is judged on its bytes, like every file handed over (core/files).
  const bad = scan ? checkFile(scan, "scan") : [];
  if (bad.length) throw DomainError.fromViolations(bad);
  return db.transaction().execute(async (tx) => {
    await lockSlot(tx, slotId);
    if (scan) {
      const { id, sha256: hash } = await storeFile(tx, scan, { providerId: slot.provider_id, uploadedBy: actor.userId });
      await attachPaperScan(tx, slotId, id);
      await appendEvidence(tx, { slotId, kind: "paper", actorId: actor.userId, actorRole: actor.role, at: now, ip: meta.ip, userAgent: meta.userAgent, method: "paper", payload: { slotId, attachmentId: id, filename: scan.filename, sha256: hash } }, { slotLocked: true });
    }
    const results = [];
    for (const entry of input.entries) results.push(await markInTx(tx, actor, now, meta, slotId, entry, "paper"));
    return results;
  });
}
