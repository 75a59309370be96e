// Pure rules of the offer: one function per rule ID of docs/requirements.md, no I/O.
import type { Category, ContentTag, Modality } from "../../core/db/schema.ts";
import { check, formatMinutes, type RuleResult, type Violation } from "../../core/rules.ts";
import { type LotSite, siteInLot } from "../../core/territory.ts";

export interface ModuleFacts {
  title: string;
  minutes: number;
  modality: Modality;
  content_tag: ContentTag | null;
  prep_part: "written" | "oral" | null;
}

export interface SiteFacts {
  id: string;
  name: string;
  departement_code: string;
}

/** A site as CP-SITE-IN-LOT reads it (src/core/territory.ts). */
export const lotSite = (s: SiteFacts): LotSite => ({ id: s.id, name: s.name, departementCode: s.departement_code });

export interface ComponentFacts {
  category: Category;
  subcategory: string | null;
  modules: ModuleFacts[];
  sites: SiteFacts[];
  /** The lot's territory. */
  lotDepartements: string[];
  eFormation: boolean;
  hybridStatus: "none" | "requested" | "approved" | "refused";
}

/** The subcategory code of digital/software components (exempt from the digital-usage module). */
export const DIGITAL_SUBCATEGORY = "digital";

/**
 * CP-SCHEME-CATEGORIES: the sub-categories a component may carry, per category (CCTP §II.1, §3.1.3),
 * picked from a list — never typed (issue 10, point 3). The code is what is stored and sent by the API.
 */
export const SUBCATEGORIES: Record<Category, Record<string, string>> = {
  transverse: {
    english: "Anglais",
    [DIGITAL_SUBCATEGORY]: "Numérique et logiciels",
    complementary_skills: "Compétences complémentaires",
  },
  regulatory: {
    caces: "CACES",
    electrical: "Habilitations électriques",
    construction: "Habilitations BTP",
    hygiene: "Hygiène",
    nuclear: "Habilitations nucléaires",
    rge: "RGE (reconnu garant de l'environnement)",
    fco: "FCO / FIMO (transport)",
    other_regulatory: "Autre formation réglementaire",
  },
  specific_preparation: {
    civil_service_a: "Concours de la fonction publique, catégorie A",
    civil_service_b: "Concours de la fonction publique, catégorie B",
    civil_service_c: "Concours de la fonction publique, catégorie C",
    health_social_3: "Sélections sanitaires et sociales, niveau 3",
    health_social_4: "Sélections sanitaires et sociales, niveau 4",
    health_social_5_6: "Sélections sanitaires et sociales, niveaux 5 et 6",
  },
};
export const SUBCATEGORY_CODES: string[] = Object.values(SUBCATEGORIES).flatMap((codes) => Object.keys(codes));
/** The French label of a stored sub-category code (the code itself when it is not one of the list). */
export const subcategoryLabel = (code: string | null | undefined) => (code ? (Object.values(SUBCATEGORIES).find((codes) => code in codes)?.[code] ?? code) : "");

export const contentTagLabels: Record<ContentTag, string> = {
  digital: "usages du numérique",
  soft_skills: "soft skills (compétences comportementales)",
  ecological_transition: "transition écologique et énergétique",
  job_search: "techniques de recherche d'emploi (TRE)",
  refresher: "remise à niveau",
};

// ---- CP-LEVELS-2019 ----

const LEVELS_1969: Record<string, number> = { V: 3, IV: 4, III: 5, II: 6, I: 7 };

/**
 * CP-LEVELS-2019: "1".."8" (2019 framework) or a legacy 1969 level "V".."I" (V→3, IV→4, III→5,
 * II→6, I→7). Empty means no level; undefined means unreadable.
 */
export function parseLevel(input: string | number | null | undefined): number | null | undefined {
  if (input === null || input === undefined) return null;
  const s = String(input).trim().toUpperCase().replace(/^NIVEAU\s*/, "");
  if (s === "") return null;
  if (/^[1-8]$/.test(s)) return Number(s);
  return LEVELS_1969[s];
}

