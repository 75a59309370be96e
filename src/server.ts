// The platform's process once its modules are loaded (src/main.ts starts the embedded database
// first, then loads this module): database, migrations, demo, HTTP server, background jobs.
import { sql } from "kysely";
import type { Config } from "./core/config.ts";
import { type Database, openDatabase } from "./core/db/index.ts";
import type { EmbeddedServer } from "./core/db/embedded.ts";
import { startControlChannel } from "./core/db/backup.ts";
import { describeStartupFailure } from "./core/db/failure.ts";
import { migrateToLatest } from "./core/db/migrate.ts";
import { analyze } from "./core/db/analyze.ts";
import { configureSharedKeys, createApp, startBackgroundJobs } from "./app/index.ts";
import { startServer } from "./core/http/server.ts";
import { systemClock } from "./core/time.ts";
import { loadDemoIfEmpty } from "./demo/seed.ts";
import { markStartup, startupTimings } from "./core/startup-timing.ts";

markStartup("modules chargés");

/**
 * `embedded`: the embedded database main.ts started while this module loaded (none with DATABASE_URL).
 * `started`: when the process began (Date.now()), for the « prêt en … ms » line.
 */
export async function runServer(config: Config, embedded: Promise<EmbeddedServer> | undefined, started: number): Promise<void> {
  const demoMode = process.argv.includes("--demo");
  // The demo reads its mail at /boite-mail unless told otherwise (DEV_MAILBOX=false) or given SMTP.
  if (demoMode && process.env.DEV_MAILBOX !== "false" && !config.smtpUrl) config.devMailbox = true;

  /** A start that cannot reach its database says why in one French line and exits non-zero (no stack trace). */
  function fail(line: string): never {
    console.error(line);
    process.exit(1);
  }

  let database: Database;
  try {
    database = await openDatabase({
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      poolSize: config.poolSize,
      statementTimeoutMs: config.dbStatementTimeoutMs,
      connectTimeoutMs: config.dbConnectTimeoutMs,
      embedded,
    });
    await sql`select 1`.execute(database.db);
    markStartup(database.fromTemplate ? "base ouverte (modèle)" : "base ouverte");
  } catch (error) {
    fail(describeStartupFailure(error, config.databaseUrl));
  }
  try {
    if (config.databaseUrl) {
      // Own connection without the requests' statement timeout: a migration may rightly take minutes.
      const migrating = await openDatabase({ databaseUrl: config.databaseUrl, poolSize: 1, statementTimeoutMs: 0, connectTimeoutMs: config.dbConnectTimeoutMs });
      await migrateToLatest(migrating.db).finally(() => migrating.close());
    } else {
      await migrateToLatest(database.db);
    }
    markStartup("migrations");
  } catch (error) {
    fail(`Démarrage impossible : les migrations de la base ont échoué (${error instanceof Error ? error.message.split("\n")[0] : String(error)}).`);
  }
  try {
    await configureSharedKeys(database.db, config); // the same keys in every process (QR codes)
  } catch (error) {
    fail(`Démarrage impossible : ${error instanceof Error ? error.message : String(error)}`);
  }
  // The demo's ANALYZE (a bulk load, docs/adr/0020) runs once the server listens: nobody has opened a
  // page in the half-second it takes, and a request meanwhile only waits for it (ADR 0040).
  const demo = demoMode ? await loadDemoIfEmpty(database.db, { badgeKeyFile: config.badgeKeyFile, deferAnalyze: true }) : undefined;
  if (demoMode) markStartup("démo chargée");

  const app = createApp({ db: database.db, clock: systemClock, config });
  const jobs = startBackgroundJobs({ db: database.db, clock: systemClock, config });
  const { server, port } = await startServer(app.fetch, config.port);
  // Embedded: `npm run backup` asks this process for a consistent copy (the data dir is ours alone).
  const control = database.backup ? await startControlChannel(config.dataDir, database.backup) : undefined;
  markStartup("serveur à l'écoute");
  announce(port);
  for (const line of startupTimings()) console.log(line);
  if (demo?.loaded) {
    void analyze(database.db).catch((error) => console.error(`ANALYZE après le chargement de la démo : ${error instanceof Error ? error.message : String(error)}`));
  }

  function announce(port: number) {
    const where = config.databaseUrl ? "PostgreSQL (DATABASE_URL)" : `base embarquée PGlite (${config.dataDir})`;
    console.log(`Compétences Plus prêt en ${Date.now() - started} ms sur http://localhost:${port} (liens publics : ${config.publicUrl}) — ${where}`);
    if (demo) {
      console.log(demo.loaded ? "Données de démonstration chargées." : "Données de démonstration déjà présentes.");
      console.log("Comptes de démonstration (mot de passe commun : " + demo.password + ") :");
      const width = Math.max(...demo.logins.map((l) => l.role.length));
      for (const l of demo.logins) console.log(`  ${l.role.padEnd(width)}  ${l.email}`);
    }
    if (demo && config.devMailbox && !config.smtpUrl) console.log(`Boîte mail de démonstration : http://localhost:${port}/boite-mail (lien « Boîte mail (démo) » en haut de chaque page).`);
    console.log(config.smtpUrl ? `Courriels envoyés par SMTP (${new URL(config.smtpUrl).host}).` : config.devMailbox ? "SMTP_URL absent : chacun lit les courriels qui lui sont adressés sur /boite-mail." : "SMTP_URL absent : les courriels ne sont pas envoyés (DEV_MAILBOX=true pour les lire sur /boite-mail).");
  }

  let stopping = false;
  async function shutdown() {
    if (stopping) return;
    stopping = true;
    server.close();
    await control?.close();
    await jobs.stop();
    await database.close();
    process.exit(0);
  }
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
}
