// `npm run bench` (second part): attendance signatures through the real HTTP path (POST
// /api/attendance/sign over a TCP socket, trainees' phones already enrolled as at 9:00), against a
// baseline measured in the same run: the raw pg driver writing the same rows (attendance + chained
// evidence under the slot lock) in one transaction each. Also certificate PDFs per second on one core.
// Writes JSON (stdout and bench/results/). `--processes 1,2,4`: through N platform processes instead.
import { spawn } from "node:child_process";
import { createHash, randomUUID } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { serve } from "@hono/node-server";
import pg from "pg";
import { loadConfig } from "../src/core/config.ts";
import { openDatabase } from "../src/core/db/index.ts";
import { migrateToLatest } from "../src/core/db/migrate.ts";
import { createApp } from "../src/app/index.ts";
import { systemClock } from "../src/core/time.ts";
import { claimDevice, enrolDevice } from "../src/domains/attendance/use-cases.ts";
import { attendanceSettings } from "../src/domains/attendance/settings.ts";
import { certificatePdf, contentHash, type CertificateContent } from "../src/domains/documents/certificate.ts";
import { actorOf, register } from "../src/domains/paths/testing.ts";
import { createOrderFixture } from "../test/support/fixtures.ts";

// --processes 1,2,4: the same signing through N real platform processes instead (bench/signing-processes.ts).
if (process.argv.includes("--processes")) {
  await import("./signing-processes.ts");
  process.exit(0);
}

const TRAINEES = Number(process.env.BENCH_TRAINEES ?? 100);
const SLOTS = Number(process.env.BENCH_SLOTS ?? 20);
/** Slots signed before measuring (not counted): the server's code is compiled by then, as at 9:00. */
const WARMUP_SLOTS = Number(process.env.BENCH_WARMUP_SLOTS ?? 5);
/** Phones signing at the same moment (a room of 16); the embedded pool is one connection (ADR 0001) either way. */
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const PDFS = Number(process.env.BENCH_PDFS ?? 200);
/**
 * BENCH_KPI_TRIGGERS=compare (issue 13): after the main figures, the same signing again with the dashboard's
 * rollup triggers on attendance (docs/adr/0034, 0041) and the stored findings' stale mark (0042) present and disabled in turn — on, off, on, off, SLOTS slots
 * each — in this throwaway database only (`alter table … disable trigger`, never in a migration).
 */
const KPI_COMPARE = process.env.BENCH_KPI_TRIGGERS === "compare";
const SIGNATURE = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 120"><path d="M20 80 C 60 10, 90 110, 130 60 S 200 20, 260 70" fill="none" stroke="black"/></svg>';

function stats(samples: number[], wallMs: number) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { n: samples.length, per_second: +((samples.length * 1000) / wallMs).toFixed(1), p50_ms: +at(0.5).toFixed(3), p95_ms: +at(0.95).toFixed(3), p99_ms: +at(0.99).toFixed(3), wall_ms: +wallMs.toFixed(1) };
}

/** Runs `jobs` with `concurrency` workers; returns each job's latency. */
async function pool(jobs: (() => Promise<void>)[], concurrency: number) {
  const samples: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < jobs.length) {
        const job = jobs[next++];
        const s = performance.now();
        await job();
        samples.push(performance.now() - s);
      }
    }),
  );
  return stats(samples, performance.now() - t0);
}

