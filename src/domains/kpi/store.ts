// The dashboard's aggregates (CP-KPI-ORGANISATION, CP-ATTENDANCE-REALISED), one SQL statement each over the
// owning domains' read models: paths, orders, offer, attendance and schedule. A realised minute is a proved
// presence (attendance's provedPresence) plus the recorded positioning, as in the ledger.
import { type RawBuilder, sql } from "kysely";
import type { Db } from "../../core/db/index.ts";
import type { Modality } from "../../core/db/schema.ts";
import { provedPresence } from "../attendance/use-cases.ts";
import { attendanceRows } from "../attendance/views.ts";
import { componentRows, siteRows } from "../offer/views.ts";
import { orderLineRows, orderLineSiteRows, orderRows } from "../orders/views.ts";
import { pathItemRows, pathRows, positioningRows } from "../paths/views.ts";
import { slotRows } from "../schedule/views.ts";

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

export async function headcounts(db: Db, f: KpiScope, ref: string) {
  const { rows } = await sql<{ entries: string; in_training: string; completed: string; dropped: string }>`
    select count(*) as entries,
      count(*) filter (where sp.status = 'validated' and sp.entry_date <= ${ref}) as in_training,
      count(*) filter (where sp.status = 'closed') as completed,
      count(*) filter (where sp.status = 'dropped') as dropped
    from ${scopedPaths(f)} sp`.execute(db);
  const r = rows[0];
  return { entries: n(r?.entries), inTraining: n(r?.in_training), completed: n(r?.completed), dropped: n(r?.dropped) };
}

export async function entriesByMonth(db: Db, f: KpiScope) {
  const { rows } = await sql<{ month: string; entries: string }>`
    select to_char(sp.entry_date, 'YYYY-MM') as month, count(*) as entries
    from ${scopedPaths(f)} sp group by 1 order by 1`.execute(db);
  return rows.map((r) => ({ month: r.month, entries: n(r.entries) }));
}

export interface ModalityRow {
  modality: Modality | "positioning";
  location: "remote" | "centre" | null;
  minutes: number;
}

/** Planned minutes of the paths in scope by modality (their items) and their positioning. */
export async function plannedByModality(db: Db, f: KpiScope): Promise<ModalityRow[]> {
  const { rows } = await sql<{ modality: Modality | "positioning"; location: "remote" | "centre" | null; minutes: string }>`
    select i.modality, i.self_study_location as location, sum(i.planned_minutes) as minutes
    from ${pathItemRows()} i join ${scopedPaths(f)} sp on sp.id = i.path_id
    group by 1, 2
    union all
    select 'positioning', null, sum(pos.minutes) from ${positioningRows()} pos join ${scopedPaths(f)} sp on sp.id = pos.path_id`.execute(db);
  return rows.map((r) => ({ modality: r.modality, location: r.location, minutes: n(r.minutes) }));
}

/** Realised minutes of the paths in scope: proved presences by the slot's modality, and the recorded positioning. */
export async function realisedByModality(db: Db, f: KpiScope): Promise<ModalityRow[]> {
  const { rows } = await sql<{ modality: Modality | "positioning"; location: "remote" | "centre" | null; minutes: string }>`
    select s.modality, s.self_study_location as location, sum(a.realised_minutes) as minutes
    from ${attendanceRows()} a
    join ${slotRows()} s on s.id = a.slot_id
    join ${scopedPaths(f)} sp on sp.id = a.path_id
    where s.status <> 'cancelled' and ${provedPresence("a", "s")}
    group by 1, 2
    union all
    select 'positioning', null, sum(pos.minutes) from ${positioningRows()} pos join ${scopedPaths(f)} sp on sp.id = pos.path_id`.execute(db);
  return rows.map((r) => ({ modality: r.modality, location: r.location, minutes: n(r.minutes) }));
}

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

/** Average path length: planned (items + positioning) over entered paths; realised over exited paths (closed or dropped). */
export async function pathLengths(db: Db, f: KpiScope) {
  const { rows } = await sql<{ planned_sum: string; planned_n: string; realised_sum: string; realised_n: string }>`
    with per_path as (
      select sp.id, sp.status,
        coalesce((select sum(i.planned_minutes) from ${pathItemRows()} i where i.path_id = sp.id), 0)
          + coalesce((select pos.minutes from ${positioningRows()} pos where pos.path_id = sp.id), 0) as planned,
        coalesce((select sum(a.realised_minutes) from ${attendanceRows()} a join ${slotRows()} s on s.id = a.slot_id
                  where a.path_id = sp.id and s.status <> 'cancelled' and ${provedPresence("a", "s")}), 0)
          + coalesce((select pos.minutes from ${positioningRows()} pos where pos.path_id = sp.id), 0) as realised
      from ${scopedPaths(f)} sp)
    select sum(planned) as planned_sum, count(*) as planned_n,
      sum(realised) filter (where status in ('closed', 'dropped')) as realised_sum,
      count(*) filter (where status in ('closed', 'dropped')) as realised_n
    from per_path`.execute(db);
  const r = rows[0];
  return { plannedSum: n(r?.planned_sum), plannedN: n(r?.planned_n), realisedSum: n(r?.realised_sum), realisedN: n(r?.realised_n) };
}
