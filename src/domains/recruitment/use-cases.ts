// Candidacies: prescriptions, paper entry, direct e-formation registration, continuation slips,
// the decision workflow and the entry. validate → load → rules → write + notify/outbox, one transaction each.
import type { Transaction } from "kysely";
import type { Actor } from "../../core/auth/actor.ts";
import { isProviderStaff, requireRole, requireVisible } from "../../core/auth/actor.ts";
import type { Db } from "../../core/db/index.ts";
import type { CandidacyOrigin, DB } from "../../core/db/schema.ts";
import { DomainError, forbidden, invalid, notFound } from "../../core/errors.ts";
import { checkFile, storeFile } from "../../core/files.ts";
import { recordEvent, logTransition } from "../../core/outbox.ts";
import { check, errorsOf } from "../../core/rules.ts";
import { type Clock, parisDate } from "../../core/time.ts";
import { registerTrainee } from "../paths/use-cases.ts";
import { getSession, type SessionRow } from "../sessions/use-cases.ts";
import { requireAuthorisedPrescriber } from "../prescribers/use-cases.ts";
import { notifyNewCandidacy, notifyStep } from "./notices.ts";
import * as rules from "./rules.ts";
import type { AttachmentInput, CandidateInput, ContinuationSlipInput, EntryInput, PaperPrescriptionInput, PrescriptionInput, RegistrationUpdateInput, TransitionInput } from "./schema.ts";
import * as store from "./store.ts";
import { departementRows, providerRows } from "../region/views.ts";
import { orderLineSiteRows } from "../orders/views.ts";
import { rolesFor } from "../../core/auth/roles.ts";

type Tx = Transaction<DB>;
const DECIDERS = rolesFor("recruitment.decide");

const today = (clock: Clock) => parisDate(clock.now());

/** The session a candidacy is for, or 404 (also used by direct.ts). */
export async function openSession(db: Db, sessionId: string) {
  const session = await getSession(db, sessionId);
  if (!session) throw notFound("Session");
  return session;
}

export function requireRecruitment(session: SessionRow, origin: CandidacyOrigin, clock: Clock) {
  const closed = rules.recruitmentOpen(
    // A session of a closed order is no longer offered.
    { publishedAt: session.order_status === "issued" ? session.published_at : null, recruitmentOpen: session.recruitment_open, recruitmentStart: session.recruitment_start, recruitmentEnd: session.recruitment_end, endDate: session.end_date },
    origin,
    today(clock),
  );
  if (closed) throw DomainError.fromViolations([closed]);
}

/** Warnings a new candidacy carries (CP-ELIGIBLE-PUBLIC, CP-PREP-PRIORITY). */
export const intakeWarnings = (session: SessionRow, c: CandidateInput) =>
  check(rules.eligiblePublic(c.jobSeekerRegistered, "candidacy"), rules.prepPriority(session.category, session.level_2019, c.highestDiplomaLevel ?? null));

export interface NewCandidacy {
  session: SessionRow;
  candidate: CandidateInput;
  origin: CandidacyOrigin;
  prescriberOrganisationId: string | null;
  prescriberUserId: string | null;
  enteredBy: string | null;
  project: string;
  supportGiven?: string;
  attachmentId?: string | null;
}

export async function insertCandidacy(tx: Tx, n: NewCandidacy): Promise<string> {
  // CP-EFORM-REGIONAL-RECRUIT: the département of residence, when given, is a known one (422, never a foreign-key 500).
  const dep = n.candidate.residenceDepartementCode;
  if (dep && !(await tx.selectFrom(departementRows().as("d")).select("d.code").where("d.code", "=", dep).executeTakeFirst())) {
    throw DomainError.fromViolations([{ code: "VALIDATION", severity: "error", message: `Département de résidence : ${dep} n'est pas un département connu.`, article: "", field: "residenceDepartementCode" }]);
  }
  const candidateId = await store.insertCandidate(tx, n.candidate);
  const id = store.newCandidacyId();
  await tx
    .insertInto("candidacy")
    .values({
      id,
      candidate_id: candidateId,
      session_id: n.session.id,
      provider_id: n.session.provider_id,
      origin: n.origin,
      prescriber_organisation_id: n.prescriberOrganisationId,
      prescriber_user_id: n.prescriberUserId,
      entered_by: n.enteredBy,
      project: n.project,
      support_given: n.supportGiven || null,
      attachment_id: n.attachmentId ?? null,
      registration_help: n.candidate.registrationHelp || null,
    })
    .execute();
  await logTransition(tx, { entity: "candidacy", entityId: id, from: null, to: "received", reason: rules.originLabels[n.origin], actorId: n.enteredBy });
  await recordEvent(tx, "candidacy.received", { candidacyId: id, origin: n.origin, sessionId: n.session.id });
  return id;
}

