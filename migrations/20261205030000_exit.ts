import { type Kysely, sql } from "kysely";

// Issue 12 (REQUIREMENTS §8): exit with its reason, follow-ups at exit / 3 / 6 months, exams and
// habilitations, catch-up, mock exams, soft skills and their Open Badges, satisfaction and the
// Region's surveys. The path's status itself stays in path (moved through PATH_TRANSITIONS).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create table path_exit (
  path_id uuid primary key references path(id),
  reason text not null check (reason in ('completed', 'employment', 'other_training', 'dropout', 'exclusion')),
  cause text,
  -- a drop-out or an exclusion gives its cause
  constraint path_exit_cause check (reason in ('completed', 'employment', 'other_training') or length(trim(coalesce(cause, ''))) > 0),
  action_plan text not null default '',
  email text not null,
  recorded_by uuid,
  recorded_at timestamptz not null
);

-- CP-EXIT-FOLLOWUP: the deadline after each milestone is a setting (the source gives no figure); one row.
create table exit_setting (
  id smallint primary key check (id = 1),
  followup_deadline_days integer not null check (followup_deadline_days >= 0),
  updated_by uuid,
  updated_at timestamptz not null default now()
);
insert into exit_setting (id, followup_deadline_days) values (1, 30);

create table follow_up (
  id uuid primary key,
  path_id uuid not null references path(id),
  milestone text not null check (milestone in ('exit', 'm3', 'm6')),
  situation text not null check (situation in ('employment', 'training', 'job_seeking', 'other', 'unknown')),
  contract_type text check (contract_type in ('cdi', 'cdd_6m_plus', 'cdd_under_6m', 'interim', 'apprenticeship', 'self_employed')),
  rome_code text check (rome_code ~ '^[A-N][0-9]{4}$'),
  in_target_sector boolean,
  -- a contract only for a situation in employment
  constraint follow_up_contract check (situation = 'employment' or (contract_type is null and rome_code is null and in_target_sector is null)),
  note text not null default '',
  recorded_by uuid,
  recorded_at timestamptz not null,
  unique (path_id, milestone)
);

create table follow_up_reminder (
  path_id uuid not null references path(id),
  milestone text not null,
  kind text not null check (kind in ('due', 'late')),
  sent_on date not null,
  primary key (path_id, milestone, kind)
);

-- CP-EXAMS: a component's targeted certifications (RNCP or RS code) and their skill blocks.
create table certification (
  id uuid primary key,
  provider_id uuid not null references provider(id),
  component_id uuid not null references component(id),
  kind text not null check (kind in ('RNCP', 'RS')),
  code text not null check (code ~ '^(RNCP|RS)[0-9]{1,6}$'),
  title text not null,
  skill_blocks jsonb not null default '[]',
  created_at timestamptz not null default now(),
  unique (component_id, code)
);

-- CP-HABILITATION: the certifier's habilitation on file, with its validity.
create table habilitation (
  id uuid primary key,
  certification_id uuid not null references certification(id),
  certifier text not null,
  reference text not null,
  valid_from date not null,
  valid_until date not null check (valid_until >= valid_from),
  attachment_id uuid references attachment(id),
  created_at timestamptz not null default now()
);

-- CP-PREP-EXAM-DATES: a specific preparation's exams or selections with their dates.
create table exam_date (
  id uuid primary key,
  component_id uuid not null references component(id),
  label text not null,
  kind text not null check (kind in ('written', 'oral', 'selection')),
  exam_on date not null
);

create table exam_registration (
  id uuid primary key,
  path_id uuid not null references path(id),
  certification_id uuid not null references certification(id),
  internal boolean not null,
  session_on date not null,
  second_session boolean not null default false,
  second_session_help text,
  -- CP-FREE-OF-CHARGE / CP-EXAMS: the trainee pays nothing for a first presentation; a fee may appear
  -- only on a second session after a failure.
  trainee_fee_cents integer check (trainee_fee_cents is null or (second_session and trainee_fee_cents >= 0)),
  result text check (result in ('passed', 'partial', 'failed', 'absent')),
  passed_blocks jsonb not null default '[]',
  result_recorded_at timestamptz,
  recorded_by uuid,
  created_at timestamptz not null
);
create index exam_registration_path on exam_registration(path_id);

