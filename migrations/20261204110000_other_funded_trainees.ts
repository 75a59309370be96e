import { type Kysely, sql } from "kysely";

// CP-GROUP-MAX-20: everyone in the room counts, whoever funds them. A provider records the trainees
// another funder pays for (or who pay themselves) on a group — a component at a site, for the days
// they attend — and on the slots they attend, so the group's headcount sees them.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create table other_funded_trainee (
  id uuid primary key,
  provider_id uuid not null references provider(id),
  component_id uuid not null references component(id),
  site_id uuid not null references site(id),
  full_name text not null check (length(trim(full_name)) > 0),
  funder text not null check (length(trim(funder)) > 0),
  start_date date not null,
  end_date date not null check (end_date >= start_date),
  created_by uuid references app_user(id),
  created_at timestamptz not null default now()
);
create index other_funded_trainee_group on other_funded_trainee(component_id, site_id);
create index other_funded_trainee_provider on other_funded_trainee(provider_id);

-- The other-funded trainees expected on a slot, beside its Region-funded paths (slot_trainee).
create table slot_other_funded (
  slot_id uuid not null references slot(id) on delete cascade,
  other_funded_trainee_id uuid not null references other_funded_trainee(id),
  primary key (slot_id, other_funded_trainee_id)
);
create index slot_other_funded_trainee on slot_other_funded(other_funded_trainee_id);
`.execute(db);
}

export async function down(): Promise<void> {}
