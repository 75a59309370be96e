import { resolve } from "node:path";

export interface Config {
  port: number;
  /** A PostgreSQL server; when absent the embedded PGlite database under `dataDir` is used. */
  databaseUrl?: string;
  dataDir: string;
  poolSize: number;
  /** Secure cookies only behind HTTPS (production); off for localhost. */
  secureCookies: boolean;
  sessionDays: number;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    port: Number(env.PORT ?? 3000),
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: resolve(env.DATA_DIR ?? "data"),
    poolSize: Number(env.DB_POOL_SIZE ?? 5),
    secureCookies: env.SECURE_COOKIES === "true",
    sessionDays: Number(env.SESSION_DAYS ?? 7),
  };
}
