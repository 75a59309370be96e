// Exit, follow-up, exams and soft skills (REQUIREMENTS §8): pure functions, one per rule ID. The
// e-mail required at exit (CP-SURVEY-NOTICE) is a guard of the path's table (paths/rules.ts).
import type { ContractType, ExamResult, ExitReason, FollowUpMilestone, FollowUpSituation, SoftSkillStep, VaeResult } from "../../core/db/schema.ts";
import { err, formatMinutes, type RuleResult, warn } from "../../core/rules.ts";
import { PATH_MAX_MINUTES } from "../../core/scheme.ts";
import { addDays, daysBetween, formatDateFr } from "../../core/time.ts";

export const exitReasonLabels: Record<ExitReason, string> = {
  completed: "Parcours terminé",
  employment: "Accès à l'emploi",
  other_training: "Entrée dans une autre formation",
  dropout: "Abandon",
  exclusion: "Exclusion",
};
/** The path's final status for each reason (the table judges the pair again: paths EXIT_REASONS_BY_STATUS). */
export const statusOfReason = (r: ExitReason): "closed" | "dropped" => (r === "dropout" || r === "exclusion" ? "dropped" : "closed");
export const needsCause = (r: ExitReason) => statusOfReason(r) === "dropped";

export const situationLabels: Record<FollowUpSituation, string> = {
  employment: "En emploi",
  training: "En formation",
  job_seeking: "En recherche d'emploi",
  other: "Autre",
  unknown: "Inconnue",
};
export const contractLabels: Record<ContractType, string> = {
  cdi: "CDI",
  cdd_6m_plus: "CDD de 6 mois ou plus",
  cdd_under_6m: "CDD de moins de 6 mois",
  interim: "Intérim",
  apprenticeship: "Apprentissage",
  self_employed: "Création ou reprise d'entreprise",
};
export const milestoneLabels: Record<FollowUpMilestone, string> = { exit: "À la sortie", m3: "À 3 mois", m6: "À 6 mois" };
export const resultLabels: Record<ExamResult, string> = { passed: "Réussite totale", partial: "Réussite partielle (blocs)", failed: "Échec", absent: "Absent" };
export const stepLabels: Record<SoftSkillStep, string> = { identify: "Identifier", develop: "Développer et suivre", evaluate: "Évaluer et valoriser" };

// ——— CP-EXIT-FOLLOWUP ———

/**
 * CP-EXIT-FOLLOWUP (CCTP §6.1.4): the situation at exit, at 3 and at 6 months after the ACTUAL exit
 * date. "3 months" and "6 months" are read as 90 and 180 days (docs/adr/0018): one figure whatever
 * the calendar month. Each milestone opens on its day and is due within the deadline (a setting).
 */
export const MILESTONE_DAYS: Record<FollowUpMilestone, number> = { exit: 0, m3: 90, m6: 180 };
export const MILESTONES: FollowUpMilestone[] = ["exit", "m3", "m6"];

export type FollowUpState = "done" | "upcoming" | "due" | "late";
export interface MilestoneDue {
  milestone: FollowUpMilestone;
  opensOn: string;
  dueBy: string;
  state: FollowUpState;
}

/** CP-EXIT-FOLLOWUP: each milestone's dates and state on `today` (deadline 0: due on its day, late the day after). */
export function followUpSchedule(actualExitDate: string, deadlineDays: number, today: string, recorded: ReadonlySet<FollowUpMilestone>): MilestoneDue[] {
  return MILESTONES.map((milestone) => {
    const opensOn = addDays(actualExitDate, MILESTONE_DAYS[milestone]);
    const dueBy = addDays(opensOn, deadlineDays);
    const state: FollowUpState = recorded.has(milestone) ? "done" : today < opensOn ? "upcoming" : today <= dueBy ? "due" : "late";
    return { milestone, opensOn, dueBy, state };
  });
}

/** CP-EXIT-FOLLOWUP (warn, for the compliance board): a milestone not recorded by its due date (on the due date, not yet; the day after, late). */
export function followUpLate(m: MilestoneDue, today: string): RuleResult {
  if (m.state === "done" || today <= m.dueBy) return undefined;
  return warn("CP-EXIT-FOLLOWUP", "CCTP §6.1.4", `La situation « ${milestoneLabels[m.milestone].toLowerCase()} » était à renseigner au plus tard le ${formatDateFr(m.dueBy)}.`, "milestone", { milestone: m.milestone, dueBy: m.dueBy });
}

/** CP-EXIT-FOLLOWUP: a milestone is recorded once it has opened (a 3-month situation is not guessed at exit). */
export function followUpOpen(m: MilestoneDue, today: string): RuleResult {
  if (today >= m.opensOn) return undefined;
  return err("CP-EXIT-FOLLOWUP", "CCTP §6.1.4", `La situation « ${milestoneLabels[m.milestone].toLowerCase()} » se renseigne à partir du ${formatDateFr(m.opensOn)}.`, "milestone");
}