/** CP-PRESCRIPTION-MODES (dematerialised): a logged-in prescriber prescribes to an open session. */
export async function prescribe(db: Db, actor: Actor, clock: Clock, input: PrescriptionInput) {
  requireRole(actor, "prescriber");
  if (!actor.prescriberOrganisationId) throw forbidden("Votre compte n'est rattaché à aucun organisme prescripteur.");
  await requireAuthorisedPrescriber(db, actor.prescriberOrganisationId);
  const session = await openSession(db, input.sessionId);
  requireRecruitment(session, "dematerialised", clock);
  const id = await db.transaction().execute(async (tx) => {
    const id = await insertCandidacy(tx, {
      session,
      candidate: input,
      origin: "dematerialised",
      prescriberOrganisationId: actor.prescriberOrganisationId,
      prescriberUserId: actor.userId,
      enteredBy: actor.userId,
      project: input.project,
      supportGiven: input.supportGiven,
    });
    await notifyNewCandidacy(tx, (await store.loadCandidacy(tx, id))!, { prescriberKnows: true });
    return id;
  });
  return { id, warnings: intakeWarnings(session, input) };
}

/** Provider staff who decide on a session's candidacies (its provider's administrative and pedagogical referents). */
export async function requireSessionWriter(db: Db, actor: Actor, sessionId: string) {
  const session = await openSession(db, sessionId);
  requireDecider(actor, session.provider_id, "Session");
  return session;
}

/** Another organisation's candidacy or session (`what`) answers as an unknown one, before the role. */
function requireDecider(actor: Actor, providerId: string, what = "Candidature") {
  requireVisible(actor, providerId, what);
  requireRole(actor, ...DECIDERS);
}

/** CP-PRESCRIPTION-MODES (paper/e-mail): the provider enters a prescription it received, with the form. */
export async function enterPaperPrescription(db: Db, actor: Actor, clock: Clock, input: PaperPrescriptionInput, attachment?: AttachmentInput) {
  const session = await openSession(db, input.sessionId);
  requireDecider(actor, session.provider_id, "Session");
  await requireAuthorisedPrescriber(db, input.prescriberOrganisationId);
  requireRecruitment(session, "paper", clock);
  if (attachment) {
    const bad = checkFile(attachment, "attachment");
    if (bad.length) throw DomainError.fromViolations(bad);
  }
  const id = await db.transaction().execute(async (tx) => {
    const attachmentId = attachment
      ? (await storeFile(tx, attachment, { providerId: session.provider_id, uploadedBy: actor.userId })).id
      : null;
    const id = await insertCandidacy(tx, {
      session,
      candidate: input,
      origin: "paper",
      prescriberOrganisationId: input.prescriberOrganisationId,
      prescriberUserId: null,
      enteredBy: actor.userId,
      project: input.project,
      supportGiven: input.supportGiven,
      attachmentId,
    });
    await notifyNewCandidacy(tx, (await store.loadCandidacy(tx, id))!, { providerKnows: true });
    return id;
  });
  return { id, warnings: intakeWarnings(session, input) };
}

/** Public facts of a session for the direct-registration page (published sessions only). */
export async function publicSession(db: Db, sessionId: string) {
  const session = await getSession(db, sessionId);
  if (!session?.published_at) throw notFound("Session");
  return { ...session, referral: rules.directRegistrationAllowed(session.e_formation) };
}

/**
 * CP-CONTINUATION-SLIP / -ROUTES / -ENTRY: a fiche navette sent by provider 1 or the prescriber, or
 * entered by provider 2 on receipt. It creates a continuation candidacy, received even when
 * recruitment is closed; the 28-day clock starts at `received_on`.
 */
