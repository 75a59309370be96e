// Everyone in the room (CP-GROUP-MAX-20, before schedules exist): the order's context carries every
// path of every order on its lines' components and sites, and the trainees other funders pay for
// that the provider recorded on those groups (schedule domain).
import type { Db } from "../../core/db/index.ts";
import { otherFundedSpans } from "../schedule/use-cases.ts";
import { groupPaths, loadOrderRows, type OrderContext } from "./store.ts";

export async function loadOrderContext(db: Db, orderId: string): Promise<OrderContext | undefined> {
  const ctx = await loadOrderRows(db, orderId);
  if (!ctx) return undefined;
  const componentIds = [...new Set(ctx.lines.map((l) => l.componentId))];
  const siteIds = [...new Set(ctx.lines.flatMap((l) => l.siteIds))];
  const others = await otherFundedSpans(db, componentIds, siteIds);
  ctx.group = [
    ...(await groupPaths(db, componentIds, siteIds)),
    ...others.map((o) => ({ key: `other:${o.id}`, componentId: o.componentId, siteId: o.siteId, entryDate: o.startDate, exitDate: o.endDate })),
  ];
  return ctx;
}
