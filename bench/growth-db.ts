// `npm run bench:growth` (issue 16, point 7): how the platform's reads grow with the region, on a fresh
// database per series (embedded PGlite, or PostgreSQL when DATABASE_URL is set: `bench_growth_*`
// databases are created beside it and dropped at the end). Three series at three sizes —
//   paths on one order (20 / 200 / 1 000): order consumption, live path check, the order page,
//     a provider's paths list;
//   published sessions (1 000 / 10 000 / 20 000): the LHEO feed, streamed (time and peak memory);
//   attendance rows (20 000 / 200 000 / 2 000 000, orders of 100 paths × 200 slots): realised hours of
//     an order and of a path, a monthly billing statement, verify-evidence (time and peak memory) and
//     a certificate batch (100 paths) — all on the first order, while the tables grow around it —
// each timed through the domain functions (HTTP only for the page) beside raw SQL reading the same
// rows in the same run, with the growth exponent between sizes. BENCH_SCALE (default 1) multiplies
// the sizes (BENCH_SCALE=0.1: 2 / 20 / 100 paths…) for a quick run; BENCH_SERIES=paths,sessions,attendance
// picks series; BENCH_MAX_ATTENDANCE caps the attendance series. JSON on stdout and in bench/results/growth-<database>.json. Never part of npm test.
import { mkdirSync, writeFileSync } from "node:fs";
import { sql } from "kysely";
import os from "node:os";
import { performance } from "node:perf_hooks";
import { createApp } from "../src/app/index.ts";
import { loadConfig } from "../src/core/config.ts";
import type { Database } from "../src/core/db/index.ts";
import { fixedClock } from "../src/core/time.ts";
import { verifyAndSeal } from "../src/domains/attendance/sealed.ts";
import { startCertificateBatch } from "../src/domains/documents/use-cases.ts";
import { getBillingStatement, pathRealised, realisedTotalsByPath } from "../src/domains/ledger/use-cases.ts";
import { checkPlan, getOrderConsumption } from "../src/domains/paths/use-cases.ts";
import { listPaths } from "../src/domains/paths/queries.ts";
import { actorOf } from "../src/domains/paths/testing.ts";
import { lheoStream } from "../src/domains/sessions/lheo.ts";
import { formLogin } from "../test/support/app.ts";
import { addSessions, analyze, engine, freshDatabase, orderWithAttendance, orderWithPaths, PATHS_PER_ORDER, SLOTS_PER_GROUP } from "./growth-data.ts";
import { exponent, measure, measureTurns, peakRssGrowth, ratio, type Timing } from "./measure.ts";

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const SERIES = (process.env.BENCH_SERIES ?? "paths,sessions,attendance").split(",");
/** The attendance series stops at this many rows (building 2 M rows with their evidence takes a long while on a shared machine). */
const MAX_ATTENDANCE = Number(process.env.BENCH_MAX_ATTENDANCE ?? 2_000_000);
const sized = (sizes: number[], min: number) => sizes.map((n) => Math.max(min, Math.round(n * SCALE)));
const NOW = "2026-12-04T10:00:00Z";
const clock = fixedClock(NOW);
const TODAY = NOW.slice(0, 10);

interface Figure {
  figure: string;
  size: number;
  app: Timing;
  raw_sql: Timing;
  ratio: number;
  peak_rss_growth_mb?: number;
  raw_peak_rss_growth_mb?: number;
  /** The machine's 1-minute load average when the figure was measured (`uptime`): other processes inflate the times. */
  load_1m?: number;
  note?: string;
  /** A second baseline timed in the same run (the live check: the raw reads as they were before the group was added). */
  raw_sql_before?: Timing;
  ratio_before?: number;
}
const figures: Figure[] = [];
const explains: { series: string; query: string; plan: string[] }[] = [];
const log = (f: Figure) => console.error(JSON.stringify(f));

