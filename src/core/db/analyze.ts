// The planner's statistics (docs/adr/0020). PostgreSQL's autovacuum keeps them; the embedded PGlite
// has no autovacuum, so without ANALYZE its planner believes every table is nearly empty and picks
// sequential scans and nested loops that cost seconds at a region's size. ANALYZE (sampled, a few
// hundred milliseconds) runs after migrations, after bulk loads (demo, imports) and hourly from the
// background tick. The same SQL on both databases.
import { sql } from "kysely";
import type { Db } from "./index.ts";
import type { Clock } from "../time.ts";

export const ANALYZE_EVERY_MS = 3600_000;

let lastRun = new WeakMap<object, number>();

/** Refreshes the statistics of every table (or of `tables`). */
export async function analyze(db: Db, tables: string[] = []): Promise<void> {
  if (tables.length === 0) await sql`analyze`.execute(db);
  else for (const t of tables) await sql`analyze ${sql.table(t)}`.execute(db);
}

/** From the background tick: at most once every ANALYZE_EVERY_MS for this database. */
export async function analyzeIfDue(db: Db, clock: Clock): Promise<boolean> {
  const now = clock.now().getTime();
  const last = lastRun.get(db);
  if (last !== undefined && now - last < ANALYZE_EVERY_MS) return false;
  lastRun.set(db, now);
  await analyze(db);
  return true;
}

/** Tests: forget when the statistics were last refreshed. */
export function resetAnalyzeSchedule() {
  lastRun = new WeakMap();
}
