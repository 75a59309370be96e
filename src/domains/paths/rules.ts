// One pure function per rule ID of docs/requirements.md for individual paths (no I/O).
import type { ExitReason, PathStatus } from "../../core/db/schema.ts";
import { email } from "../../core/inputs.ts";
import { check, err, formatEuros, formatMinutes, type RuleResult, type Violation, warn } from "../../core/rules.ts";
import type { TransitionTable } from "../../core/workflow.ts";
import { formatDateFr, yearOf } from "../../core/time.ts";
import type { PlanItem, Totals } from "./totals.ts";

import { COMPANY_MAX_MINUTES, eligiblePublic, PATH_MAX_MINUTES } from "../../core/scheme.ts";
import { rolesFor } from "../../core/auth/roles.ts";

export { COMPANY_MAX_MINUTES, eligiblePublic, PATH_MAX_MINUTES };
export const POSITIONING_MIN_MINUTES = 2 * 60;
export const POSITIONING_MAX_MINUTES = 14 * 60;
export const DEPOSIT_MAX_CENTS = 20_000;
export const GROUP_MAX = 20;


/** Which figures a cap judges: the plan, the plan with the schedule over it (docs/adr/0009), or signed attendance. */
export type Figures = "planned" | "scheduled" | "realised";
const figuresLabel: Record<Figures, string> = { planned: "prévu", scheduled: "planifié", realised: "réalisé" };

/** CP-PATH-MAX-200H: every modality, positioning included, ≤ 200 h; exactly 200 h passes. */
export function pathMax200h(totals: Totals, which: Figures = "planned"): RuleResult {
  if (totals.total <= PATH_MAX_MINUTES) return undefined;
  return err(
    "CP-PATH-MAX-200H",
    "CCTP §II.1, §3.1.2",
    `Le parcours ${figuresLabel[which]} totalise ${formatMinutes(totals.total)}, positionnement compris : il ne peut pas dépasser 200 h (dépassement de ${formatMinutes(totals.total - PATH_MAX_MINUTES)}).`,
    "items",
    { total: totals.total, max: PATH_MAX_MINUTES },
  );
}

/** CP-COMPANY-MAX-70H: all company periods of a path together ≤ 70 h. */
export function companyMax70h(totals: Totals, which: Figures = "planned"): RuleResult {
  if (totals.company <= COMPANY_MAX_MINUTES) return undefined;
  return err(
    "CP-COMPANY-MAX-70H",
    "CCTP §3.1.5",
    `Les périodes en entreprise ${which === "planned" ? "" : `(${figuresLabel[which]}es) `}totalisent ${formatMinutes(totals.company)} : 70 h au plus par parcours (dépassement de ${formatMinutes(totals.company - COMPANY_MAX_MINUTES)}).`,
    "company",
    { company: totals.company, max: COMPANY_MAX_MINUTES },
  );
}

/** The modalities a slot can hold, as the plan counts them (positioning is not scheduled in slots). */
const SCHEDULED_MODALITIES = [
  ["inPerson", "en présentiel"],
  ["distance", "à distance (tutorat synchrone)"],
  ["selfStudy", "en autoformation"],
  ["company", "en entreprise"],
  ["gathering", "en regroupement"],
] as const;

/**
 * CP-PATH-READJUST, the schedule answers to the plan: in each modality, the minutes on the schedule
 * stay within the path's plan (exactly the plan passes). A slot beyond it is refused — readjust the
 * plan first, with its reason; a readjustment below what is already scheduled is refused — cancel or
 * delete slots first. `scheduled` counts the slot being written (docs/adr/0009).
 */
export function scheduleWithinPlan(planned: Totals, scheduled: Totals, moment: "slot" | "readjust", trainee?: string): Violation[] {
  const out: Violation[] = [];
  for (const [key, label] of SCHEDULED_MODALITIES) {
    const over = scheduled[key] - planned[key];
    if (over <= 0) continue;
    const message =
      moment === "slot"
        ? `${trainee ? `${trainee} : c` : "C"}e créneau porterait le planning ${label} à ${formatMinutes(scheduled[key])}, alors que le parcours en prévoit ${formatMinutes(planned[key])} (dépassement de ${formatMinutes(over)}). Pour planifier davantage, réajustez d'abord le parcours, avec son motif.`
        : `Le planning compte déjà ${formatMinutes(scheduled[key])} ${label} pour ce parcours : le parcours réajusté ne peut pas en prévoir moins (${formatMinutes(planned[key])} saisies). Annulez ou supprimez d'abord les créneaux en trop.`;
    out.push(err("CP-PATH-READJUST", "CCTP §3.2.1.3", message, moment === "slot" ? "pathIds" : "items", { modality: key, scheduled: scheduled[key], planned: planned[key] }));
  }
  return out;
}

