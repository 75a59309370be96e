// Exit, follow-ups, exams and catch-up (REQUIREMENTS §8): rules at their boundaries, then the use cases
// on a real database.
import assert from "node:assert/strict";
import { sql } from "kysely";
import { after, before, describe, test } from "node:test";
import type { Actor } from "../../core/auth/actor.ts";
import { createTestContext, type TestContext } from "../../../test/support/app.ts";
import { createOrderFixture, type OrderFixture } from "../../../test/support/fixtures.ts";
import { actorFor, actorOf, mod, plan, position, refused, register } from "../paths/testing.ts";
import { savePlan, validatePath } from "../paths/use-cases.ts";
import { createSessionRow } from "../recruitment/testing.ts";
import { addCertification, addHabilitation, habilitationAlerts, planCatchup, recordExamResult, recordMockExam, registerExam, registerSecondSession } from "./exams.ts";
import { parisDate } from "../../core/time.ts";
import * as r from "./rules.ts";
import { exitTrainee, followUps, recordFollowUp, runFollowUpReminders, setFollowUpDeadline } from "./use-cases.ts";

const PDF = new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d, 0x31, 0x2e, 0x34, 0x0a]);

describe("exit rules (pure)", () => {
  test("CP-EXIT-FOLLOWUP: with the deadline at 0 the 3-month follow-up is due on day 90 and late on day 91", () => {
    const at = (day: number) => r.followUpSchedule("2026-07-01", 0, addDaysTo("2026-07-01", day), new Set()).find((m) => m.milestone === "m3")!;
    assert.equal(at(89).state, "upcoming");
    assert.equal(at(90).state, "due");
    assert.equal(at(90).opensOn, "2026-09-29");
    assert.equal(at(91).state, "late");
    const withDeadline = r.followUpSchedule("2026-07-01", 15, "2026-10-14", new Set()).find((m) => m.milestone === "m3")!;
    assert.equal(withDeadline.state, "due");
    assert.equal(r.followUpSchedule("2026-07-01", 15, "2026-10-15", new Set()).find((m) => m.milestone === "m3")!.state, "late");
    assert.equal(r.followUpSchedule("2026-07-01", 0, "2027-01-01", new Set(["m3"])).find((m) => m.milestone === "m3")!.state, "done");
  });

  test("CP-PREP-EXAM-DATES: a specific preparation ending on the exam day passes, the day after warns; selections and other categories are not judged", () => {
    const written = { label: "Épreuve écrite du CACES", kind: "written", examOn: "2026-05-12" };
    assert.deepEqual(r.prepExamDates("specific_preparation", [written], "2026-05-12"), []);
    const late = r.prepExamDates("specific_preparation", [written], "2026-05-13");
    assert.equal(late.length, 1);
    assert.equal(late[0]!.code, "CP-PREP-EXAM-DATES");
    assert.equal(late[0]!.severity, "warning");
    assert.match(late[0]!.message, /13\/05\/2026.*Épreuve écrite du CACES.*12\/05\/2026/);
    assert.deepEqual(r.prepExamDates("specific_preparation", [{ ...written, kind: "selection" }], "2026-06-30"), [], "a selection is a goal, not an exam to precede");
    assert.deepEqual(r.prepExamDates("regulatory", [written], "2026-06-30"), []);
    const none = r.prepExamDates("specific_preparation", [], "2026-06-30");
    assert.equal(none[0]!.code, "CP-PREP-EXAM-DATES", "a specific preparation names its exams");
  });

  test("CP-HABILITATION: expiry warns at 60 days, not at 61", () => {
    const h = { validFrom: "2025-01-01", validUntil: "2026-08-30" };
    assert.equal(r.habilitationExpiry(h, "2026-07-01", "RNCP1")?.code, "CP-HABILITATION"); // 60 days
    assert.equal(r.habilitationExpiry(h, "2026-06-30", "RNCP1"), undefined); // 61 days
    assert.equal(r.habilitationExpiry(h, "2026-08-31", "RNCP1"), undefined); // expired: the cover rule refuses
  });

  test("CP-HABILITATION: a habilitation must cover the whole order period", () => {
    const order = { startDate: "2026-02-01", endDate: "2026-12-31" };
    assert.equal(r.habilitationCoversOrder([{ validFrom: "2026-02-01", validUntil: "2026-12-31" }], order, "RS5440"), undefined);
    assert.equal(r.habilitationCoversOrder([{ validFrom: "2026-02-02", validUntil: "2026-12-31" }], order, "RS5440")?.code, "CP-HABILITATION");
    assert.equal(r.habilitationCoversOrder([{ validFrom: "2026-02-01", validUntil: "2026-12-30" }], order, "RS5440")?.code, "CP-HABILITATION");
  });

  test("CP-CATCHUP: after a failure; ending on the framework's last day passes, the day after fails; it counts in the 200 h", () => {
    const f = { failureRecorded: true, endOn: "2027-12-31", frameworkEnd: "2027-12-31", pathMinutes: 11_000, otherCatchupMinutes: 0, minutes: 1000 };
    assert.deepEqual(r.catchup(f).filter(Boolean), []);
    assert.deepEqual(r.catchup({ ...f, endOn: "2028-01-01" }).filter(Boolean).map((v) => v?.field), ["endOn"]);
    assert.deepEqual(r.catchup({ ...f, minutes: 1001 }).filter(Boolean).map((v) => v?.field), ["minutes"]);
    assert.deepEqual(r.catchup({ ...f, failureRecorded: false }).filter(Boolean).map((v) => v?.code), ["CP-CATCHUP"]);
  });

  test("CP-EXAMS: RNCP / RS code format; a second session only after a failure; a partial result names its blocks", () => {
    for (const ok of ["RNCP37274", "RS5440", "RNCP1"]) assert.match(ok, r.CERTIFICATION_CODE);
    for (const ko of ["RNCP", "rs5440x", "RNCP1234567", "37274"]) assert.doesNotMatch(ko, r.CERTIFICATION_CODE);
    assert.equal(r.secondSessionAfterFailure(["passed"])?.code, "CP-EXAMS");
    assert.equal(r.secondSessionAfterFailure(["failed"]), undefined);
    assert.equal(r.partialNamesBlocks("partial", [], ["B1"])?.field, "passedBlocks");
    assert.equal(r.partialNamesBlocks("partial", ["B1"], ["B1", "B2"]), undefined);
  });

  test("CP-SATISFACTION: the window is the last two weeks, or the whole path when shorter", () => {
    assert.equal(r.satisfactionWindowOpens("2026-03-02", "2026-06-30"), "2026-06-17");
    assert.equal(r.satisfactionWindowOpens("2026-06-25", "2026-06-30"), "2026-06-25");
  });

  test("CP-SOFT-SKILLS: the three steps in order", () => {
    assert.equal(r.softSkillStepInOrder([], "identify"), undefined);
    assert.equal(r.softSkillStepInOrder(["identify"], "evaluate")?.code, "CP-SOFT-SKILLS");
    assert.equal(r.softSkillStepInOrder(["identify", "develop"], "evaluate"), undefined);
  });
});