async function figure(
  name: string,
  size: number,
  app: () => Promise<unknown>,
  raw: () => Promise<unknown>,
  o: { memory?: boolean; min?: number; max?: number; budgetMs?: number; note?: string; rawBefore?: () => Promise<unknown> } = {},
) {
  const opts = { min: o.min ?? 3, max: o.max ?? 30, budgetMs: o.budgetMs ?? 8000 };
  // Memory figures (long runs) one block after the other; the others taking turns with their raw reads (same load).
  const fns = [app, raw, ...(o.rawBefore ? [o.rawBefore] : [])];
  const [a, r, before] = o.memory ? [await measure(app, opts), await measure(raw, opts)] : await measureTurns(fns, opts);
  const f: Figure = { figure: name, size, app: a, raw_sql: r, ratio: ratio(a, r), load_1m: +os.loadavg()[0].toFixed(1), ...(o.note ? { note: o.note } : {}) };
  if (before) {
    f.raw_sql_before = before;
    f.ratio_before = ratio(a, before);
  }
  if (o.memory) {
    f.peak_rss_growth_mb = await peakRssGrowth(app);
    f.raw_peak_rss_growth_mb = await peakRssGrowth(raw);
  }
  figures.push(f);
  log(f);
}

/** EXPLAIN of a raw read, kept in the output: a sequential scan on a growing table is what asks for an index. */
async function explain(database: Database, series: string, query: string, params: unknown[]) {
  const { rows } = await database.pool.query(`explain ${query}`, params);
  explains.push({ series, query: query.replace(/\s+/g, " ").slice(0, 160), plan: rows.map((r: Record<string, string>) => r["QUERY PLAN"]) });
}