export interface ComponentFacts {
  eFormation: boolean;
  hybridStatus: "none" | "requested" | "approved" | "refused";
}

/** CP-HYBRID-APPROVED: distance hours only on a component whose hybrid modality the Region accepted. */
export function hybridApproved(component: ComponentFacts, totals: Totals, which: Figures = "planned"): RuleResult {
  if (component.eFormation || totals.distance === 0 || component.hybridStatus === "approved") return undefined;
  return err(
    "CP-HYBRID-APPROVED",
    "CCTP §3.2.2.1",
    `Des heures à distance (${formatMinutes(totals.distance)}${which === "realised" ? " réalisées" : ""}) ne peuvent être ${which === "scheduled" ? "planifiées" : "prévues"} que sur une composante dont la Région a accepté la modalité hybride.`,
    "items",
  );
}

/**
 * CP-DISTANCE-MAX-50 (§12.3): per path, distance synchronous + remote self-study ≤ 50 % of the
 * path's centre minutes (all non-company). Exactly 50 % passes. E-formation is distance by nature.
 */
export function distanceMax50(component: ComponentFacts, totals: Totals, which: Figures = "planned"): RuleResult {
  if (component.eFormation) return undefined;
  const remote = totals.distance + totals.selfStudyRemote;
  if (2 * remote <= totals.centreMinutes) return undefined;
  return err(
    "CP-DISTANCE-MAX-50",
    "CCTP §3.2.2.1",
    `${which === "realised" ? "Heures réalisées : l" : which === "scheduled" ? "Planning : l" : "L"}a distance (tutorat ${formatMinutes(totals.distance)} + autoformation à distance ${formatMinutes(totals.selfStudyRemote)} = ${formatMinutes(remote)}) dépasse 50 % des heures centre du parcours (${formatMinutes(totals.centreMinutes)}, soit ${formatMinutes(Math.floor(totals.centreMinutes / 2))} au plus).`,
    "items",
    { remote, centreMinutes: totals.centreMinutes },
  );
}

export interface SelfStudyBudget {
  eFormation: boolean;
  /** Ordered centre minutes of the order's lines of the same kind (e-formation or not). */
  orderedCentreMinutes: number;
  /** Realised + remaining planned self-study of the order's other paths of the same kind. */
  consumedByOthers: number;
}

/**
 * CP-SELFSTUDY-MAX-20 / CP-EFORM-SELFSTUDY-MAX-50 (§12.4): self-study is a budget of 20 % (50 % for
 * e-formation) of the order's ordered centre minutes, consumed across all its paths.
 */
export function selfStudyBudget(budget: SelfStudyBudget, pathSelfStudy: number): RuleResult {
  const used = budget.consumedByOthers + pathSelfStudy;
  const [code, article, pct] = budget.eFormation
    ? (["CP-EFORM-SELFSTUDY-MAX-50", "CCTP §3.2.2.2, §3.3", 50] as const)
    : (["CP-SELFSTUDY-MAX-20", "CCTP §3.2.2.2", 20] as const);
  if (used * 100 <= budget.orderedCentreMinutes * pct) return undefined;
  const cap = Math.floor((budget.orderedCentreMinutes * pct) / 100);
  return err(
    code,
    article,
    `L'autoformation de la commande atteindrait ${formatMinutes(used)} (dont ${formatMinutes(pathSelfStudy)} pour ce parcours) : le budget est de ${pct} % des heures centre commandées${budget.eFormation ? " des composantes e-formation" : ""}, soit ${formatMinutes(cap)}.`,
    "items",
    { used, cap, pathSelfStudy },
  );
}

export interface OrderFacts {
  plannedStart: string;
  plannedEnd: string;
  /** End of the framework agreement (catch-up limit). */
  frameworkEnd: string;
  orderedTotalMinutes: number;
}

