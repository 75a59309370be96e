// One pure function per rule ID of REQUIREMENTS.md for individual paths (no I/O).
import { err, formatEuros, formatMinutes, type RuleResult, warn } from "../../core/rules.ts";
import { formatDateFr, yearOf } from "../../core/time.ts";
import type { PlanItem, Totals } from "./totals.ts";

export const PATH_MAX_MINUTES = 200 * 60;
export const COMPANY_MAX_MINUTES = 70 * 60;
export const POSITIONING_MIN_MINUTES = 2 * 60;
export const POSITIONING_MAX_MINUTES = 14 * 60;
export const DEPOSIT_MAX_CENTS = 20_000;
export const GROUP_MAX = 20;


/** CP-PATH-MAX-200H: every modality, positioning included, ≤ 200 h; exactly 200 h passes. */
export function pathMax200h(totals: Totals, which: "planned" | "realised" = "planned"): RuleResult {
  if (totals.total <= PATH_MAX_MINUTES) return undefined;
  return err(
    "CP-PATH-MAX-200H",
    "CCTP §II.1, §3.1.2",
    `Le parcours ${which === "planned" ? "prévu" : "réalisé"} totalise ${formatMinutes(totals.total)}, positionnement compris : il ne peut pas dépasser 200 h (dépassement de ${formatMinutes(totals.total - PATH_MAX_MINUTES)}).`,
    "items",
    { total: totals.total, max: PATH_MAX_MINUTES },
  );
}

/** CP-COMPANY-MAX-70H: all company periods of a path together ≤ 70 h. */
export function companyMax70h(totals: Totals): RuleResult {
  if (totals.company <= COMPANY_MAX_MINUTES) return undefined;
  return err(
    "CP-COMPANY-MAX-70H",
    "CCTP §3.1.5",
    `Les périodes en entreprise totalisent ${formatMinutes(totals.company)} : 70 h au plus par parcours (dépassement de ${formatMinutes(totals.company - COMPANY_MAX_MINUTES)}).`,
    "company",
    { company: totals.company, max: COMPANY_MAX_MINUTES },
  );
}

export interface ComponentFacts {
  eFormation: boolean;
  hybridStatus: "none" | "requested" | "approved" | "refused";
}

/** CP-HYBRID-APPROVED: distance hours only on a component whose hybrid modality the Region accepted. */
export function hybridApproved(component: ComponentFacts, totals: Totals): RuleResult {
  if (component.eFormation || totals.distance === 0 || component.hybridStatus === "approved") return undefined;
  return err(
    "CP-HYBRID-APPROVED",
    "CCTP §3.2.2.1",
    `Des heures à distance (${formatMinutes(totals.distance)}) ne peuvent être prévues que sur une composante dont la Région a accepté la modalité hybride.`,
    "items",
  );
}

/**
 * CP-DISTANCE-MAX-50 (§12.3): per path, distance synchronous + remote self-study ≤ 50 % of the
 * path's centre minutes (all non-company). Exactly 50 % passes. E-formation is distance by nature.
 */
export function distanceMax50(component: ComponentFacts, totals: Totals, which: "planned" | "realised" = "planned"): RuleResult {
  if (component.eFormation) return undefined;
  const remote = totals.distance + totals.selfStudyRemote;
  if (2 * remote <= totals.centreMinutes) return undefined;
  return err(
    "CP-DISTANCE-MAX-50",
    "CCTP §3.2.2.1",
    `${which === "realised" ? "Heures réalisées : l" : "L"}a distance (tutorat ${formatMinutes(totals.distance)} + autoformation à distance ${formatMinutes(totals.selfStudyRemote)} = ${formatMinutes(remote)}) dépasse 50 % des heures centre du parcours (${formatMinutes(totals.centreMinutes)}, soit ${formatMinutes(Math.floor(totals.centreMinutes / 2))} au plus).`,
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

/** CP-ENTRY-YEAR-N (§12.6): the path's first day lies in the calendar year of the order's planned start. */
export function entryYearN(order: OrderFacts, entryDate: string): RuleResult {
  if (yearOf(entryDate) === yearOf(order.plannedStart)) return undefined;
  return err(
    "CP-ENTRY-YEAR-N",
    "CCTP §3.1.2",
    `L'entrée (${formatDateFr(entryDate)}) doit avoir lieu en ${yearOf(order.plannedStart)}, année du démarrage prévu de la commande : l'année suivante sert seulement à terminer les parcours.`,
    "entryDate",
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

/**
 * CP-GROUP-MAX-20 (warn), before schedules exist: trainees of one component at one site whose paths
 * run on the same day. Returns the busiest day when more than 20 share it.
 */
export function groupMax20(spans: { entryDate: string; plannedExitDate: string }[]): RuleResult {
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
  if (peak <= GROUP_MAX) return undefined;
  return warn(
    "CP-GROUP-MAX-20",
    "CCTP §3.1.2",
    `${peak} stagiaires de cette composante sur ce site ont un parcours en cours le ${formatDateFr(peakDay)} : un groupe ne devrait pas dépasser 20 stagiaires simultanés.`,
    undefined,
    { peak, day: peakDay },
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

/** CP-ELIGIBLE-PUBLIC: hard at entry (registered job seeker), a warning at candidacy/registration. */
export function eligiblePublic(registered: boolean, at: "entry" | "registration"): RuleResult {
  if (registered) return undefined;
  const message =
    "Le stagiaire n'est pas inscrit comme demandeur d'emploi à France Travail : l'entrée en formation est impossible tant que l'inscription n'est pas faite.";
  return at === "entry"
    ? err("CP-ELIGIBLE-PUBLIC", "CCTP §2.1, §2.2", message, "jobSeekerRegistered")
    : warn("CP-ELIGIBLE-PUBLIC", "CCTP §2.1, §2.2", `${message} Aidez-le à s'inscrire.`, "jobSeekerRegistered");
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
