// The dashboard's aggregates (CP-KPI-ORGANISATION, CP-ATTENDANCE-REALISED), one SQL statement each. Headcounts,
// planned and realised minutes read kpi's own rollups (kpi_cohort_figure, kept exactly fresh by triggers in the
// writing transaction, ADR 0034) joined to the orders' and offer's read models for the filters; exits, exams,
// follow-ups read the exit capability's read models per path. A realised minute is a proved presence
// (attendance's provedPresence, copied by the rollup's trigger function) plus the recorded positioning.
import { type RawBuilder, sql } from "kysely";
import type { Db } from "../../core/db/index.ts";
import type { Modality } from "../../core/db/schema.ts";
import { examRegistrationRows, followUpRows, pathExitRows, satisfactionAnswerRows } from "../exit/views.ts";
import { componentRows, siteRows } from "../offer/views.ts";
import { orderLineRows, orderLineSiteRows, orderRows } from "../orders/views.ts";
import { pathRows } from "../paths/views.ts";

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

/** The entered paths (not drafts) in scope: their site's département for the département filter. */
function scopedPaths(f: KpiScope) {
  const dep = f.departement ? sql`and st.departement_code = ${f.departement}` : sql``;
  return sql`(select p.* from ${pathRows()} p
    join ${orderRows()} o on o.id = p.order_id
    join ${orderLineRows()} ol on ol.id = p.order_line_id
    join ${componentRows()} c on c.id = ol.component_id
    join ${siteRows()} st on st.id = p.site_id
    where p.status <> 'draft' and ${orderSide(f)} ${dep})`;
}

const n = (v: unknown) => Number(v ?? 0);

/**
 * The rollup rows (kpi_cohort_figure, ADR 0034) of the entered paths in scope: each row sums one cohort — paths of
 * one order line at one site, with one status and entry date — so the filters apply to the cohort's order, line,
 * component and site exactly as scopedPaths applies them to each path.
 */
function scopedCohorts(f: KpiScope) {
  const dep = f.departement ? sql`and st.departement_code = ${f.departement}` : sql``;
  return sql`(select k.status, k.entry_date, k.kind, k.modality, nullif(k.location, '') as location, k.paths, k.minutes
    from kpi_cohort_figure k
    join ${orderRows()} o on o.id = k.order_id
    join ${orderLineRows()} ol on ol.id = k.order_line_id
    join ${componentRows()} c on c.id = ol.component_id
    join ${siteRows()} st on st.id = k.site_id
    where k.status <> 'draft' and ${orderSide(f)} ${dep})`;
}

export interface ModalityRow {
  modality: Modality | "positioning";
  location: "remote" | "centre" | null;
  minutes: number;
}

/** Everything the dashboard sums over its paths, planned and realised minutes: one read of the rollups. */
export interface CohortFigures {
  headcounts: { entries: number; inTraining: number; completed: number; dropped: number };
  entriesByMonth: { month: string; entries: number }[];
  planned: ModalityRow[];
  realised: ModalityRow[];
  /** Average path length: planned (items + positioning) over entered paths; realised (proved presences + positioning) over exited paths (closed or dropped). */
  lengths: { plannedSum: number; plannedN: number; realisedSum: number; realisedN: number };
}

/**
 * CP-KPI-ORGANISATION, CP-ATTENDANCE-REALISED: one statement over the rollups in scope, grouped by what the figures
 * tell apart (kind, status, month of entry, entered by `ref`, modality and location); the figures are summed here.
 */
