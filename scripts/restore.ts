// npm run restore -- <file>: puts a backup of `npm run backup` back, then verifies the attendance
// evidence chains on the restored database (exit code 1 if one is broken).
// Embedded: the platform must be stopped; the current data dir is kept beside, renamed.
// PostgreSQL: pg_restore into DATABASE_URL, which must be a new, empty database (createdb first).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { loadConfig } from "../src/core/config.ts";
import { restoreEmbedded } from "../src/core/db/backup.ts";
import { type Database, openDatabase } from "../src/core/db/index.ts";
import { printEvidenceReport } from "./evidence-report.ts";
import { migrateToLatest } from "../src/core/db/migrate.ts";
import { analyze } from "../src/core/db/analyze.ts";

const config = loadConfig();
const file = process.argv[2];
let database: Database | undefined;
try {
  if (!file || !existsSync(file)) throw new Error(file ? `fichier introuvable : ${file}` : "indiquez le fichier : npm run restore -- <fichier>");
  if (config.databaseUrl) {
    const run = spawnSync("pg_restore", ["--no-owner", "--exit-on-error", `--dbname=${config.databaseUrl}`, file], { stdio: "inherit" });
    if (run.error) throw new Error("pg_restore introuvable : installez le client PostgreSQL (paquet postgresql-client).");
    if (run.status !== 0) throw new Error(`pg_restore a échoué (code ${run.status}) : la base cible doit être neuve et vide.`);
    database = await openDatabase({ databaseUrl: config.databaseUrl, poolSize: 1 });
    console.log(`Sauvegarde ${file} restaurée dans la base PostgreSQL de DATABASE_URL.`);
  } else {
    const restored = await restoreEmbedded(file, config.dataDir);
    database = restored.database;
    console.log(`Sauvegarde ${file} restaurée dans ${config.dataDir}.`);
    if (restored.previous) console.log(`L'ancienne base est conservée dans ${restored.previous}.`);
  }
} catch (error) {
  console.error(`Restauration impossible : ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
try {
  await migrateToLatest(database.db); // the stored reports' table, on a database from before it
  await analyze(database.db); // a bulk load: fresh statistics for the planner
  if (!(await printEvidenceReport(database.db, { complete: true }))) process.exitCode = 1;
} finally {
  await database.close();
}
