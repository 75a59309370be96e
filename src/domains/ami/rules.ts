// One pure function per AMI-* rule of docs/requirements.md §11 (the modernisation call, AMI): no I/O,
// no clock (the caller passes "now" and "today"). Percentages are integers in basis points
// (10 % = 1000), days of commitment in half-days (1,5 j = 3).
import { rolesFor } from "../../core/auth/roles.ts";
import type { Role } from "../../core/db/schema.ts";
import { err, type RuleResult, type Violation, warn } from "../../core/rules.ts";
import { addDays, formatDateFr } from "../../core/time.ts";
import type { TransitionTable } from "../../core/workflow.ts";

// ---- Constants of the call (AMI §II, §IV) ----

/** AMI-COMMITMENT-10PCT: the project lead's share of a full-time equivalent, in basis points. */
export const LEAD_MIN_BP = 1000;
/** AMI-SITES: one to three implementation sites for a network or multi-site applicant. */
export const MAX_IMPLEMENTATION_SITES = 3;
/** AMI-DEADLINE-M2: how many days before the latest end of mission 2 a warning shows. */
export const M2_WARNING_DAYS = 30;

/** AMI-AXES: the three axes of needs (AMI §IV a, b, c). */
export const AXES = ["professions", "digitalisation", "pedagogy"] as const;
export type Axis = (typeof AXES)[number];
export const axisLabels: Record<Axis, string> = {
  professions: "a — Évolution des métiers de la formation",
  digitalisation: "b — Digitalisation de la formation",
  pedagogy: "c — Pédagogie attractive",
};

/** AMI-PRIORITY: the publics of the Pacte d'investissement dans les compétences (PIC). */
export const PIC_PUBLICS = ["low_qualified_job_seekers", "young_neet", "qpv_residents", "rural_residents", "disabled_people"] as const;
export type PicPublic = (typeof PIC_PUBLICS)[number];
export const picPublicLabels: Record<PicPublic, string> = {
  low_qualified_job_seekers: "Demandeurs d'emploi peu ou pas qualifiés",
  young_neet: "Jeunes sans emploi ni formation",
  qpv_residents: "Habitants des quartiers prioritaires (QPV)",
  rural_residents: "Habitants des zones rurales",
  disabled_people: "Personnes en situation de handicap",
};

/** AMI-LOTS: the two lots of the seed call (AMI §II), départements by INSEE code. */
export const SEED_LOTS = [
  { number: 1, name: "Lot 1", departements: ["46", "81", "82", "32", "65", "31"] },
  { number: 2, name: "Lot 2", departements: ["09", "11", "12", "30", "48", "66", "34"] },
] as const;
/** AMI-EXPERT-IN-LOT: the expert providers the Region referenced per lot (AMI §II). */
export const SEED_EXPERTS = { 1: ["BIZNESS", "MASKOTT", "LAET'S MIND"], 2: ["MASKOTT", "BIZNESS", "KAWALEARN"] } as const;

// ---- Readings of what people type ----

/** "10", "9,99", "12.5 %" → basis points (1000, 999, 1250); undefined when unreadable or over 100 %. */
export function parsePercent(input: string): number | undefined {
  const m = /^(\d{1,3})(?:[.,](\d{1,2}))?\s*%?$/.exec(input.trim());
  if (!m) return undefined;
  const bp = Number(m[1]) * 100 + Number((m[2] ?? "").padEnd(2, "0"));
  return bp <= 10_000 ? bp : undefined;
}
/** 999 → "9,99 %", 1000 → "10 %". */
export function formatPercent(bp: number): string {
  const whole = Math.floor(bp / 100);
  const rest = bp % 100;
  return rest === 0 ? `${whole} %` : `${whole},${String(rest).padStart(2, "0").replace(/0$/, "")} %`;
}
/** "1", "1,5", "2.5" → half-days (2, 3, 5); undefined when not a multiple of half a day. */
export function parseDays(input: string): number | undefined {
  const m = /^(\d{1,3})(?:[.,](0|5|50))?$/.exec(input.trim());
  if (!m) return undefined;
  return Number(m[1]) * 2 + (m[2]?.startsWith("5") ? 1 : 0);
}
export const formatDays = (halfDays: number) => `${Math.floor(halfDays / 2)}${halfDays % 2 ? ",5" : ""} j`;

