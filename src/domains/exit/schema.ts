// Inputs of the exit domain (API, forms and use cases share them).
import { z } from "zod";
import { calendarDate, text } from "../../core/inputs.ts";
import { CERTIFICATION_CODE } from "./rules.ts";

const date = calendarDate();
const blank = z.literal("");

export const ExitReasonEnum = z.enum(["completed", "employment", "other_training", "dropout", "exclusion"], { error: "Motif de sortie requis." });

/** CP-KPI-VAE: a VAE (validation des acquis de l'expérience) the trainee engaged in; its result and date once the jury decided. */
export const VaeResultEnum = z.enum(["full", "partial", "none"], { error: "Résultat de la VAE : validation totale, partielle ou aucune." });
const VaeFields = {
  vaeEngaged: z.boolean().optional(),
  vaeResult: VaeResultEnum.optional(),
  vaeDecidedOn: calendarDate("Date de la décision VAE").optional(),
};
export const VaeInput = z.object(VaeFields);
export type VaeInput = z.infer<typeof VaeInput>;

export const ExitInput = z.object({
  reason: ExitReasonEnum,
  actualExitDate: date,
  /** The cause of a drop-out or an exclusion (required for those). */
  cause: text(1000).optional(),
  /** CP-SKILLS-CERTIFICATE: the action plan for what comes next. */
  actionPlan: text(4000).optional(),
  ...VaeFields,
});
export type ExitInput = z.infer<typeof ExitInput>;

export const FollowUpInput = z.object({
  milestone: z.enum(["exit", "m3", "m6"], { error: "Étape de suivi requise." }),
  situation: z.enum(["employment", "training", "job_seeking", "other", "unknown"], { error: "Situation requise." }),
  contractType: z.union([blank, z.enum(["cdi", "cdd_6m_plus", "cdd_under_6m", "interim", "apprenticeship", "self_employed"])]).optional(),
  /** ROME code: a letter then four digits (e.g. K2111). */
  romeCode: z.union([blank, z.string().trim().toUpperCase().regex(/^[A-N]\d{4}$/, "Code ROME : une lettre puis quatre chiffres (ex. K2111).")]).optional(),
  inTargetSector: z.boolean().optional(),
  note: text(2000).optional(),
});
export type FollowUpInput = z.infer<typeof FollowUpInput>;

export const SettingsInput = z.object({ followupDeadlineDays: z.number({ error: "Nombre de jours requis." }).int("Nombre entier de jours.").min(0, "0 jour au moins.").max(365, "365 jours au plus.") });

export const CertificationInput = z.object({
  componentId: z.uuid("Composante requise."),
  code: z.string().trim().toUpperCase().regex(CERTIFICATION_CODE, "Code attendu : RNCP ou RS suivi de 1 à 6 chiffres (ex. RNCP37274, RS5440)."),
  title: text(300).min(1, "Intitulé requis."),
  skillBlocks: z.array(text(300).min(1)).max(30).default([]),
});
export type CertificationInput = z.infer<typeof CertificationInput>;

export const HabilitationInput = z.object({
  certifier: text(200).min(1, "Certificateur requis."),
  reference: text(200).min(1, "Référence requise."),
  validFrom: date,
  validUntil: date,
});
export type HabilitationInput = z.infer<typeof HabilitationInput>;

export const ExamDateInput = z.object({ componentId: z.uuid(), label: text(200).min(1, "Intitulé requis."), kind: z.enum(["written", "oral", "selection"]), examOn: date });
export type ExamDateInput = z.infer<typeof ExamDateInput>;

/** A first presentation carries no fee field at all (CP-FREE-OF-CHARGE): only a second session may. */
export const ExamRegistrationInput = z.object({
  certificationId: z.uuid("Certification requise."),
  internal: z.boolean(),
  sessionOn: date,
});
export type ExamRegistrationInput = z.infer<typeof ExamRegistrationInput>;

export const SecondSessionInput = ExamRegistrationInput.extend({
  help: text(2000).min(1, "Décrivez l'aide apportée à l'inscription."),
  /** The fee of the second session, if any, paid by the trainee (CP-EXAMS): the only fee the platform records. */
  traineeFeeCents: z.number().int().min(0).max(1_000_000).optional(),
});
export type SecondSessionInput = z.infer<typeof SecondSessionInput>;

export const ExamResultInput = z.object({
  result: z.enum(["passed", "partial", "failed", "absent"], { error: "Résultat requis." }),
  passedBlocks: z.array(text(300)).max(30).default([]),
});
export type ExamResultInput = z.infer<typeof ExamResultInput>;

export const CatchupInput = z.object({
  registrationId: z.uuid("Examen requis."),
  minutes: z.number().int().positive("Durée requise.").max(100_000),
  startOn: date,
  endOn: date,
  content: text(2000).min(1, "Contenu requis."),
});
export type CatchupInput = z.infer<typeof CatchupInput>;

export const MockExamInput = z.object({
  title: text(200).min(1, "Intitulé requis."),
  takenOn: date,
  score: z.number().int().min(0),
  outOf: z.number().int().positive().max(1000),
  comment: text(2000).optional(),
});
export type MockExamInput = z.infer<typeof MockExamInput>;

export const SoftSkillsInput = z.object({
  year: z.number().int().min(2020).max(2100),
  titles: z.array(text(120).min(1, "Intitulé requis.")).length(6, "La liste de la Région compte six savoir-être."),
});
export type SoftSkillsInput = z.infer<typeof SoftSkillsInput>;

export const SoftSkillStepInput = z.object({
  softSkillId: z.uuid("Savoir-être requis."),
  step: z.enum(["identify", "develop", "evaluate"]),
  observation: text(2000).min(1, "Observation requise."),
  validated: z.boolean().default(false),
});
export type SoftSkillStepInput = z.infer<typeof SoftSkillStepInput>;

export const SatisfactionAnswerInput = z.object({
  answers: z.record(z.string().max(64), z.number().int().min(1).max(5)),
  comment: text(2000).optional(),
});

export const RegionSurveyAnswerInput = z.object({
  situation: z.enum(["employment", "training", "job_seeking", "other"], { error: "Situation requise." }),
  satisfaction: z.number().int().min(1).max(5),
  comment: text(2000).optional(),
});
