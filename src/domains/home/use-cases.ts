// The home page as a to-do list (issue 10, point 1): what each role has to do today, each line
// linking to its object. Nothing is judged here: the lines come from the owning domains' use cases
// and read models (views.ts), scoped by the caller exactly as those domains scope them.
import { de } from "../../core/french.ts";
import type { Actor } from "../../core/auth/actor.ts";
import { isProviderStaff } from "../../core/auth/actor.ts";
import type { Db } from "../../core/db/index.ts";
import { addDays, type Clock, daysBetween, formatDateFr, parisDate } from "../../core/time.ts";
import { helpRequests, myDay, slotsOfDay } from "../attendance/use-cases.ts";
import { listChangeRequests, referenceOf } from "../changes/use-cases.ts";
import { dropoutAlertRows } from "../internships/views.ts";
import { complianceBoard } from "../kpi/use-cases.ts";
import { listOrders } from "../orders/use-cases.ts";
import { orderRows } from "../orders/views.ts";
import { depositRows, pathRows, traineeRows } from "../paths/views.ts";
import { listCandidacies, listSlips } from "../recruitment/use-cases.ts";
import { candidacyDecisionRows, candidateNameRows } from "../recruitment/views.ts";
import { infoRegularWarnings } from "../sessions/use-cases.ts";
import { listNotices, noticeKindLabels, noticeReference } from "../trainers/use-cases.ts";

export interface TodoItem {
  label: string;
  href: string;
  /** A short precision after the link (a date, a delay). */
  note?: string;
}

export interface TodoGroup {
  /** Stable key (tests and anchors). */
  key: string;
  title: string;
  /** The exact number of things to do (items may show fewer: the first SHOWN). */
  count: number;
  items: TodoItem[];
  /** Where the whole list is. */
  more?: { href: string; label: string };
}

/** Lines shown per group; the count stays exact. */
export const SHOWN = 10;
/** A continuation slip is "near" its 28-day deadline this many days before it (CP-CONTINUATION-4W). */
export const SLIP_NEAR_DAYS = 7;
/** How far back the prescriber's home looks for decisions and drop-out alerts. */
export const RECENT_DAYS = 14;

const group = (key: string, title: string, items: TodoItem[], more?: TodoGroup["more"]): TodoGroup => ({ key, title, count: items.length, items: items.slice(0, SHOWN), more });
const name = (r: { first_name: string; last_name: string }) => `${r.first_name} ${r.last_name}`;
const hm = (t: string) => t.slice(0, 5).replace(":", " h ");

/** The to-do list of the caller's role (an empty list for roles without one). */
export async function homeTodo(db: Db, actor: Actor, clock: Clock): Promise<TodoGroup[]> {
  if (isProviderStaff(actor) && actor.providerId) return providerTodo(db, actor, clock, actor.providerId);
  if (actor.role === "region_officer") return regionTodo(db, actor, clock);
  if (actor.role === "prescriber" && actor.prescriberOrganisationId) return prescriberTodo(db, clock, actor.prescriberOrganisationId);
  if (actor.role === "trainee" && actor.traineeId) return traineeTodo(db, clock, actor.traineeId);
  return [];
}

