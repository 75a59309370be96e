// The dashboard's aggregates (CP-KPI-ORGANISATION, CP-ATTENDANCE-REALISED, CP-KPI-EXAMS, CP-KPI-VAE, CP-KPI-EMPLOYMENT,
// CP-KPI-SATISFACTION). Every figure over paths reads kpi's own rollup, kpi_cohort_figure (kept exactly fresh by
// triggers in the writing transaction, ADR 0034 and 0041), keyed by the filters themselves: one statement, no join.
// A realised minute is a proved presence (attendance's provedPresence, copied by the rollup's trigger function) plus
// the recorded positioning; exits, VAE, follow-ups and exams are counted per path as the exit capability records them.
// Satisfaction reads kpi_satisfaction_figure (anonymous answers summed per provider, component, year).
import { type RawBuilder, sql } from "kysely";
import type { Db } from "../../core/db/index.ts";
import type { Modality } from "../../core/db/schema.ts";
import { componentRows, siteRows } from "../offer/views.ts";
import { orderLineRows, orderLineSiteRows, orderRows } from "../orders/views.ts";

/** The dashboard's filters; `year` is the order's year (its planned start), the year its trainees enter (CP-ENTRY-YEAR-N). */
export interface KpiScope {
  year?: number;
  lotId?: string;
  departement?: string;
  providerId?: string;
  componentId?: string;
  category?: string;
}

/** Conditions on the order `o`, its line `ol` and component `c` (the order side of every figure). */
function orderSide(f: KpiScope): RawBuilder<boolean> {
  const conds: RawBuilder<unknown>[] = [sql`true`];
  if (f.year) conds.push(sql`o.planned_start >= ${`${f.year}-01-01`} and o.planned_start <= ${`${f.year}-12-31`}`);
  if (f.lotId) conds.push(sql`o.lot_id = ${f.lotId}`);
  if (f.providerId) conds.push(sql`o.provider_id = ${f.providerId}`);
  if (f.componentId) conds.push(sql`ol.component_id = ${f.componentId}`);
  if (f.category) conds.push(sql`c.category = ${f.category}`);
  return sql<boolean>`(${sql.join(conds, sql` and `)})`;
}

const n = (v: unknown) => Number(v ?? 0);

/**
 * The rollup rows (kpi_cohort_figure, ADR 0041) of the entered paths in scope: each row sums the paths of one year,
 * lot, provider (the order's), component and category (the line's), département (the site's) and status, so the
 * filters apply to its key exactly as they applied to each path's order, line, component and site.
 */
function rollupScope(f: KpiScope): RawBuilder<boolean> {
  const conds: RawBuilder<unknown>[] = [sql`k.status <> 'draft'`];
  if (f.year) conds.push(sql`k.year = ${f.year}`);
  if (f.lotId) conds.push(sql`k.lot_id = ${f.lotId}`);
  if (f.providerId) conds.push(sql`k.provider_id = ${f.providerId}`);
  if (f.componentId) conds.push(sql`k.component_id = ${f.componentId}`);
  if (f.category) conds.push(sql`k.category = ${f.category}`);
  if (f.departement) conds.push(sql`k.departement = ${f.departement}`);
  return sql<boolean>`(${sql.join(conds, sql` and `)})`;
}

export interface ModalityRow {
  modality: Modality | "positioning";
  location: "remote" | "centre" | null;
  minutes: number;
}

export type Milestone = "exit" | "m3" | "m6";
export type Employment = Record<Milestone, { known: number; employed: number; sector: number }>;

/** Everything the dashboard counts or sums over its paths: one read of the rollups. */
export interface CohortFigures {
  headcounts: { entries: number; inTraining: number; completed: number; dropped: number };
  entriesByMonth: { month: string; entries: number }[];
  planned: ModalityRow[];
  realised: ModalityRow[];
  /** Average path length: planned (items + positioning) over entered paths; realised (proved presences + positioning) over exited paths (closed or dropped). */
  lengths: { plannedSum: number; plannedN: number; realisedSum: number; realisedN: number };
  /** CP-KPI-ORGANISATION: exits recorded, by reason. */
  exitReasons: Record<string, number>;
  /** CP-KPI-EXAMS: paths registered with at least one result, counted once with their best result (passed > partial > failed > absent). */
  exams: { base: number; presented: number; passed: number; partial: number };
  /** CP-KPI-VAE: exits engaged in a VAE, those with the jury's result, fully / partly validated. */
  vae: { engaged: number; decided: number; full: number; partial: number };
  /** CP-KPI-EMPLOYMENT: per milestone, follow-ups with a known situation, in employment, in employment in the targeted sector. */
  employment: Employment;
}

