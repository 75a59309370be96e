// Pure rules of the prescribers domain (CP-PRESCRIBERS, CCTP §2.2).
import type { RuleResult } from "../../core/rules.ts";

/** Kinds of the CCTP §2.2 list (the reference-data migration uses the same codes). */
export const PRESCRIBER_KINDS = [
  "france_travail",
  "mission_locale",
  "conseil_departemental",
  "departmental_contractor",
  "cap_emploi",
  "cidff",
  "apec",
  "akto",
  "eref",
  "plie",
  "local_employment_service",
  "other",
] as const;
export type PrescriberKind = (typeof PRESCRIBER_KINDS)[number];

export const prescriberKindLabels: Record<PrescriberKind, string> = {
  france_travail: "Agence France Travail",
  mission_locale: "Mission Locale",
  conseil_departemental: "Conseil départemental",
  departmental_contractor: "Prestataire d'un Conseil départemental",
  cap_emploi: "Cap Emploi",
  cidff: "CIDFF",
  apec: "APEC",
  akto: "AKTO Réseau FAFF TT",
  eref: "EREF",
  plie: "PLIE",
  local_employment_service: "Service emploi d'une collectivité",
  other: "Autre organisme désigné par la Région",
};

export const kindLabel = (kind: string) => prescriberKindLabels[kind as PrescriberKind] ?? kind;

/**
 * CP-PRESCRIBERS: a prescription names an organisation on the Region's current list of authorised
 * prescribers. `organisation` is undefined when the id names no organisation at all.
 */
export function prescriberAuthorised(organisation: { name: string; authorised: boolean } | undefined): RuleResult {
  if (organisation?.authorised) return undefined;
  return {
    code: "CP-PRESCRIBERS",
    severity: "error",
    message: organisation
      ? `L'organisme « ${organisation.name} » ne figure plus sur la liste des prescripteurs habilités par la Région : la prescription est refusée (CP-PRESCRIBERS, CCTP §2.2).`
      : "La prescription doit émaner d'un organisme de la liste des prescripteurs habilités par la Région (CP-PRESCRIBERS, CCTP §2.2).",
    article: "CCTP §2.2",
    field: "prescriberOrganisationId",
  };
}
