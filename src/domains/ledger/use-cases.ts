// Realised hours (CP-ATTENDANCE-REALISED) and the monthly billing statement (CP-BILLING-REALISED),
// derived from proved attendance only (attendance's provedPresence). Queries: nothing here writes.
import type { Actor } from "../../core/auth/actor.ts";
import { isProviderStaff } from "../../core/auth/actor.ts";
import type { Db } from "../../core/db/index.ts";
import { invalid, notFound } from "../../core/errors.ts";
import { check, type Violation } from "../../core/rules.ts";
import * as r from "./rules.ts";
import { absencesOfPath, eFormationSyncSlots, ledgerRows, orderForBilling, type LedgerRow, type Period } from "./store.ts";
import { pathRows, positioningRows } from "../paths/views.ts";
import { slotRows } from "../schedule/views.ts";
import { orderLineRows } from "../orders/views.ts";
import { attendanceRows } from "../attendance/views.ts";

export type { Period } from "./store.ts";
export type { RealisedMinutes, RegionCategories } from "./rules.ts";

function sumRows(rows: LedgerRow[]): r.RealisedMinutes {
  const t = r.zeroRealised();
  for (const row of rows) r.addRealised(t, row);
  return t;
}

/** Realised minutes of each path (every id present, zero when nothing signed). */
export async function realisedTotalsByPath(db: Db, pathIds: string[], period: Period = {}): Promise<Map<string, r.RealisedMinutes>> {
  const result = new Map(pathIds.map((id) => [id, r.zeroRealised()]));
  for (const row of await ledgerRows(db, { pathIds }, period)) r.addRealised(result.get(row.pathId)!, row);
  return result;
}

/**
 * Realised minutes of every path of an order, drafts included — the order given or found from one of its paths —
 * read with no list of ids (beside the order's other facts, in the same round trip). Paths that realised
 * nothing are absent from the map: their total is zero.
 */
export async function realisedTotalsOfOrderPaths(db: Db, order: { orderId: string } | { pathId: string }): Promise<Map<string, r.RealisedMinutes>> {
  const result = new Map<string, r.RealisedMinutes>();
  for (const row of await ledgerRows(db, { orderPaths: order })) {
    if (!result.has(row.pathId)) result.set(row.pathId, r.zeroRealised());
    r.addRealised(result.get(row.pathId)!, row);
  }
  return result;
}

/** The path the actor may read: the Region, its provider's staff, or the trainee themself; 404 otherwise. */
export async function pathForActor(db: Db, actor: Actor, pathId: string) {
  const path = await db
    .selectFrom(pathRows().as("path"))
    .select(["id", "provider_id", "trainee_id", "order_id", "order_line_id", "entry_date", "planned_exit_date", "actual_exit_date", "status"])
    .where("id", "=", pathId)
    .executeTakeFirst();
  if (!path) throw notFound("Parcours");
  const allowed =
    actor.role === "region_officer" || (isProviderStaff(actor) && actor.providerId === path.provider_id) || (actor.role === "trainee" && actor.traineeId === path.trainee_id);
  if (!allowed) throw notFound("Parcours");
  return path;
}

export interface PathRealised {
  pathId: string;
  period: Period;
  totals: r.RealisedMinutes;
  /** CP-MODALITIES: the Region's four reporting categories. */
  categories: r.RegionCategories;
  /** Minutes of presences declared by the trainer whose proof is awaited: shown, never realised. */
  declared: number;
  /** CP-ABSENCE-DECLARED: absences recorded explicitly. */
  absences: { absent: number; excused: number; minutes: number; list: { date: string; start: string; end: string; modality: string; status: "absent" | "excused" }[] };
}

export async function getPathRealised(db: Db, actor: Actor, pathId: string, period: Period = {}): Promise<PathRealised> {
  await pathForActor(db, actor, pathId);
  return pathRealised(db, pathId, period);
}

/** Unscoped: callers have checked access (documents domain, certificates). */
export async function pathRealised(db: Db, pathId: string, period: Period = {}): Promise<PathRealised> {
  const rows = await ledgerRows(db, { pathIds: [pathId] }, period);
  const totals = sumRows(rows);
  const list = await absencesOfPath(db, pathId, period);
  return {
    pathId,
    period,
    totals,
    categories: r.regionCategories(totals),
    declared: rows.reduce((sum, x) => sum + x.declared, 0),
    absences: {
      absent: rows.reduce((s, x) => s + x.absent, 0),
      excused: rows.reduce((s, x) => s + x.excused, 0),
      minutes: rows.reduce((s, x) => s + x.absentMinutes, 0),
      list: list.map((a) => ({ date: a.slot_date, start: a.start_time.slice(0, 5), end: a.end_time.slice(0, 5), modality: a.modality, status: a.status as "absent" | "excused" })),
    },
  };
}

export function monthPeriod(month: string): Required<Period> {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) throw invalid(`Mois illisible : « ${month} » (format AAAA-MM).`);
  const last = new Date(Date.UTC(Number(m[1]), Number(m[2]), 0)).getUTCDate();
  return { from: `${month}-01`, to: `${month}-${String(last).padStart(2, "0")}` };
}

const dayBefore = (date: string) => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
};

