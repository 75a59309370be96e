import { type Kysely, sql } from "kysely";

// The dashboard's rollups (docs/adr/0034), cheaper on the hot path (issue 13, docs/adr/0043): a signature
// INSERTs attendance rows, and the statement trigger recomputed each of their paths from the base tables
// (every attendance row of the path, its plan, its positioning) — ~25 % of the signing throughput in the
// signing bench. An INSERT can only add realised minutes: its proved presences are now ADDED to the
// path's and the cohort's 'realised' figures (a new figure row counts one more path in its cohort),
// under the same path lock as kpi_refresh_paths, so a concurrent refresh of the path sees either none
// or all of the statement's rows. Updates and deletes still refresh their paths (exactly as before).
// The proved-presence predicate is kpi_path_figures' (attendance/proof.ts provedPresence).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
-- The body reads the statement's transition table, visible only in the trigger function itself.
create function kpi_on_attendance_insert() returns trigger language plpgsql as $fn$
begin
  perform 1 from path p join (select distinct path_id from kpi_new_attendance) i on i.path_id = p.id order by p.id for no key update of p;
  with d as (
    select p.id as path_id, p.order_id, p.order_line_id, p.site_id, p.status, p.entry_date, s.modality, coalesce(s.self_study_location, '') as location,
      sum(a.realised_minutes)::bigint as minutes
    from kpi_new_attendance a join slot s on s.id = a.slot_id join path p on p.id = a.path_id
    where s.status <> 'cancelled' and (a.status in ('present', 'late') and (
      (a.signed_at is not null and a.signature is not null)
      or (a.method = 'paper' and s.paper_attachment_id is not null
          and exists (select 1 from countersignature cs_proof where cs_proof.slot_id = a.slot_id))))
    group by 1, 2, 3, 4, 5, 6, 7, 8),
  e as (
    select d.*, exists (select 1 from kpi_path_figure f where f.path_id = d.path_id and f.kind = 'realised' and f.modality = d.modality and f.location = d.location) as had
    from d),
  up as (
    insert into kpi_path_figure (path_id, order_id, order_line_id, site_id, status, entry_date, kind, modality, location, minutes)
    select path_id, order_id, order_line_id, site_id, status, entry_date, 'realised', modality, location, minutes from e
    on conflict (path_id, kind, modality, location) do update set minutes = kpi_path_figure.minutes + excluded.minutes)
  insert into kpi_cohort_figure (order_id, order_line_id, site_id, status, entry_date, kind, modality, location, paths, minutes)
  select order_id, order_line_id, site_id, status, entry_date, 'realised', modality, location, (count(*) filter (where not had))::int, sum(minutes)::bigint
  from e group by 1, 2, 3, 4, 5, 6, 7, 8
  on conflict (order_id, order_line_id, site_id, status, entry_date, kind, modality, location)
  do update set paths = kpi_cohort_figure.paths + excluded.paths, minutes = kpi_cohort_figure.minutes + excluded.minutes;
  return null;
end
$fn$;

drop trigger kpi_attendance_insert on attendance;
create trigger kpi_attendance_insert after insert on attendance referencing new table as kpi_new_attendance for each statement execute function kpi_on_attendance_insert();
`.execute(db);
}

export async function down(): Promise<void> {}
