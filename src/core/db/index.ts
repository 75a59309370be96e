import pg from "pg";
import { Kysely, PostgresDialect } from "kysely";
import { join } from "node:path";
import type { DB } from "./schema.ts";
import { startEmbedded, type EmbeddedServer } from "./embedded.ts";

// DATE columns are Europe/Paris calendar dates: keep them as 'YYYY-MM-DD' strings, never JS Dates
// (a Date would shift them through the process time zone). int8 sums come back as numbers.
pg.types.setTypeParser(1082, (v: string) => v);
pg.types.setTypeParser(20, (v: string) => Number(v));
pg.types.setTypeParser(1700, (v: string) => Number(v));

export type Db = Kysely<DB>;

export interface Database {
  db: Db;
  pool: pg.Pool;
  /** Embedded only: writes a copy of the data dir (the test template). */
  dump?(file: string): Promise<void>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl?: string;
  dataDir?: string;
  runDir?: string;
  poolSize?: number;
  loadDataDirFile?: string;
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  // Embedded: one connection. pglite-socket queues each protocol message on its own, so two
  // connections' Parse/Bind/Execute interleave on PGlite's single session (measured: error 34000,
  // invalid cursor name, under concurrent requests). PGlite runs one query at a time anyway.
  const max = options.databaseUrl ? (options.poolSize ?? 5) : 1;
  let embedded: EmbeddedServer | undefined;
  let pool: pg.Pool;
  if (options.databaseUrl) {
    pool = new pg.Pool({ connectionString: options.databaseUrl, max });
  } else {
    const runDir = options.runDir ?? join(options.dataDir ?? "data", "run");
    embedded = await startEmbedded({
      dataDir: options.dataDir ? join(options.dataDir, "pglite") : undefined,
      runDir,
      maxConnections: max,
      loadDataDirFile: options.loadDataDirFile,
    });
    pool = new pg.Pool({ host: embedded.socketDir, port: 5432, user: "postgres", database: "postgres", max });
  }
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    pool,
    dump: embedded ? (file) => embedded.dump(file) : undefined,
    async close() {
      await db.destroy();
      await embedded?.stop();
    },
  };
}

export { startEmbedded };
