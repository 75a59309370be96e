// Inputs of the offer domain, shared by the JSON API, the forms and the use cases.
import { z } from "zod";
import { parseDuration } from "../../core/rules.ts";
import { SUBCATEGORY_CODES } from "./rules.ts";

const text = (label: string, max = 200) =>
  z.string().trim().min(1, `${label} est obligatoire.`).max(max, `${label} : ${max} caractères au plus.`);
const longText = (max = 5000) => z.string().trim().max(max, `${max} caractères au plus.`).nullish().transform((s) => s ?? "");
/** Empty means none. */
const optional = (max = 100) =>
  z.string().trim().max(max, `${max} caractères au plus.`).nullish().transform((s) => (s ? s : null));
const emptyToNull = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === "" || v === "none" ? null : v), schema.nullish().transform((x) => x ?? null));

export const SiteInput = z.object({
  name: text("Le nom du site"),
  address: text("L'adresse", 300),
  postcode: z.string().trim().regex(/^[0-9]{5}$/, "Le code postal compte 5 chiffres."),
  commune: text("La commune", 100),
  departementCode: z.string().trim().min(1, "Choisissez le département.").max(3, "Code de département invalide."),
  accessible: z.boolean().default(true),
  // CP-SITES: equipment facts, recorded (never assumed); left out on an update, they stay as they were.
  hasPhone: z.boolean().optional(),
  hasInternet: z.boolean().optional(),
  hasBreakRoom: z.boolean().optional(),
  hasTrainersOffice: z.boolean().optional(),
  accessibilityNote: z.string().trim().max(1000, "Accessibilité : 1000 caractères au plus.").nullish(),
});
export type SiteInput = z.infer<typeof SiteInput>;

/** CP-SCHEME-CATEGORIES */
export const CategoryEnum = z.enum(["transverse", "regulatory", "specific_preparation"], {
  error: "Catégorie inconnue (transverse, réglementaire ou préparation spécifique).",
});

export const ComponentInput = z.object({
  lotId: z.uuid("Choisissez le lot."),
  title: text("L'intitulé"),
  category: CategoryEnum,
  /** CP-SCHEME-CATEGORIES: one code of SUBCATEGORIES (a list in the form), or none. */
  subcategory: z
    .union([z.enum(SUBCATEGORY_CODES as [string, ...string[]]), z.literal(""), z.null()], { error: "Sous-catégorie inconnue : choisissez-la dans la liste." })
    .optional()
    .transform((v) => v || null),
  certificationCode: optional(20),
  /** CP-LEVELS-2019: "1".."8" or a legacy 1969 level "V".."I"; checked by the use case. */
  level: z.union([z.string().max(10, "Niveau invalide."), z.number()]).nullish().transform((v) => (v === undefined || v === null ? null : String(v))),
  eFormation: z.boolean().default(false),
  /** CP-OFFER-INFO: published to prescribers with the sessions. */
  prerequisites: longText(),
  content: longText(),
  purpose: longText(),
  offList: z.boolean().default(false),
  siteIds: z.array(z.uuid("Site inconnu.")).default([]),
});
export type ComponentInput = z.infer<typeof ComponentInput>;

/** CP-MODALITIES: every hour is one of these. */
export const ModalityEnum = z.enum(["centre", "company", "distance", "self_study", "gathering"], { error: "Modalité inconnue." });
export const ContentTagEnum = z.enum(["digital", "soft_skills", "ecological_transition", "job_search", "refresher"], {
  error: "Contenu transverse inconnu.",
});

export const ModuleInput = z
  .object({
    title: text("L'intitulé du module"),
    /** Minutes (API), or a duration as people type it: "14", "3h30" (forms). */
    minutes: z.number().int().positive("La durée doit être positive.").optional(),
    duration: z.string().max(20, "Durée invalide (ex. 3 h 30).").optional(),
    modality: ModalityEnum,
    contentTag: emptyToNull(ContentTagEnum),
    prepPart: emptyToNull(z.enum(["written", "oral"], { error: "Partie attendue : écrit ou oral." })),
    position: z.number().int().min(0).optional(),
  })
  .transform((m, ctx) => {
    const minutes = m.minutes ?? (m.duration !== undefined ? parseDuration(m.duration) : undefined);
    if (minutes === undefined || minutes <= 0) {
      ctx.addIssue({ code: "custom", path: ["duration"], message: "Durée illisible : écrivez par exemple « 14 » ou « 3h30 »." });
      return z.NEVER;
    }
    return { title: m.title, minutes, modality: m.modality, contentTag: m.contentTag, prepPart: m.prepPart, position: m.position };
  });
export type ModuleInput = z.infer<typeof ModuleInput>;

export const ComponentDecisionInput = z
  .object({ decision: z.enum(["accepted", "refused"], { error: "Décision attendue : acceptée ou refusée." }), reason: optional(2000) })
  .refine((d) => d.decision === "accepted" || d.reason !== null, { path: ["reason"], message: "Motivez le refus." });
export type ComponentDecisionInput = z.infer<typeof ComponentDecisionInput>;

export const HybridRequestInput = z.object({ organisation: z.string().max(10000, "10 000 caractères au plus.") });

export const HybridDecisionInput = z
  .object({ decision: z.enum(["approved", "refused"], { error: "Décision attendue : acceptée ou refusée." }), reason: optional(2000) })
  .refine((d) => d.decision === "approved" || d.reason !== null, { path: ["reason"], message: "Motivez le refus." });
export type HybridDecisionInput = z.infer<typeof HybridDecisionInput>;

export const ComponentFilter = z.object({
  lotId: z.uuid().optional(),
  providerId: z.uuid().optional(),
  status: z.enum(["draft", "submitted", "accepted", "refused"]).optional(),
});
export type ComponentFilter = z.infer<typeof ComponentFilter>;

export { parseInput } from "../../core/validation.ts";
