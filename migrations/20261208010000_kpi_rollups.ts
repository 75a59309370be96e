import { type Kysely, sql } from "kysely";

// The dashboard's rollups (issue 13 Speed, docs/adr/0034-kpi-rollups-kept-by-triggers.md): the figures the
// Region's dashboard sums over paths, their plans, positioning and proved presences, kept EXACTLY fresh in
// the transaction of every write by statement-level triggers, so the dashboard never scans attendance.
// - kpi_path_figure: per path, its cohort key (order, order line, site, status, entry date) and its
//   contribution: one `path` row, its planned minutes per modality and location, its positioning, its
//   realised minutes (proved presences, slot not cancelled) per slot modality and location.
// - kpi_cohort_figure: the same summed per cohort key (what the dashboard reads, joined to the order,
//   the order line's component and the site's département for the filters).
// kpi_refresh_paths(ids) recomputes the given paths from the base tables and moves the difference into
// the cohorts: idempotent, so a statement touching a path many times (or a cascade) stays exact.
// The proved-presence predicate copies attendance/proof.ts provedPresence (change both, in a new migration).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create table kpi_path_figure (
  path_id uuid not null,
  order_id uuid not null,
  order_line_id uuid not null,
  site_id uuid not null,
  status text not null,
  entry_date date not null,
  kind text not null check (kind in ('path', 'planned', 'positioning', 'realised')),
  modality text not null,
  location text not null,
  minutes bigint not null,
  primary key (path_id, kind, modality, location)
);

create table kpi_cohort_figure (
  order_id uuid not null,
  order_line_id uuid not null,
  site_id uuid not null,
  status text not null,
  entry_date date not null,
  kind text not null check (kind in ('path', 'planned', 'positioning', 'realised')),
  modality text not null,
  location text not null,
  paths int not null,
  minutes bigint not null,
  primary key (order_id, order_line_id, site_id, status, entry_date, kind, modality, location)
);
create index kpi_cohort_figure_line on kpi_cohort_figure(order_line_id);
create index kpi_cohort_figure_empty on kpi_cohort_figure(order_id) where paths = 0;

-- What each path contributes now, from the base tables (the paths given; none for a deleted path).
create function kpi_path_figures(ids uuid[]) returns table (
  path_id uuid, order_id uuid, order_line_id uuid, site_id uuid, status text, entry_date date, kind text, modality text, location text, minutes bigint
) language sql stable as $fn$
  with p as (select p.id, p.order_id, p.order_line_id, p.site_id, p.status, p.entry_date from path p join unnest(ids) x(id) on x.id = p.id)
  select p.*, 'path', '', '', 0::bigint from p
  union all
  select p.*, 'planned', i.modality, coalesce(i.self_study_location, ''), sum(i.planned_minutes)::bigint
  from p join path_item i on i.path_id = p.id group by p.id, p.order_id, p.order_line_id, p.site_id, p.status, p.entry_date, i.modality, i.self_study_location
  union all
  select p.*, 'positioning', '', '', pos.minutes::bigint from p join positioning pos on pos.path_id = p.id
  union all
  select p.*, 'realised', s.modality, coalesce(s.self_study_location, ''), sum(a.realised_minutes)::bigint
  from p join attendance a on a.path_id = p.id join slot s on s.id = a.slot_id
  where s.status <> 'cancelled' and (a.status in ('present', 'late') and (
    (a.signed_at is not null and a.signature is not null)
    or (a.method = 'paper' and s.paper_attachment_id is not null
        and exists (select 1 from countersignature cs_proof where cs_proof.slot_id = a.slot_id))))
  group by p.id, p.order_id, p.order_line_id, p.site_id, p.status, p.entry_date, s.modality, s.self_study_location
$fn$;

