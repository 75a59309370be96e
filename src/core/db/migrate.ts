import { FileMigrationProvider, Migrator } from "kysely";
import { promises as fs } from "node:fs";
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
