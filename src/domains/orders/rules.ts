// Rules of the Region's orders (bons de commande): one pure function per rule ID of docs/requirements.md.
import { de } from "../../core/french.ts";
import { formatMinutes, type RuleResult, type Violation, warn } from "../../core/rules.ts";
import type { TransitionTable } from "../../core/workflow.ts";

// No path exceeds 200 h or 70 h in company, so neither can an order line's average path.
import { COMPANY_MAX_MINUTES, PATH_MAX_MINUTES } from "../../core/scheme.ts";

/** Lower case, accents and punctuation removed: "Fonds Social Européen +" → "fonds social europeen +". */
function normaliseFunder(name: string): string {
  return name
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9+]+/g, " ")
    .trim();
}

/** True when a co-funder names the European Social Fund (FSE, FSE+, Fonds social européen…), any case/accents. */
export function isEuropeanSocialFund(name: string): boolean {
  const words = normaliseFunder(name);
  const compact = words.replace(/ /g, "");
  if (compact.includes("fondssocialeuropeen") || compact === "fseplus") return true;
  // "F.S.E." → "fse"; "FSE +" → "fse+"; "Cofinancement FSE 2021-2027" holds the word "fse".
  if (compact === "fse" || compact === "fse+") return true;
  return words.split(" ").some((w) => w === "fse" || w === "fse+");
}

/** CP-NO-FSE (hard, CCTP §II.1): a Compétences Plus order never lists the European Social Fund. */
export function noFse(coFunders: string[]): RuleResult {
  const refused = coFunders.filter(isEuropeanSocialFund);
  if (refused.length === 0) return undefined;
  return {
    code: "CP-NO-FSE",
    severity: "error",
    message: `Le Fonds social européen ne peut pas cofinancer une commande Compétences Plus : retirez « ${refused.join(" », « ")} » de la liste des cofinanceurs (CP-NO-FSE, CCTP §II.1).`,
    article: "CCTP §II.1",
    field: "coFunders",
    details: { refused },
  };
}

/** One accepted component of the provider's offer for the lot, with the sites where it runs. */
export interface OfferComponent {
  id: string;
  title: string;
  siteIds: string[];
}

export interface LineDraft {
  componentId: string;
  siteIds: string[];
  headcount: number;
  averagePathCentreMinutes: number;
  averagePathCompanyMinutes: number;
}

/**
 * CP-ORDER-FROM-OFFER (hard, CCTP §3.1.1): a line names only an accepted component of the
 * provider's offer for the order's lot, and only sites where that component runs.
 * `offer` is that accepted offer: a component of another provider, of another lot or not
 * accepted is simply not in it.
 */
export function orderFromOffer(line: Pick<LineDraft, "componentId" | "siteIds">, offer: OfferComponent[], index: number): RuleResult {
  const component = offer.find((c) => c.id === line.componentId);
  if (!component) {
    return {
      code: "CP-ORDER-FROM-OFFER",
      severity: "error",
      message: `Ligne ${index + 1} : cette composante ne fait pas partie de l'offre acceptée de l'organisme pour ce lot ; une commande ne nomme que des composantes acceptées (CP-ORDER-FROM-OFFER, CCTP §3.1.1).`,
      article: "CCTP §3.1.1",
      field: `lines.${index}.componentId`,
      details: { componentId: line.componentId },
    };
  }
  const foreign = line.siteIds.filter((s) => !component.siteIds.includes(s));
  if (foreign.length === 0) return undefined;
  return {
    code: "CP-ORDER-FROM-OFFER",
    severity: "error",
    message: `Ligne ${index + 1} (${component.title}) : ${foreign.length > 1 ? `${foreign.length} sites ne sont pas` : "un site n'est pas"} prévu${foreign.length > 1 ? "s" : ""} dans l'offre acceptée pour cette composante (CP-ORDER-FROM-OFFER, CCTP §3.1.1).`,
    article: "CCTP §3.1.1",
    field: `lines.${index}.siteIds`,
    details: { siteIds: foreign },
  };
}

/** CP-COMPANY-MAX-70H (hard, CCTP §3.1.5): the average path's company hours are at most 70 h. */
export function averageCompanyMax70h(line: Pick<LineDraft, "averagePathCompanyMinutes">, index: number): RuleResult {
  if (line.averagePathCompanyMinutes <= COMPANY_MAX_MINUTES) return undefined;
  return {
    code: "CP-COMPANY-MAX-70H",
    severity: "error",
    message: `Ligne ${index + 1} : le parcours moyen compte ${formatMinutes(line.averagePathCompanyMinutes)} en entreprise ; un parcours ne peut pas dépasser 70 h en entreprise (CP-COMPANY-MAX-70H, CCTP §3.1.5).`,
    article: "CCTP §3.1.5",
    field: `lines.${index}.averagePathCompanyMinutes`,
  };
}

