// Pure rules of Occitanie e-formation (CCTP §3.3), one function per rule ID; no I/O.
import { err, formatMinutes, type RuleResult, warn } from "../../core/rules.ts";
import { addDays, formatDateFr } from "../../core/time.ts";
import { rolesFor } from "../../core/auth/roles.ts";
import type { TransitionTable, WorkflowWording } from "../../core/workflow.ts";

const ARTICLE = "CCTP §3.3";

/** A week's minutes split by kind of sequence: tutorat (synchronous), self-study (asynchronous), gatherings (physical, synchronous). */
export interface WeekSplit {
  tutorat: number;
  selfStudy: number;
  gatherings: number;
}

export const MINUTES_PER_WEEK = 7 * 24 * 60;

export const syncMinutes = (w: WeekSplit) => w.tutorat + w.gatherings;
export const totalMinutes = (w: WeekSplit) => w.tutorat + w.selfStudy + w.gatherings;

/**
 * CP-EFORM-TYPICAL-WEEK: the typical week of an e-formation component is a real split of a week:
 * whole minutes, none negative, some teaching, no more than the week holds.
 */
export function typicalWeek(w: WeekSplit): RuleResult {
  const parts = [w.tutorat, w.selfStudy, w.gatherings];
  if (parts.some((m) => !Number.isInteger(m) || m < 0)) return err("CP-EFORM-TYPICAL-WEEK", ARTICLE, "Chaque durée de la semaine type est un nombre entier de minutes, positif ou nul.");
  const total = totalMinutes(w);
  if (total === 0) return err("CP-EFORM-TYPICAL-WEEK", ARTICLE, "La semaine type compte au moins une séquence (tutorat, autoformation ou regroupement).", "tutorat");
  if (total > MINUTES_PER_WEEK) return err("CP-EFORM-TYPICAL-WEEK", ARTICLE, `La semaine type dépasse la durée d'une semaine (${formatMinutes(total)}).`, "tutorat", { total });
  return undefined;
}

/** The synchronous share of a split in whole percent, rounded down (shown to people; the rule compares minutes). */
export const syncPercent = (w: WeekSplit) => (totalMinutes(w) === 0 ? 0 : Math.floor((syncMinutes(w) * 100) / totalMinutes(w)));

/**
 * CP-EFORM-SYNC-MIN: synchronous minutes (tutorat + gatherings) are at least the lot's minimum share of
 * the total, compared on minutes (sync × 100 ≥ minimum × total: exactly at the minimum passes). Hard on
 * the declared typical week (`on: "week"`), a warning on a path's plan (`on: "plan"`). No minimum set
 * for the lot: nothing to judge.
 */
export function syncMin(w: WeekSplit, minPercent: number | null | undefined, on: "week" | "plan", who = ""): RuleResult {
  if (minPercent === null || minPercent === undefined) return undefined;
  const total = totalMinutes(w);
  if (total === 0) return undefined;
  const sync = syncMinutes(w);
  if (sync * 100 >= minPercent * total) return undefined;
  const needed = Math.ceil((minPercent * total) / 100);
  const details = { syncMinutes: sync, totalMinutes: total, minPercent, neededMinutes: needed };
  if (on === "week") {
    return err(
      "CP-EFORM-SYNC-MIN",
      ARTICLE,
      `Le temps synchrone de la semaine type (tutorat + regroupements : ${formatMinutes(sync)} sur ${formatMinutes(total)}) est sous le minimum du lot (${minPercent} %, soit ${formatMinutes(needed)}).`,
      "tutorat",
      details,
    );
  }
  return warn(
    "CP-EFORM-SYNC-MIN",
    ARTICLE,
    `${who ? `${who} : ` : ""}le temps synchrone prévu au parcours (tutorat + regroupements : ${formatMinutes(sync)} sur ${formatMinutes(total)}) est sous le minimum du lot (${minPercent} %, soit ${formatMinutes(needed)}).`,
    undefined,
    details,
  );
}

