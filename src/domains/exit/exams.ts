// Certifications, habilitations, exam registrations and results, catch-up programmes and mock exams
// (CP-EXAMS, CP-HABILITATION, CP-CATCHUP, CP-MOCK-EXAMS, CP-PREP-EXAM-DATES): one transaction each.
import type { Actor } from "../../core/auth/actor.ts";
import { isProviderStaff } from "../../core/auth/actor.ts";
import { requireCapability } from "../../core/auth/roles.ts";
import type { Db } from "../../core/db/index.ts";
import { DomainError, notFound } from "../../core/errors.ts";
import { checkFile, type FileInput, readFile, storeFile } from "../../core/files.ts";
import { notify } from "../../core/notifications/index.ts";
import { audit } from "../../core/outbox.ts";
import { check, type Violation } from "../../core/rules.ts";
import { type Clock, newId, parisDate } from "../../core/time.ts";
import { componentRows } from "../offer/views.ts";
import { evaluateSavedPath } from "../paths/use-cases.ts";
import { readablePath, staffPath } from "./access.ts";
import * as r from "./rules.ts";
import type { CatchupInput, CertificationInput, ExamDateInput, ExamRegistrationInput, ExamResultInput, HabilitationInput, MockExamInput, SecondSessionInput } from "./schema.ts";
import { catchupMinutes } from "./store.ts";

async function ownComponent(db: Db, actor: Actor, componentId: string) {
  const c = await db.selectFrom(componentRows().as("c")).select(["id", "provider_id", "title", "category"]).where("id", "=", componentId).executeTakeFirst();
  if (!c || !(isProviderStaff(actor) && actor.providerId === c.provider_id)) throw notFound("Composante");
  requireCapability(actor, "offer.write");
  return c;
}

/** The certifications of a component, with their habilitations (the provider's own, or the Region). */
export async function certificationsOf(db: Db, actor: Actor, filter: { componentId?: string; providerId?: string } = {}) {
  let q = db
    .selectFrom("certification as c")
    .innerJoin(componentRows().as("k"), "k.id", "c.component_id")
    .select(["c.id", "c.code", "c.kind", "c.title", "c.skill_blocks", "c.component_id", "c.provider_id", "k.title as component_title"]);
  if (actor.role !== "region_officer") {
    if (!isProviderStaff(actor) || !actor.providerId) return [];
    q = q.where("c.provider_id", "=", actor.providerId);
  }
  if (filter.componentId) q = q.where("c.component_id", "=", filter.componentId);
  if (filter.providerId) q = q.where("c.provider_id", "=", filter.providerId);
  const certs = await q.orderBy("c.code").execute();
  const habs = certs.length ? await db.selectFrom("habilitation").selectAll().where("certification_id", "in", certs.map((c) => c.id)).orderBy("valid_until", "desc").execute() : [];
  return certs.map((c) => ({ ...c, habilitations: habs.filter((h) => h.certification_id === c.id) }));
}

/** CP-EXAMS: a component lists its targeted certifications (RNCP / RS code checked by format), with their skill blocks. */
export async function addCertification(db: Db, actor: Actor, input: CertificationInput): Promise<string> {
  const c = await ownComponent(db, actor, input.componentId);
  const id = newId();
  await db.transaction().execute(async (tx) => {
    const dup = await tx.selectFrom("certification").select("id").where("component_id", "=", c.id).where("code", "=", input.code).executeTakeFirst();
    if (dup) throw new DomainError("CP-EXAMS", 409, `La certification ${input.code} est déjà listée pour cette composante.`);
    await tx
      .insertInto("certification")
      .values({ id, provider_id: c.provider_id, component_id: c.id, kind: input.code.startsWith("RNCP") ? "RNCP" : "RS", code: input.code, title: input.title, skill_blocks: JSON.stringify(input.skillBlocks) })
      .execute();
    await audit(tx, { actorId: actor.userId, action: "certification.added", entity: "component", entityId: c.id, details: { code: input.code } });
  });
  return id;
}

