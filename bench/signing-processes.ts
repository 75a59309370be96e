// `tsx bench/signing.ts --processes 1,2,4` (PostgreSQL only): attendance signing through 1, 2, 4…
// real platform processes (`src/main.ts`, as `npm start` runs it) against the same PostgreSQL, each
// beside the HTTP floor measured in the same run with the same processes (the same requests to an
// unknown API path: middleware, router, a 404 problem — the most this HTTP stack serves here).
// Phones (BENCH_CONCURRENCY, default 64) each keep one connection to one process, as behind a
// load balancer with keep-alive. Floor and signing alternate BENCH_ROUNDS times (median reported). Writes JSON (stdout and bench/results/signing-processes-postgresql.json).
import { spawn } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { openDatabase } from "../src/core/db/index.ts";
import { migrateToLatest } from "../src/core/db/migrate.ts";
import { claimDevice, enrolDevice } from "../src/domains/attendance/use-cases.ts";
import { actorOf, register } from "../src/domains/paths/testing.ts";
import { createOrderFixture } from "../test/support/fixtures.ts";
import { type AppProcess, spawnApp, withDatabase } from "../test/support/processes.ts";

const arg = process.argv[process.argv.indexOf("--processes") + 1] ?? "1,2,4";
const COUNTS = arg.split(",").map(Number).filter((n) => Number.isInteger(n) && n > 0);
const TRAINEES = Number(process.env.BENCH_TRAINEES ?? 100);
const SLOTS = Number(process.env.BENCH_SLOTS ?? 20);
const WARMUP_SLOTS = Number(process.env.BENCH_WARMUP_SLOTS ?? 5);
/** Floor and signing measured alternately this many times per process count; the median round is reported. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);
const POOL = process.env.BENCH_POOL_SIZE ?? "10";
const SIGNATURE = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 120"><path d="M20 80 C 60 10, 90 110, 130 60 S 200 20, 260 70" fill="none" stroke="black"/></svg>';

const serverUrl = process.env.DATABASE_URL;
if (!serverUrl || !COUNTS.length) {
  console.error("--processes 1,2,4 : mesure sur PostgreSQL seulement (DATABASE_URL) ; la base embarquée ne sert qu'un processus.");
  process.exit(1);
}

function stats(samples: number[], wallMs: number) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { n: samples.length, per_second: +((samples.length * 1000) / wallMs).toFixed(1), p50_ms: +at(0.5).toFixed(3), p99_ms: +at(0.99).toFixed(3), wall_ms: +wallMs.toFixed(1) };
}

/** CPU time (user + system, ms) a process has used so far, from /proc (Linux). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in clock ticks of 10 ms
}

const benchDb = `cp_bench_processes_${process.pid}`;
const admin = new pg.Client({ connectionString: serverUrl });
await admin.connect();
await admin.query(`create database ${benchDb}`);
await admin.end();
const databaseUrl = withDatabase(serverUrl, benchDb);
const database = await openDatabase({ databaseUrl, poolSize: 4 });
await migrateToLatest(database.db);
const db = database.db;

const fx = await createOrderFixture(db, { headcount: TRAINEES, plannedStart: "2026-01-05", plannedEnd: "2026-12-31" });
const provider = await actorOf(db, fx.adminEmail);
const now = new Date();
const trainees: { pathId: string; cookie: string }[] = [];
for (let i = 0; i < TRAINEES; i++) {
  const { traineeId, pathId } = await register(db, provider, fx, { entryDate: "2026-01-05", plannedExitDate: "2026-12-31" });
  const { token } = await enrolDevice(db, provider, now, traineeId);
  trainees.push({ pathId, cookie: `cp_device=${(await claimDevice(db, now, token)).token}` });
}
async function openSlot(): Promise<string> {
  const id = randomUUID();
  await db
    .insertInto("slot")
    .values({ id, provider_id: fx.providerId, order_line_id: fx.orderLineId, site_id: fx.siteId, slot_date: now.toISOString().slice(0, 10), start_time: "00:00", end_time: "23:59", starts_at: new Date(now.getTime() - 10 * 60_000), ends_at: new Date(now.getTime() + 3 * 3_600_000), modality: "centre", status: "open", holiday_override: true })
    .execute();
  await db.insertInto("slot_trainee").values(trainees.map((t) => ({ slot_id: id, path_id: t.pathId }))).execute();
  return id;
}
const jobsOf = (slots: string[]) => slots.flatMap((slotId) => trainees.map((t) => ({ slotId, cookie: t.cookie })));

// The processes read the QR key from ATTENDANCE_SECRET; the client signs its codes with the same.
const secret = randomBytes(24).toString("hex");
const runDir = join(tmpdir(), `cp-bench-processes-${process.pid}`);
mkdirSync(runDir, { recursive: true });

async function runClient(spec: Record<string, unknown>) {
  const file = join(runDir, "jobs.json");
  writeFileSync(file, JSON.stringify({ concurrency: CONCURRENCY, signature: SIGNATURE, secret: Buffer.from(secret, "utf8").toString("hex"), ...spec }));
  const child = spawn(process.execPath, ["--import", "tsx", "bench/sign-client.ts", file], { stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  child.stdout.on("data", (c) => (out += c));
  const code = await new Promise((r) => child.on("exit", r));
  if (code !== 0) throw new Error(`bench client exited with ${code}`);
  const { samples, wallMs } = JSON.parse(out) as { samples: number[]; wallMs: number };
  return stats(samples, wallMs);
}

/** The round whose throughput is the median: one noisy round (another job on the machine) does not make the figure. */
const median = <T extends { per_second: number }>(rounds: T[]) => [...rounds].sort((a, b) => a.per_second - b.per_second)[Math.floor(rounds.length / 2)];

