import { serve } from "@hono/node-server";
import { loadConfig } from "./core/config.ts";
import { openDatabase } from "./core/db/index.ts";
import { migrateToLatest } from "./core/db/migrate.ts";
import { createApp } from "./core/http/app.tsx";
import { startBackgroundJobs } from "./core/jobs/worker.ts";
import { systemClock } from "./core/time.ts";
import { loadDemoIfEmpty } from "./demo/seed.ts";

const config = loadConfig();
const started = Date.now();
const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: config.poolSize });
await migrateToLatest(database.db);
const demo = process.argv.includes("--demo") ? await loadDemoIfEmpty(database.db) : undefined;

const app = createApp({ db: database.db, clock: systemClock, config });
const jobs = startBackgroundJobs({ db: database.db, clock: systemClock, config });
const server = serve({ fetch: app.fetch, port: config.port }, (info) => {
  const where = config.databaseUrl ? "PostgreSQL (DATABASE_URL)" : `base embarquée PGlite (${config.dataDir})`;
  console.log(`Compétences Plus prêt en ${Date.now() - started} ms sur http://localhost:${info.port} — ${where}`);
  if (demo) {
    console.log(demo.loaded ? "Données de démonstration chargées." : "Données de démonstration déjà présentes.");
    console.log("Comptes de démonstration (mot de passe commun : " + demo.password + ") :");
    for (const l of demo.logins) console.log(`  ${l.role.padEnd(34)} ${l.email}`);
  }
  console.log(config.smtpUrl ? `Courriels envoyés par SMTP (${new URL(config.smtpUrl).host}).` : "SMTP_URL absent : les courriels restent lisibles sur /boite-mail.");
});

let stopping = false;
async function shutdown() {
  if (stopping) return;
  stopping = true;
  server.close();
  await jobs.stop();
  await database.close();
  process.exit(0);
}
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