export async function cohortFigures(db: Db, f: KpiScope, ref: string): Promise<CohortFigures> {
  const { rows } = await sql<{ kind: string; status: string; month: string; by_ref: boolean; modality: Modality; location: "remote" | "centre" | null; paths: string; minutes: string }>`
    select sc.kind, sc.status, to_char(sc.entry_date, 'YYYY-MM') as month, sc.entry_date <= ${ref} as by_ref, sc.modality, sc.location,
      sum(sc.paths) as paths, sum(sc.minutes) as minutes
    from ${scopedCohorts(f)} sc group by 1, 2, 3, 4, 5, 6`.execute(db);
  const out: CohortFigures = {
    headcounts: { entries: 0, inTraining: 0, completed: 0, dropped: 0 },
    entriesByMonth: [],
    planned: [],
    realised: [],
    lengths: { plannedSum: 0, plannedN: 0, realisedSum: 0, realisedN: 0 },
  };
  const months = new Map<string, number>();
  const byModality = { planned: new Map<string, ModalityRow>(), realised: new Map<string, ModalityRow>() };
  let positioning = 0;
  let hasPositioning = false;
  for (const r of rows) {
    const paths = n(r.paths);
    const minutes = n(r.minutes);
    const exited = r.status === "closed" || r.status === "dropped";
    if (r.kind === "path") {
      out.headcounts.entries += paths;
      if (r.status === "validated" && r.by_ref) out.headcounts.inTraining += paths;
      if (r.status === "closed") out.headcounts.completed += paths;
      if (r.status === "dropped") out.headcounts.dropped += paths;
      months.set(r.month, (months.get(r.month) ?? 0) + paths);
      out.lengths.plannedN += paths;
      if (exited) out.lengths.realisedN += paths;
    } else if (r.kind === "positioning") {
      positioning += minutes;
      hasPositioning = true;
      out.lengths.plannedSum += minutes;
      if (exited) out.lengths.realisedSum += minutes;
    } else if (r.kind === "planned" || r.kind === "realised") {
      const key = `${r.modality}|${r.location ?? ""}`;
      const m = byModality[r.kind];
      const row = m.get(key) ?? { modality: r.modality, location: r.location, minutes: 0 };
      row.minutes += minutes;
      m.set(key, row);
      if (r.kind === "planned") out.lengths.plannedSum += minutes;
      else if (exited) out.lengths.realisedSum += minutes;
    }
  }
  out.entriesByMonth = [...months].sort(([a], [b]) => a.localeCompare(b)).map(([month, entries]) => ({ month, entries }));
  const withPositioning = (m: Map<string, ModalityRow>): ModalityRow[] => [...m.values(), ...(hasPositioning ? [{ modality: "positioning" as const, location: null, minutes: positioning }] : [])];
  out.planned = withPositioning(byModality.planned);
  out.realised = withPositioning(byModality.realised);
  return out;
}

export const headcounts = async (db: Db, f: KpiScope, ref: string) => (await cohortFigures(db, f, ref)).headcounts;
export const entriesByMonth = async (db: Db, f: KpiScope) => (await cohortFigures(db, f, "9999-12-31")).entriesByMonth;
/** Planned minutes of the paths in scope by modality (their items) and their positioning. */
export const plannedByModality = async (db: Db, f: KpiScope) => (await cohortFigures(db, f, "9999-12-31")).planned;
/** Realised minutes of the paths in scope: proved presences by the slot's modality (slot not cancelled), and the recorded positioning. */
export const realisedByModality = async (db: Db, f: KpiScope) => (await cohortFigures(db, f, "9999-12-31")).realised;

/** Ordered minutes (headcount × average path) of the order lines in scope; a département keeps the lines run at one of its sites. */
export async function orderedMinutes(db: Db, f: KpiScope) {
  const dep = f.departement
    ? sql`and exists (select 1 from ${orderLineSiteRows()} ols join ${siteRows()} s2 on s2.id = ols.site_id where ols.order_line_id = ol.id and s2.departement_code = ${f.departement})`
    : sql``;
  const { rows } = await sql<{ centre: string; company: string; orders: string; headcount: string }>`
    select sum(ol.headcount * ol.average_path_centre_minutes) as centre, sum(ol.headcount * ol.average_path_company_minutes) as company,
      count(distinct o.id) as orders, sum(ol.headcount) as headcount
    from ${orderLineRows()} ol join ${orderRows()} o on o.id = ol.order_id join ${componentRows()} c on c.id = ol.component_id
    where ${orderSide(f)} ${dep}`.execute(db);
  const r = rows[0];
  return { centre: n(r?.centre), company: n(r?.company), orders: n(r?.orders), headcount: n(r?.headcount) };
}

/** Average path length: planned over entered paths, realised over exited paths — from the rollups (cohortFigures). */
export const pathLengths = async (db: Db, f: KpiScope) => (await cohortFigures(db, f, "9999-12-31")).lengths;

// ——— Figures read from the exit capability's read models (exit/views.ts) ———

/** CP-KPI-ORGANISATION: exits of the paths in scope by their recorded reason. */
export async function exitsByReason(db: Db, f: KpiScope): Promise<Record<string, number>> {
  const { rows } = await sql<{ reason: string; n: string }>`
    select pe.reason, count(*) as n from ${pathExitRows()} pe join ${scopedPaths(f)} sp on sp.id = pe.path_id group by 1`.execute(db);
  return Object.fromEntries(rows.map((r) => [r.reason, n(r.n)]));
}

