// `DATABASE_URL=postgres://…/bench_region npm run bench:desk` (issue 13, Speed): on the region made by
// `npm run bench:generate`, times every view of the Region's desk — the dashboard (src/domains/kpi) under
// each filter, the compliance board (one provider, the whole region, each of its sources; BENCH_VIEWS=compliance
// for those alone), the realised-hours export of an order, the providers list and a
// provider's page (src/domains/region) — through the domain functions, beside hand-written SQL computing
// the same figures in the same run. Targets: p95 ≤ 300 ms and ≤ 1.5× the hand SQL. JSON on stdout and
// in bench/results/region-desk.json. Never part of npm test.
// The dashboard's hand SQL reads the same rollups as the app (kpi_cohort_figure, kpi_satisfaction_figure: ADR 0041);
// BENCH_ATTENDANCE_REFERENCE=1 also times the former hand SQL over the attendance rows (minutes at region scale).
// BENCH_VIEWS=dashboard times the dashboards only.
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import pg from "pg";
import type { Actor } from "../src/core/auth/actor.ts";
import { openDatabase } from "../src/core/db/index.ts";
import { fixedClock } from "../src/core/time.ts";
import { complianceBoard } from "../src/domains/kpi/compliance.ts";
import { dashboard, type KpiScope } from "../src/domains/kpi/dashboard.ts";
import { realisedExport } from "../src/domains/kpi/realised-export.ts";
import { listProviders, overdueRefunds, providerOverview, providersWarnings } from "../src/domains/region/use-cases.ts";
import { helpRequests } from "../src/domains/attendance/use-cases.ts";
import { habilitationAlerts, lateFollowUps } from "../src/domains/exit/use-cases.ts";
import { missingVisits } from "../src/domains/internships/use-cases.ts";
import { getOrdersFindings, listOrders } from "../src/domains/orders/use-cases.ts";
import { judgeStaleOrders } from "../src/domains/paths/use-cases.ts";
import { listSlips } from "../src/domains/recruitment/use-cases.ts";
import { siteWarnings } from "../src/domains/offer/use-cases.ts";
import { infoRegularWarnings } from "../src/domains/sessions/use-cases.ts";
import { performance } from "node:perf_hooks";
import { measure, measurePair, ratio, type Timing } from "./measure.ts";
import { REGION_TODAY } from "./region-generate.ts";

const url = process.env.DATABASE_URL;
if (!url) throw new Error("bench:desk needs DATABASE_URL (a database filled by npm run bench:generate)");
const BUDGET = Number(process.env.BENCH_BUDGET_MS ?? 15_000);
/** BENCH_VIEWS=export,providers,provider,compliance,dashboard picks views (default: all). */
const VIEWS = (process.env.BENCH_VIEWS ?? "export,providers,provider,compliance,dashboard").split(",");
const runs = (view: string) => VIEWS.includes(view);
/** Runs of each small view and its hand SQL (taking turns), within the budget. */
const PAIR_MAX = Number(process.env.BENCH_PAIR_MAX ?? 200);
// No statement timeout: a whole-region aggregate on 12 M rows can outlast the platform's default on a loaded machine.
const database = await openDatabase({ databaseUrl: url, poolSize: 2, statementTimeoutMs: 0 });
const raw = new pg.Pool({ connectionString: url, max: 2 });
const q = async (text: string, params: unknown[] = []) => (await raw.query(text, params)).rows;
const clock = fixedClock(`${REGION_TODAY}T10:00:00Z`);

const officer = await database.db.selectFrom("app_user").selectAll().where("role", "=", "region_officer").executeTakeFirstOrThrow();
const region: Actor = { userId: officer.id, role: "region_officer", fullName: officer.full_name, email: officer.email, providerId: null, prescriberOrganisationId: null, traineeId: null };
const [{ provider_id: providerId, lot_id: lotId }] = await q(`select provider_id, lot_id from "order" order by number limit 1`);
const [{ id: orderId, month }] = await q(`select o.id, to_char(o.planned_start + 60, 'YYYY-MM') as month from "order" o where o.planned_start < $1::date - 120 order by o.number desc limit 1`, [REGION_TODAY]);