// ---- AMI-CALL, AMI-LOTS, AMI-EXPERT-IN-LOT ----

/** AMI-CALL (flow): the call's deadline comes before the latest end of mission 2 it sets. */
export function callDates(deadlineParisDate: string, mission2LatestEnd: string): RuleResult {
  if (mission2LatestEnd > deadlineParisDate) return undefined;
  return err(
    "AMI-CALL",
    "AMI",
    `La fin de la mission 2 au plus tard (${formatDateFr(mission2LatestEnd)}) doit suivre la date limite de dépôt (${formatDateFr(deadlineParisDate)}) (AMI-CALL).`,
    "mission2LatestEnd",
  );
}

/** AMI-LOTS (flow): each lot has départements, and a département lies in one lot only. */
export function lotsPartition(lots: { number: number; departements: string[] }[]): RuleResult {
  if (lots.length === 0) return err("AMI-LOTS", "AMI §II", "L'appel doit compter au moins un lot (AMI-LOTS).", "lots");
  const empty = lots.find((l) => l.departements.length === 0);
  if (empty) return err("AMI-LOTS", "AMI §II", `Le lot ${empty.number} n'a aucun département (AMI-LOTS).`, "lots");
  const seen = new Map<string, number>();
  for (const l of lots) {
    for (const d of l.departements) {
      const other = seen.get(d);
      if (other !== undefined && other !== l.number) {
        return err("AMI-LOTS", "AMI §II", `Le département ${d} figure dans les lots ${other} et ${l.number} : un département appartient à un seul lot (AMI-LOTS).`, "lots", { departement: d });
      }
      seen.set(d, l.number);
    }
  }
  return undefined;
}

/** AMI-LOTS: the lot of an application is the lot of its reference site's département. */
export function lotOfDepartement<L extends { departements: readonly string[] }>(lots: readonly L[], departement: string): L | undefined {
  return lots.find((l) => l.departements.includes(departement));
}
export function referenceSiteInALot(departement: string, lotFound: boolean): RuleResult {
  if (lotFound) return undefined;
  return err(
    "AMI-LOTS",
    "AMI §II, §IV",
    `Le site de référence est dans le département ${departement}, qui n'appartient à aucun lot de l'appel : le lot de la candidature est celui de son site de référence (AMI-LOTS).`,
    "referenceSiteId",
  );
}

/**
 * AMI-EXPERT-IN-LOT (hard): the expert is one referenced for the application's lot, and the same
 * expert follows it through all missions (no change once assigned).
 */
export function expertInLot(expertId: string, lotExpertIds: string[], alreadyAssigned: string | null): RuleResult {
  if (alreadyAssigned && alreadyAssigned !== expertId) {
    return err("AMI-EXPERT-IN-LOT", "AMI §II, §IV", "Un prestataire expert est déjà désigné : le même expert suit la candidature dans toutes les missions (AMI-EXPERT-IN-LOT).", "expertProviderId");
  }
  if (lotExpertIds.includes(expertId)) return undefined;
  return err("AMI-EXPERT-IN-LOT", "AMI §II, §IV", "Ce prestataire expert n'est pas référencé pour le lot de la candidature (AMI-EXPERT-IN-LOT).", "expertProviderId");
}

// ---- Applying ----

