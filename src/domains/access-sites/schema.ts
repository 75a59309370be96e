// Inputs of the access-sites domain, shared by the JSON API, the forms and the use cases.
import { z } from "zod";
import { calendarDate, email, PASSWORD_MAX, text } from "../../core/inputs.ts";

export const MAX_ROOMS = 20;

export const RoomInput = z.object({
  name: text(80, "Nom de la salle").pipe(z.string().min(1, "Nom de la salle : obligatoire.")),
  pcs: z.coerce.number({ error: "Nombre de PC : un nombre entier est attendu." }).int("Nombre de PC : un nombre entier est attendu.").min(1, "Nombre de PC : 1 au moins.").max(200, "Nombre de PC : 200 au plus."),
});

const required = (max: number, label: string) => text(max, label).pipe(z.string().min(1, `${label} : obligatoire.`));
const optional = (max: number, label: string) =>
  text(max, label)
    .optional()
    .nullable()
    .transform((s) => (s ? s : null));

export const AccessSiteInput = z.object({
  name: required(200, "Nom du site"),
  address: required(300, "Adresse"),
  postcode: z.string().regex(/^[0-9]{5}$/, "Code postal : 5 chiffres."),
  commune: required(120, "Commune"),
  inseeCode: z.string().regex(/^[0-9][0-9AB][0-9]{3}$/, "Code INSEE de la commune : 5 caractères (ex. 31555, 2A004)."),
  departementCode: z.string().regex(/^[0-9][0-9AB]$/, "Département : code à 2 caractères (ex. 31)."),
  openingHours: required(500, "Horaires d'ouverture"),
  contactName: required(200, "Contact"),
  contactEmail: z.union([z.literal(""), email("Courriel du contact invalide.")]).optional().nullable().transform((s) => (s ? s : null)),
  contactPhone: optional(40, "Téléphone du contact"),
  active: z.boolean().optional(),
  rooms: z.array(RoomInput).min(1, "Au moins une salle équipée de PC.").max(MAX_ROOMS, `${MAX_ROOMS} salles au plus.`),
});
export type AccessSiteInput = z.infer<typeof AccessSiteInput>;

export const BookingInput = z.object({
  pathId: z.uuid("Parcours : identifiant invalide."),
  roomId: z.uuid("Salle : identifiant invalide."),
  slotIds: z.array(z.uuid("Créneau : identifiant invalide.")).min(1, "Choisissez au moins un créneau.").max(60, "60 créneaux au plus à la fois."),
});
export type BookingInput = z.infer<typeof BookingInput>;

export const HomeInput = z.object({ from: calendarDate("À partir du") });
export type HomeInput = z.infer<typeof HomeInput>;

export const DayQuery = z.object({ date: calendarDate("Jour") });

export { parseInput } from "../../core/validation.ts";

/** CP-EFORM-SITES: the Region opens an account for a site's staff (password stored hashed only). */
export const SiteStaffInput = z.object({
  email: email(),
  fullName: required(200, "Le nom"),
  password: z.string().min(12, "Le mot de passe initial compte au moins 12 caractères.").max(PASSWORD_MAX, `Le mot de passe compte ${PASSWORD_MAX} caractères au plus.`),
});
export type SiteStaffInput = z.infer<typeof SiteStaffInput>;