/** The dashboard's figures by hand over the rollups (ADR 0041): one grouped read of the paths' rollup, the ordered minutes, the survey's sums. */
function handRollupDashboard(f: KpiScope) {
  const conds = ["k.status <> 'draft'"];
  // The day « in training » is counted on, as the dashboard takes it: today, or 31 December of a past year.
  const params: unknown[] = [f.year && `${f.year}-12-31` < REGION_TODAY ? `${f.year}-12-31` : REGION_TODAY];
  const add = (c: string, v: unknown) => {
    params.push(v);
    conds.push(c.replace("?", `$${params.length}`));
  };
  if (f.year) add("k.year = ?", f.year);
  if (f.lotId) add("k.lot_id = ?", f.lotId);
  if (f.providerId) add("k.provider_id = ?", f.providerId);
  if (f.departement) add("k.departement = ?", f.departement);
  const where = conds.join(" and ");
  const lineConds = where
    .replace("k.status <> 'draft'", "true")
    .replace("k.year = ", "extract(year from o.planned_start) = ")
    .replace("k.lot_id", "o.lot_id")
    .replace("k.provider_id", "o.provider_id")
    .replace(/k\.departement = (\$\d+)/, "exists (select 1 from order_line_site ols join site s2 on s2.id = ols.site_id where ols.order_line_id = ol.id and s2.departement_code = $1)");
  const satConds = where.replace("k.status <> 'draft'", "true").replace("k.year", "sf.year").replace("k.lot_id", "c.lot_id").replace("k.provider_id", "sf.provider_id").replace(/k\.departement = (\$\d+)/, "$1::text is not null");
  // The three statements at once, as the dashboard runs them (the pool has two connections).
  return () =>
    Promise.all([
    q(
      `select k.kind, k.status, case when k.kind = 'in_training' then '' else k.entry end, k.modality, k.location, sum(k.paths), sum(k.minutes)
       from kpi_cohort_figure k where ${where} and (k.kind <> 'in_training' or k.entry <= $1) group by 1, 2, 3, 4, 5`,
      params,
    ),
    q(`select sum(ol.headcount * ol.average_path_centre_minutes), sum(ol.headcount * ol.average_path_company_minutes), count(distinct o.id), sum(ol.headcount)
      from order_line ol join "order" o on o.id = ol.order_id where ${lineConds} and $1::date is not null`, params),
    q(`select sum(sf.respondents), sum(sf.answers), sum(sf.positive) from kpi_satisfaction_figure sf join component c on c.id = sf.component_id where ${satConds} and $1::date is not null`, params),
  ]);
}

/** The dashboard's figures by hand over the attendance (the reference before the rollups): the paths in scope once, realised minutes per path once, no correlated subquery. */
function handDashboard(f: KpiScope) {
  const conds = ["p.status <> 'draft'", "$1::date is not null"];
  const params: unknown[] = [REGION_TODAY];
  const add = (c: string, v: unknown) => {
    params.push(v);
    conds.push(c.replace("?", `$${params.length}`));
  };
  if (f.year) add("extract(year from o.planned_start) = ?", f.year);
  if (f.lotId) add("o.lot_id = ?", f.lotId);
  if (f.providerId) add("o.provider_id = ?", f.providerId);
  if (f.departement) add("st.departement_code = ?", f.departement);
  const where = conds.join(" and ");
  const sp = `select p.id, p.status, p.entry_date from path p join "order" o on o.id = p.order_id join site st on st.id = p.site_id where ${where}`;
  const proved = "a.status in ('present', 'late') and a.signed_at is not null and a.signature is not null";
  return async () => {
    await q(
      `with sp as materialized (${sp}),
        planned as (select i.path_id, sum(i.planned_minutes) as m from path_item i join sp on sp.id = i.path_id group by 1),
        realised as (select a.path_id, sum(a.realised_minutes) as m from attendance a join sp on sp.id = a.path_id join slot s on s.id = a.slot_id where s.status <> 'cancelled' and ${proved} group by 1)
      select count(*), count(*) filter (where sp.status = 'validated' and sp.entry_date <= $1), count(*) filter (where sp.status = 'closed'),
        count(*) filter (where sp.status = 'dropped'), sum(coalesce(pl.m, 0) + coalesce(pos.minutes, 0)),
        sum(coalesce(r.m, 0) + coalesce(pos.minutes, 0)) filter (where sp.status in ('closed', 'dropped'))
      from sp left join planned pl on pl.path_id = sp.id left join realised r on r.path_id = sp.id left join positioning pos on pos.path_id = sp.id`,
      params,
    );
    await q(`with sp as (${sp}) select to_char(entry_date, 'YYYY-MM'), count(*) from sp group by 1`, params);
    await q(`with sp as (${sp}) select i.modality, i.self_study_location, sum(i.planned_minutes) from path_item i join sp on sp.id = i.path_id group by 1, 2`, params);
    await q(`with sp as (${sp}) select s.modality, s.self_study_location, sum(a.realised_minutes) from attendance a join sp on sp.id = a.path_id join slot s on s.id = a.slot_id where s.status <> 'cancelled' and ${proved} group by 1, 2`, params);
    await q(`with sp as (${sp}) select pe.reason, count(*) from path_exit pe join sp on sp.id = pe.path_id group by 1`, params);
    await q(`with sp as (${sp}) select fu.milestone, count(*) filter (where fu.situation <> 'unknown'), count(*) filter (where fu.situation = 'employment') from follow_up fu join sp on sp.id = fu.path_id group by 1`, params);
    const lineConds = where.replace("p.status <> 'draft'", "true").replace(/st\.departement_code = (\$\d+)/, "exists (select 1 from order_line_site ols join site s2 on s2.id = ols.site_id where ols.order_line_id = ol.id and s2.departement_code = $1)");
    await q(`select sum(ol.headcount * ol.average_path_centre_minutes), count(distinct o.id) from order_line ol join "order" o on o.id = ol.order_id where ${lineConds} and $1::date is not null`, params);
  };
}