/**
 * The path's first day (§12.6): positioning included — the positioning's first day when it comes
 * before the planned entry (the first module), else the planned entry.
 */
export function pathFirstDay(entryDate: string, positioningFirstDay: string | null | undefined): string {
  return positioningFirstDay && positioningFirstDay < entryDate ? positioningFirstDay : entryDate;
}

/**
 * CP-ENTRY-YEAR-N (§12.6): the path's first day, positioning included, lies in the calendar year of
 * the order's planned start (Europe/Paris dates): a positioning on 31 Dec of year N makes an entry in
 * year N even when the first module is in January N+1.
 */
export function entryYearN(order: OrderFacts, entryDate: string, positioningFirstDay?: string | null): RuleResult {
  const firstDay = pathFirstDay(entryDate, positioningFirstDay);
  const year = yearOf(order.plannedStart);
  if (yearOf(firstDay) === year) return undefined;
  const byPositioning = firstDay !== entryDate;
  return err(
    "CP-ENTRY-YEAR-N",
    "CCTP §3.1.2",
    byPositioning
      ? `Le parcours commence par son positionnement, le ${formatDateFr(firstDay)} : l'entrée doit avoir lieu en ${year}, année du démarrage prévu de la commande (CP-ENTRY-YEAR-N).`
      : `L'entrée (${formatDateFr(entryDate)}) doit avoir lieu en ${year}, année du démarrage prévu de la commande : l'année suivante sert seulement à terminer les parcours${positioningFirstDay ? "" : " (un positionnement daté de cette année en ferait le premier jour)"}.`,
    byPositioning ? "positioning" : "entryDate",
    { firstDay, entryDate, positioningFirstDay: positioningFirstDay ?? null, year },
  );
}

/** CP-PATH-WITHIN-ORDER: a path is planned within the order, finishing by its planned end. */
export function pathWithinOrder(order: OrderFacts, entryDate: string, plannedExitDate: string): RuleResult {
  if (plannedExitDate > order.plannedEnd) {
    return err(
      "CP-PATH-WITHIN-ORDER",
      "CCTP §3.1.2",
      `La sortie prévue (${formatDateFr(plannedExitDate)}) est postérieure à la fin prévue de la commande (${formatDateFr(order.plannedEnd)}).`,
      "plannedExitDate",
    );
  }
  if (entryDate < order.plannedStart) {
    return err(
      "CP-PATH-WITHIN-ORDER",
      "CCTP §3.1.2",
      `L'entrée (${formatDateFr(entryDate)}) précède le démarrage prévu de la commande (${formatDateFr(order.plannedStart)}).`,
      "entryDate",
    );
  }
  return undefined;
}

/** CP-ORDER-FUNGIBLE (§12.5): the order's consumption never exceeds its total ordered minutes. */
export function orderFungible(order: OrderFacts, consumedByOthers: number, pathConsumption: number): RuleResult {
  const used = consumedByOthers + pathConsumption;
  if (used <= order.orderedTotalMinutes) return undefined;
  return err(
    "CP-ORDER-FUNGIBLE",
    "CCTP §3.1.2",
    `La commande serait consommée à ${formatMinutes(used)} pour ${formatMinutes(order.orderedTotalMinutes)} commandées (dépassement de ${formatMinutes(used - order.orderedTotalMinutes)}) : les heures sont fongibles entre composantes, pas au-delà du total.`,
    "items",
    { used, ordered: order.orderedTotalMinutes },
  );
}

/** The busiest day of a group and how many share it (0 and "" for an empty group). */
export interface GroupPeak {
  peak: number;
  day: string;
}

/** The sweep of CP-GROUP-MAX-20: the first day when the most spans (exit day included) overlap. */
export function groupPeak(spans: { entryDate: string; plannedExitDate: string }[]): GroupPeak {
  const events: [string, number][] = [];
  for (const s of spans) {
    events.push([s.entryDate, 1]);
    events.push([`${s.plannedExitDate}~`, -1]); // '~' sorts after the date: the exit day still counts
  }
  events.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : b[1] - a[1]));
  let current = 0;
  let peak = 0;
  let peakDay = "";
  for (const [day, delta] of events) {
    current += delta;
    if (current > peak) {
      peak = current;
      peakDay = day;
    }
  }
  return { peak, day: peakDay };
}

