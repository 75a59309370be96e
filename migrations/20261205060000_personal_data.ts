import { type Kysely, sql } from "kysely";

// Personal data (issue 9, point 9; docs/privacy.md, ADR 0021).
// - personal_salt: one random salt per subject (a trainee's path, a user account, a slot for
//   entries with neither). Evidence version 3 hashes the entry's personal fields (IP address,
//   device, and `personal`: a tutor's typed name) only as HMAC(salt, …); erasing a person deletes their salts and those fields, and the
//   chain still verifies.
// - privacy_erasure: what was erased or pseudonymised, when, why and by whom (the record of the
//   erasure itself, without the erased data).
// - audit_log (entity, entity_id, at): reads of a trainee's or candidate's record are audited and
//   consulted by record.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create table personal_salt (
  subject text primary key,
  salt bytea not null check (length(salt) = 32),
  created_at timestamptz not null default now()
);
alter table evidence add column salt_subject text;
alter table evidence add column personal_digest text;
alter table evidence add column personal jsonb;
alter table evidence drop constraint if exists evidence_hash_version_check;
alter table evidence add constraint evidence_hash_version_check check (hash_version in (1, 2, 3));
alter table evidence add constraint evidence_v3_personal check (hash_version < 3 or (salt_subject is not null and personal_digest is not null));
create table privacy_erasure (
  id text primary key,
  subject_kind text not null check (subject_kind in ('trainee', 'candidate', 'user')),
  subject_id text not null,
  cause text not null check (cause in ('request', 'retention')),
  reason text,
  erased_by text,
  erased_at timestamptz not null,
  counts jsonb not null default '{}'
);
create index privacy_erasure_subject on privacy_erasure(subject_kind, subject_id);
create index audit_log_entity on audit_log(entity, entity_id, at);
`.execute(db);
}

export async function down(): Promise<void> {
  // Forward-only migrations (ARCHITECTURE.md).
}