/** AMI-ELIGIBLE (hard): a training organisation or apprentice centre referenced in the PRF of the call's year. */
export function eligible(facts: { registered: boolean; holdsOrderOfYear: boolean; prfYear: number }): RuleResult {
  if (facts.registered || facts.holdsOrderOfYear) return undefined;
  return err(
    "AMI-ELIGIBLE",
    "AMI §IV",
    `Votre organisme n'est pas référencé au programme régional de formation ${facts.prfYear} : seuls les organismes de formation et CFA d'Occitanie référencés au PRF de l'année peuvent candidater (AMI-ELIGIBLE). Un CFA peut demander à la Région de l'inscrire.`,
  );
}

/** AMI-ONE-PER-LOT (hard): one open application per organisation or network per lot at a time. */
export function onePerLot(otherOpenOnLot: number, lotNumber: number, network: string | null): RuleResult {
  if (otherOpenOnLot === 0) return undefined;
  const who = network ? `le réseau « ${network} »` : "votre organisme (même SIREN)";
  return err(
    "AMI-ONE-PER-LOT",
    "AMI §IV",
    `Une candidature est déjà ouverte pour ${who} sur le lot ${lotNumber} : un seul dossier par lot et un seul accompagnement par lot (AMI-ONE-PER-LOT).`,
    "referenceSiteId",
    { lot: lotNumber },
  );
}

export type SiteMode = "single" | "multi";

/**
 * AMI-SITES (hard): single-site, the one site is reference and implementation; network or
 * multi-site, one reference site and one to three distinct implementation sites (three pass, four fail).
 */
export function sites(mode: SiteMode, referenceSiteId: string | null, implementationSiteIds: string[]): Violation[] {
  const v = (message: string, field = "implementationSiteIds") => [err("AMI-SITES", "AMI §IV", `${message} (AMI-SITES).`, field)];
  if (!referenceSiteId) return v("Choisissez le site de référence (diagnostic, plan d'actions, lieu du chef de projet)", "referenceSiteId");
  if (new Set(implementationSiteIds).size !== implementationSiteIds.length) return v("Les lieux de mise en œuvre doivent être distincts");
  if (mode === "single") {
    if (implementationSiteIds.length === 0 || (implementationSiteIds.length === 1 && implementationSiteIds[0] === referenceSiteId)) return [];
    return v("Un organisme mono-site a un seul site, à la fois lieu de référence et de mise en œuvre");
  }
  if (implementationSiteIds.length < 1) return v("Indiquez de un à trois lieux de mise en œuvre");
  if (implementationSiteIds.length > MAX_IMPLEMENTATION_SITES) {
    return v(`${implementationSiteIds.length} lieux de mise en œuvre : de un à ${MAX_IMPLEMENTATION_SITES} au plus`);
  }
  return [];
}

/** AMI-COMMITMENT-10PCT (hard): the project lead gives at least 10 % of an FTE (10 % passes, 9,99 % fails). */
export function commitment10pct(leadShareBp: number | null): RuleResult {
  if (leadShareBp !== null && leadShareBp >= LEAD_MIN_BP) return undefined;
  return err(
    "AMI-COMMITMENT-10PCT",
    "AMI §IV",
    leadShareBp === null
      ? "Indiquez la part d'un équivalent temps plein que le chef de projet consacre au projet : 10 % au moins (AMI-COMMITMENT-10PCT)."
      : `Le chef de projet consacre ${formatPercent(leadShareBp)} d'un équivalent temps plein : 10 % au moins sont demandés (AMI-COMMITMENT-10PCT).`,
    "projectLeadShare",
    { share: leadShareBp, min: LEAD_MIN_BP },
  );
}

export interface Needs {
  professions: string;
  digitalisation: string;
  pedagogy: string;
  phases: string;
}

/** AMI-AXES (flow): needs are stated along at least one of the three axes. */
export function axes(needs: Needs): RuleResult {
  if (AXES.some((a) => needs[a].trim() !== "")) return undefined;
  return err("AMI-AXES", "AMI §IV", "Décrivez vos besoins selon au moins un des trois axes (a, b ou c) (AMI-AXES).", "professions");
}

