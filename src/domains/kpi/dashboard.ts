// The Region's dashboard (CP-KPI-ORGANISATION, CP-KPI-EXAMS, CP-KPI-VAE, CP-KPI-EMPLOYMENT,
// CP-KPI-SATISFACTION): one function per figure group, each figure with its base (docs/kpi.md).
// Every figure over paths (headcounts, hours, exits by reason, exams, VAE, employment) comes from one read of
// kpi's rollups (ADR 0034, 0041); satisfaction from the survey's rollup.
import type { Actor } from "../../core/auth/actor.ts";
import { isProviderStaff } from "../../core/auth/actor.ts";
import type { Db } from "../../core/db/index.ts";
import { forbidden } from "../../core/errors.ts";
import type { Totals } from "../../core/modalities.ts";
import { type Clock, parisDate } from "../../core/time.ts";
import { regionCategories, type RegionCategories } from "../ledger/use-cases.ts";
import { average, count, type Figure, minutes, rate, shareOf, totalsOf } from "./rules.ts";
import * as store from "./store.ts";

export type { KpiScope } from "./store.ts";

export interface HoursByModality {
  ordered: { centre: number; company: number; total: number };
  planned: RegionCategories & { total: number };
  realised: RegionCategories & { total: number };
}

export interface Dashboard {
  scope: store.KpiScope;
  /** The day « in training » is counted on: today, or 31 December of a past year. */
  referenceDate: string;
  organisation: Figure[];
  exits: Figure[];
  exitReasons: Figure[];
  hours: HoursByModality;
  hoursFigures: Figure[];
  entriesByMonth: { month: string; entries: number }[];
  exams: Figure[];
  vae: Figure[];
  employment: Figure[];
  satisfaction: Figure[];
  orders: number;
}

const withTotal = (t: Totals) => ({ ...regionCategories(t), total: t.total });

/** The scope a caller may see: the Region any; a provider's staff their own orders only, whatever they ask. */
export function scopeFor(actor: Actor, asked: store.KpiScope): store.KpiScope {
  if (actor.role === "region_officer") return asked;
  if (isProviderStaff(actor) && actor.providerId) return { ...asked, providerId: actor.providerId };
  throw forbidden();
}

/** CP-KPI-ORGANISATION: entries, trainees in training, average path length. */
export async function organisationFigures(db: Db, f: store.KpiScope, ref: string, cohorts?: store.CohortFigures) {
  const c = cohorts ?? (await store.cohortFigures(db, f, ref));
  const h = c.headcounts;
  const lengths = c.lengths;
  const organisation = [
    count("entries", "CP-KPI-ORGANISATION", "Entrées en formation", h.entries, "parcours validés, clos ou abandonnés des commandes retenues"),
    count("inTraining", "CP-KPI-ORGANISATION", `Stagiaires en formation au ${ref.split("-").reverse().join("/")}`, h.inTraining, "parcours validés entrés à cette date"),
    average("plannedLength", "CP-KPI-ORGANISATION", "Durée moyenne prévue d'un parcours", lengths.plannedSum, lengths.plannedN, "parcours entrés (positionnement compris)"),
    average("realisedLength", "CP-KPI-ORGANISATION", "Durée moyenne réalisée d'un parcours terminé", lengths.realisedSum, lengths.realisedN, "parcours clos ou abandonnés"),
  ];
  const exited = h.completed + h.dropped;
  const exits = [
    count("exitsCompleted", "CP-KPI-ORGANISATION", "Sorties en fin de parcours", h.completed, "parcours clos"),
    count("exitsDropped", "CP-KPI-ORGANISATION", "Abandons", h.dropped, "parcours abandonnés"),
    rate("dropRate", "CP-KPI-ORGANISATION", "Taux d'abandon", h.dropped, exited, "sorties (parcours clos ou abandonnés)"),
  ];
  return { organisation, exits, entries: h.entries };
}

/** CP-KPI-ORGANISATION, CP-ATTENDANCE-REALISED: hours ordered / planned / realised, by the Region's categories. */
export async function hoursFigures(db: Db, f: store.KpiScope, entries: number, cohorts?: store.CohortFigures, orderedRead?: store.OrderedMinutes) {
  const c = cohorts ?? (await store.cohortFigures(db, f, "9999-12-31"));
  const ordered = orderedRead ?? (await store.orderedMinutes(db, f));
  const planned = totalsOf(c.planned);
  const realised = totalsOf(c.realised);
  const hours: HoursByModality = { ordered: { centre: ordered.centre, company: ordered.company, total: ordered.centre + ordered.company }, planned: withTotal(planned), realised: withTotal(realised) };
  const figures = [
    minutes("ordered", "CP-KPI-ORGANISATION", "Heures commandées", hours.ordered.total, ordered.headcount, "stagiaires commandés (effectif des lignes)"),
    minutes("planned", "CP-KPI-ORGANISATION", "Heures prévues aux parcours", planned.total, entries, "parcours entrés"),
    minutes("realised", "CP-ATTENDANCE-REALISED", "Heures réalisées (émargements prouvés et positionnement)", realised.total, entries, "parcours entrés"),
  ];
  return { hours, figures, orders: ordered.orders };
}

/** CP-KPI-ORGANISATION: exits by the reason recorded at exit (exit capability, `path_exit`). */
export const EXIT_REASONS = [
  ["completed", "Sorties en fin de parcours (motif enregistré)"],
  ["employment", "Sorties pour un emploi"],
  ["other_training", "Sorties vers une autre formation"],
  ["dropout", "Abandons (motif enregistré)"],
  ["exclusion", "Exclusions"],
] as const;

