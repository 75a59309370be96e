// One pure function per rule ID of the company period (CCTP §3.1.5) and of the trainee's follow-up
// (CCTP §3.2.1.4): no I/O, no clock — the caller passes the facts and "today".
import { createHash } from "node:crypto";
import { addModality, zeroTotals } from "../../core/modalities.ts";
import { err, formatMinutes, type RuleResult, type Violation, warn } from "../../core/rules.ts";
import type { TransitionTable } from "../../core/workflow.ts";
import { formatDateFr } from "../../core/time.ts";
import { rolesFor } from "../../core/auth/roles.ts";
import { companyMax70h } from "../paths/rules.ts";
import { weeklyLegal } from "../schedule/rules.ts";

export const PARTIES = ["trainee", "tutor", "provider"] as const;
export type Party = (typeof PARTIES)[number];
export const partyLabels: Record<Party, string> = { trainee: "le ou la stagiaire", tutor: "le tuteur ou la tutrice", provider: "l'organisme de formation" };

export const PLACES = ["region", "france", "abroad"] as const;
export type Place = (typeof PLACES)[number];
export const placeLabels: Record<Place, string> = { region: "En Occitanie", france: "Ailleurs en France", abroad: "À l'étranger" };

export type PeriodStatus = "preparing" | "in_progress" | "closed" | "cancelled";
export const periodStatusLabels: Record<PeriodStatus, string> = { preparing: "En préparation", in_progress: "En cours", closed: "Clôturée", cancelled: "Annulée" };

/** CP-REFERENT-FOLLOWUP: the fixed list of peripheral barriers. */
export const BARRIERS = ["mobility", "childcare", "housing", "health", "digital", "financial", "other"] as const;
export type Barrier = (typeof BARRIERS)[number];
export const barrierLabels: Record<Barrier, string> = {
  mobility: "Mobilité",
  childcare: "Garde d'enfants",
  housing: "Logement",
  health: "Santé",
  digital: "Numérique",
  financial: "Difficultés financières",
  other: "Autre",
};

export const REVIEW_PARTIES = ["tutor", "referent", "trainee"] as const;
export type ReviewParty = (typeof REVIEW_PARTIES)[number];
export const reviewPartyLabels: Record<ReviewParty, string> = { tutor: "Tuteur ou tutrice", referent: "Formateur·rice référent·e", trainee: "Stagiaire" };

/** Drop-out alert: this many absences in a row among the last slots raise it (CP-REFERENT-FOLLOWUP). */
export const ABSENCE_STREAK = 3;

// ---- The agreement's content and its hash ----

/** Every item CP-INTERNSHIP-AGREEMENT lists, drawn from the period and the path (nothing typed twice). */
export interface AgreementContent {
  version: number;
  provider: { name: string; siret: string };
  trainee: { name: string };
  company: { name: string; siret: string; address: string };
  tutor: { name: string; jobTitle: string };
  followUpTrainer: string | null;
  nature: string;
  objectives: string;
  pedagogicalObjectives: string;
  positionHeld: string;
  place: Place;
  country: string | null;
  workAddress: string;
  startDate: string;
  endDate: string;
  plannedMinutes: number;
  weeklyMinutes: number;
  timetable: string;
  followUpModalities: string;
  outsideOpening: boolean;
  centreContact: string | null;
}

/** SHA-256 of the agreement's canonical JSON: a signature is kept with the hash of exactly what was signed. */
export function agreementHash(content: AgreementContent): string {
  const canonical = (v: unknown): unknown =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.keys(v as object).sort().map((k) => [k, canonical((v as Record<string, unknown>)[k])]))
      : v;
  return createHash("sha256").update(JSON.stringify(canonical(content))).digest("hex");
}

const ITEMS: [keyof AgreementContent, string][] = [
  ["nature", "la nature de la période"],
  ["objectives", "ses objectifs"],
  ["pedagogicalObjectives", "les objectifs pédagogiques"],
  ["positionHeld", "le poste occupé"],
  ["timetable", "le planning (jours et horaires)"],
  ["followUpModalities", "les modalités de suivi (nombre, fréquence, nature)"],
];

