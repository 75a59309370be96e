// Demo: candidacies in every status on the demo's published sessions — dematerialised and paper
// prescriptions, continuation slips (one overdue, one answered), an unregistered candidate, the
// messages sent. Runs after the sessions are inserted (it needs their ids); without sessions it adds nothing.
import type { Transaction } from "kysely";
import type { CandidacyOrigin, CandidacyStatus, DB } from "../core/db/schema.ts";
import { notify } from "../core/notifications/index.ts";
import { addDays, newId, parisDate } from "../core/time.ts";
import { statusLabels } from "../domains/recruitment/rules.ts";

type Tx = Transaction<DB>;

interface Spec {
  first: string;
  last: string;
  status: CandidacyStatus;
  origin: CandidacyOrigin;
  registered?: boolean;
  score?: number;
  slip?: { daysAgo: number; answered?: boolean; fromScheme: "prf_prequalifying" | "qualif_pro_parcours_qualifiants" | "qualif_pro_competences_plus" };
}

const SPECS: Spec[] = [
  { first: "Inès", last: "Roux", status: "received", origin: "dematerialised" },
  { first: "Karim", last: "Benali", status: "invited", origin: "paper" },
  { first: "Léa", last: "Fabre", status: "summoned", origin: "dematerialised", score: 64 },
  { first: "Hugo", last: "Castel", status: "selected", origin: "dematerialised", score: 78 },
  { first: "Sarah", last: "Pujol", status: "waiting_list", origin: "paper", score: 61 },
  { first: "Thomas", last: "Vidal", status: "not_retained", origin: "dematerialised", score: 40 },
  { first: "Nadia", last: "Amrani", status: "withdrawn", origin: "paper" },
  { first: "Julien", last: "Sabatier", status: "received", origin: "dematerialised", registered: false },
  { first: "Chloé", last: "Durand", status: "summoned", origin: "continuation", score: 64, slip: { daysAgo: 35, fromScheme: "prf_prequalifying" } },
  { first: "Maxime", last: "Garcia", status: "selected", origin: "continuation", score: 70, slip: { daysAgo: 20, answered: true, fromScheme: "qualif_pro_parcours_qualifiants" } },
];

const PATH_FOR: Record<CandidacyStatus, CandidacyStatus[]> = {
  received: ["received"],
  invited: ["received", "invited"],
  summoned: ["received", "invited", "summoned"],
  selected: ["received", "invited", "summoned", "selected"],
  waiting_list: ["received", "summoned", "waiting_list"],
  not_retained: ["received", "summoned", "not_retained"],
  entered: ["received", "summoned", "selected", "entered"],
  withdrawn: ["received", "invited", "withdrawn"],
};