export async function exitReasonFigures(db: Db, f: store.KpiScope, cohorts?: store.CohortFigures): Promise<Figure[]> {
  const by = cohorts ? cohorts.exitReasons : await store.exitsByReason(db, f);
  const total = Object.values(by).reduce((a, b) => a + b, 0);
  return [
    count("exitsRecorded", "CP-KPI-ORGANISATION", "Sorties enregistrées avec leur motif", total, "sorties enregistrées"),
    ...EXIT_REASONS.map(([k, label]) => ({ ...count(`exit_${k}`, "CP-KPI-ORGANISATION", label, by[k] ?? 0, "sorties de ce motif") })),
  ];
}

/**
 * CP-KPI-EXAMS: presentation and success rates (full, partial) on the trainees registered to an exam with a
 * recorded result, each counted once with its best result over its sessions.
 */
export async function examFigures(db: Db, f: store.KpiScope, cohorts?: store.CohortFigures): Promise<Figure[]> {
  const e = cohorts ? cohorts.exams : await store.examOutcomes(db, f);
  const base = "stagiaires inscrits à un examen avec un résultat";
  return [
    rate("examPresented", "CP-KPI-EXAMS", "Taux de présentation aux examens", e.presented, e.base, base),
    rate("examFull", "CP-KPI-EXAMS", "Taux de réussite totale", e.passed, e.base, base),
    rate("examPartial", "CP-KPI-EXAMS", "Taux de réussite partielle (blocs de compétences)", e.partial, e.base, base),
  ];
}

/**
 * CP-KPI-VAE: the VAE validation rate — exits engaged in a VAE fully validated, over those engaged whose
 * jury has decided (full, partial or none); partial validation shown beside it; hidden under 5 people.
 */
export async function vaeFigures(db: Db, f: store.KpiScope, cohorts?: store.CohortFigures): Promise<Figure[]> {
  const v = cohorts ? cohorts.vae : await store.vaeOutcomes(db, f);
  const base = "sorties engagées en VAE dont le jury a statué";
  return [
    count("vaeEngaged", "CP-KPI-VAE", "Sorties engagées dans une VAE", v.engaged, "sorties enregistrées avec une VAE engagée"),
    rate("vaeValidated", "CP-KPI-VAE", "Taux de validation VAE totale", v.full, v.decided, base),
    rate("vaePartial", "CP-KPI-VAE", "Taux de validation VAE partielle", v.partial, v.decided, base),
  ];
}

/** CP-KPI-EMPLOYMENT: access to employment at exit, 3 and 6 months, and in the targeted sector — from the follow-ups. */
export async function employmentFigures(db: Db, f: store.KpiScope, cohorts?: store.CohortFigures): Promise<Figure[]> {
  const o = cohorts ? cohorts.employment : await store.employmentOutcomes(db, f);
  const out: Figure[] = [];
  for (const [m, when, base] of [
    ["exit", "à la sortie", "suivis à la sortie dont la situation est connue"],
    ["m3", "à 3 mois", "suivis à 3 mois dont la situation est connue"],
    ["m6", "à 6 mois", "suivis à 6 mois dont la situation est connue"],
  ] as const) {
    const key = m === "exit" ? "Exit" : m === "m3" ? "3m" : "6m";
    out.push(rate(`employment${key}`, "CP-KPI-EMPLOYMENT", `Accès à l'emploi ${when}`, o[m].employed, o[m].known, base));
    out.push(rate(`employmentSector${key}`, "CP-KPI-EMPLOYMENT", `Emploi dans le secteur visé ${when}`, o[m].sector, o[m].known, base));
  }
  return out;
}

/**
 * CP-KPI-SATISFACTION: the share of positive answers (4 or 5 on the 1–5 scale) among all Likert answers of the
 * survey, its base the respondents (hidden under 5). Answers are anonymous: no département filter applies.
 */
export async function satisfactionFigures(db: Db, f: store.KpiScope, read?: store.SatisfactionSums): Promise<Figure[]> {
  const s = read ?? (await store.satisfactionOutcomes(db, f));
  const base = f.departement ? "répondants (réponses anonymes : le filtre département ne s'applique pas)" : "répondants à l'enquête de satisfaction";
  return [shareOf("satisfaction", "CP-KPI-SATISFACTION", "Réponses positives (4 ou 5 sur 5) sur la formation et l'accompagnement", s.positive, s.answers, s.respondents, base)];
}

export async function dashboard(db: Db, actor: Actor, clock: Clock, asked: store.KpiScope): Promise<Dashboard> {
  const scope = scopeFor(actor, asked);
  const today = parisDate(clock.now());
  const referenceDate = scope.year && `${scope.year}-12-31` < today ? `${scope.year}-12-31` : today;
  // Headcounts, entries by month, hours, path lengths, exits, exams, VAE, employment: one read of kpi's rollups (ADR 0041).
  // Its three reads (the paths' rollup, the ordered minutes, the survey's sums) at once: each is one statement.
  const [cohorts, ordered, satisfaction] = await Promise.all([store.cohortFigures(db, scope, referenceDate), store.orderedMinutes(db, scope), store.satisfactionOutcomes(db, scope)]);
  const org = await organisationFigures(db, scope, referenceDate, cohorts);
  const h = await hoursFigures(db, scope, org.entries, cohorts, ordered);
  return {
    scope,
    referenceDate,
    organisation: org.organisation,
    exits: org.exits,
    exitReasons: await exitReasonFigures(db, scope, cohorts),
    hours: h.hours,
    hoursFigures: h.figures,
    entriesByMonth: cohorts.entriesByMonth,
    exams: await examFigures(db, scope, cohorts),
    vae: await vaeFigures(db, scope, cohorts),
    employment: await employmentFigures(db, scope, cohorts),
    satisfaction: await satisfactionFigures(db, scope, satisfaction),
    orders: h.orders,
  };
}
