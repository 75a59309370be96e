import { type Kysely, sql } from "kysely";

// The modernisation call (AMI, REQUIREMENTS §11): the Region's calls with their lots and the expert
// providers referenced per lot, the organisations it registers as eligible, the providers'
// applications, and the missions that follow (action plan, committee decision, progress, deliverables).
// Expert accounts get their own role ('expert'), tied to their expert provider by ami_expert_member.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
alter table app_user drop constraint app_user_role_check;
alter table app_user add constraint app_user_role_check
  check (role in ('region_officer','provider_admin','pedagogical_referent','trainer','prescriber','trainee','expert'));

-- AMI-CALL: a call, published with its deadline (an instant; Europe/Paris on screen) and renewable.
create table ami_call (
  id uuid primary key,
  title text not null,
  body text not null,
  prf_year int not null check (prf_year between 2000 and 2100),
  submission_deadline timestamptz not null,
  mission2_latest_end date not null,
  priorities text not null,
  renewed_from uuid references ami_call(id),
  published_by uuid references app_user(id),
  published_at timestamptz not null default now()
);

-- AMI-LOTS: a call's lots and their départements; a département lies in one lot of a call.
create table ami_lot (
  id uuid primary key,
  call_id uuid not null references ami_call(id),
  number int not null check (number between 1 and 99),
  name text not null,
  unique (call_id, number)
);
create table ami_lot_departement (
  lot_id uuid not null references ami_lot(id),
  call_id uuid not null references ami_call(id),
  departement_code text not null references departement(code),
  primary key (lot_id, departement_code),
  unique (call_id, departement_code) -- AMI-LOTS
);

-- AMI-EXPERT-IN-LOT: the expert providers, those referenced for each lot, and their consultants' accounts.
create table ami_expert_provider (
  id uuid primary key,
  name text not null unique,
  created_at timestamptz not null default now()
);
create table ami_lot_expert (
  lot_id uuid not null references ami_lot(id),
  expert_provider_id uuid not null references ami_expert_provider(id),
  primary key (lot_id, expert_provider_id)
);
create table ami_expert_member (
  user_id uuid primary key references app_user(id),
  expert_provider_id uuid not null references ami_expert_provider(id)
);

-- AMI-ELIGIBLE: organisations the Region registers for a PRF year (an apprentice training centre, say).
create table ami_eligible (
  provider_id uuid not null references provider(id),
  prf_year int not null,
  kind text not null check (kind in ('training_organisation','apprentice_centre')),
  registered_by uuid references app_user(id),
  created_at timestamptz not null default now(),
  primary key (provider_id, prf_year)
);

create table ami_application (
  id uuid primary key,
  call_id uuid not null references ami_call(id),
  provider_id uuid not null references provider(id),
  created_by uuid references app_user(id),
  status text not null default 'draft'
    check (status in ('draft','submitted','retained','not_retained','mission_1','mission_2','mission_3','completed')),
  network text,
  -- AMI-ONE-PER-LOT: 'siren:<9 digits>' or 'network:<declared name, lower case>'.
  network_key text not null,
  lot_id uuid references ami_lot(id),
  lot_number int,
  needs jsonb not null default '{}',
  team jsonb not null default '[]',
  project_lead_name text not null default '',
  project_lead_share_bp int check (project_lead_share_bp between 0 and 10000),
  site_mode text not null default 'single' check (site_mode in ('single','multi')),
  reference_site_id uuid references site(id),
  implementation_site_ids uuid[] not null default '{}' check (cardinality(implementation_site_ids) <= 3), -- AMI-SITES
  target_publics text[] not null default '{}',
  ecological_actions text not null default '',
  prior_accompaniment boolean,
  prior_accompaniment_detail text not null default '',
  submitted_at timestamptz,
  valid_until date,
  override_position int check (override_position >= 1),
  override_reason text,
  decision_reason text,
  decided_at timestamptz,
  expert_provider_id uuid references ami_expert_provider(id),
  diagnostic text not null default '',
  committee_decided_on date,
  committee_note text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  -- AMI-COMMITMENT-10PCT: a submitted application's project lead gives at least 10 % of an FTE.
  check (status = 'draft' or project_lead_share_bp >= 1000),
  check (status = 'draft' or (submitted_at is not null and lot_id is not null))
);
-- AMI-ONE-PER-LOT: one open application per organisation or network per lot at a time.
create unique index ami_one_per_lot on ami_application(network_key, lot_number)
  where lot_number is not null and status in ('draft','submitted','retained','mission_1','mission_2','mission_3');
create index ami_application_provider on ami_application(provider_id);
create index ami_application_call on ami_application(call_id);

-- AMI-MISSIONS: mission 1's action plan, each action's days per team member and phase.
create table ami_action (
  id uuid primary key,
  application_id uuid not null references ami_application(id),
  phase int not null check (phase between 1 and 9),
  title text not null,
  description text not null default '',
  -- AMI-COMMITTEE: null until the committee's decision, then approved or not.
  approved boolean,
  position int not null,
  created_at timestamptz not null default now()
);
create index ami_action_application on ami_action(application_id);
create table ami_action_commitment (
  action_id uuid not null references ami_action(id) on delete cascade,
  member_name text not null,
  half_days int not null check (half_days > 0),
  primary key (action_id, member_name)
);

-- Mission 2's follow-up: work recorded on approved actions only (AMI-M2-APPROVED-ONLY).
create table ami_progress (
  id uuid primary key,
  application_id uuid not null references ami_application(id),
  action_id uuid not null references ami_action(id),
  on_date date not null,
  note text not null,
  done boolean not null default false,
  recorded_by uuid references app_user(id),
  created_at timestamptz not null default now()
);
create index ami_progress_application on ami_progress(application_id);

-- Mission 3's deliverables, with their owner (AMI-MISSIONS: mission 2 productions belong to the organisation).
create table ami_deliverable (
  id uuid primary key,
  application_id uuid not null references ami_application(id),
  kind text not null check (kind in ('m2_production','evaluation','model_deliverable','transfer_kit')),
  owner text not null check (owner in ('provider','expert')),
  check (kind <> 'm2_production' or owner = 'provider'),
  title text not null,
  attachment_id uuid not null references attachment(id),
  uploaded_by uuid references app_user(id),
  created_at timestamptz not null default now()
);
create index ami_deliverable_application on ami_deliverable(application_id);
`.execute(db);
}

export async function down(): Promise<void> {}
