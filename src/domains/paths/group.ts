// Everyone in the room (CP-GROUP-MAX-20, before schedules exist): the order's context carries every
// path of every order on its lines' components and sites, and the trainees other funders pay for
// that the provider recorded on those groups (schedule domain).
import type { Db } from "../../core/db/index.ts";
import { otherFundedSpans } from "../schedule/use-cases.ts";
import { realisedByPath } from "./realised.ts";
import { type GroupMember, groupPaths, loadOrderRows, type OrderContext } from "./store.ts";
import type { Totals } from "./totals.ts";

async function groupOf(db: Db, ctx: OrderContext): Promise<GroupMember[]> {
  const componentIds = [...new Set(ctx.lines.map((l) => l.componentId))];
  const siteIds = [...new Set(ctx.lines.flatMap((l) => l.siteIds))];
  const [others, paths] = await Promise.all([otherFundedSpans(db, componentIds, siteIds), groupPaths(db, componentIds, siteIds)]);
  return [...paths, ...others.map((o) => ({ key: `other:${o.id}`, componentId: o.componentId, siteId: o.siteId, entryDate: o.startDate, exitDate: o.endDate }))];
}

export async function loadOrderContext(db: Db, orderId: string): Promise<OrderContext | undefined> {
  const ctx = await loadOrderRows(db, orderId);
  if (!ctx) return undefined;
  ctx.group = await groupOf(db, ctx);
  return ctx;
}

/**
 * The order's context and the realised minutes of its paths, the group and the realised read together:
 * two round trips' wait whatever the order's size (issue 16: the live path check paid one per query).
 */
export async function loadOrderFacts(db: Db, orderId: string): Promise<{ ctx: OrderContext; realised: Map<string, Totals> } | undefined> {
  const ctx = await loadOrderRows(db, orderId);
  if (!ctx) return undefined;
  const [group, realised] = await Promise.all([
    groupOf(db, ctx),
    realisedByPath(
      db,
      ctx.paths.map((p) => p.id),
    ),
  ]);
  ctx.group = group;
  return { ctx, realised };
}
