// Company periods of a path and their tripartite agreement (CCTP §3.1.5): create, edit (a signed
// agreement goes back to signature), send for signature (personal links, hashed, expiring, renewed
// by e-mail), sign (idempotent, with the hash of the version signed), start, visit, close, review.
import type { Kysely, Transaction } from "kysely";
import { type Actor, isProviderStaff, requireRole, requireVisible } from "../../core/auth/actor.ts";
import { rolesFor } from "../../core/auth/roles.ts";
import type { Db } from "../../core/db/index.ts";
import type { DB } from "../../core/db/schema.ts";
import { DomainError, notFound } from "../../core/errors.ts";
import { type FileInput, checkFile, storeFile } from "../../core/files.ts";
import { notify } from "../../core/notifications/index.ts";
import { audit, logTransition } from "../../core/outbox.ts";
import { check, errorsOf, type Violation, warningsOf } from "../../core/rules.ts";
import { newId, parisDate } from "../../core/time.ts";
import { requireLiveLink } from "../../core/signing-links.ts";
import { parseInput } from "../../core/validation.ts";
import { changedMeanwhile, requireTransition, type WorkflowWording } from "../../core/workflow.ts";
import { accountRows } from "../../core/auth/accounts.ts";
import {
  agreementHash,
  agreementItems,
  companyOutsideOpening,
  insideOpening,
  internshipAbroad,
  internshipAgreement,
  missingSignatures,
  type Party,
  PERIOD_TRANSITIONS,
  type PeriodStatus,
  periodCoversDay,
  periodStatusLabels,
  periodsWithinPath,
  periodWeekly,
  type ReviewParty,
  tutorPrecontact,
  visitWaiverAllowed,
} from "./rules.ts";
import { PeriodInput, ReviewInput, SignInput, VisitInput, WaiverInput } from "./schema.ts";
import * as store from "./store.ts";

type Tx = Transaction<DB>;
type Q = Kysely<DB>;
const WRITERS = rolesFor("paths.write");
/** A personal link stays valid this long; it can be renewed by e-mail after. */
export const LINK_DAYS = 30;
const WHAT = "Période en entreprise";

const wording: WorkflowWording<PeriodStatus> = { noun: "Une période en entreprise", labels: periodStatusLabels, code: "PERIOD-STATUS" };

async function periodForStaff(q: Q, actor: Actor, id: string, write = true) {
  const p = await store.periodRow(q, id);
  if (!p) throw notFound(WHAT);
  requireVisible(actor, p.provider_id, WHAT);
  if (write) requireRole(actor, ...WRITERS);
  return p;
}

/** Judges a period's hours against the path: 70 h over every period (CP-COMPANY-MAX-70H), the plan, 35 h a week. */
async function judgeHours(tx: Tx, input: PeriodInput, exceptId?: string): Promise<Violation[]> {
  const path = await store.pathFacts(tx, input.pathId);
  if (!path) throw notFound("Parcours");
  const v = [
    ...periodsWithinPath([...(await store.otherPeriodMinutes(tx, input.pathId, exceptId)), input.plannedMinutes], path.plannedCompany),
    ...periodWeekly(input.weeklyMinutes, input.startDate, path.name),
  ];
  if (input.startDate < path.entry_date || input.endDate > path.planned_exit_date) {
    v.push({ code: "INTERNSHIP-WITHIN-PATH", severity: "error", article: "CCTP §3.1.5", field: "startDate", message: "La période en entreprise doit se tenir entre l'entrée et la sortie prévues du parcours." });
  }
  v.push(...check(tutorPrecontact(input.precontactOn ?? null)));
  return v;
}

