import { type Kysely, sql } from "kysely";

// The stored judgement of each order's paths (issue 13 Speed, docs/adr/0042-stored-order-findings.md): the
// findings that paths/consumption.ts orderConsumption produces for an order, kept with a `stale` flag that
// statement-level triggers set IN THE WRITING TRANSACTION whenever an input of the judgement changes.
// An order without a row, stale, or judged by another version of the rules is judged again before it is shown.
// Inputs (paths/store.ts loadOrderRows, paths/group.ts, ledger realisedTotalsByPath): the order, its lot,
// lines, line sites, components and modules; its paths, their trainees, plans, positioning and proved
// presences (attendance, slot, countersignature); and the group (CP-GROUP-MAX-20): every path and
// other-funded trainee on the same component and site, and the path transitions draft → dropped.
// Concurrency: a writer takes a SHARED advisory lock per order it marks (cheap, writers never wait on each
// other), a judge takes the EXCLUSIVE one before reading: so a judge never stores a judgement that misses a
// write committed after its reads (the writer's trigger waits for the judge's commit, then marks stale).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create table path_order_findings (
  order_id uuid primary key,
  stale boolean not null default false,
  version int not null,
  findings jsonb not null,
  judged_at timestamptz not null default now()
);
create index path_order_findings_stale on path_order_findings(order_id) where stale;
-- The group's orders are found by component and site (a path's change reaches every order on its room).
create index order_line_component on order_line(component_id);
create index order_line_site_site on order_line_site(site_id);

