import { type Kysely, sql } from "kysely";

// Security issue, point 6: a direct e-formation registration (no login) is only a request until the
// person confirms it through a link mailed to the address they gave; nothing reaches the provider
// before. Only the link token's SHA-256 is kept; the typed fields wait here, as JSON, until then.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create table direct_registration (
  id uuid primary key,
  session_id uuid not null references session(id),
  email text not null,
  input jsonb not null,
  token_hash text not null unique,
  created_at timestamptz not null,
  expires_at timestamptz not null,
  confirmed_at timestamptz,
  candidacy_id uuid references candidacy(id)
);
create index direct_registration_session on direct_registration(session_id);
`.execute(db);
}

export async function down(): Promise<void> {}
