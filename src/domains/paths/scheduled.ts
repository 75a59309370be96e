// Scheduled minutes come from the schedule domain (its slots); a readjustment reads them here so
// that the plan never falls below what is already on the schedule (CP-PATH-READJUST, docs/adr/0009).
import type { Db } from "../../core/db/index.ts";
import { scheduledTotalsByPath } from "../schedule/use-cases.ts";
import type { Totals } from "./totals.ts";

export async function scheduledByPath(db: Db, pathIds: string[]): Promise<Map<string, Totals>> {
  return scheduledTotalsByPath(db, pathIds);
}