/**
 * CP-GROUP-MAX-20 (warn), before schedules exist: trainees of one component at one site — any order,
 * any funder — whose paths
 * run on the same day. Returns the busiest day when more than 20 share it.
 */
export function groupMax20(spans: { entryDate: string; plannedExitDate: string }[]): RuleResult {
  return groupMax20AtPeak(groupPeak(spans));
}

/** CP-GROUP-MAX-20 on a peak already swept (the order-wide sweep, group-sweep.ts). */
export function groupMax20AtPeak({ peak, day }: GroupPeak): RuleResult {
  if (peak <= GROUP_MAX) return undefined;
  return warn(
    "CP-GROUP-MAX-20",
    "CCTP §3.1.2",
    `${peak} stagiaires de cette composante sur ce site (toutes commandes, tous financeurs) sont en formation le ${formatDateFr(day)} : un groupe ne devrait pas dépasser 20 stagiaires simultanés.`,
    undefined,
    { peak, day },
  );
}

/** A slot of a group's room (times 'HH:MM' of one day) and who is on it: trainee or other-funded ids. */
export interface RoomSlot {
  start: string;
  end: string;
  people: string[];
}

/**
 * CP-GROUP-MAX-20 (warn), once slots exist: the distinct trainees — any order, any funder — present
 * at once in the group's collective slots, at the busiest moment of `slot`. Touching slots do not
 * overlap. The same 20 as before schedules exist; the schedule passes the room (docs/adr/0009).
 */
export function groupMax20InRoom(date: string, slot: RoomSlot, others: RoomSlot[]): RuleResult {
  const all = [slot, ...others];
  // The headcount only rises when a slot starts: the busiest moment is one of those starts.
  const moments = [slot.start, ...others.map((o) => o.start).filter((t) => slot.start < t && t < slot.end)];
  let peak = 0;
  let at = slot.start;
  for (const m of moments) {
    const present = new Set(all.filter((x) => x.start <= m && m < x.end).flatMap((x) => x.people));
    if (present.size > peak) {
      peak = present.size;
      at = m;
    }
  }
  if (peak <= GROUP_MAX) return undefined;
  return warn(
    "CP-GROUP-MAX-20",
    "CCTP §3.1.2",
    `Le ${formatDateFr(date)} à ${at.replace(/^0?(\d+):00$/, "$1 h").replace(/^0?(\d+):(\d\d)$/, "$1 h $2")}, ${peak} stagiaires distincts (tous financeurs, toutes commandes) seraient ensemble dans les créneaux de cette composante sur ce site : un groupe ne devrait pas dépasser ${GROUP_MAX} stagiaires simultanés.`,
    "pathIds",
    { peak, at, max: GROUP_MAX },
  );
}

/** CP-TRE-MIN-14H (warn on a path): TRE dropped or shortened through a positioning exemption. */
export function treExemption(items: PlanItem[]): RuleResult {
  const tre = items.filter((i) => i.contentTag === "job_search");
  const shortened = tre.filter((i) => i.exempted || (i.moduleMinutes != null && i.plannedMinutes < i.moduleMinutes));
  const missing = tre.length === 0;
  if (!missing && shortened.length === 0) return undefined;
  return warn(
    "CP-TRE-MIN-14H",
    "CCTP §3.1.4",
    missing
      ? "Le parcours ne comporte pas le module de techniques de recherche d'emploi (TRE, 14 h)."
      : "Le module de techniques de recherche d'emploi (TRE, 14 h) est réduit ou dispensé après positionnement.",
    "items",
  );
}

/** CP-TRANSVERSE-CONTENT (warn on a path): digital usage absent without a recorded exemption. */
export function digitalUsage(items: PlanItem[], componentHasDigitalModules: boolean): RuleResult {
  if (!componentHasDigitalModules) return undefined;
  const digital = items.filter((i) => i.contentTag === "digital");
  if (digital.some((i) => (!i.exempted && i.plannedMinutes > 0) || (i.exempted && i.exemptionReason))) return undefined;
  return warn(
    "CP-TRANSVERSE-CONTENT",
    "CCTP §3.1.4",
    "Le parcours ne comporte pas les usages numériques et aucune dispense motivée n'est enregistrée.",
    "items",
  );
}

