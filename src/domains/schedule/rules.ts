// One pure function per rule ID of REQUIREMENTS.md for the schedule (no I/O).
import type { Modality } from "../../core/db/schema.ts";
import type { RuleResult, Violation } from "../../core/rules.ts";
import { formatMinutes } from "../../core/rules.ts";
import { daysBetween, formatDateFr } from "../../core/time.ts";
import { formatDayFr, formatTimeFr, holidayOn } from "./calendar.ts";

export const CLOSURE_MAX_DAYS = 14;
export const WEEK_MAX_MINUTES = 35 * 60;

const err = (code: string, article: string, message: string, field?: string, details?: Record<string, unknown>): Violation => ({ code, severity: "error", article, message, field, details });
const warn = (code: string, article: string, message: string, field?: string, details?: Record<string, unknown>): Violation => ({ code, severity: "warning", article, message, field, details });

/** CP-CLOSURE-MAX-2W: a closure lasts 14 consecutive calendar days at most, holidays inside included. */
export function closureMax2w(startDate: string, endDate: string): RuleResult {
  if (endDate < startDate) return err("CP-CLOSURE-MAX-2W", "CCTP §3.1.2", "La fin de la fermeture doit suivre son début.", "endDate");
  const days = daysBetween(startDate, endDate) + 1;
  if (days <= CLOSURE_MAX_DAYS) return undefined;
  return err(
    "CP-CLOSURE-MAX-2W",
    "CCTP §3.1.2",
    `Une fermeture administrative du site ne peut dépasser 14 jours calendaires consécutifs, jours fériés compris : du ${formatDateFr(startDate)} au ${formatDateFr(endDate)}, elle en compte ${days} (CP-CLOSURE-MAX-2W).`,
    "endDate",
    { days, max: CLOSURE_MAX_DAYS },
  );
}

/** CP-CLOSURE-MAX-2W (consequence): no slot on a day its site is closed. */
export function notOnClosedSite(date: string, closures: { start_date: string; end_date: string; reason: string }[]): RuleResult {
  const c = closures.find((x) => x.start_date <= date && date <= x.end_date);
  if (!c) return undefined;
  return err(
    "CP-CLOSURE-MAX-2W",
    "CCTP §3.1.2",
    `Le site est fermé le ${formatDayFr(date)} (fermeture du ${formatDateFr(c.start_date)} au ${formatDateFr(c.end_date)} : ${c.reason}) : aucun créneau ne peut y être placé.`,
    "date",
  );
}

/** French public holidays: a slot on one needs an explicit override (holiday_override). */
export function publicHoliday(date: string, override: boolean): RuleResult {
  const name = holidayOn(date);
  if (!name || override) return undefined;
  return err(
    "PUBLIC-HOLIDAY",
    "Code du travail, art. L3133-1",
    `Le ${formatDayFr(date)} est un jour férié (${name}) : cochez « Créneau exceptionnel un jour férié » pour le maintenir.`,
    "holidayOverride",
    { holiday: name },
  );
}

export interface WeekMinutes {
  /** Monday of the Monday–Sunday week. */
  monday: string;
  trainee: string;
  company: number;
  /** All hours of the week, company included (centre hours = all non-company hours, §12.2). */
  total: number;
}

/**
 * CP-WEEKLY-LEGAL. Hard: company hours in a Monday–Sunday week ≤ 35 h (35 h passes, 35 h 01 fails).
 * Warning: centre + company hours above 35 h in the week.
 */
export function weeklyLegal(week: WeekMinutes): Violation[] {
  const out: Violation[] = [];
  const of = `${week.trainee}, semaine du ${formatDateFr(week.monday)}`;
  if (week.company > WEEK_MAX_MINUTES) {
    out.push(
      err(
        "CP-WEEKLY-LEGAL",
        "CCTP §3.1.2, §3.1.5.2",
        `${of} : ${formatMinutes(week.company)} en entreprise, au-delà des 35 h hebdomadaires (pas d'heures supplémentaires en entreprise, dépassement de ${formatMinutes(week.company - WEEK_MAX_MINUTES)}).`,
        "endTime",
        { company: week.company, max: WEEK_MAX_MINUTES },
      ),
    );
  } else if (week.total > WEEK_MAX_MINUTES) {
    out.push(
      warn(
        "CP-WEEKLY-LEGAL",
        "CCTP §3.1.2, §3.1.5.2",
        `${of} : ${formatMinutes(week.total)} de formation (centre et entreprise) dans la semaine, au-delà de 35 h.`,
        "endTime",
        { total: week.total, max: WEEK_MAX_MINUTES },
      ),
    );
  }
  return out;
}

