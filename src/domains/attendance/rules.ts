// One pure function per attendance rule of docs/requirements.md §5–6 (no I/O). The signing checks are
// parts of CP-ATTENDANCE and carry its ID as the prefix of their code.
import type { RuleResult, Violation } from "../../core/rules.ts";
import { formatMinutes } from "../../core/rules.ts";
import { dateTimeSecondsFr } from "../../core/french.ts";

export type AttendanceStatus = "present" | "late" | "absent" | "excused";
export type SigningMethod = "qr" | "kiosk" | "paper" | "remote" | "self_study" | "tutor" | "trainer";
export type SlotModality = "centre" | "company" | "distance" | "self_study" | "gathering";

export const ASSIST_MAX_MS = 2 * 3_600_000;
const ART = "CCTP §3.2.2.2";

const err = (code: string, message: string, field?: string, details?: Record<string, unknown>): Violation => ({ code, severity: "error", article: ART, message, field, details });


/** The slot's length in minutes, from its instants. */
export const slotMinutes = (slot: { starts_at: Date; ends_at: Date }) => Math.round((slot.ends_at.getTime() - slot.starts_at.getTime()) / 60_000);

/** CP-ATTENDANCE (window): signing is open from starts_at − earlyMinutes to ends_at, both included. */
export function attendanceWindow(slot: { starts_at: Date; ends_at: Date }, at: Date, earlyMinutes: number): RuleResult {
  const opens = slot.starts_at.getTime() - earlyMinutes * 60_000;
  if (at.getTime() >= opens && at.getTime() <= slot.ends_at.getTime()) return undefined;
  return err(
    "CP-ATTENDANCE-WINDOW",
    `L'émargement de ce créneau est ouvert du ${dateTimeSecondsFr(new Date(opens))} au ${dateTimeSecondsFr(slot.ends_at)} ; la signature datée du ${dateTimeSecondsFr(at)} est hors de cette plage (CP-ATTENDANCE, ${ART}).`,
    "signedAt",
    { opensAt: new Date(opens).toISOString(), closesAt: slot.ends_at.toISOString(), at: at.toISOString() },
  );
}

/**
 * CP-ATTENDANCE (QR code): the code must be genuine for this slot (issuedAt defined) and at most
 * maxAgeSeconds old at the reference instant (server time, or the queued signature's time);
 * a code "from the future" beyond the tolerated clock drift is refused too.
 */
export function qrCodeValid(issuedAt: Date | undefined, reference: Date, maxAgeSeconds: number, skewSeconds = 0): RuleResult {
  if (!issuedAt) return err("CP-ATTENDANCE-QR-INVALID", `Ce QR code n'est pas valide pour ce créneau : scannez le code affiché par votre formateur·rice (CP-ATTENDANCE, ${ART}).`, "code");
  const ageMs = reference.getTime() - issuedAt.getTime();
  if (ageMs > maxAgeSeconds * 1000) {
    return err(
      "CP-ATTENDANCE-QR-EXPIRED",
      `Ce QR code a expiré (${Math.floor(ageMs / 1000)} s, au plus ${maxAgeSeconds} s) : scannez le code affiché en ce moment (CP-ATTENDANCE, ${ART}).`,
      "code",
      { ageSeconds: Math.floor(ageMs / 1000), maxAgeSeconds },
    );
  }
  if (-ageMs > skewSeconds * 1000) return err("CP-ATTENDANCE-QR-INVALID", `Ce QR code est daté après la signature : vérifiez l'heure du téléphone (CP-ATTENDANCE, ${ART}).`, "code");
  return undefined;
}

/**
 * CP-ATTENDANCE (signed in time): a phone's claimed signing time (an offline queue's `signedAt`) is
 * believed only between the server's receipt minus maxQueueHours and the receipt plus the tolerated
 * clock drift. With qrCodeValid (the code's issue) it bounds the claim on both sides by server facts.
 */
export function queuedSignatureTime(signedAt: Date, receivedAt: Date, maxQueueHours: number, skewSeconds: number): RuleResult {
  const aheadMs = signedAt.getTime() - receivedAt.getTime();
  if (aheadMs > skewSeconds * 1000) {
    return err("CP-ATTENDANCE-WINDOW", `La signature est datée dans le futur : vérifiez l'heure du téléphone (CP-ATTENDANCE, ${ART}).`, "signedAt", { signedAt: signedAt.toISOString(), receivedAt: receivedAt.toISOString() });
  }
  if (-aheadMs > maxQueueHours * 3_600_000) {
    return err(
      "CP-ATTENDANCE-QUEUE-DELAY",
      `Cette signature enregistrée hors ligne le ${dateTimeSecondsFr(signedAt)} arrive trop tard (reçue le ${dateTimeSecondsFr(receivedAt)}, au plus ${maxQueueHours} h après) : signalez la présence à votre formateur·rice, qui la reprendra de la feuille (CP-ATTENDANCE, ${ART}).`,
      "signedAt",
      { signedAt: signedAt.toISOString(), receivedAt: receivedAt.toISOString(), maxQueueHours },
    );
  }
  return undefined;
}

