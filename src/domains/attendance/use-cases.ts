// The attendance domain's commands and queries (what other domains and the routes may call).
export { answerHelp, askHelp, helpRequests, myHelpRequests } from "./help.ts";
export { claimDevice, createSigningLink, DEVICE_COOKIE, deviceTrainee, devicesOfProvider, enrolDevice, linkContext, revokeDevice, signByLink } from "./access.ts";
export { evidenceReport, evidenceReportState, requestEvidenceReport, requestPeriodicEvidenceReport, runEvidenceReportOnce, type StoredEvidenceReport } from "./evidence-reports.ts";
export { type ChainReport, verifyEvidence, verifyFactsAgainstEvidence, verifyProofs } from "./verify.ts";
export { declaredPresence, type ProofState, proofState, provedPresence } from "./proof.ts";
export { canWriteSlot, countersign, loadSlotForActor, markAttendance, openSlot, recordPaper, type Sheet, sheetOf, slotsOfDay } from "./sheet.ts";
export { signWithCode } from "./qr-signing.ts";
export { recordSelfStudy, type RequestMeta, type Signer, type SignResult, signKiosk } from "./signing.ts";

import type { Actor } from "../../core/auth/actor.ts";
import { requireRole } from "../../core/auth/actor.ts";
import type { Db } from "../../core/db/index.ts";
import { notFound } from "../../core/errors.ts";
import { verifyProofs } from "./verify.ts";
import { evidenceReportState, requestEvidenceReport } from "./evidence-reports.ts";
import type { Clock } from "../../core/time.ts";

/** Region: the stored verification (last run, run waiting or under way, alerts from the writes). */
export async function evidenceAuditState(db: Db, actor: Actor) {
  requireRole(actor, "region_officer");
  return evidenceReportState(db);
}

/** Region: asks the background job for a new verification run (the "re-run" buttons): routine, or complete (seals ignored, docs/adr/0047). */
export async function requestEvidenceAudit(db: Db, actor: Actor, clock: Clock, o: { complete?: boolean } = {}) {
  requireRole(actor, "region_officer");
  return requestEvidenceReport(db, clock, actor.userId, o);
}

/** Region: re-computes every evidence chain and checks every fact (attendance, countersignature, scan) against its last proof. */
export async function auditEvidence(db: Db, actor: Actor) {
  requireRole(actor, "region_officer");
  return verifyProofs(db);
}

import { parisDate } from "../../core/time.ts";
import { slotForTrainee, slotsOfTraineeOn } from "./store.ts";

const withRecorded = <T extends { a_status: string | null; a_realised: number | null; a_signed_at: Date | null; a_proof: string | null }>(r: T) => ({
  ...r,
  recorded: r.a_status ? { status: r.a_status, realised_minutes: r.a_realised ?? 0, signed_at: r.a_signed_at, declared: r.a_proof === "declared" } : undefined,
});

/** The trainee's slots of the day (Europe/Paris), with what is already recorded. */
export async function myDay(db: Db, traineeId: string, now: Date) {
  return (await slotsOfTraineeOn(db, traineeId, parisDate(now))).map(withRecorded);
}

/** One slot as its trainee sees it; 404 for a slot they are not expected on. */
export async function mySlot(db: Db, traineeId: string, slotId: string) {
  const row = await slotForTrainee(db, slotId, traineeId);
  if (!row) throw notFound("Créneau");
  return withRecorded(row);
}
