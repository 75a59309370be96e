// One pure function per rule ID of docs/requirements.md for the schedule (no I/O).
import type { Modality } from "../../core/db/schema.ts";
import type { RuleResult, Violation } from "../../core/rules.ts";
import { formatMinutes } from "../../core/rules.ts";
import { addDays, daysBetween, formatDateFr } from "../../core/time.ts";
import { formatDayFr, formatTimeFr, holidayOn } from "./calendar.ts";
import type { TransitionTable } from "../../core/workflow.ts";
import { rolesFor } from "../../core/auth/roles.ts";

export const CLOSURE_MAX_DAYS = 14;
export const WEEK_MAX_MINUTES = 35 * 60;

const err = (code: string, article: string, message: string, field?: string, details?: Record<string, unknown>): Violation => ({ code, severity: "error", article, message, field, details });
const warn = (code: string, article: string, message: string, field?: string, details?: Record<string, unknown>): Violation => ({ code, severity: "warning", article, message, field, details });

export interface ClosureSpan {
  start_date: string;
  end_date: string;
}

/**
 * CP-CLOSURE-MAX-2W (§12.9): a site is closed 14 consecutive calendar days at most, holidays inside
 * included. What is judged is the whole run of consecutive closed days the new closure joins: every
 * closure of the site that touches or overlaps it — or touches one that does, however many — is one
 * run with it. 14 days pass, 15 fail.
 */
export function closureMax2w(existing: ClosureSpan[], candidate: ClosureSpan): RuleResult {
  const { start_date: from, end_date: to } = candidate;
  if (to < from) return err("CP-CLOSURE-MAX-2W", "CCTP §3.1.2", "La fin de la fermeture doit suivre son début.", "endDate");
  let start = from;
  let end = to;
  const joined = new Set<ClosureSpan>();
  // Grown until stable: a closure joining the run may bring the next one within a day of it.
  for (let grown = true; grown; ) {
    grown = false;
    for (const c of existing) {
      if (joined.has(c) || c.start_date > addDays(end, 1) || c.end_date < addDays(start, -1)) continue;
      joined.add(c);
      grown = true;
      if (c.start_date < start) start = c.start_date;
      if (c.end_date > end) end = c.end_date;
    }
  }
  const days = daysBetween(start, end) + 1;
  if (days <= CLOSURE_MAX_DAYS) return undefined;
  const run = joined.size === 0 ? "" : ` avec ${joined.size === 1 ? "la fermeture qu'elle touche ou chevauche" : `les ${joined.size} fermetures qu'elle touche ou chevauche, de proche en proche`}, le site serait fermé`;
  return err(
    "CP-CLOSURE-MAX-2W",
    "CCTP §3.1.2",
    `Une fermeture administrative du site ne peut dépasser 14 jours calendaires consécutifs, jours fériés compris :${run} du ${formatDateFr(start)} au ${formatDateFr(end)}, ${joined.size === 0 ? "elle en compte" : "soit"} ${days} (CP-CLOSURE-MAX-2W).`,
    "endDate",
    { days, max: CLOSURE_MAX_DAYS, start, end, joined: joined.size },
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

// ——— The slot's declared workflow: planned → open → closed; cancelled, and planned again on a replacement ———

export type SlotStatus = "planned" | "open" | "closed" | "cancelled";

export const slotStatusLabels: Record<SlotStatus, string> = { planned: "Prévu", open: "Émargement ouvert", closed: "Clos", cancelled: "Annulé" };

export interface SlotTransitionFacts {
  reason?: string | null;
  /** The slot was cancelled because its trainer was absent or left (CP-NO-INTERRUPTION). */
  cancelledForTrainerAbsence?: boolean;
  replacementTrainerId?: string | null;
}

const SCHEDULE_WRITERS = rolesFor("schedule.write");
/** Who keeps the attendance sheet: the provider's staff, trainers included (on their own slots: the attendance domain checks). */
const SHEET_KEEPERS = rolesFor("attendance.keep");

/**
 * Target status → allowed sources, roles and guard. A slot is created planned; the attendance
 * sheet opens it and its countersignature closes it; a cancelled slot takes place again only with
 * the replacement of an absent trainer (CP-NO-INTERRUPTION). A closed sheet stays closed.
 */
export const SLOT_TRANSITIONS: TransitionTable<SlotStatus, SlotTransitionFacts> = {
  open: { from: ["planned"], roles: SHEET_KEEPERS },
  closed: { from: ["planned", "open"], roles: SHEET_KEEPERS },
  cancelled: {
    from: ["planned", "open"],
    roles: SCHEDULE_WRITERS,
    guard: (f) => ((f.reason ?? "").trim() ? [] : [err("SLOT-CANCEL-REASON", "", "Indiquez le motif de l'annulation.", "reason")]),
  },
  planned: {
    from: ["cancelled"],
    roles: SCHEDULE_WRITERS,
    guardStatus: 409,
    guard: (f) =>
      !f.cancelledForTrainerAbsence
        ? [err("SLOT-NOT-TRAINER-ABSENCE", "CCTP §4.1.2", "Seul un créneau annulé pour absence du formateur reçoit un remplaçant.", "replacementTrainerId")]
        : f.replacementTrainerId
          ? []
          : [err("SLOT-NOT-TRAINER-ABSENCE", "CCTP §4.1.2", "Choisissez le formateur ou la formatrice remplaçant·e.", "replacementTrainerId")],
  },
};