/** Each way of signing belongs to some modalities: a tutor attests company hours, a remote link serves distance slots… */
export function methodFitsModality(method: SigningMethod, modality: SlotModality): RuleResult {
  const allowed: Record<SigningMethod, SlotModality[]> = {
    qr: ["centre", "gathering", "self_study"],
    kiosk: ["centre", "gathering", "self_study", "distance"],
    paper: ["centre", "gathering", "self_study", "company", "distance"],
    remote: ["distance", "self_study"],
    self_study: ["self_study"],
    tutor: ["company"],
    trainer: ["centre", "gathering", "distance", "company", "self_study"],
  };
  if (allowed[method].includes(modality)) return undefined;
  return err("CP-ATTENDANCE-METHOD", `Ce mode d'émargement (${method}) ne convient pas à un créneau « ${modality} » (CP-ATTENDANCE, ${ART}).`, "method");
}

/** CP-SELFSTUDY-PRESENCE: a self-study presence is proved by the trainee's own signature, never by a mark of the trainer alone. */
export function selfStudyPresence(modality: SlotModality, status: AttendanceStatus, method: SigningMethod): RuleResult {
  if (modality !== "self_study" || status === "absent" || status === "excused" || method !== "trainer") return undefined;
  return err(
    "CP-SELFSTUDY-PRESENCE",
    `La présence en autoformation doit être signée par le·la stagiaire : une autoformation non signée n'est ni réalisée ni facturable (CP-SELFSTUDY-PRESENCE, ${ART}).`,
    "status",
  );
}

/** Late minutes leave at least one realised minute; a longer lateness is an absence. */
export function lateWithinSlot(status: AttendanceStatus, lateMinutes: number, minutes: number): RuleResult {
  if (status !== "late") return lateMinutes === 0 ? undefined : err("CP-ATTENDANCE-LATE", "Un retard se saisit avec le statut « en retard ».", "lateMinutes");
  if (lateMinutes >= 1 && lateMinutes < minutes) return undefined;
  return err(
    "CP-ATTENDANCE-LATE",
    `Le retard doit être compris entre 1 min et ${formatMinutes(minutes - 1)} pour ce créneau de ${formatMinutes(minutes)} ; au-delà, saisissez une absence (CP-ATTENDANCE-REALISED, ${ART}).`,
    "lateMinutes",
  );
}

/** CP-ATTENDANCE-REALISED: a present row proves the slot's minutes minus the late minutes; absences prove nothing. */
export function realisedMinutes(status: AttendanceStatus, minutes: number, lateMinutes: number): number {
  if (status === "absent" || status === "excused") return 0;
  return status === "late" ? minutes - lateMinutes : minutes;
}

/**
 * CP-ATTENDANCE-REALISED: presences only marked by the trainer (no signature of the trainee, no
 * countersigned paper scan) are declared, not realised: closing the sheet says how many still await
 * their proof.
 */
export function declaredAwaitingProof(count: number): RuleResult {
  if (count === 0) return undefined;
  return {
    code: "CP-ATTENDANCE-REALISED",
    severity: "warning",
    article: ART,
    message: `${count} présence(s) déclarée(s) par le·la formateur·rice, preuve en attente : elles ne sont ni réalisées ni facturées tant que la signature du·de la stagiaire ou la feuille papier scannée et contresignée n'est pas enregistrée (CP-ATTENDANCE-REALISED, ${ART}).`,
    details: { declared: count },
  };
}

/** CP-ABSENCE-DECLARED: when a sheet closes, every expected trainee without a row must be recorded absent explicitly. */
export function absenceDeclared(expectedPathIds: string[], recordedPathIds: string[]): RuleResult {
  const recorded = new Set(recordedPathIds);
  const missing = expectedPathIds.filter((id) => !recorded.has(id));
  if (missing.length === 0) return undefined;
  return {
    code: "CP-ABSENCE-DECLARED",
    severity: "warning",
    article: ART,
    message: `${missing.length} stagiaire(s) sans émargement : ils·elles sont enregistré·e·s absent·e·s explicitement à la clôture de la feuille (CP-ABSENCE-DECLARED, ${ART}).`,
    details: { missing },
  };
}

/** CP-SELFSTUDY-ASSIST-2H: a help request answered (or still waiting) more than 2 h after it was asked is flagged; exactly 2 h passes. */
export function assistWithin2h(askedAt: Date, answeredAt: Date | null, now: Date): RuleResult {
  const waitedMs = (answeredAt ?? now).getTime() - askedAt.getTime();
  if (waitedMs <= ASSIST_MAX_MS) return undefined;
  return {
    code: "CP-SELFSTUDY-ASSIST-2H",
    severity: "warning",
    article: ART,
    message: `Demande d'aide ${answeredAt ? "traitée" : "en attente"} en ${formatMinutes(Math.floor(waitedMs / 60_000))} ${Math.floor(waitedMs / 1000) % 60 ? `${Math.floor(waitedMs / 1000) % 60} s` : ""} : la réponse est attendue en 2 h au plus (CP-SELFSTUDY-ASSIST-2H, ${ART}).`.replace(/\s+:/, " :"),
    details: { waitedSeconds: Math.floor(waitedMs / 1000) },
  };
}
