import { type Kysely, sql } from "kysely";

// Company periods and the trainee's follow-up during training (CCTP §3.1.5, §3.2.1.4, §2.4, §2.6, §2.7):
// the provider's network of host companies and tutors, the periods of a path with their tripartite
// agreement, its signatures, the personal links of trainee and tutor, visits and reviews; the
// referent's follow-up and drop-out alerts; the welcome booklet's delivery; work stoppages and accidents.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
-- CP-COMPANY-NETWORK: the provider's partner companies (SIRET checked by the use case, Luhn).
create table company (
  id uuid primary key,
  provider_id uuid not null references provider(id),
  siret text not null check (siret ~ '^[0-9]{14}$'),
  name text not null check (length(trim(name)) > 0),
  address text not null default '',
  postcode text not null default '',
  commune text not null default '',
  commune_insee text check (commune_insee is null or commune_insee ~ '^[0-9][0-9AB][0-9]{3}$'),
  latitude double precision,
  longitude double precision,
  sector text not null default '',
  rome_codes text[] not null default '{}',
  found_by_trainee boolean not null default false,
  created_by uuid references app_user(id),
  created_at timestamptz not null default now(),
  unique (provider_id, siret)
);

create table company_tutor (
  id uuid primary key,
  company_id uuid not null references company(id),
  provider_id uuid not null references provider(id),
  full_name text not null check (length(trim(full_name)) > 0),
  job_title text not null default '',
  email text,
  phone text,
  created_at timestamptz not null default now()
);
create index company_tutor_company on company_tutor(company_id);

-- A filtered list of the network shared with a trainee looking for a placement (CP-COMPANY-NETWORK).
create table company_share (
  id uuid primary key,
  provider_id uuid not null references provider(id),
  trainee_id uuid not null references trainee(id),
  company_ids uuid[] not null,
  note text,
  shared_by uuid references app_user(id),
  created_at timestamptz not null default now()
);
create index company_share_trainee on company_share(trainee_id);