async function checkReferences(tx: Tx, providerId: string, input: PeriodInput) {
  const company = await tx.selectFrom("company").select(["id"]).where("id", "=", input.companyId).where("provider_id", "=", providerId).executeTakeFirst();
  if (!company) throw notFound("Entreprise");
  const tutor = await tx.selectFrom("company_tutor").select("id").where("id", "=", input.tutorId).where("company_id", "=", input.companyId).executeTakeFirst();
  if (!tutor) throw new DomainError("VALIDATION", 422, "Ce tuteur ou cette tutrice n'appartient pas à l'entreprise choisie.", [{ code: "VALIDATION", severity: "error", article: "", field: "tutorId", message: "Ce tuteur ou cette tutrice n'appartient pas à l'entreprise choisie." }]);
  if (input.followUpTrainerId) {
    const u = await tx.selectFrom(accountRows().as("u")).select("u.id").where("u.id", "=", input.followUpTrainerId).where("u.provider_id", "=", providerId).executeTakeFirst();
    if (!u) throw notFound("Formateur ou formatrice");
  }
}

const columns = (input: PeriodInput) => ({
  company_id: input.companyId,
  tutor_id: input.tutorId,
  follow_up_trainer_id: input.followUpTrainerId ?? null,
  place: input.place,
  country: input.country ?? null,
  work_address: input.workAddress,
  start_date: input.startDate,
  end_date: input.endDate,
  planned_minutes: input.plannedMinutes,
  weekly_minutes: input.weeklyMinutes,
  timetable: input.timetable,
  precontact_on: input.precontactOn ?? null,
  precontact_notes: input.precontactNotes ?? null,
  nature: input.nature,
  objectives: input.objectives,
  pedagogical_objectives: input.pedagogicalObjectives,
  position_held: input.positionHeld,
  follow_up_modalities: input.followUpModalities,
  outside_opening: input.outsideOpening,
  centre_contact: input.centreContact ?? null,
});

/** Creates a period on a path (CP-COMPANY-MAX-70H over all its periods, CP-WEEKLY-LEGAL; CP-TUTOR-PRECONTACT warns). */
export async function createPeriod(db: Db, actor: Actor, raw: unknown): Promise<{ id: string; warnings: Violation[] }> {
  const input = parseInput(PeriodInput, raw);
  const path = await store.pathFacts(db, input.pathId);
  if (!path) throw notFound("Parcours");
  requireVisible(actor, path.provider_id, "Parcours");
  requireRole(actor, ...WRITERS);
  const id = newId();
  return db.transaction().execute(async (tx) => {
    // One writer at a time per path: the 70 h are judged on every period under the path's lock.
    await tx.selectFrom("company_period").select("id").where("path_id", "=", input.pathId).forUpdate().execute();
    await checkReferences(tx, path.provider_id, input);
    const v = await judgeHours(tx, input);
    if (errorsOf(v).length) throw DomainError.fromViolations(v);
    const values = { id, provider_id: path.provider_id, path_id: input.pathId, ...columns(input), agreement_version: 1 };
    const hash = agreementHash(await store.agreementContent(tx, values));
    await tx.insertInto("company_period").values({ ...values, agreement_hash: hash, created_by: actor.userId }).execute();
    await logTransition(tx, { entity: "company_period", entityId: id, from: null, to: "preparing", actorId: actor.userId });
    return { id, warnings: warningsOf(v) };
  });
}

/**
 * Edits a period and its agreement. When the content changes, the version goes up and its hash
 * changes: signatures of the earlier version no longer count, so a signed agreement goes back to
 * signature (the parties are told by e-mail).
 */
