import { type Kysely, sql } from "kysely";

// The follow-up milestones still open (issue 13 Speed, docs/adr/0046): for every path with an actual exit
// date, each milestone (exit, m3, m6) whose situation is not recorded yet. The compliance board's late
// follow-ups (exit/use-cases.ts followUps, state "late") look only at these paths instead of anti-joining every
// exited path of the region's history with every follow-up (253 ms at region scale, linear in the years).
// Kept by statement-level triggers in the writing transaction, like the kpi rollups (ADR 0034): a change of
// a path's exit date, a follow-up recorded, moved or deleted recomputes the touched paths from the base
// tables, under the path's row lock (the same lock as kpi_refresh_paths), so two writers of one path
// never leave it without a row it needs. Only a prefilter: the due dates are still judged on the path.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create table follow_up_open (
  path_id uuid not null,
  milestone text not null check (milestone in ('exit', 'm3', 'm6')),
  primary key (path_id, milestone)
);

create function exit_refresh_open(ids uuid[]) returns void language plpgsql as $fn$
begin
  if ids is null or cardinality(ids) = 0 then return; end if;
  perform 1 from path p join (select distinct x from unnest(ids) x) i on i.x = p.id order by p.id for no key update of p;
  delete from follow_up_open o using (select distinct x from unnest(ids) x) i where o.path_id = i.x;
  insert into follow_up_open (path_id, milestone)
  select p.id, m.milestone from path p join (select distinct x from unnest(ids) x) i on i.x = p.id
  cross join unnest(array['exit', 'm3', 'm6']) m(milestone)
  where p.actual_exit_date is not null
    and not exists (select 1 from follow_up fu where fu.path_id = p.id and fu.milestone = m.milestone);
end
$fn$;

create function exit_open_on_path() returns trigger language plpgsql as $fn$
begin
  if tg_op = 'INSERT' then
    perform exit_refresh_open(array(select id from new_rows where actual_exit_date is not null));
  elsif tg_op = 'UPDATE' then
    perform exit_refresh_open(array(select n.id from new_rows n join old_rows o on o.id = n.id where n.actual_exit_date is distinct from o.actual_exit_date));
  else
    delete from follow_up_open f using old_rows o where f.path_id = o.id;
  end if;
  return null;
end
$fn$;

create function exit_open_on_follow_up() returns trigger language plpgsql as $fn$
begin
  if tg_op = 'INSERT' then
    perform exit_refresh_open(array(select distinct path_id from new_rows));
  elsif tg_op = 'UPDATE' then
    perform exit_refresh_open(array(select path_id from new_rows union select path_id from old_rows));
  else
    perform exit_refresh_open(array(select distinct path_id from old_rows));
  end if;
  return null;
end
$fn$;

create trigger exit_open_path_insert after insert on path referencing new table as new_rows for each statement execute function exit_open_on_path();
create trigger exit_open_path_update after update on path referencing old table as old_rows new table as new_rows for each statement execute function exit_open_on_path();
create trigger exit_open_path_delete after delete on path referencing old table as old_rows for each statement execute function exit_open_on_path();
create trigger exit_open_follow_up_insert after insert on follow_up referencing new table as new_rows for each statement execute function exit_open_on_follow_up();
create trigger exit_open_follow_up_update after update on follow_up referencing old table as old_rows new table as new_rows for each statement execute function exit_open_on_follow_up();
create trigger exit_open_follow_up_delete after delete on follow_up referencing old table as old_rows for each statement execute function exit_open_on_follow_up();

-- Backfill, set-based (the migration runs alone).
insert into follow_up_open (path_id, milestone)
select p.id, m.milestone from path p cross join unnest(array['exit', 'm3', 'm6']) m(milestone)
where p.actual_exit_date is not null
  and not exists (select 1 from follow_up fu where fu.path_id = p.id and fu.milestone = m.milestone);
analyze follow_up_open;
`.execute(db);
}

export async function down(): Promise<void> {}
