import { type Kysely, sql } from "kysely";

// The platform's secret when APP_SECRET is not set (core/secrets.ts): drawn once by the first process
// that starts, then read by every process, so a QR code signed by one is accepted by another
// (several processes behind a load balancer, docs/operations.md). Never derived per process.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create table platform_secret (
  name text primary key,
  value bytea not null check (length(value) >= 32),
  created_at timestamptz not null default now()
);
`.execute(db);
}

export async function down(): Promise<void> {
  // Forward-only migrations (ARCHITECTURE.md).
}
