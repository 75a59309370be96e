// Inputs of the region domain, shared by the JSON API, the forms and the use cases.
import { z } from "zod";
import { calendarDate, email, PASSWORD_MAX } from "../../core/inputs.ts";
import { normaliseDigits, REFERENT_KINDS } from "./rules.ts";

const date = (label: string) => calendarDate(label);
const text = (label: string, max = 200) =>
  z.string().trim().min(1, `${label} est obligatoire.`).max(max, `${label} : ${max} caractères au plus.`);
/** Empty form fields mean "none". */
const optionalText = (max = 300) =>
  z
    .string()
    .trim()
    .max(max, `${max} caractères au plus.`)
    .nullish()
    .transform((s) => (s ? s : null));

/** CP-SCHEME-CATEGORIES: transverse, regulatory or specific preparation. */
export const Category = z.enum(["transverse", "regulatory", "specific_preparation"], {
  error: "Catégorie inconnue (transverse, réglementaire ou préparation spécifique).",
});

export const LotInput = z.object({
  code: text("Le code du lot", 30),
  name: text("Le nom du lot"),
  frameworkEnd: date("Fin de l'accord-cadre"),
  departements: z.array(z.string().regex(/^(\d{2}|2A|2B)$/, "Code de département invalide.")).default([]),
  expectedComponents: z
    .array(z.object({ title: text("L'intitulé de la composante attendue"), category: Category }))
    .default([]),
});
export type LotInput = z.infer<typeof LotInput>;

export const ProviderInput = z.object({
  name: text("La raison sociale"),
  siret: z.string().max(40, "SIRET : 14 chiffres attendus.").transform(normaliseDigits),
  nda: z
    .string()
    .max(40, "Le numéro de déclaration d'activité (NDA) compte 11 chiffres.")
    .nullish()
    .transform((s) => (s ? normaliseDigits(s) : null))
    .refine((s) => s === null || /^[0-9]{11}$/.test(s), "Le numéro de déclaration d'activité (NDA) compte 11 chiffres."),
  legalRepresentative: optionalText(),
  address: optionalText(500),
  /** CP-QUALIOPI: the certifying body (e.g. AFNOR Certification, Bureau Veritas). */
  qualiopiIssuer: optionalText(200),
  qualiopiNumber: optionalText(100),
  qualiopiValidUntil: date("Validité Qualiopi")
    .nullish()
    .or(z.literal(""))
    .transform((s) => (s ? s : null)),
});
export type ProviderInput = z.infer<typeof ProviderInput>;

export const StaffInput = z.object({
  email: email(),
  fullName: text("Le nom"),
  role: z.enum(["provider_admin", "pedagogical_referent", "trainer"], {
    error: "Rôle attendu : référent administratif, référent pédagogique ou formateur.",
  }),
  password: z.string().min(12, "Le mot de passe initial compte au moins 12 caractères.").max(PASSWORD_MAX, `Le mot de passe compte ${PASSWORD_MAX} caractères au plus.`),
});
export type StaffInput = z.infer<typeof StaffInput>;

export const ReferentInput = z.object({
  kind: z.enum(REFERENT_KINDS, { error: "Type de référent inconnu." }),
  fullName: text("Le nom du référent"),
  email: email("Adresse e-mail du référent invalide.")
    .nullish()
    .or(z.literal(""))
    .transform((s) => (s ? s : null)),
  phone: optionalText(30),
});
export const ReferentsInput = z.object({ referents: z.array(ReferentInput) });
export type ReferentsInput = z.infer<typeof ReferentsInput>;

export { parseInput } from "../../core/validation.ts";