function addDaysTo(date: string, days: number) {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

describe("exit and follow-ups (database)", () => {
  let t: TestContext;
  let fx: OrderFixture;
  let admin: Actor;

  before(async () => {
    t = await createTestContext("2026-06-30T09:00:00Z");
    fx = await createOrderFixture(t.db, { frameworkEnd: "2027-12-31" });
    admin = await actorOf(t.db, fx.adminEmail);
  });
  after(() => t.close());

  async function validatedPath(over: Record<string, unknown> = {}) {
    const { pathId } = await register(t.db, admin, fx, over);
    await position(t.db, admin, pathId);
    await savePlan(t.db, admin, pathId, plan([mod(fx.moduleIds["Anglais général"], "centre", 6000)]));
    await validatePath(t.db, admin, pathId);
    return pathId;
  }
  const notices = (pathId: string) => t.db.selectFrom("notification").select(["recipient_email", "subject", "body_text"]).where("entity_id", "=", pathId).execute();

  test("CP-SURVEY-NOTICE: an exit without an e-mail on file is refused in French, nothing written", async () => {
    const pathId = await validatedPath({ email: "" });
    const e = await refused(exitTrainee(t.db, admin, t.clock, "https://cp.example", pathId, { reason: "completed", actualExitDate: "2026-06-30" }), 422, "CP-SURVEY-NOTICE");
    assert.match(e.detail, /n'a pas d'adresse e-mail/);
    const row = await t.db.selectFrom("path").select(["status", "actual_exit_date"]).where("id", "=", pathId).executeTakeFirstOrThrow();
    assert.deepEqual(row, { status: "validated", actual_exit_date: null });
    assert.equal((await t.db.selectFrom("path_exit").select("path_id").where("path_id", "=", pathId).execute()).length, 0);
  });

  test("every exit reason goes through the path's table: employment closes, drop-out needs its cause, exclusion drops; the trainee gets the survey notice", async () => {
    for (const reason of ["completed", "employment", "other_training"] as const) {
      const pathId = await validatedPath();
      await exitTrainee(t.db, admin, t.clock, "https://cp.example", pathId, { reason, actualExitDate: "2026-06-30", actionPlan: "Candidater chez trois employeurs" });
      assert.equal((await t.db.selectFrom("path").select("status").where("id", "=", pathId).executeTakeFirstOrThrow()).status, "closed");
      const mail = (await notices(pathId)).find((n) => /enquêtes/.test(n.subject));
      assert.match(mail?.body_text ?? "", /6 mois puis 18 mois/);
    }
    const dropped = await validatedPath();
    await refused(exitTrainee(t.db, admin, t.clock, "https://cp.example", dropped, { reason: "dropout", actualExitDate: "2026-05-04" }), 422, "EXIT_CAUSE");
    await exitTrainee(t.db, admin, t.clock, "https://cp.example", dropped, { reason: "dropout", actualExitDate: "2026-05-04", cause: "Déménagement" });
    const excluded = await validatedPath();
    await exitTrainee(t.db, admin, t.clock, "https://cp.example", excluded, { reason: "exclusion", actualExitDate: "2026-05-05", cause: "Manquements répétés au règlement" });
    const rows = await t.db.selectFrom("path").select(["id", "status"]).where("id", "in", [dropped, excluded]).execute();
    assert.deepEqual(rows.map((x) => x.status).sort(), ["dropped", "dropped"]);
    const log = await t.db.selectFrom("transition_log").select(["from_status", "to_status", "reason"]).where("entity_id", "=", excluded).orderBy("id").execute();
    assert.deepEqual(log.at(-1), { from_status: "validated", to_status: "dropped", reason: "Manquements répétés au règlement" });
    await refused(exitTrainee(t.db, admin, t.clock, "https://cp.example", excluded, { reason: "completed", actualExitDate: "2026-06-30" }), 409, "TRANSITION");
  });

  test("CP-KPI-VAE: result and date only when engaged, together, not after today; recorded at exit and corrected after", async () => {
    const today = parisDate(t.clock.now());
    const tomorrow = addDaysTo(today, 1);
    const pathId = await validatedPath();
    const exit = (vae: Record<string, unknown>) => exitTrainee(t.db, admin, t.clock, "https://cp.example", pathId, { reason: "completed", actualExitDate: today, ...vae });
    const e1 = await refused(exit({ vaeResult: "full", vaeDecidedOn: today }), 422, "CP-KPI-VAE");
    assert.match(e1.detail, /engagé dans une VAE/);
    await refused(exit({ vaeEngaged: true, vaeResult: "full" }), 422, "CP-KPI-VAE");
    await refused(exit({ vaeEngaged: true, vaeDecidedOn: today }), 422, "CP-KPI-VAE");
    const e2 = await refused(exit({ vaeEngaged: true, vaeResult: "partial", vaeDecidedOn: tomorrow }), 422, "CP-KPI-VAE");
    assert.match(e2.detail, /dans le futur/);
    assert.equal((await t.db.selectFrom("path_exit").select("path_id").where("path_id", "=", pathId).execute()).length, 0, "a refusal writes nothing");
    await exit({ vaeEngaged: true });
    const staff = await t.login(fx.adminEmail);
    const put = (body: unknown) => t.api("PUT", `/api/paths/${pathId}/vae`, staff, body);
    assert.equal((await put({ vaeEngaged: true, vaeResult: "full", vaeDecidedOn: tomorrow })).status, 422);
    assert.equal((await put({ vaeEngaged: true, vaeResult: "total", vaeDecidedOn: today })).status, 400, "an unknown result: 400, never 5xx");
    assert.equal((await put({ vaeEngaged: true, vaeResult: "partial", vaeDecidedOn: today })).status, 204, "decided today: accepted");
    const row = await t.db.selectFrom("path_exit").select(["vae_engaged", "vae_result", "vae_decided_on"]).where("path_id", "=", pathId).executeTakeFirstOrThrow();
    assert.deepEqual(row, { vae_engaged: true, vae_result: "partial", vae_decided_on: today });
    const other = await createOrderFixture(t.db);
    assert.equal((await t.api("PUT", `/api/paths/${pathId}/vae`, await t.login(other.adminEmail), { vaeEngaged: false })).status, 404, "another provider's path: 404");
    const open = await validatedPath();
    assert.equal((await t.api("PUT", `/api/paths/${open}/vae`, staff, { vaeEngaged: true })).status, 409, "no exit recorded yet");
  });

  test("CP-PRESCRIBER-SYNTHESIS: the prescriber of the candidacy receives the synthesis by mail", async () => {
    const prescriber = await actorFor(t.db, "conseiller.synthese@example.org", "prescriber");
    const pathId = await validatedPath();
    const candidateId = crypto.randomUUID();
    await t.db.insertInto("candidate").values({ id: candidateId, first_name: "Camille", last_name: "S", birth_date: "1990-05-12", email: null, phone: null, france_travail_id: null, highest_diploma_level: null, created_at: new Date() }).execute();
    const sessionId = await createSessionRow(t.db, fx);
    await t.db
      .insertInto("candidacy")
      .values({ id: crypto.randomUUID(), candidate_id: candidateId, session_id: sessionId, provider_id: fx.providerId, origin: "dematerialised", prescriber_organisation_id: prescriber.prescriberOrganisationId, prescriber_user_id: prescriber.userId, path_id: pathId, status: "entered", created_at: new Date(), updated_at: new Date() } as never)
      .execute();
    await exitTrainee(t.db, admin, t.clock, "https://cp.example", pathId, { reason: "employment", actualExitDate: "2026-06-30", actionPlan: "Suivi par le conseiller" });
    const mail = (await notices(pathId)).find((n) => n.recipient_email === "conseiller.synthese@example.org");
    assert.match(mail?.subject ?? "", /Synthèse de parcours/);
    assert.match(mail?.body_text ?? "", /Plan d'action pour la suite : Suivi par le conseiller/);
    assert.match(mail?.body_text ?? "", /Durée réalisée/);
  });

  test("CP-EXIT-FOLLOWUP: the Region's deadline at 0, the 3-month follow-up is due on day 90 and late on day 91; the daily job mails once per state", async () => {
    const region = await actorFor(t.db, "region.suivi@example.org", "region_officer");
    const pathId = await validatedPath();
    await exitTrainee(t.db, admin, t.clock, "https://cp.example", pathId, { reason: "completed", actualExitDate: "2026-06-30" });
    await setFollowUpDeadline(t.db, region, t.clock, 0);
    await refused(setFollowUpDeadline(t.db, admin, t.clock, 5), 403, "FORBIDDEN");
    await recordFollowUp(t.db, admin, t.clock, pathId, { milestone: "exit", situation: "job_seeking" });
    await refused(recordFollowUp(t.db, admin, t.clock, pathId, { milestone: "m3", situation: "job_seeking" }), 422, "CP-EXIT-FOLLOWUP");
    const m3 = async () => (await followUps(t.db, region, t.clock, { pathId })).find((f) => f.milestone === "m3")!;
    t.clock.set("2026-09-28T10:00:00Z"); // day 90 after 30 June
    assert.equal((await m3()).state, "due");
    assert.ok((await runFollowUpReminders(t.db, t.clock, "https://cp.example")) >= 1);
    t.clock.set("2026-09-29T10:00:00Z"); // day 91
    assert.equal((await m3()).state, "late");
    assert.ok((await followUps(t.db, region, t.clock, { states: ["late"] })).some((f) => f.pathId === pathId && f.milestone === "m3"));
    await runFollowUpReminders(t.db, t.clock, "https://cp.example");
    assert.equal(await runFollowUpReminders(t.db, t.clock, "https://cp.example"), 0, "each reminder once");
    const reminders = (await notices(pathId)).filter((n) => /Suivi/.test(n.subject));
    assert.ok(reminders.some((n) => /en retard/.test(n.subject)) && reminders.some((n) => /à renseigner/.test(n.subject)));
    await refused(recordFollowUp(t.db, admin, t.clock, pathId, { milestone: "m3", situation: "employment" }), 422, "CP-EXIT-FOLLOWUP");
    await recordFollowUp(t.db, admin, t.clock, pathId, { milestone: "m3", situation: "employment", contractType: "cdi", romeCode: "K2111", inTargetSector: true });
    assert.equal((await m3()).state, "done");
    const other = await createOrderFixture(t.db);
    assert.deepEqual(await followUps(t.db, await actorOf(t.db, other.adminEmail), t.clock, { pathId }), []);
    await refused(recordFollowUp(t.db, await actorOf(t.db, other.adminEmail), t.clock, pathId, { milestone: "m3", situation: "other" }), 404, "NOT_FOUND");
    await setFollowUpDeadline(t.db, region, t.clock, 30);
    t.clock.set("2026-06-30T09:00:00Z");
  });

  test("CP-HABILITATION and CP-EXAMS: registration outside the habilitation refused; results; a fee only on a second session; CP-CATCHUP after the failure", async () => {
    const pathId = await validatedPath();
    const certificationId = await addCertification(t.db, admin, { componentId: fx.componentId, code: "RNCP37274", title: "Agent de propreté", skillBlocks: ["B1", "B2"] });
    await refused(registerExam(t.db, admin, t.clock, pathId, { certificationId, internal: false, sessionOn: "2026-06-15" }), 422, "CP-HABILITATION");
    const partial = await addHabilitation(t.db, admin, t.clock, certificationId, { certifier: "Ministère du Travail", reference: "H-1", validFrom: "2026-03-01", validUntil: "2026-12-31" });
    assert.deepEqual(partial.warnings, []);
    await refused(registerExam(t.db, admin, t.clock, pathId, { certificationId, internal: false, sessionOn: "2026-06-15" }), 422, "CP-HABILITATION");
    const expiring = await addHabilitation(t.db, admin, t.clock, certificationId, { certifier: "Ministère du Travail", reference: "H-2", validFrom: "2026-01-01", validUntil: "2026-08-29" }, { filename: "habilitation.pdf", contentType: "application/pdf", bytes: PDF });
    assert.deepEqual(expiring.warnings.map((w) => w.code), ["CP-HABILITATION"]); // 60 days from 30 June
    await refused(registerExam(t.db, admin, t.clock, pathId, { certificationId, internal: false, sessionOn: "2026-06-15" }), 422, "CP-HABILITATION");
    await addHabilitation(t.db, admin, t.clock, certificationId, { certifier: "Ministère du Travail", reference: "H-3", validFrom: "2026-01-01", validUntil: "2027-06-30" });
    assert.equal((await habilitationAlerts(t.db, admin, t.clock)).length, 0, "the latest habilitation does not expire within 60 days");
    const reg = await registerExam(t.db, admin, t.clock, pathId, { certificationId, internal: false, sessionOn: "2026-06-15" });
    await refused(registerSecondSession(t.db, admin, t.clock, pathId, { certificationId, internal: false, sessionOn: "2026-09-15", help: "Dossier préparé" }), 422, "CP-EXAMS");
    await refused(planCatchup(t.db, admin, t.clock, pathId, { registrationId: reg, minutes: 600, startOn: "2026-07-01", endOn: "2026-07-31", content: "Révisions" }), 422, "CP-CATCHUP");
    const trainer = await actorFor(t.db, "formatrice.exam@example.org", "trainer", fx.providerId);
    await refused(recordExamResult(t.db, trainer, t.clock, reg, { result: "partial", passedBlocks: [] }), 422, "CP-EXAMS");
    await recordExamResult(t.db, trainer, t.clock, reg, { result: "partial", passedBlocks: ["B1"] });
    await registerSecondSession(t.db, admin, t.clock, pathId, { certificationId, internal: false, sessionOn: "2026-09-15", help: "Dossier préparé", traineeFeeCents: 5000 });
    const fees = await t.db.selectFrom("exam_registration").select(["second_session", "trainee_fee_cents"]).where("path_id", "=", pathId).orderBy("created_at").execute();
    assert.deepEqual(fees, [{ second_session: false, trainee_fee_cents: null }, { second_session: true, trainee_fee_cents: 5000 }]);
    // CP-CATCHUP: after the order's end (31 Dec 2026) but not after the framework agreement's (31 Dec 2027); 100 h planned + 4 h positioning.
    await planCatchup(t.db, admin, t.clock, pathId, { registrationId: reg, minutes: 600, startOn: "2027-01-04", endOn: "2027-12-31", content: "Rattrapage du bloc B2" });
    await refused(planCatchup(t.db, admin, t.clock, pathId, { registrationId: reg, minutes: 60, startOn: "2027-01-04", endOn: "2028-01-01", content: "Trop tard" }), 422, "CP-CATCHUP");
    const e = await refused(planCatchup(t.db, admin, t.clock, pathId, { registrationId: reg, minutes: 5161, startOn: "2027-01-04", endOn: "2027-03-31", content: "Trop long" }), 422, "CP-CATCHUP");
    assert.match(e.detail, /200 h/);
    await planCatchup(t.db, admin, t.clock, pathId, { registrationId: reg, minutes: 5160, startOn: "2027-01-04", endOn: "2027-03-31", content: "Jusqu'à 200 h" });
  });

  test("CP-MOCK-EXAMS: the trainer records a mock exam with its corrected copy; the trainee is told", async () => {
    const pathId = await validatedPath();
    const trainer = await actorFor(t.db, "formateur.blanc@example.org", "trainer", fx.providerId);
    await refused(recordMockExam(t.db, trainer, t.clock, pathId, { title: "Examen blanc 1", takenOn: "2026-05-20", score: 21, outOf: 20 }), 422, "CP-MOCK-EXAMS");
    await refused(recordMockExam(t.db, trainer, t.clock, pathId, { title: "Examen blanc 1", takenOn: "2026-05-20", score: 12, outOf: 20 }, { filename: "x.exe", contentType: "application/pdf", bytes: new Uint8Array([1, 2, 3]) }), 422, "ATTACHMENT");
    await recordMockExam(t.db, trainer, t.clock, pathId, { title: "Examen blanc 1", takenOn: "2026-05-20", score: 12, outOf: 20 }, { filename: "copie.pdf", contentType: "application/pdf", bytes: PDF });
    assert.ok((await notices(pathId)).some((n) => /Copie corrigée/.test(n.subject)));
  });
  test("CP-EXIT-FOLLOWUP: the open milestones (follow_up_open, kept by triggers) follow exits and follow-ups exactly", async () => {
    const open = async (pathId: string) => (await t.db.selectFrom("follow_up_open").select("milestone").where("path_id", "=", pathId).orderBy("milestone").execute()).map((o) => o.milestone);
    const pathId = await validatedPath();
    assert.deepEqual(await open(pathId), [], "no exit, nothing open");
    await exitTrainee(t.db, admin, t.clock, "https://cp.example", pathId, { reason: "completed", actualExitDate: "2026-06-30" });
    assert.deepEqual(await open(pathId), ["exit", "m3", "m6"]);
    await recordFollowUp(t.db, admin, t.clock, pathId, { milestone: "exit", situation: "job_seeking" });
    assert.deepEqual(await open(pathId), ["m3", "m6"], "a recorded milestone is no longer open");
    await t.db.updateTable("follow_up").set({ milestone: "m3" }).where("path_id", "=", pathId).execute();
    assert.deepEqual(await open(pathId), ["exit", "m6"], "a follow-up moved to another milestone");
    await t.db.deleteFrom("follow_up").where("path_id", "=", pathId).execute();
    assert.deepEqual(await open(pathId), ["exit", "m3", "m6"], "a deleted follow-up opens its milestone again");
    await t.db.updateTable("path").set({ actual_exit_date: null }).where("id", "=", pathId).execute();
    assert.deepEqual(await open(pathId), [], "no exit date, nothing open");
    // Whatever this file wrote: the table equals a fresh computation from paths and follow-ups.
    const fresh = await sql<{ path_id: string; milestone: string }>`select p.id as path_id, m.milestone from path p cross join unnest(array['exit', 'm3', 'm6']) m(milestone)
      where p.actual_exit_date is not null and not exists (select 1 from follow_up fu where fu.path_id = p.id and fu.milestone = m.milestone) order by 1, 2`.execute(t.db);
    const stored = await t.db.selectFrom("follow_up_open").select(["path_id", "milestone"]).orderBy("path_id").orderBy("milestone").execute();
    assert.ok(stored.length > 0);
    assert.deepEqual(stored, fresh.rows);
  });
});