async function ownCertification(db: Db, actor: Actor, certificationId: string) {
  const cert = await db.selectFrom("certification").selectAll().where("id", "=", certificationId).executeTakeFirst();
  if (!cert || !(isProviderStaff(actor) && actor.providerId === cert.provider_id)) throw notFound("Certification");
  requireCapability(actor, "offer.write");
  return cert;
}

/** CP-HABILITATION: the habilitation on file (certifier, reference, validity, document); an expiry within 60 days warns. */
export async function addHabilitation(db: Db, actor: Actor, clock: Clock, certificationId: string, input: HabilitationInput, file?: FileInput): Promise<{ id: string; warnings: Violation[] }> {
  const cert = await ownCertification(db, actor, certificationId);
  if (input.validUntil < input.validFrom) throw DomainError.fromViolations([{ code: "VALIDATION", severity: "error", article: "", message: "La fin de validité précède son début.", field: "validUntil" }]);
  const fileErrors = file ? checkFile(file, "document") : [];
  if (fileErrors.length) throw DomainError.fromViolations(fileErrors);
  const id = newId();
  await db.transaction().execute(async (tx) => {
    const stored = file ? await storeFile(tx, file, { providerId: cert.provider_id, uploadedBy: actor.userId }) : undefined;
    await tx
      .insertInto("habilitation")
      .values({ id, certification_id: cert.id, certifier: input.certifier, reference: input.reference, valid_from: input.validFrom, valid_until: input.validUntil, attachment_id: stored?.id ?? null })
      .execute();
    await audit(tx, { actorId: actor.userId, action: "habilitation.added", entity: "certification", entityId: cert.id, details: { ...input } });
  });
  return { id, warnings: check(r.habilitationExpiry({ validFrom: input.validFrom, validUntil: input.validUntil }, parisDate(clock.now()), cert.code)) };
}

/** CP-HABILITATION (warn): habilitations ending within 60 days, for the provider and the Region (the latest per certification). */
export async function habilitationAlerts(db: Db, actor: Actor, clock: Clock, filter: { providerId?: string } = {}) {
  const today = parisDate(clock.now());
  return (await certificationsOf(db, actor, { providerId: filter.providerId })).flatMap((c) => {
    const latest = c.habilitations[0];
    const v = latest ? r.habilitationExpiry({ validFrom: latest.valid_from, validUntil: latest.valid_until }, today, c.code) : undefined;
    return v ? [{ certification: c, habilitation: latest, violation: v }] : [];
  });
}

/** CP-PREP-EXAM-DATES: a specific preparation's exams or selections with their dates. */
export async function addExamDate(db: Db, actor: Actor, input: ExamDateInput): Promise<string> {
  const c = await ownComponent(db, actor, input.componentId);
  const id = newId();
  await db.transaction().execute(async (tx) => {
    await tx.insertInto("exam_date").values({ id, component_id: c.id, label: input.label, kind: input.kind, exam_on: input.examOn }).execute();
    await audit(tx, { actorId: actor.userId, action: "exam_date.added", entity: "component", entityId: c.id, details: { ...input } });
  });
  return id;
}

/** CP-PREP-EXAM-DATES (warn) on a path: its component's exam dates against its planned exit. */
export async function prepExamWarnings(db: Db, actor: Actor, pathId: string): Promise<Violation[]> {
  const head = await readablePath(db, actor, pathId);
  const exams = await db.selectFrom("exam_date").select(["label", "kind", "exam_on as examOn"]).where("component_id", "=", head.component_id).execute();
  return check(r.prepExamDates(head.category, exams, head.planned_exit_date));
}

