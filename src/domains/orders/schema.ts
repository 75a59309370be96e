// Inputs of the orders domain, shared by the JSON API, the forms and the use cases.
import { z } from "zod";
import { calendarDate } from "../../core/inputs.ts";

const date = (label: string) => calendarDate(label);

const uuid = (message: string) => z.uuid(message);
const minutes = (label: string) =>
  z.number({ error: `${label} : nombre de minutes attendu.` }).int(`${label} : nombre entier de minutes attendu.`).min(0, `${label} ne peut pas être négatif.`);

export const LineInput = z
  .object({
    componentId: uuid("Composante requise."),
    siteIds: z.array(uuid("Site invalide.")).min(1, "Choisissez au moins un site de réalisation pour cette composante."),
    headcount: z.number({ error: "Effectif attendu." }).int("Effectif : nombre entier attendu.").min(1, "L'effectif de la ligne est d'au moins 1 stagiaire.").max(10_000, "Effectif trop élevé."),
    averagePathCentreMinutes: minutes("Les heures en centre du parcours moyen"),
    averagePathCompanyMinutes: minutes("Les heures en entreprise du parcours moyen"),
  })
  .refine((l) => l.averagePathCentreMinutes + l.averagePathCompanyMinutes > 0, {
    message: "Le parcours moyen doit compter des heures.",
    path: ["averagePathCentreMinutes"],
  });
export type LineInput = z.infer<typeof LineInput>;

const coFunders = z
  .array(z.string().trim().max(200, "Nom de cofinanceur trop long (200 caractères au plus)."))
  .max(20, "20 cofinanceurs au plus.")
  .transform((list) => [...new Set(list.filter((s) => s !== ""))]);

const number = z
  .string()
  .trim()
  .min(1, "Le numéro du bon de commande est obligatoire.")
  .max(50, "Numéro du bon de commande : 50 caractères au plus.")
  .regex(/^[A-Za-z0-9][A-Za-z0-9._/-]*$/, "Numéro du bon de commande : lettres, chiffres et - _ . / seulement (ex. BC-2026-031-004).");

const lines = z.array(LineInput).min(1, "Une commande compte au moins une composante.").max(100);

export const OrderInput = z
  .object({
    number,
    lotId: uuid("Lot requis."),
    providerId: uuid("Organisme requis."),
    plannedStart: date("Début prévu"),
    plannedEnd: date("Fin prévue"),
    headcount: z.number({ error: "Effectif prévisionnel attendu." }).int().min(1, "L'effectif prévisionnel est d'au moins 1 stagiaire."),
    unitPriceCents: z.number({ error: "Prix horaire attendu." }).int("Prix horaire : en centimes entiers.").min(0, "Le prix horaire ne peut pas être négatif.").max(100_000, "Prix horaire trop élevé."),
    coFunders: coFunders.default([]),
    lines,
  })
  .refine((o) => o.plannedEnd >= o.plannedStart, { message: "La fin prévue ne peut pas précéder le début prévu.", path: ["plannedEnd"] });
export type OrderInput = z.infer<typeof OrderInput>;

/** Editing an order: number, lot and provider are fixed; the rest may change. `lines` replaces the list. */
export const OrderPatch = z.object({
  plannedStart: date("Début prévu").optional(),
  plannedEnd: date("Fin prévue").optional(),
  headcount: z.number().int().min(1, "L'effectif prévisionnel est d'au moins 1 stagiaire.").optional(),
  unitPriceCents: z.number().int().min(0, "Le prix horaire ne peut pas être négatif.").max(100_000, "Prix horaire trop élevé.").optional(),
  coFunders: coFunders.optional(),
  lines: lines.optional(),
});
export type OrderPatch = z.infer<typeof OrderPatch>;

export const OrderFilter = z.object({
  lotId: z.uuid().optional(),
  providerId: z.uuid().optional(),
});
export type OrderFilter = z.infer<typeof OrderFilter>;

/** "12,50", "12.5", "1 250,00 €" → cents; undefined when unreadable or with more than 2 decimals. */
export function parseEuros(input: string): number | undefined {
  const s = input.replace(/[\s\u00a0\u202f]/g, "").replace(/€$/, "");
  const m = /^(\d+)(?:[.,](\d{1,2}))?$/.exec(s);
  if (!m) return undefined;
  return Number(m[1]) * 100 + (m[2] === undefined ? 0 : Number(m[2].padEnd(2, "0")));
}

/** "1250" cents → "12,50" as typed in the form. */
export const eurosInput = (cents: number) => `${Math.floor(cents / 100)},${String(cents % 100).padStart(2, "0")}`;

export { parseInput } from "../../core/validation.ts";
