// Realised minutes come from signed attendance only (CP-ATTENDANCE-REALISED). Until the attendance
// ledger exists there is no signature, so every path has realised nothing: this is the one place
// the ledger will feed, and every consumer (checks, consumption, reports) already reads it.
import type { Db } from "../../core/db/index.ts";
import { zeroTotals, type Totals } from "./totals.ts";

export async function realisedByPath(_db: Db, pathIds: string[]): Promise<Map<string, Totals>> {
  return new Map(pathIds.map((id) => [id, zeroTotals()]));
}
