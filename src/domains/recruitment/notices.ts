// The French messages a candidacy's steps send (CP-CANDIDACY-DECISION): who is told what.
import type { Kysely, Transaction } from "kysely";
import type { CandidacyStatus, DB } from "../../core/db/schema.ts";
import { notify } from "../../core/notifications/index.ts";
import { formatDateFr } from "../../core/time.ts";
import { continuationDeadline } from "./rules.ts";
import { prescriberRecipients, providerAdmins, type CandidacyRow } from "./store.ts";

type Tx = Transaction<DB> | Kysely<DB>;

export interface StepNotice {
  to: CandidacyStatus;
  row: CandidacyRow;
  entryDate?: string | null;
  refusalLabel?: string | null;
  reason?: string | null;
}

const who = (r: CandidacyRow) => `${r.first_name} ${r.last_name}`;
const what = (r: CandidacyRow) => `« ${r.component_title} » (${r.provider_name}, session du ${formatDateFr(r.session_start)})`;

function candidateText(n: StepNotice): string | undefined {
  const r = n.row;
  switch (n.to) {
    case "received":
      return `Votre candidature à la formation ${what(r)} a bien été reçue. L'organisme de formation vous contactera pour la suite.`;
    case "invited":
      return `Vous êtes invité·e à une information collective pour la formation ${what(r)}. L'organisme vous en précise la date, l'horaire et le lieu.`;
    case "summoned":
      return `Vous êtes convoqué·e à la sélection pour la formation ${what(r)} le ${formatDateFr(r.summoned_for)}.`;
    case "selected":
      return `Bonne nouvelle : votre candidature à la formation ${what(r)} est retenue.${n.entryDate ? ` Date d'entrée prévue : ${formatDateFr(n.entryDate)}.` : ""}`;
    case "waiting_list":
      return `Votre candidature à la formation ${what(r)} est inscrite sur liste d'attente. Vous serez informé·e si une place se libère.`;
    case "not_retained":
      return `Votre candidature à la formation ${what(r)} n'est pas retenue.\nMotif : ${n.refusalLabel ?? ""}.\n\n${r.message_to_candidate ?? ""}`;
    case "entered":
      return `Votre entrée en formation ${what(r)} est enregistrée à la date du ${formatDateFr(n.entryDate)}.`;
    case "withdrawn":
      return `Votre candidature à la formation ${what(r)} est close (désistement).${n.reason ? ` Motif : ${n.reason}.` : ""}`;
  }
}

function prescriberText(n: StepNotice): string {
  const r = n.row;
  const base = `Candidature de ${who(r)} à la formation ${what(r)}`;
  switch (n.to) {
    case "not_retained":
      return `${base} : non retenue.\nMotif : ${n.refusalLabel ?? ""}.\n\n${r.message_to_prescriber ?? ""}${r.continuation_justification ? `\n\nJustification du refus d'une suite de parcours (CP-CONTINUATION-PRIORITY) : ${r.continuation_justification}` : ""}`;
    case "selected":
    case "entered":
      return `${base} : ${n.to === "selected" ? "retenue" : "entrée en formation"}.${n.entryDate ? ` Date d'entrée : ${formatDateFr(n.entryDate)}.` : ""}`;
    case "summoned":
      return `${base} : convocation à la sélection le ${formatDateFr(r.summoned_for)}.`;
    case "withdrawn":
      return `${base} : désistement.${n.reason ? ` Motif : ${n.reason}.` : ""}`;
    case "received":
      return `${base} : reçue par l'organisme.`;
    default:
      return `${base} : ${subjects[n.to].toLowerCase()}.`;
  }
}

const subjects: Record<CandidacyStatus, string> = {
  received: "Candidature reçue",
  invited: "Invitation à une information collective",
  summoned: "Convocation à la sélection",
  selected: "Candidature retenue",
  waiting_list: "Candidature sur liste d'attente",
  not_retained: "Candidature non retenue",
  entered: "Entrée en formation",
  withdrawn: "Désistement",
};

/**
 * Notifies, in the decision's transaction, the candidate, the prescriber and — for a continuation —
 * provider 1 (CP-CANDIDACY-DECISION, CP-COPASS). Returns how many messages were written.
 */
export async function notifyStep(tx: Tx, n: StepNotice): Promise<number> {
  const r = n.row;
  const subject = `${subjects[n.to]} — ${r.component_title}`;
  const entity = { entity: "candidacy", entityId: r.id };
  let count = 0;
  const candidate = candidateText(n);
  if (r.email && candidate) {
    await notify(tx, { to: r.email, subject, body: `Bonjour ${r.first_name} ${r.last_name},\n\n${candidate}\n\n${r.provider_name}`, ...entity });
    count++;
  }
  // The prescriber hears of decisions; a new candidacy is announced to it by notifyNewCandidacy.
  const prescribers = n.to === "received" ? [] : await prescriberRecipients(tx, r.prescriber_user_id, r.prescriber_organisation_id);
  for (const p of prescribers) {
    await notify(tx, { to: p.email, userId: p.id, subject, body: prescriberText(n), ...entity });
    count++;
  }
  if (r.origin === "continuation" && r.from_provider_id && n.to !== "received") {
    const answer =
      n.to === "not_retained" || n.to === "selected" || n.to === "entered"
        ? ` Réponse à votre fiche navette reçue le ${formatDateFr(r.slip_received_on)} (échéance indicative ${formatDateFr(continuationDeadline(r.slip_received_on!))}).`
        : "";
    for (const p of await providerAdmins(tx, r.from_provider_id)) {
      await notify(tx, { to: p.email, userId: p.id, subject: `Suite de parcours — ${subject}`, body: `${prescriberText(n)}${answer}`, ...entity });
      count++;
    }
  }
  return count;
}

/** A new candidacy reaches the provider's administrative staff (and the others concerned). */
export async function notifyNewCandidacy(tx: Tx, row: CandidacyRow, opts: { providerKnows?: boolean; prescriberKnows?: boolean } = {}): Promise<void> {
  const entity = { entity: "candidacy", entityId: row.id };
  if (!opts.prescriberKnows && (row.prescriber_user_id || row.prescriber_organisation_id)) {
    const subject = row.origin === "continuation" ? `Fiche navette transmise — ${row.component_title}` : `Prescription enregistrée — ${row.component_title}`;
    for (const p of await prescriberRecipients(tx, row.prescriber_user_id, row.prescriber_organisation_id)) {
      await notify(tx, { to: p.email, userId: p.id, subject, body: `${prescriberText({ to: "received", row })}${row.from_provider_name ? ` Organisme précédent : ${row.from_provider_name}.` : ""}`, ...entity });
    }
  }
  if (!opts.providerKnows) {
    const subject = row.origin === "continuation" ? `Fiche navette reçue — ${row.component_title}` : `Nouvelle candidature — ${row.component_title}`;
    const deadline = row.slip_received_on ? ` Convoquez le candidat à la sélection, même hors période de recrutement, et répondez avant le ${formatDateFr(continuationDeadline(row.slip_received_on))} (CP-CONTINUATION-SLIP, CP-CONTINUATION-4W).` : "";
    for (const p of await providerAdmins(tx, row.provider_id)) {
      await notify(tx, { to: p.email, userId: p.id, subject, body: `Candidature de ${who(row)} à la session du ${formatDateFr(row.session_start)} (${row.prescriber_name ?? "sans prescripteur"}).${deadline}`, ...entity });
    }
  }
  await notifyStep(tx, { to: "received", row });
}