/** A path item's minutes in the split: distance is tutorat, self-study is self-study, gatherings and in-centre time are synchronous in person; company time is outside. */
export function planSplit(items: { modality: string; minutes: number; exempted?: boolean }[]): WeekSplit {
  const w: WeekSplit = { tutorat: 0, selfStudy: 0, gatherings: 0 };
  for (const i of items) {
    if (i.exempted) continue;
    if (i.modality === "distance") w.tutorat += i.minutes;
    else if (i.modality === "self_study") w.selfStudy += i.minutes;
    else if (i.modality === "gathering" || i.modality === "centre") w.gatherings += i.minutes;
  }
  return w;
}

/** CP-EFORM-SOFTWARE-5W: the software is sent 35 days before the start; the Region validates it and provides licences 15 days before. */
export const SOFTWARE_SUBMIT_DAYS = 35;
export const SOFTWARE_LICENCE_DAYS = 15;

export interface SoftwareFacts {
  name: string;
  /** Europe/Paris date it was sent. */
  submittedOn: string;
  status: "submitted" | "validated" | "refused";
  /** Europe/Paris date of the Region's decision. */
  decidedOn: string | null;
  licencesProvided: boolean;
}

/**
 * CP-EFORM-SOFTWARE-5W (warnings, Europe/Paris dates): no software sent once the 35th day before the start
 * has passed (on day 35 before it is still on time, from day 34 it is late), or a software sent after it;
 * a software not validated with its licences once the 15th day before has passed, or validated after it.
 * A session declared without specific software has nothing to send.
 */
export function softwareFiveWeeks(f: { start: string; today: string; noSoftware: boolean; software: SoftwareFacts[] }): RuleResult[] {
  const submitBy = addDays(f.start, -SOFTWARE_SUBMIT_DAYS);
  const licencesBy = addDays(f.start, -SOFTWARE_LICENCE_DAYS);
  const out: RuleResult[] = [];
  const w = (message: string, details: Record<string, unknown>) => warn("CP-EFORM-SOFTWARE-5W", ARTICLE, message, undefined, details);
  const live = f.software.filter((s) => s.status !== "refused");
  if (!f.noSoftware && live.length === 0 && f.today > submitBy) {
    out.push(w(`Aucun logiciel transmis à la Région pour les postes des sites d'accès : il devait l'être au plus tard le ${formatDateFr(submitBy)} (35 jours avant le démarrage du ${formatDateFr(f.start)}).`, { submitBy }));
  }
  for (const s of f.software) {
    if (s.submittedOn > submitBy) out.push(w(`« ${s.name} » a été transmis le ${formatDateFr(s.submittedOn)}, après le ${formatDateFr(submitBy)} (35 jours avant le démarrage).`, { submitBy, submittedOn: s.submittedOn }));
    if (s.status === "refused") continue;
    const ready = s.status === "validated" && s.licencesProvided;
    if (!ready && f.today > licencesBy) {
      out.push(w(`« ${s.name} » n'est pas validé avec ses licences fournies alors que la Région devait le faire au plus tard le ${formatDateFr(licencesBy)} (15 jours avant le démarrage).`, { licencesBy }));
    } else if (ready && s.decidedOn && s.decidedOn > licencesBy) {
      out.push(w(`« ${s.name} » a été validé le ${formatDateFr(s.decidedOn)}, après le ${formatDateFr(licencesBy)} (15 jours avant le démarrage).`, { licencesBy, decidedOn: s.decidedOn }));
    }
  }
  return out;
}

/** CP-EFORM-CHECKPOINT-15D: the checkpoint with the Region opens 15 days before the session starts. */
export const CHECKPOINT_DAYS = 15;
export const checkpointOpensOn = (start: string) => addDays(start, -CHECKPOINT_DAYS);

/**
 * CP-EFORM-CHECKPOINT-15D: the Region confirms or postpones a session at its checkpoint, from the 15th day
 * before its start (day 15 before: open; day 16 before: not yet) and until it has started.
 */
