import { type Kysely, sql } from "kysely";

// The dashboard reads only rollups (issue 13 Speed, docs/adr/0041-kpi-rollups-by-scope.md, after ADR 0034):
// - kpi_path_figure / kpi_cohort_figure are re-keyed by what the filters need — the order's year, lot and
//   provider, the line's component and its category, the site's département — instead of (order, order line,
//   site, entry date): the dashboard filters them without a join, and the orders of one provider, year,
//   component and département share their rows. The entry date is kept only where a figure needs it: the
//   month for the `path` row (entries by month), the exact day for the `in_training` row (validated paths:
//   « in training at a date » stays exact); '' for every other kind.
// - New kinds, per path, counted in `paths`: `exit` (modality = reason), `vae` (engaged; modality = the jury's
//   result or ''), `follow_up` (modality = milestone, location = unknown / known / employment /
//   employment_sector), `exam` (modality = the best result over its registrations with a result).
// - kpi_satisfaction_figure: the anonymous survey answers summed per provider, component and year answered.
// Triggers: those of 0034 (kpi_refresh_paths is replaced in place), plus path_exit, follow_up,
// exam_registration (the touched paths recomputed), the order (year, lot, provider), order line (component),
// component (category), site (département) whose change moves paths between scopes, and satisfaction_answer
// (its sums moved by the statement's rows: an increment, exact under concurrent answers).

/** The scope columns of a path, as selected from the CTE `p` of kpi_path_figures. */
const K = "p.id, p.year, p.lot_id, p.provider_id, p.component_id, p.category, p.departement, p.status";
const KEY = "year, lot_id, provider_id, component_id, category, departement, status, entry, kind, modality, location";

