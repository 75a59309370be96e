// Inputs of change requests (CP-MODIFICATION-REQUESTS, CP-ORDER-CHANGES), shared by the API, the forms and
// the use cases. A site's or a module's details are read by the offer's own schema when the request is filed.
import { z } from "zod";
import { BASE64_MAX, MAX_FILENAME_LENGTH } from "../../core/files.ts";
import { calendarDate, email, text } from "../../core/inputs.ts";
import { normaliseBankId } from "./rules.ts";

const uuid = (message: string) => z.string().uuid(message);
const required = (max: number, label: string) => text(max, label).pipe(z.string().min(1, `${label} : à renseigner.`));
const optional = (max: number, label: string) =>
  text(max, label)
    .nullish()
    .transform((s) => (s ? s : null));
const minutes = (label: string) => z.number({ error: `${label} : nombre de minutes attendu.` }).int(`${label} : minutes entières.`).min(0, `${label} : positif.`).max(100_000);

const base = { reason: required(2000, "Le motif de la demande") };

export const ChangeRequestInput = z.discriminatedUnion(
  "kind",
  [
    z.object({
      kind: z.literal("bank_details"),
      ...base,
      iban: z.string().max(60, "IBAN : 34 caractères au plus.").transform(normaliseBankId),
      bic: z.string().max(20, "BIC : 11 caractères au plus.").transform(normaliseBankId),
      accountHolder: required(200, "Le titulaire du compte"),
    }),
    z.object({ kind: z.literal("contacts"), ...base, contactEmail: email(), contactPhone: optional(30, "Le téléphone") }),
    z.object({ kind: z.literal("siret"), ...base, siret: z.string().max(40, "SIRET : 14 chiffres attendus.").transform((s) => s.replace(/[\s.]/g, "")) }),
    z.object({ kind: z.literal("legal_representative"), ...base, legalRepresentative: required(300, "Le représentant légal") }),
    z.object({ kind: z.literal("address"), ...base, address: required(500, "L'adresse") }),
    z.object({
      kind: z.literal("certification"),
      ...base,
      certificateKind: z.enum(["qualiopi", "certif_region"], { error: "Certificat attendu : Qualiopi ou Certif'Région." }),
      issuer: required(200, "L'organisme certificateur"),
      number: required(100, "Le numéro du certificat"),
      validFrom: calendarDate("Début de validité"),
      validUntil: calendarDate("Fin de validité"),
    }),
    z.object({ kind: z.literal("site"), ...base, siteId: uuid("Choisissez le site."), site: z.record(z.string(), z.unknown()) }),
    z.object({ kind: z.literal("order_dates"), ...base, orderId: uuid("Choisissez la commande."), plannedStart: calendarDate("Début prévu"), plannedEnd: calendarDate("Fin prévue") }),
    z.object({ kind: z.literal("new_site"), ...base, orderId: uuid("Choisissez la commande."), componentId: uuid("Choisissez la composante."), siteId: uuid("Choisissez le site.") }),
    z.object({
      kind: z.literal("new_component"),
      ...base,
      orderId: uuid("Choisissez la commande."),
      componentId: uuid("Choisissez la composante."),
      siteIds: z.array(uuid("Site invalide.")).min(1, "Choisissez au moins un site.").max(50),
      headcount: z.number().int().min(1, "Effectif : au moins 1 stagiaire.").max(10_000),
      averagePathCentreMinutes: minutes("Heures en centre du parcours moyen"),
      averagePathCompanyMinutes: minutes("Heures en entreprise du parcours moyen"),
    }),
    z.object({ kind: z.literal("new_module"), ...base, componentId: uuid("Choisissez la composante."), module: z.record(z.string(), z.unknown()) }),
    z.object({ kind: z.literal("drop_component"), ...base, orderId: uuid("Choisissez la commande."), componentId: uuid("Choisissez la composante.") }),
  ],
  { error: "Type de demande inconnu." },
);
export type ChangeRequestInput = z.infer<typeof ChangeRequestInput>;

export const AttachmentJson = z.object({
  filename: z.string().min(1).max(MAX_FILENAME_LENGTH),
  contentType: z.enum(["application/pdf", "image/jpeg", "image/png"]),
  base64: z.string().min(1).max(BASE64_MAX),
});

export const DecisionInput = z.object({
  decision: z.enum(["accepted", "refused"], { error: "Décision attendue : acceptée ou refusée." }),
  reason: optional(2000, "Le motif"),
});
export type DecisionInput = z.infer<typeof DecisionInput>;

export const ChangeFilter = z.object({
  status: z.enum(["filed", "accepted", "refused", "withdrawn"]).optional(),
  providerId: z.string().uuid().optional(),
});

export { parseInput } from "../../core/validation.ts";