export interface TeamMember {
  name: string;
  role: string;
  commitment: string;
}

/** AMI-APPLICATION-CONTENT (flow): what a submitted application must record. */
export function applicationContent(a: { team: TeamMember[]; projectLeadName: string; targetPublics: string[]; ecologicalActions: string; priorAccompaniment: boolean | null }): Violation[] {
  const v = (message: string, field: string) => err("AMI-APPLICATION-CONTENT", "AMI §IV", `${message} (AMI-APPLICATION-CONTENT).`, field);
  const out: Violation[] = [];
  if (a.projectLeadName.trim() === "") out.push(v("Nommez le chef de projet", "projectLeadName"));
  if (a.team.length === 0) out.push(v("Nommez au moins un membre de l'équipe engagé dans la démarche", "team"));
  if (a.priorAccompaniment === null) out.push(v("Indiquez si l'organisme a déjà bénéficié d'un accompagnement lors d'un précédent appel", "priorAccompaniment"));
  return out;
}

// ---- AMI-CALL-DEADLINE, AMI-RECEIPT ----

/** AMI-CALL-DEADLINE (hard): submission at the deadline's second passes, one second later fails. */
export function callDeadline(now: Date, deadline: Date, deadlineLabel: string): RuleResult {
  if (Math.floor(now.getTime() / 1000) <= Math.floor(deadline.getTime() / 1000)) return undefined;
  return err("AMI-CALL-DEADLINE", "AMI", `La date limite de dépôt (${deadlineLabel}, heure de Paris) est passée : la candidature ne peut plus être déposée (AMI-CALL-DEADLINE).`);
}

