// One pure function per rule ID of docs/requirements.md §3 for candidacies (no I/O).
import type { Role } from "../../core/db/schema.ts";
import type { CandidacyOrigin, CandidacyStatus } from "../../core/db/schema.ts";
import { err, type RuleResult, type Violation, warn } from "../../core/rules.ts";
import { eligiblePublic } from "../../core/scheme.ts";
import { addDays, daysBetween, formatDateFr } from "../../core/time.ts";
import { rolesFor } from "../../core/auth/roles.ts";

export { eligiblePublic };


export const CONTINUATION_DAYS = 28;

export const CONTINUATION_SCHEMES = ["prf_prequalifying", "qualif_pro_parcours_qualifiants", "qualif_pro_competences_plus"] as const;
export type ContinuationScheme = (typeof CONTINUATION_SCHEMES)[number];
export const schemeLabels: Record<ContinuationScheme, string> = {
  prf_prequalifying: "Dispositif préqualifiant du PRF",
  qualif_pro_parcours_qualifiants: "Qualif'Pro — Parcours qualifiants",
  qualif_pro_competences_plus: "Qualif'Pro — Compétences Plus",
};

/** CP-CONTINUATION-ROUTES (hard): only a PRF pre-qualifying or Qualif'Pro scheme makes a continuation. */
export function continuationRoutes(fromScheme: string): RuleResult {
  if ((CONTINUATION_SCHEMES as readonly string[]).includes(fromScheme)) return undefined;
  return err(
    "CP-CONTINUATION-ROUTES",
    "CCTP §2.2",
    "Seule une fiche navette issue d'un dispositif préqualifiant du PRF ou de Qualif'Pro (Parcours qualifiants, Compétences Plus) est une suite de parcours : saisissez ce candidat comme une prescription (CP-CONTINUATION-ROUTES, CCTP §2.2).",
    "fromScheme",
    { fromScheme },
  );
}

/** §12.7: the last on-time day of provider 2's answer (receipt + 28 calendar days). */
export const continuationDeadline = (receivedOn: string) => addDays(receivedOn, CONTINUATION_DAYS);

/**
 * CP-CONTINUATION-4W (warn, §12.7): answered by day 28 after receipt is on time, day 29 is late;
 * an unanswered slip is overdue once today passes day 28.
 */
export function continuation4w(receivedOn: string, answeredOn: string | null, today: string): RuleResult {
  const deadline = continuationDeadline(receivedOn);
  const at = answeredOn ?? today;
  if (at <= deadline) return undefined;
  const late = daysBetween(deadline, at);
  return warn(
    "CP-CONTINUATION-4W",
    "CCTP §2.2",
    answeredOn
      ? `Réponse à la fiche navette donnée le ${formatDateFr(answeredOn)}, ${late} jour(s) après l'échéance du ${formatDateFr(deadline)} (28 jours après sa réception le ${formatDateFr(receivedOn)}) (CP-CONTINUATION-4W, CCTP §2.2).`
      : `Fiche navette reçue le ${formatDateFr(receivedOn)} sans réponse : l'échéance indicative du ${formatDateFr(deadline)} est dépassée de ${late} jour(s) (CP-CONTINUATION-4W, CCTP §2.2).`,
    undefined,
    { receivedOn, deadline, answeredOn, lateDays: late },
  );
}

/** CP-CONTINUATION-PRIORITY (hard): a continuation candidate is refused only with a written justification. */
export function continuationRefusalJustified(origin: CandidacyOrigin, justification: string | null | undefined): RuleResult {
  if (origin !== "continuation" || (justification ?? "").trim().length > 0) return undefined;
  return err(
    "CP-CONTINUATION-PRIORITY",
    "CCTP §2.2",
    "Ce candidat vient d'une suite de parcours : il est prioritaire à candidature équivalente. Justifiez par écrit le refus ; la justification sera lue par l'organisme précédent, le prescripteur et la Région (CP-CONTINUATION-PRIORITY, CCTP §2.2).",
    "continuationJustification",
  );
}

