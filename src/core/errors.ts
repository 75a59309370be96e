import { HTTPException } from "hono/http-exception";
import type { Violation } from "./rules.ts";

/** A command refused: carries the rule ID as `code` and the violations behind it (RFC 9457 body). */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    readonly detail: string,
    readonly violations: Violation[] = [],
  ) {
    super(detail);
  }

  static fromViolations(violations: Violation[]): DomainError {
    const errors = violations.filter((v) => v.severity === "error");
    const first = errors[0];
    return new DomainError(first.code, 422, errors.map((v) => v.message).join(" "), violations);
  }

  toProblem(instance?: string) {
    return {
      type: `https://competences-plus.occitanie.example/problems/${this.code}`,
      title: titles[this.status] ?? "Erreur",
      status: this.status,
      code: this.code,
      detail: this.detail,
      instance,
      violations: this.violations,
    };
  }
}

const titles: Record<number, string> = {
  400: "Requête invalide",
  401: "Authentification requise",
  403: "Accès refusé",
  404: "Introuvable",
  409: "Conflit",
  422: "Règle du dispositif non respectée",
  503: "Service momentanément indisponible",
  429: "Trop de tentatives",
};

/** 429: too many attempts (logins, public forms); the answer carries Retry-After. */
export class TooManyAttempts extends DomainError {
  constructor(
    code: string,
    detail: string,
    readonly retryAfterSeconds: number,
  ) {
    super(code, 429, detail);
  }
}

export const notFound = (what: string) => new DomainError("NOT_FOUND", 404, `${what} introuvable.`);
/**
 * Awaits the lookup of the object an id leads to (a path, a site…); its 404 becomes the 404 of the
 * object asked for, word for word as for an unknown id — another message would tell it exists.
 */
export async function notFoundAs<T>(what: string, lookup: Promise<T>): Promise<T> {
  try {
    return await lookup;
  } catch (error) {
    if (error instanceof DomainError && error.status === 404) throw notFound(what);
    throw error;
  }
}
export const forbidden = (detail = "Vous n'avez pas accès à cette ressource.") =>
  new DomainError("FORBIDDEN", 403, detail);
export const invalid = (detail: string, violations: Violation[] = []) =>
  new DomainError("VALIDATION", 400, detail, violations);

/** HTTP statuses Hono's own errors carry (bad JSON, unsupported media type…), in French. */
const httpDetails: Record<number, string> = {
  400: "Requête illisible : le corps envoyé n'est pas un JSON valide.",
  413: "Requête trop volumineuse.",
  415: "Type de contenu non pris en charge : envoyez du JSON (Content-Type: application/json).",
};

/** PostgreSQL error classes that mean "the input was wrong", never "the server failed". */
function fromPostgres(code: string): DomainError | undefined {
  if (code === "23505") return new DomainError("CONFLICT", 409, "Cet enregistrement existe déjà (doublon) : rechargez la page pour voir l'état actuel.");
  if (code === "23503") return new DomainError("CONFLICT", 409, "Un élément lié n'existe pas ou plus : rechargez la page.");
  if (code === "23514" || code === "23502") return new DomainError("VALIDATION", 422, "Données refusées par une règle de la base : vérifiez les valeurs saisies.");
  // 22xxx: data exceptions (invalid text for a type, out of range, NUL byte, bad date/time…).
  if (code.startsWith("22")) return new DomainError("VALIDATION", 400, "Une valeur envoyée est invalide (format, date impossible ou caractère interdit).");
  if (code === "54000" || code === "54001") return new DomainError("VALIDATION", 413, "Une valeur envoyée est trop longue.");
  return undefined;
}

export const databaseUnavailable = () =>
  new DomainError("DATABASE_UNAVAILABLE", 503, "La base de données est momentanément injoignable : réessayez dans quelques instants.");

/** Socket errors of a connection to the database server that is down, restarting or unreachable. */
const CONNECTION_ERRNOS = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN"]);
/** What pg and pg-pool throw, without a code, when a connection dies or cannot be opened in time. */
const CONNECTION_MESSAGES = /^(Connection terminated|timeout exceeded when trying to connect|Query read timeout|Client has encountered a connection error|Postgres connection has been discarded)/;

/**
 * The database is away (not the request's fault): 08xxx connection exceptions, 57P01–57P03 (server
 * shutting down, crashed, starting), 53300 (too many connections), 57014 (statement timeout), and
 * the driver's own socket errors.
 */
function isDatabaseUnavailable(e: { code?: unknown; message?: unknown }): boolean {
  const code = typeof e.code === "string" ? e.code : undefined;
  if (code && (code.startsWith("08") || ["57P01", "57P02", "57P03", "53300", "57014"].includes(code) || CONNECTION_ERRNOS.has(code))) return true;
  return !code && typeof e.message === "string" && CONNECTION_MESSAGES.test(e.message);
}

/**
 * What a thrown error means for the caller: a DomainError as is; a client error from Hono, zod or
 * PostgreSQL as a 4xx in French; the database away as a 503 DATABASE_UNAVAILABLE; undefined for a
 * real server fault (a 500, logged).
 */
export function toDomainError(error: unknown): DomainError | undefined {
  if (error instanceof DomainError) return error;
  if (typeof error !== "object" || error === null) return undefined;
  const e = error as { name?: string; code?: unknown; issues?: { message: string }[] };
  if (e.name === "ZodError" && Array.isArray(e.issues)) return new DomainError("VALIDATION", 400, e.issues.map((i) => i.message).join(" "));
  if (error instanceof HTTPException && error.status < 500) return new DomainError("VALIDATION", error.status, httpDetails[error.status] ?? "Requête invalide.");
  if (isDatabaseUnavailable(e as { code?: unknown; message?: unknown })) return databaseUnavailable();
  if (typeof e.code === "string" && /^[0-9A-Z]{5}$/.test(e.code)) return fromPostgres(e.code);
  return undefined;
}
