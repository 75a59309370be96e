import { z } from "zod";
import { calendarDate, email, text as coreText } from "../../core/inputs.ts";

const date = calendarDate();
const text = (max = 2000) => coreText(max);

/** France Travail id: 8 characters (7 digits + 1 alphanumeric) or 11 digits. */
export const franceTravailId = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^(\d{7}[0-9A-Z]|\d{11})$/, "Identifiant France Travail invalide : 7 chiffres suivis d'un chiffre ou d'une lettre, ou 11 chiffres.");

export const TraineeInput = z.object({
  firstName: text(100).min(1, "Prénom requis."),
  lastName: text(100).min(1, "Nom requis."),
  birthDate: date,
  email: z.union([z.literal(""), email()]).optional(),
  phone: text(30).optional(),
  franceTravailId: z.union([z.literal(""), franceTravailId]).optional(),
  jobSeekerRegistered: z.boolean(),
  pedagogicalReferentId: z.union([z.literal(""), z.string().uuid()]).optional(),
  /** CP-TRE-CV-UPDATE: when the CV was last updated on France Travail's site. */
  cvUpdatedOn: z.union([z.literal(""), date]).optional(),
});
export type TraineeInput = z.infer<typeof TraineeInput>;

export const RegistrationInput = TraineeInput.extend({
  orderLineId: z.string().uuid("Composante de commande requise."),
  siteId: z.string().uuid("Site requis."),
  entryDate: date,
  plannedExitDate: date,
});
export type RegistrationInput = z.infer<typeof RegistrationInput>;

export const PositioningInput = z
  .object({
  minutes: z.number().int().positive("Durée du positionnement requise."),
  evaluations: text().min(1, "Décrivez les évaluations réalisées."),
  /** The day of the first evaluations: the path's first day when it comes before the entry (CP-ENTRY-YEAR-N, §12.6). */
  startedOn: z.union([z.literal(""), date]).optional(),
  restitutionOn: z.union([z.literal(""), date]).optional(),
  priorLearning: text().optional(),
  competences: text().optional(),
  recommendedExemptions: text().optional(),
  recommendedMinutes: z.number().int().positive().optional(),
  recommendedMethods: text().optional(),
  recommendsAccessSite: z.boolean().optional(),
})
  .refine((p) => !p.startedOn || !p.restitutionOn || p.startedOn <= p.restitutionOn, {
    message: "Les premières évaluations précèdent la restitution.",
    path: ["startedOn"],
  });
export type PositioningInput = z.infer<typeof PositioningInput>;

export const PlanItemInput = z
  .object({
    moduleId: z.string().uuid().nullable(),
    label: text(200).optional(),
    modality: z.enum(["centre", "company", "distance", "self_study", "gathering"]),
    selfStudyLocation: z.enum(["remote", "centre"]).nullable().optional(),
    plannedMinutes: z.number().int().min(0),
    exempted: z.boolean().default(false),
    exemptionReason: text(500).optional(),
  })
  .refine((i) => !i.exempted || (i.exemptionReason ?? "").length > 0, { message: "Une dispense doit être motivée.", path: ["exemptionReason"] })
  .refine((i) => i.modality !== "self_study" || i.selfStudyLocation, { message: "Indiquez si l'autoformation a lieu à distance ou au centre.", path: ["selfStudyLocation"] });

export const PlanInput = z.object({
  siteId: z.string().uuid().optional(),
  entryDate: date,
  plannedExitDate: date,
  items: z.array(PlanItemInput).max(60),
  /** Required once the path is validated (CP-PATH-READJUST). */
  reason: text(1000).optional(),
});
export type PlanInput = z.infer<typeof PlanInput>;

export const ExitInput = z.object({
  status: z.enum(["closed", "dropped"]),
  actualExitDate: date,
  reason: text(1000).optional(),
});

export const DepositInput = z.object({
  amountCents: z.number().int().positive("Montant requis."),
  material: text(300),
  takenOn: date,
});

export const DepositSettlementInput = z.union([
  z.object({ refundedOn: date }),
  z.object({ keptReason: text(1000).min(1, "Motif de retenue requis.") }),
]);