export interface RankItem {
  id: string;
  origin: CandidacyOrigin;
  assessmentScore: number | null;
  receivedAt: string;
}

/**
 * CP-CONTINUATION-PRIORITY: selection order — score descending (not yet assessed last), continuation
 * candidates first among equal scores, then earliest received.
 */
export function rankForSelection<T extends RankItem>(items: T[]): T[] {
  const score = (i: RankItem) => i.assessmentScore ?? -1;
  return [...items].sort(
    (a, b) =>
      score(b) - score(a) ||
      Number(b.origin === "continuation") - Number(a.origin === "continuation") ||
      (a.receivedAt < b.receivedAt ? -1 : a.receivedAt > b.receivedAt ? 1 : 0),
  );
}

/** CP-PREP-PRIORITY (warn): a specific preparation goes first to people without a diploma above the exam's level. */
export function prepPriority(category: string, examLevel: number | null, candidateLevel: number | null): RuleResult {
  if (category !== "specific_preparation" || examLevel === null || candidateLevel === null) return undefined;
  if (candidateLevel <= examLevel) return undefined;
  return warn(
    "CP-PREP-PRIORITY",
    "CCTP §3.1.3.3",
    `Le candidat détient un diplôme de niveau ${candidateLevel}, supérieur au niveau ${examLevel} de l'examen visé : les places de la préparation vont d'abord aux personnes sans diplôme supérieur (CP-PREP-PRIORITY, CCTP §3.1.3.3).`,
    "highestDiplomaLevel",
    { examLevel, candidateLevel },
  );
}

/** CP-PRESCRIPTION-MODES: a direct registration (no prescriber) exists for e-formation only. */
export function directRegistrationAllowed(eFormation: boolean): RuleResult {
  if (eFormation) return undefined;
  return warn(
    "CP-PRESCRIPTION-MODES",
    "CCTP §2.2, §3.3",
    "L'inscription directe est réservée aux formations Occitanie e-formation. Pour cette formation, adressez-vous à un prescripteur (agence France Travail, Mission Locale, Cap Emploi…) qui transmettra votre candidature (CP-PRESCRIPTION-MODES, CCTP §2.2).",
  );
}

export interface SessionFacts {
  publishedAt: Date | string | null;
  recruitmentOpen: boolean;
  recruitmentStart: string | null;
  recruitmentEnd: string | null;
  endDate: string;
}

/**
 * A prescription goes to a published session with recruitment open (within its period if one is set);
 * a continuation is received even outside recruitment periods (CP-CONTINUATION-SLIP).
 */
export function recruitmentOpen(session: SessionFacts, origin: CandidacyOrigin, today: string): RuleResult {
  if (origin === "continuation") return session.endDate >= today ? undefined : closed("Cette session est terminée.");
  if (!session.publishedAt) return closed("Cette session n'est pas publiée.");
  if (!session.recruitmentOpen) return closed("Le recrutement de cette session est fermé.");
  if (session.recruitmentStart && today < session.recruitmentStart) return closed(`Le recrutement de cette session ouvre le ${formatDateFr(session.recruitmentStart)}.`);
  if (session.recruitmentEnd && today > session.recruitmentEnd) return closed(`Le recrutement de cette session a fermé le ${formatDateFr(session.recruitmentEnd)}.`);
  return undefined;
}
const closed = (message: string) => err("RECRUITMENT_CLOSED", "CCTP §2.3", `${message} Choisissez une session au recrutement ouvert.`, "sessionId");

// ——— CP-CANDIDACY-DECISION: the declared workflow ———

export const OPEN_STATUSES: CandidacyStatus[] = ["received", "invited", "summoned", "selected", "waiting_list"];
const DECIDERS = rolesFor("recruitment.decide");

export interface TransitionFacts {
  origin: CandidacyOrigin;
  jobSeekerRegistered: boolean;
  summonedFor?: string | null;
  refusalReasonCode?: string | null;
  messageToCandidate?: string | null;
  messageToPrescriber?: string | null;
  continuationJustification?: string | null;
  reason?: string | null;
}

