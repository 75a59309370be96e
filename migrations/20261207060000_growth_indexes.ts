import { type Kysely, sql } from "kysely";

// Indexes the growth and region benches asked for (issue 16 point 7, issue 13 Speed; docs/adr/0033):
// EXPLAIN showed a sequential scan of a table that grows with the region.
// - a provider's paths list (/stagiaires, GET /api/paths) filters path by provider: 160 000 paths at
//   the region's scale, read whole for each provider;
// - a provider's staff (the provider page, referents, the compliance board's provider file) filters
//   app_user by provider.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create index path_provider on path(provider_id);
create index app_user_provider on app_user(provider_id) where provider_id is not null;
`.execute(db);
}

export async function down(): Promise<void> {}