// On PostgreSQL the bench writes into a throwaway database created beside DATABASE_URL's, dropped at the end.
const serverUrl = process.env.DATABASE_URL;
const benchDb = `cp_bench_signing_${process.pid}`;
let databaseUrl: string | undefined;
if (serverUrl) {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${benchDb}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${benchDb}`;
  databaseUrl = url.toString();
}
const runDir = join(tmpdir(), `cp-bench-sign-${process.pid}`);
mkdirSync(join(runDir, "data"), { recursive: true });
const database = await openDatabase(databaseUrl ? { databaseUrl, poolSize: 10 } : { runDir, dataDir: join(runDir, "data"), poolSize: 1 });
await migrateToLatest(database.db);
const db = database.db;
const app = createApp({ db, clock: systemClock, config: loadConfig({}) });
const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" });
await new Promise((r) => server.once("listening", r));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

// Fixture: one order, TRAINEES trainees with enrolled phones, 2 × SLOTS open slots (half for the app, half for the raw driver).
const fx = await createOrderFixture(db, { headcount: TRAINEES, plannedStart: "2026-01-05", plannedEnd: "2026-12-31" });
const admin = await actorOf(db, fx.adminEmail);
const now = new Date();
const trainees: { pathId: string; cookie: string }[] = [];
for (let i = 0; i < TRAINEES; i++) {
  const { traineeId, pathId } = await register(db, admin, fx, { entryDate: "2026-01-05", plannedExitDate: "2026-12-31" });
  const { token } = await enrolDevice(db, admin, now, traineeId);
  const claimed = await claimDevice(db, now, token);
  trainees.push({ pathId, cookie: `cp_device=${claimed.token}` });
}
async function openSlot(): Promise<string> {
  const id = randomUUID();
  const date = now.toISOString().slice(0, 10);
  await db
    .insertInto("slot")
    .values({ id, provider_id: fx.providerId, order_line_id: fx.orderLineId, site_id: fx.siteId, slot_date: date, start_time: "00:00", end_time: "23:59", starts_at: new Date(now.getTime() - 10 * 60_000), ends_at: new Date(now.getTime() + 3 * 3_600_000), modality: "centre", status: "open", holiday_override: true })
    .execute();
  await db.insertInto("slot_trainee").values(trainees.map((t) => ({ slot_id: id, path_id: t.pathId }))).execute();
  return id;
}
const appSlots: string[] = [];
const rawSlots: string[] = [];
const warmSlots: string[] = [];
for (let i = 0; i < WARMUP_SLOTS; i++) warmSlots.push(await openSlot());
for (let i = 0; i < SLOTS; i++) appSlots.push(await openSlot());
for (let i = 0; i < SLOTS; i++) rawSlots.push(await openSlot());
const kpiPhases: { triggers: "on" | "off"; slots: string[] }[] = [];
if (KPI_COMPARE) for (const triggers of ["on", "off", "on", "off"] as const) kpiPhases.push({ triggers, slots: await Promise.all(Array.from({ length: SLOTS }, openSlot)) });
const secret = attendanceSettings().secret;

// The load comes from another process (bench/sign-client.ts), as phones would: the server's event
// loop serves requests only. Jobs go slot by slot, a room at a time.
const jobsOf = (slots: string[]) => slots.flatMap((slotId) => trainees.map((t) => ({ slotId, cookie: t.cookie })));
const spec = { base, secret: secret.toString("hex"), concurrency: CONCURRENCY, signature: SIGNATURE };
async function runClient(floor = false, slots = appSlots) {
  const file = join(runDir, floor ? "floor.json" : "jobs.json");
  const jobs = jobsOf(slots);
  // The warm-up slots are signed once, before the main figure; later phases start warm.
  writeFileSync(file, JSON.stringify(floor ? { ...spec, jobs, warmup: jobs, path: "/api/bench-floor", expect: 404 } : { ...spec, jobs, warmup: slots === appSlots ? jobsOf(warmSlots) : [] }));
  const child = spawn(process.execPath, ["--import", "tsx", "bench/sign-client.ts", file], { stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  child.stdout.on("data", (c) => (out += c));
  const code = await new Promise((r) => child.on("exit", r));
  if (code !== 0) throw new Error(`bench client exited with ${code}`);
  const { samples, wallMs } = JSON.parse(out) as { samples: number[]; wallMs: number };
  return stats(samples, wallMs);
}
// The floor: the same requests to an unknown API path (middleware, router, a 404 problem), no signing.
const http_floor = await runClient(true);

// BENCH_PROFILE=file.cpuprofile: the server's main thread profiled during the signing phase.
const profiler = process.env.BENCH_PROFILE ? new (await import("node:inspector/promises")).Session() : undefined;
if (profiler) {
  profiler.connect();
  await profiler.post("Profiler.enable");
  await profiler.post("Profiler.start");
}
const elu0 = performance.eventLoopUtilization();
const cpu0 = process.cpuUsage();
const tPhase0 = process.hrtime.bigint() / 1000n;
const app_http = await runClient();
if (process.env.BENCH_PHASE) console.error("PHASE", tPhase0, process.hrtime.bigint() / 1000n);
const cpu = process.cpuUsage(cpu0);
const server_process = {
  main_thread_event_loop_utilisation: +performance.eventLoopUtilization(elu0).utilization.toFixed(2),
  cpu_ms_per_signature_all_threads: +((cpu.user + cpu.system) / 1000 / (appSlots.length * trainees.length)).toFixed(3),
};
if (profiler) writeFileSync(String(process.env.BENCH_PROFILE), JSON.stringify((await profiler.post("Profiler.stop")).profile));

// The derived-data triggers' cost per signature (the dashboard's rollups, ADR 0034/0041; the stored findings'
// stale mark, ADR 0042): the same signing with them present, then disabled, twice.
const KPI_TRIGGERS = ["kpi_attendance_insert", "kpi_attendance_update", "kpi_attendance_delete", "paths_findings_attendance_insert", "paths_findings_attendance_update", "paths_findings_attendance_delete"];
const kpi_triggers: { triggers: string; app_http: ReturnType<typeof stats> }[] = [];
for (const phase of kpiPhases) {
  for (const t of KPI_TRIGGERS) await database.pool.query(`alter table attendance ${phase.triggers === "on" ? "enable" : "disable"} trigger ${t}`);
  kpi_triggers.push({ triggers: phase.triggers, app_http: await runClient(false, phase.slots) });
  console.error(JSON.stringify(kpi_triggers[kpi_triggers.length - 1]));
}
for (const t of KPI_TRIGGERS) if (KPI_COMPARE) await database.pool.query(`alter table attendance enable trigger ${t}`);

// Baseline: the same rows (attendance + chained evidence, under the slot lock) through raw pg.
const sha = (s: string) => createHash("sha256").update(s).digest("hex");
const rawJobs = rawSlots.flatMap((slotId) =>
  trainees.map((t) => async () => {
    const c = await database.pool.connect();
    try {
      await c.query("begin");
      await c.query("select id from slot where id = $1 for update", [slotId]);
      const last = await c.query("select seq, hash from evidence where slot_id = $1 order by seq desc limit 1", [slotId]);
      const at = new Date();
      await c.query(
        "insert into attendance (id, slot_id, path_id, status, realised_minutes, method, signed_at, signature, client_id) values ($1, $2, $3, 'present', 210, 'qr', $4, $5, $6) on conflict do nothing",
        [randomUUID(), slotId, t.pathId, at, SIGNATURE, randomUUID()],
      );
      const seq = (last.rows[0]?.seq ?? 0) + 1;
      const payload = JSON.stringify({ slotId, pathId: t.pathId, signatureHash: sha(SIGNATURE) });
      const payloadHash = sha(payload);
      const prev = last.rows[0]?.hash ?? null;
      await c.query(
        "insert into evidence (slot_id, seq, kind, actor_role, path_id, at, method, payload, payload_hash, prev_hash, hash) values ($1, $2, 'signature', 'trainee', $3, $4, 'qr', $5, $6, $7, $8)",
        [slotId, seq, t.pathId, at, payload, payloadHash, prev, sha(`${prev ?? ""}|${payloadHash}|${seq}|${at.toISOString()}`)],
      );
      await c.query("commit");
    } catch (e) {
      await c.query("rollback");
      throw e;
    } finally {
      c.release();
    }
  }),
);
const raw_driver = await pool(rawJobs, CONCURRENCY);

// Certificate PDFs, one core, sequential.
const content: CertificateContent = {
  provider: { name: "Institut Méditerranéen des Compétences", siret: "12345678901234", nda: "76310000031", address: "12 allée Jean Jaurès, 31000 Toulouse", legalRepresentative: "Hélène Garcès" },
  trainee: { firstName: "Anaïs", lastName: "Fabré" },
  action: { title: "Anglais professionnel (CECRL B1)", orderNumber: "BC-2026-0001", nature: "Action de formation" },
  period: { from: "2026-03-02", to: "2026-04-30" },
  site: { name: "Site Compans", commune: "Toulouse" },
  minutes: { inPerson: 4200, gathering: 0, distance: 840, selfStudyRemote: 240, selfStudyCentre: 120, company: 1200, total: 6600 },
  absences: { absent: 1, excused: 1, minutes: 420 },
  issuedOn: "2026-05-04",
};
const cert = { verificationCode: "bench-verification-code", contentHash: contentHash(content), content, issuedAt: new Date() };
for (let i = 0; i < 10; i++) await certificatePdf([{ cert, verifyUrl: "https://example.test/verifier/bench" }]);
const pdfSamples: number[] = [];
const p0 = performance.now();
for (let i = 0; i < PDFS; i++) {
  const s = performance.now();
  await certificatePdf([{ cert, verifyUrl: `https://example.test/verifier/bench-${i}` }]);
  pdfSamples.push(performance.now() - s);
}
const certificate_pdf = stats(pdfSamples, performance.now() - p0);