export async function updatePeriod(db: Db, actor: Actor, id: string, raw: unknown, now: Date, baseUrl: string): Promise<{ warnings: Violation[]; resent: boolean }> {
  return db.transaction().execute(async (tx) => {
    const before = await store.lockPeriod(tx, id);
    if (!before) throw notFound(WHAT);
    requireVisible(actor, before.provider_id, WHAT);
    requireRole(actor, ...WRITERS);
    const input = parseInput(PeriodInput, { ...(raw as object), pathId: before.path_id });
    if (before.status === "closed" || before.status === "cancelled") throw new DomainError("PERIOD-STATUS", 409, "Une période clôturée ou annulée ne se modifie plus.");
    await checkReferences(tx, before.provider_id, input);
    const v = await judgeHours(tx, input, id);
    if (errorsOf(v).length) throw DomainError.fromViolations(v);
    const draft = { ...before, ...columns(input) };
    const sameHash = agreementHash(await store.agreementContent(tx, draft)) === before.agreement_hash;
    const version = sameHash ? before.agreement_version : before.agreement_version + 1;
    const hash = agreementHash(await store.agreementContent(tx, { ...draft, agreement_version: version }));
    await tx.updateTable("company_period").set({ ...columns(input), agreement_version: version, agreement_hash: sameHash ? before.agreement_hash : hash, updated_at: now }).where("id", "=", id).execute();
    const hadSignatures = (await store.signaturesOf(tx, id)).some((s) => s.content_hash === before.agreement_hash);
    const resent = !sameHash && before.agreement_sent_at !== null;
    if (resent) await issueLinks(tx, id, now, baseUrl, hadSignatures ? "La convention a été modifiée après signature : elle doit être signée à nouveau." : "La convention a été modifiée.");
    await audit(tx, { actorId: actor.userId, action: "company_period.updated", entity: "company_period", entityId: id, details: { version, resent } });
    return { warnings: warningsOf(v), resent };
  });
}

/** New links for the trainee and the tutor, mailed to them (CP-INTERNSHIP-AGREEMENT). Returns the URLs (shown once to staff). */
async function issueLinks(tx: Tx, periodId: string, now: Date, baseUrl: string, why: string) {
  const p = (await store.periodRow(tx, periodId))!;
  const path = (await store.pathFacts(tx, p.path_id))!;
  const tutor = await tx.selectFrom("company_tutor").select(["full_name", "email"]).where("id", "=", p.tutor_id).executeTakeFirstOrThrow();
  const urls: Partial<Record<"trainee" | "tutor", string>> = {};
  for (const [party, to, name] of [["trainee", path.email, path.name], ["tutor", tutor.email, tutor.full_name]] as const) {
    const link = await store.issueLink(tx, periodId, party, now, LINK_DAYS, newId());
    const url = `${baseUrl}/stage/${link.token}`;
    urls[party] = url;
    if (to) {
      await notify(tx, {
        to,
        subject: "Compétences Plus : convention de stage à signer",
        body: [`Bonjour ${name},`, "", `${why}`, `Votre lien personnel (valable ${LINK_DAYS} jours) pour lire et signer la convention de la période en entreprise de ${path.name} :`, url, "", "Ce lien vous est personnel : ne le transmettez pas."].join("\n"),
        entity: "company_period",
        entityId: periodId,
      });
    }
  }
  return urls;
}

/** Sends the agreement for signature: every item present (CP-INTERNSHIP-AGREEMENT), then links by e-mail. */
export async function sendForSignature(db: Db, actor: Actor, id: string, now: Date, baseUrl: string) {
  return db.transaction().execute(async (tx) => {
    const p = await periodForStaff(tx, actor, id);
    await store.lockPeriod(tx, id);
    const v = agreementItems(await store.agreementContent(tx, p));
    if (v.length) throw DomainError.fromViolations(v);
    const urls = await issueLinks(tx, id, now, baseUrl, "Une convention de stage tripartite vous attend.");
    await tx.updateTable("company_period").set({ agreement_sent_at: now }).where("id", "=", id).execute();
    await audit(tx, { actorId: actor.userId, action: "company_period.sent_for_signature", entity: "company_period", entityId: id, details: { version: p.agreement_version } });
    return urls;
  });
}

