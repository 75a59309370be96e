import { type Kysely, sql } from "kysely";

// The compliance board judges each order in scope (issue 13 Speed, docs/performance.md « Region scale »):
// an order's group (paths of its components at its sites, paths/store.ts groupPaths) was read by a
// sequential scan of every path of the region (160 000) for each order; by site it reads that site's paths.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index path_site on path(site_id);`.execute(db);
}

export async function down(): Promise<void> {}
