import { type Kysely, sql } from "kysely";

// Schedule (issue 4): each trainee's secret iCalendar feed link. Only a hash of the token is
// stored; a new link replaces the old one (one row per trainee).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create table trainee_calendar_token (
  trainee_id uuid primary key references trainee(id),
  token_hash text not null unique,
  created_at timestamptz not null default now()
);
`.execute(db);
}

export async function down(): Promise<void> {}
