import { type Kysely, sql } from "kysely";

// The Region's desk (issue 13): the provider's bank details, contacts and certificate (CP-MODIFICATION-REQUESTS,
// CP-QUALIOPI), site facts (CP-SITES), trainers with their CV (CP-TRAINER-CHANGE), change requests
// (CP-ORDER-CHANGES, CP-MODIFICATION-REQUESTS) and forbidden-contribution findings (CP-CONTRIBUTION-RECOVERY).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
alter table provider
  add column iban text check (iban is null or iban ~ '^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$'),
  add column bic text check (bic is null or bic ~ '^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$'),
  add column bank_account_holder text,
  add column contact_email text,
  add column contact_phone text,
  add column qualiopi_kind text check (qualiopi_kind is null or qualiopi_kind in ('qualiopi','certif_region')),
  add column qualiopi_issuer text,
  add column qualiopi_valid_from date;

-- CP-SITES: what the specification asks of a site, recorded as facts (never assumed).
alter table site
  add column has_phone boolean not null default false,
  add column has_internet boolean not null default false,
  add column has_break_room boolean not null default false,
  add column has_trainers_office boolean not null default false,
  add column accessibility_note text;

-- CP-TRAINER-CHANGE: the provider's trainers, their qualifications and CV (a stored attachment).
create table trainer (
  id uuid primary key,
  provider_id uuid not null references provider(id),
  full_name text not null check (length(trim(full_name)) > 0),
  qualifications text not null default '',
  cv_attachment_id uuid references attachment(id),
  active boolean not null default true,
  created_by uuid references app_user(id),
  created_at timestamptz not null default now()
);
create index trainer_provider on trainer(provider_id);

-- CP-MODIFICATION-REQUESTS, CP-ORDER-CHANGES: a request the provider files, the Region decides.
create table change_request (
  id uuid primary key,
  provider_id uuid not null references provider(id),
  order_id uuid references "order"(id),
  kind text not null check (kind in ('bank_details','contacts','siret','legal_representative','address','order_dates','site','certification','new_site','new_component','new_module','drop_component')),
  payload jsonb not null,
  reason text not null check (length(trim(reason)) > 0),
  status text not null default 'filed' check (status in ('filed','accepted','refused','withdrawn')),
  decision_reason text,
  before jsonb,
  filed_by uuid not null references app_user(id),
  filed_at timestamptz not null default now(),
  decided_by uuid references app_user(id),
  decided_at timestamptz,
  check ((status in ('accepted','refused')) = (decided_at is not null)),
  check (status <> 'refused' or decision_reason is not null)
);
create index change_request_provider on change_request(provider_id, filed_at);
create index change_request_status on change_request(status);

create table change_request_attachment (
  change_request_id uuid not null references change_request(id) on delete cascade,
  attachment_id uuid not null references attachment(id),
  primary key (change_request_id, attachment_id)
);

-- CP-CONTRIBUTION-RECOVERY: a forbidden contribution a trainee paid, the refund required, the claim.
create table contribution_finding (
  id uuid primary key,
  provider_id uuid not null references provider(id),
  trainee_id uuid not null references trainee(id),
  found_on date not null,
  amount_cents int not null check (amount_cents > 0),
  description text not null check (length(trim(description)) > 0),
  refund_due_on date not null,
  refunded_on date,
  refund_proof_attachment_id uuid references attachment(id),
  recovery_cents int check (recovery_cents is null or recovery_cents > 0),
  recovery_claimed_on date,
  recorded_by uuid references app_user(id),
  created_at timestamptz not null default now(),
  check ((refunded_on is null) = (refund_proof_attachment_id is null)),
  check ((recovery_cents is null) = (recovery_claimed_on is null))
);
create index contribution_finding_provider on contribution_finding(provider_id);
create index contribution_finding_trainee on contribution_finding(trainee_id);
`.execute(db);
}
