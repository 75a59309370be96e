// Pure rules of the teaching team (CP-TRAINER-CHANGE, CCTP §4.1.2): a change of team is notified to the
// Region with the new trainers' CVs; an absent trainer is replaced without delay by an equally qualified one.
import type { RuleResult } from "../../core/rules.ts";
import { formatDateFr } from "../../core/time.ts";

const ARTICLE = "CCTP §4.1.2";

export interface TrainerFacts {
  full_name: string;
  qualifications: string;
  cv_attachment_id: string | null;
  active: boolean;
}

/** CP-TRAINER-CHANGE (hard): a trainer joins a teaching team only with a CV on file — the notice carries it to the Region. */
export function joiningTrainerHasCv(t: TrainerFacts, field = "trainerIds"): RuleResult {
  if (t.cv_attachment_id && t.active) return undefined;
  return {
    code: "CP-TRAINER-CHANGE",
    severity: "error",
    article: ARTICLE,
    field,
    message: t.active
      ? `${t.full_name} n'a pas de CV enregistré : la Région reçoit le CV de chaque nouveau formateur (CP-TRAINER-CHANGE). Joignez-le sur sa fiche.`
      : `${t.full_name} n'est plus actif dans l'organisme : il ne peut pas rejoindre l'équipe pédagogique.`,
  };
}

/**
 * CP-TRAINER-CHANGE (hard): the replacement is another trainer, active, with a CV and qualifications on
 * file (the Region compares them with the absent trainer's, shown side by side on the notice).
 */
export function replacementQualified(absent: TrainerFacts & { id: string }, replacement: TrainerFacts & { id: string }): RuleResult {
  const v = (message: string): RuleResult => ({ code: "CP-TRAINER-CHANGE", severity: "error", article: ARTICLE, field: "replacementTrainerId", message });
  if (absent.id === replacement.id) return v("Le remplaçant doit être un autre formateur que le formateur absent.");
  const cv = joiningTrainerHasCv(replacement, "replacementTrainerId");
  if (cv) return cv;
  if (!replacement.qualifications.trim()) {
    return v(`Les qualifications de ${replacement.full_name} ne sont pas renseignées : un formateur absent est remplacé par un formateur de qualification équivalente (CP-TRAINER-CHANGE).`);
  }
  return undefined;
}

/** CP-TRAINER-CHANGE (warn): a replacement is recorded without delay — on the first day of absence at the latest. */
export function replacementWithoutDelay(absenceFrom: string, recordedOn: string): RuleResult {
  if (recordedOn <= absenceFrom) return undefined;
  return {
    code: "CP-TRAINER-CHANGE",
    severity: "warning",
    article: ARTICLE,
    field: "absenceFrom",
    message: `L'absence a commencé le ${formatDateFr(absenceFrom)} : le remplacement, déclaré le ${formatDateFr(recordedOn)}, aurait dû l'être sans délai (CP-TRAINER-CHANGE).`,
    details: { absenceFrom, recordedOn },
  };
}

/** What changes between two teams (ids): who joins, who leaves. */
export function teamDiff(before: string[], after: string[]): { added: string[]; removed: string[] } {
  return { added: after.filter((id) => !before.includes(id)), removed: before.filter((id) => !after.includes(id)) };
}

export const noticeKindLabels = { team_change: "Changement d'équipe pédagogique", replacement: "Remplacement d'un formateur absent", site_change: "Changement de site" } as const;

/** A site as a site-change notice compares it (CP-TRAINER-CHANGE, CP-SITES facts). */
export interface SiteFacts {
  name: string;
  address: string;
  postcode: string;
  commune: string;
  departement_code: string;
  accessible: boolean;
  has_phone: boolean;
  has_internet: boolean;
  has_break_room: boolean;
  has_trainers_office: boolean;
  accessibility_note: string | null;
}

const SITE_TEXTS: [keyof SiteFacts, string][] = [
  ["name", "nom"],
  ["address", "adresse"],
  ["postcode", "code postal"],
  ["commune", "commune"],
  ["departement_code", "département"],
  ["accessibility_note", "note d'accessibilité"],
];
const SITE_FLAGS: [keyof SiteFacts, string][] = [
  ["accessible", "accessible aux personnes à mobilité réduite"],
  ["has_phone", "téléphone"],
  ["has_internet", "accès internet"],
  ["has_break_room", "salle de pause"],
  ["has_trainers_office", "bureau des formateurs"],
];

/**
 * CP-TRAINER-CHANGE: what a site's edit changes, in French (« adresse : 1 rue A → 2 rue B », « téléphone :
 * oui → non »): the content of the notice the Region receives. Nothing changed: an empty list, no notice.
 */
export function siteChanges(before: SiteFacts, after: SiteFacts): string[] {
  const out: string[] = [];
  for (const [k, label] of SITE_TEXTS) {
    const a = (before[k] ?? "") as string;
    const b = (after[k] ?? "") as string;
    if (a.trim() !== b.trim()) out.push(`${label} : ${a.trim() || "—"} → ${b.trim() || "—"}`);
  }
  const yes = (v: unknown) => (v ? "oui" : "non");
  for (const [k, label] of SITE_FLAGS) if (!!before[k] !== !!after[k]) out.push(`${label} : ${yes(before[k])} → ${yes(after[k])}`);
  return out;
}
