// Signing a presence: QR + device session, kiosk, self-study, links. Each command locks the slot row
// first (one order for every writer: slot → attendance → evidence) and writes fact + proof in one
// transaction. UNIQUE (slot_id, path_id) and UNIQUE client_id make retries idempotent.
import type { Transaction } from "kysely";
import type { Actor } from "../../core/auth/actor.ts";
import type { Db } from "../../core/db/index.ts";
import type { DB } from "../../core/db/schema.ts";
import { DomainError, forbidden, notFound } from "../../core/errors.ts";
import { check } from "../../core/rules.ts";
import { newId } from "../../core/time.ts";
import { checkParentLink, type EvidenceEntry, evidenceRow, type LastLink, lastLink, saltOf } from "./evidence.ts";
import {
  attendanceWindow,
  methodFitsModality,
  realisedMinutes,
  selfStudyPresence,
  type AttendanceStatus,
  type SigningMethod,
  slotMinutes,
} from "./rules.ts";
import type { KioskInput, SelfStudyInput } from "./schema.ts";
import { attendanceSettings } from "./settings.ts";
import { type AttendanceProofFields, attendanceProof, awaitsSignature } from "./proof.ts";
import { attendanceOf, expectedPath, sameProvider, slotById, type AttendanceRow, type SlotRow } from "./store.ts";
import { slotTraineeRows } from "../schedule/views.ts";

type Tx = Transaction<DB>;

/** Where a request came from, kept in the evidence. */
export interface RequestMeta {
  ip: string | null;
  userAgent: string | null;
}

/** The trainee signing: through a device-bound session of their phone or their own login. */
export interface Signer {
  traineeId: string;
  userId: string | null;
  via: "device" | "login";
  /** The device session signing (its id, never its token): part of the proof. */
  deviceId?: string;
}

export interface SignResult {
  attendance: AttendanceRow;
  /** False when the same signature (or an earlier record of this trainee) already existed: nothing new written. */
  created: boolean;
}

export const fail = (violations: ReturnType<typeof check>) => {
  if (violations.some((v) => v.severity === "error")) throw DomainError.fromViolations(violations);
};

export async function lockSlot(tx: Tx, slotId: string): Promise<SlotRow> {
  const slot = await slotById(tx, slotId, true);
  if (!slot) throw notFound("Créneau");
  return slot;
}

/** The trainee's path on this slot, or 403 when they are not expected on it. */
export async function pathOfSigner(tx: Tx | Db, slotId: string, traineeId: string): Promise<string> {
  const p = await expectedPath(tx, slotId, traineeId);
  if (!p) throw (await sameProvider(tx, slotId, traineeId)) ? signerNotExpected() : notFound("Créneau"); // another provider's: as if unknown
  return p.id;
}

export const signerNotExpected = () => new DomainError("CP-ATTENDANCE-NOT-EXPECTED", 403, "Vous n'êtes pas inscrit·e sur ce créneau : vous ne pouvez pas l'émarger (CP-ATTENDANCE).");

export function requireSignable(slot: SlotRow, statuses: SlotRow["status"][] = ["open"]) {
  if (statuses.includes(slot.status)) return;
  const why: Record<string, string> = {
    planned: "L'émargement de ce créneau n'est pas encore ouvert par le·la formateur·rice.",
    open: "Ce créneau est ouvert à l'émargement.",
    closed: "La feuille de ce créneau est close et contresignée.",
    cancelled: "Ce créneau est annulé.",
  };
  throw new DomainError("CP-ATTENDANCE-SLOT-STATUS", 409, why[slot.status]);
}

/** What a new row needs of its slot (the demo's history passes rows it builds itself). */
export type SlotTimes = Pick<SlotRow, "id" | "starts_at" | "ends_at">;

export interface NewRow {
  /** Only for rows built ahead (the demo's seeded history); otherwise a fresh id. */
  id?: string;
  slot: SlotTimes;
  pathId: string;
  status: AttendanceStatus;
  lateMinutes?: number;
  method: SigningMethod;
  signedAt: Date | null;
  /** The QR code's issue instant, for a phone signature made with one (stored beside signedAt). */
  codeIssuedAt?: Date | null;
  signature: string | null;
  deliverable?: string | null;
  clientId?: string | null;
  recordedBy: string | null;
}