async function judgeRegistration(db: Db, head: Awaited<ReturnType<typeof staffPath>>, certificationId: string) {
  const cert = await db.selectFrom("certification").selectAll().where("id", "=", certificationId).where("component_id", "=", head.component_id).executeTakeFirst();
  if (!cert) throw DomainError.fromViolations([{ code: "CP-EXAMS", severity: "error", article: "CCTP §6.1.3", message: "Cette certification n'est pas listée pour la composante du parcours.", field: "certificationId" }]);
  const habs = await db.selectFrom("habilitation").select(["valid_from as validFrom", "valid_until as validUntil"]).where("certification_id", "=", cert.id).execute();
  const violations = check(r.habilitationCoversOrder(habs, { startDate: head.order_start, endDate: head.order_end }, cert.code));
  if (violations.length) throw DomainError.fromViolations(violations);
  return cert;
}

/** CP-EXAMS: the provider registers the trainee under its own name, at its own cost (no fee field for a first presentation). */
export async function registerExam(db: Db, actor: Actor, clock: Clock, pathId: string, input: ExamRegistrationInput): Promise<string> {
  const head = await staffPath(db, actor, pathId, "paths.write");
  const cert = await judgeRegistration(db, head, input.certificationId);
  const id = newId();
  await db.transaction().execute(async (tx) => {
    await tx.insertInto("exam_registration").values({ id, path_id: pathId, certification_id: cert.id, internal: input.internal, session_on: input.sessionOn, recorded_by: actor.userId, created_at: clock.now() }).execute();
    await audit(tx, { actorId: actor.userId, action: "exam.registered", entity: "path", entityId: pathId, details: { code: cert.code, sessionOn: input.sessionOn } });
  });
  return id;
}

/** CP-EXAMS: after a failure, the help with a second session; its fee, if any, is the trainee's (the only fee recorded). */
export async function registerSecondSession(db: Db, actor: Actor, clock: Clock, pathId: string, input: SecondSessionInput): Promise<string> {
  const head = await staffPath(db, actor, pathId, "paths.write");
  const cert = await judgeRegistration(db, head, input.certificationId);
  const previous = await db.selectFrom("exam_registration").select("result").where("path_id", "=", pathId).where("certification_id", "=", cert.id).execute();
  const violations = check(r.secondSessionAfterFailure(previous.map((p) => p.result)));
  if (violations.length) throw DomainError.fromViolations(violations);
  const id = newId();
  await db.transaction().execute(async (tx) => {
    await tx
      .insertInto("exam_registration")
      .values({ id, path_id: pathId, certification_id: cert.id, internal: input.internal, session_on: input.sessionOn, second_session: true, second_session_help: input.help, trainee_fee_cents: input.traineeFeeCents ?? null, recorded_by: actor.userId, created_at: clock.now() })
      .execute();
    await audit(tx, { actorId: actor.userId, action: "exam.second_session", entity: "path", entityId: pathId, details: { code: cert.code, traineeFeeCents: input.traineeFeeCents ?? null } });
  });
  return id;
}

/** CP-EXAMS: passed, partial (the blocks obtained), failed or absent; trainers record it too. */
export async function recordExamResult(db: Db, actor: Actor, clock: Clock, registrationId: string, input: ExamResultInput): Promise<void> {
  const reg = await db.selectFrom("exam_registration as r").innerJoin("certification as c", "c.id", "r.certification_id").select(["r.id", "r.path_id", "c.skill_blocks", "c.code"]).where("r.id", "=", registrationId).executeTakeFirst();
  if (!reg) throw notFound("Inscription à l'examen");
  await staffPath(db, actor, reg.path_id, "exams.record").catch((e) => {
    throw e instanceof DomainError && e.status === 404 ? notFound("Inscription à l'examen") : e;
  });
  const violations = check(r.partialNamesBlocks(input.result, input.passedBlocks, reg.skill_blocks));
  if (violations.length) throw DomainError.fromViolations(violations);
  await db.transaction().execute(async (tx) => {
    await tx.updateTable("exam_registration").set({ result: input.result, passed_blocks: JSON.stringify(input.result === "partial" ? input.passedBlocks : []), result_recorded_at: clock.now() }).where("id", "=", registrationId).execute();
    await audit(tx, { actorId: actor.userId, action: "exam.result", entity: "path", entityId: reg.path_id, details: { code: reg.code, ...input } });
  });
}