/** AMI-RECEIPT: a submitted application stays valid one year (the day before the anniversary included). */
export function validUntil(submittedParisDate: string): string {
  const [y, m, d] = submittedParisDate.split("-").map(Number);
  const anniversary = m === 2 && d === 29 ? `${y + 1}-03-01` : `${y + 1}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
  return addDays(anniversary, -1);
}

// ---- AMI-PRIORITY ----

export interface PriorityFacts {
  id: string;
  priorAccompaniment: boolean;
  ecologicalActions: string;
  targetPublics: string[];
  leadShareBp: number;
  teamSize: number;
  submittedAt: Date;
}

/** AMI-PRIORITY (kpi): the stated priorities, in their order, then team involvement; with the reason for each point. */
export function priority(f: PriorityFacts): { score: number[]; reasons: string[] } {
  const reasons: string[] = [];
  const never = f.priorAccompaniment ? 0 : 1;
  reasons.push(never ? "jamais accompagné lors d'un précédent appel (priorité)" : "déjà accompagné lors d'un précédent appel");
  const eco = f.ecologicalActions.trim() !== "" ? 1 : 0;
  reasons.push(eco ? "actions de formation liées à la transition écologique et énergétique (priorité)" : "pas d'action liée à la transition écologique déclarée");
  const pic = f.targetPublics.length > 0 ? 1 : 0;
  reasons.push(pic ? `publics cibles du PIC (${f.targetPublics.length}) (priorité)` : "aucun public cible du PIC déclaré");
  reasons.push(`implication de l'équipe : chef de projet à ${formatPercent(f.leadShareBp)} d'un ETP, ${f.teamSize} membre(s) engagé(s)`);
  return { score: [never + eco + pic, never, eco, pic, f.leadShareBp, f.teamSize], reasons };
}

/** AMI-PRIORITY: ranked by priority, ties by earlier submission; an override puts an application at a recorded position. */
export function rank<T extends PriorityFacts & { overridePosition: number | null }>(apps: T[]): (T & { position: number; computedPosition: number; reasons: string[] })[] {
  const scored = apps.map((a) => ({ a, ...priority(a) }));
  scored.sort((x, y) => {
    for (let i = 0; i < x.score.length; i++) if (x.score[i] !== y.score[i]) return y.score[i] - x.score[i];
    return x.a.submittedAt.getTime() - y.a.submittedAt.getTime();
  });
  const computed = scored.map((s, i) => ({ ...s.a, computedPosition: i + 1, reasons: s.reasons }));
  const overridden = computed.filter((c) => c.overridePosition !== null).sort((x, y) => (x.overridePosition ?? 0) - (y.overridePosition ?? 0));
  const rest = computed.filter((c) => c.overridePosition === null);
  const out: typeof computed = [...rest];
  for (const o of overridden) out.splice(Math.min(Math.max((o.overridePosition ?? 1) - 1, 0), out.length), 0, o);
  return out.map((c, i) => ({ ...c, position: i + 1 }));
}

/** AMI-PRIORITY: an override of the ranking is recorded with its reason. */
export function overrideReason(reason: string): RuleResult {
  if (reason.trim().length > 0) return undefined;
  return err("AMI-PRIORITY", "AMI §IV", "Indiquez la raison du changement de rang : elle est enregistrée (AMI-PRIORITY).", "reason");
}

// ---- Statuses (AMI-SELECTION, AMI-MISSIONS) ----

export type ApplicationStatus = "draft" | "submitted" | "retained" | "not_retained" | "mission_1" | "mission_2" | "mission_3" | "completed";
export const OPEN_STATUSES: ApplicationStatus[] = ["draft", "submitted", "retained", "mission_1", "mission_2", "mission_3"];

export const statusLabels: Record<ApplicationStatus, string> = {
  draft: "Brouillon",
  submitted: "Déposée",
  retained: "Retenue",
  not_retained: "Non retenue",
  mission_1: "Mission 1 — diagnostic et plan d'actions",
  mission_2: "Mission 2 — mise en œuvre",
  mission_3: "Mission 3 — évaluation et livrables",
  completed: "Accompagnement terminé",
};

export interface TransitionFacts {
  reason?: string;
  expertAssigned?: boolean;
  committeeDecided?: boolean;
  approvedActions?: number;
  multiSite?: boolean;
  hasTransferKit?: boolean;
}

const REGION: readonly Role[] = ["region_officer"];
const APPLICANT = rolesFor("ami.apply");
const EXPERT = rolesFor("ami.expertise");

/** AMI-SELECTION / AMI-MISSIONS: the application's steps, who moves it and what must hold. */
export const TRANSITIONS: TransitionTable<ApplicationStatus, TransitionFacts> = {
  submitted: { from: ["draft"], roles: APPLICANT },
  retained: { from: ["submitted"], roles: REGION },
  not_retained: {
    from: ["submitted"],
    roles: REGION,
    guard: (f) => (f.reason?.trim() ? [] : [err("AMI-SELECTION", "AMI §III", "Indiquez le motif de la non-retenue : il est adressé au candidat (AMI-SELECTION).", "reason")]),
  },
  mission_1: {
    from: ["retained"],
    roles: REGION,
    guard: (f) => (f.expertAssigned ? [] : [err("AMI-EXPERT-IN-LOT", "AMI §II, §IV", "Désignez d'abord le prestataire expert du lot (AMI-EXPERT-IN-LOT).", "expertProviderId")]),
  },
  mission_2: {
    from: ["mission_1"],
    roles: REGION,
    guard: (f) => check2(m2ApprovedOnly(f.committeeDecided ?? false, (f.approvedActions ?? 0) > 0)),
  },
  mission_3: { from: ["mission_2"], roles: [...REGION, ...EXPERT] },
  completed: { from: ["mission_3"], roles: REGION, guard: (f) => check2(transfer(f.multiSite ?? false, f.hasTransferKit ?? false)) },
};
const check2 = (r: RuleResult): Violation[] => (r ? [r] : []);

// ---- Missions ----

/** AMI-COMMITTEE (flow): the committee approves all or part of a co-built plan, at a date not to come. */
export function committeeDecision(planActionIds: string[], approvedIds: string[], decidedOn: string, today: string): Violation[] {
  const out: Violation[] = [];
  if (planActionIds.length === 0) out.push(err("AMI-COMMITTEE", "AMI", "Le plan d'actions est vide : l'expert le co-construit avant de le présenter au comité (AMI-COMMITTEE).", "approved"));
  const unknown = approvedIds.filter((id) => !planActionIds.includes(id));
  if (unknown.length > 0) out.push(err("AMI-COMMITTEE", "AMI", "Une action approuvée n'appartient pas au plan présenté (AMI-COMMITTEE).", "approved"));
  if (decidedOn > today) out.push(err("AMI-COMMITTEE", "AMI", `La date de décision du comité (${formatDateFr(decidedOn)}) ne peut pas être à venir (AMI-COMMITTEE).`, "decidedOn"));
  return out;
}

/** AMI-M2-APPROVED-ONLY (hard): mission 2 works only after the committee's decision and on the actions it approved. */
export function m2ApprovedOnly(committeeDecided: boolean, actionApproved: boolean): RuleResult {
  if (!committeeDecided) return err("AMI-M2-APPROVED-ONLY", "AMI §III, §IV", "La mission 2 ne commence qu'après la décision du comité de sélection (AMI-M2-APPROVED-ONLY).", "actionId");
  if (!actionApproved) return err("AMI-M2-APPROVED-ONLY", "AMI §III, §IV", "Cette action n'a pas été approuvée par le comité : la mission 2 ne porte que sur les actions approuvées (AMI-M2-APPROVED-ONLY).", "actionId");
  return undefined;
}

/**
 * AMI-DEADLINE-M2 (hard): mission 2 ends at the latest on the call's date. New work on that day
 * passes, the day after fails; within M2_WARNING_DAYS before it, a warning.
 */
export function deadlineM2(today: string, latestEnd: string): RuleResult {
  if (today > latestEnd) {
    return err("AMI-DEADLINE-M2", "AMI §IV", `La mission 2 devait être terminée au plus tard le ${formatDateFr(latestEnd)} : aucun nouveau travail ne peut être enregistré (AMI-DEADLINE-M2).`, "onDate");
  }
  if (today >= addDays(latestEnd, -M2_WARNING_DAYS)) {
    return warn("AMI-DEADLINE-M2", "AMI §IV", `La mission 2 doit être terminée au plus tard le ${formatDateFr(latestEnd)} : l'échéance approche (AMI-DEADLINE-M2).`, "onDate");
  }
  return undefined;
}

/** AMI-MISSIONS: what mission 3 collects, and whose it is (mission 2 productions belong to the organisation). */
export const DELIVERABLE_KINDS = ["m2_production", "evaluation", "model_deliverable", "transfer_kit"] as const;
export type DeliverableKind = (typeof DELIVERABLE_KINDS)[number];
export const deliverableLabels: Record<DeliverableKind, string> = {
  m2_production: "Production de la mission 2",
  evaluation: "Évaluation",
  model_deliverable: "Livrable modélisable",
  transfer_kit: "Kit de transfert vers les autres sites",
};
export const deliverableOwner = (kind: DeliverableKind): "provider" | "expert" => (kind === "m2_production" ? "provider" : "expert");

/** AMI-TRANSFER (flow, required when multi-site): the transfer kit is among the deliverables before the accompaniment ends. */
export function transfer(multiSite: boolean, hasTransferKit: boolean): RuleResult {
  if (!multiSite || hasTransferKit) return undefined;
  return err("AMI-TRANSFER", "AMI §IV", "Organisme multi-site : le kit de transfert des outils et pratiques vers les autres sites est un livrable obligatoire (AMI-TRANSFER).", "kind");
}
