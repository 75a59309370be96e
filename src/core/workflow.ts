// Declared workflows (docs/architecture.md, Conventions): a table target status → allowed sources,
// roles and guard, judged here the same way for every entity. Each domain declares its table in its
// rules.ts and performs the move in its own transaction (row lock, conditional update, transition log).
import type { Role } from "./db/schema.ts";
import { DomainError, forbidden } from "./errors.ts";
import type { Violation } from "./rules.ts";

export interface Transition<S extends string, F> {
  from: readonly S[];
  roles: readonly Role[];
  /** What must hold besides the source status and the role; any violation refuses the move. */
  guard?: (facts: F) => Violation[];
  /** HTTP status of a guard refusal: 422 for a rule of the scheme (default), 409 for the state of other rows. */
  guardStatus?: 409 | 422;
}

export type TransitionTable<S extends string, F> = Partial<Record<S, Transition<S, F>>>;

/** The statuses a table lets `from` move to. */
export function nextStatuses<S extends string, F>(table: TransitionTable<S, F>, from: S): S[] {
  return (Object.entries(table) as [S, Transition<S, F> | undefined][]).filter(([, t]) => t?.from.includes(from)).map(([to]) => to);
}

export type TransitionVerdict =
  | { ok: true }
  | { ok: false; kind: "status" }
  | { ok: false; kind: "role" }
  | { ok: false; kind: "guard"; violations: Violation[]; status: 409 | 422 };

/** May `role` move an entity from `from` to `to` with these facts? Pure: no I/O. */
export function judgeTransition<S extends string, F>(table: TransitionTable<S, F>, from: S, to: S, role: Role, facts: F): TransitionVerdict {
  const t = table[to];
  if (!t?.from.includes(from)) return { ok: false, kind: "status" };
  if (!t.roles.includes(role)) return { ok: false, kind: "role" };
  const violations = (t.guard?.(facts) ?? []).filter((v) => v.severity === "error");
  return violations.length ? { ok: false, kind: "guard", violations, status: t.guardStatus ?? 422 } : { ok: true };
}

/** How a refused move is worded: "Un parcours « Clôturé » ne peut pas passer à « Validé » (…)". */
export interface WorkflowWording<S extends string> {
  /** The entity with its article, capitalised: "Un parcours", "Un créneau", "Une commande". */
  noun: string;
  labels: Record<S, string>;
  /** Error code of a status refusal (409). */
  code: string;
  /** A plainer sentence for some refusals (e.g. a final status), instead of the generic one. */
  refusal?: (from: S, to: S) => string | undefined;
}

export function statusRefusalMessage<S extends string, F>(table: TransitionTable<S, F>, wording: WorkflowWording<S>, from: S, to: S): string {
  const plain = wording.refusal?.(from, to);
  if (plain) return plain;
  const next = nextStatuses(table, from).map((s) => `« ${wording.labels[s]} »`);
  return `${wording.noun} « ${wording.labels[from]} » ne peut pas passer à « ${wording.labels[to]} » (étapes possibles depuis « ${wording.labels[from]} » : ${next.join(", ") || "aucune"}).`;
}

/** Throws the refusal a verdict carries: 409 (status), 403 (role), 422 or 409 (guard). */
export function requireTransition<S extends string, F>(table: TransitionTable<S, F>, wording: WorkflowWording<S>, from: S, to: S, role: Role, facts: F): void {
  const verdict = judgeTransition(table, from, to, role, facts);
  if (verdict.ok) return;
  if (verdict.kind === "role") throw forbidden("Votre rôle ne permet pas ce changement d'état.");
  if (verdict.kind === "status") {
    const message = statusRefusalMessage(table, wording, from, to);
    throw new DomainError(wording.code, 409, message, [{ code: wording.code, severity: "error", message, article: "", field: "status", details: { from, to } }]);
  }
  const first = verdict.violations[0];
  throw new DomainError(first.code, verdict.status, verdict.violations.map((v) => v.message).join(" "), verdict.violations);
}

/** The conditional update found no row in the expected status: someone moved it first. */
export const changedMeanwhile = (code: string, what: string) => new DomainError(code, 409, `${what} a changé entre-temps : rechargez la page.`);