export interface EvidenceInfo {
  kind: "signature" | "mark" | "absence" | "paper" | "attestation";
  actorId: string | null;
  actorRole: string;
  at: Date;
  meta: RequestMeta;
  reason?: string | null;
  extra?: Record<string, unknown>;
  /** Personal fields kept beside the entry, hashed only through the path's salt (evidence version 3). */
  personal?: Record<string, string | null>;
}

/** The attendance row and the evidence entry proving it (pure: no I/O). */
export function planAttendance(row: NewRow, evidence: EvidenceInfo) {
  const minutes = slotMinutes(row.slot);
  const late = row.lateMinutes ?? 0;
  const realised = realisedMinutes(row.status, minutes, late);
  const id = row.id ?? newId();
  const values = {
    id,
    slot_id: row.slot.id,
    path_id: row.pathId,
    status: row.status,
    late_minutes: late,
    realised_minutes: realised,
    method: row.method,
    signed_at: row.signedAt,
    signature: row.signature,
    deliverable: row.deliverable ?? null,
    client_id: row.clientId ?? null,
    recorded_by: row.recordedBy,
    // The server's receipt is the proof's own instant: a phone's signed_at is judged against it.
    received_at: evidence.at,
    code_issued_at: row.codeIssuedAt ?? null,
  };
  return { values, entry: entryFor(row.slot, values, evidence) };
}

/** The evidence entry proving `values`, the attendance row as it stands after the act. */
function entryFor(slot: SlotTimes, values: AttendanceProofFields, evidence: EvidenceInfo, extra: Record<string, unknown> = {}): EvidenceEntry {
  return {
    slotId: slot.id,
    kind: evidence.kind,
    actorId: evidence.actorId,
    actorRole: evidence.actorRole,
    pathId: values.path_id,
    at: evidence.at,
    ip: evidence.meta.ip,
    userAgent: evidence.meta.userAgent,
    method: values.method,
    reason: evidence.reason ?? null,
    payload: { ...attendanceProof(values, slot), ...extra, ...evidence.extra },
    personal: evidence.personal,
  };
}

/**
 * Inserts the row unless one exists (ON CONFLICT DO NOTHING, never check-then-insert) and appends
 * its evidence. An existing row for (slot, path) is returned as is: the retry is a no-op.
 * The caller holds the slot lock (every caller locks it first); `last` is the chain's last link
 * when the caller already read it under that lock.
 */
export async function insertAttendance(tx: Tx, row: NewRow, evidence: EvidenceInfo, opts: { last?: LastLink } = {}): Promise<SignResult> {
  const plan = planAttendance(row, evidence);
  const inserted = await tx.insertInto("attendance").values(plan.values).onConflict((oc) => oc.doNothing()).returningAll().executeTakeFirst();
  if (!inserted) {
    const existing = await attendanceOf(tx, row.slot.id, row.pathId);
    if (existing && row.signature && awaitsSignature(existing)) return completeDeclared(tx, existing, row, evidence, opts);
    if (existing) return { attendance: existing, created: false };
    throw new DomainError("CLIENT_ID_REUSED", 409, "Cet identifiant de signature a déjà servi pour un autre créneau : rechargez la page et signez de nouveau.");
  }
  const last = "last" in opts ? opts.last : await lastLink(tx, row.slot.id);
  await checkParentLink(tx, row.slot.id, last, evidence.at);
  await tx.insertInto("evidence").values(evidenceRow(last, plan.entry, await saltOf(tx, plan.entry))).execute();
  return { attendance: inserted, created: true };
}

/**
 * The proof of a declared presence arrives: the signer's drawing completes the trainer's mark (or
 * paper entry), which becomes realised. A signature attesting presence keeps the declared status and
 * lateness (the trainer saw the trainee arrive); a tutor attesting an absence records it. The
 * evidence entry proves the completed row and names what was declared before.
 */