/** CP-INTERNSHIP-AGREEMENT: every item the rule lists is present before the agreement goes to signature. */
export function agreementItems(c: AgreementContent): Violation[] {
  const out: Violation[] = [];
  for (const [field, label] of ITEMS) {
    if (!String(c[field] ?? "").trim()) out.push(err("CP-INTERNSHIP-AGREEMENT", "CCTP §3.1.5.3", `La convention doit indiquer ${label} (CP-INTERNSHIP-AGREEMENT).`, field));
  }
  if (!c.followUpTrainer) out.push(err("CP-INTERNSHIP-AGREEMENT", "CCTP §3.1.5.3", "La convention doit nommer le formateur ou la formatrice qui assure le suivi (CP-INTERNSHIP-AGREEMENT).", "followUpTrainerId"));
  if (c.place === "abroad" && !c.country?.trim()) out.push(err("CP-INTERNSHIP-AGREEMENT", "CCTP §3.1.5.3", "Indiquez le pays de la période à l'étranger (CP-INTERNSHIP-AGREEMENT).", "country"));
  return out;
}

/** Which parties have not signed exactly the current version (a signature of an earlier version does not count). */
export function missingSignatures(currentHash: string, signatures: { party: Party; content_hash: string }[]): Party[] {
  return PARTIES.filter((p) => !signatures.some((s) => s.party === p && s.content_hash === currentHash));
}

/**
 * CP-INTERNSHIP-AGREEMENT: no company hour is scheduled or signed before the trainee, the tutor and the
 * provider have all signed the current version of the agreement. The third signature completes it.
 */
export function internshipAgreement(missing: Party[], what: "schedule" | "sign" | "start", trainee?: string): RuleResult {
  if (missing.length === 0) return undefined;
  const act = what === "schedule" ? "planifier des heures en entreprise" : what === "sign" ? "émarger des heures en entreprise" : "commencer la période en entreprise";
  const who = trainee ? ` de ${trainee}` : "";
  return err(
    "CP-INTERNSHIP-AGREEMENT",
    "CCTP §3.1.5.3",
    `La convention de stage${who} n'est pas signée par ${missing.map((p) => partyLabels[p]).join(", ")} : impossible de ${act} avant les trois signatures (CP-INTERNSHIP-AGREEMENT).`,
    what === "schedule" ? "pathIds" : undefined,
    { missing },
  );
}

/** CP-INTERNSHIP-AGREEMENT: a company hour needs a period of the path covering its day. */
export function periodCoversDay(covered: boolean, date: string, trainee?: string): RuleResult {
  if (covered) return undefined;
  return err(
    "CP-INTERNSHIP-AGREEMENT",
    "CCTP §3.1.5.3",
    `Aucune période en entreprise${trainee ? ` de ${trainee}` : ""} ne couvre le ${formatDateFr(date)} : créez la période et faites signer sa convention avant toute heure en entreprise (CP-INTERNSHIP-AGREEMENT).`,
    "pathIds",
    { date },
  );
}

/**
 * CP-COMPANY-MAX-70H over every period of a path (the paths' own rule judges the sum), and the
 * periods stay within the company hours of the path's plan (readjust the plan first: CP-PATH-READJUST).
 */
export function periodsWithinPath(periodMinutes: number[], plannedCompany: number): Violation[] {
  const sum = periodMinutes.reduce((a, b) => a + b, 0);
  const out: Violation[] = [];
  const cap = companyMax70h(addModality(zeroTotals(), "company", null, sum));
  if (cap) out.push({ ...cap, field: "plannedMinutes" });
  else if (sum > plannedCompany) {
    out.push({
      code: "INTERNSHIP-OVER-PLAN",
      severity: "error",
      article: "CCTP §3.2.1.3",
      field: "plannedMinutes",
      message: `Les périodes en entreprise totaliseraient ${formatMinutes(sum)} alors que le parcours en prévoit ${formatMinutes(plannedCompany)} : réajustez d'abord le parcours (CP-PATH-READJUST).`,
      details: { sum, planned: plannedCompany },
    });
  }
  return out;
}

