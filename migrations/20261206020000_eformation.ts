import { type Kysely, sql } from "kysely";

// Occitanie e-formation (issue 14, CCTP §3.3): the typical week of an e-formation component and the
// lot's minimum synchronous share (CP-EFORM-TYPICAL-WEEK, CP-EFORM-SYNC-MIN); the software to install on
// access-site PCs (CP-EFORM-SOFTWARE-5W); the Region's decision at the 15-day checkpoint (CP-EFORM-CHECKPOINT-15D).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
-- CP-EFORM-SYNC-MIN: the Region's minimum share of synchronous minutes (tutorat + gatherings) per lot, in percent.
create table eformation_lot_setting (
  lot_id uuid primary key references lot(id),
  sync_min_percent integer not null check (sync_min_percent between 0 and 100),
  updated_by uuid references app_user(id),
  updated_at timestamptz not null default now()
);

-- CP-EFORM-TYPICAL-WEEK: an e-formation component's typical week, in minutes per kind of sequence.
create table eformation_week (
  component_id uuid primary key references component(id),
  tutorat_minutes integer not null check (tutorat_minutes between 0 and 10080),
  self_study_minutes integer not null check (self_study_minutes between 0 and 10080),
  gathering_minutes integer not null check (gathering_minutes between 0 and 10080),
  check (tutorat_minutes + self_study_minutes + gathering_minutes between 1 and 10080),
  updated_by uuid references app_user(id),
  updated_at timestamptz not null default now()
);

-- CP-EFORM-SOFTWARE-5W: what the provider said of a session's software needs.
create table eformation_session (
  session_id uuid primary key references session(id),
  no_software boolean not null default false,
  updated_by uuid references app_user(id),
  updated_at timestamptz not null default now()
);

-- CP-EFORM-SOFTWARE-5W: software sent to the Region for the access-site PCs, with its technical sheet;
-- the Region validates it (and records the licences provided) or refuses it.
create table eformation_software (
  id uuid primary key,
  session_id uuid not null references session(id),
  provider_id uuid not null references provider(id),
  name text not null check (length(trim(name)) between 1 and 200),
  version text not null check (length(trim(version)) between 1 and 50),
  licence text not null check (length(trim(licence)) between 1 and 500),
  sheet_attachment_id uuid not null references attachment(id),
  windows10_64 boolean not null check (windows10_64),
  office2016 boolean not null check (office2016),
  submitted_by uuid references app_user(id),
  submitted_at timestamptz not null,
  status text not null default 'submitted' check (status in ('submitted','validated','refused')),
  licences_provided boolean not null default false,
  region_note text check (region_note is null or length(region_note) <= 2000),
  decided_by uuid references app_user(id),
  decided_at timestamptz,
  check ((status = 'submitted') = (decided_at is null)),
  check (status <> 'refused' or region_note is not null),
  check (not licences_provided or status = 'validated')
);
create index eformation_software_session on eformation_software(session_id);

-- CP-EFORM-CHECKPOINT-15D: the Region's decisions at a session's checkpoint (append-only: a session
-- postponed then checked again has two rows), with the dates before and after.
create table eformation_checkpoint (
  id uuid primary key,
  session_id uuid not null references session(id),
  decision text not null check (decision in ('confirmed','postponed')),
  reason text check (reason is null or length(reason) <= 2000),
  old_start date not null,
  old_end date not null,
  new_start date not null,
  new_end date not null,
  paths_moved integer not null default 0,
  slots_moved integer not null default 0,
  decided_by uuid references app_user(id),
  decided_at timestamptz not null,
  check (new_end >= new_start),
  check (decision = 'postponed' or (new_start = old_start and new_end = old_end)),
  check (decision = 'confirmed' or (new_start > old_start and reason is not null))
);
create index eformation_checkpoint_session on eformation_checkpoint(session_id, decided_at);
`.execute(db);
}
