// Data of the growth bench (bench/growth-db.ts), built on a fresh migrated database through the
// platform's own tables and builders: the test fixtures for the offer and the order, INSERT … SELECT
// for trainees, paths, plans and sessions, and the signing domain's builders (planAttendance,
// evidenceRow — through the demo's history writer) for attendance and its evidence chains.
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import pg from "pg";
import { analyze } from "../src/core/db/analyze.ts";
import { loadConfig } from "../src/core/config.ts";
import { type Database, openDatabase } from "../src/core/db/index.ts";
import { migrateToLatest } from "../src/core/db/migrate.ts";
import { emptyHistory, insertHistory, openSlot } from "../src/demo/attendance.ts";
import { createOrderFixture, type OrderFixture } from "../test/support/fixtures.ts";

export const databaseUrl = process.env.DATABASE_URL;
export const engine = databaseUrl ? "postgresql" : "pglite-embedded";

/**
 * A fresh migrated database: PostgreSQL `bench_growth_<name>` beside DATABASE_URL's (dropped by `drop`), or an embedded
 * one in a temp dir. BENCH_DB_PREFIX (default `bench_growth`) renames it, so two benches on one server never share one.
 */
export async function freshDatabase(name: string): Promise<{ database: Database; drop: () => Promise<void> }> {
  if (!databaseUrl) {
    const runDir = join(tmpdir(), `cp-growth-${name}-${randomBytes(4).toString("hex")}`);
    mkdirSync(runDir, { recursive: true });
    const database = await openDatabase({ runDir, poolSize: 2 });
    await migrateToLatest(database.db);
    return { database, drop: () => database.close() };
  }
  // BENCH_DB_PREFIX / BENCH_DB_SUFFIX keep two runs on one server apart (<prefix>_attendance_<suffix>).
  const suffix = process.env.BENCH_DB_SUFFIX ? `_${process.env.BENCH_DB_SUFFIX.replace(/[^a-z0-9_]/g, "")}` : "";
  const dbName = `${process.env.BENCH_DB_PREFIX ?? "bench_growth"}_${name}${suffix}`;
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${dbName}`);
  await admin.query(`create database ${dbName}`);
  await admin.end();
  const url = new URL(databaseUrl);
  url.pathname = `/${dbName}`;
  // The server's default pool (DB_POOL_SIZE, 5): the platform sends independent reads together. The bench's
  // sessions only wait longer than the server's 30 s (BENCH_STATEMENT_TIMEOUT_MS, default 10 min): building
  // and reading 2 000 000 attendance rows has statements longer than that; the server's setting is unchanged.
  const database = await openDatabase({
    databaseUrl: url.toString(),
    poolSize: loadConfig({ DB_POOL_SIZE: process.env.DB_POOL_SIZE }).poolSize,
    statementTimeoutMs: Number(process.env.BENCH_STATEMENT_TIMEOUT_MS ?? 600_000),
  });
  await migrateToLatest(database.db);
  return {
    database,
    drop: async () => {
      await database.close();
      const a = new pg.Client({ connectionString: databaseUrl });
      await a.connect();
      await a.query(`drop database if exists ${dbName}`);
      await a.end();
    },
  };
}

/** `n` validated paths on the fixture's order (trainees, paths, the component's modules as plan, positioning), entries spread over 120 days. */
export async function addPaths(db: Database["db"], fx: OrderFixture, n: number, o: { start: string; days: number }) {
  await sql`
    with t as (
      insert into trainee (id, provider_id, first_name, last_name, birth_date, job_seeker_registered, pedagogical_referent_id)
      select gen_random_uuid(), ${fx.providerId}, 'Prénom', 'Nom' || lpad(g::text, 7, '0'), date '1990-01-01', true, ${fx.referentId}
      from generate_series(1, ${n}::int) g returning id, last_name)
    insert into path (id, trainee_id, order_id, order_line_id, provider_id, site_id, status, entry_date, planned_exit_date)
    select gen_random_uuid(), t.id, ${fx.orderId}, ${fx.orderLineId}, ${fx.providerId}, ${fx.siteId}, 'validated',
      ${o.start}::date + substr(t.last_name, 4)::int % 120, ${o.start}::date + substr(t.last_name, 4)::int % 120 + ${o.days}::int
    from t`.execute(db);
  await sql`
    insert into path_item (id, path_id, module_id, label, modality, self_study_location, planned_minutes, position)
    select gen_random_uuid(), p.id, m.id, m.title, m.modality, case when m.modality = 'self_study' then 'centre' end, m.minutes, m.position
    from path p join order_line ol on ol.id = p.order_line_id join module m on m.component_id = ol.component_id where p.order_id = ${fx.orderId}`.execute(db);
  await sql`insert into positioning (path_id, minutes, evaluations, restitution_on) select id, 240, 'Tests et entretien', entry_date from path where order_id = ${fx.orderId}`.execute(db);
}

/** An order of `n` validated paths (a fresh provider, site, component and order of `headcount` n). */
export async function orderWithPaths(db: Database["db"], n: number): Promise<OrderFixture> {
  const fx = await createOrderFixture(db, { headcount: n, plannedStart: "2026-01-05", plannedEnd: "2026-12-31", centreMinutes: 11_400, companyMinutes: 0 });
  await addPaths(db, fx, n, { start: "2026-01-05", days: 300 });
  return fx;
}

/** `n` published sessions, current or upcoming (the feed's subject), 1 000 per order line. */
export async function addSessions(db: Database["db"], n: number) {
  for (let done = 0; done < n; done += 1000) {
    const fx = await createOrderFixture(db, { plannedStart: "2026-01-05", plannedEnd: "2027-12-31" });
    await sql`
      insert into session (id, provider_id, order_line_id, site_id, start_date, end_date, places, recruitment_open, published_at)
      select gen_random_uuid(), ${fx.providerId}, ${fx.orderLineId}, ${fx.siteId}, date '2027-01-04' + g % 300, date '2027-01-04' + g % 300 + 90, 12, true, now()
      from generate_series(1, ${Math.min(1000, n - done)}::int) g`.execute(db);
  }
}

export const SLOT_MINUTES = 180;
export const PATHS_PER_ORDER = 100;
export const SLOTS_PER_GROUP = 200;

/**
 * An order of 100 paths in 5 groups of 20, each group signing 200 slots of 3 h (one a day from
 * 5 January 2026): 20 000 attendance rows with their evidence chains and countersignatures, built by
 * the signing domain's own builders (nine in ten present and signed, one in ten absent).
 */
export async function orderWithAttendance(db: Database["db"]): Promise<OrderFixture & { pathIds: string[] }> {
  const fx = await orderWithPaths(db, PATHS_PER_ORDER);
  const paths = await db.selectFrom("path").select(["id", "trainee_id"]).where("order_id", "=", fx.orderId).orderBy("id").execute();
  const trainer = { id: fx.referentId, role: "pedagogical_referent" };
  for (let g = 0; g < PATHS_PER_ORDER / 20; g++) {
    const group = paths.slice(g * 20, g * 20 + 20);
    const h = emptyHistory();
    for (let s = 0; s < SLOTS_PER_GROUP; s++) {
      const date = new Date(Date.UTC(2026, 0, 5 + s)).toISOString().slice(0, 10);
      const slot = openSlot(h, { id: crypto.randomUUID(), providerId: fx.providerId, orderLineId: fx.orderLineId, siteId: fx.siteId, date, start: "09:00", end: "12:00", modality: "centre", trainer });
      group.forEach((p, i) => {
        const present = (s + i) % 10 !== 0;
        const signedAt = present ? new Date(slot.startsAt.getTime() + 5 * 60_000) : null;
        slot.record({ pathId: p.id, traineeId: p.trainee_id }, crypto.randomUUID(), { status: present ? "present" : "absent", late: 0, minutes: present ? SLOT_MINUTES : 0, signedAt });
      });
      slot.countersign();
    }
    await db.transaction().execute((tx) => insertHistory(tx, h));
  }
  return { ...fx, pathIds: paths.map((p) => p.id) };
}

export { analyze };
