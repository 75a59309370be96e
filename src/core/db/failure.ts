// Why the database could not be opened at startup, in one French line (no stack trace): what an
// operator reads on stderr before the process exits.

const reasons: Record<string, string> = {
  ECONNREFUSED: "connexion refusée (le serveur est-il démarré, sur ce port ?)",
  ETIMEDOUT: "pas de réponse du serveur",
  ENOTFOUND: "nom d'hôte inconnu",
  EAI_AGAIN: "nom d'hôte introuvable pour le moment (DNS)",
  EHOSTUNREACH: "hôte injoignable",
  ENETUNREACH: "réseau injoignable",
  ECONNRESET: "connexion coupée par le serveur",
  "28P01": "mot de passe refusé",
  "28000": "connexion refusée par le serveur (pg_hba.conf ou rôle)",
  "3D000": "cette base de données n'existe pas",
  "57P03": "le serveur démarre encore",
  "53300": "trop de connexions ouvertes sur le serveur",
};

/** `postgres://user:secret@host:5432/db` → `host:5432/db` (never print the password). */
function where(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    return `${url.hostname || "localhost"}:${url.port || "5432"}${url.pathname}`;
  } catch {
    return "DATABASE_URL illisible";
  }
}

/** The database could not be reached at startup (connection refused, timeout, authentication…). */
export function describeStartupFailure(error: unknown, databaseUrl: string | undefined): string {
  const e = (typeof error === "object" && error !== null ? error : {}) as { code?: unknown; message?: unknown; errors?: unknown[] };
  // Node ≥ 20 reports a refused "localhost" (IPv4 and IPv6) as an AggregateError of both attempts.
  const first = Array.isArray(e.errors) && e.errors.length ? (e.errors[0] as { code?: unknown }) : undefined;
  const code = typeof e.code === "string" ? e.code : typeof first?.code === "string" ? first.code : undefined;
  const message = typeof e.message === "string" && e.message ? e.message.split("\n")[0] : String(error);
  if (!databaseUrl) return `Démarrage impossible (base embarquée) : ${message}`;
  const reason = (code && reasons[code]) ?? (/timeout/i.test(message) ? "pas de réponse du serveur dans le délai (DB_CONNECT_TIMEOUT_MS)" : message);
  // Authentication or a missing database: the server answered, only the settings are wrong.
  const answered = code !== undefined && /^[0-9A-Z]{5}$/.test(code) && !code.startsWith("08") && !code.startsWith("57");
  return answered
    ? `Démarrage impossible : la base de données PostgreSQL (${where(databaseUrl)}) refuse la connexion : ${reason}. Vérifiez DATABASE_URL.`
    : `Démarrage impossible : base de données PostgreSQL injoignable (${where(databaseUrl)}) : ${reason}. Vérifiez DATABASE_URL et que le serveur est démarré.`;
}
