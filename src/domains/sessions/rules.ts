// Rules of published sessions and information meetings: one pure function per rule (docs/requirements.md §3).
import type { RuleResult, Violation } from "../../core/rules.ts";
import { formatDateFr } from "../../core/time.ts";

/** CP-INFO-CONTENT (CCTP §2.3): what an information meeting covers, in the order of the CCTP. */
export const INFO_CONTENT_ITEMS = [
  { key: "objectives", label: "Objectifs, validations et prérequis" },
  { key: "programme", label: "Programme" },
  { key: "schedule", label: "Dates, calendrier et horaires" },
  { key: "individualisation", label: "Individualisation des parcours" },
  { key: "siteAndMeans", label: "Lieu de formation et moyens" },
  { key: "regionPayRules", label: "Règles de la Région (rémunération, protection sociale)" },
  { key: "evaluation", label: "Modalités d'évaluation et de validation" },
  { key: "internalRules", label: "Règlement intérieur" },
  { key: "recruitmentProcedure", label: "Procédure de recrutement" },
] as const;
export type InfoContentKey = (typeof INFO_CONTENT_ITEMS)[number]["key"];
export type InfoContent = Partial<Record<InfoContentKey, string | null>>;

/** The order facts a session is judged against. */
export interface LineFacts {
  orderNumber: string;
  plannedStart: string;
  plannedEnd: string;
  eFormation: boolean;
  siteIds: string[];
}

/**
 * SESSION_OUTSIDE_ORDER (CP-ORDER-CONTENT, CCTP §3.1.2): a session runs within its order's
 * planned period — start on or after the order's start, end on or before its end.
 */
export function sessionWithinOrder(s: { startDate: string; endDate: string }, line: LineFacts): Violation[] {
  const out: Violation[] = [];
  const period = `du ${formatDateFr(line.plannedStart)} au ${formatDateFr(line.plannedEnd)}`;
  if (s.startDate < line.plannedStart) {
    out.push({
      code: "SESSION_OUTSIDE_ORDER",
      severity: "error",
      message: `La session commence le ${formatDateFr(s.startDate)}, avant le début de la commande ${line.orderNumber} (période ${period}) (CP-ORDER-CONTENT, CCTP §3.1.2).`,
      article: "CCTP §3.1.2",
      field: "startDate",
    });
  }
  if (s.endDate > line.plannedEnd) {
    out.push({
      code: "SESSION_OUTSIDE_ORDER",
      severity: "error",
      message: `La session finit le ${formatDateFr(s.endDate)}, après la fin de la commande ${line.orderNumber} (période ${period}) (CP-ORDER-CONTENT, CCTP §3.1.2).`,
      article: "CCTP §3.1.2",
      field: "endDate",
    });
  }
  return out;
}

/**
 * CP-ORDER-FROM-OFFER (CCTP §3.1.1): a session (or a meeting held at a site) uses one of the
 * order line's sites; an e-formation session may have none (it runs at a distance).
 */
export function siteFromOrderLine(siteId: string | null | undefined, line: LineFacts, kind: "session" | "meeting" = "session"): RuleResult {
  const field = "siteId";
  if (!siteId) {
    if (line.eFormation || kind === "meeting") return undefined;
    return {
      code: "CP-ORDER-FROM-OFFER",
      severity: "error",
      message: "Choisissez le site de réalisation de la session parmi les sites de la commande ; seule une session Occitanie e-formation peut ne pas avoir de site (CP-ORDER-FROM-OFFER, CCTP §3.1.1).",
      article: "CCTP §3.1.1",
      field,
    };
  }
  if (line.siteIds.includes(siteId)) return undefined;
  return {
    code: "CP-ORDER-FROM-OFFER",
    severity: "error",
    message: `Ce site n'est pas un site de la composante dans la commande ${line.orderNumber} : choisissez l'un des sites commandés (CP-ORDER-FROM-OFFER, CCTP §3.1.1).`,
    article: "CCTP §3.1.1",
    field,
  };
}

/** The recruitment period is a real period that ends no later than the session. */
export function recruitmentPeriod(s: { startDate: string; endDate: string; recruitmentStart?: string | null; recruitmentEnd?: string | null }): RuleResult {
  const { recruitmentStart: from, recruitmentEnd: to } = s;
  if (from && to && to < from) {
    return { code: "RECRUITMENT_PERIOD", severity: "error", message: "La fin de la période de recrutement précède son début.", article: "CCTP §2.3", field: "recruitmentEnd" };
  }
  if (to && to > s.endDate) {
    return {
      code: "RECRUITMENT_PERIOD",
      severity: "error",
      message: `La période de recrutement ne peut pas finir après la fin de la session (${formatDateFr(s.endDate)}).`,
      article: "CCTP §2.3",
      field: "recruitmentEnd",
    };
  }
  return undefined;
}

/** CP-INFO-CONTENT (flow, CCTP §2.3): a meeting is published only when it covers every item. */
export function infoContent(content: InfoContent): RuleResult {
  const missing = INFO_CONTENT_ITEMS.filter((i) => !(content[i.key] ?? "").trim());
  if (missing.length === 0) return undefined;
  return {
    code: "CP-INFO-CONTENT",
    severity: "error",
    message: `L'information collective ne peut pas être publiée : ${missing.length > 1 ? "ces points manquent" : "ce point manque"} — ${missing.map((m) => m.label).join(", ")} (CP-INFO-CONTENT, CCTP §2.3).`,
    article: "CCTP §2.3",
    field: `content.${missing[0].key}`,
    details: { missing: missing.map((m) => m.key) },
  };
}

/** A meeting happens somewhere: a site, a free place or a remote link. */
export function meetingPlace(m: { siteId?: string | null; place?: string | null; remoteUrl?: string | null }): RuleResult {
  if (m.siteId || m.place?.trim() || m.remoteUrl?.trim()) return undefined;
  return { code: "VALIDATION", severity: "error", message: "Indiquez où se tient l'information collective : un site, un autre lieu ou un lien de visioconférence.", article: "", field: "place" };
}

export interface OrderOpenness {
  orderNumber: string;
  providerName: string;
  /** Sessions still open to entries: recruitment open and start on or after today. */
  openSessionStarts: string[];
  /** Published meetings of the order dated today or later. */
  futurePublishedMeetings: number;
}

/**
 * CP-INFO-REGULAR (warn, CCTP §2.3): an order still open to entries (a session with recruitment
 * open starting today or later) with no published information meeting today or later.
 */
export function infoRegular(o: OrderOpenness): RuleResult {
  if (o.openSessionStarts.length === 0 || o.futurePublishedMeetings > 0) return undefined;
  const first = [...o.openSessionStarts].sort()[0];
  return {
    code: "CP-INFO-REGULAR",
    severity: "warning",
    message: `Commande ${o.orderNumber} (${o.providerName}) : ouverte aux entrées (session du ${formatDateFr(first)}, recrutement ouvert) sans information collective publiée à venir. Publiez une information collective (CP-INFO-REGULAR, CCTP §2.3).`,
    article: "CCTP §2.3",
    details: { orderNumber: o.orderNumber },
  };
}

/** CP-LEVELS-2019 → LHEO `niveau` dictionary: 2019 levels 3–8 are codes 13–18; other levels have no code. */
export function lheoLevelCode(level2019: number | null | undefined): string | undefined {
  if (level2019 === null || level2019 === undefined || level2019 < 3 || level2019 > 8) return undefined;
  return String(10 + level2019);
}

/** 'YYYY-MM-DD' → LHEO 'AAAAMMJJ'. */
export const lheoDate = (date: string): string => date.replaceAll("-", "");