-- Marks the orders stale. The shared lock per order (sorted: never a deadlock between two writers' sets)
-- waits for a judge of the same order to commit; UPDATE … WHERE NOT stale writes nothing when already stale.
-- A bulk statement (more than 500 orders) takes the one exclusive "every order" lock instead, which every
-- judge takes shared: an advisory lock per order would fill the shared lock table (64 × max_connections).
create function paths_findings_stale(ids uuid[]) returns void language plpgsql as $fn$
begin
  if ids is null or cardinality(ids) = 0 then return; end if;
  if (select count(distinct x) from unnest(ids) x) > 500 then
    perform pg_advisory_xact_lock(20261210, 0);
  else
    perform pg_advisory_xact_lock_shared(20261209, hashtext(x::text)) from (select distinct x from unnest(ids) x where x is not null order by 1) s;
  end if;
  update path_order_findings f set stale = true from (select distinct x from unnest(ids) x) s where f.order_id = s.x and not f.stale;
end
$fn$;

-- Orders whose group (paths/store.ts groupPaths: a component of their lines AND a site of their lines)
-- holds someone on one of these (component, site) rooms.
create function paths_group_orders(components uuid[], sites uuid[]) returns uuid[] language sql stable as $fn$
  select coalesce(array_agg(distinct ol.order_id), '{}')
  from unnest(components, sites) r(component_id, site_id)
  join order_line ol on ol.component_id = r.component_id
  where exists (select 1 from order_line ol2 join order_line_site ols on ols.order_line_id = ol2.id where ol2.order_id = ol.order_id and ols.site_id = r.site_id)
$fn$;

-- path: its own order, and the orders of its room (old and new place) when a group fact changed.
create function paths_findings_on_path() returns trigger language plpgsql as $fn$
declare own uuid[]; moved uuid[]; comps uuid[]; sites uuid[];
begin
  if tg_op = 'INSERT' then
    own := array(select order_id from new_rows);
    select array_agg(ol.component_id), array_agg(n.site_id) into comps, sites from new_rows n join order_line ol on ol.id = n.order_line_id;
  elsif tg_op = 'DELETE' then
    own := array(select order_id from old_rows);
    select array_agg(ol.component_id), array_agg(o.site_id) into comps, sites from old_rows o join order_line ol on ol.id = o.order_line_id;
  else
    own := array(select n.order_id from new_rows n union select o.order_id from old_rows o);
    select array_agg(ol.component_id), array_agg(x.site_id) into comps, sites
    from new_rows n join old_rows o on o.id = n.id,
      lateral (values (n.order_line_id, n.site_id), (o.order_line_id, o.site_id)) x(order_line_id, site_id)
      join order_line ol on ol.id = x.order_line_id
    where (n.order_line_id, n.site_id, n.entry_date, n.planned_exit_date, n.actual_exit_date, n.status)
      is distinct from (o.order_line_id, o.site_id, o.entry_date, o.planned_exit_date, o.actual_exit_date, o.status);
  end if;
  if comps is not null then own := own || paths_group_orders(comps, sites); end if;
  perform paths_findings_stale(own);
  return null;
end
$fn$;

-- path_item, positioning, attendance: the order of the path (old and new).
create function paths_findings_on_path_child() returns trigger language plpgsql as $fn$
begin
  if tg_op = 'INSERT' then perform paths_findings_stale(array(select distinct p.order_id from new_rows n join path p on p.id = n.path_id));
  elsif tg_op = 'DELETE' then perform paths_findings_stale(array(select distinct p.order_id from old_rows o join path p on p.id = o.path_id));
  else perform paths_findings_stale(array(select p.order_id from (select path_id from new_rows union select path_id from old_rows) x join path p on p.id = x.path_id));
  end if;
  return null;
end
$fn$;

-- attendance updates: only when a fact of the proved presence changed (a signature, a status, the minutes).
create function paths_findings_on_attendance_update() returns trigger language plpgsql as $fn$
begin
  perform paths_findings_stale(array(
    select distinct p.order_id from new_rows n join old_rows o on o.id = n.id, lateral (values (n.path_id), (o.path_id)) x(path_id) join path p on p.id = x.path_id
    where (n.slot_id, n.path_id, n.status, n.realised_minutes, n.signed_at, n.signature, n.method)
      is distinct from (o.slot_id, o.path_id, o.status, o.realised_minutes, o.signed_at, o.signature, o.method)));
  return null;
end
$fn$;

create function paths_findings_on_slot() returns trigger language plpgsql as $fn$
begin
  perform paths_findings_stale(array(
    select distinct p.order_id from new_rows n join old_rows o on o.id = n.id join attendance a on a.slot_id = n.id join path p on p.id = a.path_id
    where (n.status = 'cancelled', n.modality, n.self_study_location, n.paper_attachment_id)
      is distinct from (o.status = 'cancelled', o.modality, o.self_study_location, o.paper_attachment_id)));
  return null;
end
$fn$;

create function paths_findings_on_countersignature() returns trigger language plpgsql as $fn$
begin
  if tg_op = 'INSERT' then perform paths_findings_stale(array(select distinct p.order_id from new_rows n join attendance a on a.slot_id = n.slot_id join path p on p.id = a.path_id));
  elsif tg_op = 'DELETE' then perform paths_findings_stale(array(select distinct p.order_id from old_rows o join attendance a on a.slot_id = o.slot_id join path p on p.id = a.path_id));
  else perform paths_findings_stale(array(
    select p.order_id from (select slot_id from new_rows union select slot_id from old_rows) x join attendance a on a.slot_id = x.slot_id join path p on p.id = a.path_id));
  end if;
  return null;
end
$fn$;

create function paths_findings_on_trainee() returns trigger language plpgsql as $fn$
begin
  perform paths_findings_stale(array(
    select distinct p.order_id from new_rows n join old_rows o on o.id = n.id join path p on p.trainee_id = n.id
    where (n.first_name, n.last_name, n.pedagogical_referent_id, n.job_seeker_registered)
      is distinct from (o.first_name, o.last_name, o.pedagogical_referent_id, o.job_seeker_registered)));
  return null;
end
$fn$;

-- The order itself, its lines and their sites (tables with an order_id or an order_line_id).
create function paths_findings_on_order() returns trigger language plpgsql as $fn$
begin
  perform paths_findings_stale(array(select n.id from new_rows n));
  return null;
end
$fn$;

create function paths_findings_on_order_line() returns trigger language plpgsql as $fn$
begin
  if tg_op = 'INSERT' then perform paths_findings_stale(array(select order_id from new_rows));
  elsif tg_op = 'DELETE' then perform paths_findings_stale(array(select order_id from old_rows));
  else perform paths_findings_stale(array(select order_id from new_rows union select order_id from old_rows));
  end if;
  return null;
end
$fn$;

create function paths_findings_on_order_line_site() returns trigger language plpgsql as $fn$
begin
  if tg_op = 'INSERT' then perform paths_findings_stale(array(select ol.order_id from new_rows n join order_line ol on ol.id = n.order_line_id));
  elsif tg_op = 'DELETE' then perform paths_findings_stale(array(select ol.order_id from old_rows o join order_line ol on ol.id = o.order_line_id));
  else perform paths_findings_stale(array(select ol.order_id from (select order_line_id from new_rows union select order_line_id from old_rows) x join order_line ol on ol.id = x.order_line_id));
  end if;
  return null;
end
$fn$;

-- What the offer and the lots say about a line: the component (kind, hybrid status), its modules, the framework's end.
create function paths_findings_on_component() returns trigger language plpgsql as $fn$
begin
  perform paths_findings_stale(array(select ol.order_id from new_rows n join order_line ol on ol.component_id = n.id));
  return null;
end
$fn$;

create function paths_findings_on_module() returns trigger language plpgsql as $fn$
begin
  if tg_op = 'INSERT' then perform paths_findings_stale(array(select ol.order_id from new_rows n join order_line ol on ol.component_id = n.component_id));
  elsif tg_op = 'DELETE' then perform paths_findings_stale(array(select ol.order_id from old_rows o join order_line ol on ol.component_id = o.component_id));
  else perform paths_findings_stale(array(
    select ol.order_id from (select component_id from new_rows union select component_id from old_rows) x join order_line ol on ol.component_id = x.component_id));
  end if;
  return null;
end
$fn$;

create function paths_findings_on_lot() returns trigger language plpgsql as $fn$
begin
  perform paths_findings_stale(array(select o.id from new_rows n join "order" o on o.lot_id = n.id));
  return null;
end
$fn$;

-- The room's other members: trainees other funders pay for, and a draft abandoned (dropped unvalidated: out of the room).
create function paths_findings_on_other_funded() returns trigger language plpgsql as $fn$
declare comps uuid[]; sites uuid[];
begin
  if tg_op = 'INSERT' then select array_agg(component_id), array_agg(site_id) into comps, sites from new_rows;
  elsif tg_op = 'DELETE' then select array_agg(component_id), array_agg(site_id) into comps, sites from old_rows;
  else select array_agg(component_id), array_agg(site_id) into comps, sites from (select component_id, site_id from new_rows union select component_id, site_id from old_rows) x;
  end if;
  if comps is not null then perform paths_findings_stale(paths_group_orders(comps, sites)); end if;
  return null;
end
$fn$;

create function paths_findings_on_transition() returns trigger language plpgsql as $fn$
declare comps uuid[]; sites uuid[];
begin
  select array_agg(ol.component_id), array_agg(p.site_id) into comps, sites
  from new_rows n join path p on p.id = n.entity_id join order_line ol on ol.id = p.order_line_id
  where n.entity = 'path' and n.from_status = 'draft' and n.to_status = 'dropped';
  if comps is not null then perform paths_findings_stale(paths_group_orders(comps, sites)); end if;
  return null;
end
$fn$;

create trigger paths_findings_path_insert after insert on path referencing new table as new_rows for each statement execute function paths_findings_on_path();
create trigger paths_findings_path_update after update on path referencing old table as old_rows new table as new_rows for each statement execute function paths_findings_on_path();
create trigger paths_findings_path_delete after delete on path referencing old table as old_rows for each statement execute function paths_findings_on_path();
create trigger paths_findings_path_item_insert after insert on path_item referencing new table as new_rows for each statement execute function paths_findings_on_path_child();
create trigger paths_findings_path_item_update after update on path_item referencing old table as old_rows new table as new_rows for each statement execute function paths_findings_on_path_child();
create trigger paths_findings_path_item_delete after delete on path_item referencing old table as old_rows for each statement execute function paths_findings_on_path_child();
create trigger paths_findings_positioning_insert after insert on positioning referencing new table as new_rows for each statement execute function paths_findings_on_path_child();
create trigger paths_findings_positioning_update after update on positioning referencing old table as old_rows new table as new_rows for each statement execute function paths_findings_on_path_child();
create trigger paths_findings_positioning_delete after delete on positioning referencing old table as old_rows for each statement execute function paths_findings_on_path_child();
create trigger paths_findings_attendance_insert after insert on attendance referencing new table as new_rows for each statement execute function paths_findings_on_path_child();
create trigger paths_findings_attendance_update after update on attendance referencing old table as old_rows new table as new_rows for each statement execute function paths_findings_on_attendance_update();
create trigger paths_findings_attendance_delete after delete on attendance referencing old table as old_rows for each statement execute function paths_findings_on_path_child();
create trigger paths_findings_slot_update after update on slot referencing old table as old_rows new table as new_rows for each statement execute function paths_findings_on_slot();
create trigger paths_findings_countersignature_insert after insert on countersignature referencing new table as new_rows for each statement execute function paths_findings_on_countersignature();
create trigger paths_findings_countersignature_update after update on countersignature referencing old table as old_rows new table as new_rows for each statement execute function paths_findings_on_countersignature();
create trigger paths_findings_countersignature_delete after delete on countersignature referencing old table as old_rows for each statement execute function paths_findings_on_countersignature();
create trigger paths_findings_trainee_update after update on trainee referencing old table as old_rows new table as new_rows for each statement execute function paths_findings_on_trainee();
create trigger paths_findings_order_update after update on "order" referencing old table as old_rows new table as new_rows for each statement execute function paths_findings_on_order();
create trigger paths_findings_order_line_insert after insert on order_line referencing new table as new_rows for each statement execute function paths_findings_on_order_line();
create trigger paths_findings_order_line_update after update on order_line referencing old table as old_rows new table as new_rows for each statement execute function paths_findings_on_order_line();
create trigger paths_findings_order_line_delete after delete on order_line referencing old table as old_rows for each statement execute function paths_findings_on_order_line();
create trigger paths_findings_order_line_site_insert after insert on order_line_site referencing new table as new_rows for each statement execute function paths_findings_on_order_line_site();
create trigger paths_findings_order_line_site_update after update on order_line_site referencing old table as old_rows new table as new_rows for each statement execute function paths_findings_on_order_line_site();
create trigger paths_findings_order_line_site_delete after delete on order_line_site referencing old table as old_rows for each statement execute function paths_findings_on_order_line_site();
create trigger paths_findings_component_update after update on component referencing old table as old_rows new table as new_rows for each statement execute function paths_findings_on_component();
create trigger paths_findings_module_insert after insert on module referencing new table as new_rows for each statement execute function paths_findings_on_module();
create trigger paths_findings_module_update after update on module referencing old table as old_rows new table as new_rows for each statement execute function paths_findings_on_module();
create trigger paths_findings_module_delete after delete on module referencing old table as old_rows for each statement execute function paths_findings_on_module();
create trigger paths_findings_lot_update after update on lot referencing old table as old_rows new table as new_rows for each statement execute function paths_findings_on_lot();
create trigger paths_findings_other_funded_insert after insert on other_funded_trainee referencing new table as new_rows for each statement execute function paths_findings_on_other_funded();
create trigger paths_findings_other_funded_update after update on other_funded_trainee referencing old table as old_rows new table as new_rows for each statement execute function paths_findings_on_other_funded();
create trigger paths_findings_other_funded_delete after delete on other_funded_trainee referencing old table as old_rows for each statement execute function paths_findings_on_other_funded();
create trigger paths_findings_transition_insert after insert on transition_log referencing new table as new_rows for each statement execute function paths_findings_on_transition();
`.execute(db);
}

export async function down(): Promise<void> {}