// ——— Paths on one order ———
async function pathsSeries() {
  const { database, drop } = await freshDatabase("paths");
  const db = database.db;
  const app = createApp({ db, clock, config: loadConfig({}) });
  const q = (text: string, params: unknown[]) => database.pool.query(text, params);
  for (const n of sized([20, 200, 1000], 2)) {
    const fx = await orderWithPaths(db, n);
    await analyze(db);
    const actor = await actorOf(db, fx.adminEmail);
    const { cookie } = await formLogin(app, fx.adminEmail);
    const path = await db.selectFrom("path").select(["id", "entry_date", "planned_exit_date"]).where("order_id", "=", fx.orderId).orderBy("id").limit(1).executeTakeFirstOrThrow();
    const items = await db.selectFrom("path_item").selectAll().where("path_id", "=", path.id).orderBy("position").execute();
    const plan = {
      entryDate: path.entry_date,
      plannedExitDate: path.planned_exit_date,
      items: items.map((i) => ({ moduleId: i.module_id, label: i.label, modality: i.modality, selfStudyLocation: i.self_study_location, plannedMinutes: i.planned_minutes, exempted: i.exempted })),
    };
    // The rows an order's consumption is made of: its paths with trainee and positioning, their plans, their realised
    // minutes — and everyone in the rooms of its lines (CP-GROUP-MAX-20: the paths of every order on its components
    // and sites, and the trainees other funders pay for), which the consumption and the check judge too.
    const ordersOwnReads = async () => {
      await q(`select o.*, l.framework_end from "order" o join lot l on l.id = o.lot_id where o.id = $1`, [fx.orderId]);
      await q("select ol.*, c.title, c.e_formation from order_line ol join component c on c.id = ol.component_id where ol.order_id = $1", [fx.orderId]);
      await q("select p.*, t.first_name, t.last_name, pos.* from path p join trainee t on t.id = p.trainee_id left join positioning pos on pos.path_id = p.id where p.order_id = $1", [fx.orderId]);
      await q("select i.* from path_item i join path p on p.id = i.path_id where p.order_id = $1", [fx.orderId]);
      await q("select a.path_id, s.modality, sum(a.realised_minutes) from attendance a join slot s on s.id = a.slot_id join path p on p.id = a.path_id where p.order_id = $1 group by 1, 2", [fx.orderId]);
    };
    const rooms = `(select ol.component_id from order_line ol where ol.order_id = $1)`;
    const sites = `(select s.site_id from order_line_site s join order_line ol on ol.id = s.order_line_id where ol.order_id = $1)`;
    const orderReads = async () => {
      await ordersOwnReads();
      await q(`select p.id, ol.component_id, p.site_id, p.entry_date, p.planned_exit_date, p.actual_exit_date from path p join order_line ol on ol.id = p.order_line_id
        where ol.component_id in ${rooms} and p.site_id in ${sites}`, [fx.orderId]);
      await q(`select o.* from other_funded_trainee o where o.component_id in ${rooms} and o.site_id in ${sites}`, [fx.orderId]);
    };
    // The check also reads the modules of the path's component (the submitted items name them).
    const checkReads = async () => {
      await orderReads();
      await q("select m.* from module m join order_line ol on ol.component_id = m.component_id join path p on p.order_line_id = ol.id where p.id = $1 order by m.position", [path.id]);
    };
    await figure("order consumption", n, () => getOrderConsumption(db, actor, fx.orderId), orderReads, { max: 100 });
    await figure("live path check", n, () => checkPlan(db, actor, path.id, plan as never), checkReads, {
      note: "raw: the order's rows, its rooms (group, other-funded) and the component's modules; raw_sql_before: the order's own rows only (the baseline until 5 December 2026)",
      rawBefore: ordersOwnReads,
      max: 100,
    });
    await figure(
      "order page (GET /commandes/:id)",
      n,
      async () => {
        const res = await app.request(`/commandes/${fx.orderId}`, { headers: { cookie } });
        if (res.status !== 200) throw new Error(`order page answered ${res.status}`);
        await res.arrayBuffer();
      },
      orderReads,
    );
    const listRaw = `select p.id, p.status, t.last_name, t.first_name, o.number, c.title, s.name,
        (select sum(i.planned_minutes) from path_item i where i.path_id = p.id), pos.minutes
      from path p join trainee t on t.id = p.trainee_id join "order" o on o.id = p.order_id join order_line ol on ol.id = p.order_line_id
      join component c on c.id = ol.component_id join site s on s.id = p.site_id left join positioning pos on pos.path_id = p.id
      where p.provider_id = $1 order by t.last_name, t.first_name`;
    await figure("provider's paths list (all rows: no paging yet)", n, () => listPaths(db, actor), () => q(listRaw, [fx.providerId]));
    await explain(database, `paths ${n}`, listRaw, [fx.providerId]);
  }
  await drop();
}

// ——— Published sessions: the LHEO feed ———
async function sessionsSeries() {
  const { database, drop } = await freshDatabase("sessions");
  const db = database.db;
  let have = 0;
  for (const n of sized([1000, 10000, 20000], 10)) {
    await addSessions(db, n - have);
    have = n;
    await analyze(db);
    let bytes = 0;
    const feed = async () => {
      bytes = 0;
      for await (const chunk of lheoStream(db, { publishedOnly: true }, new Date(NOW), TODAY)) bytes += chunk.length;
    };
    const raw = `select s.*, ol.component_id, c.title, st.name, st.postcode, p.name from session s join order_line ol on ol.id = s.order_line_id join "order" o on o.id = ol.order_id
      join component c on c.id = ol.component_id left join site st on st.id = s.site_id join provider p on p.id = s.provider_id
      where s.end_date >= $1 and s.published_at is not null and o.status = 'issued' order by c.id, ol.id, s.start_date, s.id`;
    await figure("LHEO feed (streamed, published)", n, feed, () => database.pool.query(raw, [TODAY]), { memory: true, min: 2, max: 10, budgetMs: 15000 });
    figures[figures.length - 1].note = `${Math.round(bytes / 1024)} kB of XML; raw: the same sessions in one read`;
    await explain(database, `sessions ${n}`, `${raw} limit 500`, [TODAY]);
  }
  await drop();
}

