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
};

export const notFound = (what: string) => new DomainError("NOT_FOUND", 404, `${what} introuvable.`);
export const forbidden = (detail = "Vous n'avez pas accès à cette ressource.") =>
  new DomainError("FORBIDDEN", 403, detail);
export const invalid = (detail: string, violations: Violation[] = []) =>
  new DomainError("VALIDATION", 400, detail, violations);
