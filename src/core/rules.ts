// The rule engine's one shape: each rule of docs/requirements.md is a pure function returning
// nothing or a Violation named by its ID (see docs/rules.md).

export type Severity = "error" | "warning";

export interface Violation {
  /** The rule ID of docs/requirements.md, e.g. "CP-PATH-MAX-200H". */
  code: string;
  severity: Severity;
  /** French, shown to the user as is. */
  message: string;
  /** Article of the source text, e.g. "CCTP §3.1.2". */
  article: string;
  /** Which input field it concerns, so forms can show it next to the field. */
  field?: string;
  details?: Record<string, unknown>;
}

export type RuleResult = Violation | undefined;

export const errorsOf = (violations: Violation[]) => violations.filter((v) => v.severity === "error");
export const warningsOf = (violations: Violation[]) => violations.filter((v) => v.severity === "warning");

/** Collects the results of several rules, dropping those that passed. */
export function check(...results: (RuleResult | RuleResult[])[]): Violation[] {
  return results.flat().filter((r): r is Violation => r !== undefined);
}

/** "12 000 min" → "200 h", "12 001" → "200 h 01 min": how people read durations. */
export function formatMinutes(minutes: number): string {
  const sign = minutes < 0 ? "-" : "";
  const m = Math.abs(minutes);
  const h = Math.floor(m / 60);
  const rest = m % 60;
  if (rest === 0) return `${sign}${h} h`;
  return h === 0 ? `${sign}${rest} min` : `${sign}${h} h ${String(rest).padStart(2, "0")} min`;
}

/** Parses "200", "200h", "200 h 30", "200:30", "1h05" into minutes; undefined when unreadable. */
export function parseDuration(input: string): number | undefined {
  const s = input.trim().toLowerCase().replace(/\s+/g, "");
  if (s === "") return undefined;
  let m = /^(\d+)(?:[h:](\d{1,2})?(?:min)?)?$/.exec(s);
  if (m) {
    const minutes = m[2] === undefined ? 0 : Number(m[2]);
    if (minutes >= 60) return undefined;
    return Number(m[1]) * 60 + minutes;
  }
  m = /^(\d+)min$/.exec(s);
  if (m) return Number(m[1]);
  return undefined;
}

export function formatEuros(cents: number): string {
  return `${(cents / 100).toLocaleString("fr-FR", { minimumFractionDigits: 2, maximumFractionDigits: 2 })} €`;
}

/** A refusal of rule `code` (hard rules). */
export const err = (code: string, article: string, message: string, field?: string, details?: Record<string, unknown>): Violation => ({
  code,
  severity: "error",
  article,
  message,
  field,
  details,
});

/** A compliance warning of rule `code` (warn rules): shown and listed, never blocking. */
export const warn = (code: string, article: string, message: string, field?: string, details?: Record<string, unknown>): Violation => ({
  code,
  severity: "warning",
  article,
  message,
  field,
  details,
});
