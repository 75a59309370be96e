// Inputs of the prescribers domain, shared by the JSON API, the forms and the use cases.
import { z } from "zod";
import { email, PASSWORD_MAX } from "../../core/inputs.ts";
import { PRESCRIBER_KINDS } from "./rules.ts";

const name = z.string().trim().min(1, "Le nom de l'organisme est obligatoire.").max(200, "Le nom de l'organisme : 200 caractères au plus.");
const kind = z.enum(PRESCRIBER_KINDS, { error: "Type d'organisme prescripteur inconnu." });

export const OrganisationInput = z.object({ name, kind });
export type OrganisationInput = z.infer<typeof OrganisationInput>;

/** Rename, change the kind, withdraw or restore the authorisation — any subset. */
export const OrganisationPatch = z.object({ name: name.optional(), kind: kind.optional(), authorised: z.boolean().optional() });
export type OrganisationPatch = z.infer<typeof OrganisationPatch>;

export const AdviserInput = z.object({
  email: email(),
  fullName: z.string().trim().min(1, "Le nom du conseiller est obligatoire.").max(200),
  password: z.string().min(12, "Le mot de passe initial compte au moins 12 caractères.").max(PASSWORD_MAX, `Le mot de passe compte ${PASSWORD_MAX} caractères au plus.`),
});
export type AdviserInput = z.infer<typeof AdviserInput>;

export { parseInput } from "../../core/validation.ts";
