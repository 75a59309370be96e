// Rules of the documents domain (docs/requirements.md): pure functions, the caller passes the facts
// and "today" (Europe/Paris calendar dates as 'YYYY-MM-DD').
import type { RuleResult, Violation } from "../../core/rules.ts";
import { formatDateFr } from "../../core/time.ts";

const ARTICLE = "CCTP §3.2.2.1";
/** A replacement's reason: required, at most this many characters (the column's check). */
export const REPLACE_REASON_MAX = 500;

export interface PathDates {
  entry_date: string;
  actual_exit_date: string | null;
  planned_exit_date: string;
}

/** The last day a certificate may cover: the actual exit, else today (a path goes on past its planned exit). */
export const lastCertifiableDay = (p: PathDates, today: string) => [p.actual_exit_date ?? today, today].sort()[0];

/**
 * CP-CERTIFICATE-OF-COMPLETION: a certificate covers only days of the path — from its entry to its
 * actual exit (or today while it goes on). A wider period asked for is clamped to those dates; a
 * period with no day of the path is refused. Without dates: the whole path so far.
 */
export function certificatePeriod(p: PathDates, today: string, asked: { from?: string; to?: string }): { from: string; to: string } | Violation {
  const last = lastCertifiableDay(p, today);
  const from = [asked.from || p.entry_date, p.entry_date].sort()[1];
  const to = [asked.to || last, last].sort()[0];
  if (asked.from && asked.to && asked.to < asked.from) return { code: "VALIDATION", severity: "error", message: "La fin de la période précède son début.", article: "", field: "to" };
  if (to < from)
    return {
      code: "CP-CERTIFICATE-OF-COMPLETION",
      severity: "error",
      message: `La période demandée ne contient aucun jour du parcours, qui va du ${formatDateFr(p.entry_date)} au ${formatDateFr(last)} : un certificat de réalisation ne couvre que les dates du parcours (CP-CERTIFICATE-OF-COMPLETION).`,
      article: ARTICLE,
      field: "from",
    };
  return { from, to };
}

export interface InForce {
  id: string;
  version: number;
  period_start: string;
  period_end: string;
}

/**
 * CP-CERTIFICATE-OF-COMPLETION: one certificate in force per path and period. A second one for the
 * same period is refused, unless it replaces the one in force (version n+1) with a reason.
 */
export function certificateOnce(samePeriod: InForce | undefined, replaces: InForce | undefined, reason: string | undefined): RuleResult {
  if (replaces && !reason?.trim())
    return { code: "CP-CERTIFICATE-OF-COMPLETION", severity: "error", message: "Indiquez le motif du remplacement : il figure sur le nouveau certificat et dans l'historique.", article: ARTICLE, field: "reason" };
  if (samePeriod && samePeriod.id !== replaces?.id)
    return {
      code: "CP-CERTIFICATE-OF-COMPLETION",
      severity: "error",
      message: `Un certificat de réalisation est déjà en vigueur pour ce parcours et cette période (du ${formatDateFr(samePeriod.period_start)} au ${formatDateFr(samePeriod.period_end)}, version ${samePeriod.version}) : un seul certificat par période (CP-CERTIFICATE-OF-COMPLETION). Pour le corriger, remplacez-le en indiquant le motif : le nouveau sera la version ${samePeriod.version + 1}.`,
      article: ARTICLE,
      field: "replaces",
      details: { certificateId: samePeriod.id, version: samePeriod.version },
    };
  return undefined;
}