export function levelRule(input: string | number | null | undefined): RuleResult {
  if (parseLevel(input) !== undefined) return undefined;
  return {
    code: "CP-LEVELS-2019",
    severity: "error",
    message: `Niveau « ${input} » non reconnu : indiquez un niveau du cadre national 2019 (1 à 8) ou un ancien niveau V, IV, III, II ou I (CP-LEVELS-2019, CCTP §3.1.1).`,
    article: "CCTP §3.1.1",
    field: "level",
  };
}

/** RNCP12345 or RS5678, case and spaces ignored; empty means none. */
export function normaliseCertificationCode(input: string | null | undefined): string | null | undefined {
  const s = (input ?? "").replace(/\s+/g, "").toUpperCase();
  if (s === "") return null;
  return /^(RNCP|RS)[0-9]{1,6}$/.test(s) ? s : undefined;
}

// ---- Component rules, checked live on the page and again on submission ----

/** CP-TRANSVERSE-CONTENT (hard, CCTP §3.1.4): the transverse contents each have a module. */
export function transverseContent(c: Pick<ComponentFacts, "subcategory" | "modules">): RuleResult {
  const required: ContentTag[] = ["digital", "soft_skills", "ecological_transition", "job_search"];
  const exemptDigital = c.subcategory?.trim().toLowerCase() === DIGITAL_SUBCATEGORY;
  const present = new Set(c.modules.map((m) => m.content_tag));
  const missing = required.filter((t) => !present.has(t) && !(t === "digital" && exemptDigital));
  if (missing.length === 0) return undefined;
  return {
    code: "CP-TRANSVERSE-CONTENT",
    severity: "error",
    message: `Contenus transverses manquants : ${missing.map((t) => `aucun module « ${contentTagLabels[t]} »`).join(", ")} (CP-TRANSVERSE-CONTENT, CCTP §3.1.4).`,
    article: "CCTP §3.1.4",
    field: "modules",
    details: { missing },
  };
}

export const TRE_MIN_MINUTES = 840;

/** CP-TRE-MIN-14H (hard, CCTP §3.1.4): the job-search (TRE) modules last at least 14 h in total. */
export function treMin14h(c: Pick<ComponentFacts, "modules">): RuleResult {
  const minutes = c.modules.filter((m) => m.content_tag === "job_search").reduce((s, m) => s + m.minutes, 0);
  if (minutes >= TRE_MIN_MINUTES) return undefined;
  return {
    code: "CP-TRE-MIN-14H",
    severity: "error",
    message: `Les techniques de recherche d'emploi (TRE) totalisent ${formatMinutes(minutes)} : il faut au moins 14 h, soit ${formatMinutes(TRE_MIN_MINUTES - minutes)} de plus (CP-TRE-MIN-14H, CCTP §3.1.4).`,
    article: "CCTP §3.1.4",
    field: "modules",
    details: { minutes, minimum: TRE_MIN_MINUTES },
  };
}

/** CP-PREP-WRITTEN-ORAL (hard, CCTP §3.1.3.3): a specific preparation has written and oral modules. */
export function prepWrittenOral(c: Pick<ComponentFacts, "category" | "modules">): RuleResult {
  if (c.category !== "specific_preparation") return undefined;
  const has = (part: "written" | "oral") => c.modules.some((m) => m.prep_part === part && m.minutes > 0);
  const missing = [has("written") ? null : "préparation à l'écrit", has("oral") ? null : "entraînement à l'oral"].filter(Boolean);
  if (missing.length === 0) return undefined;
  return {
    code: "CP-PREP-WRITTEN-ORAL",
    severity: "error",
    message: `Une préparation spécifique distingue la préparation à l'écrit de l'entraînement à l'oral, chacun avec sa durée : il manque un module ${missing.join(" et un module ")} (CP-PREP-WRITTEN-ORAL, CCTP §3.1.3.3).`,
    article: "CCTP §3.1.3.3",
    field: "modules",
  };
}

/** CP-LOTS (CCTP §3.1.1): the offer lists the sites where each component can run. */
export function hasSite(sites: SiteFacts[]): RuleResult {
  if (sites.length > 0) return undefined;
  return {
    code: "CP-LOTS",
    severity: "error",
    message: "Indiquez au moins un site de réalisation pour cette composante (CP-LOTS, CCTP §3.1.1).",
    article: "CCTP §3.1.1",
    field: "siteIds",
  };
}

