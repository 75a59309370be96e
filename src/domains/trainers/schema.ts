// Inputs of the teaching team (CP-TRAINER-CHANGE), shared by the JSON API, the forms and the use cases.
import { z } from "zod";
import { calendarDate, text } from "../../core/inputs.ts";

const required = (max: number, label: string) => text(max, label).pipe(z.string().min(1, `${label} : à renseigner.`));

export const TrainerInput = z.object({
  fullName: required(200, "Nom du formateur"),
  /** Diplomas, titles, years of experience: what the Region compares on a replacement. */
  qualifications: text(2000, "Qualifications").default(""),
  active: z.boolean().default(true),
});
export type TrainerInput = z.infer<typeof TrainerInput>;

export const TeamInput = z.object({
  trainerIds: z.array(z.uuid("Formateur inconnu.")).max(50, "50 formateurs au plus."),
  reason: required(2000, "Motif du changement"),
});
export type TeamInput = z.infer<typeof TeamInput>;

export const ReplacementInput = z
  .object({
    absentTrainerId: z.uuid("Choisissez le formateur absent."),
    replacementTrainerId: z.uuid("Choisissez le remplaçant."),
    absenceFrom: calendarDate("Absent à partir du"),
    absenceTo: z.union([z.literal(""), calendarDate("Absent jusqu'au")]).optional().transform((s) => s || null),
    reason: required(2000, "Motif de l'absence"),
  })
  .refine((r) => !r.absenceTo || r.absenceTo >= r.absenceFrom, { message: "La fin de l'absence ne peut pas précéder son début.", path: ["absenceTo"] });
export type ReplacementInput = z.infer<typeof ReplacementInput>;

export const NoticeFilter = z.object({ open: z.boolean().optional(), orderId: z.uuid().optional() });

export { parseInput } from "../../core/validation.ts";
