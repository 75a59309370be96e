// Pure rules of the region domain: lots, providers, referents (one function per rule ID).
import type { ReferentKind } from "../../core/db/schema.ts";
import type { RuleResult } from "../../core/rules.ts";
import { daysBetween, formatDateFr } from "../../core/time.ts";

const digitSum = (s: string) => [...s].reduce((sum, d) => sum + Number(d), 0);

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** La Poste's SIREN: its thousands of establishments do not follow Luhn (INSEE exception). */
export const LA_POSTE_SIREN = "356000000";

/**
 * SIRET: 14 digits with a Luhn check; La Poste establishments (SIREN 356000000) are valid when
 * the sum of their digits is a multiple of 5 (its head office also passes Luhn).
 */
export function validSiret(siret: string): boolean {
  if (!/^[0-9]{14}$/.test(siret)) return false;
  if (luhn(siret)) return true;
  return siret.startsWith(LA_POSTE_SIREN) && digitSum(siret) % 5 === 0;
}

/** Spaces and dots people type in identifiers ("123 456 789 00012") are not part of them. */
export const normaliseDigits = (s: string) => s.replace(/[\s.]/g, "");

export function siretRule(siret: string): RuleResult {
  if (validSiret(siret)) return undefined;
  return {
    code: "SIRET_INVALID",
    severity: "error",
    message: /^[0-9]{14}$/.test(siret)
      ? "Ce numéro SIRET n'est pas valide (clé de contrôle incorrecte) : vérifiez-le sur l'avis de situation Insee."
      : "Le SIRET compte exactement 14 chiffres.",
    article: "CCTP §4.1.2",
    field: "siret",
  };
}

/** CP-QUALIOPI: how many days before its end a certificate warns that it expires (a renewal audit takes weeks). */
export const QUALIOPI_NOTICE_DAYS = 60;

/**
 * CP-QUALIOPI (warn): the Qualiopi or Certif'Région certificate (issuer, number, validity date) is on file
 * and not past. Valid until today is still valid but expiring; valid until yesterday is expired. A
 * certificate ending within QUALIOPI_NOTICE_DAYS warns ahead. The provider and its orders carry it.
 */
export function qualiopiValid(
  provider: { qualiopi_number: string | null; qualiopi_valid_until: string | null; qualiopi_issuer: string | null },
  today: string,
): RuleResult {
  const base = { code: "CP-QUALIOPI", severity: "warning" as const, article: "CCTP §1.7", field: "qualiopiNumber" };
  if (!provider.qualiopi_number?.trim() || !provider.qualiopi_valid_until || !provider.qualiopi_issuer?.trim()) {
    return {
      ...base,
      message: "Aucune certification Qualiopi ou Certif'Région complète (organisme certificateur, numéro et date de validité) n'est enregistrée pour cet organisme (CP-QUALIOPI, CCTP §1.7).",
      details: { state: "missing" },
    };
  }
  const until = provider.qualiopi_valid_until;
  if (until < today) {
    return {
      ...base,
      message: `La certification Qualiopi n° ${provider.qualiopi_number} a expiré le ${formatDateFr(until)} (CP-QUALIOPI, CCTP §1.7).`,
      details: { validUntil: until, state: "expired" },
    };
  }
  if (daysBetween(today, until) <= QUALIOPI_NOTICE_DAYS) {
    return {
      ...base,
      message: `La certification Qualiopi n° ${provider.qualiopi_number} expire le ${formatDateFr(until)} : transmettez son renouvellement à la Région (CP-QUALIOPI, CCTP §1.7).`,
      details: { validUntil: until, state: "expiring" },
    };
  }
  return undefined;
}

export const REFERENT_KINDS = [
  "administrative",
  "company_relations",
  "public_mobilisation",
  "disability",
  "equality",
  "information_system",
  "platform",
] as const satisfies readonly ReferentKind[];
/** The platform referent is needed only by providers using the Region's platform. */
export const MANDATORY_REFERENT_KINDS = REFERENT_KINDS.filter((k) => k !== "platform");

export const referentKindLabels: Record<ReferentKind, string> = {
  administrative: "Référent administratif",
  company_relations: "Référent relations entreprises",
  public_mobilisation: "Référent mobilisation des publics",
  disability: "Référent handicap",
  equality: "Référent égalité femmes-hommes",
  information_system: "Référent système d'information",
  platform: "Référent plateforme régionale (facultatif)",
};

/** CP-REFERENTS (warning here; the pedagogical referent at entry is enforced by the paths domain). */
export function referentsComplete(designated: ReferentKind[]): RuleResult {
  const missing = MANDATORY_REFERENT_KINDS.filter((k) => !designated.includes(k));
  if (missing.length === 0) return undefined;
  return {
    code: "CP-REFERENTS",
    severity: "warning",
    message: `Référents à désigner : ${missing.map((k) => referentKindLabels[k].toLowerCase()).join(", ")} (CP-REFERENTS, CCTP §4.1.1).`,
    article: "CCTP §4.1.1",
    details: { missing },
  };
}

/** CP-LOTS: a lot covers a territory, so at least one département. */
export function lotTerritory(departements: string[]): RuleResult {
  if (departements.length > 0) return undefined;
  return {
    code: "CP-LOTS",
    severity: "error",
    message: "Un lot couvre au moins un département d'Occitanie : cochez son territoire (CP-LOTS, CCTP §3.1.1).",
    article: "CCTP §3.1.1",
    field: "departements",
  };
}

// ——— CP-CONTRIBUTION-RECOVERY (CCTP §2.5) ———

/** CP-CONTRIBUTION-RECOVERY (hard): a refund is recorded only with its proof (transfer, receipt signed by the trainee). */
export function contributionRefundProof(hasProof: boolean): RuleResult {
  if (hasProof) return undefined;
  return {
    code: "CP-CONTRIBUTION-RECOVERY",
    severity: "error",
    article: "CCTP §2.5",
    message: "Le remboursement du stagiaire s'enregistre avec sa preuve (virement, reçu signé) (CP-CONTRIBUTION-RECOVERY).",
    field: "proof",
  };
}

/** CP-CONTRIBUTION-RECOVERY (warn): the refund required of the provider is not proved by its due date (on the date, not yet; the day after, it warns). */
export function contributionRefundOverdue(f: { refund_due_on: string; refunded_on: string | null }, today: string): RuleResult {
  if (f.refunded_on || today <= f.refund_due_on) return undefined;
  return {
    code: "CP-CONTRIBUTION-RECOVERY",
    severity: "warning",
    article: "CCTP §2.5",
    message: `Le remboursement au stagiaire de la participation interdite était exigé au plus tard le ${formatDateFr(f.refund_due_on)} : il n'est pas justifié.`,
    details: { refundDueOn: f.refund_due_on },
  };
}
