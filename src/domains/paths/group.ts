// An order's facts for the path rules: its rows (store.ts loadOrderRows), everyone in the room
// (CP-GROUP-MAX-20: every path of every order on its lines' components and sites, and the trainees
// other funders pay for that the provider recorded on those groups) and its paths' realised minutes.
import type { Db } from "../../core/db/index.ts";
import { realisedOfOrderPaths } from "./realised.ts";
import { groupOfOrder, loadOrderRows, type OrderContext, type OrderRef } from "./store.ts";
import type { Totals } from "./totals.ts";

const refOf = (order: string | OrderRef): OrderRef => (typeof order === "string" ? { orderId: order } : order);

/** The order's context, its rows and its group read together: one round trip's wait. */
export async function loadOrderContext(db: Db, order: string | OrderRef): Promise<OrderContext | undefined> {
  const ref = refOf(order);
  const [ctx, group] = await Promise.all([loadOrderRows(db, ref), groupOfOrder(db, ref)]);
  if (!ctx) return undefined;
  ctx.group = group;
  return ctx;
}

/**
 * The order's context and the realised minutes of its paths, all read together — five statements, one
 * round trip's wait whatever the order's size (issue 16: the live path check paid one wait per query,
 * then three). `order` may be one of its paths (the live check: no read of the path before).
 */
export async function loadOrderFacts(
  db: Db,
  order: string | OrderRef,
  o: { modules?: boolean } = {},
): Promise<{ ctx: OrderContext; realised: Map<string, Totals> } | undefined> {
  const ref = refOf(order);
  const [ctx, group, realised] = await Promise.all([loadOrderRows(db, ref, o), groupOfOrder(db, ref), realisedOfOrderPaths(db, ref)]);
  if (!ctx) return undefined;
  ctx.group = group;
  return { ctx, realised };
}