async function providerTodo(db: Db, actor: Actor, clock: Clock, providerId: string): Promise<TodoGroup[]> {
  const now = clock.now();
  const today = parisDate(now);
  const [slots, help, candidacies, slips, warnings, orders] = await Promise.all([
    slotsOfDay(db, actor, now),
    helpRequests(db, actor, now, {}),
    listCandidacies(db, actor, { status: "received" }),
    listSlips(db, actor, clock),
    infoRegularWarnings(db, actor, today),
    listOrders(db, actor),
  ]);
  const live = slots.filter((s) => s.status === "planned" || s.status === "open");
  const sheets = live.map((s) => ({
    label: `${hm(s.start_time)}–${hm(s.end_time)} · ${s.module_title ?? s.component_title}`,
    href: `/emargement/${s.id}`,
    note: s.status === "planned" ? "feuille à ouvrir" : "feuille à contresigner",
  }));
  const waiting = help.filter((h) => !h.answered_at).map((h) => ({ label: `Demande d'aide ${de(name(h))}`, href: "/emargement/aide", note: h.question.slice(0, 80) }));
  const toAnswer = candidacies.map((r) => ({ label: `Candidature ${de(name(r))}`, href: `/candidatures/${r.id}`, note: r.component_title }));
  const nearSlips = slips
    .filter((s) => s.direction === "received" && !s.row.slip_answered_on && daysBetween(today, s.deadline) <= SLIP_NEAR_DAYS)
    .sort((a, b) => a.deadline.localeCompare(b.deadline))
    .map((s) => {
      const left = daysBetween(today, s.deadline);
      return {
        label: `Fiche navette ${de(name(s.row))}`,
        href: `/candidatures/${s.row.id}`,
        note: left < 0 ? `échéance du ${formatDateFr(s.deadline)} dépassée de ${-left} jour(s)` : `à répondre avant le ${formatDateFr(s.deadline)}`,
      };
    });
  const overdue = await db
    .selectFrom(pathRows().as("p"))
    .innerJoin(traineeRows().as("t"), "t.id", "p.trainee_id")
    .select(["p.id", "p.planned_exit_date", "t.first_name", "t.last_name"])
    .where("p.provider_id", "=", providerId)
    .where("p.status", "=", "validated")
    .where("p.planned_exit_date", "<", today)
    .orderBy("p.planned_exit_date")
    .orderBy("p.id")
    .execute();
  const late = overdue.map((p) => ({ label: `Parcours ${de(name(p))}`, href: `/parcours/${p.id}`, note: `sortie prévue le ${formatDateFr(p.planned_exit_date)}` }));
  const deposits = await db
    .selectFrom(depositRows().as("d"))
    .innerJoin(pathRows().as("p"), "p.id", "d.path_id")
    .innerJoin(traineeRows().as("t"), "t.id", "p.trainee_id")
    .select(["d.id", "d.path_id", "d.amount_cents", "d.material", "t.first_name", "t.last_name"])
    .where("p.provider_id", "=", providerId)
    .where("p.status", "in", ["closed", "dropped"])
    .where("d.refunded_on", "is", null)
    .where("d.kept_reason", "is", null)
    .orderBy("d.taken_on")
    .orderBy("d.id")
    .execute();
  const refunds = deposits.map((d) => ({
    label: `Caution ${de(name(d))}`,
    href: `/parcours/${d.path_id}`,
    note: `${(d.amount_cents / 100).toLocaleString("fr-FR", { style: "currency", currency: "EUR" })} — ${d.material}`,
  }));
  const orderId = new Map(orders.map((o) => [o.number, o.id]));
  const meetings = warnings.map((v) => {
    const number = String(v.details?.orderNumber ?? "");
    return { label: `Commande ${number} : aucune information collective à venir`, href: orderId.has(number) ? `/commandes/${orderId.get(number)}` : "/sessions", note: "CP-INFO-REGULAR" };
  });
  return [
    group("sheets", "Feuilles d'émargement du jour à ouvrir ou contresigner", sheets, { href: "/emargement", label: "Émargement du jour" }),
    group("help", "Demandes d'aide en attente", waiting, { href: "/emargement/aide", label: "Toutes les demandes d'aide" }),
    group("candidacies", "Candidatures à traiter", toAnswer, { href: "/candidatures?status=received", label: "Candidatures reçues" }),
    group("slips", "Fiches navettes proches ou au-delà de 28 jours", nearSlips, { href: "/continuations", label: "Fiches navettes" }),
    group("overdue-paths", "Parcours « en formation » après leur sortie prévue", late, { href: "/stagiaires", label: "Stagiaires" }),
    group("deposits", "Cautions à rembourser", refunds),
    group("info-meetings", "Informations collectives manquantes", meetings, { href: "/sessions", label: "Sessions et informations collectives" }),
  ];
}

async function regionTodo(db: Db, actor: Actor, clock: Clock): Promise<TodoGroup[]> {
  const today = parisDate(clock.now());
  const [requests, board, notices] = await Promise.all([listChangeRequests(db, actor, { status: "filed" }), complianceBoard(db, actor, clock), listNotices(db, actor, { open: true })]);
  // Issued orders whose planned end is past: ready to close when no path runs, else to review with the provider.
  const ended = await db
    .selectFrom(orderRows().as("o"))
    .select(["o.id", "o.number", "o.planned_end"])
    .select((eb) =>
      eb
        .selectFrom(pathRows().as("p"))
        .select(eb.fn.countAll<string>().as("n"))
        .whereRef("p.order_id", "=", "o.id")
        .where("p.status", "in", ["draft", "validated"])
        .as("running"),
    )
    .where("o.status", "=", "issued")
    .where("o.planned_end", "<", today)
    .orderBy("o.planned_end")
    .orderBy("o.number")
    .execute();
  const toReview = ended
    .filter((o) => Number(o.running) > 0)
    .map((o) => ({ label: `Commande ${o.number}`, href: `/commandes/${o.id}#cloture`, note: `fin prévue le ${formatDateFr(o.planned_end)}, ${o.running} parcours encore en cours` }));
  const ready = ended.filter((o) => Number(o.running) === 0).map((o) => ({ label: `Commande ${o.number}`, href: `/commandes/${o.id}#cloture`, note: `fin prévue le ${formatDateFr(o.planned_end)}` }));
  const decide = requests.map((r) => ({ label: `Demande ${referenceOf(r.id)} — ${r.provider_name}`, href: `/demandes/${r.id}`, note: r.order_number ? `commande ${r.order_number}` : undefined }));
  // CP-TRAINER-CHANGE: teaching-team notices (with the new trainers' CVs) to acknowledge.
  const teams = notices.map((n) => ({ label: `Avis ${noticeReference(n.id)} — ${n.provider_name}`, href: `/equipes-pedagogiques/avis/${n.id}`, note: `${noticeKindLabels[n.kind]}, commande ${n.order_number}` }));
  const compliance = board.map((l) => ({ label: `${l.object || l.providerName} (${l.rule})`, href: l.href || "/conformite", note: l.providerName }));
  return [
    group("orders-review", "Commandes échues à examiner (parcours encore en cours)", toReview, { href: "/commandes", label: "Commandes" }),
    group("requests", "Demandes de modification à décider", decide, { href: "/demandes?statut=filed", label: "Demandes déposées" }),
    group("trainer-notices", "Changements d'équipe pédagogique à prendre en compte", teams, { href: "/equipes-pedagogiques/avis?ouverts=1", label: "Avis d'équipe pédagogique" }),
    group("compliance", "Alertes de conformité", compliance, { href: "/conformite", label: "Tableau de conformité" }),
    group("orders-close", "Commandes prêtes à clôturer", ready, { href: "/commandes", label: "Commandes" }),
  ];
}