// ——— Attendance rows: the first order's figures while the tables grow ———
async function attendanceSeries() {
  const { database, drop } = await freshDatabase("attendance");
  const db = database.db;
  const q = (text: string, params: unknown[]) => database.pool.query(text, params);
  const perOrder = PATHS_PER_ORDER * SLOTS_PER_GROUP;
  let first: Awaited<ReturnType<typeof orderWithAttendance>> | undefined;
  let orders = 0;
  /** Certificate batches ask disjoint weeks, across sizes too (at most 4 runs a size: warm-up and max 3). */
  let week = 0;
  const sizes = sized([20_000, 200_000, 2_000_000], perOrder).map((x) => Math.max(perOrder, Math.round(x / perOrder) * perOrder));
  for (const n of sizes.filter((x, i) => x <= MAX_ATTENDANCE && sizes.indexOf(x) === i)) {
    const t0 = performance.now();
    while (orders * perOrder < n) {
      const o = await orderWithAttendance(db);
      first ??= o;
      orders++;
    }
    // VACUUM as well as ANALYZE: this machine's server runs without autovacuum, which on a real server
    // sets the visibility map after such a load; without it every index-only read (the verification's
    // chunk bounds) visits the heap: 1.5 s instead of 0.2 s of chunking at 200 000 rows (docs/adr/0047).
    await sql`vacuum analyze`.execute(db);
    console.error(JSON.stringify({ built: n, orders, seconds: +((performance.now() - t0) / 1000).toFixed(1) }));
    const fx = first as NonNullable<typeof first>;
    const actor = await actorOf(db, fx.adminEmail);
    const proved = "a.status in ('present', 'late') and a.signed_at is not null and a.signature is not null";
    await figure(
      "realised hours of an order (100 paths)",
      n,
      () => realisedTotalsByPath(db, fx.pathIds),
      () => q(`select a.path_id, s.modality, sum(a.realised_minutes) from attendance a join slot s on s.id = a.slot_id where a.path_id = any($1) and ${proved} group by 1, 2`, [fx.pathIds]),
    );
    await figure(
      "realised hours of a path",
      n,
      () => pathRealised(db, fx.pathIds[0]),
      () => q(`select s.modality, sum(a.realised_minutes) from attendance a join slot s on s.id = a.slot_id where a.path_id = $1 and ${proved} group by 1`, [fx.pathIds[0]]),
    );
    const monthRaw = `select a.path_id, s.modality, sum(a.realised_minutes) from attendance a join slot s on s.id = a.slot_id join path p on p.id = a.path_id
      where p.order_id = $1 and s.slot_date between $2 and $3 and ${proved} group by 1, 2`;
    await figure(
      "monthly billing statement (2026-03)",
      n,
      () => getBillingStatement(db, actor, fx.orderId, "2026-03"),
      async () => {
        await q(monthRaw, [fx.orderId, "2026-03-01", "2026-03-31"]);
        await q(monthRaw, [fx.orderId, "1900-01-01", "2026-02-28"]);
      },
    );
    await explain(database, `attendance ${n}`, monthRaw, [fx.orderId, "2026-03-01", "2026-03-31"]);
    // Both tables in keyset pages of 2 000 (at 2 000 000 rows, one read of every attendance row held them all in memory).
    const evidenceRaw = async () => {
      const pages = async (table: string, second: string) => {
        let after: [string, string] = ["00000000-0000-0000-0000-000000000000", second === "seq" ? "0" : "00000000-0000-0000-0000-000000000000"];
        for (;;) {
          const { rows } = await q(`select * from ${table} where (slot_id, ${second}) > ($1, $2) order by slot_id, ${second} limit 2000`, after);
          if (rows.length < 2000) break;
          after = [rows[rows.length - 1].slot_id, String(rows[rows.length - 1][second])];
        }
      };
      await pages("evidence", "seq");
      await pages("attendance", "path_id");
    };
    // The two runs of the stored verification (docs/adr/0047): the complete one (weekly, and `--complete`)
    // re-verifies every sheet; the routine one (daily) only the sheets written since their seal — here none
    // once the complete run has sealed them, its floor: every row's version read and every sheet digested.
    const run = (complete: boolean) => async () => {
      const report = await verifyAndSeal(db, { complete, now: clock.now() });
      if (report.broken.length) throw new Error(`verify-evidence found ${report.broken.length} broken chain(s): ${JSON.stringify(report.broken[0])}`);
    };
    const note = "raw: the evidence and the attendance rows in keyset pages of 2 000";
    await figure("verify-evidence, complete run (every chain and fact)", n, run(true), evidenceRaw, { memory: true, min: 1, max: 3, budgetMs: 30_000, note });
    await figure("verify-evidence, routine run (sheets unchanged since their seal)", n, run(false), evidenceRaw, { memory: true, min: 3, max: 10, budgetMs: 30_000, note });
    await figure(
      "certificate batch (100 paths, one week)",
      n,
      async () => {
        // A period never asked before (asking one again reuses its certificates, already attached to an
        // earlier batch), while every path has entered and signs: disjoint weeks from 4 May 2026.
        const from = new Date(Date.UTC(2026, 4, 4 + 7 * week++)).toISOString().slice(0, 10);
        const to = new Date(Date.UTC(2026, 4, 4 + 7 * week - 1)).toISOString().slice(0, 10);
        const { id } = await startCertificateBatch(db, actor, clock, fx.orderId, { from, to });
        for (;;) {
          const b = await db.selectFrom("document_batch").select(["status", "error"]).where("id", "=", id).executeTakeFirstOrThrow();
          if (b.status === "failed") throw new Error(`certificate batch failed: ${b.error}`);
          if (b.status === "done") break;
          await new Promise((r) => setTimeout(r, 20));
        }
      },
      () => q(`select a.path_id, s.modality, sum(a.realised_minutes) from attendance a join slot s on s.id = a.slot_id where a.path_id = any($1) and s.slot_date between '2026-05-04' and '2026-05-10' and ${proved} group by 1, 2`, [fx.pathIds]),
      { min: 1, max: 3, budgetMs: 20_000, note: "app: issued in the background runner (the PDF is drawn on download), polled every 20 ms; raw: a week's realised minutes of the 100 paths" },
    );
  }
  await drop();
}

