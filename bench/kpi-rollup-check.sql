-- The dashboard's rollups (ADR 0034, 0041) against live aggregates over the base tables, on a generated region:
--   psql -h 127.0.0.1 -U postgres bench_region -f bench/kpi-rollup-check.sql
-- Every 'rows differing' count must be 0, every live value equal to its rollup value.
\timing on
-- a) the cohorts are the per-path rows summed (both directions)
select 'cohorts vs per-path (rows differing)' as check, count(*) from (
  (select year, lot_id, provider_id, component_id, category, departement, status, entry, kind, modality, location, paths, minutes from kpi_cohort_figure
   except select year, lot_id, provider_id, component_id, category, departement, status, entry, kind, modality, location, count(*)::int, sum(minutes)::bigint from kpi_path_figure group by 1,2,3,4,5,6,7,8,9,10,11)
  union all
  (select year, lot_id, provider_id, component_id, category, departement, status, entry, kind, modality, location, count(*)::int, sum(minutes)::bigint from kpi_path_figure group by 1,2,3,4,5,6,7,8,9,10,11
   except select year, lot_id, provider_id, component_id, category, departement, status, entry, kind, modality, location, paths, minutes from kpi_cohort_figure)) d;
-- b) one provider's per-path rows = a fresh recomputation
select 'one provider per-path vs fresh (rows differing)', count(*) from (
  (select * from kpi_path_figure where provider_id = (select provider_id from "order" order by number limit 1)
   except select * from kpi_path_figures(array(select id from path where order_id in (select id from "order" where provider_id = (select provider_id from "order" order by number limit 1)))))
  union all
  (select * from kpi_path_figures(array(select id from path where order_id in (select id from "order" where provider_id = (select provider_id from "order" order by number limit 1))))
   except select * from kpi_path_figure where provider_id = (select provider_id from "order" order by number limit 1))) d;
-- c) headcounts by status, exits by reason, follow-ups by milestone: rollup vs live over the base tables
with sp as (select p.* from path p join "order" o on o.id = p.order_id join order_line ol on ol.id = p.order_line_id join component c on c.id = ol.component_id join site st on st.id = p.site_id where p.status <> 'draft')
select 'headcount ' || status, count(*) as live, (select sum(paths) from kpi_cohort_figure k where k.kind = 'path' and k.status = sp.status) as rollup from sp group by status
union all
select 'exit ' || pe.reason, count(*), (select sum(paths) from kpi_cohort_figure k where k.kind = 'exit' and k.modality = pe.reason and k.status <> 'draft') from path_exit pe join sp on sp.id = pe.path_id group by pe.reason
union all
select 'follow-up ' || fu.milestone || ' known/employed/sector', count(*) filter (where fu.situation <> 'unknown') * 1000000 + count(*) filter (where fu.situation = 'employment') * 1000 + count(*) filter (where fu.situation = 'employment' and fu.in_target_sector),
  (select sum(paths) filter (where location <> 'unknown') * 1000000 + sum(paths) filter (where location like 'employment%') * 1000 + coalesce(sum(paths) filter (where location = 'employment_sector'), 0) from kpi_cohort_figure k where k.kind = 'follow_up' and k.modality = fu.milestone and k.status <> 'draft')
from follow_up fu join sp on sp.id = fu.path_id group by fu.milestone
union all
select 'in training at 2026-12-01', count(*) filter (where status = 'validated' and entry_date <= '2026-12-01'), (select sum(paths) from kpi_cohort_figure where kind = 'in_training' and entry <= '2026-12-01') from sp
union all
select 'planned minutes', (select sum(i.planned_minutes) from path_item i join sp on sp.id = i.path_id), (select sum(minutes) from kpi_cohort_figure where kind = 'planned' and status <> 'draft')
union all
select 'exam paths with a result', (select count(distinct er.path_id) from exam_registration er join sp on sp.id = er.path_id where er.result is not null), (select coalesce(sum(paths), 0) from kpi_cohort_figure where kind = 'exam' and status <> 'draft')
union all
select 'satisfaction respondents', (select count(*) from satisfaction_answer), (select coalesce(sum(respondents), 0) from kpi_satisfaction_figure)
order by 1;
-- d) realised minutes: the proved presences over the 12 M attendance rows (slot not cancelled)
with sp as (select p.id from path p join "order" o on o.id = p.order_id join order_line ol on ol.id = p.order_line_id join component c on c.id = ol.component_id join site st on st.id = p.site_id where p.status <> 'draft')
select 'realised minutes' as check, (select sum(a.realised_minutes) from attendance a join sp on sp.id = a.path_id join slot s on s.id = a.slot_id
  where s.status <> 'cancelled' and a.status in ('present', 'late') and ((a.signed_at is not null and a.signature is not null)
    or (a.method = 'paper' and s.paper_attachment_id is not null and exists (select 1 from countersignature cs where cs.slot_id = a.slot_id)))) as live,
  (select sum(minutes) from kpi_cohort_figure where kind = 'realised' and status <> 'draft') as rollup;
