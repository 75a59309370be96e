// Small helpers shared by the plain HTML forms of every domain (they work without JS).
import { DomainError } from "../errors.ts";
import type { Ctx } from "../http/context.ts";
import type { Violation } from "../rules.ts";

export type FormBody = Record<string, string | File | (string | File)[]>;

export const formBody = (c: Ctx): Promise<FormBody> => c.req.parseBody({ all: true }) as Promise<FormBody>;

export function str(body: FormBody, name: string): string {
  const v = body[name];
  const first = Array.isArray(v) ? v[0] : v;
  return typeof first === "string" ? first : "";
}

export function strs(body: FormBody, name: string): string[] {
  const v = body[name];
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === "string");
}

/**
 * Runs a form command: on a refused input (validation, rule, conflict) returns its violations so the
 * page re-renders the form with the user's values; access errors go on to the error page.
 */
export async function attempt<T>(run: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; violations: Violation[] }> {
  try {
    return { ok: true, value: await run() };
  } catch (e) {
    if (e instanceof DomainError && [400, 409, 422].includes(e.status)) {
      const violations = e.violations.length > 0 ? e.violations : [{ code: e.code, severity: "error" as const, message: e.detail, article: "" }];
      return { ok: false, violations };
    }
    throw e;
  }
}

/**
 * The errors for the summary at the top of a refused form (issue 10, point 2): every error, those of
 * a field of this form (`fields`) linking to it, the others (no field, or a field not on the form) as text.
 */
export const generalErrors = (violations: Violation[], fields: string[]): Violation[] =>
  violations.filter((v) => v.severity === "error").map((v) => (v.field && !fields.includes(v.field) ? { ...v, field: undefined } : v));