type RollupRow = { kind: string; status: string; entry: string; modality: string; location: string; paths: string; minutes: string };

/**
 * One statement over the rollups in scope, grouped by what the figures tell apart (kind, status, month of entry,
 * modality and location); « in training » keeps only the validated paths entered by `ref` (their exact day is in
 * the key). The figures are summed here.
 */
export async function cohortFigures(db: Db, f: KpiScope, ref: string): Promise<CohortFigures> {
  const { rows } = await sql<RollupRow>`
    select k.kind, k.status, case when k.kind = 'in_training' then '' else k.entry end as entry, k.modality, k.location,
      sum(k.paths) as paths, sum(k.minutes) as minutes
    from kpi_cohort_figure k where ${rollupScope(f)} and (k.kind <> 'in_training' or k.entry <= ${ref})
    group by 1, 2, 3, 4, 5`.execute(db);
  const out: CohortFigures = {
    headcounts: { entries: 0, inTraining: 0, completed: 0, dropped: 0 },
    entriesByMonth: [],
    planned: [],
    realised: [],
    lengths: { plannedSum: 0, plannedN: 0, realisedSum: 0, realisedN: 0 },
    exitReasons: {},
    exams: { base: 0, presented: 0, passed: 0, partial: 0 },
    vae: { engaged: 0, decided: 0, full: 0, partial: 0 },
    employment: { exit: { known: 0, employed: 0, sector: 0 }, m3: { known: 0, employed: 0, sector: 0 }, m6: { known: 0, employed: 0, sector: 0 } },
  };
  const months = new Map<string, number>();
  const byModality = { planned: new Map<string, ModalityRow>(), realised: new Map<string, ModalityRow>() };
  let positioning = 0;
  let hasPositioning = false;
  for (const r of rows) {
    const paths = n(r.paths);
    const minutes = n(r.minutes);
    const exited = r.status === "closed" || r.status === "dropped";
    switch (r.kind) {
      case "path":
        out.headcounts.entries += paths;
        if (r.status === "closed") out.headcounts.completed += paths;
        if (r.status === "dropped") out.headcounts.dropped += paths;
        months.set(r.entry, (months.get(r.entry) ?? 0) + paths);
        out.lengths.plannedN += paths;
        if (exited) out.lengths.realisedN += paths;
        break;
      case "in_training":
        out.headcounts.inTraining += paths;
        break;
      case "positioning":
        positioning += minutes;
        hasPositioning = true;
        out.lengths.plannedSum += minutes;
        if (exited) out.lengths.realisedSum += minutes;
        break;
      case "planned":
      case "realised": {
        const location = (r.location || null) as ModalityRow["location"];
        const key = `${r.modality}|${r.location}`;
        const m = byModality[r.kind];
        const row = m.get(key) ?? { modality: r.modality as Modality, location, minutes: 0 };
        row.minutes += minutes;
        m.set(key, row);
        if (r.kind === "planned") out.lengths.plannedSum += minutes;
        else if (exited) out.lengths.realisedSum += minutes;
        break;
      }
      default:
        countOutcome(out, r.kind, r.modality, r.location, paths);
    }
  }
  out.entriesByMonth = [...months].sort(([a], [b]) => a.localeCompare(b)).map(([month, entries]) => ({ month, entries }));
  const withPositioning = (m: Map<string, ModalityRow>): ModalityRow[] => [...m.values(), ...(hasPositioning ? [{ modality: "positioning" as const, location: null, minutes: positioning }] : [])];
  out.planned = withPositioning(byModality.planned);
  out.realised = withPositioning(byModality.realised);
  return out;
}

/** The exit capability's outcomes, one rollup row (a count of paths) at a time: exit reason, VAE, follow-up, best exam result. */
function countOutcome(out: CohortFigures, kind: string, modality: string, location: string, paths: number) {
  if (kind === "exit") out.exitReasons[modality] = (out.exitReasons[modality] ?? 0) + paths;
  else if (kind === "vae") {
    out.vae.engaged += paths;
    if (modality !== "") out.vae.decided += paths;
    if (modality === "full") out.vae.full += paths;
    if (modality === "partial") out.vae.partial += paths;
  } else if (kind === "follow_up") {
    const m = out.employment[modality as Milestone];
    if (!m || location === "unknown") return;
    m.known += paths;
    if (location === "employment" || location === "employment_sector") m.employed += paths;
    if (location === "employment_sector") m.sector += paths;
  } else if (kind === "exam") {
    out.exams.base += paths;
    if (modality !== "absent") out.exams.presented += paths;
    if (modality === "passed") out.exams.passed += paths;
    if (modality === "partial") out.exams.partial += paths;
  }
}