create function kpi_refresh_paths(ids uuid[]) returns void language plpgsql as $fn$
begin
  if ids is null or cardinality(ids) = 0 then return; end if;
  -- One refresh of a path at a time: a concurrent one waits here, then reads what the first committed.
  -- (A row lock, not an advisory one: a bulk statement may refresh a region's paths at once.)
  perform 1 from path p join (select distinct x from unnest(ids) x) i on i.x = p.id order by p.id for no key update of p;
  with old as (delete from kpi_path_figure f using (select distinct x from unnest(ids) x) i where f.path_id = i.x returning f.*),
  gone as (
    select o.order_id, o.order_line_id, o.site_id, o.status, o.entry_date, o.kind, o.modality, o.location, count(*)::int as n, sum(o.minutes)::bigint as m
    from old o group by 1, 2, 3, 4, 5, 6, 7, 8)
  update kpi_cohort_figure c set paths = c.paths - g.n, minutes = c.minutes - g.m from gone g
  where c.order_id = g.order_id and c.order_line_id = g.order_line_id and c.site_id = g.site_id and c.status = g.status
    and c.entry_date = g.entry_date and c.kind = g.kind and c.modality = g.modality and c.location = g.location;
  delete from kpi_cohort_figure where paths = 0;
  with fresh as (insert into kpi_path_figure select * from kpi_path_figures(ids) returning *)
  insert into kpi_cohort_figure (order_id, order_line_id, site_id, status, entry_date, kind, modality, location, paths, minutes)
  select f.order_id, f.order_line_id, f.site_id, f.status, f.entry_date, f.kind, f.modality, f.location, count(*)::int, sum(f.minutes)::bigint
  from fresh f group by 1, 2, 3, 4, 5, 6, 7, 8
  on conflict (order_id, order_line_id, site_id, status, entry_date, kind, modality, location)
  do update set paths = kpi_cohort_figure.paths + excluded.paths, minutes = kpi_cohort_figure.minutes + excluded.minutes;
  delete from kpi_cohort_figure where paths = 0;
end
$fn$;

-- The triggers: statement level (one refresh per statement, whatever its size), on what a figure depends on.
create function kpi_on_path() returns trigger language plpgsql as $fn$
begin
  if tg_op = 'INSERT' then perform kpi_refresh_paths(array(select id from new_rows));
  elsif tg_op = 'DELETE' then perform kpi_refresh_paths(array(select id from old_rows));
  else perform kpi_refresh_paths(array(
    select n.id from new_rows n join old_rows o on o.id = n.id
    where (n.order_id, n.order_line_id, n.site_id, n.status, n.entry_date) is distinct from (o.order_id, o.order_line_id, o.site_id, o.status, o.entry_date)));
  end if;
  return null;
end
$fn$;

create function kpi_on_path_child() returns trigger language plpgsql as $fn$
begin
  if tg_op = 'INSERT' then perform kpi_refresh_paths(array(select distinct path_id from new_rows));
  elsif tg_op = 'DELETE' then perform kpi_refresh_paths(array(select distinct path_id from old_rows));
  else perform kpi_refresh_paths(array(select path_id from new_rows union select path_id from old_rows));
  end if;
  return null;
end
$fn$;

create function kpi_on_attendance() returns trigger language plpgsql as $fn$
begin
  if tg_op = 'INSERT' then perform kpi_refresh_paths(array(select distinct path_id from new_rows));
  elsif tg_op = 'DELETE' then perform kpi_refresh_paths(array(select distinct path_id from old_rows));
  else perform kpi_refresh_paths(array(
    select x.path_id from new_rows n join old_rows o on o.id = n.id, lateral (values (n.path_id), (o.path_id)) x(path_id)
    where (n.slot_id, n.path_id, n.status, n.realised_minutes, n.signed_at, n.signature, n.method)
      is distinct from (o.slot_id, o.path_id, o.status, o.realised_minutes, o.signed_at, o.signature, o.method)
    group by x.path_id));
  end if;
  return null;
end
$fn$;

create function kpi_on_slot() returns trigger language plpgsql as $fn$
begin
  perform kpi_refresh_paths(array(
    select distinct a.path_id from new_rows n join old_rows o on o.id = n.id join attendance a on a.slot_id = n.id
    where (n.status = 'cancelled', n.modality, n.self_study_location, n.paper_attachment_id)
      is distinct from (o.status = 'cancelled', o.modality, o.self_study_location, o.paper_attachment_id)));
  return null;
end
$fn$;

create function kpi_on_countersignature() returns trigger language plpgsql as $fn$
begin
  if tg_op = 'INSERT' then perform kpi_refresh_paths(array(select distinct a.path_id from new_rows n join attendance a on a.slot_id = n.slot_id));
  elsif tg_op = 'DELETE' then perform kpi_refresh_paths(array(select distinct a.path_id from old_rows o join attendance a on a.slot_id = o.slot_id));
  else perform kpi_refresh_paths(array(
    select a.path_id from new_rows n join attendance a on a.slot_id = n.slot_id union select a.path_id from old_rows o join attendance a on a.slot_id = o.slot_id));
  end if;
  return null;
end
$fn$;

create trigger kpi_path_insert after insert on path referencing new table as new_rows for each statement execute function kpi_on_path();
create trigger kpi_path_update after update on path referencing old table as old_rows new table as new_rows for each statement execute function kpi_on_path();
create trigger kpi_path_delete after delete on path referencing old table as old_rows for each statement execute function kpi_on_path();
create trigger kpi_path_item_insert after insert on path_item referencing new table as new_rows for each statement execute function kpi_on_path_child();
create trigger kpi_path_item_update after update on path_item referencing old table as old_rows new table as new_rows for each statement execute function kpi_on_path_child();
create trigger kpi_path_item_delete after delete on path_item referencing old table as old_rows for each statement execute function kpi_on_path_child();
create trigger kpi_positioning_insert after insert on positioning referencing new table as new_rows for each statement execute function kpi_on_path_child();
create trigger kpi_positioning_update after update on positioning referencing old table as old_rows new table as new_rows for each statement execute function kpi_on_path_child();
create trigger kpi_positioning_delete after delete on positioning referencing old table as old_rows for each statement execute function kpi_on_path_child();
create trigger kpi_attendance_insert after insert on attendance referencing new table as new_rows for each statement execute function kpi_on_attendance();
create trigger kpi_attendance_update after update on attendance referencing old table as old_rows new table as new_rows for each statement execute function kpi_on_attendance();
create trigger kpi_attendance_delete after delete on attendance referencing old table as old_rows for each statement execute function kpi_on_attendance();
create trigger kpi_slot_update after update on slot referencing old table as old_rows new table as new_rows for each statement execute function kpi_on_slot();
create trigger kpi_countersignature_insert after insert on countersignature referencing new table as new_rows for each statement execute function kpi_on_countersignature();
create trigger kpi_countersignature_update after update on countersignature referencing old table as old_rows new table as new_rows for each statement execute function kpi_on_countersignature();
create trigger kpi_countersignature_delete after delete on countersignature referencing old table as old_rows for each statement execute function kpi_on_countersignature();

-- Backfill: every path at once (set-based, no lock needed: the migration runs alone).
insert into kpi_path_figure select * from kpi_path_figures(array(select id from path));
insert into kpi_cohort_figure (order_id, order_line_id, site_id, status, entry_date, kind, modality, location, paths, minutes)
select order_id, order_line_id, site_id, status, entry_date, kind, modality, location, count(*)::int, sum(minutes)::bigint
from kpi_path_figure group by 1, 2, 3, 4, 5, 6, 7, 8;
analyze kpi_path_figure;
analyze kpi_cohort_figure;
`.execute(db);
}

export async function down(): Promise<void> {}
