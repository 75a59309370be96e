// Personal data of one person, composed from every domain that holds some (docs/privacy.md, ADR
// 0021): the archive a person or the Region downloads, the erasure (pseudonymisation) on request or
// at the end of the retention, and the purge job. Each domain says what it holds (personal-data.ts);
// this composition root only assembles them, in one transaction for an erasure.
import type { Actor } from "../../core/auth/actor.ts";
import type { Config } from "../../core/config.ts";
import type { Db } from "../../core/db/index.ts";
import { notFound } from "../../core/errors.ts";
import { deleteFiles, deleteMailTo, eraseUser, mailTo, scrubIdentifiers, userPersonalData, usersOfTrainee } from "../../core/personal-data.ts";
import { erasuresOf, purgeCoreExpired, readsOf, recordErasure } from "../../core/privacy.ts";
import { audit } from "../../core/outbox.ts";
import { type Clock, newId, parisDate } from "../../core/time.ts";
import { attendancePersonalData, eraseAttendance, purgeExpiredAccess } from "../../domains/attendance/personal-data.ts";
import { certificatesPersonalData, eraseCertificates } from "../../domains/documents/personal-data.ts";
import { eraseTrainee, findTrainees, pathIdsOfTrainee, traineePersonalData, traineesPastRetention } from "../../domains/paths/personal-data.ts";
import { candidatePersonalData, candidatesOfPaths, candidatesPastRetention, eraseCandidate, findCandidates, purgeExpiredRegistrations } from "../../domains/recruitment/personal-data.ts";
import { eraseSchedule, schedulePersonalData } from "../../domains/schedule/personal-data.ts";
import { eraseExit, exitPersonalData } from "../../domains/exit/personal-data.ts";
import { eraseInternships, internshipsPersonalData } from "../../domains/internships/personal-data.ts";

export type PersonKind = "trainee" | "candidate" | "user";
export interface PersonRef {
  kind: PersonKind;
  id: string;
}

/** Only the Region (its officer acts as the DPO's relay) reads or erases anyone's data. */
export const isPrivacyOfficer = (actor: Actor) => actor.role === "region_officer";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const WHAT: Record<PersonKind, string> = { trainee: "Stagiaire", candidate: "Candidat·e", user: "Compte" };

/** The records whose reads are audited for this person (audit_log entity / ids). */
export async function recordsOf(db: Db, ref: PersonRef) {
  if (ref.kind === "trainee") {
    const pathIds = await pathIdsOfTrainee(db, ref.id);
    const candidates = await candidatesOfPaths(db, pathIds);
    const candidacies = (await Promise.all(candidates.map((c) => candidatePersonalData(db, c)))).flatMap((d) => d?.candidacies.map((k) => k.id) ?? []);
    return [
      { entity: "trainee", ids: [ref.id] },
      { entity: "path", ids: pathIds },
      { entity: "candidate", ids: candidates },
      { entity: "candidacy", ids: candidacies },
    ];
  }
  if (ref.kind === "candidate") {
    const data = await candidatePersonalData(db, ref.id);
    return [
      { entity: "candidate", ids: [ref.id] },
      { entity: "candidacy", ids: data?.candidacies.map((k) => k.id) ?? [] },
    ];
  }
  return [{ entity: "user", ids: [ref.id] }];
}

async function traineeSection(db: Db, traineeId: string) {
  const paths = await traineePersonalData(db, traineeId);
  if (!paths) return undefined;
  const pathIds = paths.paths.map((p) => p.id);
  const candidates = [];
  for (const id of await candidatesOfPaths(db, pathIds)) candidates.push(await candidatePersonalData(db, id));
  return {
    ...paths,
    attendance: await attendancePersonalData(db, traineeId, pathIds),
    schedule: await schedulePersonalData(db, traineeId, pathIds),
    companyPeriodsAndFollowUp: await internshipsPersonalData(db, traineeId, pathIds),
    exit: await exitPersonalData(db, pathIds),
    certificates: await certificatesPersonalData(db, pathIds),
    candidacies: candidates.filter(Boolean),
    mail: paths.trainee.email ? await mailTo(db, { email: paths.trainee.email }) : [],
  };
}

/**
 * The machine-readable archive of one person's data (JSON; files inside as base64): what every
 * domain stores about them, who read their record, the erasures done. Undefined when unknown.
 */