/** One act of signature, kept with the hash of exactly the version signed; signing the same version twice is harmless. */
async function recordSignature(tx: Tx, periodId: string, party: Party, signer: { name: string; method: "link" | "app"; userId: string | null }, now: Date) {
  const p = await store.lockPeriod(tx, periodId);
  if (!p) throw notFound(WHAT);
  if (!p.agreement_sent_at) throw new DomainError("AGREEMENT-NOT-SENT", 409, "La convention n'a pas encore été envoyée à la signature.");
  if (p.status === "cancelled") throw new DomainError("PERIOD-STATUS", 409, "Cette période est annulée.");
  const existing = await tx.selectFrom("agreement_signature").selectAll().where("period_id", "=", periodId).where("party", "=", party).where("content_hash", "=", p.agreement_hash).executeTakeFirst();
  if (!existing) {
    await tx.insertInto("agreement_signature").values({ id: newId(), period_id: periodId, party, version: p.agreement_version, content_hash: p.agreement_hash, signer_name: signer.name, method: signer.method, user_id: signer.userId, signed_at: now }).execute();
    await audit(tx, { actorId: signer.userId, action: `agreement.signed.${party}`, entity: "company_period", entityId: periodId, details: { version: p.agreement_version, hash: p.agreement_hash, method: signer.method } });
  }
  const missing = missingSignatures(p.agreement_hash, await store.signaturesOf(tx, periodId));
  return { created: !existing, complete: missing.length === 0, missing };
}

/** The provider signs in the app (its staff). */
export async function signAsProvider(db: Db, actor: Actor, id: string, now: Date) {
  return db.transaction().execute(async (tx) => {
    await periodForStaff(tx, actor, id);
    return recordSignature(tx, id, "provider", { name: actor.fullName, method: "app", userId: actor.userId }, now);
  });
}

/** The trainee signs in the app with their own account. */
export async function signAsTrainee(db: Db, actor: Actor, id: string, now: Date) {
  const p = await store.periodRow(db, id);
  const path = p ? await store.pathFacts(db, p.path_id) : undefined;
  if (!p || !path || actor.role !== "trainee" || actor.traineeId !== path.trainee_id) throw notFound(WHAT);
  return db.transaction().execute((tx) => recordSignature(tx, id, "trainee", { name: actor.fullName, method: "app", userId: actor.userId }, now));
}

/** What a personal link opens (trainee or tutor). Unknown: 404; revoked or expired: 410 (renewable by e-mail). */
export async function linkContext(db: Q, now: Date, token: string) {
  return requireLiveLink(await store.linkByHash(db, store.sha256(token)), now);
}

/** Signing through a personal link (trainee or tutor). */
export async function signByLink(db: Db, now: Date, token: string, raw: unknown) {
  const input = parseInput(SignInput, raw);
  const link = await linkContext(db, now, token);
  return db.transaction().execute((tx) => recordSignature(tx, link.period_id, link.party, { name: input.signerName, method: "link", userId: null }, now));
}

/**
 * An expired link is renewed by e-mail only: the new link goes to the address on file, never to the
 * browser that asks (a lost or forwarded old link gives nothing away). Unknown tokens answer the same.
 */
export async function renewLink(db: Db, now: Date, token: string, baseUrl: string): Promise<void> {
  const link = await store.linkByHash(db, store.sha256(token));
  if (!link || link.revoked_at || link.expires_at.getTime() >= now.getTime()) return;
  await db.transaction().execute(async (tx) => {
    const p = (await store.lockPeriod(tx, link.period_id))!;
    const path = (await store.pathFacts(tx, p.path_id))!;
    const tutor = await tx.selectFrom("company_tutor").select(["full_name", "email"]).where("id", "=", p.tutor_id).executeTakeFirstOrThrow();
    const [to, name] = link.party === "tutor" ? [tutor.email, tutor.full_name] : [path.email, path.name];
    if (!to) return;
    const fresh = await store.issueLink(tx, p.id, link.party, now, LINK_DAYS, newId());
    await notify(tx, { to, subject: "Compétences Plus : votre nouveau lien", body: [`Bonjour ${name},`, "", "Voici votre nouveau lien personnel pour la période en entreprise :", `${baseUrl}/stage/${fresh.token}`].join("\n"), entity: "company_period", entityId: p.id });
  });
}

