import { resolve } from "node:path";

export interface Config {
  port: number;
  /** A PostgreSQL server; when absent the embedded PGlite database under `dataDir` is used. */
  databaseUrl?: string;
  dataDir: string;
  poolSize: number;
  /** PostgreSQL: a statement running longer is cancelled by the server (57014), and a query with no answer for this long plus 5 s fails on our side (a black-holed connection). */
  dbStatementTimeoutMs: number;
  /** PostgreSQL: a connection not opened within this delay fails (the request answers 503 instead of waiting). */
  dbConnectTimeoutMs: number;
  /**
   * The secret every process shares (HMAC keys are derived from it: the QR codes'). Unset: one drawn
   * once and kept in the database (table platform_secret), never per process (core/secrets.ts).
   */
  appSecret?: string;
  /**
   * The platform's public address (scheme, host, port; no trailing slash): every generated link
   * (mails, QR codes, signing links, calendar feeds, certificates) starts with it, never with the
   * request's Host header, which the caller chooses.
   */
  publicUrl: string;
  /** Cookies marked `Secure` (HTTPS only): always, unless running on plain http locally (see loadConfig). */
  secureCookies: boolean;
  /** Addresses (or CIDR ranges) of the reverse proxies whose X-Forwarded-For is believed. */
  trustedProxies: string[];
  /** Absolute lifetime of a login session (cookie or bearer token). */
  sessionDays: number;
  /** A session unused for this long ends, whatever its absolute lifetime. */
  sessionIdleMinutes: number;
  /** Login throttling: this many failures for one address e-mail within `loginLockMinutes` lock it for the rest of that window. */
  loginMaxFailures: number;
  loginLockMinutes: number;
  /** The same, per client address (all accounts together): slows down password spraying. */
  loginMaxFailuresPerAddress: number;
  /** Lifetime of a password reset link. */
  passwordResetMinutes: number;
  /** smtp://host:port (nodemailer URL). Unset: notifications stay in the app's mailbox page (/boite-mail). */
  smtpUrl?: string;
  /** Sender address of every notification. */
  mailFrom: string;
  /** How often the background jobs (outbox worker, mail sender) look for work. */
  workerPollMs: number;
  /** A notification still refused by SMTP after this many attempts is marked failed. */
  mailMaxAttempts: number;
  /**
   * Dev/demo mailbox (/boite-mail): off unless DEV_MAILBOX=true (`npm run demo` turns it on), never
   * with SMTP_URL; each signed-in user reads only the mail addressed to them.
   */
  devMailbox: boolean;
  /**
   * The Open Badges signing key (Ed25519, PEM), kept outside the database: BADGE_KEY_FILE, default
   * <DATA_DIR>/keys/badge-ed25519.pem; generated on first start when absent (docs/adr/0018).
   */
  badgeKeyFile: string;
  /**
   * Personal data are kept this many years after the close of the last order a person took part in
   * (RETENTION_YEARS, default 3; docs/privacy.md), then pseudonymised by the purge job.
   */
  retentionYears: number;
  /** The body of a mail already sent (or given up) is deleted after this many days (MAIL_BODY_DAYS, default 90). */
  mailBodyDays: number;
  /** How often the purge job runs (PURGE_EVERY_MINUTES, default 60). */
  purgeEveryMinutes: number;
}

const positive = (value: string | undefined, fallback: number) => {
  const n = Number(value);
  return value !== undefined && value !== "" && Number.isFinite(n) && n > 0 ? n : fallback;
};

/** http://localhost, http://127.0.0.1, http://[::1] (any port): a developer's own machine, no TLS. */
export const isLocalHttp = (url: string) => /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?(\/|$)/i.test(url);

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 3000);
  const publicUrl = (env.PUBLIC_URL || `http://localhost:${port}`).replace(/\/+$/, "");
  return {
    port,
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: resolve(env.DATA_DIR ?? "data"),
    poolSize: Number(env.DB_POOL_SIZE ?? 5),
    dbStatementTimeoutMs: Number(env.DB_STATEMENT_TIMEOUT_MS ?? 30_000),
    dbConnectTimeoutMs: Number(env.DB_CONNECT_TIMEOUT_MS ?? 5_000),
    appSecret: env.APP_SECRET || undefined,
    publicUrl,
    // Secure by default: only an explicit INSECURE_COOKIES=1 or a local plain-http PUBLIC_URL (the
    // default one, `npm run demo`) sends cookies without TLS.
    secureCookies: !(env.INSECURE_COOKIES === "1" || env.INSECURE_COOKIES === "true" || isLocalHttp(publicUrl)),
    trustedProxies: (env.TRUSTED_PROXIES ?? "").split(",").map((s) => s.trim()).filter(Boolean),
    sessionDays: positive(env.SESSION_DAYS, 7),
    sessionIdleMinutes: positive(env.SESSION_IDLE_MINUTES, 240),
    loginMaxFailures: positive(env.LOGIN_MAX_FAILURES, 5),
    loginLockMinutes: positive(env.LOGIN_LOCK_MINUTES, 15),
    loginMaxFailuresPerAddress: positive(env.LOGIN_MAX_FAILURES_PER_ADDRESS, 50),
    passwordResetMinutes: positive(env.PASSWORD_RESET_MINUTES, 60),
    smtpUrl: env.SMTP_URL || undefined,
    mailFrom: env.MAIL_FROM || "Compétences Plus <ne-pas-repondre@competences-plus.laregion.fr>",
    workerPollMs: Number(env.WORKER_POLL_MS ?? 5000),
    mailMaxAttempts: Number(env.MAIL_MAX_ATTEMPTS ?? 8),
    devMailbox: env.DEV_MAILBOX === "true" && !env.SMTP_URL,
    badgeKeyFile: resolve(env.BADGE_KEY_FILE || resolve(env.DATA_DIR ?? "data", "keys", "badge-ed25519.pem")),
    retentionYears: positive(env.RETENTION_YEARS, 3),
    mailBodyDays: positive(env.MAIL_BODY_DAYS, 90),
    purgeEveryMinutes: positive(env.PURGE_EVERY_MINUTES, 60),
  };
}

/**
 * What a production start (NODE_ENV=production) must have set: without PUBLIC_URL every link
 * would point to localhost. Returns the French reasons to refuse to start (none: fine).
 */
export function productionProblems(env: NodeJS.ProcessEnv = process.env): string[] {
  if (env.NODE_ENV !== "production") return [];
  const problems: string[] = [];
  if (!env.PUBLIC_URL) problems.push("PUBLIC_URL est obligatoire en production (adresse publique, ex. https://competences-plus.laregion.fr).");
  else if (!/^https?:\/\/[^/\s]+$/i.test(env.PUBLIC_URL.replace(/\/+$/, ""))) problems.push("PUBLIC_URL doit être une adresse http(s) sans chemin (ex. https://competences-plus.laregion.fr).");
  return problems;
}