export async function personalArchive(db: Db, clock: Clock, ref: PersonRef) {
  if (!UUID.test(ref.id)) return undefined;
  let body: Record<string, unknown> | undefined;
  if (ref.kind === "trainee") {
    const trainee = await traineeSection(db, ref.id);
    if (trainee) {
      const accounts = [];
      for (const u of await usersOfTrainee(db, ref.id)) accounts.push(await userPersonalData(db, u));
      body = { trainee, accounts };
    }
  } else if (ref.kind === "candidate") {
    const candidate = await candidatePersonalData(db, ref.id);
    if (candidate) body = { candidate, mail: candidate.candidate.email ? await mailTo(db, { email: candidate.candidate.email }) : [] };
  } else {
    const account = await userPersonalData(db, ref.id);
    if (account) body = { account, trainee: account.account.trainee_id ? await traineeSection(db, account.account.trainee_id) : undefined };
  }
  if (!body) return undefined;
  const traineeId = ref.kind === "user" ? ((body.account as { account: { trainee_id: string | null } }).account.trainee_id ?? undefined) : undefined;
  const readsRef = traineeId ? { kind: "trainee" as const, id: traineeId } : ref;
  return {
    format: "competences-plus/donnees-personnelles",
    version: 1,
    exportedAt: clock.now().toISOString(),
    subject: ref,
    register: "Registre des traitements : docs/privacy.md (finalités, bases légales, durées de conservation, destinataires).",
    ...body,
    reads: await readsOf(db, [...(await recordsOf(db, readsRef)), ...(ref.kind === "user" ? [] : [])]),
    erasures: await erasuresOf(db, readsRef.kind, readsRef.id),
  };
}

/** The Region's archive of anyone; a person's own (their account, and their trainee record when they are one). */
export async function archiveFor(db: Db, clock: Clock, actor: Actor, ref: PersonRef) {
  const own = (ref.kind === "user" && ref.id === actor.userId) || (ref.kind === "trainee" && ref.id === actor.traineeId);
  if (!own && !isPrivacyOfficer(actor)) throw notFound(WHAT[ref.kind]);
  const archive = await personalArchive(db, clock, ref);
  if (!archive) throw notFound(WHAT[ref.kind]);
  await db.transaction().execute((tx) => audit(tx, { actorId: actor.userId, action: "personal-data.export", entity: ref.kind, entityId: ref.id, details: { own } }));
  return archive;
}

export interface ErasureResult {
  erasureId: string;
  counts: Record<string, number>;
}

/**
 * Erases (pseudonymises) one person in one transaction: every domain's part, their accounts, the
 * candidacies that led to their paths (on request), their mail, their identifiers in every free
 * text core keeps, then the record of the erasure. Attendance evidence, realised hours, billing
 * and certificates stay verifiable (ADR 0021).
 */
