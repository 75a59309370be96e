import { type Kysely, sql } from "kysely";

// Security issue, point 3 (login and accounts):
// - user_session.id now holds the SHA-256 (hex) of the token the client holds, never the token:
//   a copy of the table opens no session. Existing sessions are converted, so nobody is logged out.
// - last_seen_at: a session unused for SESSION_IDLE_MINUTES ends (besides its absolute expiry).
// - throttle_hit: failed logins (and public forms) counted in the database, so that a limit holds
//   across server processes and restarts.
// - password_reset: single-use, expiring links for a forgotten password; only the token's hash is kept.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
update user_session set id = encode(sha256(convert_to(id, 'UTF8')), 'hex');
alter table user_session add column last_seen_at timestamptz not null default now();

create table throttle_hit (
  id uuid primary key,
  bucket text not null,
  key text not null,
  at timestamptz not null
);
create index throttle_hit_key on throttle_hit(bucket, key, at);
create index throttle_hit_at on throttle_hit(at);

create table password_reset (
  id uuid primary key,
  user_id uuid not null references app_user(id) on delete cascade,
  token_hash text not null unique,
  created_at timestamptz not null,
  expires_at timestamptz not null,
  used_at timestamptz
);
create index password_reset_user on password_reset(user_id);
`.execute(db);
}

export async function down(): Promise<void> {}
