// `npm run bench`: the live path check (POST /api/paths/{id}/check, what the builder calls as the
// user types) on the demo dataset, through the real HTTP handler, against a baseline measured in
// the same run: the raw pg driver issuing the same reads. Writes JSON (stdout and bench/results/).
import { mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { loadConfig } from "../src/core/config.ts";
import { openDatabase } from "../src/core/db/index.ts";
import { migrateToLatest } from "../src/core/db/migrate.ts";
import { createApp } from "../src/app/index.ts";
import { systemClock } from "../src/core/time.ts";
import { loadDemoIfEmpty } from "../src/demo/seed.ts";

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 300);
const WARMUP = 30;

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  const total = samples.reduce((s, x) => s + x, 0);
  return { n: samples.length, p50_ms: +at(0.5).toFixed(3), p99_ms: +at(0.99).toFixed(3), mean_ms: +(total / samples.length).toFixed(3), per_second: +((samples.length * 1000) / total).toFixed(1) };
}

async function measure(fn: () => Promise<void>) {
  for (let i = 0; i < WARMUP; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < ITERATIONS; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  return stats(samples);
}

const databaseUrl = process.env.DATABASE_URL;
const runDir = join(tmpdir(), `cp-bench-${process.pid}`);
const database = await openDatabase(databaseUrl ? { databaseUrl } : { runDir, poolSize: 5 });
await migrateToLatest(database.db);
const demo = await loadDemoIfEmpty(database.db);
if (!demo.logins.length) throw new Error("bench: the database must be empty or hold the demo data");
const app = createApp({ db: database.db, clock: systemClock, config: loadConfig({}) });

const login = await app.request("/api/auth/login", {
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ email: "direction.imc@demo.competences-plus.fr", password: demo.password }),
});
const { token } = (await login.json()) as { token: string };
// The busiest order of that provider, and one of its validated paths with its current plan.
const path = await database.db
  .selectFrom("path as p")
  .innerJoin("app_user as u", "u.provider_id", "p.provider_id")
  .select(["p.id", "p.order_id", "p.entry_date", "p.planned_exit_date"])
  .where("u.email", "=", "direction.imc@demo.competences-plus.fr")
  .where("p.status", "=", "validated")
  .orderBy("p.order_id")
  .limit(1)
  .executeTakeFirstOrThrow();
const items = await database.db.selectFrom("path_item").selectAll().where("path_id", "=", path.id).orderBy("position").execute();
const plan = JSON.stringify({
  entryDate: path.entry_date,
  plannedExitDate: path.planned_exit_date,
  items: items.map((i) => ({ moduleId: i.module_id, label: i.label, modality: i.modality, selfStudyLocation: i.self_study_location, plannedMinutes: i.planned_minutes, exempted: i.exempted, exemptionReason: i.exemption_reason ?? undefined })),
});
const pathsInOrder = await database.db.selectFrom("path").select((eb) => eb.fn.countAll<number>().as("n")).where("order_id", "=", path.order_id).executeTakeFirstOrThrow();

const app_check = await measure(async () => {
  const res = await app.request(`/api/paths/${path.id}/check`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: plan });
  if (res.status !== 200) throw new Error(`check answered ${res.status}: ${await res.text()}`);
  await res.arrayBuffer();
});

// Baseline: the reads the check needs (session, path, order, lines, paths, items, modules) through raw pg.
const raw_reads = await measure(async () => {
  const c = await database.pool.connect();
  try {
    await c.query("select s.csrf_token, u.* from user_session s join app_user u on u.id = s.user_id where s.id = $1 and s.expires_at > now()", [token]);
    await c.query("select * from path where id = $1", [path.id]);
    await c.query('select o.*, l.framework_end from "order" o join lot l on l.id = o.lot_id join provider p on p.id = o.provider_id where o.id = $1', [path.order_id]);
    await c.query("select ol.*, c.title, c.e_formation, c.hybrid_status from order_line ol join component c on c.id = ol.component_id where ol.order_id = $1", [path.order_id]);
    const paths = await c.query("select p.*, t.first_name, t.last_name, pos.* from path p join trainee t on t.id = p.trainee_id left join positioning pos on pos.path_id = p.id where p.order_id = $1", [path.order_id]);
    await c.query("select i.*, m.content_tag, m.minutes from path_item i left join module m on m.id = i.module_id where i.path_id = any($1)", [paths.rows.map((r) => r.id)]);
    await c.query("select id, title, minutes, modality, content_tag from module where component_id = (select component_id from order_line where id = (select order_line_id from path where id = $1))", [path.id]);
  } finally {
    c.release();
  }
});

const result = {
  benchmark: "live path check (POST /api/paths/{id}/check)",
  database: databaseUrl ? "postgresql" : "pglite-embedded",
  at: new Date().toISOString(),
  node: process.version,
  paths_in_order: Number(pathsInOrder.n),
  app_check,
  baseline_raw_reads: raw_reads,
  app_over_raw_p50: +(app_check.p50_ms / raw_reads.p50_ms).toFixed(2),
};
mkdirSync("bench/results", { recursive: true });
writeFileSync(join("bench/results", `path-check-${result.database}.json`), `${JSON.stringify(result, null, 2)}\n`);
console.log(JSON.stringify(result, null, 2));
await database.close();
process.exit(0);
