import pg from "pg";
import { Kysely, PostgresDialect, sql } from "kysely";
import { promisify } from "node:util";
import { gzip } from "node:zlib";
import type { DB } from "./schema.ts";
import { embeddedPaths, startEmbedded, type EmbeddedServer } from "./embedded.ts";
import { prepareMarked } from "./prepared.ts";

// DATE columns are Europe/Paris calendar dates: keep them as 'YYYY-MM-DD' strings, never JS Dates
// (a Date would shift them through the process time zone). int8 sums come back as numbers.
pg.types.setTypeParser(1082, (v: string) => v);
pg.types.setTypeParser(20, (v: string) => Number(v));
pg.types.setTypeParser(1700, (v: string) => Number(v));

export type Db = Kysely<DB>;

export interface Database {
  db: Db;
  pool: pg.Pool;
  /** Embedded only: the empty data folder was started from the built template (template.ts). */
  fromTemplate?: boolean;
  /** Embedded only: writes a copy of the data dir (the test template). */
  dump?(file: string): Promise<void>;
  /** Embedded only: a consistent copy of the data dir (gzipped tar), made while the platform runs (backup.ts). */
  backup?(): Promise<Buffer>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl?: string;
  dataDir?: string;
  runDir?: string;
  poolSize?: number;
  loadDataDirFile?: string;
  /** Embedded, with a dataDir: start an empty one from this template instead of initdb (template.ts). */
  template?: string;
  /** Embedded: the server already starting for `dataDir` (main.ts starts it before loading the app). */
  embedded?: Promise<EmbeddedServer>;
  /** PostgreSQL only (DB_STATEMENT_TIMEOUT_MS): statement_timeout of every session. */
  statementTimeoutMs?: number;
  /** PostgreSQL only (DB_CONNECT_TIMEOUT_MS): opening a connection fails after this delay. */
  connectTimeoutMs?: number;
  /** Where connection losses are reported (default: stderr, once per outage). */
  log?: (message: string) => void;
}

/**
 * A lost connection must never end the process. pg emits 'error' on a client whose socket dies —
 * idle (the pool relays it) or checked out by a request (no listener: Node would throw it and exit).
 * Both are reported once per outage; the query in flight fails on its own (503 via toDomainError),
 * the broken client leaves the pool at release and the next request opens a new connection.
 */
function survive(pool: pg.Pool, log: (message: string) => void) {
  let reported = false;
  const onError = (error: Error) => {
    if (reported) return;
    reported = true;
    log(`base de données : connexion perdue (${error.message}) — les requêtes répondent 503 jusqu'à son retour.`);
  };
  pool.on("error", onError);
  pool.on("connect", (client) => {
    client.on("error", onError);
    reported = false; // a connection opened again: the next loss is a new outage
  });
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  // Embedded: one connection. pglite-socket queues each protocol message on its own, so two
  // connections' Parse/Bind/Execute interleave on PGlite's single session (measured: error 34000,
  // invalid cursor name, under concurrent requests). PGlite runs one query at a time anyway.
  const max = options.databaseUrl ? (options.poolSize ?? 5) : 1;
  let embedded: EmbeddedServer | undefined;
  let pool: pg.Pool;
  if (options.databaseUrl) {
    // 0: no timeout (the migrations' own pool: an index on a large table may take minutes).
    const statementTimeout = options.statementTimeoutMs ?? 30_000;
    const timeouts = statementTimeout
      ? {
          statement_timeout: statementTimeout,
          // A transaction left open by a stuck request must not hold its locks for ever.
          idle_in_transaction_session_timeout: Math.max(statementTimeout, 60_000),
          // The server cancels a slow statement; this catches a connection that no longer answers at all.
          query_timeout: statementTimeout + 5_000,
        }
      : {};
    // JIT off: the platform's queries are short, and an aggregate with a proof predicate (provedPresence's
    // EXISTS, the evidence verifier's hashing) is estimated costly enough to be JIT-compiled — 2 s of
    // compilation for 0.3 s of work on an order's realised hours at 200 000 attendance rows, 10 s per
    // verification chunk (EXPLAIN ANALYZE, issue 16). PGlite has no JIT.
    pool = new pg.Pool({ connectionString: options.databaseUrl, max, connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000, keepAlive: true, options: "-c jit=off", ...timeouts });
  } else {
    const runDir = options.runDir ?? embeddedPaths(options.dataDir ?? "data").runDir;
    embedded = options.embedded ? await options.embedded : await startEmbedded({
      dataDir: options.dataDir ? embeddedPaths(options.dataDir).dataDir : undefined,
      runDir,
      maxConnections: max,
      loadDataDirFile: options.loadDataDirFile,
      template: options.template,
    });
    pool = new pg.Pool({ host: embedded.socketDir, port: 5432, user: "postgres", database: "postgres", max });
  }
  survive(pool, options.log ?? ((m) => console.error(m)));
  if (options.databaseUrl) pool.on("connect", prepareMarked);
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    pool,
    fromTemplate: embedded?.fromTemplate,
    dump: embedded ? (file) => embedded.dump(file) : undefined,
    backup: embedded ? () => backupEmbedded(pool, embedded) : undefined,
    async close() {
      await db.destroy();
      // Kysely ends the pool only if it ever ran a query; a pool used directly (a backup) must end too.
      if (!pool.ending) await pool.end();
      await embedded?.stop();
    },
  };
}

export { startEmbedded };

/**
 * Holding the pool's only connection (ADR 0001), idle, nothing else reaches PGlite: no transaction is
 * half-done while the worker checkpoints and copies the data dir. Requests wait for it (~1 s).
 */
async function backupEmbedded(pool: pg.Pool, embedded: EmbeddedServer): Promise<Buffer> {
  const client = await pool.connect();
  let tar: Uint8Array;
  try {
    tar = await embedded.backup();
  } finally {
    client.release();
  }
  return promisify(gzip)(tar);
}

/** `/health`: is the database answering now? Bounded, so a black-holed server cannot stall the probe. */
export async function databaseAnswers(db: Db, timeoutMs = 2_000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
  const probe = sql`select 1`.execute(db).then(() => true, () => false);
  try {
    return await Promise.race([probe, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
