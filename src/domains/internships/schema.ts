// Inputs of the internships domain, shared by the API, the forms and the use cases.
import { z } from "zod";
import { calendarDate, email, text } from "../../core/inputs.ts";
import { BARRIERS, PLACES, REVIEW_PARTIES } from "./rules.ts";

const optionalText = (max: number) => text(max).optional().transform((s) => (s ? s : undefined));
const optionalDate = z.union([z.literal(""), calendarDate()]).optional().transform((s) => (s ? s : undefined));
const optionalId = z.union([z.literal(""), z.uuid()]).optional().transform((s) => (s ? s : undefined));
const minutes = (label: string) => z.coerce.number({ error: `${label} : nombre de minutes attendu.` }).int().min(1, `${label} : au moins une minute.`).max(100_000);

/** A ROME code: one letter and four digits (e.g. D1106). */
const romeCode = z.string().trim().toUpperCase().regex(/^[A-N]\d{4}$/, "Code ROME attendu (une lettre et quatre chiffres, ex. D1106).");

export const CompanyInput = z.object({
  siret: z.string().max(40).transform((s) => s.replace(/[\s.]/g, "")),
  name: text(200).min(1, "Indiquez le nom de l'entreprise."),
  address: text(300).default(""),
  postcode: z.union([z.literal(""), z.string().regex(/^\d{5}$/, "Code postal : 5 chiffres.")]).default(""),
  commune: text(120).default(""),
  communeInsee: z.union([z.literal(""), z.string().regex(/^[0-9][0-9AB]\d{3}$/, "Code commune INSEE : 5 caractères (ex. 31555).")]).optional().transform((s) => (s ? s : undefined)),
  latitude: z.union([z.literal(""), z.coerce.number().min(-90).max(90)]).optional().transform((s) => (s === "" || s === undefined ? undefined : s)),
  longitude: z.union([z.literal(""), z.coerce.number().min(-180).max(180)]).optional().transform((s) => (s === "" || s === undefined ? undefined : s)),
  sector: text(200).default(""),
  romeCodes: z.array(romeCode).max(20).default([]),
  foundByTrainee: z.boolean().default(false),
});
export type CompanyInput = z.infer<typeof CompanyInput>;

export const TutorInput = z.object({
  fullName: text(200).min(1, "Indiquez le nom du tuteur ou de la tutrice."),
  jobTitle: text(200).default(""),
  email: z.union([z.literal(""), email()]).optional().transform((s) => (s ? s : undefined)),
  phone: optionalText(40),
});
export type TutorInput = z.infer<typeof TutorInput>;

export const CompanySearch = z.object({
  rome: z.string().max(5).optional(),
  sector: z.string().max(200).optional(),
  nearCompanyId: optionalId,
  /** A commune (INSEE code or name): distance from the network's known points in it, else same département. */
  commune: z.string().max(100).optional(),
  km: z.coerce.number().int().min(1).max(500).optional(),
});
export type CompanySearch = z.infer<typeof CompanySearch>;

export const ShareInput = z.object({ traineeId: z.uuid(), companyIds: z.array(z.uuid()).min(1, "Choisissez au moins une entreprise.").max(50), note: optionalText(1000) });
export type ShareInput = z.infer<typeof ShareInput>;

/** The period and the agreement's own items; the rest is drawn from the path, the company and the tutor. */
const PeriodFields = z.object({
    pathId: z.uuid("Parcours requis."),
    companyId: z.uuid("Choisissez l'entreprise d'accueil."),
    tutorId: z.uuid("Choisissez le tuteur ou la tutrice."),
    followUpTrainerId: optionalId,
    place: z.enum(PLACES),
    country: optionalText(100),
    workAddress: text(300).default(""),
    startDate: calendarDate("Début"),
    endDate: calendarDate("Fin"),
    plannedMinutes: minutes("Heures prévues"),
    weeklyMinutes: minutes("Heures par semaine"),
    timetable: text(1000).default(""),
    precontactOn: optionalDate,
    precontactNotes: optionalText(1000),
    nature: text(500).default(""),
    objectives: text(2000).default(""),
    pedagogicalObjectives: text(2000).default(""),
    positionHeld: text(300).default(""),
    followUpModalities: text(1000).default(""),
    outsideOpening: z.boolean().default(false),
    centreContact: optionalText(300),
  });
const endAfterStart = { message: "La fin doit suivre le début.", path: ["endDate"] };
export const PeriodInput = PeriodFields.refine((p) => p.endDate >= p.startDate, endAfterStart);
export type PeriodInput = z.infer<typeof PeriodInput>;
/** PUT body: the period stays on its path (a pathId sent along is ignored). */
export const PeriodUpdateInput = PeriodFields.extend({ pathId: z.string().max(40).optional() }).refine((p) => p.endDate >= p.startDate, endAfterStart);

export { SignInput } from "../../core/signing-links.ts";

export const VisitInput = z.object({
  plannedOn: optionalDate,
  visitedOn: optionalDate,
  met: optionalText(500),
  observations: optionalText(4000),
});
export type VisitInput = z.infer<typeof VisitInput>;

export const WaiverInput = z.object({ reason: text(1000).min(1, "Indiquez le motif de la dispense.") });

export const ReviewInput = z.object({
  authorName: text(200).min(1, "Indiquez votre nom."),
  activities: text(4000).default(""),
  skills: text(4000).default(""),
  progress: text(4000).default(""),
  appreciation: text(4000).default(""),
});
export type ReviewInput = z.infer<typeof ReviewInput>;
export const ReviewPartyEnum = z.enum(REVIEW_PARTIES);

export const FollowupInput = z.object({
  traineeId: z.uuid(),
  metOn: calendarDate("Date de l'entretien"),
  notes: text(4000).default(""),
  barriers: z.array(z.enum(BARRIERS)).max(BARRIERS.length).default([]),
  resources: text(2000).default(""),
});
export type FollowupInput = z.infer<typeof FollowupInput>;

export const AlertInput = z.object({ traineeId: z.uuid(), reason: z.enum(["absences", "barrier"]), details: text(2000).min(1, "Décrivez la situation.") });
export type AlertInput = z.infer<typeof AlertInput>;

export const WelcomeSettingsInput = z.object({ commitments: text(4000).default(""), catering: optionalText(2000), lodging: optionalText(2000) });
export const DeliveryInput = z.object({ pathId: z.uuid(), deliveredOn: calendarDate("Date de remise"), how: text(200).min(1, "Indiquez comment le livret a été remis.") });

export const SocialCoverInput = z.object({ regionProvides: z.boolean() });
export const IncidentInput = z
  .object({
    traineeId: z.uuid(),
    kind: z.enum(["stoppage", "accident"]),
    occurredOn: calendarDate("Date"),
    startDate: optionalDate,
    endDate: optionalDate,
    description: text(2000).default(""),
  })
  .refine((i) => !i.startDate || !i.endDate || i.endDate >= i.startDate, { message: "La fin doit suivre le début.", path: ["endDate"] });
export type IncidentInput = z.infer<typeof IncidentInput>;
export const SentInput = z.object({ sentOn: calendarDate("Date d'envoi"), sentTo: text(200).min(1, "Indiquez le prestataire destinataire.") });