/** CP-WEEKLY-LEGAL (hard part): a period's weekly hours stay within 35 h — the schedule's own rule. */
export function periodWeekly(weeklyMinutes: number, startDate: string, trainee: string): Violation[] {
  return weeklyLegal({ monday: startDate, trainee, company: weeklyMinutes, total: weeklyMinutes }).filter((v) => v.severity === "error").map((v) => ({ ...v, field: "weeklyMinutes" }));
}

/** CP-TUTOR-PRECONTACT (warn): a period starting with no recorded prior contact with the tutor. */
export function tutorPrecontact(precontactOn: string | null): RuleResult {
  if (precontactOn) return undefined;
  return warn("CP-TUTOR-PRECONTACT", "CCTP §3.1.5.1", "Aucun contact préalable avec le tuteur ou la tutrice n'est noté pour cette période (CP-TUTOR-PRECONTACT).", "precontactOn");
}

/** CP-INTERNSHIP-ABROAD: a period abroad starts only with both certificates on file. */
export function internshipAbroad(place: Place, certificates: { civilLiability: boolean; socialCover: boolean }): RuleResult {
  if (place !== "abroad") return undefined;
  const missing = [
    ...(certificates.civilLiability ? [] : ["l'attestation de responsabilité civile"]),
    ...(certificates.socialCover ? [] : ["l'attestation de couverture sociale"]),
  ];
  if (missing.length === 0) return undefined;
  return err("CP-INTERNSHIP-ABROAD", "CCTP §3.1.5.2", `Une période à l'étranger ne peut pas commencer sans ${missing.join(" ni ")} du ou de la stagiaire (CP-INTERNSHIP-ABROAD).`, "certificates", { missing });
}

/** CP-INTERNSHIP-VISIT: a period is closed only after one recorded visit, or a waiver recorded by the Region (abroad). */
export function internshipVisit(visitsDone: number, waiver: boolean): RuleResult {
  if (visitsDone > 0 || waiver) return undefined;
  return err("CP-INTERNSHIP-VISIT", "CCTP §3.1.5.3", "La période ne peut pas être clôturée sans une visite en entreprise enregistrée (ou, à l'étranger, une dispense accordée par la Région) (CP-INTERNSHIP-VISIT).", "visit");
}

/**
 * CP-INTERNSHIP-VISIT (warn, for the Region's compliance board): a period not closed nor cancelled whose
 * end date has passed without a recorded visit nor a waiver. On its end date it does not warn yet; the day after, it does.
 */
export function visitMissing(period: { status: PeriodStatus; endDate: string }, visitsDone: number, waiver: boolean, today: string): RuleResult {
  if (period.status === "closed" || period.status === "cancelled" || visitsDone > 0 || waiver || today <= period.endDate) return undefined;
  return warn("CP-INTERNSHIP-VISIT", "CCTP §3.1.5.3", `La période en entreprise a pris fin le ${formatDateFr(period.endDate)} sans visite en entreprise enregistrée (CP-INTERNSHIP-VISIT).`, "visit", { endDate: period.endDate });
}

/** CP-INTERNSHIP-VISIT: only the Region waives the visit, only for a period abroad. */
export function visitWaiverAllowed(place: Place): RuleResult {
  if (place === "abroad") return undefined;
  return err("CP-INTERNSHIP-VISIT", "CCTP §3.1.5.3", "Seule une période à l'étranger peut être dispensée de visite (CP-INTERNSHIP-VISIT).", "visitWaiverReason");
}

/**
 * The centre's opening periods (CP-COMPANY-OUTSIDE-OPENING): Monday to Friday, 08:00 to 18:00.
 * The sources give no figure; docs/adr/0017 records this reading.
 */
export const CENTRE_OPENING = { firstDay: 1, lastDay: 5, opens: "08:00", closes: "18:00" } as const;

/** Whether a company slot lies inside the centre's opening periods (weekday 1 = Monday … 7 = Sunday). */
export function insideOpening(isoWeekday: number, startTime: string, endTime: string): boolean {
  return isoWeekday >= CENTRE_OPENING.firstDay && isoWeekday <= CENTRE_OPENING.lastDay && startTime >= CENTRE_OPENING.opens && endTime <= CENTRE_OPENING.closes;
}