/** What the compliance board judges, read by hand: every order's paths, plans, positioning and realised minutes. */
const handCompliance = async (provider?: string) => {
  const by = provider ? "where p.provider_id = $1" : "where $1::uuid is null";
  const args = [provider ?? null];
  await q(`select p.*, t.first_name, t.last_name, pos.minutes from path p join trainee t on t.id = p.trainee_id left join positioning pos on pos.path_id = p.id ${by}`, args);
  await q(`select i.path_id, i.modality, i.planned_minutes from path_item i join path p on p.id = i.path_id ${by}`, args);
  await q(
    `select a.path_id, s.modality, sum(a.realised_minutes) from attendance a join slot s on s.id = a.slot_id join path p on p.id = a.path_id
     ${by} and s.status <> 'cancelled' and a.status in ('present', 'late') and a.signed_at is not null group by 1, 2`,
    args,
  );
  await q("select * from provider");
};

const scopes: [string, KpiScope][] = [
  ["one provider", { providerId }],
  ["one year and département", { year: 2026, departement: "34" }],
  ["one département (31)", { departement: "31" }],
  ["one lot", { lotId }],
  ["one year (2025)", { year: 2025 }],
  ["whole region, 4 years", {}],
];

interface Row {
  view: string;
  app: Timing;
  hand_sql: Timing | null;
  ratio: number | null;
  meets_300ms_p95: boolean;
  meets_1_5x: boolean | null;
}
const rows: Row[] = [];
const counts = (await q(`select (select count(*) from provider) as providers, (select count(*) from "order") as orders, (select count(*) from path) as paths, (select count(*) from attendance) as attendance`))[0];
/** Written after every view: a run stopped early keeps what it measured. */
function save() {
  const result = {
    bench: "region desk (issue 13)",
    database: "postgresql",
    at: new Date().toISOString(),
    node: process.version,
    machine: { cpus: os.cpus().length, loadavg_1m: +os.loadavg()[0].toFixed(1) },
    data: counts,
    targets: { p95_ms: 300, ratio_to_hand_sql: 1.5 },
    rows,
  };
  mkdirSync("bench/results", { recursive: true });
  writeFileSync(`bench/results/region-desk${process.env.BENCH_VIEWS ? `-${VIEWS.join("-")}` : ""}.json`, `${JSON.stringify(result, null, 2)}\n`);
  return result;
}
const row = (view: string, app: Timing, hand: Timing | null) => {
  const r = hand ? ratio(app, hand) : null;
  const out = { view, app, hand_sql: hand, ratio: r, meets_300ms_p95: app.p95_ms <= 300, meets_1_5x: r === null ? null : r <= 1.5 };
  rows.push(out);
  console.error(JSON.stringify(out));
  save();
};

// The three small views: the domain function and its hand SQL take turns (measurePair), so that both see the same load.
if (runs("export")) {
  const [app, hand] = await measurePair(
    () => realisedExport(database.db, region, orderId, month),
    () =>
      q(
        `select a.path_id, s.modality, sum(a.realised_minutes) from attendance a join slot s on s.id = a.slot_id join path p on p.id = a.path_id
         where p.order_id = $1 and s.slot_date between $2::date and ($2::date + interval '1 month' - interval '1 day') group by 1, 2`,
        [orderId, `${month}-01`],
      ),
    { budgetMs: BUDGET, max: PAIR_MAX },
  );
  row(`realised hours of an order (${month})`, app, hand);
}
if (runs("providers")) row("providers list", ...(await measurePair(() => listProviders(database.db, region), () => q("select * from provider order by name"), { budgetMs: BUDGET, max: PAIR_MAX })));
if (runs("provider")) {
  const hand = async () => {
    await q("select * from provider where id = $1", [providerId]);
    await q("select * from provider_referent where provider_id = $1", [providerId]);
    await q("select * from app_user where provider_id = $1", [providerId]);
  };
  row("a provider's page", ...(await measurePair(() => providerOverview(database.db, region, providerId, REGION_TODAY), hand, { budgetMs: BUDGET, max: PAIR_MAX })));
}