/** CP-EXIT-FOLLOWUP: a contract type for a situation in employment only, and then required. */
export function followUpContract(situation: FollowUpSituation, contractType: ContractType | null | undefined): RuleResult {
  if (situation === "employment" && !contractType) return err("CP-EXIT-FOLLOWUP", "CCTP §6.1.4", "Indiquez le type de contrat de l'emploi occupé.", "contractType");
  if (situation !== "employment" && contractType) return err("CP-EXIT-FOLLOWUP", "CCTP §6.1.4", "Un type de contrat ne se renseigne que pour une situation en emploi.", "contractType");
  return undefined;
}

// ——— CP-KPI-VAE ———

export const vaeResultLabels: Record<VaeResult, string> = { full: "Validation totale", partial: "Validation partielle", none: "Aucune validation" };

/**
 * CP-KPI-VAE (CCTP §6.2): a VAE result and its date go together, only for a trainee engaged in a VAE,
 * and the jury's decision is not in the future (`today` from the injected clock).
 */
export function vaeRecord(v: { engaged: boolean; result: VaeResult | null; decidedOn: string | null }, today: string): RuleResult[] {
  if (!v.engaged) return v.result || v.decidedOn ? [err("CP-KPI-VAE", "CCTP §6.2", "Le résultat et la date de la VAE ne se renseignent que pour un stagiaire engagé dans une VAE.", v.result ? "vaeResult" : "vaeDecidedOn")] : [];
  return [
    v.decidedOn && !v.result ? err("CP-KPI-VAE", "CCTP §6.2", "Indiquez le résultat de la VAE (validation totale, partielle ou aucune) avec sa date.", "vaeResult") : undefined,
    v.result && !v.decidedOn ? err("CP-KPI-VAE", "CCTP §6.2", "Indiquez la date de la décision du jury VAE.", "vaeDecidedOn") : undefined,
    v.decidedOn && v.decidedOn > today ? err("CP-KPI-VAE", "CCTP §6.2", `La décision du jury VAE ne peut pas être datée du ${formatDateFr(v.decidedOn)}, dans le futur.`, "vaeDecidedOn") : undefined,
  ];
}

// ——— CP-HABILITATION ———

/** Days before its end from which a habilitation's expiry warns (CP-HABILITATION). */
export const HABILITATION_WARNING_DAYS = 60;

export interface HabilitationFacts {
  validFrom: string;
  validUntil: string;
}

/** CP-HABILITATION (hard): an exam is registered only within an order whose whole period one habilitation covers. */
export function habilitationCoversOrder(habs: HabilitationFacts[], order: { startDate: string; endDate: string }, certificationCode: string): RuleResult {
  if (habs.some((h) => h.validFrom <= order.startDate && h.validUntil >= order.endDate)) return undefined;
  return err(
    "CP-HABILITATION",
    "CCTP §6.1.3",
    `Aucune habilitation valide pour ${certificationCode} ne couvre la période de la commande (${formatDateFr(order.startDate)} – ${formatDateFr(order.endDate)}) : l'inscription à l'examen est impossible. Déposez l'habilitation du certificateur.`,
    "certificationId",
  );
}

/** CP-HABILITATION (warn): the habilitation ends within 60 days (on day 60 it warns; 61 days ahead, not yet). */
export function habilitationExpiry(h: HabilitationFacts, today: string, certificationCode: string): RuleResult {
  const left = daysBetween(today, h.validUntil);
  if (left < 0 || left > HABILITATION_WARNING_DAYS) return undefined;
  return warn("CP-HABILITATION", "CCTP §6.1.3", `L'habilitation pour ${certificationCode} expire le ${formatDateFr(h.validUntil)} (dans ${left} jour(s)) : renouvelez-la.`, "validUntil", { daysLeft: left });
}

// ——— CP-EXAMS, CP-CATCHUP ———

/** CP-EXAMS: RNCP or RS code, e.g. RNCP37274, RS5440. */
export const CERTIFICATION_CODE = /^(RNCP|RS)\d{1,6}$/;

/** CP-EXAMS: a second session (whose fee, if any, is the trainee's) only after a recorded failure, partial result or absence. */
export function secondSessionAfterFailure(previousResults: (ExamResult | null)[]): RuleResult {
  if (previousResults.some((r) => r === "failed" || r === "partial" || r === "absent")) return undefined;
  return err("CP-EXAMS", "CCTP §6.1.3", "Une seconde session (dont les frais éventuels sont à la charge du stagiaire) ne s'inscrit qu'après un échec, une réussite partielle ou une absence enregistrés. La première présentation est aux frais de l'organisme.", "secondSession");
}

/** CP-EXAMS: a partial result names the blocks obtained, among the certification's blocks. */
export function partialNamesBlocks(result: ExamResult, passedBlocks: string[], blocks: string[]): RuleResult {
  if (result !== "partial") return passedBlocks.length ? err("CP-EXAMS", "CCTP §6.1.3", "Les blocs obtenus ne se renseignent que pour une réussite partielle.", "passedBlocks") : undefined;
  if (passedBlocks.length === 0) return err("CP-EXAMS", "CCTP §6.1.3", "Indiquez les blocs de compétences obtenus.", "passedBlocks");
  const unknown = passedBlocks.filter((b) => !blocks.includes(b));
  return unknown.length ? err("CP-EXAMS", "CCTP §6.1.3", `Bloc(s) inconnu(s) de la certification : ${unknown.join(", ")}.`, "passedBlocks") : undefined;
}