const rows = await db.selectFrom("attendance").select((eb) => eb.fn.countAll<number>().as("n")).where("slot_id", "in", appSlots).executeTakeFirstOrThrow();
const result = {
  benchmark: "attendance signing (POST /api/attendance/sign over HTTP, device session) vs raw pg; certificate PDFs",
  database: databaseUrl ? "postgresql" : "pglite-embedded",
  node: process.version,
  concurrency: CONCURRENCY,
  signatures: appSlots.length * trainees.length,
  rows_written_by_app: Number(rows.n),
  app_http,
  server_process,
  http_floor,
  app_vs_http_floor_ratio: +(app_http.per_second / http_floor.per_second).toFixed(3),
  raw_driver,
  app_vs_raw_ratio: +(app_http.per_second / raw_driver.per_second).toFixed(3),
  certificate_pdf,
  ...(KPI_COMPARE ? { kpi_triggers } : {}),
  // The attendance issue's targets on a 2-core machine, judged on this run.
  targets: databaseUrl
    ? {
        "signatures_per_second >= 5000": app_http.per_second >= 5000,
        "p99_ms <= 50": app_http.p99_ms <= 50,
        "app_vs_raw_ratio >= 0.5": app_http.per_second / raw_driver.per_second >= 0.5,
        "certificate_pdfs_per_second >= 100": certificate_pdf.per_second >= 100,
      }
    : {
        "signatures_per_second >= 500": app_http.per_second >= 500,
        "app_vs_raw_ratio >= 0.5": app_http.per_second / raw_driver.per_second >= 0.5,
        "certificate_pdfs_per_second >= 100": certificate_pdf.per_second >= 100,
      },
  measured_at: new Date().toISOString(),
};
console.log(JSON.stringify(result, null, 2));
mkdirSync("bench/results", { recursive: true });
writeFileSync(`bench/results/signing-${result.database}.json`, `${JSON.stringify(result, null, 2)}\n`);
server.close();
await database.close();
if (serverUrl) {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${benchDb}`);
  await admin.end();
}
process.exit(0);
