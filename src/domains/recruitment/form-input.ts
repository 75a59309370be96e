// Reading the recruitment forms: typed texts, the candidate's fields, and refusals as violations.
import { z } from "zod";
import { DomainError } from "../../core/errors.ts";
import { type FormBody, str } from "../../core/pages/forms.ts";
import type { Violation } from "../../core/rules.ts";
import type { Body } from "./pages/forms.tsx";

export function violationsOf(error: unknown): Violation[] {
  if (error instanceof DomainError && [400, 409, 422].includes(error.status)) return error.violations.length ? error.violations : [{ code: error.code, severity: "error", message: error.detail, article: "" }];
  if (error instanceof z.ZodError) return error.issues.map((i) => ({ code: "VALIDATION", severity: "error" as const, message: i.message, article: "", field: String(i.path[0] ?? "") }));
  throw error;
}

export const texts = (raw: FormBody): Body => Object.fromEntries(Object.keys(raw).map((k) => [k, str(raw, k)]));
export const candidateFrom = (b: Body) => ({ ...b, jobSeekerRegistered: b.jobSeekerRegistered === "1", highestDiplomaLevel: b.highestDiplomaLevel ? Number(b.highestDiplomaLevel) : null });
