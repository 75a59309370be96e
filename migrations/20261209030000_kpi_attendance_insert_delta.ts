import { type Kysely, sql } from "kysely";

// The dashboard's rollups (docs/adr/0034, keyed by scope since 0041), cheaper on the hot path (issue 13, docs/adr/0043): a signature
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
  -- The statement's proved presences per path and modality, in the path's scope as its 'path' row holds it
  -- (a path with no 'path' row is outside every scope, as in kpi_path_figures).
  with d as (
    select f.path_id, f.year, f.lot_id, f.provider_id, f.component_id, f.category, f.departement, f.status,
      s.modality, coalesce(s.self_study_location, '') as location, sum(a.realised_minutes)::bigint as minutes
    from kpi_new_attendance a join slot s on s.id = a.slot_id
    join kpi_path_figure f on f.path_id = a.path_id and f.kind = 'path'
    where s.status <> 'cancelled' and (a.status in ('present', 'late') and (
      (a.signed_at is not null and a.signature is not null)
      or (a.method = 'paper' and s.paper_attachment_id is not null
          and exists (select 1 from countersignature cs_proof where cs_proof.slot_id = a.slot_id))))
    group by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10),
  e as (
    select d.*, exists (select 1 from kpi_path_figure g where g.path_id = d.path_id and g.kind = 'realised' and g.modality = d.modality and g.location = d.location) as had
    from d),
  up as (
    insert into kpi_path_figure (path_id, year, lot_id, provider_id, component_id, category, departement, status, entry, kind, modality, location, minutes)
    select path_id, year, lot_id, provider_id, component_id, category, departement, status, '', 'realised', modality, location, minutes from e
    on conflict (path_id, kind, modality, location) do update set minutes = kpi_path_figure.minutes + excluded.minutes)
  insert into kpi_cohort_figure (year, lot_id, provider_id, component_id, category, departement, status, entry, kind, modality, location, paths, minutes)
  select year, lot_id, provider_id, component_id, category, departement, status, '', 'realised', modality, location,
    (count(*) filter (where not had))::int, sum(minutes)::bigint
  from e group by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
  on conflict (year, lot_id, provider_id, component_id, category, departement, status, entry, kind, modality, location)
  do update set paths = kpi_cohort_figure.paths + excluded.paths, minutes = kpi_cohort_figure.minutes + excluded.minutes;
  return null;
end
$fn$;

drop trigger kpi_attendance_insert on attendance;
create trigger kpi_attendance_insert after insert on attendance referencing new table as kpi_new_attendance for each statement execute function kpi_on_attendance_insert();
`.execute(db);
}

export async function down(): Promise<void> {}
