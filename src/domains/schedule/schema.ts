import { z } from "zod";
import { calendarDate, clockTime, httpUrl, text as coreText, isoWeek } from "../../core/inputs.ts";

const date = calendarDate();
const time = clockTime();
const text = (max = 2000) => coreText(max);
const optionalId = z.union([z.literal(""), z.string().uuid()]).optional();
export { isoWeek };

export const MODALITIES = ["centre", "distance", "self_study", "company", "gathering"] as const;

/** What a slot says, shared by the API, the form and the generator. */
const SlotBase = z.object({
  pathIds: z.array(z.string().uuid()).min(1, "Choisissez au moins un·e stagiaire.").max(60),
  moduleId: optionalId,
  siteId: optionalId,
  date,
  startTime: time,
  endTime: time,
  modality: z.enum(MODALITIES),
  selfStudyLocation: z.enum(["remote", "centre"]).optional(),
  trainerId: optionalId,
  place: text(300).optional(),
  virtualRoomUrl: z.union([z.literal(""), httpUrl("Classe virtuelle (lien)")]).optional(),
  objectives: text().optional(),
  deliverables: text().optional(),
  resources: text().optional(),
  /** A slot on a French public holiday is kept only with this explicit override. */
  holidayOverride: z.boolean().default(false),
  /** Trainees other funders pay for, recorded on the group, who attend the slot (CP-GROUP-MAX-20); omitted on an edit: kept. */
  otherFundedIds: z.array(z.string().uuid()).max(60).optional(),
});
const endAfterStart = { message: "L'heure de fin doit suivre l'heure de début.", path: ["endTime"] };
export const SlotFields = SlotBase.refine((s) => s.endTime > s.startTime, endAfterStart);
export type SlotFields = z.infer<typeof SlotFields>;

export const SlotInput = SlotBase.extend({ orderLineId: z.string().uuid("Composante de commande requise.") }).refine((s) => s.endTime > s.startTime, endAfterStart);
export type SlotInput = z.infer<typeof SlotInput>;

export const CancelInput = z.object({
  reason: text(1000).min(1, "Indiquez le motif de l'annulation."),
  /** CP-NO-INTERRUPTION: the trainer is absent or left; a replacement must then be recorded. */
  trainerAbsence: z.boolean().default(false),
});
export type CancelInput = z.infer<typeof CancelInput>;

export const ReplacementInput = z.object({ replacementTrainerId: z.string().uuid("Choisissez le formateur ou la formatrice remplaçant·e.") });

export const GenerateInput = z.object({
  orderLineId: z.string().uuid("Composante de commande requise."),
  week: isoWeek,
  trainerId: optionalId,
  /** Only the paths of this site (all sites of the line otherwise). */
  siteId: optionalId,
});
export type GenerateInput = z.infer<typeof GenerateInput>;

export const ClosureInput = z.object({
  siteId: z.string().uuid("Site requis."),
  startDate: date,
  endDate: date,
  reason: text(300).min(1, "Indiquez le motif de la fermeture."),
});
export type ClosureInput = z.infer<typeof ClosureInput>;

/** A trainee another funder pays for, recorded on a group: a component at a site, for the days they attend. */
export const OtherFundedInput = z
  .object({
    componentId: z.string().uuid("Composante requise."),
    siteId: z.string().uuid("Site requis."),
    fullName: text(200).min(1, "Indiquez le nom du ou de la stagiaire."),
    funder: text(200).min(1, "Indiquez le financeur (ex. France Travail, OPCO, employeur, autofinancement)."),
    startDate: date,
    endDate: date,
  })
  .refine((o) => o.endDate >= o.startDate, { message: "La fin doit suivre le début.", path: ["endDate"] });
export type OtherFundedInput = z.infer<typeof OtherFundedInput>;

export const WeekQuery = z.object({
  week: isoWeek.optional(),
  siteId: z.string().uuid().optional(),
  trainerId: z.string().uuid().optional(),
});
