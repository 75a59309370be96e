// Inputs of the attendance domain, shared by the JSON API and the forms.
import { z } from "zod";
import { instant } from "../../core/inputs.ts";

/** What the signature pad produced (SVG or compressed points), bounded so a sheet stays small. */
const Signature = z.string().min(20, "Signez dans le cadre avant de valider.").max(300_000, "Signature trop volumineuse.");
const ClientId = z.string().min(8).max(100).regex(/^[A-Za-z0-9_-]+$/, "Identifiant client invalide.");

export const SignInput = z.object({
  slotId: z.string().uuid(),
  code: z.string().min(1, "QR code manquant : scannez le code affiché par votre formateur·rice.").max(64),
  signature: Signature,
  clientId: ClientId,
  /** Only for a signature queued offline: when it was drawn (the phone's clock). */
  signedAt: instant("signedAt").optional(),
});
export type SignInput = z.infer<typeof SignInput>;

export const KioskInput = z.object({
  pathId: z.string().uuid(),
  identityConfirmed: z.literal(true, { error: "Confirmez avoir vérifié l'identité du·de la stagiaire." }),
  signature: Signature,
  clientId: ClientId.optional(),
});
export type KioskInput = z.infer<typeof KioskInput>;

export const MarkInput = z.object({
  pathId: z.string().uuid(),
  status: z.enum(["present", "late", "absent", "excused"], { error: "Choisissez la présence : présent·e, en retard, absent·e ou absence excusée." }),
  lateMinutes: z.coerce.number().int().min(0).max(1440).default(0),
  reason: z.string().trim().max(500).optional(),
});
export type MarkInput = z.infer<typeof MarkInput>;

export const CountersignInput = z.object({ signature: Signature });

export const PaperInput = z.object({
  entries: z.array(MarkInput.omit({ reason: true })).min(1, "Saisissez au moins une présence."),
});
export type PaperInput = z.infer<typeof PaperInput>;

export const LinkInput = z.object({ pathId: z.string().uuid(), purpose: z.enum(["remote", "tutor"]) });
export type LinkInput = z.infer<typeof LinkInput>;

export const LinkSignInput = z.object({
  signature: Signature,
  /** Tutor only: the trainee was there (present) or not (absent). */
  present: z.boolean().default(true),
  signerName: z.string().trim().min(2, "Indiquez votre nom.").max(200).optional(),
});
export type LinkSignInput = z.infer<typeof LinkSignInput>;

export const SelfStudyInput = z.object({
  deliverable: z.string().trim().min(3, "Décrivez le livrable produit (CP-SELFSTUDY-DEFINED).").max(5000),
  signature: Signature,
  clientId: ClientId,
});
export type SelfStudyInput = z.infer<typeof SelfStudyInput>;

export const HelpInput = z.object({ question: z.string().trim().min(3, "Posez votre question.").max(2000) });
export const AnswerInput = z.object({ answer: z.string().trim().min(2, "Rédigez la réponse.").max(5000) });

export const DeviceInput = z.object({ traineeId: z.string().uuid(), label: z.string().trim().max(100).optional() });
