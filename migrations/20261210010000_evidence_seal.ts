import { type Kysely, sql } from "kysely";

// Sealed slots (issue 16, docs/adr/0047): the digest of everything the verification reads for a slot
// (its links with their subjects' salts, its attendance rows, its countersignature, its paper scan),
// written when a run has found the slot sound. The routine run recomputes each slot's digest (one read
// of its rows, one SHA-256) and re-verifies in full only the slots whose digest changed; a complete run
// ignores the seals. A run records which it was and how many slots it re-verified.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create table evidence_seal (
  slot_id uuid primary key,
  digest text not null check (length(digest) = 64),
  sealed_at timestamptz not null
);
alter table evidence_report add column complete boolean not null default true;
alter table evidence_report add column rechecked integer;
`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table evidence_seal; alter table evidence_report drop column complete, drop column rechecked;`.execute(db);
}
