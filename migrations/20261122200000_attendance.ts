import { type Kysely, sql } from "kysely";

// Attendance (issue 4): the schedule (slots, closures), electronic signing with append-only
// evidence, realised minutes per trainee and slot, help requests, certificates.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
-- A scheduled time span with one modality, for a group or one trainee (glossary: slot).
create table slot (
  id uuid primary key,
  provider_id uuid not null references provider(id),
  order_line_id uuid not null references order_line(id),
  module_id uuid references module(id),
  site_id uuid references site(id),
  slot_date date not null,
  start_time time not null,
  end_time time not null check (end_time > start_time),
  -- The same span as instants (Europe/Paris → UTC), for signing windows.
  starts_at timestamptz not null,
  ends_at timestamptz not null check (ends_at > starts_at),
  modality text not null check (modality in ('centre','company','distance','self_study','gathering')),
  self_study_location text check (self_study_location in ('remote','centre')),
  trainer_id uuid references app_user(id),
  place text,
  virtual_room_url text,
  -- CP-SELFSTUDY-DEFINED: objectives, expected deliverables and resources of a self-study sequence.
  objectives text,
  deliverables text,
  resources text,
  -- A slot on a French public holiday needs an explicit override.
  holiday_override boolean not null default false,
  status text not null default 'planned' check (status in ('planned','open','closed','cancelled')),
  cancel_reason text,
  cancelled_for_trainer_absence boolean not null default false,
  replacement_trainer_id uuid references app_user(id),
  -- Scan of the paper sheet when devices or network failed.
  paper_attachment_id uuid references attachment(id),
  created_at timestamptz not null default now(),
  check (modality <> 'self_study' or (self_study_location is not null and objectives is not null and deliverables is not null))
);
create index slot_provider_date on slot(provider_id, slot_date);
create index slot_line on slot(order_line_id);

-- Trainees expected on a slot (one row for an individual slot, many for a group).
create table slot_trainee (
  slot_id uuid not null references slot(id) on delete cascade,
  path_id uuid not null references path(id),
  primary key (slot_id, path_id)
);
create index slot_trainee_path on slot_trainee(path_id);

-- CP-CLOSURE-MAX-2W: a site's administrative closure, 14 consecutive calendar days at most.
create table site_closure (
  id uuid primary key,
  site_id uuid not null references site(id),
  start_date date not null,
  end_date date not null,
  reason text not null,
  created_at timestamptz not null default now(),
  constraint cp_closure_max_2w check (end_date >= start_date and end_date - start_date <= 13)
);

-- One trainee's presence on one slot: at most one row (UNIQUE, never check-then-insert).
create table attendance (
  id uuid primary key,
  slot_id uuid not null references slot(id),
  path_id uuid not null references path(id),
  status text not null check (status in ('present','late','absent','excused')),
  late_minutes int not null default 0 check (late_minutes >= 0),
  -- Minutes this row proves; 0 for absences. Realised hours come from these rows only.
  realised_minutes int not null default 0 check (realised_minutes >= 0),
  method text not null check (method in ('qr','kiosk','paper','remote','self_study','tutor','trainer')),
  signed_at timestamptz,
  signature text,
  deliverable text,
  -- Client-generated id of an offline signature: a retried upload is accepted once.
  client_id text unique,
  recorded_by uuid references app_user(id),
  created_at timestamptz not null default now(),
  unique (slot_id, path_id),
  check (status in ('absent','excused') or signed_at is not null or method in ('paper','trainer')),
  check (status not in ('absent','excused') or realised_minutes = 0)
);
create index attendance_path on attendance(path_id);

-- The trainer's countersignature closing a sheet.
create table countersignature (
  slot_id uuid primary key references slot(id),
  trainer_id uuid not null references app_user(id),
  signature text not null,
  signed_at timestamptz not null
);

-- Append-only evidence, hash-chained per slot (sheet): every signature, countersignature,
-- correction and absence. Corrections are new entries, never updates.
create table evidence (
  id bigserial primary key,
  slot_id uuid not null references slot(id),
  seq int not null,
  kind text not null,
  actor_id uuid,
  actor_role text not null,
  path_id uuid,
  at timestamptz not null,
  ip text,
  user_agent text,
  method text,
  reason text,
  payload jsonb not null,
  payload_hash text not null,
  prev_hash text,
  hash text not null,
  unique (slot_id, seq)
);

-- Long-lived, device-bound sign-in of a trainee's phone (no password typing at 9:00).
create table device_session (
  id uuid primary key,
  trainee_id uuid not null references trainee(id),
  token_hash text not null unique,
  label text,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  last_seen_at timestamptz,
  revoked_at timestamptz
);

-- Single-use links for tutors and remote signing: only a hash of the token is stored.
create table signing_link (
  id uuid primary key,
  purpose text not null check (purpose in ('tutor','remote')),
  slot_id uuid references slot(id),
  path_id uuid references path(id),
  token_hash text not null unique,
  expires_at timestamptz not null,
  used_at timestamptz,
  created_at timestamptz not null default now()
);

-- CP-SELFSTUDY-ASSIST-2H: help requests during self-study and their response time.
create table help_request (
  id uuid primary key,
  slot_id uuid not null references slot(id),
  path_id uuid not null references path(id),
  question text not null,
  asked_at timestamptz not null,
  answered_at timestamptz,
  answered_by uuid references app_user(id),
  answer text
);

-- CP-CERTIFICATE-OF-COMPLETION: issued certificates, verifiable by their code.
create table certificate (
  id uuid primary key,
  path_id uuid not null references path(id),
  period_start date not null,
  period_end date not null,
  verification_code text not null unique,
  minutes jsonb not null,
  content_hash text not null,
  issued_by uuid references app_user(id),
  issued_at timestamptz not null default now()
);
`.execute(db);
}

export async function down(): Promise<void> {}