// The compliance board reads each order's stored findings (docs/adr/0042): first the background tick's work —
// every order not judged yet (after the migration: all 4 000) judged and stored, timed — then the views.
if (runs("compliance")) {
  const t0 = performance.now();
  let judged = 0;
  for (let n = await judgeStaleOrders(database.db, 50); n > 0; n = await judgeStaleOrders(database.db, 50)) judged += n;
  if (judged) console.error(JSON.stringify({ step: "orders judged and stored before the views (the tick's work)", orders: judged, seconds: +((performance.now() - t0) / 1000).toFixed(1) }));
  const oneProvider = { providerId };
  row("compliance board — one provider", await measure(() => complianceBoard(database.db, region, clock, oneProvider), { min: 5, max: 30, budgetMs: BUDGET }), await measure(() => handCompliance(providerId), { min: 5, max: 30, budgetMs: BUDGET }));
  row("compliance board — whole region", await measure(() => complianceBoard(database.db, region, clock), { min: 3, max: 10, budgetMs: BUDGET }), await measure(() => handCompliance(), { min: 3, max: 5, budgetMs: BUDGET }));
  // The same board's rows by hand: the stored findings of the orders in scope, read as they are.
  const handStored = (provider?: string) => () =>
    q(`select f.order_id, f.findings from path_order_findings f join "order" o on o.id = f.order_id where not f.stale and ($1::uuid is null or o.provider_id = $1)`, [provider ?? null]);
  row("stored findings — one provider (app: getOrdersFindings)", await measure(async () => getOrdersFindings(database.db, region, (await listOrders(database.db, region, oneProvider)).map((o) => o.id)), { min: 5, budgetMs: BUDGET }), await measure(handStored(providerId), { min: 5, budgetMs: BUDGET }));
  row("stored findings — whole region (app: getOrdersFindings)", await measure(async () => getOrdersFindings(database.db, region, (await listOrders(database.db, region)).map((o) => o.id)), { min: 5, budgetMs: BUDGET }), await measure(handStored(), { min: 5, budgetMs: BUDGET }));
  // Each source of the board on its own, for one provider and for the whole region (no hand SQL: where the board's time goes).
  const today = REGION_TODAY;
  for (const [scope, only] of [["one provider", oneProvider], ["whole region", {}]] as const) {
    const ids = (await listProviders(database.db, region)).map((p) => p.id).filter((id) => !("providerId" in only) || id === only.providerId);
    const sources: [string, () => Promise<unknown>][] = [
      ["providers' and certificate warnings", () => providersWarnings(database.db, ids, today)],
      ["sites' warnings", () => siteWarnings(database.db, region)],
      ["orders list", () => listOrders(database.db, region, only)],
      ["stored findings (getOrdersFindings)", async () => getOrdersFindings(database.db, region, (await listOrders(database.db, region, only)).map((o) => o.id))],
      ["slips", () => listSlips(database.db, region, clock)],
      ["information meetings", () => infoRegularWarnings(database.db, region, today, only)],
      ["help requests", () => helpRequests(database.db, region, clock.now(), only)],
      ["company visits", () => missingVisits(database.db, region, today, only)],
      ["follow-ups", () => lateFollowUps(database.db, region, clock, only)],
      ["habilitations", () => habilitationAlerts(database.db, region, clock, only)],
      ["refunds", () => overdueRefunds(database.db, region, clock, only)],
    ];
    for (const [name, fn] of sources) row(`compliance source, ${scope} — ${name}`, await measure(fn, { min: 3, max: 15, budgetMs: Math.min(BUDGET, 5_000) }), null);
  }
}
// The dashboards last, the smallest scope first: what is measured before the deadline is kept. App and hand SQL
// alternate run by run (same load for both); the reference over the attendance only when asked (minutes per run).
for (const [name, scope] of runs("dashboard") ? scopes : []) {
  const app = () => dashboard(database.db, region, clock, scope);
  const hand = handRollupDashboard(scope);
  const [a, h] = await measurePair(app, hand, { min: 10, max: 200, budgetMs: BUDGET });
  row(`dashboard — ${name}`, a, h);
  // The reference: the app beside the former hand SQL over the attendance rows (its ratio is not the target's).
  if (process.env.BENCH_ATTENDANCE_REFERENCE) row(`dashboard — ${name} (reference: hand SQL over the attendance)`, a, await measure(handDashboard(scope), { min: 1, warmup: false, budgetMs: BUDGET }));
}
console.log(JSON.stringify(save(), null, 2));
await raw.end();
await database.close();
process.exit(0);
