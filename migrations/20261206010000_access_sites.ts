import { type Kysely, sql } from "kysely";

// Occitanie e-formation access sites (CP-EFORM-SITES, CCTP §3.3): the Region's network of rooms with
// PCs, and the seats providers reserve there for the distance slots of hybrid and e-formation paths.
// A seat is never double-booked and a trainee never booked in two places at once: both are
// exclusion constraints on the slot's time range (btree_gist, ADR 0019), so no path around the use
// cases — and no race between two bookings — can break them.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create extension if not exists btree_gist;

create table access_site (
  id uuid primary key,
  name text not null,
  address text not null,
  postcode text not null check (postcode ~ '^[0-9]{5}$'),
  commune text not null,
  insee_code text not null check (insee_code ~ '^[0-9][0-9AB][0-9]{3}$'),
  departement_code text not null references departement(code),
  opening_hours text not null,
  contact_name text not null,
  contact_email text,
  contact_phone text,
  active boolean not null default true,
  created_at timestamptz not null default now()
);
create unique index access_site_name on access_site (lower(name));

create table access_site_room (
  id uuid primary key,
  access_site_id uuid not null references access_site(id) on delete cascade,
  name text not null,
  pcs int not null check (pcs between 1 and 200),
  unique (access_site_id, name)
);

-- One row per PC of a room: a booking holds one of them, so a room's capacity is its PC count.
create table access_site_seat (
  room_id uuid not null references access_site_room(id) on delete cascade,
  seat_no int not null check (seat_no >= 1),
  primary key (room_id, seat_no)
);

create table seat_booking (
  id uuid primary key,
  provider_id uuid not null references provider(id),
  slot_id uuid not null references slot(id) on delete cascade,
  path_id uuid not null references path(id),
  trainee_id uuid not null references trainee(id),
  access_site_id uuid not null references access_site(id),
  room_id uuid not null references access_site_room(id),
  seat_no int not null,
  slot_date date not null,
  during tstzrange not null check (not isempty(during)),
  status text not null default 'booked' check (status in ('booked','arrived','no_show','cancelled')),
  cancel_reason text check (cancel_reason in ('home','no_show_day','staff')),
  booked_by uuid references app_user(id),
  booked_at timestamptz not null default now(),
  status_by uuid references app_user(id),
  status_at timestamptz,
  foreign key (room_id, seat_no) references access_site_seat(room_id, seat_no),
  check ((status = 'cancelled') = (cancel_reason is not null)),
  -- CP-EFORM-SITES: one trainee per PC at any instant, and one place per trainee at any instant.
  constraint seat_booking_seat_free exclude using gist (room_id with =, seat_no with =, during with &&) where (status in ('booked','arrived')),
  constraint seat_booking_trainee_once exclude using gist (trainee_id with =, during with &&) where (status in ('booked','arrived'))
);
create index seat_booking_site_day on seat_booking (access_site_id, slot_date);
create index seat_booking_path_day on seat_booking (path_id, slot_date);
create index seat_booking_slot on seat_booking (slot_id);

-- CP-EFORM-REGIONAL-RECRUIT: the département a candidate lives in (e-formation recruits region-wide;
-- each session reports its trainees per département).
alter table candidate add column residence_departement_code text references departement(code);
`.execute(db);
}