/**
 * CP-KPI-EXAMS: per trainee (path) registered with at least one result, its best result over its sessions
 * (passed > partial > failed > absent): how many have a result, were presented (not absent), passed, partly passed.
 */
export async function examOutcomes(db: Db, f: KpiScope) {
  const { rows } = await sql<{ base: string; presented: string; passed: string; partial: string }>`
    with best as (
      select er.path_id, max(case er.result when 'passed' then 4 when 'partial' then 3 when 'failed' then 2 else 1 end) as best
      from ${examRegistrationRows()} er join ${scopedPaths(f)} sp on sp.id = er.path_id
      where er.result is not null group by er.path_id)
    select count(*) as base, count(*) filter (where best >= 2) as presented,
      count(*) filter (where best = 4) as passed, count(*) filter (where best = 3) as partial
    from best`.execute(db);
  const r = rows[0];
  return { base: n(r?.base), presented: n(r?.presented), passed: n(r?.passed), partial: n(r?.partial) };
}

/** CP-KPI-VAE: exits in scope engaged in a VAE, those with the jury's result, and how many fully / partly validated. */
export async function vaeOutcomes(db: Db, f: KpiScope) {
  const { rows } = await sql<{ engaged: string; decided: string; full: string; partial: string }>`
    select count(*) as engaged, count(*) filter (where pe.vae_result is not null) as decided,
      count(*) filter (where pe.vae_result = 'full') as full, count(*) filter (where pe.vae_result = 'partial') as partial
    from ${pathExitRows()} pe join ${scopedPaths(f)} sp on sp.id = pe.path_id where pe.vae_engaged`.execute(db);
  const r = rows[0];
  return { engaged: n(r?.engaged), decided: n(r?.decided), full: n(r?.full), partial: n(r?.partial) };
}

/** CP-KPI-EMPLOYMENT: per milestone, follow-ups with a known situation, in employment, in employment in the targeted sector. */
export async function employmentOutcomes(db: Db, f: KpiScope) {
  const { rows } = await sql<{ milestone: "exit" | "m3" | "m6"; known: string; employed: string; sector: string }>`
    select fu.milestone, count(*) filter (where fu.situation <> 'unknown') as known,
      count(*) filter (where fu.situation = 'employment') as employed,
      count(*) filter (where fu.situation = 'employment' and fu.in_target_sector) as sector
    from ${followUpRows()} fu join ${scopedPaths(f)} sp on sp.id = fu.path_id group by 1`.execute(db);
  const out = { exit: { known: 0, employed: 0, sector: 0 }, m3: { known: 0, employed: 0, sector: 0 }, m6: { known: 0, employed: 0, sector: 0 } };
  for (const r of rows) out[r.milestone] = { known: n(r.known), employed: n(r.employed), sector: n(r.sector) };
  return out;
}

/**
 * CP-KPI-SATISFACTION: the survey's answers are anonymous (no path): filtered by their provider and component
 * (lot and category through the component) and by the year they were given; the département cannot apply.
 */
export async function satisfactionOutcomes(db: Db, f: KpiScope) {
  const conds: RawBuilder<unknown>[] = [sql`true`];
  if (f.year) conds.push(sql`sa.answered_on >= ${`${f.year}-01-01`} and sa.answered_on <= ${`${f.year}-12-31`}`);
  if (f.lotId) conds.push(sql`c.lot_id = ${f.lotId}`);
  if (f.providerId) conds.push(sql`sa.provider_id = ${f.providerId}`);
  if (f.componentId) conds.push(sql`sa.component_id = ${f.componentId}`);
  if (f.category) conds.push(sql`c.category = ${f.category}`);
  const { rows } = await sql<{ respondents: string; answers: string; positive: string }>`
    select count(distinct sa.id) as respondents, count(v.value) as answers,
      count(*) filter (where v.value ~ '^[1-5]$' and v.value::int >= 4) as positive
    from ${satisfactionAnswerRows()} sa
    join ${componentRows()} c on c.id = sa.component_id
    left join lateral jsonb_each_text(sa.answers) v on true
    where ${sql.join(conds, sql` and `)}`.execute(db);
  const r = rows[0];
  return { respondents: n(r?.respondents), answers: n(r?.answers), positive: n(r?.positive) };
}
