// Realised minutes come from proved attendance and the recorded positioning (CP-ATTENDANCE-REALISED,
// §12.1): the ledger domain aggregates them in one place; every consumer here (checks, consumption,
// reports) reads them through this one function.
import type { Db } from "../../core/db/index.ts";
import { realisedTotalsByPath } from "../ledger/use-cases.ts";
import type { Totals } from "./totals.ts";

export async function realisedByPath(db: Db, pathIds: string[]): Promise<Map<string, Totals>> {
  return realisedTotalsByPath(db, pathIds);
}
