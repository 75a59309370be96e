import type { z } from "zod";
import { invalid } from "./errors.ts";
import type { Violation } from "./rules.ts";

/** Zod issues → field violations, thrown as a 400 the forms show next to each field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const violations: Violation[] = result.error.issues.map((i) => ({
    code: "VALIDATION",
    severity: "error",
    message: i.message,
    article: "",
    field: i.path.join("."),
  }));
  throw invalid(violations.map((v) => v.message).join(" "), violations);
}
