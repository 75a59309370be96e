// Pure rules of change requests (CP-MODIFICATION-REQUESTS, CP-ORDER-CHANGES): bank identifiers, and the
// request's workflow as a declared table (filed → accepted / refused by the Region, withdrawn by the provider).
import { rolesFor } from "../../core/auth/roles.ts";
import type { ChangeRequestKind, ChangeRequestStatus } from "../../core/db/schema.ts";
import type { RuleResult, Violation } from "../../core/rules.ts";
import type { TransitionTable } from "../../core/workflow.ts";

/** Spaces people type in an IBAN or a BIC are not part of it; letters are upper case. */
export const normaliseBankId = (s: string) => s.replace(/[\s-]/g, "").toUpperCase();

/** IBAN lengths of the countries a French provider's bank is likely in (ISO 13616 registry); others: 15–34. */
const IBAN_LENGTHS: Record<string, number> = { FR: 27, MC: 27, DE: 22, BE: 16, ES: 24, IT: 27, LU: 20, NL: 18, PT: 25, CH: 21, GB: 22, AD: 24, IE: 22, AT: 20 };

/** ISO 7064 MOD 97-10 on the rearranged IBAN (country and check digits moved to the end, letters A=10…Z=35): 1 when valid. */
export function ibanMod97(iban: string): number {
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let rest = 0;
  for (const ch of rearranged) {
    const n = ch >= "A" && ch <= "Z" ? ch.charCodeAt(0) - 55 : Number(ch);
    rest = n >= 10 ? (rest * 100 + n) % 97 : (rest * 10 + n) % 97;
  }
  return rest;
}

/** CP-MODIFICATION-REQUESTS (bank details): an IBAN of the right form and length whose MOD 97 check holds. */
export function ibanRule(raw: string): RuleResult {
  const iban = normaliseBankId(raw);
  const v = (message: string): Violation => ({ code: "IBAN_INVALID", severity: "error", message, article: "CCTP §4.1.2", field: "iban", details: { iban } });
  if (!/^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$/.test(iban)) return v("L'IBAN commence par le code pays (2 lettres) et 2 chiffres de contrôle, puis compte 15 à 34 caractères en tout (lettres et chiffres).");
  const expected = IBAN_LENGTHS[iban.slice(0, 2)];
  if (expected && iban.length !== expected) return v(`Un IBAN ${iban.slice(0, 2)} compte ${expected} caractères (celui-ci en compte ${iban.length}).`);
  if (ibanMod97(iban) !== 1) return v("Cet IBAN n'est pas valide (clé de contrôle incorrecte) : recopiez-le depuis le relevé d'identité bancaire.");
  return undefined;
}

/** CP-MODIFICATION-REQUESTS (bank details): a BIC of 8 or 11 characters (bank, country, location, branch). */
export function bicRule(raw: string): RuleResult {
  const bic = normaliseBankId(raw);
  if (/^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$/.test(bic)) return undefined;
  return {
    code: "BIC_INVALID",
    severity: "error",
    message: "Le BIC compte 8 ou 11 caractères : 4 lettres (banque), 2 lettres (pays), 2 caractères (ville), puis éventuellement 3 (agence).",
    article: "CCTP §4.1.2",
    field: "bic",
  };
}

export const KINDS = [
  "bank_details",
  "contacts",
  "siret",
  "legal_representative",
  "address",
  "certification",
  "site",
  "order_dates",
  "new_site",
  "new_component",
  "new_module",
  "drop_component",
] as const satisfies readonly ChangeRequestKind[];

export const kindLabels: Record<ChangeRequestKind, string> = {
  bank_details: "Coordonnées bancaires (RIB)",
  contacts: "Contacts",
  siret: "SIRET",
  legal_representative: "Représentant légal",
  address: "Adresse du siège",
  certification: "Certification (Qualiopi ou Certif'Région)",
  site: "Site de formation (adresse, accessibilité)",
  order_dates: "Dates d'une commande",
  new_site: "Nouveau site pour une composante commandée",
  new_component: "Nouvelle composante sur une commande",
  new_module: "Module complémentaire",
  drop_component: "Abandon d'une composante commandée",
};

/** The kinds that change an order (CP-ORDER-CHANGES): they name it, and apply through the order's edit. */
export const ORDER_KINDS: readonly ChangeRequestKind[] = ["order_dates", "new_site", "new_component", "drop_component"];

export const statusLabels: Record<ChangeRequestStatus, string> = { filed: "Déposée", accepted: "Acceptée", refused: "Refusée", withdrawn: "Retirée" };

export interface DecisionFacts {
  reason: string | null;
}

/** CP-MODIFICATION-REQUESTS: the Region accepts or refuses each request, with a reason for a refusal; the provider may withdraw it while filed. */
export const CHANGE_TRANSITIONS: TransitionTable<ChangeRequestStatus, DecisionFacts> = {
  accepted: { from: ["filed"], roles: ["region_officer"] },
  refused: {
    from: ["filed"],
    roles: ["region_officer"],
    guard: (f) =>
      f.reason?.trim()
        ? []
        : [{ code: "CP-MODIFICATION-REQUESTS", severity: "error", message: "Motivez le refus : l'organisme le lira (CP-MODIFICATION-REQUESTS).", article: "CCTP §4.1.2", field: "reason" }],
  },
  withdrawn: { from: ["filed"], roles: rolesFor("changes.file") },
};
