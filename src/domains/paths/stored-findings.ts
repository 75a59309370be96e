// The stored judgement of each order's paths (issue 13 Speed, docs/adr/0042-stored-order-findings.md).
// Judging an order reads its context, its room (group) and its proved presences: ~100–250 ms on a region's
// data, so the compliance board cannot judge 4 000 orders per view. Each order's findings are stored in
// path_order_findings; triggers mark the row stale in the transaction of any write to an input
// (migrations/20261209020000_path_order_findings.ts). Readers judge again what is stale before showing it,
// and the background tick keeps the stale set small: nothing is shown that a live judgement would not show.
import { sql } from "kysely";
import type { Db } from "../../core/db/index.ts";
import { orderRows } from "../orders/views.ts";
import { type OrderConsumption, orderConsumption } from "./consumption.ts";
import { loadOrderFacts } from "./group.ts";

/**
 * The version of the rules the stored findings were judged with: a deployment that changes what a path is
 * judged on (rules.ts, evaluate.ts, consumption.ts) bumps it, and every order is judged again on first read.
 */
export const FINDINGS_VERSION = 1;
/** The advisory lock class shared with the triggers' paths_findings_stale (writers shared, judges exclusive); the next class: a bulk writer's one lock. */
const LOCK_CLASS = 20261209;

export type OrderFinding = OrderConsumption["findings"][number];

/** Orders whose stored findings cannot be shown as they are (missing, stale or of another version), at most `limit`. */
async function unjudged(db: Db, limit: number): Promise<string[]> {
  const rows = await sql<{ id: string }>`
    select o.id from ${orderRows()} o left join path_order_findings f on f.order_id = o.id
    where f.order_id is null or f.stale or f.version <> ${FINDINGS_VERSION}
    limit ${limit}`.execute(db);
  return rows.rows.map((r) => r.id);
}

/**
 * Judges one order and stores its findings, in one transaction holding the order's exclusive lock: a writer
 * still open on the order has committed before the reads (its trigger holds the shared lock), and a writer
 * after them waits for the commit, then marks the row stale again.
 */
export async function judgeOrder(db: Db, orderId: string): Promise<OrderFinding[]> {
  return db.transaction().execute(async (tx) => {
    // Shared "every order" lock first (a bulk writer holds it exclusive), then this order's exclusive one.
    await sql`select pg_advisory_xact_lock_shared(${LOCK_CLASS + 1}, 0), pg_advisory_xact_lock(${LOCK_CLASS}, hashtext(${orderId}::text))`.execute(tx);
    const fresh = await tx
      .selectFrom("path_order_findings")
      .select("findings")
      .where("order_id", "=", orderId)
      .where("stale", "=", false)
      .where("version", "=", FINDINGS_VERSION)
      .executeTakeFirst();
    if (fresh) return fresh.findings as OrderFinding[]; // judged meanwhile by another reader or the tick
    const facts = await loadOrderFacts(tx, orderId);
    const findings = facts ? orderConsumption(facts.ctx, facts.realised).findings : [];
    const json = JSON.stringify(findings);
    await tx
      .insertInto("path_order_findings")
      .values({ order_id: orderId, stale: false, version: FINDINGS_VERSION, findings: json })
      .onConflict((oc) => oc.column("order_id").doUpdateSet({ stale: false, version: FINDINGS_VERSION, findings: json, judged_at: sql`now()` }))
      .execute();
    return JSON.parse(json) as OrderFinding[];
  });
}

/**
 * The findings of these orders, stored ones as they are, the others judged now and stored; `providerId` limits
 * to one provider's orders. Orders unknown (or of another provider) are left out of the map.
 */
export async function storedFindings(db: Db, orderIds: string[], providerId: string | null): Promise<Map<string, OrderFinding[]>> {
  const out = new Map<string, OrderFinding[]>();
  if (orderIds.length === 0) return out;
  const { rows } = await sql<{ id: string; findings: OrderFinding[] | null }>`
    select o.id, case when not f.stale and f.version = ${FINDINGS_VERSION} then f.findings end as findings
    from ${orderRows()} o left join path_order_findings f on f.order_id = o.id
    where o.id = any(${orderIds}::uuid[]) ${providerId ? sql`and o.provider_id = ${providerId}` : sql``}`.execute(db);
  // A row read fresh here shows what a live judgement at this instant showed; the stale ones are judged now.
  for (const r of rows) out.set(r.id, r.findings ?? (await judgeOrder(db, r.id)));
  return out;
}

/** The background tick's share (src/app/jobs.ts): judges at most `limit` orders that need it; returns how many. */
export async function judgeStaleOrders(db: Db, limit = 20): Promise<number> {
  const ids = await unjudged(db, limit);
  for (const id of ids) await judgeOrder(db, id);
  return ids.length;
}