/** CP-POSITIONING-2-14H (warn): positioning lasts between 2 h and 14 h (indicative). */
export function positioningDuration(minutes: number | null): RuleResult {
  if (minutes == null || (minutes >= POSITIONING_MIN_MINUTES && minutes <= POSITIONING_MAX_MINUTES)) return undefined;
  return warn(
    "CP-POSITIONING-2-14H",
    "CCTP §3.2.1.1",
    `Le positionnement dure ${formatMinutes(minutes)} : la durée indicative est comprise entre 2 h et 14 h.`,
    "positioningMinutes",
  );
}

export interface PositioningFacts {
  minutes: number;
  /** positioning.first_day: the day it counts from (§12.1) and the path's first day when earlier than its entry (§12.6). */
  firstDay: string;
  restitutionOn: string | null;
  priorLearning: string | null;
  competences: string | null;
  recommendedMinutes: number | null;
  recommendedMethods: string | null;
}

/** CP-POSITIONING (hard at validation): a recorded positioning and its face-to-face restitution. */
export function positioningRecorded(p: PositioningFacts | undefined): RuleResult {
  if (p?.restitutionOn) return undefined;
  return err(
    "CP-POSITIONING",
    "CCTP §3.2.1.1, §3.3",
    p
      ? "La restitution en face à face du positionnement n'est pas enregistrée : le parcours ne peut pas être validé."
      : "Aucun positionnement n'est enregistré : le parcours ne peut pas être validé.",
    "positioning",
  );
}

/** CP-POSITIONING (warn): the recommended deliverable is offered; its absence is a warning. */
export function positioningDeliverable(p: PositioningFacts | undefined): RuleResult {
  if (!p) return undefined;
  if (p.priorLearning && p.competences && p.recommendedMinutes && p.recommendedMethods) return undefined;
  return warn(
    "CP-POSITIONING",
    "CCTP §3.2.1.1",
    "Le livrable de positionnement est incomplet (acquis, compétences, durée et modalités préconisées).",
    "positioning",
  );
}

/** CP-REFERENTS (hard at entry): no entry without an assigned pedagogical referent. */
export function pedagogicalReferentAssigned(referentId: string | null): RuleResult {
  if (referentId) return undefined;
  return err("CP-REFERENTS", "CCTP §3.2.1.4", "Un référent pédagogique doit être désigné avant l'entrée du stagiaire.", "pedagogicalReferentId");
}

/** CP-DEPOSIT-MAX-200 (§12.8): deposits held from a trainee on one path total 200 € at most. */
export function depositMax200(heldCents: number, newCents: number): RuleResult {
  if (heldCents + newCents <= DEPOSIT_MAX_CENTS) return undefined;
  return err(
    "CP-DEPOSIT-MAX-200",
    "CCTP §2.5",
    `La caution demandée porterait le total retenu à ${formatEuros(heldCents + newCents)} : 200 € au plus par stagiaire et par parcours (déjà retenu : ${formatEuros(heldCents)}).`,
    "amount",
  );
}

/**
 * CP-FREE-OF-CHARGE: the only money a trainee may hand over is a refundable deposit for lent
 * material; a deposit with no material lent is a disguised fee.
 */
export function depositIsForMaterial(material: string): RuleResult {
  if (material.trim().length > 0) return undefined;
  return err(
    "CP-FREE-OF-CHARGE",
    "CCTP §2.5, §6.1.3",
    "Une caution ne peut être demandée que pour un matériel prêté, à nommer : la formation est gratuite pour le stagiaire (aucun frais d'inscription, de dossier, de tenue ou de support).",
    "material",
  );
}

/** CP-DEPOSIT-MAX-200 (warn at exit): a deposit is refunded at any exit, or kept with a reason. */
export function depositSettledAtExit(unsettledCount: number): RuleResult {
  if (unsettledCount === 0) return undefined;
  return warn(
    "CP-DEPOSIT-MAX-200",
    "CCTP §2.5",
    `${unsettledCount} caution(s) ni restituée(s) ni retenue(s) avec motif alors que le stagiaire est sorti.`,
    "deposit",
  );
}

// ——— The path's declared workflow: draft → validated → closed, or dropped ———

