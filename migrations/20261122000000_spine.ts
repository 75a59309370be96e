import { type Kysely, sql } from "kysely";

// The spine of the platform: reference data, organisations, users, offer, orders, trainees, paths.
// Hard rules that SQL can say are also held here, so no path around the use cases breaks them.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create table departement (
  code text primary key,
  name text not null
);

create table provider (
  id uuid primary key,
  name text not null,
  siret text not null unique check (siret ~ '^[0-9]{14}$'),
  nda text check (nda is null or nda ~ '^[0-9]{11}$'),
  legal_representative text,
  address text,
  qualiopi_number text,
  qualiopi_valid_until date,
  created_at timestamptz not null default now()
);

create table prescriber_organisation (
  id uuid primary key,
  name text not null unique,
  kind text not null,
  authorised boolean not null default true,
  created_at timestamptz not null default now()
);

create table app_user (
  id uuid primary key,
  email text not null unique,
  password_hash text not null,
  full_name text not null,
  role text not null check (role in ('region_officer','provider_admin','pedagogical_referent','trainer','prescriber','trainee')),
  provider_id uuid references provider(id),
  prescriber_organisation_id uuid references prescriber_organisation(id),
  trainee_id uuid,
  active boolean not null default true,
  created_at timestamptz not null default now(),
  check ((role in ('provider_admin','pedagogical_referent','trainer')) = (provider_id is not null)),
  check ((role = 'prescriber') = (prescriber_organisation_id is not null))
);

-- Server-side login sessions (named user_session: "session" is the training session of the glossary).
create table user_session (
  id text primary key,
  user_id uuid not null references app_user(id) on delete cascade,
  csrf_token text not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null
);
create index user_session_user on user_session(user_id);

create table lot (
  id uuid primary key,
  code text not null unique,
  name text not null,
  framework_end date not null,
  created_at timestamptz not null default now()
);
create table lot_departement (
  lot_id uuid not null references lot(id) on delete cascade,
  departement_code text not null references departement(code),
  primary key (lot_id, departement_code)
);
create table lot_expected_component (
  id uuid primary key,
  lot_id uuid not null references lot(id) on delete cascade,
  title text not null,
  category text not null check (category in ('transverse','regulatory','specific_preparation'))
);

-- CP-REFERENTS: the provider's designated referents.
create table provider_referent (
  id uuid primary key,
  provider_id uuid not null references provider(id) on delete cascade,
  kind text not null check (kind in ('administrative','company_relations','public_mobilisation','disability','equality','information_system','platform')),
  full_name text not null,
  email text,
  phone text,
  unique (provider_id, kind)
);

create table site (
  id uuid primary key,
  provider_id uuid not null references provider(id),
  name text not null,
  address text not null,
  postcode text not null check (postcode ~ '^[0-9]{5}$'),
  commune text not null,
  departement_code text not null references departement(code),
  accessible boolean not null default true,
  created_at timestamptz not null default now()
);

create table component (
  id uuid primary key,
  provider_id uuid not null references provider(id),
  lot_id uuid not null references lot(id),
  title text not null,
  category text not null check (category in ('transverse','regulatory','specific_preparation')),
  subcategory text,
  certification_code text,
  level_2019 int check (level_2019 between 1 and 8),
  e_formation boolean not null default false,
  prerequisites text not null default '',
  content text not null default '',
  purpose text not null default '',
  off_list boolean not null default false,
  offer_status text not null default 'draft' check (offer_status in ('draft','submitted','accepted','refused')),
  hybrid_status text not null default 'none' check (hybrid_status in ('none','requested','approved','refused')),
  hybrid_organisation text,
  hybrid_decided_by uuid references app_user(id),
  hybrid_decided_at timestamptz,
  created_at timestamptz not null default now()
);
create table component_site (
  component_id uuid not null references component(id) on delete cascade,
  site_id uuid not null references site(id),
  primary key (component_id, site_id)
);

create table module (
  id uuid primary key,
  component_id uuid not null references component(id) on delete cascade,
  title text not null,
  minutes int not null check (minutes > 0),
  modality text not null check (modality in ('centre','company','distance','self_study','gathering')),
  content_tag text check (content_tag in ('digital','soft_skills','ecological_transition','job_search','refresher')),
  prep_part text check (prep_part in ('written','oral')),
  position int not null default 0
);
create index module_component on module(component_id);

create table "order" (
  id uuid primary key,
  number text not null unique,
  lot_id uuid not null references lot(id),
  provider_id uuid not null references provider(id),
  planned_start date not null,
  planned_end date not null check (planned_end >= planned_start),
  headcount int not null check (headcount > 0),
  unit_price_cents int not null check (unit_price_cents >= 0),
  co_funders text[] not null default '{}',
  status text not null default 'issued' check (status in ('issued','closed')),
  created_by uuid references app_user(id),
  created_at timestamptz not null default now(),
  -- CP-NO-FSE: the European Social Fund never co-funds Compétences Plus.
  constraint cp_no_fse check (not (co_funders && array['FSE','FSE+','Fonds social européen']))
);
create index order_provider on "order"(provider_id);