/** Start, close or cancel a period (PERIOD_TRANSITIONS); CP-TUTOR-PRECONTACT warns at start. */
export async function transitionPeriod(db: Db, actor: Actor, id: string, to: PeriodStatus): Promise<{ warnings: Violation[] }> {
  return db.transaction().execute(async (tx) => {
    const p = await periodForStaff(tx, actor, id, false);
    await store.lockPeriod(tx, id);
    const signatures = await store.signaturesOf(tx, id);
    const visits = await store.visitsOf(tx, id);
    requireTransition(PERIOD_TRANSITIONS, wording, p.status, to, actor.role, {
      missing: missingSignatures(p.agreement_hash, signatures),
      place: p.place,
      certificates: { civilLiability: !!p.civil_liability_attachment_id, socialCover: !!p.social_cover_attachment_id },
      visitsDone: visits.filter((v) => v.visited_on).length,
      waiver: !!p.visit_waiver_at,
    });
    const moved = await tx.updateTable("company_period").set({ status: to }).where("id", "=", id).where("status", "=", p.status).returning("id").executeTakeFirst();
    if (!moved) throw changedMeanwhile("PERIOD-STATUS", "La période");
    await logTransition(tx, { entity: "company_period", entityId: id, from: p.status, to, actorId: actor.userId });
    return { warnings: to === "in_progress" ? check(tutorPrecontact(p.precontact_on)) : [] };
  });
}

/** CP-INTERNSHIP-VISIT: plans or records a visit. */
export async function recordVisit(db: Db, actor: Actor, id: string, raw: unknown) {
  const input = parseInput(VisitInput, raw);
  return db.transaction().execute(async (tx) => {
    await periodForStaff(tx, actor, id);
    if (!input.plannedOn && !input.visitedOn) throw new DomainError("VALIDATION", 400, "Indiquez la date prévue ou la date de la visite.", [{ code: "VALIDATION", severity: "error", article: "", field: "plannedOn", message: "Indiquez la date prévue ou la date de la visite." }]);
    const visitId = newId();
    await tx.insertInto("company_visit").values({ id: visitId, period_id: id, planned_on: input.plannedOn ?? null, visited_on: input.visitedOn ?? null, met: input.met ?? null, observations: input.observations ?? null, recorded_by: actor.userId }).execute();
    await audit(tx, { actorId: actor.userId, action: "company_visit.recorded", entity: "company_period", entityId: id, details: { visitedOn: input.visitedOn ?? null } });
    return { id: visitId };
  });
}

/** CP-INTERNSHIP-VISIT: the Region waives the visit of a period abroad. */
export async function waiveVisit(db: Db, actor: Actor, id: string, raw: unknown, now: Date) {
  const input = parseInput(WaiverInput, raw);
  await db.transaction().execute(async (tx) => {
    const p = await store.periodRow(tx, id);
    if (!p) throw notFound(WHAT);
    requireVisible(actor, p.provider_id, WHAT);
    requireRole(actor, "region_officer");
    const v = check(visitWaiverAllowed(p.place));
    if (v.length) throw DomainError.fromViolations(v);
    await tx.updateTable("company_period").set({ visit_waiver_reason: input.reason, visit_waiver_by: actor.userId, visit_waiver_at: now }).where("id", "=", id).execute();
    await audit(tx, { actorId: actor.userId, action: "company_period.visit_waived", entity: "company_period", entityId: id, details: { reason: input.reason } });
  });
}

/** CP-INTERNSHIP-ABROAD: a certificate (PDF, JPEG or PNG, checked on its bytes) put on file. */
export async function uploadCertificate(db: Db, actor: Actor, id: string, kind: "civil_liability" | "social_cover", file: FileInput) {
  return db.transaction().execute(async (tx) => {
    // The period is looked up first: another provider's id answers 404 whatever the file.
    const p = await periodForStaff(tx, actor, id);
    const v = checkFile(file, kind === "civil_liability" ? "civilLiability" : "socialCover");
    if (v.length) throw DomainError.fromViolations(v);
    const stored = await storeFile(tx, file, { providerId: p.provider_id, uploadedBy: actor.userId });
    await tx.updateTable("company_period").set(kind === "civil_liability" ? { civil_liability_attachment_id: stored.id } : { social_cover_attachment_id: stored.id }).where("id", "=", id).execute();
    await audit(tx, { actorId: actor.userId, action: `company_period.certificate.${kind}`, entity: "company_period", entityId: id, details: { sha256: stored.sha256 } });
    return stored;
  });
}