const DECISIONS: Record<string, string> = {
  selected: "retenue",
  waiting_list: "sur liste d'attente",
  not_retained: "non retenue",
  entered: "entrée en formation",
};

async function prescriberTodo(db: Db, clock: Clock, organisationId: string): Promise<TodoGroup[]> {
  const since = new Date(`${addDays(parisDate(clock.now()), -RECENT_DAYS)}T00:00:00Z`);
  const decided = await db
    .selectFrom(candidacyDecisionRows().as("cy"))
    .innerJoin(candidateNameRows().as("ca"), "ca.id", "cy.candidate_id")
    .select(["cy.id", "cy.status", "cy.updated_at", "ca.first_name", "ca.last_name"])
    .where("cy.prescriber_organisation_id", "=", organisationId)
    .where("cy.status", "in", ["selected", "waiting_list", "not_retained", "entered"])
    .where("cy.updated_at", ">=", since)
    .orderBy("cy.updated_at", "desc")
    .orderBy("cy.id")
    .execute();
  const decisions = decided.map((r) => ({ label: `Candidature ${de(name(r))}`, href: `/candidatures/${r.id}`, note: `${DECISIONS[r.status] ?? r.status} le ${formatDateFr(parisDate(new Date(r.updated_at)))}` }));
  const alerts = await db
    .selectFrom(dropoutAlertRows().as("a"))
    .innerJoin(pathRows().as("p"), "p.trainee_id", "a.trainee_id")
    .innerJoin(candidacyDecisionRows().as("cy"), "cy.path_id", "p.id")
    .innerJoin(traineeRows().as("t"), "t.id", "a.trainee_id")
    .select(["a.id", "a.reason", "a.raised_at", "cy.id as candidacy_id", "t.first_name", "t.last_name"])
    .where("cy.prescriber_organisation_id", "=", organisationId)
    .where("a.raised_at", ">=", since)
    .orderBy("a.raised_at", "desc")
    .orderBy("a.id")
    .execute();
  const dropouts = [...new Map(alerts.map((a) => [a.id, a])).values()].map((a) => ({
    label: `Risque d'abandon ${de(name(a))}`,
    href: `/candidatures/${a.candidacy_id}`,
    note: `${a.reason === "absences" ? "absences répétées" : "frein périphérique"}, signalé le ${formatDateFr(parisDate(new Date(a.raised_at)))}`,
  }));
  return [
    group("decisions", `Décisions reçues (${RECENT_DAYS} derniers jours)`, decisions, { href: "/prescriptions", label: "Mes prescriptions" }),
    group("dropouts", `Alertes de décrochage (${RECENT_DAYS} derniers jours)`, dropouts),
  ];
}

async function traineeTodo(db: Db, clock: Clock, traineeId: string): Promise<TodoGroup[]> {
  const slots = await myDay(db, traineeId, clock.now());
  const line = (s: (typeof slots)[number]) => ({ label: `${hm(s.start_time)}–${hm(s.end_time)} · ${s.title}`, href: `/signer/${s.id}` });
  const toSign = slots.filter((s) => !s.recorded && s.status !== "closed");
  return [
    group("today", "Vos créneaux d'aujourd'hui", slots.map(line), { href: "/mon-planning", label: "Mon planning" }),
    group("to-sign", "À émarger", toSign.map((s) => ({ ...line(s), note: s.status === "open" ? "émargement ouvert" : "émargement pas encore ouvert" })), { href: "/signer", label: "Émarger" }),
  ];
}