const started = performance.now();
if (SERIES.includes("paths")) await pathsSeries();
if (SERIES.includes("sessions")) await sessionsSeries();
if (SERIES.includes("attendance")) await attendanceSeries();

const names = [...new Set(figures.map((f) => f.figure))];
const growth = names.flatMap((name) => {
  const fs = figures.filter((f) => f.figure === name);
  return fs.slice(1).map((f, i) => ({ figure: name, from: fs[i].size, to: f.size, exponent_p50: exponent(fs[i].app.p50_ms, f.app.p50_ms, fs[i].size, f.size), raw_exponent_p50: exponent(fs[i].raw_sql.p50_ms, f.raw_sql.p50_ms, fs[i].size, f.size) }));
});
const result = {
  bench: "growth (issue 16, point 7)",
  database: engine,
  at: new Date().toISOString(),
  node: process.version,
  scale: SCALE,
  machine: { cpus: os.cpus().length, loadavg_1m_at_end: +os.loadavg()[0].toFixed(1) },
  seconds: +((performance.now() - started) / 1000).toFixed(0),
  figures,
  growth_exponent: growth,
  explain: explains,
};
mkdirSync("bench/results", { recursive: true });
writeFileSync(`bench/results/growth-${engine}${SCALE === 1 ? "" : `-scale-${SCALE}`}.json`, `${JSON.stringify(result, null, 2)}\n`);
console.log(JSON.stringify(result, null, 2));
process.exit(0);
