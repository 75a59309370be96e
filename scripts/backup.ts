// npm run backup [-- <file>]: a consistent copy of the database while the platform runs.
// Embedded (no DATABASE_URL): asked of the running platform over DATA_DIR/run/control.sock (or the
// data dir opened directly when it is stopped) → a gzipped tar of PGlite's data dir.
// PostgreSQL: pg_dump --format=custom (a snapshot; PITR: docs/operations.md).
import { spawnSync } from "node:child_process";
import { mkdirSync, renameSync, statSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { loadConfig } from "../src/core/config.ts";
import { backupEmbedded } from "../src/core/db/backup.ts";

const config = loadConfig();
const stamp = new Date().toISOString().replace(/[:.]/g, "-").slice(0, 19);
const file = process.argv[2] ?? `sauvegardes/competences-plus-${stamp}${config.databaseUrl ? ".dump" : ".tar.gz"}`;
mkdirSync(dirname(file), { recursive: true });
const megabytes = () => (statSync(file).size / 1e6).toFixed(1);

try {
  if (config.databaseUrl) {
    const run = spawnSync("pg_dump", ["--format=custom", "--no-owner", `--file=${file}`, `--dbname=${config.databaseUrl}`], { stdio: "inherit" });
    if (run.error) throw new Error("pg_dump introuvable : installez le client PostgreSQL (paquet postgresql-client) de la même version que le serveur.");
    if (run.status !== 0) throw new Error(`pg_dump a échoué (code ${run.status}).`);
    console.log(`Sauvegarde PostgreSQL écrite : ${file} (${megabytes()} Mo, format personnalisé de pg_dump ; npm run restore -- ${file}).`);
  } else {
    const { bytes, from } = await backupEmbedded(config.dataDir);
    const partial = `${file}.partial`;
    writeFileSync(partial, bytes);
    renameSync(partial, file); // never a half-written file under the final name
    const how = from === "running" ? "copie faite par la plateforme en marche" : "plateforme arrêtée, base ouverte par la sauvegarde";
    console.log(`Sauvegarde de la base embarquée écrite : ${file} (${megabytes()} Mo, ${how} ; npm run restore -- ${file}).`);
  }
} catch (error) {
  console.error(`Sauvegarde impossible : ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
