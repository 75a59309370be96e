// The ledger's reads: realised minutes aggregated from `attendance` ⨝ `slot` in one SQL statement.
import { sql } from "kysely";
import type { Db } from "../../core/db/index.ts";
import type { SlotModality } from "./rules.ts";

export interface Period {
  /** Inclusive Europe/Paris calendar dates; open when absent. */
  from?: string;
  to?: string;
}

export interface LedgerRow {
  pathId: string;
  orderLineId: string;
  modality: SlotModality;
  location: "remote" | "centre" | null;
  realised: number;
  absent: number;
  excused: number;
  absentMinutes: number;
}

const MIN_DATE = "0001-01-01";
const MAX_DATE = "9999-12-31";

/**
 * One aggregation over attendance rows only (CP-ATTENDANCE-REALISED): present/late rows count their
 * realised minutes, absent/excused count 0 and are reported (CP-ABSENCE-DECLARED); a self-study row
 * without the trainee's signature counts 0 (CP-SELFSTUDY-PRESENCE). Cancelled slots count nothing.
 */
export async function ledgerRows(db: Db, filter: { pathIds?: string[]; orderId?: string }, period: Period = {}): Promise<LedgerRow[]> {
  if (filter.pathIds && filter.pathIds.length === 0) return [];
  const where = filter.pathIds
    ? sql`a.path_id in (${sql.join(filter.pathIds)})`
    : sql`s.order_line_id in (select id from order_line where order_id = ${filter.orderId!})`;
  const { rows } = await sql<{
    path_id: string;
    order_line_id: string;
    modality: SlotModality;
    self_study_location: "remote" | "centre" | null;
    realised: string | number;
    absent: string | number;
    excused: string | number;
    absent_minutes: string | number;
  }>`
    select a.path_id, s.order_line_id, s.modality, s.self_study_location,
      coalesce(sum(a.realised_minutes) filter (
        where a.status in ('present', 'late') and (s.modality <> 'self_study' or a.signed_at is not null)), 0) as realised,
      count(*) filter (where a.status = 'absent') as absent,
      count(*) filter (where a.status = 'excused') as excused,
      coalesce(sum((extract(epoch from s.ends_at - s.starts_at) / 60)::int) filter (where a.status in ('absent', 'excused')), 0) as absent_minutes
    from attendance a
    join slot s on s.id = a.slot_id
    where ${where}
      and s.status <> 'cancelled'
      and s.slot_date between ${period.from ?? MIN_DATE} and ${period.to ?? MAX_DATE}
    group by a.path_id, s.order_line_id, s.modality, s.self_study_location`.execute(db);
  return rows.map((r) => ({
    pathId: r.path_id,
    orderLineId: r.order_line_id,
    modality: r.modality,
    location: r.self_study_location,
    realised: Number(r.realised),
    absent: Number(r.absent),
    excused: Number(r.excused),
    absentMinutes: Number(r.absent_minutes),
  }));
}

/** Synchronous slots (tutorat, gatherings) of an order's e-formation lines, with their signed presences. */
export async function eFormationSyncSlots(db: Db, orderId: string, period: Period) {
  const { rows } = await sql<{ order_line_id: string; modality: SlotModality; minutes: number; signed_count: string | number }>`
    select s.order_line_id, s.modality, (extract(epoch from s.ends_at - s.starts_at) / 60)::int as minutes,
      count(a.id) filter (where a.status in ('present', 'late')) as signed_count
    from slot s
    join order_line ol on ol.id = s.order_line_id
    join component c on c.id = ol.component_id
    left join attendance a on a.slot_id = s.id
    where ol.order_id = ${orderId} and c.e_formation
      and s.modality in ('distance', 'gathering') and s.status <> 'cancelled'
      and s.slot_date between ${period.from ?? MIN_DATE} and ${period.to ?? MAX_DATE}
    group by s.id`.execute(db);
  return rows.map((r) => ({ orderLineId: r.order_line_id, modality: r.modality, minutes: Number(r.minutes), signedCount: Number(r.signed_count) }));
}

/** Absences of one path, slot by slot (CP-ABSENCE-DECLARED). */
export async function absencesOfPath(db: Db, pathId: string, period: Period = {}) {
  return db
    .selectFrom("attendance as a")
    .innerJoin("slot as s", "s.id", "a.slot_id")
    .select(["s.slot_date", "s.start_time", "s.end_time", "s.modality", "a.status"])
    .where("a.path_id", "=", pathId)
    .where("a.status", "in", ["absent", "excused"])
    .where("s.status", "<>", "cancelled")
    .where("s.slot_date", ">=", period.from ?? MIN_DATE)
    .where("s.slot_date", "<=", period.to ?? MAX_DATE)
    .orderBy("s.slot_date")
    .orderBy("s.start_time")
    .execute();
}

/** Order lines with their ordered minutes and component (for billing). */
export async function orderForBilling(db: Db, orderId: string) {
  const order = await db
    .selectFrom("order as o")
    .innerJoin("provider as p", "p.id", "o.provider_id")
    .select(["o.id", "o.number", "o.provider_id", "o.planned_start", "o.planned_end", "o.unit_price_cents", "p.name as provider_name", "p.siret"])
    .where("o.id", "=", orderId)
    .executeTakeFirst();
  if (!order) return undefined;
  const lines = await db
    .selectFrom("order_line as ol")
    .innerJoin("component as c", "c.id", "ol.component_id")
    .select(["ol.id", "ol.headcount", "ol.average_path_centre_minutes", "ol.average_path_company_minutes", "c.title", "c.e_formation"])
    .where("ol.order_id", "=", orderId)
    .orderBy("c.title")
    .execute();
  return { order, lines };
}