export async function loadDemoRecruitment(tx: Tx, now: Date): Promise<{ candidacies: number }> {
  const today = parisDate(now);
  const sessions = await tx
    .selectFrom("session as s")
    .innerJoin("provider as p", "p.id", "s.provider_id")
    .select(["s.id", "s.provider_id", "s.start_date", "s.order_line_id", "p.name"])
    .where("s.published_at", "is not", null)
    .where("s.end_date", ">=", today)
    .orderBy("s.start_date")
    .orderBy("s.id")
    .execute();
  if (sessions.length === 0) return { candidacies: 0 };
  const target = sessions[0];
  const other = sessions.find((s) => s.provider_id !== target.provider_id);
  const prescribers = await tx.selectFrom("app_user").select(["id", "email", "prescriber_organisation_id"]).where("role", "=", "prescriber").orderBy("email").execute();
  const staff = await tx.selectFrom("app_user").select(["id", "email"]).where("provider_id", "=", target.provider_id).where("role", "=", "provider_admin").executeTakeFirst();
  if (prescribers.length === 0 || !staff) return { candidacies: 0 };
  const refusal = await tx.selectFrom("refusal_reason").select(["code", "version", "label"]).where("code", "=", "prerequisites_not_met").where("active", "=", true).executeTakeFirstOrThrow();

  let count = 0;
  for (const [i, s] of SPECS.entries()) {
    const prescriber = prescribers[i % prescribers.length];
    const candidateId = newId();
    const id = newId();
    const email = `${s.first}.${s.last}`.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "") + "@exemple.fr";
    await tx
      .insertInto("candidate")
      .values({
        id: candidateId,
        first_name: s.first,
        last_name: s.last,
        birth_date: `${1980 + (i * 3) % 25}-0${1 + (i % 9)}-1${i % 9}`,
        email,
        phone: `06 12 34 56 ${String(10 + i)}`,
        france_travail_id: s.registered === false ? null : `${String(4_100_000 + i * 137).padStart(7, "0")}${"ABCDEFGHJK"[i]}`,
        job_seeker_registered: s.registered !== false,
        highest_diploma_level: 3 + (i % 3),
      })
      .execute();
    const refused = s.status === "not_retained";
    await tx
      .insertInto("candidacy")
      .values({
        id,
        candidate_id: candidateId,
        session_id: target.id,
        provider_id: target.provider_id,
        origin: s.origin,
        prescriber_organisation_id: prescriber.prescriber_organisation_id,
        prescriber_user_id: s.origin === "dematerialised" ? prescriber.id : null,
        entered_by: s.origin === "dematerialised" ? prescriber.id : staff.id,
        status: s.status,
        project: "Accéder à un emploi dans le secteur visé par la formation.",
        support_given: "Entretiens de diagnostic et atelier projet professionnel.",
        assessment_score: s.score ?? null,
        refusal_reason_code: refused ? refusal.code : null,
        refusal_reason_version: refused ? refusal.version : null,
        message_to_candidate: refused ? "Nous vous conseillons une remise à niveau avant de candidater à nouveau." : null,
        message_to_prescriber: refused ? "Prérequis en expression écrite non atteints au test de sélection." : null,
        registration_help: s.registered === false ? "Rendez-vous d'inscription à France Travail pris avec la candidate la semaine prochaine." : null,
        summoned_for: s.status === "summoned" || s.score ? addDays(today, 5) : null,
        created_at: `${addDays(today, -(s.slip?.daysAgo ?? 12 - i))}T08:00:00Z`,
      })
      .execute();
    if (s.slip) {
      await tx
        .insertInto("continuation_slip")
        .values({
          id: newId(),
          candidacy_id: id,
          from_provider_id: other?.provider_id ?? null,
          from_provider_name: other?.name ?? "Organisme de la formation précédente",
          from_scheme: s.slip.fromScheme,
          from_action: "Parcours préqualifiant — remobilisation",
          prescriber_organisation_id: prescriber.prescriber_organisation_id,
          entered_by: staff.id,
          entered_by_role: "provider",
          received_on: addDays(today, -s.slip.daysAgo),
          answered_on: s.slip.answered ? addDays(today, -10) : null,
          answer: s.slip.answered ? "entry" : null,
          answer_entry_date: s.slip.answered ? target.start_date : null,
        })
        .execute();
    }
    const steps = PATH_FOR[s.status];
    for (const [k, to] of steps.entries()) {
      await tx
        .insertInto("transition_log")
        .values({ entity: "candidacy", entity_id: id, from_status: k === 0 ? null : steps[k - 1], to_status: to, reason: to === "not_retained" ? refusal.label : to === "withdrawn" ? "A trouvé un emploi" : null, actor_id: k === 0 ? (s.origin === "dematerialised" ? prescriber.id : staff.id) : staff.id })
        .execute();
    }
    if (s.status !== "received") {
      const subject = `Suite de votre candidature — ${s.first} ${s.last}`;
      await notify(tx, { to: prescriber.email, userId: prescriber.id, subject, body: `La candidature de ${s.first} ${s.last} (${target.name}) est à l'étape : ${statusLabels[s.status].toLowerCase()}.`, entity: "candidacy", entityId: id });
      await notify(tx, { to: email, subject, body: `Bonjour ${s.first} ${s.last},\n\nvotre candidature avance. ${target.name}`, entity: "candidacy", entityId: id });
    }
    count++;
  }
  // One candidate already entered: linked to an existing path of the provider (the trainee's identity).
  const path = await tx
    .selectFrom("path as p")
    .innerJoin("trainee as t", "t.id", "p.trainee_id")
    .select(["p.id", "t.first_name", "t.last_name", "t.birth_date", "t.email", "t.france_travail_id", "p.entry_date"])
    .where("p.provider_id", "=", target.provider_id)
    .where("p.order_line_id", "=", target.order_line_id)
    .where("t.job_seeker_registered", "=", true)
    .orderBy("p.entry_date", "desc")
    .executeTakeFirst();
  if (path) {
    const candidateId = newId();
    const id = newId();
    await tx.insertInto("candidate").values({ id: candidateId, first_name: path.first_name, last_name: path.last_name, birth_date: path.birth_date, email: path.email, france_travail_id: path.france_travail_id, job_seeker_registered: true }).execute();
    await tx
      .insertInto("candidacy")
      .values({ id, candidate_id: candidateId, session_id: target.id, provider_id: target.provider_id, origin: "dematerialised", prescriber_organisation_id: prescribers[0].prescriber_organisation_id, prescriber_user_id: prescribers[0].id, entered_by: prescribers[0].id, status: "entered", project: "Entrer en formation qualifiante.", assessment_score: 82, path_id: path.id, created_at: `${addDays(path.entry_date, -21)}T08:00:00Z` })
      .execute();
    const steps = PATH_FOR.entered;
    for (const [k, to] of steps.entries()) {
      await tx.insertInto("transition_log").values({ entity: "candidacy", entity_id: id, from_status: k === 0 ? null : steps[k - 1], to_status: to, reason: to === "entered" ? `Entrée le ${path.entry_date}` : null, actor_id: k === 0 ? prescribers[0].id : staff.id }).execute();
    }
    count++;
  }
  // A direct online registration on an e-formation session (CP-PRESCRIPTION-MODES), when the demo has one.
  const eSession = await tx
    .selectFrom("session as s")
    .innerJoin("order_line as ol", "ol.id", "s.order_line_id")
    .innerJoin("component as c", "c.id", "ol.component_id")
    .select(["s.id", "s.provider_id"])
    .where("c.e_formation", "=", true)
    .where("s.published_at", "is not", null)
    .where("s.end_date", ">=", today)
    .orderBy("s.start_date")
    .executeTakeFirst();
  if (eSession) {
    const candidateId = newId();
    const id = newId();
    await tx.insertInto("candidate").values({ id: candidateId, first_name: "Élodie", last_name: "Bousquet", birth_date: "1991-04-03", email: "elodie.bousquet@exemple.fr", france_travail_id: "5203311K", job_seeker_registered: true }).execute();
    await tx.insertInto("candidacy").values({ id, candidate_id: candidateId, session_id: eSession.id, provider_id: eSession.provider_id, origin: "direct_eformation", project: "Me former à distance à la bureautique." }).execute();
    await tx.insertInto("transition_log").values({ entity: "candidacy", entity_id: id, from_status: null, to_status: "received", reason: "Inscription directe (e-formation)", actor_id: null }).execute();
    count++;
  }
  return { candidacies: count };
}
