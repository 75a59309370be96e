// What proves a presence: the one definition of a realised, billable minute (CP-ATTENDANCE-REALISED,
// CP-BILLING-REALISED, CP-EFORM-BILLING, CP-SELFSTUDY-PRESENCE, CP-CERTIFICATE-OF-COMPLETION).
// Every query that counts realised minutes (ledger, billing, certificates, sheets) uses this
// predicate; nothing else decides whether a presence is proved.
import { type RawBuilder, sql } from "kysely";
import { sha256 } from "./evidence.ts";

/**
 * A presence row (`a`, on its slot `s`, both aliases of the calling query) is **proved** when:
 * - the signer's own drawing is on it: the trainee's signature (phone QR, kiosk, remote link,
 *   self-study), or the tutor's for company hours (signing link) — `signed_at` and `signature` set;
 * - or, in the paper fallback, the scanned sheet is attached to the slot AND the trainer
 *   countersigned the sheet.
 * A trainer's mark alone (method `trainer`, or `paper` without its countersigned scan) is a
 * **declared** presence: shown as « déclarée, preuve en attente », never realised, certified or billed.
 * Absences (absent, excused) are never proved presences.
 */
export function provedPresence(a = "a", s = "s"): RawBuilder<boolean> {
  const col = (alias: string, c: string) => sql.ref(`${alias}.${c}`);
  return sql<boolean>`(${col(a, "status")} in ('present', 'late') and (
    (${col(a, "signed_at")} is not null and ${col(a, "signature")} is not null)
    or (${col(a, "method")} = 'paper' and ${col(s, "paper_attachment_id")} is not null
        and exists (select 1 from countersignature cs_proof where cs_proof.slot_id = ${col(a, "slot_id")}))))`;
}

/** A presence recorded (present or late) but not proved: declared, awaiting its proof. */
export function declaredPresence(a = "a", s = "s"): RawBuilder<boolean> {
  return sql<boolean>`(${sql.ref(`${a}.status`)} in ('present', 'late') and not ${provedPresence(a, s)})`;
}

/** How a recorded row stands: `proved`, `declared` (presence awaiting its proof) or `absence`; null without a row. */
export type ProofState = "proved" | "declared" | "absence" | null;

/** SQL selecting the row's ProofState (null when the left-joined row `a` is missing). */
export function proofState(a = "a", s = "s"): RawBuilder<ProofState> {
  return sql<ProofState>`case when ${sql.ref(`${a}.id`)} is null then null when ${provedPresence(a, s)} then 'proved' when ${sql.ref(`${a}.status`)} in ('present', 'late') then 'declared' else 'absence' end`;
}

/**
 * Whether a signature arriving now would turn this row into a proved one: a presence without the
 * signer's drawing (a trainer's mark, a paper entry). Signing such a row completes it; any other
 * existing row makes the signature a no-op retry.
 */
export const awaitsSignature = (row: { status: string; signature: string | null }) => (row.status === "present" || row.status === "late") && row.signature == null;

/**
 * An erased drawing (or deliverable): what is left in its place is the SHA-256 its proof stated, so
 * the verifier still compares fact and proof and the presence stays proved (ADR 0021).
 */
export const ERASED_DRAWING = "effacé:sha256:";
const digestOf = (v: string) => (v.startsWith(ERASED_DRAWING) ? v.slice(ERASED_DRAWING.length) : sha256(v));

/** The columns of an attendance row that its proof covers. */
export interface AttendanceProofFields {
  id: string;
  slot_id: string;
  path_id: string;
  status: string;
  late_minutes: number;
  realised_minutes: number;
  method: string;
  signed_at: Date | null;
  signature: string | null;
  deliverable: string | null;
  client_id: string | null;
  recorded_by: string | null;
}

/**
 * What an evidence entry states about an attendance row: who recorded it, on which slot (and its
 * times), how, the drawing's hash, when it was signed, and the minutes it realises. The evidence
 * payload carries it, so the chain hashes it; the verifier recomputes it from the current row.
 */
export function attendanceProof(row: AttendanceProofFields, slot: { id: string; starts_at: Date; ends_at: Date }) {
  return {
    attendanceId: row.id,
    slotId: slot.id,
    pathId: row.path_id,
    slotStartsAt: slot.starts_at.toISOString(),
    slotEndsAt: slot.ends_at.toISOString(),
    status: row.status,
    lateMinutes: row.late_minutes,
    realisedMinutes: row.realised_minutes,
    method: row.method,
    signedAt: row.signed_at ? new Date(row.signed_at).toISOString() : null,
    signatureSha256: row.signature ? digestOf(row.signature) : null,
    deliverableSha256: row.deliverable ? digestOf(row.deliverable) : null,
    clientId: row.client_id,
    recordedBy: row.recorded_by,
  };
}