export async function erasePerson(db: Db, clock: Clock, ref: PersonRef, by: { actorId: string | null; cause: "request" | "retention"; reason: string | null }): Promise<ErasureResult> {
  if (!UUID.test(ref.id)) throw notFound(WHAT[ref.kind]);
  const now = clock.now();
  const today = parisDate(now);
  return db.transaction().execute(async (tx) => {
    const counts: Record<string, number> = {};
    const identifiers: string[] = [];
    let subject = ref;
    if (ref.kind === "user") {
      const account = await tx.selectFrom("app_user").select("trainee_id").where("id", "=", ref.id).executeTakeFirst();
      if (!account) throw notFound(WHAT.user);
      // A trainee's own login: the person is the trainee.
      if (account.trainee_id) subject = { kind: "trainee", id: account.trainee_id };
    }
    if (subject.kind === "trainee") {
      const t = await eraseTrainee(tx, subject.id);
      if (!t) throw notFound(WHAT.trainee);
      identifiers.push(...t.identifiers);
      counts.paths = t.rows;
      counts.attendance = await eraseAttendance(tx, subject.id, t.pathIds);
      counts.schedule = await eraseSchedule(tx, subject.id);
      counts.accounts = 0;
      for (const u of await usersOfTrainee(tx, subject.id)) {
        const e = await eraseUser(tx, u);
        if (e) {
          identifiers.push(...e.identifiers);
          counts.accounts += e.rows;
        }
      }
      counts.recruitment = 0;
      // On request the whole person goes, their applications too; at the end of the retention the
      // candidacies follow their own orders' retention (candidatesPastRetention).
      if (by.cause === "request") {
        for (const c of await candidatesOfPaths(tx, t.pathIds)) {
          const e = await eraseCandidate(tx, c);
          if (!e) continue;
          identifiers.push(...e.identifiers);
          counts.recruitment += e.rows + (await deleteFiles(tx, e.fileIds)) + (await deleteMailTo(tx, e.emails));
          await recordErasure(tx, { id: newId(), kind: "candidate", subjectId: c, cause: by.cause, reason: by.reason, erasedBy: by.actorId, at: now, counts: { recruitment: e.rows } });
        }
      }
      counts.internships = await eraseInternships(tx, subject.id, t.pathIds, identifiers);
      const exit = await eraseExit(tx, t.pathIds, identifiers, now);
      counts.exit = exit.rows + (await deleteFiles(tx, exit.fileIds));
      counts.documents = await eraseCertificates(tx, t.pathIds, { firstName: "Personne", lastName: `effacée ${subject.id.slice(0, 8)}` }, today, identifiers);
    } else if (subject.kind === "candidate") {
      const e = await eraseCandidate(tx, subject.id);
      if (!e) throw notFound(WHAT.candidate);
      identifiers.push(...e.identifiers);
      counts.recruitment = e.rows + (await deleteFiles(tx, e.fileIds));
      counts.mail = await deleteMailTo(tx, e.emails);
    } else {
      const e = await eraseUser(tx, subject.id);
      if (!e) throw notFound(WHAT.user);
      identifiers.push(...e.identifiers);
      counts.accounts = e.rows;
    }
    counts.mail = (counts.mail ?? 0) + (await deleteMailTo(tx, identifiers.filter((i) => i.includes("@"))));
    counts.texts = await scrubIdentifiers(tx, identifiers);
    const erasureId = newId();
    await recordErasure(tx, { id: erasureId, kind: subject.kind, subjectId: subject.id, cause: by.cause, reason: by.reason, erasedBy: by.actorId, at: now, counts });
    await audit(tx, { actorId: by.actorId, action: "personal-data.erased", entity: subject.kind, entityId: subject.id, details: { cause: by.cause, erasureId } });
    return { erasureId, counts };
  });
}

/** The Region erases on request (the reason is recorded, never the erased data). */
export async function eraseOnRequest(db: Db, clock: Clock, actor: Actor, ref: PersonRef, reason: string): Promise<ErasureResult> {
  if (!isPrivacyOfficer(actor)) throw notFound(WHAT[ref.kind]);
  return erasePerson(db, clock, ref, { actorId: actor.userId, cause: "request", reason });
}

/** The Region's search: trainees and candidates of every provider by name, address or France Travail id. */
export async function findPersons(db: Db, actor: Actor, q: string) {
  if (!isPrivacyOfficer(actor) || q.trim().length < 2) return { trainees: [], candidates: [] };
  return { trainees: await findTrainees(db, q.trim()), candidates: await findCandidates(db, q.trim()) };
}

/**
 * The purge job (src/app/jobs.ts): expired sessions, reset links, attempts, phones' sessions,
 * signing links and unconfirmed registrations deleted; old mail bodies blanked; then every trainee
 * and candidate whose orders are all past the retention (RETENTION_YEARS after their close) erased.
 */
export async function runPurge(db: Db, clock: Clock, config: Pick<Config, "retentionYears" | "mailBodyDays" | "sessionIdleMinutes">) {
  const now = clock.now();
  const today = parisDate(now);
  const report: Record<string, number> = {
    ...(await purgeCoreExpired(db, now, config)),
    ...(await purgeExpiredAccess(db, now)),
    registrations: await purgeExpiredRegistrations(db, now),
    trainees: 0,
    candidates: 0,
  };
  for (const id of await traineesPastRetention(db, today, config.retentionYears)) {
    await erasePerson(db, clock, { kind: "trainee", id }, { actorId: null, cause: "retention", reason: `Fin de la durée de conservation (${config.retentionYears} ans après la clôture de la commande)` });
    report.trainees++;
  }
  for (const id of await candidatesPastRetention(db, today, config.retentionYears)) {
    await erasePerson(db, clock, { kind: "candidate", id }, { actorId: null, cause: "retention", reason: `Fin de la durée de conservation (${config.retentionYears} ans après la clôture de la commande)` });
    report.candidates++;
  }
  return report;
}
