// Inputs of the recruitment domain, shared by the JSON API, the forms and the CSV import.
import { z } from "zod";
import { calendarDate, email, text as coreText } from "../../core/inputs.ts";
import { CONTINUATION_SCHEMES } from "./rules.ts";

const date = calendarDate();
const text = (max = 2000) => coreText(max);
const optionalText = (max = 2000) => z.union([z.literal(""), text(max)]).optional();

/** France Travail id: 8 characters (7 digits + 1 alphanumeric) or 11 digits. */
export const franceTravailId = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^(\d{7}[0-9A-Z]|\d{11})$/, "Identifiant France Travail invalide : 7 chiffres suivis d'un chiffre ou d'une lettre, ou 11 chiffres.");

export const CandidateInput = z.object({
  firstName: text(100).min(1, "Prénom requis."),
  lastName: text(100).min(1, "Nom requis."),
  birthDate: date,
  email: z.union([z.literal(""), email()]).optional(),
  phone: optionalText(30),
  franceTravailId: z.union([z.literal(""), franceTravailId]).optional(),
  jobSeekerRegistered: z.boolean(),
  /** 2019 level (1–8) of the highest diploma held (CP-PREP-PRIORITY). */
  highestDiplomaLevel: z.number().int().min(1, "Niveau entre 1 et 8.").max(8, "Niveau entre 1 et 8.").nullable().optional(),
  /** CP-ELIGIBLE-PUBLIC: help given to register with France Travail. */
  registrationHelp: optionalText(1000),
  /** CP-EFORM-REGIONAL-RECRUIT: département of residence (e-formation recruits region-wide; counted per session). */
  residenceDepartementCode: z.union([z.literal(""), z.string().regex(/^[0-9][0-9AB]$/, "Département de résidence : code à 2 caractères (ex. 46).")]).nullable().optional(),
});
export type CandidateInput = z.infer<typeof CandidateInput>;

const CandidacyCommon = {
  sessionId: z.string().uuid("Session requise."),
  project: text(2000).min(1, "Décrivez le projet du candidat."),
  supportGiven: optionalText(2000),
};

/** A prescriber's dematerialised prescription (its organisation comes from its account). */
export const PrescriptionInput = CandidateInput.extend(CandidacyCommon);
export type PrescriptionInput = z.infer<typeof PrescriptionInput>;

export const AttachmentInput = z.object({
  filename: text(200).min(1),
  contentType: z.string(),
  bytes: z.instanceof(Uint8Array),
});
export type AttachmentInput = z.infer<typeof AttachmentInput>;

/** A paper/e-mail prescription entered by the provider. */
export const PaperPrescriptionInput = CandidateInput.extend({
  ...CandidacyCommon,
  prescriberOrganisationId: z.string().uuid("Organisme prescripteur requis."),
});
export type PaperPrescriptionInput = z.infer<typeof PaperPrescriptionInput>;

/**
 * A person's name as the public form takes it: letters, spaces, hyphens and apostrophes only. It is
 * the one typed text the confirmation mail repeats, so it can carry no address, link or message.
 */
const personName = (label: string) =>
  text(100)
    .min(1, `${label} requis.`)
    .regex(/^[\p{L}\p{M}]+(?:[ '’-][\p{L}\p{M}]+)*$/u, `${label} : lettres, espaces, traits d'union et apostrophes seulement.`);

/**
 * Direct online registration to an e-formation session (no login, no prescriber). The address is
 * required: the registration reaches the provider only once confirmed through a link sent there.
 */
export const DirectRegistrationInput = CandidateInput.omit({ registrationHelp: true }).extend({
  firstName: personName("Prénom"),
  lastName: personName("Nom"),
  email: email("Adresse e-mail invalide : nous y envoyons le lien qui confirme votre candidature."),
  project: text(2000).min(1, "Décrivez votre projet en quelques mots."),
});
export type DirectRegistrationInput = z.infer<typeof DirectRegistrationInput>;

/** CP-CONTINUATION-SLIP: a fiche navette from provider 1 (or the prescriber) to provider 2's session. */
export const ContinuationSlipInput = CandidateInput.extend({
  ...CandidacyCommon,
  fromScheme: text(200).min(1, "Dispositif d'origine requis."),
  fromProviderName: text(200).optional(),
  fromAction: optionalText(300),
  prescriberOrganisationId: z.string().uuid("Organisme prescripteur requis.").optional(),
  /** Provider 2 entering a slip received by mail: when it arrived (defaults to today). */
  receivedOn: z.union([z.literal(""), date]).optional(),
});
export type ContinuationSlipInput = z.infer<typeof ContinuationSlipInput>;
export const continuationSchemes = CONTINUATION_SCHEMES;

export const TransitionInput = z.object({
  to: z.enum(["invited", "summoned", "selected", "waiting_list", "not_retained", "withdrawn"]),
  summonedFor: z.union([z.literal(""), date]).optional(),
  assessmentScore: z.number().int().min(0, "Note entre 0 et 100.").max(100, "Note entre 0 et 100.").nullable().optional(),
  refusalReasonCode: optionalText(100),
  messageToCandidate: optionalText(2000),
  messageToPrescriber: optionalText(2000),
  continuationJustification: optionalText(2000),
  /** Entry date given with a continuation's selection (the slip's answer). */
  entryDate: z.union([z.literal(""), date]).optional(),
  reason: optionalText(1000),
});
export type TransitionInput = z.infer<typeof TransitionInput>;

export const EntryInput = z.object({
  pedagogicalReferentId: z.union([z.literal(""), z.string().uuid()]).optional(),
  entryDate: date,
  plannedExitDate: date,
});
export type EntryInput = z.infer<typeof EntryInput>;

export const RegistrationUpdateInput = z.object({
  jobSeekerRegistered: z.boolean(),
  franceTravailId: z.union([z.literal(""), franceTravailId]).optional(),
  registrationHelp: optionalText(1000),
});
export type RegistrationUpdateInput = z.infer<typeof RegistrationUpdateInput>;
