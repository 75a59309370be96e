import { FileMigrationProvider, Migrator, sql } from "kysely";
import { promises as fs, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { analyze } from "./analyze.ts";
import type { Db } from "./index.ts";

/** From the sources (tsx) the .ts files; from the build (npm start, dist/server/app/) the compiled ones. */
export const migrationsDir = fileURLToPath(new URL(import.meta.url.endsWith(".ts") ? "../../../migrations" : "../migrations", import.meta.url));

/**
 * Forward-only: files are never edited once landed; the same files run on PGlite and PostgreSQL.
 * Several processes may start at once against one PostgreSQL (docs/operations.md): Kysely's Migrator
 * takes a session-level advisory lock (pg_advisory_lock, lock_timeout 1 h) on one connection and runs
 * the pending migrations in one transaction under it, so the first process migrates and the others
 * wait, then find nothing to do; creating its own bookkeeping tables tolerates the race (it checks
 * again after a failed CREATE). Checked by test/e2e/multi-process.test.ts (two processes, an empty database).
 */
export async function migrateToLatest(db: Db): Promise<void> {
  if (await upToDate(db)) return;
  const migrator = new Migrator({
    db,
    provider: new FileMigrationProvider({ fs, path, migrationFolder: migrationsDir }),
  });
  const { error, results } = await migrator.migrateToLatest();
  for (const r of results ?? []) {
    if (r.status === "Error") console.error(`migration ${r.migrationName} failed`);
  }
  if (error) throw error;
  // New tables and indexes, or an empty database just filled by its reference data: fresh statistics.
  if (results?.length) await analyze(db);
}

/**
 * Every start, nothing to do: the applied migrations are exactly the folder's files. One read instead
 * of the Migrator's bookkeeping (its tables checked, every migration module imported, a lock taken):
 * 2–3 s of a start on the loaded machine (ADR 0040). Anything else — a pending migration, one the
 * folder lacks, no bookkeeping table yet — goes through the Migrator, which applies or reports it.
 */
async function upToDate(db: Db): Promise<boolean> {
  const files = readdirSync(migrationsDir)
    .filter((f) => /\.(js|mjs|ts|mts)$/.test(f) && !/\.d\.m?ts$/.test(f))
    .map((f) => f.slice(0, f.lastIndexOf(".")));
  let applied: string[];
  try {
    applied = (await sql<{ name: string }>`select name from kysely_migration`.execute(db)).rows.map((r) => r.name);
  } catch {
    return false; // a new database: no bookkeeping table yet
  }
  const known = new Set(files);
  return applied.length === known.size && applied.every((name) => known.has(name));
}
