import { type Kysely, sql } from "kysely";

// Occitanie e-formation, the rest of issue 14 (CCTP §3.3): gatherings and the Region's authorisation of
// any other than the welcome day and exams (CP-EFORM-GATHERINGS), deliveries at the welcome day
// (CP-EFORM-WELCOME-DAY), the virtual-class tool and platform the Region reviews (CP-WEBCONF), and the
// individual training protocol signed by provider and trainee (CP-PROTOCOL).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
-- CP-EFORM-GATHERINGS: an argued request for a gathering other than the welcome day or an exam;
-- the Region authorises or refuses it with its reason (GATHERING_REQUEST_TRANSITIONS).
create table eformation_gathering_request (
  id uuid primary key,
  session_id uuid not null references session(id),
  provider_id uuid not null references provider(id),
  gathering_date date not null,
  place text not null check (length(trim(place)) between 1 and 300),
  argument text not null check (length(trim(argument)) between 1 and 4000),
  status text not null default 'filed' check (status in ('filed','authorised','refused','withdrawn')),
  region_reason text check (region_reason is null or length(region_reason) <= 2000),
  filed_by uuid references app_user(id),
  filed_at timestamptz not null,
  decided_by uuid references app_user(id),
  decided_at timestamptz,
  check (status <> 'refused' or region_reason is not null)
);
create index eformation_gathering_request_session on eformation_gathering_request(session_id);

-- CP-EFORM-GATHERINGS, CP-EFORM-WELCOME-DAY: the physical gatherings of a session; an "other" one
-- stands on an authorised request (used once).
create table eformation_gathering (
  id uuid primary key,
  session_id uuid not null references session(id),
  provider_id uuid not null references provider(id),
  kind text not null check (kind in ('welcome_day','exam','other')),
  gathering_date date not null,
  place text not null check (length(trim(place)) between 1 and 300),
  request_id uuid unique references eformation_gathering_request(id),
  created_by uuid references app_user(id),
  created_at timestamptz not null,
  check ((kind = 'other') = (request_id is not null))
);
create index eformation_gathering_session on eformation_gathering(session_id, gathering_date);
-- One welcome day per session.
create unique index eformation_gathering_one_welcome on eformation_gathering(session_id) where kind = 'welcome_day';

-- CP-EFORM-WELCOME-DAY: what each trainee received at the welcome day, one row per trainee × item.
create table eformation_delivery (
  gathering_id uuid not null references eformation_gathering(id),
  path_id uuid not null references path(id),
  item text not null check (item in ('contract','calendar','materials')),
  recorded_by uuid references app_user(id),
  recorded_at timestamptz not null,
  primary key (path_id, item)
);
create index eformation_delivery_gathering on eformation_delivery(gathering_id);

-- CP-WEBCONF: a component's virtual-class tool (its capability checklist) and learning platform,
-- reviewed by the Region; a new declaration goes back to review.
create table eformation_webconf (
  component_id uuid primary key references component(id),
  provider_id uuid not null references provider(id),
  tool_name text not null check (length(trim(tool_name)) between 1 and 200),
  audio_video_16 boolean not null,
  screen_sharing boolean not null,
  remote_control boolean not null,
  whiteboard boolean not null,
  file_transfer boolean not null,
  platform text not null check (platform in ('own','region_moodle')),
  platform_name text check (platform_name is null or length(platform_name) <= 200),
  platform_url text check (platform_url is null or length(platform_url) <= 500),
  check (platform = 'region_moodle' or (platform_name is not null and platform_url is not null)),
  status text not null default 'submitted' check (status in ('submitted','accepted','refused')),
  region_reason text check (region_reason is null or length(region_reason) <= 2000),
  check (status <> 'refused' or region_reason is not null),
  submitted_by uuid references app_user(id),
  submitted_at timestamptz not null,
  decided_by uuid references app_user(id),
  decided_at timestamptz
);

-- CP-PROTOCOL: the individual training protocol as sent for signature (its content frozen as JSON,
-- hashed); a new version replaces the previous one for signing.
create table eformation_protocol (
  id uuid primary key,
  path_id uuid not null references path(id),
  provider_id uuid not null references provider(id),
  version integer not null,
  content jsonb not null,
  content_hash text not null,
  sent_by uuid references app_user(id),
  sent_at timestamptz not null,
  unique (path_id, version)
);

create table eformation_protocol_signature (
  id uuid primary key,
  protocol_id uuid not null references eformation_protocol(id),
  party text not null check (party in ('trainee','provider')),
  content_hash text not null,
  signer_name text not null check (length(trim(signer_name)) between 1 and 200),
  method text not null check (method in ('link','app')),
  user_id uuid references app_user(id),
  signed_at timestamptz not null,
  unique (protocol_id, party)
);

-- The trainee's personal signing link (token stored hashed, expires; same mechanism as the agreements).
create table eformation_protocol_link (
  id uuid primary key,
  protocol_id uuid not null references eformation_protocol(id),
  token_hash text not null unique,
  expires_at timestamptz not null,
  revoked_at timestamptz,
  created_at timestamptz not null default now()
);
create index eformation_protocol_link_protocol on eformation_protocol_link(protocol_id);
`.execute(db);
}