export interface CatchupFacts {
  /** A total or partial failure recorded on the path (failed or partial). */
  failureRecorded: boolean;
  endOn: string;
  frameworkEnd: string;
  /** The path's planned minutes, positioning included, and the catch-up minutes already planned. */
  pathMinutes: number;
  otherCatchupMinutes: number;
  minutes: number;
}

/**
 * CP-CATCHUP (CCTP §6.1.3): after a recorded failure only; its hours may fall after the order's end
 * but never after the framework agreement's end; they count in the path's 200 h; not a new entry.
 */
export function catchup(f: CatchupFacts): RuleResult[] {
  const total = f.pathMinutes + f.otherCatchupMinutes + f.minutes;
  return [
    f.failureRecorded ? undefined : err("CP-CATCHUP", "CCTP §6.1.3", "Un programme de rattrapage ne se planifie qu'après un échec total ou partiel enregistré à l'examen.", "registrationId"),
    f.endOn <= f.frameworkEnd
      ? undefined
      : err("CP-CATCHUP", "CCTP §6.1.3", `Le rattrapage se termine le ${formatDateFr(f.endOn)}, après la fin de l'accord-cadre (${formatDateFr(f.frameworkEnd)}) : impossible.`, "endOn"),
    total <= PATH_MAX_MINUTES
      ? undefined
      : err("CP-CATCHUP", "CCTP §6.1.3, §3.1.2", `Le rattrapage compte dans les ${formatMinutes(PATH_MAX_MINUTES)} du parcours : ${formatMinutes(total)} au total, ${formatMinutes(total - PATH_MAX_MINUTES)} de trop.`, "minutes", { total, max: PATH_MAX_MINUTES }),
  ];
}

// ——— CP-PREP-EXAM-DATES ———

/** CP-PREP-EXAM-DATES (warn): a specific preparation lists its exams with their dates, and the path's plan ends before them. */
export function prepExamDates(category: string, exams: { label: string; kind: string; examOn: string }[], plannedExitDate: string): RuleResult[] {
  if (category !== "specific_preparation") return [];
  if (exams.length === 0) return [warn("CP-PREP-EXAM-DATES", "CCTP §3.1.3.3", "Cette préparation spécifique ne liste aucun examen ou sélection visé avec sa date.", "examDates")];
  return exams
    .filter((e) => e.kind !== "selection" && plannedExitDate > e.examOn)
    .map((e) =>
      warn("CP-PREP-EXAM-DATES", "CCTP §3.1.3.3", `La préparation se termine le ${formatDateFr(plannedExitDate)}, après l'épreuve « ${e.label} » du ${formatDateFr(e.examOn)} : la préparation à cette épreuve doit la précéder.`, "examDates"),
    );
}

// ——— CP-SOFT-SKILLS ———

/** CP-SOFT-SKILLS: the three steps in order; a badge only for a soft skill evaluated and validated. */
export function softSkillStepInOrder(done: SoftSkillStep[], next: SoftSkillStep): RuleResult {
  const order: SoftSkillStep[] = ["identify", "develop", "evaluate"];
  const missing = order.slice(0, order.indexOf(next)).filter((s) => !done.includes(s));
  if (!missing.length) return undefined;
  return err("CP-SOFT-SKILLS", "CCTP §3.1.4", `Étape « ${stepLabels[next]} » prématurée : d'abord ${missing.map((s) => `« ${stepLabels[s]} »`).join(" puis ")}.`, "step");
}

export function badgeNeedsValidation(validated: boolean): RuleResult {
  if (validated) return undefined;
  return err("CP-SOFT-SKILLS", "CCTP §3.1.4", "Un badge ne se délivre que pour un savoir-être évalué et validé (étape « Évaluer et valoriser »).", "softSkillId");
}

/** CP-SOFT-SKILLS: the Region's list is a top 6. */
export const SOFT_SKILLS_PER_YEAR = 6;

// ——— CP-SATISFACTION ———

/** CP-SATISFACTION: the link goes out in the last two weeks of the trainee's own path (the whole path if shorter). */
export const SATISFACTION_WINDOW_DAYS = 14;
export function satisfactionWindowOpens(entryDate: string, plannedExitDate: string): string {
  const start = addDays(plannedExitDate, -(SATISFACTION_WINDOW_DAYS - 1));
  return start < entryDate ? entryDate : start;
}

// ——— CP-REGION-SURVEYS ———

/** CP-REGION-SURVEYS: 6 and 18 months after exit, a month read as 30 days like the follow-ups (docs/adr/0018). */
export const SURVEY_WAVE_DAYS: Record<6 | 18, number> = { 6: MILESTONE_DAYS.m6, 18: 3 * MILESTONE_DAYS.m6 };