/** CP-CATCHUP: after a recorded failure, on the same path; may end after the order, never after the framework agreement; counts in the 200 h. */
export async function planCatchup(db: Db, actor: Actor, clock: Clock, pathId: string, input: CatchupInput): Promise<string> {
  const head = await staffPath(db, actor, pathId, "paths.write");
  const reg = await db.selectFrom("exam_registration").select(["id", "result"]).where("id", "=", input.registrationId).where("path_id", "=", pathId).executeTakeFirst();
  const evaluation = await evaluateSavedPath(db, actor, pathId);
  const id = newId();
  await db.transaction().execute(async (tx) => {
    await tx.selectFrom("exam_registration").select("id").where("path_id", "=", pathId).forUpdate().execute(); // two catch-ups at once: one judged after the other
    const violations = check(
      r.catchup({
        failureRecorded: reg?.result === "failed" || reg?.result === "partial",
        endOn: input.endOn,
        frameworkEnd: head.framework_end,
        pathMinutes: evaluation.planned.total,
        otherCatchupMinutes: await catchupMinutes(tx, pathId),
        minutes: input.minutes,
      }),
    );
    if (violations.length) throw DomainError.fromViolations(violations);
    await tx.insertInto("catchup").values({ id, path_id: pathId, registration_id: input.registrationId, minutes: input.minutes, start_on: input.startOn, end_on: input.endOn, content: input.content, recorded_by: actor.userId, created_at: clock.now() }).execute();
    await audit(tx, { actorId: actor.userId, action: "catchup.planned", entity: "path", entityId: pathId, details: { ...input } });
  });
  return id;
}

/** CP-MOCK-EXAMS: a mock exam with its mark; the corrected copy (PDF, JPEG or PNG) is returned to the trainee. */
export async function recordMockExam(db: Db, actor: Actor, clock: Clock, pathId: string, input: MockExamInput, copy?: FileInput): Promise<string> {
  const head = await staffPath(db, actor, pathId, "exams.record");
  const violations = [
    ...(input.score > input.outOf ? [{ code: "CP-MOCK-EXAMS", severity: "error" as const, article: "CCTP §6.1.3", message: `La note (${input.score}) dépasse le barème (${input.outOf}).`, field: "score" }] : []),
    ...(copy ? checkFile(copy, "copy") : []),
  ];
  if (violations.length) throw DomainError.fromViolations(violations);
  const id = newId();
  await db.transaction().execute(async (tx) => {
    const stored = copy ? await storeFile(tx, copy, { providerId: head.provider_id, uploadedBy: actor.userId }) : undefined;
    await tx
      .insertInto("mock_exam")
      .values({ id, path_id: pathId, title: input.title, taken_on: input.takenOn, score: input.score, out_of: input.outOf, comment: input.comment ?? "", corrected_copy_id: stored?.id ?? null, recorded_by: actor.userId, created_at: clock.now() })
      .execute();
    if (stored && head.email) {
      await notify(tx, { to: head.email, subject: `Copie corrigée : ${input.title}`, body: `Votre copie corrigée de « ${input.title} » (${input.score}/${input.outOf}) est disponible dans « Mon parcours ».`, entity: "path", entityId: pathId });
    }
    await audit(tx, { actorId: actor.userId, action: "mock_exam.recorded", entity: "path", entityId: pathId, details: { title: input.title, score: input.score, outOf: input.outOf } });
  });
  return id;
}

/** The corrected copy of a mock exam: the trainee themself, the provider's staff, the Region. */
export async function mockExamCopy(db: Db, actor: Actor, mockExamId: string) {
  const m = await db.selectFrom("mock_exam").select(["path_id", "corrected_copy_id"]).where("id", "=", mockExamId).executeTakeFirst();
  if (!m?.corrected_copy_id) throw notFound("Copie corrigée");
  const head = await readablePath(db, actor, m.path_id).catch(() => {
    throw notFound("Copie corrigée");
  });
  if (actor.role === "prescriber") throw notFound("Copie corrigée");
  void head;
  return readFile(db, m.corrected_copy_id);
}