export function checkpointOpen(start: string, today: string): RuleResult {
  const opens = checkpointOpensOn(start);
  if (today < opens) return err("CP-EFORM-CHECKPOINT-15D", ARTICLE, `Le point d'étape avec la Région s'ouvre 15 jours avant le démarrage, le ${formatDateFr(opens)}.`, undefined, { opensOn: opens });
  if (today >= start) return err("CP-EFORM-CHECKPOINT-15D", ARTICLE, `La session a démarré le ${formatDateFr(start)} : le point d'étape d'avant démarrage est passé.`, undefined, { start });
  return undefined;
}

/** A postponement moves the session later, its end on or after its new start. */
export function postponedDates(oldStart: string, newStart: string, newEnd: string): RuleResult {
  if (newStart <= oldStart) return err("CHECKPOINT_DATES", ARTICLE, `Un report fixe un nouveau début après le ${formatDateFr(oldStart)}.`, "newStart");
  if (newEnd < newStart) return err("CHECKPOINT_DATES", ARTICLE, "La nouvelle fin précède le nouveau début.", "newEnd");
  return undefined;
}

// ---- Gatherings (CP-EFORM-GATHERINGS, CP-EFORM-WELCOME-DAY) ----

export type GatheringKind = "welcome_day" | "exam" | "other";
export const gatheringKindLabels: Record<GatheringKind, string> = { welcome_day: "Journée d'accueil", exam: "Examen ou évaluation réglementée", other: "Autre regroupement (autorisé par la Région)" };

/**
 * CP-EFORM-GATHERINGS: physical gatherings are the welcome day and exams or regulated evaluations; any
 * other needs the Region's authorisation of an argued request, given for this session.
 */
export function gatheringAllowed(kind: GatheringKind, authorisedRequest: boolean): RuleResult {
  if (kind !== "other" || authorisedRequest) return undefined;
  return err(
    "CP-EFORM-GATHERINGS",
    ARTICLE,
    "En e-formation, les seuls regroupements physiques sont la journée d'accueil et les examens ou évaluations réglementées : tout autre regroupement demande l'autorisation de la Région, sur demande argumentée.",
    "requestId",
  );
}

/**
 * CP-EFORM-WELCOME-DAY: the session opens with its welcome day, held on its first day (« au démarrage
 * de la formation »), once; every gathering lies within the session's dates.
 */
export function gatheringDate(f: { kind: GatheringKind; date: string; start: string; end: string; hasWelcomeDay: boolean }): RuleResult {
  if (f.kind === "welcome_day") {
    if (f.hasWelcomeDay) return err("CP-EFORM-WELCOME-DAY", ARTICLE, "La session a déjà sa journée d'accueil.", "kind");
    if (f.date !== f.start) return err("CP-EFORM-WELCOME-DAY", ARTICLE, `La session s'ouvre par la journée d'accueil : elle a lieu le premier jour de la session, le ${formatDateFr(f.start)}.`, "date", { start: f.start });
    return undefined;
  }
  if (f.date < f.start || f.date > f.end) return err("GATHERING_DATE", ARTICLE, `Un regroupement a lieu pendant la session, du ${formatDateFr(f.start)} au ${formatDateFr(f.end)}.`, "date");
  return undefined;
}

export type DeliveryItem = "contract" | "calendar" | "materials";
export const DELIVERY_ITEMS: readonly DeliveryItem[] = ["contract", "calendar", "materials"];
export const deliveryLabels: Record<DeliveryItem, string> = { contract: "Contrat de formation", calendar: "Calendrier de la formation", materials: "Ressources pédagogiques" };

