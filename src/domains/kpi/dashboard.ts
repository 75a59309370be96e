// The Region's dashboard (CP-KPI-ORGANISATION, CP-KPI-EXAMS, CP-KPI-VAE, CP-KPI-EMPLOYMENT,
// CP-KPI-SATISFACTION): one function per figure group, each figure with its base (docs/kpi.md).
// Exams, VAE, employment and satisfaction are recorded by the exit capability, not on the platform
// yet: their functions answer « pas encore de données » until it lands, never a made-up figure.
import type { Actor } from "../../core/auth/actor.ts";
import { isProviderStaff } from "../../core/auth/actor.ts";
import type { Db } from "../../core/db/index.ts";
import { forbidden } from "../../core/errors.ts";
import type { Totals } from "../../core/modalities.ts";
import { type Clock, parisDate } from "../../core/time.ts";
import { regionCategories, type RegionCategories } from "../ledger/use-cases.ts";
import { average, count, type Figure, minutes, noData, rate, totalsOf } from "./rules.ts";
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
export async function organisationFigures(db: Db, f: store.KpiScope, ref: string) {
  const h = await store.headcounts(db, f, ref);
  const lengths = await store.pathLengths(db, f);
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
export async function hoursFigures(db: Db, f: store.KpiScope, entries: number) {
  const ordered = await store.orderedMinutes(db, f);
  const planned = totalsOf(await store.plannedByModality(db, f));
  const realised = totalsOf(await store.realisedByModality(db, f));
  const hours: HoursByModality = { ordered: { centre: ordered.centre, company: ordered.company, total: ordered.centre + ordered.company }, planned: withTotal(planned), realised: withTotal(realised) };
  const figures = [
    minutes("ordered", "CP-KPI-ORGANISATION", "Heures commandées", hours.ordered.total, ordered.headcount, "stagiaires commandés (effectif des lignes)"),
    minutes("planned", "CP-KPI-ORGANISATION", "Heures prévues aux parcours", planned.total, entries, "parcours entrés"),
    minutes("realised", "CP-ATTENDANCE-REALISED", "Heures réalisées (émargements prouvés et positionnement)", realised.total, entries, "parcours entrés"),
  ];
  return { hours, figures, orders: ordered.orders };
}

/** CP-KPI-EXAMS: presentation and success rates (full, partial) for certifying components — recorded by the exit capability. */
export async function examFigures(_db: Db, _f: store.KpiScope): Promise<Figure[]> {
  return [
    noData("examPresented", "CP-KPI-EXAMS", "Taux de présentation aux examens", "stagiaires sortis d'une composante certifiante"),
    noData("examFull", "CP-KPI-EXAMS", "Taux de réussite totale", "stagiaires présentés"),
    noData("examPartial", "CP-KPI-EXAMS", "Taux de réussite partielle (blocs de compétences)", "stagiaires présentés"),
  ];
}

/** CP-KPI-VAE: validation rate where VAE applies — recorded by the exit capability. */
export async function vaeFigures(_db: Db, _f: store.KpiScope): Promise<Figure[]> {
  return [noData("vaeValidated", "CP-KPI-VAE", "Taux de validation VAE", "stagiaires engagés en VAE")];
}

/** CP-KPI-EMPLOYMENT: access to employment at exit, 3 and 6 months, and in the targeted sector — recorded by the follow-ups. */
export async function employmentFigures(_db: Db, _f: store.KpiScope): Promise<Figure[]> {
  return [
    noData("employmentExit", "CP-KPI-EMPLOYMENT", "Accès à l'emploi à la sortie", "stagiaires sortis dont la situation est connue"),
    noData("employment3m", "CP-KPI-EMPLOYMENT", "Accès à l'emploi à 3 mois", "suivis à 3 mois renseignés"),
    noData("employment6m", "CP-KPI-EMPLOYMENT", "Accès à l'emploi à 6 mois", "suivis à 6 mois renseignés"),
    noData("employmentSector", "CP-KPI-EMPLOYMENT", "Dont dans le secteur visé (6 mois)", "suivis à 6 mois renseignés"),
  ];
}

/** CP-KPI-SATISFACTION: satisfaction with training and support — from the Region's survey, tracked by the exit capability. */
export async function satisfactionFigures(_db: Db, _f: store.KpiScope): Promise<Figure[]> {
  return [noData("satisfaction", "CP-KPI-SATISFACTION", "Stagiaires satisfaits de la formation et de l'accompagnement", "réponses à l'enquête")];
}

export async function dashboard(db: Db, actor: Actor, clock: Clock, asked: store.KpiScope): Promise<Dashboard> {
  const scope = scopeFor(actor, asked);
  const today = parisDate(clock.now());
  const referenceDate = scope.year && `${scope.year}-12-31` < today ? `${scope.year}-12-31` : today;
  const org = await organisationFigures(db, scope, referenceDate);
  const h = await hoursFigures(db, scope, org.entries);
  return {
    scope,
    referenceDate,
    organisation: org.organisation,
    exits: org.exits,
    hours: h.hours,
    hoursFigures: h.figures,
    entriesByMonth: await store.entriesByMonth(db, scope),
    exams: await examFigures(db, scope),
    vae: await vaeFigures(db, scope),
    employment: await employmentFigures(db, scope),
    satisfaction: await satisfactionFigures(db, scope),
    orders: h.orders,
  };
}