-- CP-CATCHUP: an individual catch-up programme after a failure, on the same path.
create table catchup (
  id uuid primary key,
  path_id uuid not null references path(id),
  registration_id uuid not null references exam_registration(id),
  minutes integer not null check (minutes > 0),
  start_on date not null,
  end_on date not null check (end_on >= start_on),
  content text not null,
  recorded_by uuid,
  created_at timestamptz not null
);

-- CP-MOCK-EXAMS
create table mock_exam (
  id uuid primary key,
  path_id uuid not null references path(id),
  title text not null,
  taken_on date not null,
  score integer not null check (score >= 0),
  out_of integer not null check (out_of > 0 and score <= out_of),
  comment text not null default '',
  corrected_copy_id uuid references attachment(id),
  recorded_by uuid,
  created_at timestamptz not null
);

-- CP-SOFT-SKILLS: the Region's yearly top-6 list, then each trainee's three steps.
create table soft_skill (
  id uuid primary key,
  year integer not null,
  position integer not null check (position between 1 and 6),
  title text not null,
  description text not null default '',
  unique (year, position)
);

create table soft_skill_step (
  id uuid primary key,
  path_id uuid not null references path(id),
  soft_skill_id uuid not null references soft_skill(id),
  step text not null check (step in ('identify', 'develop', 'evaluate')),
  observation text not null,
  validated boolean not null default false,
  recorded_by uuid,
  recorded_at timestamptz not null
);
create index soft_skill_step_path on soft_skill_step(path_id);

-- Open Badges 3.0: the signed credential as issued (VC-JWT) and its place in the status list.
create sequence badge_status_index start 0 minvalue 0;
create table badge (
  id uuid primary key,
  path_id uuid not null references path(id),
  soft_skill_id uuid not null references soft_skill(id),
  status_index integer not null unique default nextval('badge_status_index'),
  credential jsonb not null,
  jwt text not null,
  issued_by uuid,
  issued_at timestamptz not null,
  revoked_at timestamptz,
  revoked_reason text,
  unique (path_id, soft_skill_id)
);

-- CP-SATISFACTION: the Region's questions; a personal link per path; answers kept without the path.
create table satisfaction_question (
  id uuid primary key,
  position integer not null,
  kind text not null check (kind in ('likert', 'text')),
  label text not null,
  active boolean not null default true
);
insert into satisfaction_question (id, position, kind, label) values
  ('5a7e0000-0000-4000-8000-000000000001', 1, 'likert', 'La formation a répondu à mes attentes.'),
  ('5a7e0000-0000-4000-8000-000000000002', 2, 'likert', 'Les formateurs étaient disponibles et clairs.'),
  ('5a7e0000-0000-4000-8000-000000000003', 3, 'likert', 'Les locaux et le matériel étaient adaptés.'),
  ('5a7e0000-0000-4000-8000-000000000004', 4, 'likert', 'Je recommanderais cette formation.'),
  ('5a7e0000-0000-4000-8000-000000000005', 5, 'text', 'Que faudrait-il améliorer ?');

create table satisfaction_link (
  path_id uuid primary key references path(id),
  token_hash text not null unique,
  sent_on date not null,
  answered_at timestamptz
);

create table satisfaction_answer (
  id uuid primary key,
  provider_id uuid not null references provider(id),
  component_id uuid not null references component(id),
  answers jsonb not null,
  comment text not null default '',
  answered_on date not null
);

-- CP-REGION-SURVEYS: 6 and 18 months after exit, by a personal link.
create table region_survey (
  id uuid primary key,
  path_id uuid not null references path(id),
  wave integer not null check (wave in (6, 18)),
  token_hash text not null unique,
  sent_on date not null,
  answered_at timestamptz,
  situation text check (situation in ('employment', 'training', 'job_seeking', 'other')),
  satisfaction integer check (satisfaction between 1 and 5),
  comment text,
  unique (path_id, wave)
);

create table survey_unsubscribe (
  trainee_id uuid primary key references trainee(id),
  at timestamptz not null
);
`.execute(db);
}

export async function down(): Promise<void> {}