export interface Transition {
  from: CandidacyStatus[];
  roles: Role[];
  guard?: (f: TransitionFacts) => Violation[];
}

const required = (value: string | null | undefined, field: string, message: string): Violation[] =>
  (value ?? "").trim() ? [] : [err("CP-CANDIDACY-DECISION", "CCTP §2.2", message, field)];

/** Target status → allowed sources, roles and guard. `entered` is reached only through the entry command. */
export const TRANSITIONS: Record<Exclude<CandidacyStatus, "received">, Transition> = {
  invited: { from: ["received"], roles: DECIDERS },
  summoned: {
    from: ["received", "invited", "waiting_list"],
    roles: DECIDERS,
    guard: (f) => required(f.summonedFor, "summonedFor", "Indiquez la date de la sélection à laquelle le candidat est convoqué."),
  },
  selected: { from: ["summoned", "waiting_list"], roles: DECIDERS },
  waiting_list: { from: ["summoned"], roles: DECIDERS },
  not_retained: {
    from: ["received", "invited", "summoned", "waiting_list"],
    roles: DECIDERS,
    guard: (f) => [
      ...required(f.refusalReasonCode, "refusalReasonCode", "Choisissez le motif de non-retenue dans la liste."),
      ...required(f.messageToCandidate, "messageToCandidate", "Rédigez le message adressé au candidat."),
      ...required(f.messageToPrescriber, "messageToPrescriber", "Rédigez le message adressé au prescripteur."),
      ...[continuationRefusalJustified(f.origin, f.continuationJustification)].filter((v): v is Violation => v !== undefined),
    ],
  },
  entered: {
    from: ["selected"],
    roles: DECIDERS,
    guard: (f) => [eligiblePublic(f.jobSeekerRegistered, "entry")].filter((v): v is Violation => v !== undefined),
  },
  withdrawn: {
    from: OPEN_STATUSES,
    roles: [...DECIDERS, "prescriber"],
    guard: (f) => required(f.reason, "reason", "Indiquez le motif du désistement."),
  },
};

/** CP-CANDIDACY-DECISION: may `role` move a candidacy from `from` to `to` with these facts? */
export function candidacyDecision(from: CandidacyStatus, to: Exclude<CandidacyStatus, "received">, role: Role, facts: TransitionFacts): Violation[] {
  const t = TRANSITIONS[to];
  if (!t.from.includes(from)) {
    return [
      err(
        "CP-CANDIDACY-DECISION",
        "CCTP §2.2",
        `Une candidature « ${statusLabels[from]} » ne peut pas passer à « ${statusLabels[to]} » (étapes possibles depuis « ${statusLabels[from]} » : ${nextStatuses(from).map((s) => `« ${statusLabels[s]} »`).join(", ") || "aucune"}).`,
        "status",
        { from, to },
      ),
    ];
  }
  if (!t.roles.includes(role)) return [err("FORBIDDEN", "CCTP §2.2", "Votre rôle ne permet pas cette décision.")];
  return t.guard?.(facts) ?? [];
}

export const nextStatuses = (from: CandidacyStatus) =>
  (Object.entries(TRANSITIONS) as [Exclude<CandidacyStatus, "received">, Transition][]).filter(([, t]) => t.from.includes(from)).map(([to]) => to);

export const statusLabels: Record<CandidacyStatus, string> = {
  received: "Reçue",
  invited: "Invitée à l'information collective",
  summoned: "Convoquée à la sélection",
  selected: "Retenue",
  waiting_list: "Liste d'attente",
  not_retained: "Non retenue",
  entered: "Entrée en formation",
  withdrawn: "Désistement",
};

export const originLabels: Record<CandidacyOrigin, string> = {
  dematerialised: "Prescription dématérialisée",
  paper: "Prescription papier / e-mail",
  continuation: "Suite de parcours (fiche navette)",
  direct_eformation: "Inscription directe (e-formation)",
};