/** CP-PATH-MAX-200H (hard, CCTP §3.1.2): the average path (centre + company) is at most 200 h. */
export function averagePathMax200h(line: Pick<LineDraft, "averagePathCentreMinutes" | "averagePathCompanyMinutes">, index: number): RuleResult {
  const total = line.averagePathCentreMinutes + line.averagePathCompanyMinutes;
  if (total <= PATH_MAX_MINUTES) return undefined;
  return {
    code: "CP-PATH-MAX-200H",
    severity: "error",
    message: `Ligne ${index + 1} : le parcours moyen atteint ${formatMinutes(total)} ; un parcours ne peut pas dépasser 200 h au total (CP-PATH-MAX-200H, CCTP §3.1.2).`,
    article: "CCTP §3.1.2",
    field: `lines.${index}.averagePathCentreMinutes`,
  };
}

export interface OrderedMinutes {
  centre: number;
  company: number;
  total: number;
}

/** CP-ORDER-CONTENT: a line orders headcount × average path, split centre / company. */
export function lineOrderedMinutes(line: Pick<LineDraft, "headcount" | "averagePathCentreMinutes" | "averagePathCompanyMinutes">): OrderedMinutes {
  const centre = line.headcount * line.averagePathCentreMinutes;
  const company = line.headcount * line.averagePathCompanyMinutes;
  return { centre, company, total: centre + company };
}

/** CP-ORDER-CONTENT: the order's ordered centre, company and total minutes (sum of its lines). */
export function orderOrderedMinutes(lines: Pick<LineDraft, "headcount" | "averagePathCentreMinutes" | "averagePathCompanyMinutes">[]): OrderedMinutes {
  const sum: OrderedMinutes = { centre: 0, company: 0, total: 0 };
  for (const l of lines) {
    const m = lineOrderedMinutes(l);
    sum.centre += m.centre;
    sum.company += m.company;
    sum.total += m.total;
  }
  return sum;
}

/** The average path the offer suggests for a component: its modules' minutes, company apart (CP-ORDER-FROM-OFFER). */
export function defaultAveragePath(modules: { minutes: number; modality: string }[]): { centreMinutes: number; companyMinutes: number } {
  let centreMinutes = 0;
  let companyMinutes = 0;
  for (const m of modules) {
    if (m.modality === "company") companyMinutes += m.minutes;
    else centreMinutes += m.minutes;
  }
  return { centreMinutes, companyMinutes };
}

/** One part of an order for the self-study share: its lines outside e-formation, or its e-formation lines. */
export interface RealisedSelfStudyPart {
  eFormation: boolean;
  /** The rule of the part: CP-SELFSTUDY-MAX-20 (20 %) or CP-EFORM-SELFSTUDY-MAX-50 (50 %). */
  code: "CP-SELFSTUDY-MAX-20" | "CP-EFORM-SELFSTUDY-MAX-50";
  capPercent: 20 | 50;
  /** Realised (signed) self-study minutes of the part's lines, from the ledger. */
  selfStudyMinutes: number;
  /** Realised centre minutes of the part's lines in the caps' sense: every non-company minute (§12.2). */
  centreMinutes: number;
  /** `capPercent` of `centreMinutes`, rounded down (display; the rule compares `100 × self-study ≤ cap % × centre`). */
  capMinutes: number;
  /** True when realised self-study is above the cap (one minute over is enough). */
  over: boolean;
}

/**
 * The realised self-study share of each part of an order (docs/requirements.md §12.2, CP-SELFSTUDY-MAX-20,
 * CP-EFORM-SELFSTUDY-MAX-50: in a mixed order each part has its own figure). `lines` carry the
 * ledger's realised totals; a part appears only when the order has lines of that kind.
 */
export function realisedSelfStudyParts(lines: { eFormation: boolean; realised: { selfStudy: number; centreMinutes: number } }[]): RealisedSelfStudyPart[] {
  const parts: RealisedSelfStudyPart[] = [];
  for (const eFormation of [false, true]) {
    const mine = lines.filter((l) => l.eFormation === eFormation);
    if (mine.length === 0) continue;
    const capPercent = eFormation ? 50 : 20;
    const selfStudyMinutes = mine.reduce((s, l) => s + l.realised.selfStudy, 0);
    const centreMinutes = mine.reduce((s, l) => s + l.realised.centreMinutes, 0);
    parts.push({
      eFormation,
      code: eFormation ? "CP-EFORM-SELFSTUDY-MAX-50" : "CP-SELFSTUDY-MAX-20",
      capPercent,
      selfStudyMinutes,
      centreMinutes,
      capMinutes: Math.floor((centreMinutes * capPercent) / 100),
      over: selfStudyMinutes * 100 > centreMinutes * capPercent,
    });
  }
  return parts;
}

/** "20,3 %": the share in tenths of a percent, rounded down (display only; the rule never uses it). */
export function formatShare(part: number, whole: number): string {
  if (whole <= 0) return "0 %";
  const tenths = Math.floor((part * 1000) / whole);
  return `${Math.floor(tenths / 10)}${tenths % 10 === 0 ? "" : `,${tenths % 10}`} %`;
}

