// Realised minutes come from proved attendance and the recorded positioning (CP-ATTENDANCE-REALISED,
// §12.1): the ledger domain aggregates them in one place; every consumer here (checks, consumption,
// reports) reads them through this one function.
import type { Db } from "../../core/db/index.ts";
import { realisedTotalsByPath, realisedTotalsOfOrderPaths } from "../ledger/use-cases.ts";
import type { OrderRef } from "./store.ts";
import type { Totals } from "./totals.ts";

export async function realisedByPath(db: Db, pathIds: string[]): Promise<Map<string, Totals>> {
  return realisedTotalsByPath(db, pathIds);
}

/** Every path of the order (zero for a path absent from the map), read beside the order's other facts. */
export async function realisedOfOrderPaths(db: Db, ref: OrderRef): Promise<Map<string, Totals>> {
  return realisedTotalsOfOrderPaths(db, ref);
}