const runs = [];
const loadBefore = loadavg()[0];
for (const n of COUNTS) {
  const processes: AppProcess[] = await Promise.all(
    Array.from({ length: n }, () => spawnApp({ DATABASE_URL: databaseUrl, ATTENDANCE_SECRET: secret, DB_POOL_SIZE: POOL, WORKER_POLL_MS: "600000" }, 60_000)),
  );
  const bases = processes.map((p) => p.base);
  const warm: string[] = [];
  for (let i = 0; i < WARMUP_SLOTS; i++) warm.push(await openSlot());
  await runClient({ base: bases[0], bases, jobs: jobsOf(warm) }); // the processes' code compiled, as at 9:00
  // Floor and signing alternate, ROUNDS times, each round on fresh slots.
  const floors = [];
  const apps = [];
  let cpu = 0;
  let signed = 0;
  const measured: string[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const slots: string[] = [];
    for (let i = 0; i < SLOTS; i++) slots.push(await openSlot());
    measured.push(...slots);
    const jobs = jobsOf(slots);
    floors.push(await runClient({ base: bases[0], bases, jobs, path: "/api/bench-floor", expect: 404 }));
    const cpu0 = processes.map((p) => cpuMs(p.child.pid as number));
    apps.push(await runClient({ base: bases[0], bases, jobs }));
    cpu += processes.reduce((sum, p, i) => sum + cpuMs(p.child.pid as number) - cpu0[i], 0);
    signed += jobs.length;
  }
  await Promise.all(processes.map((p) => p.stop()));
  const rows = await db.selectFrom("attendance").select((eb) => eb.fn.countAll<number>().as("n")).where("slot_id", "in", measured).executeTakeFirstOrThrow();
  const app_http = median(apps);
  const http_floor = median(floors);
  const ratio = +(app_http.per_second / http_floor.per_second).toFixed(3);
  runs.push({
    processes: n,
    rows_written: Number(rows.n),
    app_http,
    http_floor,
    app_vs_http_floor_ratio: ratio,
    server_cpu_ms_per_signature: +(cpu / signed).toFixed(3),
    rounds: { app_per_second: apps.map((r) => r.per_second), app_p99_ms: apps.map((r) => r.p99_ms), floor_per_second: floors.map((r) => r.per_second) },
    targets: { "app >= 50 % of the HTTP floor": ratio >= 0.5, "p99_ms <= 50": app_http.p99_ms <= 50 },
  });
  console.error(`${n} processus : ${app_http.per_second}/s (p99 ${app_http.p99_ms} ms), plancher HTTP ${http_floor.per_second}/s, rapport ${ratio}`);
}

const result = {
  benchmark: "attendance signing through N platform processes (src/main.ts) against one PostgreSQL, beside the HTTP floor of the same N processes",
  database: "postgresql",
  node: process.version,
  phones_at_once: CONCURRENCY,
  signatures_per_round: SLOTS * TRAINEES,
  rounds: ROUNDS,
  db_pool_size_per_process: Number(POOL),
  cores: cpus().length,
  // The machine's 1-minute load average before and after: other jobs sharing the cores show here.
  load_average: { before: +loadBefore.toFixed(2), after: +loadavg()[0].toFixed(2) },
  runs,
  measured_at: new Date().toISOString(),
};
console.log(JSON.stringify(result, null, 2));
mkdirSync("bench/results", { recursive: true });
writeFileSync("bench/results/signing-processes-postgresql.json", `${JSON.stringify(result, null, 2)}\n`);
await database.close();
const again = new pg.Client({ connectionString: serverUrl });
await again.connect();
await again.query(`drop database if exists ${benchDb} with (force)`);
await again.end();
process.exit(0);