async function completeDeclared(tx: Tx, existing: AttendanceRow, row: NewRow, evidence: EvidenceInfo, opts: { last?: LastLink }): Promise<SignResult> {
  const attestsPresence = row.status === "present" || row.status === "late";
  const status = attestsPresence ? existing.status : row.status;
  const late = attestsPresence ? existing.late_minutes : (row.lateMinutes ?? 0);
  const updated = await tx
    .updateTable("attendance")
    .set({
      status,
      late_minutes: late,
      realised_minutes: realisedMinutes(status, slotMinutes(row.slot), late),
      method: row.method,
      signed_at: row.signedAt,
      signature: row.signature,
      deliverable: row.deliverable ?? existing.deliverable,
      recorded_by: row.recordedBy,
      received_at: evidence.at,
      code_issued_at: row.codeIssuedAt ?? null,
    })
    .where("id", "=", existing.id)
    .where("signature", "is", null)
    .returningAll()
    .executeTakeFirstOrThrow();
  const last = "last" in opts ? opts.last : await lastLink(tx, row.slot.id);
  await checkParentLink(tx, row.slot.id, last, evidence.at);
  const entry = entryFor(row.slot, updated, evidence, { declared: { method: existing.method, recordedBy: existing.recorded_by, status: existing.status, lateMinutes: existing.late_minutes }, signatureClientId: row.clientId ?? null });
  await tx.insertInto("evidence").values(evidenceRow(last, entry, await saltOf(tx, entry))).execute();
  return { attendance: updated, created: true };
}

/** Kiosk: the trainee signs on the trainer's device; the trainer confirms the identity (method 'kiosk'). */
export async function signKiosk(db: Db, actor: Actor, now: Date, meta: RequestMeta, slotId: string, input: KioskInput, canWrite: (slot: SlotRow) => void): Promise<SignResult> {
  const settings = attendanceSettings();
  return db.transaction().execute(async (tx) => {
    const slot = await lockSlot(tx, slotId);
    canWrite(slot);
    const existing = await attendanceOf(tx, slot.id, input.pathId);
    if (existing && !awaitsSignature(existing)) return { attendance: existing, created: false };
    requireSignable(slot);
    if (!(await expectedOn(tx, slot.id, input.pathId))) throw new DomainError("CP-ATTENDANCE-NOT-EXPECTED", 403, "Ce·tte stagiaire n'est pas inscrit·e sur ce créneau (CP-ATTENDANCE).");
    fail(check(attendanceWindow(slot, now, settings.earlyMinutes), methodFitsModality("kiosk", slot.modality)));
    return insertAttendance(
      tx,
      { slot, pathId: input.pathId, status: "present", method: "kiosk", signedAt: now, signature: input.signature, clientId: input.clientId ?? null, recordedBy: actor.userId },
      { kind: "signature", actorId: actor.userId, actorRole: actor.role, at: now, meta, extra: { identityConfirmedBy: actor.userId } },
    );
  });
}

async function expectedOn(tx: Tx, slotId: string, pathId: string) {
  return !!(await tx.selectFrom(slotTraineeRows().as("slot_trainee")).select("path_id").where("slot_id", "=", slotId).where("path_id", "=", pathId).executeTakeFirst());
}

/**
 * Self-study: the trainee records completion with the deliverable and signs, within the window.
 * An unsigned self-study slot has no present row: it realises 0 (CP-SELFSTUDY-PRESENCE).
 */
export async function recordSelfStudy(db: Db, now: Date, signer: Signer, meta: RequestMeta, slotId: string, input: SelfStudyInput): Promise<SignResult> {
  const settings = attendanceSettings();
  return db.transaction().execute(async (tx) => {
    const slot = await lockSlot(tx, slotId);
    const pathId = await pathOfSigner(tx, slot.id, signer.traineeId);
    const existing = await attendanceOf(tx, slot.id, pathId);
    if (existing && !awaitsSignature(existing)) return { attendance: existing, created: false };
    requireSignable(slot, ["planned", "open"]);
    fail(check(methodFitsModality("self_study", slot.modality), attendanceWindow(slot, now, settings.earlyMinutes)));
    return insertAttendance(
      tx,
      { slot, pathId, status: "present", method: "self_study", signedAt: now, signature: input.signature, deliverable: input.deliverable, clientId: input.clientId, recordedBy: signer.userId },
      { kind: "signature", actorId: signer.userId ?? signer.traineeId, actorRole: signer.via === "device" ? "trainee_device" : "trainee", at: now, meta, extra: { deviceId: signer.deviceId ?? null } },
    );
  });
}

/** Guard shared with trainer marks: a self-study presence needs the trainee's own signature. */
export const selfStudyGuard = (slot: SlotRow, status: AttendanceStatus, method: SigningMethod) => fail(check(selfStudyPresence(slot.modality, status, method)));

export const notSigner = () => forbidden("Cette session d'appareil n'est pas celle du·de la stagiaire attendu·e.");
