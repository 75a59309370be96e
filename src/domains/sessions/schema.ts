// Inputs of sessions and information meetings, shared by the JSON API, the forms and the use cases.
import { z } from "zod";
import { calendarDate, clockTime, httpUrl } from "../../core/inputs.ts";
import { DomainError } from "../../core/errors.ts";
import { INFO_CONTENT_ITEMS } from "./rules.ts";

const date = (label: string) => calendarDate(label);
const optionalDate = (label: string) =>
  z.preprocess((v) => (v === "" ? null : v), date(label).nullish()).transform((v) => v ?? null);
const optionalId = z.preprocess((v) => (v === "" ? null : v), z.uuid("Identifiant invalide.").nullish()).transform((v) => v ?? null);
const optionalText = (max: number, label: string) =>
  z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? null : v), z.string().trim().max(max, `${label} : ${max} caractères au plus.`).nullish()).transform((v) => v ?? null);
const time = (label: string) => clockTime(label);

const sessionFields = {
  siteId: optionalId,
  startDate: date("Début de la session"),
  endDate: date("Fin de la session"),
  places: z.number({ error: "Nombre de places attendu." }).int("Nombre de places : entier attendu.").min(1, "Au moins une place.").max(1000, "1 000 places au plus."),
  recruitmentOpen: z.boolean().default(true),
  recruitmentStart: optionalDate("Début du recrutement"),
  recruitmentEnd: optionalDate("Fin du recrutement"),
};
const endAfterStart = (s: { startDate: string; endDate: string }) => s.endDate >= s.startDate;
const endMessage = { message: "La fin de la session ne peut pas précéder son début.", path: ["endDate"] };

export const SessionInput = z.object({ orderLineId: z.uuid("Choisissez la composante commandée."), ...sessionFields }).refine(endAfterStart, endMessage);
export type SessionInput = z.infer<typeof SessionInput>;
/** Editing keeps the order line: a session moves to another component by being recreated. */
export const SessionPatch = z.object(sessionFields).refine(endAfterStart, endMessage);
export type SessionPatch = z.infer<typeof SessionPatch>;

const contentShape = Object.fromEntries(INFO_CONTENT_ITEMS.map((i) => [i.key, optionalText(3000, i.label)])) as Record<
  (typeof INFO_CONTENT_ITEMS)[number]["key"],
  ReturnType<typeof optionalText>
>;
export const InfoContentInput = z.object(contentShape);

const meetingFields = {
  sessionId: optionalId,
  meetingDate: date("Date de l'information collective"),
  startTime: time("Heure de début"),
  endTime: time("Heure de fin"),
  siteId: optionalId,
  place: optionalText(300, "Lieu"),
  remoteUrl: z
    .preprocess((v) => (v === "" ? null : v), httpUrl("Lien de visioconférence", 400).nullish())
    .transform((v) => v ?? null),
  content: InfoContentInput.default({} as never),
};
const timesOrdered = (m: { startTime: string; endTime: string }) => m.endTime > m.startTime;
const timesMessage = { message: "L'heure de fin doit suivre l'heure de début.", path: ["endTime"] };

export const InfoMeetingInput = z.object({ orderLineId: z.uuid("Choisissez la composante commandée."), ...meetingFields }).refine(timesOrdered, timesMessage);
export type InfoMeetingInput = z.infer<typeof InfoMeetingInput>;
export const InfoMeetingPatch = z.object(meetingFields).refine(timesOrdered, timesMessage);
export type InfoMeetingPatch = z.infer<typeof InfoMeetingPatch>;

export const CatalogueFilter = z.object({
  departement: z.string().regex(/^\d{2,3}$/).optional().catch(undefined),
  category: z.enum(["transverse", "regulatory", "specific_preparation"]).optional().catch(undefined),
  from: date("À partir du").optional().catch(undefined),
});
export type CatalogueFilter = z.infer<typeof CatalogueFilter>;

/** Parses an input; zod issues become a 422 listing each field with its French message. */
export function parseInput<T extends z.ZodTypeAny>(schema: T, raw: unknown): z.infer<T> {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const violations = r.error.issues.map((i) => ({ code: "VALIDATION", severity: "error" as const, message: i.message, article: "", field: i.path.join(".") }));
  throw new DomainError("VALIDATION", 422, violations.map((v) => v.message).join(" "), violations);
}