/**
 * CP-HYBRID-APPROVED (warning on the component): distance modules of an in-person component can be
 * planned in paths only once the Region has accepted its hybrid modality.
 */
export function distanceNeedsHybrid(c: Pick<ComponentFacts, "modules" | "eFormation" | "hybridStatus">): RuleResult {
  if (c.eFormation || c.hybridStatus === "approved") return undefined;
  if (!c.modules.some((m) => m.modality === "distance")) return undefined;
  return {
    code: "CP-HYBRID-APPROVED",
    severity: "warning",
    message:
      "Cette composante comporte des modules à distance : ils ne pourront être planifiés dans les parcours qu'une fois la modalité hybride acceptée par la Région (CP-HYBRID-APPROVED, CCTP §3.2.2.1).",
    article: "CCTP §3.2.2.1",
    field: "modules",
  };
}

/** Every rule a component must pass before it enters the offer (errors), with its warnings. */
export function componentRules(c: ComponentFacts): Violation[] {
  return check(
    transverseContent(c),
    treMin14h(c),
    prepWrittenOral(c),
    hasSite(c.sites),
    siteInLot(c.sites.map(lotSite), c.lotDepartements),
    distanceNeedsHybrid(c),
  );
}

// ---- CP-HYBRID-APPROVED ----

/** CP-HYBRID-APPROVED (CCTP §3.2.2.1): a hybrid request states its distance organisation; e-formation is distance by nature. */
export function hybridRequestRule(c: { e_formation: boolean; hybrid_status: string }, organisation: string): RuleResult {
  const base = { code: "CP-HYBRID-APPROVED", severity: "error" as const, article: "CCTP §3.2.2.1" };
  if (c.e_formation) {
    return { ...base, message: "Une composante Occitanie e-formation est à distance par nature : la modalité hybride ne s'y demande pas (CP-HYBRID-APPROVED, CCTP §3.2.2.1)." };
  }
  if (c.hybrid_status === "approved") {
    return { ...base, message: "La modalité hybride de cette composante est déjà acceptée par la Région (CP-HYBRID-APPROVED, CCTP §3.2.2.1)." };
  }
  if (organisation.trim() === "") {
    return {
      ...base,
      field: "organisation",
      message:
        "Décrivez l'organisation de la formation à distance : méthodes, ressources, et comment les formateurs maîtrisent les outils (CP-HYBRID-APPROVED, CCTP §3.2.2.1).",
    };
  }
  return undefined;
}

/** What CP-SITES asks of a site, as its recorded facts. */
export interface SiteEquipment {
  accessible: boolean;
  has_phone: boolean;
  has_internet: boolean;
  has_break_room: boolean;
  has_trainers_office: boolean;
}

export const SITE_FACT_LABELS: Record<keyof SiteEquipment, string> = {
  accessible: "accessibilité aux personnes à mobilité réduite",
  has_phone: "téléphone",
  has_internet: "accès internet",
  has_break_room: "salle de pause",
  has_trainers_office: "bureau des formateurs",
};

/** The facts a site lacks (none recorded means lacking: a fact is never assumed). */
export const missingSiteFacts = (s: SiteEquipment): (keyof SiteEquipment)[] => (Object.keys(SITE_FACT_LABELS) as (keyof SiteEquipment)[]).filter((k) => !s[k]);

/** CP-SITES (warn): a site is accessible and has phone, internet, a break room and a trainers' office. */
export function siteFacts(s: SiteEquipment & { name: string }): RuleResult {
  const missing = missingSiteFacts(s);
  if (missing.length === 0) return undefined;
  return {
    code: "CP-SITES",
    severity: "warning",
    article: "CCTP §4.4",
    message: `Le site « ${s.name} » ne déclare pas : ${missing.map((k) => SITE_FACT_LABELS[k]).join(", ")} (CP-SITES, CCTP §4.4).`,
    details: { missing },
  };
}