const all = (db: Db, f: KpiScope) => cohortFigures(db, f, "9999-12-31");
export const headcounts = async (db: Db, f: KpiScope, ref: string) => (await cohortFigures(db, f, ref)).headcounts;
export const entriesByMonth = async (db: Db, f: KpiScope) => (await all(db, f)).entriesByMonth;
/** Planned minutes of the paths in scope by modality (their items) and their positioning. */
export const plannedByModality = async (db: Db, f: KpiScope) => (await all(db, f)).planned;
/** Realised minutes of the paths in scope: proved presences by the slot's modality (slot not cancelled), and the recorded positioning. */
export const realisedByModality = async (db: Db, f: KpiScope) => (await all(db, f)).realised;
/** Average path length: planned over entered paths, realised over exited paths. */
export const pathLengths = async (db: Db, f: KpiScope) => (await all(db, f)).lengths;
/** CP-KPI-ORGANISATION: exits of the paths in scope by their recorded reason. */
export const exitsByReason = async (db: Db, f: KpiScope) => (await all(db, f)).exitReasons;
/** CP-KPI-EXAMS: per path registered with at least one result, its best result over its sessions. */
export const examOutcomes = async (db: Db, f: KpiScope) => (await all(db, f)).exams;
/** CP-KPI-VAE: exits in scope engaged in a VAE, those with the jury's result, and how many fully / partly validated. */
export const vaeOutcomes = async (db: Db, f: KpiScope) => (await all(db, f)).vae;
/** CP-KPI-EMPLOYMENT: per milestone, follow-ups with a known situation, in employment, in employment in the targeted sector. */
export const employmentOutcomes = async (db: Db, f: KpiScope) => (await all(db, f)).employment;

export type OrderedMinutes = Awaited<ReturnType<typeof orderedMinutes>>;
export type SatisfactionSums = Awaited<ReturnType<typeof satisfactionOutcomes>>;

/**
 * Ordered minutes (headcount × average path) of the order lines in scope; a département keeps the lines run at one of
 * its sites. The component is joined only for the category filter (the line's foreign key keeps every line).
 */
export async function orderedMinutes(db: Db, f: KpiScope) {
  const dep = f.departement
    ? sql`and exists (select 1 from ${orderLineSiteRows()} ols join ${siteRows()} s2 on s2.id = ols.site_id where ols.order_line_id = ol.id and s2.departement_code = ${f.departement})`
    : sql``;
  const { rows } = await sql<{ centre: string; company: string; orders: string; headcount: string }>`
    select sum(ol.headcount * ol.average_path_centre_minutes) as centre, sum(ol.headcount * ol.average_path_company_minutes) as company,
      count(distinct o.id) as orders, sum(ol.headcount) as headcount
    from ${orderLineRows()} ol join ${orderRows()} o on o.id = ol.order_id
    ${f.category ? sql`join ${componentRows()} c on c.id = ol.component_id` : sql``}
    where ${orderSide(f)} ${dep}`.execute(db);
  const r = rows[0];
  return { centre: n(r?.centre), company: n(r?.company), orders: n(r?.orders), headcount: n(r?.headcount) };
}

/**
 * CP-KPI-SATISFACTION: the survey's answers are anonymous (no path): summed per provider, component and year answered
 * (kpi_satisfaction_figure), filtered by their provider and component (lot and category through the component) and
 * year; the département cannot apply.
 */
export async function satisfactionOutcomes(db: Db, f: KpiScope) {
  const conds: RawBuilder<unknown>[] = [sql`true`];
  if (f.year) conds.push(sql`sf.year = ${f.year}`);
  if (f.lotId) conds.push(sql`c.lot_id = ${f.lotId}`);
  if (f.providerId) conds.push(sql`sf.provider_id = ${f.providerId}`);
  if (f.componentId) conds.push(sql`sf.component_id = ${f.componentId}`);
  if (f.category) conds.push(sql`c.category = ${f.category}`);
  const { rows } = await sql<{ respondents: string; answers: string; positive: string }>`
    select sum(sf.respondents) as respondents, sum(sf.answers) as answers, sum(sf.positive) as positive
    from kpi_satisfaction_figure sf join ${componentRows()} c on c.id = sf.component_id
    where ${sql.join(conds, sql` and `)}`.execute(db);
  const r = rows[0];
  return { respondents: n(r?.respondents), answers: n(r?.answers), positive: n(r?.positive) };
}