-- A company period of a path and its tripartite agreement (CP-INTERNSHIP-AGREEMENT).
create table company_period (
  id uuid primary key,
  provider_id uuid not null references provider(id),
  path_id uuid not null references path(id),
  company_id uuid not null references company(id),
  tutor_id uuid not null references company_tutor(id),
  follow_up_trainer_id uuid references app_user(id),
  place text not null check (place in ('region','france','abroad')),
  country text,
  work_address text not null default '',
  start_date date not null,
  end_date date not null check (end_date >= start_date),
  -- CP-COMPANY-MAX-70H: one period alone never exceeds 70 h (all periods together: the use case).
  planned_minutes integer not null check (planned_minutes > 0 and planned_minutes <= 4200),
  -- CP-WEEKLY-LEGAL: no more than 35 h a week in company.
  weekly_minutes integer not null check (weekly_minutes > 0 and weekly_minutes <= 2100),
  timetable text not null default '',
  status text not null default 'preparing' check (status in ('preparing','in_progress','closed','cancelled')),
  precontact_on date,
  precontact_notes text,
  nature text not null default '',
  objectives text not null default '',
  pedagogical_objectives text not null default '',
  position_held text not null default '',
  follow_up_modalities text not null default '',
  -- CP-COMPANY-OUTSIDE-OPENING: hours outside the centre's opening need this and a reachable contact.
  outside_opening boolean not null default false,
  centre_contact text,
  agreement_version integer not null default 1,
  agreement_hash text not null,
  agreement_sent_at timestamptz,
  -- CP-INTERNSHIP-ABROAD: the two certificates (attachments) and the Region's waiver of the visit.
  civil_liability_attachment_id uuid references attachment(id),
  social_cover_attachment_id uuid references attachment(id),
  visit_waiver_reason text,
  visit_waiver_by uuid references app_user(id),
  visit_waiver_at timestamptz,
  created_by uuid references app_user(id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index company_period_path on company_period(path_id);
create index company_period_provider on company_period(provider_id);

-- Each act of signature, with the hash of exactly the version signed; signing twice is harmless.
create table agreement_signature (
  id uuid primary key,
  period_id uuid not null references company_period(id),
  party text not null check (party in ('trainee','tutor','provider')),
  version integer not null,
  content_hash text not null,
  signer_name text not null,
  method text not null check (method in ('link','app')),
  user_id uuid references app_user(id),
  signed_at timestamptz not null,
  unique (period_id, party, content_hash)
);

-- Personal links of the trainee and the tutor (token stored hashed, expires, renewed by e-mail).
create table internship_link (
  id uuid primary key,
  period_id uuid not null references company_period(id),
  party text not null check (party in ('trainee','tutor')),
  token_hash text not null unique,
  expires_at timestamptz not null,
  revoked_at timestamptz,
  created_at timestamptz not null default now()
);
create index internship_link_period on internship_link(period_id, party);

-- CP-INTERNSHIP-VISIT: planned, then recorded.
create table company_visit (
  id uuid primary key,
  period_id uuid not null references company_period(id),
  planned_on date,
  visited_on date,
  met text,
  observations text,
  recorded_by uuid references app_user(id),
  created_at timestamptz not null default now()
);
create index company_visit_period on company_visit(period_id);

-- CP-INTERNSHIP-REVIEW: one review per party and period.
create table internship_review (
  id uuid primary key,
  period_id uuid not null references company_period(id),
  party text not null check (party in ('tutor','referent','trainee')),
  author_name text not null,
  activities text not null default '',
  skills text not null default '',
  progress text not null default '',
  appreciation text not null default '',
  submitted_at timestamptz not null,
  unique (period_id, party)
);

-- CP-REFERENT-FOLLOWUP: meetings, peripheral barriers, resources mobilised.
create table followup_entry (
  id uuid primary key,
  provider_id uuid not null references provider(id),
  trainee_id uuid not null references trainee(id),
  met_on date not null,
  notes text not null default '',
  barriers text[] not null default '{}' check (barriers <@ array['mobility','childcare','housing','health','digital','financial','other']::text[]),
  resources text not null default '',
  recorded_by uuid references app_user(id),
  created_at timestamptz not null default now()
);
create index followup_entry_trainee on followup_entry(trainee_id);

create table dropout_alert (
  id uuid primary key,
  provider_id uuid not null references provider(id),
  trainee_id uuid not null references trainee(id),
  reason text not null check (reason in ('absences','barrier')),
  details text not null,
  prescriber_email text,
  raised_by uuid references app_user(id),
  raised_at timestamptz not null
);
create index dropout_alert_trainee on dropout_alert(trainee_id);

-- CP-WELCOME, CP-CATERING-LODGING-INFO: what the booklet says that the platform does not know otherwise.
create table welcome_settings (
  provider_id uuid primary key references provider(id),
  internal_rules_attachment_id uuid references attachment(id),
  commitments text not null default '',
  catering text,
  lodging text,
  updated_at timestamptz not null default now()
);

create table welcome_delivery (
  id uuid primary key,
  provider_id uuid not null references provider(id),
  path_id uuid not null references path(id),
  delivered_on date not null,
  how text not null,
  booklet_sha256 text not null,
  recorded_by uuid references app_user(id),
  created_at timestamptz not null default now()
);
create index welcome_delivery_path on welcome_delivery(path_id);

-- CP-SOCIAL-PROTECTION-FORMS: no pay data is kept.
create table trainee_social_cover (
  trainee_id uuid primary key references trainee(id),
  provider_id uuid not null references provider(id),
  region_provides boolean not null,
  updated_at timestamptz not null default now()
);

create table work_incident (
  id uuid primary key,
  provider_id uuid not null references provider(id),
  trainee_id uuid not null references trainee(id),
  kind text not null check (kind in ('stoppage','accident')),
  occurred_on date not null,
  start_date date,
  end_date date check (end_date is null or start_date is null or end_date >= start_date),
  description text not null default '',
  forms_generated_at timestamptz,
  sent_on date,
  sent_to text,
  recorded_by uuid references app_user(id),
  created_at timestamptz not null default now()
);
create index work_incident_trainee on work_incident(trainee_id);
`.execute(db);
}

export async function down(): Promise<void> {}