/**
 * CP-SELFSTUDY-MAX-20 (warn, second sentence; CCTP §3.2.2.2) and CP-EFORM-SELFSTUDY-MAX-50 for the
 * e-formation part: at order close, a warning when realised self-study exceeds 20 % (50 %) of the
 * realised centre minutes. Exactly the cap passes; one minute over warns. Never a refusal.
 */
export function realisedSelfStudyAtClose(part: RealisedSelfStudyPart): RuleResult {
  if (!part.over) return undefined;
  const scope = part.eFormation ? "des composantes e-formation" : "des composantes hors e-formation";
  return warn(
    part.code,
    part.eFormation ? "CCTP §3.2.2.2, §3.3" : "CCTP §3.2.2.2",
    `À la clôture, l'autoformation réalisée ${scope} atteint ${formatMinutes(part.selfStudyMinutes)}, soit ${formatShare(part.selfStudyMinutes, part.centreMinutes)} des ${formatMinutes(part.centreMinutes)} d'heures centre réalisées : au-delà de ${part.capPercent} % (${formatMinutes(part.capMinutes)}) (${part.code}).`,
    undefined,
    { eFormation: part.eFormation, selfStudyMinutes: part.selfStudyMinutes, centreMinutes: part.centreMinutes, capPercent: part.capPercent, capMinutes: part.capMinutes },
  );
}

// ——— The order's declared workflow: issued → closed ———

export type OrderStatus = "issued" | "closed";

export const orderStatusLabels: Record<OrderStatus, string> = { issued: "En cours", closed: "Close" };

export interface OrderTransitionFacts {
  /** Paths not finished yet (draft or validated): they keep an order from closing. */
  running?: { draft: number; validated: number };
}

/** ORDER_PATHS_RUNNING: the realised figures are final only once every path has ended (exit or drop-out). */
export function noPathRunning(running: { draft: number; validated: number } | undefined): Violation[] {
  const total = (running?.draft ?? 0) + (running?.validated ?? 0);
  if (!running || total === 0) return [];
  const parts = [
    running.validated > 0 ? `${running.validated} validé${running.validated > 1 ? "s" : ""} (en formation)` : "",
    running.draft > 0 ? `${running.draft} en brouillon` : "",
  ].filter(Boolean);
  const plural = total > 1;
  const message = `Clôture impossible : ${total} parcours ${plural ? "sont" : "est"} encore en cours sur cette commande (${parts.join(", ")}). L'organisme doit d'abord ${plural ? "clôturer ces parcours (sortie) ou les déclarer abandonnés" : "clôturer ce parcours (sortie) ou le déclarer abandonné"} ; les heures réalisées seront alors définitives.`;
  return [{ code: "ORDER_PATHS_RUNNING", severity: "error", message, article: "", details: { draft: running.draft, validated: running.validated } }];
}

/** Target status → allowed sources, roles and guard. An order is issued when placed; a closed order stays closed. */
export const ORDER_TRANSITIONS: TransitionTable<OrderStatus, OrderTransitionFacts> = {
  closed: { from: ["issued"], roles: ["region_officer"], guardStatus: 409, guard: (f) => noPathRunning(f.running) },
};

// ——— An order edit re-judged on its paths (CP-ORDER-FUNGIBLE, CP-ENTRY-YEAR-N, CP-PATH-WITHIN-ORDER, self-study budgets) ———

/** A path an order edit would put in error (from the paths domain's own evaluation). */
export interface PathBreach {
  pathId: string;
  traineeName: string;
  violation: Violation;
}

/**
 * The refusal of an order edit, one violation per path and rule (the path's own message gives the
 * figures), then one beside each date field the edit moved: "the new planned start would put N paths
 * out of the order". Date breaches name the field they come from; figure breaches are about the lines.
 */
export function pathBreaches(breaches: PathBreach[]): Violation[] {
  const fieldOf = (v: Violation) => (v.code === "CP-ENTRY-YEAR-N" || v.field === "entryDate" ? "plannedStart" : v.field === "plannedExitDate" ? "plannedEnd" : "paths");
  const out: Violation[] = breaches.map((b) => ({
    ...b.violation,
    severity: "error",
    message: `Parcours ${de(b.traineeName)} : ${b.violation.message}`,
    field: "paths",
    details: { ...b.violation.details, pathId: b.pathId, traineeName: b.traineeName, pathField: fieldOf(b.violation) },
  }));
  for (const field of ["plannedStart", "plannedEnd"] as const) {
    const here = breaches.filter((b) => fieldOf(b.violation) === field);
    if (here.length === 0) continue;
    const names = [...new Set(here.map((b) => b.traineeName))];
    out.push({
      code: here[0].violation.code,
      severity: "error",
      article: here[0].violation.article,
      field,
      message: `Cette date mettrait ${names.length} parcours en défaut (${names.join(", ")}) : voir le détail par parcours.`,
      details: { pathIds: [...new Set(here.map((b) => b.pathId))] },
    });
  }
  return out;
}
