// Filters of the dashboard and the compliance board (query strings of the pages, the API and the exports).
import { z } from "zod";
import { yearMonth } from "../../core/inputs.ts";

const empty = <T extends z.ZodType>(s: T) => z.preprocess((v) => (v === "" || v === null ? undefined : v), s.optional());

export const KpiFilter = z.object({
  year: empty(z.coerce.number().int("Année invalide.").min(2000, "Année invalide.").max(2100, "Année invalide.")),
  lotId: empty(z.string().uuid("Lot invalide.")),
  departement: empty(z.string().regex(/^(\d{2}|2A|2B|97\d)$/, "Département invalide.")),
  providerId: empty(z.string().uuid("Organisme invalide.")),
  componentId: empty(z.string().uuid("Composante invalide.")),
  category: empty(z.enum(["transverse", "regulatory", "specific_preparation"], { error: "Catégorie inconnue." })),
});
export type KpiFilter = z.infer<typeof KpiFilter>;

export const ComplianceQuery = z.object({
  providerId: empty(z.string().uuid("Organisme invalide.")),
  rule: empty(z.string().max(60).regex(/^[A-Z0-9-]+$/, "Règle invalide.")),
  severity: empty(z.enum(["error", "warning"])),
  sort: empty(z.enum(["rule", "provider", "order", "severity", "since"])),
});
export type ComplianceQuery = z.infer<typeof ComplianceQuery>;

export const RealisedQuery = z.object({ month: yearMonth });

export { parseInput } from "../../core/validation.ts";
