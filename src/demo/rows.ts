import type { Insertable } from "kysely";
import type { DB } from "../core/db/schema.ts";
import { addDays } from "../core/time.ts";

// Every table the demo fills, in foreign-key order (the order the rows are inserted in).
export const DEMO_TABLES = [
  "lot",
  "lot_departement",
  "lot_expected_component",
  "provider",
  "provider_referent",
  "site",
  "app_user",
  "component",
  "component_site",
  "module",
  "order",
  "order_line",
  "order_line_site",
  "trainee",
  "path",
  "positioning",
  "path_item",
  "deposit",
  "transition_log",
] as const satisfies readonly (keyof DB)[];

export type DemoTable = (typeof DEMO_TABLES)[number];
export type DemoRows = { [K in DemoTable]: Insertable<DB[K]>[] };

export function emptyRows(): DemoRows {
  return Object.fromEntries(DEMO_TABLES.map((t) => [t, []])) as unknown as DemoRows;
}

export const hours = (h: number): number => Math.round(h * 60);

/** The Monday on or after a 'YYYY-MM-DD' date (paths start on a Monday). */
export function mondayOnOrAfter(date: string): string {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay(); // 0 = Sunday
  return addDays(date, (8 - day) % 7);
}

/** An instant at 10:00 Paris time (winter) on that calendar date, for seeded history. */
export function morningOf(date: string): SeededInstant {
  // schema.ts types these columns Generated<Timestamp>, whose insert side Kysely cannot unwrap to
  // Date | string; the value is a plain ISO timestamp that PostgreSQL parses as timestamptz.
  return `${date}T09:00:00Z` as unknown as SeededInstant;
}
type SeededInstant = Insertable<DB["transition_log"]>["at"] & Insertable<DB["component"]>["hybrid_decided_at"];