export async function sendContinuationSlip(db: Db, actor: Actor, clock: Clock, input: ContinuationSlipInput) {
  const route = rules.continuationRoutes(input.fromScheme);
  if (route) throw DomainError.fromViolations([route]);
  const session = await openSession(db, input.sessionId);
  requireRecruitment(session, "continuation", clock);
  const now = today(clock);
  // CP-CONTINUATION-ENTRY: the record shows who entered the slip (a prescriber with its own tool, or provider 2).
  let enteredByRole: "prescriber" | "provider";
  let fromProviderId: string | null = null;
  let fromProviderName = (input.fromProviderName ?? "").trim();
  let prescriberOrganisationId = input.prescriberOrganisationId ?? null;
  let receivedOn = now;
  if (actor.role === "prescriber") {
    enteredByRole = "prescriber";
    prescriberOrganisationId = actor.prescriberOrganisationId;
  } else if (isProviderStaff(actor) && actor.providerId && (actor.role === "provider_admin" || actor.role === "pedagogical_referent")) {
    enteredByRole = "provider";
    if (actor.providerId === session.provider_id) {
      // Provider 2 enters a slip it received by mail: the clock starts at its receipt.
      receivedOn = input.receivedOn || now;
      if (receivedOn > now) throw invalid("La date de réception ne peut pas être dans le futur.", [{ code: "VALIDATION", severity: "error", article: "", field: "receivedOn", message: "Date de réception dans le futur." }]);
    } else {
      fromProviderId = actor.providerId;
      const own = await db.selectFrom(providerRows().as("provider")).select("name").where("id", "=", actor.providerId).executeTakeFirstOrThrow();
      fromProviderName = own.name;
    }
  } else throw forbidden("Seuls un organisme de formation ou un prescripteur transmettent une fiche navette.");
  if (!fromProviderName) throw invalid("Indiquez l'organisme de la formation précédente.", [{ code: "VALIDATION", severity: "error", article: "", field: "fromProviderName", message: "Organisme précédent requis." }]);
  if (!prescriberOrganisationId) throw invalid("Indiquez le prescripteur destinataire de la fiche navette.", [{ code: "VALIDATION", severity: "error", article: "", field: "prescriberOrganisationId", message: "Prescripteur requis." }]);
  await requireAuthorisedPrescriber(db, prescriberOrganisationId);
  const id = await db.transaction().execute(async (tx) => {
    const id = await insertCandidacy(tx, {
      session,
      candidate: input,
      origin: "continuation",
      prescriberOrganisationId,
      prescriberUserId: enteredByRole === "prescriber" ? actor.userId : null,
      enteredBy: actor.userId,
      project: input.project,
      supportGiven: input.supportGiven,
    });
    await tx
      .insertInto("continuation_slip")
      .values({
        id: store.newCandidacyId(),
        candidacy_id: id,
        from_provider_id: fromProviderId,
        from_provider_name: fromProviderName,
        from_scheme: input.fromScheme as rules.ContinuationScheme,
        from_action: input.fromAction || null,
        prescriber_organisation_id: prescriberOrganisationId,
        entered_by: actor.userId,
        entered_by_role: enteredByRole,
        received_on: receivedOn,
      })
      .execute();
    await recordEvent(tx, "continuation.slip_received", { candidacyId: id, receivedOn });
    await notifyNewCandidacy(tx, (await store.loadCandidacy(tx, id))!, { prescriberKnows: enteredByRole === "prescriber", providerKnows: actor.providerId === session.provider_id });
    return id;
  });
  return { id, receivedOn, deadline: rules.continuationDeadline(receivedOn), warnings: intakeWarnings(session, input) };
}

/** Loads a candidacy the actor may see: its provider, provider 1 of a slip, its prescriber organisation, the Region. */
export async function loadCandidacyForActor(db: Db | Tx, actor: Actor, id: string): Promise<store.CandidacyRow> {
  const row = await store.loadCandidacy(db, id);
  if (!row || !canSee(actor, row)) throw notFound("Candidature");
  return row;
}

/**
 * Who reads a candidacy: its provider, its prescriber, the Region. The provider that sent a
 * continuation slip reads only the answer to it (listSlips), never the next provider's candidacy.
 */
