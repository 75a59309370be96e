// Realised minutes come from signed attendance only (CP-ATTENDANCE-REALISED): the ledger domain
// aggregates them; every consumer here (checks, consumption, reports) reads them through this one place.
import type { Db } from "../../core/db/index.ts";
import { realisedTotalsByPath } from "../ledger/use-cases.ts";
import type { Totals } from "./totals.ts";

export async function realisedByPath(db: Db, pathIds: string[]): Promise<Map<string, Totals>> {
  return realisedTotalsByPath(db, pathIds);
}
