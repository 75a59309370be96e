import { type Kysely, sql } from "kysely";

// Positioning counts where docs/requirements.md §12.1 and §12.6 say (issue 8, points 2 and 7): its
// minutes are realised on its first day, and that day is the path's entry when it comes before the
// first module (CP-ENTRY-YEAR-N).
// - started_on: the day of the first evaluations, entered by the provider (optional, older rows
//   have none).
// - first_day: the one stored reading of "when the positioning happened", generated so that every
//   query (ledger periods, billing months, entry year) reads the same day: the day entered, else the
//   restitution day (a validated path always has one, CP-POSITIONING), else the day it was recorded
//   (Europe/Paris) — both come after the first evaluations, never before.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
alter table positioning
  add column started_on date,
  add constraint positioning_started_before_restitution check (started_on is null or restitution_on is null or started_on <= restitution_on);

alter table positioning
  add column first_day date not null
    generated always as (coalesce(started_on, restitution_on, (recorded_at at time zone 'Europe/Paris')::date)) stored;

create index positioning_first_day on positioning(first_day);
`.execute(db);
}