/** CP-SELFSTUDY-DEFINED: a self-study sequence carries objectives, deliverables and resources, and where it happens. */
export function selfStudyDefined(s: { modality: Modality; objectives?: string | null; deliverables?: string | null; resources?: string | null; selfStudyLocation?: string | null }): Violation[] {
  if (s.modality !== "self_study") return [];
  const missing: [string, string][] = [];
  if (!s.objectives?.trim()) missing.push(["objectives", "les objectifs"]);
  if (!s.deliverables?.trim()) missing.push(["deliverables", "les livrables attendus"]);
  if (!s.resources?.trim()) missing.push(["resources", "les ressources"]);
  if (!s.selfStudyLocation) missing.push(["selfStudyLocation", "le lieu (à distance ou au centre)"]);
  return missing.map(([field, what]) =>
    err("CP-SELFSTUDY-DEFINED", "CCTP §3.2.2.2", `Une séquence d'autoformation doit définir à l'avance ${what} (CP-SELFSTUDY-DEFINED).`, field),
  );
}

/** CP-NO-INTERRUPTION (warning): a slot cancelled for the trainer's absence until a replacement is recorded. */
export function noInterruption(s: { date: string; cancelled_for_trainer_absence: boolean; replacement_trainer_id: string | null }): RuleResult {
  if (!s.cancelled_for_trainer_absence || s.replacement_trainer_id) return undefined;
  return warn(
    "CP-NO-INTERRUPTION",
    "CCTP §4.1.2",
    `Le créneau du ${formatDayFr(s.date)} est annulé pour absence du formateur : désignez un·e formateur·rice remplaçant·e pour assurer la continuité de la formation.`,
    "replacementTrainerId",
  );
}

export interface PathFacts {
  id: string;
  name: string;
  status: string;
  order_line_id: string;
  entry_date: string;
  planned_exit_date: string;
  actual_exit_date: string | null;
}

/** A slot's trainees have validated paths of the slot's order line (slot eligibility). */
export function traineeOnLine(path: PathFacts, orderLineId: string): RuleResult {
  if (path.order_line_id !== orderLineId) return err("SLOT-TRAINEE", "CCTP §3.2.1.1", `${path.name} ne suit pas cette composante de la commande.`, "pathIds");
  if (path.status !== "validated") return err("SLOT-TRAINEE", "CCTP §3.2.1.1", `Le parcours de ${path.name} n'est pas validé : validez-le avant de planifier ses créneaux.`, "pathIds");
  return undefined;
}

/** A slot lies within each trainee's path dates (entry → actual or planned exit). */
export function withinPath(path: PathFacts, date: string): RuleResult {
  const end = path.actual_exit_date ?? path.planned_exit_date;
  if (path.entry_date <= date && date <= end) return undefined;
  return err("SLOT-TRAINEE", "CCTP §3.2.1.1", `Le ${formatDateFr(date)} est hors du parcours de ${path.name} (du ${formatDateFr(path.entry_date)} au ${formatDateFr(end)}).`, "date");
}

/** A trainee is in one slot at a time. */
export function noOverlap(name: string, date: string, overlapping: { start_time: string; end_time: string } | undefined): RuleResult {
  if (!overlapping) return undefined;
  return err("SLOT-OVERLAP", "", `${name} a déjà un créneau le ${formatDateFr(date)} de ${overlapping.start_time.slice(0, 5)} à ${overlapping.end_time.slice(0, 5)}.`, "startTime");
}

/** A slot the trainer already leads (non-cancelled), as the trainer-overlap guard reads it. */
export interface TrainerBooking {
  id: string;
  slot_date: string;
  start_time: string;
  end_time: string;
  starts_at: Date;
  ends_at: Date;
  /** Module title, or the component's when the slot has no module. */
  title: string;
  order_number: string;
}

/**
 * SCHEDULE-TRAINER-OVERLAP (operational guard, no rule ID in REQUIREMENTS): a trainer leads one slot
 * at a time, whatever the modality (a distance slot counts too). Compared on the instants: touching
 * ends (9:00–12:00 then 12:00–13:00) pass, one minute of overlap fails.
 */
export function trainerFree(trainer: string, slot: { startsAt: Date; endsAt: Date }, booked: TrainerBooking[]): RuleResult {
  const o = booked.find((b) => b.starts_at.getTime() < slot.endsAt.getTime() && slot.startsAt.getTime() < b.ends_at.getTime());
  if (!o) return undefined;
  return err(
    "SCHEDULE-TRAINER-OVERLAP",
    "",
    `${trainer} anime déjà un créneau le ${formatDayFr(o.slot_date)} de ${formatTimeFr(o.start_time)} à ${formatTimeFr(o.end_time)} (${o.title}, commande ${o.order_number}) : une même personne ne peut pas animer deux créneaux qui se chevauchent. Choisissez un autre horaire ou un·e autre formateur·rice (SCHEDULE-TRAINER-OVERLAP).`,
    "trainerId",
    { slotId: o.id, date: o.slot_date, startTime: o.start_time.slice(0, 5), endTime: o.end_time.slice(0, 5), title: o.title },
  );
}
