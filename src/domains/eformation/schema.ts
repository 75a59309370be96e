// Inputs of the e-formation domain (CCTP §3.3), shared by the forms and the use cases.
import { z } from "zod";
import { calendarDate, text } from "../../core/inputs.ts";

const minutes = (label: string) =>
  z.number({ error: `${label} : nombre de minutes attendu.` }).int(`${label} : minutes entières.`).min(0, `${label} : positif ou nul.`).max(10_080, `${label} : une semaine compte 168 h au plus.`);

/** CP-EFORM-TYPICAL-WEEK: the typical week, in minutes per kind of sequence. */
export const TypicalWeekInput = z.object({
  tutoratMinutes: minutes("Tutorat"),
  selfStudyMinutes: minutes("Autoformation"),
  gatheringMinutes: minutes("Regroupements"),
});
export type TypicalWeekInput = z.infer<typeof TypicalWeekInput>;

/** CP-EFORM-SYNC-MIN: the lot's minimum synchronous share, in whole percent. */
export const LotSettingInput = z.object({
  syncMinPercent: z.number({ error: "Part synchrone minimale : un pourcentage entier est attendu." }).int("Part synchrone minimale : pourcentage entier.").min(0, "Part synchrone minimale : entre 0 et 100 %.").max(100, "Part synchrone minimale : entre 0 et 100 %."),
});
export type LotSettingInput = z.infer<typeof LotSettingInput>;

const required = (max: number, label: string) => text(max, label).pipe(z.string().min(1, `${label} : à renseigner.`));

/** CP-EFORM-SOFTWARE-5W: a software to install on the access-site PCs (its technical sheet comes as a file). */
export const SoftwareInput = z.object({
  name: required(200, "Nom du logiciel"),
  version: required(50, "Version"),
  licence: required(500, "Licence"),
  windows10_64: z.boolean(),
  office2016: z.boolean(),
});
export type SoftwareInput = z.infer<typeof SoftwareInput>;

/** The Region's decision on a software: validated (licences provided or not yet) or refused with its reason. */
export const SoftwareDecisionInput = z.object({
  decision: z.enum(["validated", "refused"], { error: "Décision : valider ou refuser." }),
  licencesProvided: z.boolean().default(false),
  note: text(2000, "Note de la Région").optional(),
});

/** CP-EFORM-CHECKPOINT-15D: the Region confirms the session, or postpones it to new dates with its reason. */
export const CheckpointInput = z.discriminatedUnion(
  "decision",
  [
    z.object({ decision: z.literal("confirmed"), reason: text(2000, "Commentaire").optional() }),
    z.object({ decision: z.literal("postponed"), newStart: calendarDate("Nouvelle date de début"), newEnd: calendarDate("Nouvelle date de fin"), reason: required(2000, "Motif du report") }),
  ],
  { error: "Décision : confirmer ou reporter la session." },
);
export type CheckpointInput = z.infer<typeof CheckpointInput>;

/** CP-EFORM-GATHERINGS: a gathering of the session; an "other" one names the Region's authorised request. */
export const GatheringInput = z.object({
  kind: z.enum(["welcome_day", "exam", "other"], { error: "Type de regroupement : journée d'accueil, examen ou autre." }),
  date: calendarDate("Date du regroupement"),
  place: required(300, "Lieu"),
  requestId: z.uuid("Demande d'autorisation invalide.").optional(),
});
export type GatheringInput = z.infer<typeof GatheringInput>;

/** CP-EFORM-GATHERINGS: the provider's argued request for another gathering. */
export const GatheringRequestInput = z.object({ date: calendarDate("Date du regroupement"), place: required(300, "Lieu"), argument: required(4000, "Argumentaire") });
export type GatheringRequestInput = z.infer<typeof GatheringRequestInput>;

/** The Region's answer to a request (or the provider withdrawing it). */
export const GatheringDecisionInput = z.object({
  decision: z.enum(["authorised", "refused", "withdrawn"], { error: "Décision : autoriser, refuser ou retirer." }),
  reason: text(2000, "Motif").optional(),
});

/** CP-EFORM-WELCOME-DAY: the items a trainee received at the welcome day (recorded; an item unchecked is taken back). */
export const DeliveryInput = z.object({
  pathId: z.uuid("Stagiaire invalide."),
  items: z.array(z.enum(["contract", "calendar", "materials"])).max(3),
});
export type DeliveryInput = z.infer<typeof DeliveryInput>;

const url = (label: string) => text(500, label).pipe(z.string().regex(/^https:\/\/\S+$/, `${label} : adresse https:// attendue.`));

/** CP-WEBCONF: the virtual-class tool with its capability checklist, and the learning platform. */
export const WebconfInput = z.object({
  toolName: required(200, "Outil de classe virtuelle"),
  audio_video_16: z.boolean(),
  screen_sharing: z.boolean(),
  remote_control: z.boolean(),
  whiteboard: z.boolean(),
  file_transfer: z.boolean(),
  platform: z.enum(["own", "region_moodle"], { error: "Plateforme : la vôtre ou le Moodle de la Région." }),
  platformName: text(200, "Nom de la plateforme").optional(),
  platformUrl: url("Adresse de la plateforme").optional(),
});
export type WebconfInput = z.infer<typeof WebconfInput>;

export const WebconfDecisionInput = z.object({ decision: z.enum(["accepted", "refused"], { error: "Décision : accepter ou refuser." }), reason: text(2000, "Motif").optional() });

/** CP-PROTOCOL: what the provider adds to what the path already says: the evaluation modes. */
export const ProtocolInput = z.object({ evaluationModes: required(2000, "Modes d'évaluation") });
