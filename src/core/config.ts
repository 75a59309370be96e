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
  /** smtp://host:port (nodemailer URL). Unset: notifications stay in the app's mailbox page (/boite-mail). */
  smtpUrl?: string;
  /** Sender address of every notification. */
  mailFrom: string;
  /** How often the background jobs (outbox worker, mail sender) look for work. */
  workerPollMs: number;
  /** A notification still refused by SMTP after this many attempts is marked failed. */
  mailMaxAttempts: number;
  /** Dev/demo: any signed-in user may read the mailbox page (only when SMTP_URL is unset; never in production). */
  mailboxForEveryone: boolean;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    port: Number(env.PORT ?? 3000),
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: resolve(env.DATA_DIR ?? "data"),
    poolSize: Number(env.DB_POOL_SIZE ?? 5),
    secureCookies: env.SECURE_COOKIES === "true",
    sessionDays: Number(env.SESSION_DAYS ?? 7),
    smtpUrl: env.SMTP_URL || undefined,
    mailFrom: env.MAIL_FROM || "Compétences Plus <ne-pas-repondre@competences-plus.laregion.fr>",
    workerPollMs: Number(env.WORKER_POLL_MS ?? 5000),
    mailMaxAttempts: Number(env.MAIL_MAX_ATTEMPTS ?? 8),
    mailboxForEveryone: env.NODE_ENV !== "production",
  };
}
