// The ledger's reads: realised minutes aggregated from `attendance` ⨝ `slot` in one SQL statement.
import { sql } from "kysely";
import type { Db } from "../../core/db/index.ts";
import { preparedMark } from "../../core/db/prepared.ts";
import { declaredPresence, provedPresence } from "../attendance/use-cases.ts";
import type { SlotModality } from "./rules.ts";
import { pathRows, positioningRows as positionings } from "../paths/views.ts";
import { attendanceRows as attendances } from "../attendance/views.ts";
import { slotRows } from "../schedule/views.ts";
import { orderLineRows, orderRows } from "../orders/views.ts";
import { providerRows } from "../region/views.ts";
import { componentRows } from "../offer/views.ts";

export interface Period {
  /** Inclusive Europe/Paris calendar dates; open when absent. */
  from?: string;
  to?: string;
}

export interface LedgerRow {
  pathId: string;
  orderLineId: string;
  /** A slot's modality, or `positioning`: the path's recorded positioning, realised on its first day (§12.1). */
  modality: SlotModality | "positioning";
  location: "remote" | "centre" | null;
  realised: number;
  /** Presences declared by the trainer, their proof still awaited: never realised nor billed. */
  declared: number;
  absent: number;
  excused: number;
  absentMinutes: number;
}

/**
 * A period's bounds as SQL: only the bounds given (no placeholder dates — '0001-01-01'..'9999-12-31'
 * hides from the planner that there is no bound, docs/adr/0020).
 */
const slotDateWithin = (period: Period) =>
  sql`${period.from != null ? sql`and s.slot_date >= ${period.from}` : sql``} ${period.to != null ? sql`and s.slot_date <= ${period.to}` : sql``}`;

/**
 * Everything a path realised, in one place (CP-ATTENDANCE-REALISED, §12.1): its proved attendance
 * (attendanceRows) and its recorded positioning, which counts on its first day (positioning.first_day)
 * in the realised totals, the realised 200 h check, the order's consumption, certificates and billing.
 */
export async function ledgerRows(db: Db, filter: LedgerFilter, period: Period = {}): Promise<LedgerRow[]> {
  if (filter.pathIds && filter.pathIds.length === 0) return [];
  // The attendance and the positioning in one statement (one round trip, not two: issue 16). An order's minutes
  // (its paths', its month's: the live path check, the realised-hours export, billing) are a prepared statement: its
  // planning cost more than its reading (docs/adr/0044); a list of path ids is not (its plan depends on the list's size).
  const { rows } = await sql<{
    path_id: string;
    order_line_id: string;
    modality: SlotModality | "positioning";
    self_study_location: "remote" | "centre" | null;
    realised: string | number;
    declared: string | number;
    absent: string | number;
    excused: string | number;
    absent_minutes: string | number;
  }>`${filter.pathIds ? sql`` : preparedMark} ${attendanceRows(filter, period)} union all ${positioningRows(filter, period)}`.execute(db);
  return rows.map((r) => ({
    pathId: r.path_id,
    orderLineId: r.order_line_id,
    modality: r.modality,
    location: r.self_study_location,
    realised: Number(r.realised),
    declared: Number(r.declared),
    absent: Number(r.absent),
    excused: Number(r.excused),
    absentMinutes: Number(r.absent_minutes),
  }));
}

/**
 * Whose minutes: these paths; an order's entered paths (its figures: billing); or every path of an order,
 * drafts included, the order given or found from one of its paths (`orderPaths`: the paths domain's
 * judgement of an order, read beside the order's other facts with no read of its paths before).
 */
export interface LedgerFilter {
  pathIds?: string[];
  orderId?: string;
  orderPaths?: { orderId: string } | { pathId: string };
}

/** SQL: the order of `orderPaths`. */
const orderOfPaths = (ref: NonNullable<LedgerFilter["orderPaths"]>) =>
  "orderId" in ref ? sql`${ref.orderId}::uuid` : sql`(select kp.order_id from ${pathRows()} kp where kp.id = ${ref.pathId})`;

/** Recorded positioning minutes of the paths (or of the order's entered paths) whose first day lies in the period. */
function positioningRows(filter: LedgerFilter, period: Period) {
  // An order's figures (billing) leave drafts out, as its consumption does: a draft is no entry yet.
  // One array parameter, not one per path: an order of 1 000 paths made a 1 000-parameter query (issue 16).
  const where = filter.pathIds
    ? sql`pos.path_id = any(${filter.pathIds}::uuid[])`
    : filter.orderPaths
      ? sql`p.order_id = ${orderOfPaths(filter.orderPaths)}`
      : sql`p.order_id = ${filter.orderId!} and p.status <> 'draft'`;
  return sql`
    select pos.path_id, p.order_line_id, 'positioning' as modality, null as self_study_location,
      pos.minutes as realised, 0 as declared, 0 as absent, 0 as excused, 0 as absent_minutes
    from ${positionings()} pos
    join ${pathRows()} p on p.id = pos.path_id
    where ${where}
      ${period.from != null ? sql`and pos.first_day >= ${period.from}` : sql``}
      ${period.to != null ? sql`and pos.first_day <= ${period.to}` : sql``}`;
}