/** CP-EFORM-WELCOME-DAY (warnings): no welcome day planned; or, once it has passed, trainees who did not receive an item. */
export function welcomeDay(f: { welcomeDate: string | null; today: string; missing: { trainee: string; items: DeliveryItem[] }[] }): RuleResult[] {
  if (!f.welcomeDate) return [warn("CP-EFORM-WELCOME-DAY", ARTICLE, "Aucune journée d'accueil n'est prévue : la session s'ouvre par un regroupement où chaque stagiaire reçoit contrat, calendrier et ressources.")];
  if (f.today < f.welcomeDate) return [];
  return f.missing.map((m) =>
    warn("CP-EFORM-WELCOME-DAY", ARTICLE, `${m.trainee} n'a pas reçu : ${m.items.map((i) => deliveryLabels[i].toLowerCase()).join(", ")}.`, undefined, { items: m.items }),
  );
}

// ---- Web conference and platform (CP-WEBCONF) ----

export const WEBCONF_CAPABILITIES = {
  audio_video_16: "Audio et vidéo pour 16 personnes au moins",
  screen_sharing: "Partage d'écran",
  remote_control: "Prise en main à distance",
  whiteboard: "Tableau blanc",
  file_transfer: "Transfert de fichiers",
} as const;
export type WebconfCapability = keyof typeof WEBCONF_CAPABILITIES;

/** CP-WEBCONF: the virtual-class tool has every listed capability; the platform is the provider's own (named, with its address) or the Region's Moodle. */
export function webconf(caps: Record<WebconfCapability, boolean>, platform: { kind: "own" | "region_moodle"; name?: string | null; url?: string | null }): RuleResult[] {
  const ARTICLE_WEB = "CCTP §3.2.2.1";
  const out: RuleResult[] = (Object.keys(WEBCONF_CAPABILITIES) as WebconfCapability[])
    .filter((k) => !caps[k])
    .map((k) => err("CP-WEBCONF", ARTICLE_WEB, `L'outil de classe virtuelle doit offrir : ${WEBCONF_CAPABILITIES[k].toLowerCase()}.`, k));
  if (platform.kind === "own" && (!platform.name || !platform.url)) out.push(err("CP-WEBCONF", ARTICLE_WEB, "Nommez votre plateforme d'apprentissage et donnez son adresse, ou choisissez le Moodle de la Région.", "platformName"));
  return out;
}

// ---- Declared workflows ----

const reasonRequired = (f: { reason: string | null }) => (f.reason ? [] : [err("VALIDATION", ARTICLE, "Un refus est motivé : indiquez la raison à l'organisme.", "reason")]);

/** CP-EFORM-GATHERINGS: an argued request is filed by the provider, authorised or refused (with reason) by the Region, or withdrawn. */
export type GatheringRequestStatus = "filed" | "authorised" | "refused" | "withdrawn";
export const GATHERING_REQUEST_TRANSITIONS: TransitionTable<GatheringRequestStatus, { reason: string | null }> = {
  authorised: { from: ["filed"], roles: ["region_officer"] },
  refused: { from: ["filed"], roles: ["region_officer"], guard: reasonRequired },
  withdrawn: { from: ["filed"], roles: rolesFor("sessions.write") },
};
export const gatheringRequestWording: WorkflowWording<GatheringRequestStatus> = {
  noun: "Une demande de regroupement",
  labels: { filed: "Déposée", authorised: "Autorisée", refused: "Refusée", withdrawn: "Retirée" },
  code: "GATHERING_REQUEST_STATUS",
};

/** CP-WEBCONF: a declaration is reviewed by the Region; a new declaration by the provider goes back to review. */
export type WebconfStatus = "submitted" | "accepted" | "refused";
export const WEBCONF_TRANSITIONS: TransitionTable<WebconfStatus, { reason: string | null }> = {
  accepted: { from: ["submitted"], roles: ["region_officer"] },
  refused: { from: ["submitted"], roles: ["region_officer"], guard: reasonRequired },
  submitted: { from: ["submitted", "accepted", "refused"], roles: rolesFor("offer.write") },
};
export const webconfWording: WorkflowWording<WebconfStatus> = {
  noun: "Une déclaration d'outils",
  labels: { submitted: "À examiner", accepted: "Acceptée", refused: "Refusée" },
  code: "WEBCONF_STATUS",
};
