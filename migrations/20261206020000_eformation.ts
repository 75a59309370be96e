import { type Kysely, sql } from "kysely";

// Occitanie e-formation (issue 14, CCTP §3.3): the typical week of an e-formation component and the
// lot's minimum synchronous share (CP-EFORM-TYPICAL-WEEK, CP-EFORM-SYNC-MIN).
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
`.execute(db);
}
