// Inputs of the modernisation call (AMI), shared by the JSON API, the forms and the use cases.
import { z } from "zod";
import { calendarDate, clockTime, email, PASSWORD_MAX, text } from "../../core/inputs.ts";
import { DELIVERABLE_KINDS, PIC_PUBLICS } from "./rules.ts";

const id = (label: string) => z.uuid(`${label} : identifiant invalide.`);
const required = (max: number, label: string) => text(max, label).pipe(z.string().min(1, `${label} : obligatoire.`));

export const LotInput = z.object({
  number: z.coerce.number().int().min(1).max(99),
  name: required(100, "Nom du lot"),
  departements: z.array(z.string().regex(/^(\d{2}|2A|2B|97\d)$/, "Code de département invalide.")).max(20),
  expertProviderIds: z.array(id("Prestataire expert")).max(10),
});

/** AMI-CALL: what the Region publishes. The deadline is a Paris date and time. */
export const CallInput = z.object({
  title: required(200, "Titre"),
  body: text(20_000, "Texte de l'appel"),
  prfYear: z.coerce.number().int().min(2000, "Année du PRF invalide.").max(2100, "Année du PRF invalide."),
  deadlineDate: calendarDate("Date limite de dépôt"),
  deadlineTime: clockTime("Heure limite de dépôt"),
  mission2LatestEnd: calendarDate("Fin de la mission 2 au plus tard"),
  priorities: text(4000, "Priorités"),
  lots: z.array(LotInput).min(1, "Au moins un lot.").max(10),
});
export type CallInput = z.infer<typeof CallInput>;

/** AMI-CALL: a renewal copies the call with new dates. */
export const RenewInput = z.object({
  deadlineDate: calendarDate("Date limite de dépôt"),
  deadlineTime: clockTime("Heure limite de dépôt"),
  mission2LatestEnd: calendarDate("Fin de la mission 2 au plus tard"),
  prfYear: z.coerce.number().int().min(2000).max(2100),
});

const percent = z.union([z.number().min(0).max(100), text(12, "Part d'ETP")]);

/** AMI-APPLICATION-CONTENT: the application form; a draft may be incomplete. */
export const ApplicationInput = z.object({
  network: text(200, "Réseau déclaré").optional(),
  needs: z
    .object({
      professions: text(4000, "Axe a"),
      digitalisation: text(4000, "Axe b"),
      pedagogy: text(4000, "Axe c"),
      phases: text(4000, "Phases"),
    })
    .partial()
    .optional(),
  team: z.array(z.object({ name: required(120, "Nom du membre"), role: text(120, "Fonction"), commitment: text(200, "Engagement") })).max(20).optional(),
  projectLeadName: text(120, "Chef de projet").optional(),
  projectLeadShare: percent.nullable().optional(),
  siteMode: z.enum(["single", "multi"], { error: "Choisissez mono-site ou réseau / multi-site." }).optional(),
  referenceSiteId: id("Site de référence").nullable().optional(),
  implementationSiteIds: z.array(id("Lieu de mise en œuvre")).max(10).optional(),
  targetPublics: z.array(z.enum(PIC_PUBLICS, { error: "Public cible inconnu." })).max(PIC_PUBLICS.length).optional(),
  ecologicalActions: text(4000, "Actions de transition écologique").optional(),
  priorAccompaniment: z.boolean().nullable().optional(),
  priorAccompanimentDetail: text(2000, "Accompagnement antérieur").optional(),
});
export type ApplicationInput = z.infer<typeof ApplicationInput>;

export const OverrideInput = z.object({ position: z.coerce.number().int().min(1).max(999).nullable(), reason: text(1000, "Raison") });
export const DecisionInput = z.object({ decision: z.enum(["retained", "not_retained"], { error: "Décision inconnue." }), reason: text(2000, "Motif") });
export const ExpertAssignInput = z.object({ expertProviderId: id("Prestataire expert") });
export const DiagnosticInput = z.object({ diagnostic: required(20_000, "Diagnostic") });
export const ActionInput = z.object({
  phase: z.coerce.number().int().min(1, "Phase : de 1 à 9.").max(9, "Phase : de 1 à 9."),
  title: required(200, "Action"),
  description: text(4000, "Description").optional(),
  commitments: z
    .array(z.object({ memberName: required(120, "Membre de l'équipe"), days: z.union([z.number().min(0.5).max(999), text(6, "Jours")]) }))
    .max(20),
});
export type ActionInput = z.infer<typeof ActionInput>;
export const CommitteeInput = z.object({
  decidedOn: calendarDate("Date de la décision du comité"),
  approvedActionIds: z.array(id("Action")).max(200),
  note: text(2000, "Observations").optional(),
});
export const ProgressInput = z.object({ actionId: id("Action"), onDate: calendarDate("Date"), note: required(2000, "Travail réalisé"), done: z.boolean().optional() });
export const DeliverableInput = z.object({ kind: z.enum(DELIVERABLE_KINDS, { error: "Type de livrable inconnu." }), title: required(200, "Titre du livrable") });
export const EligibleInput = z.object({
  providerId: id("Organisme"),
  prfYear: z.coerce.number().int().min(2000).max(2100),
  kind: z.enum(["training_organisation", "apprentice_centre"], { error: "Type d'organisme inconnu." }),
});
export const ExpertProviderInput = z.object({ name: required(200, "Nom du prestataire expert") });
export const ExpertAccountInput = z.object({
  email: email(),
  fullName: required(200, "Nom et prénom"),
  password: z.string().min(12, "Le mot de passe initial compte au moins 12 caractères.").max(PASSWORD_MAX),
});

export { parseInput } from "../../core/validation.ts";