const PATH_WRITERS = rolesFor("paths.write");

export interface PathTransitionFacts {
  entryDate: string;
  /** The status the path leaves (set by requirePathTransition from the locked row). */
  from?: PathStatus;
  actualExitDate?: string;
  reason?: string | null;
  /** The kind of exit (exit domain): completed, employment, other training → closed; drop-out, exclusion → dropped. */
  exitReason?: ExitReason;
  /** The trainee's e-mail address on file at the moment of the exit (CP-SURVEY-NOTICE). */
  traineeEmail?: string | null;
}

/** The exit reasons each final status accepts. */
export const EXIT_REASONS_BY_STATUS: Record<"closed" | "dropped", readonly ExitReason[]> = {
  closed: ["completed", "employment", "other_training"],
  dropped: ["dropout", "exclusion"],
};

/**
 * CP-SURVEY-NOTICE: a trainee who entered training leaves with a valid e-mail address on file, so
 * that the Region's 6- and 18-month surveys reach them. A registration dropped before entry (draft)
 * is not an exit from training.
 */
export function surveyNoticeEmail(f: Pick<PathTransitionFacts, "from" | "traineeEmail">): RuleResult {
  if (f.from === "draft") return undefined;
  if (f.traineeEmail && email().safeParse(f.traineeEmail).success) return undefined;
  return err(
    "CP-SURVEY-NOTICE",
    "CCTP §6.1.4",
    f.traineeEmail
      ? `L'adresse e-mail du stagiaire (« ${f.traineeEmail} ») n'est pas valide : corrigez-la sur sa fiche avant d'enregistrer la sortie, les enquêtes de la Région à 6 et 18 mois lui seront envoyées à cette adresse.`
      : "Le stagiaire n'a pas d'adresse e-mail : renseignez-la sur sa fiche avant d'enregistrer la sortie, les enquêtes de la Région à 6 et 18 mois lui seront envoyées à cette adresse.",
    "email",
  );
}

const exitNotBeforeEntry = (f: PathTransitionFacts): Violation[] =>
  f.actualExitDate !== undefined && f.actualExitDate < f.entryDate
    ? [err("PATH_EXIT_DATE", "", `La date de sortie (${formatDateFr(f.actualExitDate)}) précède l'entrée (${formatDateFr(f.entryDate)}).`, "actualExitDate")]
    : [];

const reasonFits = (to: "closed" | "dropped") => (f: PathTransitionFacts): Violation[] =>
  f.exitReason === undefined || EXIT_REASONS_BY_STATUS[to].includes(f.exitReason)
    ? []
    : [err("PATH_EXIT_REASON", "", to === "closed" ? "Une fin de parcours a pour motif : parcours terminé, emploi ou autre formation." : "Un abandon a pour motif : abandon (avec sa cause) ou exclusion.", "reason")];

const exitGuards = (to: "closed" | "dropped") => (f: PathTransitionFacts): Violation[] => [...exitNotBeforeEntry(f), ...reasonFits(to)(f), ...check(surveyNoticeEmail(f))];

/**
 * Target status → allowed sources, roles and guard. A path is created as a draft (registration);
 * its entry rules (CP-POSITIONING, CP-REFERENTS, CP-ELIGIBLE-PUBLIC…) are judged by evaluatePath
 * under the order's lock before it becomes validated. An exit returns its unused hours (§12.5); it
 * needs a valid e-mail address (CP-SURVEY-NOTICE) and a reason that fits the status.
 */
export const PATH_TRANSITIONS: TransitionTable<PathStatus, PathTransitionFacts> = {
  validated: { from: ["draft"], roles: PATH_WRITERS },
  closed: { from: ["validated"], roles: PATH_WRITERS, guard: exitGuards("closed") },
  dropped: {
    from: ["draft", "validated"],
    roles: PATH_WRITERS,
    guard: (f) => [
      ...exitGuards("dropped")(f),
      ...((f.reason ?? "").trim() ? [] : [err("PATH_DROP_REASON", "", "Indiquez le motif de l'abandon.", "exitReason")]),
    ],
  },
};

export const pathStatusLabels: Record<PathStatus, string> = {
  draft: "Brouillon",
  validated: "Validé — en formation",
  closed: "Clôturé — sorti",
  dropped: "Abandon",
};