/**
 * One aggregation over attendance rows only (CP-ATTENDANCE-REALISED): a presence counts its realised
 * minutes only when proved (attendance's provedPresence: the signer's own signature, or the paper
 * sheet's scan countersigned by the trainer); a presence only declared by the trainer is reported
 * apart (`declared`) and realises nothing — self-study included (CP-SELFSTUDY-PRESENCE).
 * Absent/excused count 0 and are reported (CP-ABSENCE-DECLARED). Cancelled slots count nothing.
 */
function attendanceRows(filter: LedgerFilter, period: Period) {
  const where = filter.pathIds
    ? sql`a.path_id = any(${filter.pathIds}::uuid[])`
    : filter.orderPaths
      ? sql`a.path_id in (select op.id from ${pathRows()} op where op.order_id = ${orderOfPaths(filter.orderPaths)})`
      : sql`s.order_line_id in (select ol.id from ${orderLineRows()} ol where ol.order_id = ${filter.orderId!})`;
  return sql`
    select x.path_id, x.order_line_id, x.modality::text as modality, x.self_study_location::text as self_study_location,
      coalesce(sum(x.realised_minutes) filter (where x.proved), 0) as realised,
      coalesce(sum(x.realised_minutes) filter (where x.declared), 0) as declared,
      count(*) filter (where x.status = 'absent') as absent,
      count(*) filter (where x.status = 'excused') as excused,
      coalesce(sum(x.slot_minutes) filter (where x.status in ('absent', 'excused')), 0) as absent_minutes
    from (
      -- The proof predicates evaluated per row before grouping (offset 0 keeps this projection): the sort
      -- then carries a few narrow columns instead of the signature's drawing, and stays in memory
      -- (20 000 rows of an order: external merge on disk before, EXPLAIN ANALYZE, issue 16).
      select a.path_id, s.order_line_id, s.modality, s.self_study_location, a.realised_minutes, a.status,
        ${provedPresence("a", "s")} as proved, ${declaredPresence("a", "s")} as declared,
        (extract(epoch from s.ends_at - s.starts_at) / 60)::int as slot_minutes
      from ${attendances()} a
      join ${slotRows()} s on s.id = a.slot_id
      where ${where}
        and s.status <> 'cancelled'
        ${slotDateWithin(period)}
      offset 0) x
    group by x.path_id, x.order_line_id, x.modality, x.self_study_location`;
}

/**
 * Synchronous slots (tutorat, gatherings) of an order's e-formation lines, with their proved
 * presences (CP-EFORM-BILLING: a group-hour counts only if someone's presence on it is proved).
 */
export async function eFormationSyncSlots(db: Db, orderId: string, period: Period) {
  const { rows } = await sql<{ order_line_id: string; modality: SlotModality; minutes: number; signed_count: string | number }>`
    select s.order_line_id, s.modality, (extract(epoch from s.ends_at - s.starts_at) / 60)::int as minutes,
      count(a.id) filter (where ${provedPresence("a", "s")}) as signed_count
    from ${slotRows()} s
    join ${orderLineRows()} ol on ol.id = s.order_line_id
    join ${componentRows()} c on c.id = ol.component_id
    left join ${attendances()} a on a.slot_id = s.id
    where ol.order_id = ${orderId} and c.e_formation
      and s.modality in ('distance', 'gathering') and s.status <> 'cancelled'
      ${slotDateWithin(period)}
    group by s.id, s.order_line_id, s.modality, s.starts_at, s.ends_at`.execute(db);
  return rows.map((r) => ({ orderLineId: r.order_line_id, modality: r.modality, minutes: Number(r.minutes), signedCount: Number(r.signed_count) }));
}

/** Absences of one path, slot by slot (CP-ABSENCE-DECLARED). */
export async function absencesOfPath(db: Db, pathId: string, period: Period = {}) {
  return db
    .selectFrom(attendances().as("a"))
    .innerJoin(slotRows().as("s"), "s.id", "a.slot_id")
    .select(["s.slot_date", "s.start_time", "s.end_time", "s.modality", "a.status"])
    .where("a.path_id", "=", pathId)
    .where("a.status", "in", ["absent", "excused"])
    .where("s.status", "<>", "cancelled")
    .$if(period.from != null, (q) => q.where("s.slot_date", ">=", period.from!))
    .$if(period.to != null, (q) => q.where("s.slot_date", "<=", period.to!))
    .orderBy("s.slot_date")
    .orderBy("s.start_time")
    .execute();
}

/** Order lines with their ordered minutes and component (for billing). */
export async function orderForBilling(db: Db, orderId: string) {
  const order = await db
    .selectFrom(orderRows().as("o"))
    .innerJoin(providerRows().as("p"), "p.id", "o.provider_id")
    .select(["o.id", "o.number", "o.provider_id", "o.planned_start", "o.planned_end", "o.unit_price_cents", "p.name as provider_name", "p.siret"])
    .where("o.id", "=", orderId)
    .executeTakeFirst();
  if (!order) return undefined;
  const lines = await db
    .selectFrom(orderLineRows().as("ol"))
    .innerJoin(componentRows().as("c"), "c.id", "ol.component_id")
    .select(["ol.id", "ol.headcount", "ol.average_path_centre_minutes", "ol.average_path_company_minutes", "c.title", "c.e_formation"])
    .where("ol.order_id", "=", orderId)
    .orderBy("c.title")
    .execute();
  return { order, lines };
}
