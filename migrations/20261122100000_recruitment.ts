import { type Kysely, sql } from "kysely";

// Recruitment (issue 3): published sessions and information meetings, candidates and candidacies
// from prescriptions, paper forms, continuation slips or direct e-formation registration, the
// versioned refusal reasons, attachments and the stored notifications.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
-- A dated run of an ordered component at a site (glossary: session; LHEO session).
create table session (
  id uuid primary key,
  provider_id uuid not null references provider(id),
  order_line_id uuid not null references order_line(id),
  site_id uuid references site(id),
  start_date date not null,
  end_date date not null check (end_date >= start_date),
  places int not null check (places > 0),
  recruitment_open boolean not null default true,
  recruitment_start date,
  recruitment_end date,
  published_at timestamptz,
  created_at timestamptz not null default now()
);
create index session_order_line on session(order_line_id);
create index session_provider on session(provider_id);

-- CP-INFO-SESSIONS / CP-INFO-CONTENT: collective information meetings and what they cover.
create table info_meeting (
  id uuid primary key,
  provider_id uuid not null references provider(id),
  order_line_id uuid not null references order_line(id),
  session_id uuid references session(id),
  meeting_date date not null,
  start_time time not null,
  end_time time not null check (end_time > start_time),
  site_id uuid references site(id),
  place text,
  remote_url text,
  content jsonb not null default '{}',
  published_at timestamptz,
  created_at timestamptz not null default now(),
  check (site_id is not null or place is not null or remote_url is not null)
);
create index info_meeting_order_line on info_meeting(order_line_id);

-- Files handed over with a paper prescription (the form) and similar evidence.
create table attachment (
  id uuid primary key,
  provider_id uuid references provider(id),
  filename text not null,
  content_type text not null,
  size_bytes int not null check (size_bytes between 1 and 10485760),
  sha256 text not null,
  bytes bytea not null,
  uploaded_by uuid references app_user(id),
  created_at timestamptz not null default now()
);

-- A person applying; identity kept minimal (no social-security number).
create table candidate (
  id uuid primary key,
  first_name text not null,
  last_name text not null,
  birth_date date not null,
  email text,
  phone text,
  france_travail_id text check (france_travail_id is null or france_travail_id ~ '^([0-9]{7}[0-9A-Z]|[0-9]{11})$'),
  job_seeker_registered boolean not null default false,
  -- 2019 level (1–8) of the highest diploma held, for CP-PREP-PRIORITY.
  highest_diploma_level int check (highest_diploma_level between 1 and 8),
  created_at timestamptz not null default now()
);

-- Versioned list of reasons for not retaining a candidate (a new wording is a new version).
create table refusal_reason (
  code text not null,
  version int not null,
  label text not null,
  active boolean not null default true,
  primary key (code, version)
);

create table candidacy (
  id uuid primary key,
  candidate_id uuid not null references candidate(id),
  session_id uuid not null references session(id),
  provider_id uuid not null references provider(id),
  origin text not null check (origin in ('dematerialised','paper','continuation','direct_eformation')),
  prescriber_organisation_id uuid references prescriber_organisation(id),
  prescriber_user_id uuid references app_user(id),
  entered_by uuid references app_user(id),
  status text not null default 'received' check (status in ('received','invited','summoned','selected','waiting_list','not_retained','entered','withdrawn')),
  project text,
  support_given text,
  attachment_id uuid references attachment(id),
  -- Selection assessment (higher is better); equal scores rank continuations first (CP-CONTINUATION-PRIORITY).
  assessment_score int check (assessment_score between 0 and 100),
  refusal_reason_code text,
  refusal_reason_version int,
  message_to_candidate text,
  message_to_prescriber text,
  continuation_justification text,
  -- CP-ELIGIBLE-PUBLIC: help given to register with France Travail.
  registration_help text,
  summoned_for date,
  path_id uuid references path(id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  foreign key (refusal_reason_code, refusal_reason_version) references refusal_reason(code, version),
  check (origin <> 'dematerialised' or prescriber_organisation_id is not null),
  check (status <> 'not_retained' or refusal_reason_code is not null),
  check (status <> 'entered' or path_id is not null)
);
create index candidacy_session on candidacy(session_id);
create index candidacy_provider on candidacy(provider_id);
create index candidacy_prescriber on candidacy(prescriber_organisation_id);

-- CP-CONTINUATION-SLIP: the fiche navette from provider 1 to provider 2 and the prescriber.
create table continuation_slip (
  id uuid primary key,
  candidacy_id uuid not null unique references candidacy(id),
  from_provider_id uuid references provider(id),
  from_provider_name text not null,
  from_scheme text not null check (from_scheme in ('prf_prequalifying','qualif_pro_parcours_qualifiants','qualif_pro_competences_plus')),
  from_action text,
  prescriber_organisation_id uuid references prescriber_organisation(id),
  -- CP-CONTINUATION-ENTRY: who entered it (prescriber with a dematerialised tool, or provider 2).
  entered_by uuid references app_user(id),
  entered_by_role text not null check (entered_by_role in ('prescriber','provider')),
  received_on date not null,
  answered_on date,
  answer text check (answer in ('entry','refusal')),
  answer_entry_date date,
  answer_reason text,
  created_at timestamptz not null default now(),
  check ((answer is null) = (answered_on is null)),
  check (answer <> 'entry' or answer_entry_date is not null),
  check (answer <> 'refusal' or answer_reason is not null)
);

-- Every message the platform sends is a stored row first (who was told what, when).
create table notification (
  id uuid primary key,
  recipient_email text not null,
  recipient_user_id uuid references app_user(id),
  subject text not null,
  body_text text not null,
  entity text,
  entity_id uuid,
  status text not null default 'pending' check (status in ('pending','sent','failed')),
  attempts int not null default 0,
  last_error text,
  next_attempt_at timestamptz not null default now(),
  sent_at timestamptz,
  created_at timestamptz not null default now()
);
create index notification_pending on notification(next_attempt_at) where status = 'pending';
create index notification_entity on notification(entity, entity_id);

alter table outbox add column next_attempt_at timestamptz not null default now();
`.execute(db);
}

export async function down(): Promise<void> {}