export interface BillingLine {
  orderLineId: string;
  componentTitle: string;
  eFormation: boolean;
  /** Trainee-minutes realised by modality (reported for every line). */
  realised: r.RealisedMinutes;
  /** Trainee-minutes declared by trainers, their proof awaited: reported, never billed. */
  declaredMinutes: number;
  /** CP-EFORM-BILLING: synchronous slot-minutes with ≥ 1 signed presence (e-formation lines). */
  groupMinutes: number;
  /** What is billed: trainee-minutes, or group-minutes for e-formation. */
  basisMinutes: number;
  amountCents: number;
}

export interface BillingStatement {
  order: { id: string; number: string; providerName: string; siret: string; unitPriceCents: number; plannedStart: string; plannedEnd: string };
  month: string;
  period: Required<Period>;
  lines: BillingLine[];
  orderedMinutes: number;
  billableBeforeMinutes: number;
  realisedMinutes: number;
  billableMinutes: number;
  cappedMinutes: number;
  uncappedAmountCents: number;
  amountCents: number;
  violations: Violation[];
}

async function billingLines(db: Db, orderId: string, lines: NonNullable<Awaited<ReturnType<typeof orderForBilling>>>["lines"], unitPriceCents: number, period: Period) {
  const rows = await ledgerRows(db, { orderId }, period);
  const sync = await eFormationSyncSlots(db, orderId, period);
  return lines.map((l): BillingLine => {
    const ofLine = rows.filter((x) => x.orderLineId === l.id);
    const realised = sumRows(ofLine);
    const declaredMinutes = ofLine.reduce((sum, x) => sum + x.declared, 0);
    const groupMinutes = l.e_formation ? r.eFormationGroupMinutes(sync.filter((s) => s.orderLineId === l.id)) : 0;
    const basisMinutes = l.e_formation ? groupMinutes : realised.total;
    return { orderLineId: l.id, componentTitle: l.title, eFormation: l.e_formation, realised, declaredMinutes, groupMinutes, basisMinutes, amountCents: r.amountCents(basisMinutes, unitPriceCents) };
  });
}

/** The monthly billing statement of an order: realised (signed) minutes × unit price, capped at the ordered volume. */
export async function getBillingStatement(db: Db, actor: Actor, orderId: string, month: string): Promise<BillingStatement> {
  const period = monthPeriod(month);
  const data = await orderForBilling(db, orderId);
  if (!data) throw notFound("Commande");
  const { order, lines } = data;
  if (actor.role !== "region_officer" && !(isProviderStaff(actor) && actor.providerId === order.provider_id)) throw notFound("Commande");
  const orderedMinutes = lines.reduce((s, l) => s + l.headcount * (l.average_path_centre_minutes + l.average_path_company_minutes), 0);
  const current = await billingLines(db, orderId, lines, order.unit_price_cents, period);
  // Earlier months take the ordered volume first: the cap is cumulative over the order's life.
  const before = await billingLines(db, orderId, lines, order.unit_price_cents, { to: dayBefore(period.from) });
  const realisedBefore = before.reduce((s, l) => s + l.basisMinutes, 0);
  const billableBefore = Math.min(realisedBefore, orderedMinutes);
  const realisedMinutes = current.reduce((s, l) => s + l.basisMinutes, 0);
  const cap = r.billingCap(orderedMinutes, billableBefore, realisedMinutes);
  return {
    order: {
      id: order.id,
      number: order.number,
      providerName: order.provider_name,
      siret: order.siret,
      unitPriceCents: order.unit_price_cents,
      plannedStart: order.planned_start,
      plannedEnd: order.planned_end,
    },
    month,
    period,
    lines: current,
    orderedMinutes,
    billableBeforeMinutes: billableBefore,
    realisedMinutes,
    billableMinutes: cap.billable,
    cappedMinutes: cap.capped,
    uncappedAmountCents: r.amountCents(realisedMinutes, order.unit_price_cents),
    amountCents: r.amountCents(cap.billable, order.unit_price_cents),
    violations: check(cap.violation),
  };
}

/** Months (YYYY-MM) of an order that hold attendance or a positioning, for the statement links. */
export async function billingMonths(db: Db, orderId: string): Promise<string[]> {
  const [attendance, positioning] = await Promise.all([
    db
      .selectFrom(slotRows().as("s"))
      .innerJoin(orderLineRows().as("ol"), "ol.id", "s.order_line_id")
      .innerJoin(attendanceRows().as("a"), "a.slot_id", "s.id")
      .select((eb) => eb.fn<string>("to_char", [eb.ref("s.slot_date"), eb.val("YYYY-MM")]).as("month"))
      .where("ol.order_id", "=", orderId)
      .groupBy("month")
      .execute(),
    db
      .selectFrom(positioningRows().as("pos"))
      .innerJoin(pathRows().as("p"), "p.id", "pos.path_id")
      .select((eb) => eb.fn<string>("to_char", [eb.ref("pos.first_day"), eb.val("YYYY-MM")]).as("month"))
      .where("p.order_id", "=", orderId)
      .where("p.status", "<>", "draft")
      .groupBy("month")
      .execute(),
  ]);
  return [...new Set([...attendance, ...positioning].map((x) => x.month))].sort();
}
export { regionCategories } from "./rules.ts";

/** The order's ledger rows for a period (its entered paths), for the realised-hours export (CP-ATTENDANCE-REALISED). */
export const orderLedgerRows = (db: Db, orderId: string, period: Period) => ledgerRows(db, { orderId }, period);
export { addRealised, zeroRealised } from "./rules.ts";