async function writeReview(tx: Tx, periodId: string, party: ReviewParty, input: ReviewInput, now: Date) {
  await tx
    .insertInto("internship_review")
    .values({ id: newId(), period_id: periodId, party, author_name: input.authorName, activities: input.activities, skills: input.skills, progress: input.progress, appreciation: input.appreciation, submitted_at: now })
    .onConflict((oc) => oc.columns(["period_id", "party"]).doUpdateSet({ author_name: input.authorName, activities: input.activities, skills: input.skills, progress: input.progress, appreciation: input.appreciation, submitted_at: now }))
    .execute();
}

/** CP-INTERNSHIP-REVIEW: the referent trainer's review (staff). */
export async function submitReferentReview(db: Db, actor: Actor, id: string, raw: unknown, now: Date) {
  const input = parseInput(ReviewInput, raw);
  await db.transaction().execute(async (tx) => {
    await periodForStaff(tx, actor, id, false);
    if (!isProviderStaff(actor)) throw notFound(WHAT);
    await writeReview(tx, id, "referent", input, now);
  });
}

/** CP-INTERNSHIP-REVIEW: the tutor's or the trainee's review through their link. */
export async function submitReviewByLink(db: Db, now: Date, token: string, raw: unknown) {
  const input = parseInput(ReviewInput, raw);
  const link = await linkContext(db, now, token);
  await db.transaction().execute((tx) => writeReview(tx, link.period_id, link.party, input, now));
}

/**
 * CP-INTERNSHIP-AGREEMENT (and CP-INTERNSHIP-ABROAD, CP-COMPANY-OUTSIDE-OPENING): may company hours be
 * scheduled or signed for these paths on this day and these times? The schedule and the attendance
 * call this before writing a company slot or a company attendance. Reads through `q` (the caller's transaction).
 */
export async function companyHoursGuard(q: Q, paths: { id: string; name: string }[], slot: { date: string; startTime: string; endTime: string }, what: "schedule" | "sign"): Promise<Violation[]> {
  const out: Violation[] = [];
  const weekday = ((new Date(`${slot.date}T12:00:00Z`).getUTCDay() + 6) % 7) + 1;
  const inside = insideOpening(weekday, slot.startTime, slot.endTime);
  for (const path of paths) {
    const periods = await q
      .selectFrom("company_period")
      .selectAll()
      .where("path_id", "=", path.id)
      .where("status", "in", ["preparing", "in_progress"])
      .where("start_date", "<=", slot.date)
      .where("end_date", ">=", slot.date)
      .execute();
    const cover = periods[0];
    if (!cover) {
      out.push(...check(periodCoversDay(false, slot.date, path.name)));
      continue;
    }
    const missing = cover.agreement_sent_at ? missingSignatures(cover.agreement_hash, await store.signaturesOf(q, cover.id)) : (["trainee", "tutor", "provider"] as Party[]);
    out.push(
      ...check(
        internshipAgreement(missing, what, path.name),
        what === "sign" ? internshipAbroad(cover.place, { civilLiability: !!cover.civil_liability_attachment_id, socialCover: !!cover.social_cover_attachment_id }) : undefined,
        companyOutsideOpening(inside, { outsideOpening: cover.outside_opening, centreContact: cover.centre_contact }, slot.date),
      ),
    );
  }
  return out;
}

/** Today's date for a period's pages (Paris). */
export const today = (now: Date) => parisDate(now);

/** CP-INTERNSHIP-REVIEW: the trainee's own review from « Mes stages » (their account; another's period is unknown). */
export async function submitTraineeReview(db: Db, actor: Actor, id: string, raw: unknown, now: Date) {
  const p = await store.periodRow(db, id);
  const path = p ? await store.pathFacts(db, p.path_id) : undefined;
  if (!p || !path || actor.role !== "trainee" || actor.traineeId !== path.trainee_id) throw notFound(WHAT);
  const input = parseInput(ReviewInput, raw);
  await db.transaction().execute((tx) => writeReview(tx, id, "trainee", input, now));
}