create table order_line (
  id uuid primary key,
  order_id uuid not null references "order"(id) on delete cascade,
  component_id uuid not null references component(id),
  headcount int not null check (headcount > 0),
  average_path_centre_minutes int not null check (average_path_centre_minutes >= 0),
  average_path_company_minutes int not null check (average_path_company_minutes between 0 and 4200),
  unique (order_id, component_id)
);
create table order_line_site (
  order_line_id uuid not null references order_line(id) on delete cascade,
  site_id uuid not null references site(id),
  primary key (order_line_id, site_id)
);

create table trainee (
  id uuid primary key,
  provider_id uuid not null references provider(id),
  first_name text not null,
  last_name text not null,
  birth_date date not null,
  email text,
  phone text,
  france_travail_id text check (france_travail_id is null or france_travail_id ~ '^([0-9]{7}[0-9A-Z]|[0-9]{11})$'),
  job_seeker_registered boolean not null default false,
  pedagogical_referent_id uuid references app_user(id),
  cv_updated_on date,
  created_at timestamptz not null default now()
);
create index trainee_provider on trainee(provider_id);
alter table app_user add constraint app_user_trainee foreign key (trainee_id) references trainee(id);

create table path (
  id uuid primary key,
  trainee_id uuid not null references trainee(id),
  order_id uuid not null references "order"(id),
  order_line_id uuid not null references order_line(id),
  provider_id uuid not null references provider(id),
  site_id uuid not null references site(id),
  status text not null default 'draft' check (status in ('draft','validated','closed','dropped')),
  entry_date date not null,
  planned_exit_date date not null check (planned_exit_date >= entry_date),
  actual_exit_date date,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index path_order on path(order_id);
create index path_trainee on path(trainee_id);

create table positioning (
  path_id uuid primary key references path(id) on delete cascade,
  minutes int not null check (minutes > 0),
  evaluations text not null,
  restitution_on date,
  prior_learning text,
  competences text,
  recommended_exemptions text,
  recommended_minutes int,
  recommended_methods text,
  recommends_access_site boolean,
  recorded_by uuid references app_user(id),
  recorded_at timestamptz not null default now()
);

-- One planned line of a path: a module of the component (possibly exempted) or a company period.
create table path_item (
  id uuid primary key,
  path_id uuid not null references path(id) on delete cascade,
  module_id uuid references module(id),
  label text not null,
  modality text not null check (modality in ('centre','company','distance','self_study','gathering')),
  self_study_location text check (self_study_location in ('remote','centre')),
  planned_minutes int not null check (planned_minutes >= 0),
  exempted boolean not null default false,
  exemption_reason text,
  position int not null default 0,
  check (modality <> 'self_study' or self_study_location is not null),
  check (not exempted or (exemption_reason is not null and planned_minutes = 0))
);
create index path_item_path on path_item(path_id);

-- CP-PATH-READJUST: every change after validation, with its reason and both versions.
create table path_adjustment (
  id uuid primary key,
  path_id uuid not null references path(id) on delete cascade,
  reason text not null,
  before jsonb not null,
  after jsonb not null,
  adjusted_by uuid references app_user(id),
  adjusted_at timestamptz not null default now()
);

-- CP-DEPOSIT-MAX-200: the only money a trainee ever hands over (CP-FREE-OF-CHARGE).
create table deposit (
  id uuid primary key,
  path_id uuid not null references path(id),
  amount_cents int not null check (amount_cents > 0 and amount_cents <= 20000),
  material text not null check (length(trim(material)) > 0),
  taken_on date not null,
  refunded_on date,
  kept_reason text,
  recorded_by uuid references app_user(id),
  created_at timestamptz not null default now(),
  check (refunded_on is null or kept_reason is null)
);

-- Workflow transitions of any entity (who, when, from, to, reason).
create table transition_log (
  id bigserial primary key,
  entity text not null,
  entity_id uuid not null,
  from_status text,
  to_status text not null,
  reason text,
  actor_id uuid references app_user(id),
  at timestamptz not null default now()
);
create index transition_log_entity on transition_log(entity, entity_id);

-- Side effects are written here in the command's transaction and processed after commit.
create table outbox (
  id bigserial primary key,
  topic text not null,
  payload jsonb not null,
  created_at timestamptz not null default now(),
  processed_at timestamptz,
  attempts int not null default 0,
  last_error text
);
create index outbox_pending on outbox(id) where processed_at is null;

create table audit_log (
  id bigserial primary key,
  actor_id uuid,
  action text not null,
  entity text not null,
  entity_id text,
  details jsonb not null default '{}',
  at timestamptz not null default now()
);

create table idempotency_key (
  key text primary key,
  user_id uuid,
  response jsonb not null,
  created_at timestamptz not null default now()
);
`.execute(db);
}

export async function down(): Promise<void> {
  // Forward-only migrations (ARCHITECTURE.md).
}
