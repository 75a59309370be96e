import { type Kysely, sql } from "kysely";

// Costs that grow with the region (issue 16, docs/adr/0020):
// - the last proof of an attendance row (slot, path) is read by an index, not a scan per row;
// - the evidence verification runs in the background: its reports are stored, and a link whose
//   parent no longer matches its own hash when a new signature is chained to it is recorded at once;
// - the tables the growth bench reads by order, provider and date get the indexes EXPLAIN asked for.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create index evidence_slot_path_seq on evidence(slot_id, path_id, seq);

create table evidence_report (
  id uuid primary key,
  requested_at timestamptz not null,
  requested_by uuid references app_user(id),
  started_at timestamptz,
  finished_at timestamptz,
  status text not null check (status in ('pending', 'running', 'done', 'failed')),
  slots int,
  entries int,
  broken jsonb,
  error text
);
create index evidence_report_requested on evidence_report(requested_at);

create table evidence_alert (
  id bigserial primary key,
  evidence_id bigint not null,
  slot_id uuid not null,
  seq int not null,
  problem text not null,
  detected_at timestamptz not null
);
create index evidence_alert_detected on evidence_alert(detected_at);
`.execute(db);
}

export async function down(): Promise<void> {}