export function canSee(actor: Actor, row: Pick<store.CandidacyRow, "provider_id" | "prescriber_organisation_id">): boolean {
  if (actor.role === "region_officer") return true;
  if (isProviderStaff(actor)) return actor.providerId === row.provider_id;
  if (actor.role === "prescriber") return !!actor.prescriberOrganisationId && actor.prescriberOrganisationId === row.prescriber_organisation_id;
  return false;
}

/** CP-CANDIDACY-DECISION: one step of the declared workflow, logged and notified in one transaction. */
export async function decide(db: Db, actor: Actor, clock: Clock, id: string, input: TransitionInput) {
  const row = await loadCandidacyForActor(db, actor, id);
  if (actor.role !== "prescriber") requireDecider(actor, row.provider_id);
  const reason = input.refusalReasonCode ? await store.currentRefusalReason(db, input.refusalReasonCode) : undefined;
  if (input.to === "not_retained" && input.refusalReasonCode && !reason) throw invalid("Motif de non-retenue inconnu.", [{ code: "VALIDATION", severity: "error", article: "", field: "refusalReasonCode", message: "Motif inconnu." }]);
  const violations = rules.candidacyDecision(row.status, input.to, actor.role, {
    origin: row.origin,
    jobSeekerRegistered: row.job_seeker_registered,
    summonedFor: input.summonedFor,
    refusalReasonCode: input.refusalReasonCode,
    messageToCandidate: input.messageToCandidate,
    messageToPrescriber: input.messageToPrescriber,
    continuationJustification: input.continuationJustification,
    reason: input.reason,
  });
  if (violations.some((v) => v.code === "FORBIDDEN")) throw forbidden("Votre rôle ne permet pas cette décision.");
  if (errorsOf(violations).length) throw DomainError.fromViolations(violations);
  const now = today(clock);
  const changes: Record<string, unknown> = {};
  if (input.assessmentScore !== undefined && input.assessmentScore !== null) changes.assessment_score = input.assessmentScore;
  if (input.to === "summoned") changes.summoned_for = input.summonedFor;
  if (input.to === "not_retained") {
    Object.assign(changes, {
      refusal_reason_code: reason!.code,
      refusal_reason_version: reason!.version,
      message_to_candidate: input.messageToCandidate,
      message_to_prescriber: input.messageToPrescriber,
      continuation_justification: input.continuationJustification || null,
    });
  }
  const entryDate = input.to === "selected" ? input.entryDate || row.session_start : null;
  const logReason = input.to === "not_retained" ? [reason!.label, input.continuationJustification].filter(Boolean).join(" — ") : input.to === "summoned" ? `Sélection le ${input.summonedFor}` : input.reason || null;
  await db.transaction().execute(async (tx) => {
    if (!(await store.setStatus(tx, id, row.status, input.to, changes))) throw new DomainError("TRANSITION", 409, "La candidature a changé entre-temps : rechargez la page.");
    if (row.slip_id && !row.slip_answered_on && (input.to === "selected" || input.to === "not_retained")) {
      // CP-CONTINUATION-SLIP: provider 2's answer (entry date or reason) goes back on the slip.
      await tx
        .updateTable("continuation_slip")
        .set(input.to === "selected" ? { answered_on: now, answer: "entry", answer_entry_date: entryDate } : { answered_on: now, answer: "refusal", answer_reason: logReason })
        .where("id", "=", row.slip_id)
        .execute();
    }
    await logTransition(tx, { entity: "candidacy", entityId: id, from: row.status, to: input.to, reason: logReason, actorId: actor.userId });
    await recordEvent(tx, `candidacy.${input.to}`, { candidacyId: id });
    const fresh = (await store.loadCandidacy(tx, id))!;
    await notifyStep(tx, { to: input.to, row: fresh, entryDate, refusalLabel: reason?.label, reason: input.reason });
  });
  const warnings = row.slip_received_on && (input.to === "selected" || input.to === "not_retained") ? check(rules.continuation4w(row.slip_received_on, row.slip_answered_on ?? now, now)) : [];
  return { status: input.to, warnings };
}

/** Assessment score for the ranking (CP-CONTINUATION-PRIORITY), before the decision. */
export async function recordAssessment(db: Db, actor: Actor, id: string, score: number | null) {
  const row = await loadCandidacyForActor(db, actor, id);
  requireDecider(actor, row.provider_id);
  if (score !== null && (!Number.isInteger(score) || score < 0 || score > 100)) throw invalid("Note entre 0 et 100.", [{ code: "VALIDATION", severity: "error", article: "", field: "assessmentScore", message: "Note entre 0 et 100." }]);
  await db.updateTable("candidacy").set({ assessment_score: score, updated_at: new Date() }).where("id", "=", id).execute();
}