/** CP-COMPANY-OUTSIDE-OPENING: hours outside opening need the signed agreement to provide them and name a reachable centre contact. */
export function companyOutsideOpening(inside: boolean, agreement: { outsideOpening: boolean; centreContact: string | null }, date: string): RuleResult {
  if (inside || (agreement.outsideOpening && agreement.centreContact?.trim())) return undefined;
  return err(
    "CP-COMPANY-OUTSIDE-OPENING",
    "CCTP §3.1.5.2",
    `Le ${formatDateFr(date)}, ces heures en entreprise tombent hors des horaires d'ouverture du centre (du lundi au vendredi, 8 h–18 h) : la convention signée doit les prévoir et nommer un contact du centre joignable (CP-COMPANY-OUTSIDE-OPENING).`,
    "startTime",
  );
}

/** CP-REFERENT-FOLLOWUP: the trainee's last `ABSENCE_STREAK` marks are all absences (newest first). */
export function absenceStreak(latestStatuses: string[]): boolean {
  return latestStatuses.length >= ABSENCE_STREAK && latestStatuses.slice(0, ABSENCE_STREAK).every((s) => s === "absent");
}

export interface PeriodFacts {
  missing: Party[];
  place: Place;
  certificates: { civilLiability: boolean; socialCover: boolean };
  visitsDone: number;
  waiver: boolean;
}

const STAFF = rolesFor("paths.write");

/** The period's life (a declared table, ADR 0010): start needs the signed agreement (and the certificates abroad); close needs a visit. */
export const PERIOD_TRANSITIONS: TransitionTable<PeriodStatus, PeriodFacts> = {
  in_progress: { from: ["preparing"], roles: STAFF, guard: (f) => [internshipAgreement(f.missing, "start"), internshipAbroad(f.place, f.certificates)].filter((v): v is Violation => !!v) },
  closed: { from: ["in_progress"], roles: STAFF, guard: (f) => [internshipVisit(f.visitsDone, f.waiver)].filter((v): v is Violation => !!v) },
  cancelled: { from: ["preparing"], roles: STAFF },
};

const WEEKDAYS = ["dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"] as const;
export interface WeekSlot {
  slot_date: string;
  start_time: string;
  end_time: string;
  modality: string;
}
/**
 * CP-WELCOME: the booklet's "typical week", drawn from the path's schedule: the first week (Monday to
 * Sunday) holding the most scheduled minutes, as its days and times. Empty when nothing is scheduled.
 */
export function typicalWeek(slots: WeekSlot[]): { monday: string; days: { day: string; slots: { start: string; end: string; modality: string }[] }[] } | null {
  if (!slots.length) return null;
  const mondayOf = (date: string) => {
    const d = new Date(`${date}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
    return d.toISOString().slice(0, 10);
  };
  const mins = (s: WeekSlot) => {
    const [h1, m1] = s.start_time.split(":").map(Number);
    const [h2, m2] = s.end_time.split(":").map(Number);
    return h2 * 60 + m2 - (h1 * 60 + m1);
  };
  const weeks = new Map<string, WeekSlot[]>();
  for (const s of [...slots].sort((a, b) => (a.slot_date + a.start_time).localeCompare(b.slot_date + b.start_time))) {
    const k = mondayOf(s.slot_date);
    weeks.set(k, [...(weeks.get(k) ?? []), s]);
  }
  let best: [string, WeekSlot[]] | null = null;
  for (const w of weeks) if (!best || w[1].reduce((n, s) => n + mins(s), 0) > best[1].reduce((n, s) => n + mins(s), 0)) best = w;
  const [monday, week] = best!;
  const days = new Map<string, { start: string; end: string; modality: string }[]>();
  for (const s of week) {
    const day = WEEKDAYS[new Date(`${s.slot_date}T00:00:00Z`).getUTCDay()];
    days.set(day, [...(days.get(day) ?? []), { start: s.start_time.slice(0, 5), end: s.end_time.slice(0, 5), modality: s.modality }]);
  }
  return { monday, days: [...days].map(([day, list]) => ({ day, slots: list })) };
}