/** Adds (sign 1) or takes away (sign -1) the survey sums of the answers in `rows` (a table or transition table). */
const satisfactionSums = (rows: string, sign: 1 | -1) => `insert into kpi_satisfaction_figure (provider_id, component_id, year, respondents, answers, positive)
  select r.provider_id, r.component_id, extract(year from r.answered_on)::int, (${sign}) * count(distinct r.id)::int,
    (${sign}) * count(v.value)::int, (${sign}) * (count(*) filter (where v.value ~ '^[1-5]$' and v.value::int >= 4))::int
  from ${rows} r left join lateral jsonb_each_text(r.answers) v on true
  group by 1, 2, 3
  on conflict (provider_id, component_id, year) do update set respondents = kpi_satisfaction_figure.respondents + excluded.respondents,
    answers = kpi_satisfaction_figure.answers + excluded.answers, positive = kpi_satisfaction_figure.positive + excluded.positive`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(`
drop function kpi_path_figures(uuid[]);
drop table kpi_path_figure;
drop table kpi_cohort_figure;

create table kpi_path_figure (
  path_id uuid not null,
  year int not null,
  lot_id uuid not null,
  provider_id uuid not null,
  component_id uuid not null,
  category text not null,
  departement text not null,
  status text not null,
  entry text not null,
  kind text not null check (kind in ('path', 'in_training', 'planned', 'positioning', 'realised', 'exit', 'vae', 'follow_up', 'exam')),
  modality text not null,
  location text not null,
  minutes bigint not null,
  primary key (path_id, kind, modality, location)
);

create table kpi_cohort_figure (
  year int not null,
  lot_id uuid not null,
  provider_id uuid not null,
  component_id uuid not null,
  category text not null,
  departement text not null,
  status text not null,
  entry text not null,
  kind text not null,
  modality text not null,
  location text not null,
  paths int not null,
  minutes bigint not null,
  primary key (${KEY})
);
create index kpi_cohort_figure_provider on kpi_cohort_figure(provider_id);
create index kpi_cohort_figure_year on kpi_cohort_figure(year, departement);
create index kpi_cohort_figure_empty on kpi_cohort_figure(year) where paths = 0;

create table kpi_satisfaction_figure (
  provider_id uuid not null,
  component_id uuid not null,
  year int not null,
  respondents int not null,
  answers int not null,
  positive int not null,
  primary key (provider_id, component_id, year)
);

-- What each path contributes now, from the base tables (the paths given; none for a deleted path, nor for one
-- whose order, line, component or site is missing: the dashboard's scope joins them all).
create function kpi_path_figures(ids uuid[]) returns table (
  path_id uuid, year int, lot_id uuid, provider_id uuid, component_id uuid, category text, departement text, status text,
  entry text, kind text, modality text, location text, minutes bigint
) language sql stable as $fn$
  with p as (
    select p.id, extract(year from o.planned_start)::int as year, o.lot_id, o.provider_id, ol.component_id, c.category,
      st.departement_code as departement, p.status, p.entry_date
    from path p join unnest(ids) x(id) on x.id = p.id
    join "order" o on o.id = p.order_id join order_line ol on ol.id = p.order_line_id
    join component c on c.id = ol.component_id join site st on st.id = p.site_id)
  select ${K}, to_char(p.entry_date, 'YYYY-MM'), 'path', '', '', 0::bigint from p
  union all
  select ${K}, to_char(p.entry_date, 'YYYY-MM-DD'), 'in_training', '', '', 0::bigint from p where p.status = 'validated'
  union all
  select ${K}, '', 'planned', i.modality, coalesce(i.self_study_location, ''), sum(i.planned_minutes)::bigint
  from p join path_item i on i.path_id = p.id group by ${K}, i.modality, i.self_study_location
  union all
  select ${K}, '', 'positioning', '', '', pos.minutes::bigint from p join positioning pos on pos.path_id = p.id
  union all
  select ${K}, '', 'realised', s.modality, coalesce(s.self_study_location, ''), sum(a.realised_minutes)::bigint
  from p join attendance a on a.path_id = p.id join slot s on s.id = a.slot_id
  where s.status <> 'cancelled' and (a.status in ('present', 'late') and (
    (a.signed_at is not null and a.signature is not null)
    or (a.method = 'paper' and s.paper_attachment_id is not null
        and exists (select 1 from countersignature cs_proof where cs_proof.slot_id = a.slot_id))))
  group by ${K}, s.modality, s.self_study_location
  union all
  select ${K}, '', 'exit', pe.reason, '', 0::bigint from p join path_exit pe on pe.path_id = p.id
  union all
  select ${K}, '', 'vae', coalesce(pe.vae_result, ''), '', 0::bigint from p join path_exit pe on pe.path_id = p.id where pe.vae_engaged
  union all
  select ${K}, '', 'follow_up', fu.milestone,
    case when fu.situation = 'employment' and fu.in_target_sector then 'employment_sector' when fu.situation = 'employment' then 'employment'
      when fu.situation <> 'unknown' then 'known' else 'unknown' end, 0::bigint
  from p join follow_up fu on fu.path_id = p.id
  union all
  select ${K}, '', 'exam', (array['absent', 'failed', 'partial', 'passed'])[max(case er.result when 'passed' then 4 when 'partial' then 3 when 'failed' then 2 else 1 end)], '', 0::bigint
  from p join exam_registration er on er.path_id = p.id where er.result is not null group by ${K}
$fn$;

create or replace function kpi_refresh_paths(ids uuid[]) returns void language plpgsql as $fn$
begin
  if ids is null or cardinality(ids) = 0 then return; end if;
  -- One refresh of a path at a time: a concurrent one waits here, then reads what the first committed.
  perform 1 from path p join (select distinct x from unnest(ids) x) i on i.x = p.id order by p.id for no key update of p;
  with old as (delete from kpi_path_figure f using (select distinct x from unnest(ids) x) i where f.path_id = i.x returning f.*),
  gone as (select ${KEY}, count(*)::int as n, sum(minutes)::bigint as m from old group by ${KEY})
  update kpi_cohort_figure c set paths = c.paths - g.n, minutes = c.minutes - g.m from gone g
  where (c.year, c.lot_id, c.provider_id, c.component_id, c.category, c.departement, c.status, c.entry, c.kind, c.modality, c.location)
    = (g.year, g.lot_id, g.provider_id, g.component_id, g.category, g.departement, g.status, g.entry, g.kind, g.modality, g.location);
  with fresh as (insert into kpi_path_figure select * from kpi_path_figures(ids) returning *)
  insert into kpi_cohort_figure (${KEY}, paths, minutes)
  select ${KEY}, count(*)::int, sum(minutes)::bigint from fresh group by ${KEY}
  on conflict (${KEY}) do update set paths = kpi_cohort_figure.paths + excluded.paths, minutes = kpi_cohort_figure.minutes + excluded.minutes;
  delete from kpi_cohort_figure where paths = 0;
end
$fn$;

-- A change of what puts a path in a scope: the order's year, lot or provider, the line's component, the
-- component's category, the site's département (a site inserted or deleted: path.site_id has no foreign key).
create function kpi_on_order() returns trigger language plpgsql as $fn$
begin
  perform kpi_refresh_paths(array(select p.id from new_rows n join old_rows o on o.id = n.id join path p on p.order_id = n.id
    where (extract(year from n.planned_start), n.lot_id, n.provider_id) is distinct from (extract(year from o.planned_start), o.lot_id, o.provider_id)));
  return null;
end
$fn$;
create function kpi_on_order_line() returns trigger language plpgsql as $fn$
begin
  perform kpi_refresh_paths(array(select p.id from new_rows n join old_rows o on o.id = n.id join path p on p.order_line_id = n.id
    where n.component_id is distinct from o.component_id));
  return null;
end
$fn$;
create function kpi_on_component() returns trigger language plpgsql as $fn$
begin
  perform kpi_refresh_paths(array(select p.id from new_rows n join old_rows o on o.id = n.id
    join order_line ol on ol.component_id = n.id join path p on p.order_line_id = ol.id
    where n.category is distinct from o.category));
  return null;
end
$fn$;
create function kpi_on_site() returns trigger language plpgsql as $fn$
begin
  if tg_op = 'INSERT' then perform kpi_refresh_paths(array(select p.id from new_rows n join path p on p.site_id = n.id));
  elsif tg_op = 'DELETE' then perform kpi_refresh_paths(array(select p.id from old_rows o join path p on p.site_id = o.id));
  else perform kpi_refresh_paths(array(select p.id from new_rows n join old_rows o on o.id = n.id join path p on p.site_id = n.id
    where n.departement_code is distinct from o.departement_code));
  end if;
  return null;
end
$fn$;

-- The survey's answers: each statement moves its rows' sums (old out, new in) per provider, component, year.
create function kpi_on_satisfaction() returns trigger language plpgsql as $fn$
begin
  if tg_op in ('UPDATE', 'DELETE') then ${satisfactionSums("old_rows", -1)}; end if;
  if tg_op in ('UPDATE', 'INSERT') then ${satisfactionSums("new_rows", 1)}; end if;
  delete from kpi_satisfaction_figure where respondents = 0;
  return null;
end
$fn$;

create trigger kpi_path_exit_insert after insert on path_exit referencing new table as new_rows for each statement execute function kpi_on_path_child();
create trigger kpi_path_exit_update after update on path_exit referencing old table as old_rows new table as new_rows for each statement execute function kpi_on_path_child();
create trigger kpi_path_exit_delete after delete on path_exit referencing old table as old_rows for each statement execute function kpi_on_path_child();
create trigger kpi_follow_up_insert after insert on follow_up referencing new table as new_rows for each statement execute function kpi_on_path_child();
create trigger kpi_follow_up_update after update on follow_up referencing old table as old_rows new table as new_rows for each statement execute function kpi_on_path_child();
create trigger kpi_follow_up_delete after delete on follow_up referencing old table as old_rows for each statement execute function kpi_on_path_child();
create trigger kpi_exam_registration_insert after insert on exam_registration referencing new table as new_rows for each statement execute function kpi_on_path_child();
create trigger kpi_exam_registration_update after update on exam_registration referencing old table as old_rows new table as new_rows for each statement execute function kpi_on_path_child();
create trigger kpi_exam_registration_delete after delete on exam_registration referencing old table as old_rows for each statement execute function kpi_on_path_child();
create trigger kpi_order_update after update on "order" referencing old table as old_rows new table as new_rows for each statement execute function kpi_on_order();
create trigger kpi_order_line_update after update on order_line referencing old table as old_rows new table as new_rows for each statement execute function kpi_on_order_line();
create trigger kpi_component_update after update on component referencing old table as old_rows new table as new_rows for each statement execute function kpi_on_component();
create trigger kpi_site_insert after insert on site referencing new table as new_rows for each statement execute function kpi_on_site();
create trigger kpi_site_update after update on site referencing old table as old_rows new table as new_rows for each statement execute function kpi_on_site();
create trigger kpi_site_delete after delete on site referencing old table as old_rows for each statement execute function kpi_on_site();
create trigger kpi_satisfaction_insert after insert on satisfaction_answer referencing new table as new_rows for each statement execute function kpi_on_satisfaction();
create trigger kpi_satisfaction_update after update on satisfaction_answer referencing old table as old_rows new table as new_rows for each statement execute function kpi_on_satisfaction();
create trigger kpi_satisfaction_delete after delete on satisfaction_answer referencing old table as old_rows for each statement execute function kpi_on_satisfaction();

-- Backfill: every path at once (set-based, no lock needed: the migration runs alone), then the answers.
insert into kpi_path_figure select * from kpi_path_figures(array(select id from path));
insert into kpi_cohort_figure (${KEY}, paths, minutes)
select ${KEY}, count(*)::int, sum(minutes)::bigint from kpi_path_figure group by ${KEY};
${satisfactionSums("satisfaction_answer", 1)};
analyze kpi_path_figure;
analyze kpi_cohort_figure;
analyze kpi_satisfaction_figure;
`)
    .execute(db);
}

export async function down(): Promise<void> {}