/** CP-ELIGIBLE-PUBLIC: records the France Travail registration and the help given to obtain it. */
export async function updateRegistration(db: Db, actor: Actor, id: string, input: RegistrationUpdateInput) {
  const row = await loadCandidacyForActor(db, actor, id);
  requireDecider(actor, row.provider_id);
  await db.transaction().execute(async (tx) => {
    await tx.updateTable("candidate").set({ job_seeker_registered: input.jobSeekerRegistered, france_travail_id: input.franceTravailId || row.france_travail_id }).where("id", "=", row.candidate_id).execute();
    await tx.updateTable("candidacy").set({ registration_help: input.registrationHelp || row.registration_help, updated_at: new Date() }).where("id", "=", id).execute();
    await recordEvent(tx, "candidacy.registration_updated", { candidacyId: id, registered: input.jobSeekerRegistered });
  });
}

/** The order line's sites (the session may have none, e-formation): where the path takes place. */
async function entrySite(db: Db, row: store.CandidacyRow): Promise<string> {
  if (row.session_site_id) return row.session_site_id;
  const site = await db.selectFrom(orderLineSiteRows().as("order_line_site")).select("site_id").where("order_line_id", "=", row.order_line_id).orderBy("site_id").executeTakeFirst();
  if (!site) throw invalid("Aucun site n'est prévu pour cette composante dans la commande.");
  return site.site_id;
}

/**
 * Entry of a selected candidate: the trainee and its draft path are created from the candidacy
 * (registerTrainee of the paths domain), nothing typed twice. CP-ELIGIBLE-PUBLIC is hard here.
 */
export async function enter(db: Db, actor: Actor, clock: Clock, id: string, input: EntryInput) {
  const row = await loadCandidacyForActor(db, actor, id);
  requireDecider(actor, row.provider_id);
  const violations = rules.candidacyDecision(row.status, "entered", actor.role, { origin: row.origin, jobSeekerRegistered: row.job_seeker_registered });
  if (errorsOf(violations).length) throw DomainError.fromViolations(violations);
  const now = today(clock);
  // One transaction: the trainee, the path and the candidacy's entry commit together; the update is
  // conditional on `selected`, so a second click (or a concurrent one) rolls everything back.
  const { pathId, traineeId } = await registerTrainee(
    db,
    actor,
    {
      firstName: row.first_name,
      lastName: row.last_name,
      birthDate: row.birth_date,
      email: row.email ?? "",
      phone: row.phone ?? "",
      franceTravailId: row.france_travail_id ?? "",
      jobSeekerRegistered: row.job_seeker_registered,
      pedagogicalReferentId: input.pedagogicalReferentId || undefined,
      orderLineId: row.order_line_id,
      siteId: await entrySite(db, row),
      entryDate: input.entryDate,
      plannedExitDate: input.plannedExitDate,
    },
    async (tx, created) => {
      if (!(await store.setStatus(tx, id, "selected", "entered", { path_id: created.pathId }))) {
        throw new DomainError("TRANSITION", 409, "La candidature a changé entre-temps : rechargez la page.");
      }
      if (row.slip_id && !row.slip_answered_on) {
        await tx.updateTable("continuation_slip").set({ answered_on: now, answer: "entry", answer_entry_date: input.entryDate }).where("id", "=", row.slip_id).execute();
      }
      await logTransition(tx, { entity: "candidacy", entityId: id, from: "selected", to: "entered", reason: `Entrée le ${input.entryDate}`, actorId: actor.userId });
      await recordEvent(tx, "candidacy.entered", { candidacyId: id, pathId: created.pathId, traineeId: created.traineeId });
      await notifyStep(tx, { to: "entered", row: (await store.loadCandidacy(tx, id))!, entryDate: input.entryDate });
    },
  );
  return { pathId, traineeId };
}

/** The continuation slips with their 28-day clock (CP-CONTINUATION-4W), for the Region's compliance board. */
export { listSlips } from "./queries.ts";
export { listCandidacies } from "./queries.ts";
