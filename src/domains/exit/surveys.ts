// CP-SATISFACTION (the built-in questionnaire, linked in the last two weeks of the trainee's own path)
// and CP-REGION-SURVEYS (6 and 18 months after exit, by a personal link; unsubscribe honoured). Links
// carry a random token of which only the SHA-256 is kept (like the attendance links).
import { randomBytes } from "node:crypto";
import { sql } from "kysely";
import type { Actor } from "../../core/auth/actor.ts";
import { isProviderStaff, requireRole } from "../../core/auth/actor.ts";
import type { Db } from "../../core/db/index.ts";
import { DomainError, invalid, notFound } from "../../core/errors.ts";
import { sha256Hex } from "../../core/files.ts";
import { notify } from "../../core/notifications/index.ts";
import { type Clock, addDays, formatDateFr, newId, parisDate } from "../../core/time.ts";
import { pathHeads } from "./access.ts";
import * as r from "./rules.ts";
import { exitedPaths } from "./store.ts";

const newToken = () => randomBytes(32).toString("base64url");
const hashOf = (token: string) => sha256Hex(new TextEncoder().encode(token));

export async function satisfactionQuestions(db: Db) {
  return db.selectFrom("satisfaction_question").select(["id", "position", "kind", "label"]).where("active", "=", true).orderBy("position").execute();
}

/** CP-SATISFACTION: the Region sets the questions (a few Likert statements and one free text). */
export async function setSatisfactionQuestions(db: Db, actor: Actor, labels: { likert: string[]; text: string }): Promise<void> {
  requireRole(actor, "region_officer");
  const likert = labels.likert.map((l) => l.trim()).filter(Boolean);
  if (likert.length < 1 || likert.length > 10 || !labels.text.trim()) throw invalid("Entre 1 et 10 affirmations et une question ouverte.");
  await db.transaction().execute(async (tx) => {
    await tx.updateTable("satisfaction_question").set({ active: false }).execute();
    await tx
      .insertInto("satisfaction_question")
      .values([...likert.map((label, i) => ({ id: newId(), position: i + 1, kind: "likert" as const, label })), { id: newId(), position: likert.length + 1, kind: "text" as const, label: labels.text.trim() }])
      .execute();
  });
}

/** Daily: the satisfaction link to every trainee in the last two weeks of their path (the whole path if shorter), once. */
export async function sendSatisfactionLinks(db: Db, clock: Clock, baseUrl: string): Promise<number> {
  const today = parisDate(clock.now());
  const paths = await pathHeads(db)
    .where("p.status", "=", "validated")
    .where("p.planned_exit_date", ">=", today)
    .where("p.entry_date", "<=", today)
    .where("t.email", "is not", null)
    .where((eb) => eb.not(eb.exists(eb.selectFrom("satisfaction_link as l").select("l.path_id").whereRef("l.path_id", "=", "p.id"))))
    .execute();
  let sent = 0;
  for (const p of paths.filter((x) => today >= r.satisfactionWindowOpens(x.entry_date, x.planned_exit_date))) {
    const token = newToken();
    await db.transaction().execute(async (tx) => {
      const row = await tx.insertInto("satisfaction_link").values({ path_id: p.id, token_hash: hashOf(token), sent_on: today }).onConflict((oc) => oc.doNothing()).returning("path_id").executeTakeFirst();
      if (!row) return;
      await notify(tx, {
        to: p.email!,
        subject: "Votre avis sur la formation (questionnaire de satisfaction)",
        body: `Bonjour ${p.first_name},\n\nVotre formation « ${p.component_title} » se termine le ${formatDateFr(p.planned_exit_date)}. Donnez votre avis en quelques minutes (réponses anonymes pour l'organisme) :\n${baseUrl}/satisfaction/${token}`,
        entity: "path",
        entityId: p.id,
      });
      sent++;
    });
  }
  return sent;
}

async function linkOf(db: Db, token: string) {
  const link = await db.selectFrom("satisfaction_link").selectAll().where("token_hash", "=", hashOf(token)).executeTakeFirst();
  if (!link) throw notFound("Questionnaire");
  const head = await pathHeads(db).where("p.id", "=", link.path_id).executeTakeFirstOrThrow();
  return { link, head };
}

export async function satisfactionForm(db: Db, token: string) {
  const { link, head } = await linkOf(db, token);
  return { answered: Boolean(link.answered_at), componentTitle: head.component_title, providerName: head.provider_name, questions: await satisfactionQuestions(db) };
}

/** Keeps the answers WITHOUT the path (provider and component only): anonymous in every aggregate. */
export async function answerSatisfaction(db: Db, clock: Clock, token: string, input: { answers: Record<string, number>; comment?: string }): Promise<void> {
  const { link, head } = await linkOf(db, token);
  if (link.answered_at) throw new DomainError("SATISFACTION_ANSWERED", 409, "Vous avez déjà répondu à ce questionnaire : merci !");
  const questions = await satisfactionQuestions(db);
  const missing = questions.filter((q) => q.kind === "likert" && !input.answers[q.id]);
  if (missing.length) throw DomainError.fromViolations(missing.map((q) => ({ code: "VALIDATION", severity: "error" as const, article: "", message: `Répondez à « ${q.label} ».`, field: `q-${q.id}` })));
  await db.transaction().execute(async (tx) => {
    const done = await tx.updateTable("satisfaction_link").set({ answered_at: clock.now() }).where("path_id", "=", link.path_id).where("answered_at", "is", null).executeTakeFirst();
    if (Number(done.numUpdatedRows) !== 1) throw new DomainError("SATISFACTION_ANSWERED", 409, "Vous avez déjà répondu à ce questionnaire : merci !");
    const answers = Object.fromEntries(questions.filter((q) => q.kind === "likert").map((q) => [q.id, input.answers[q.id]]));
    await tx.insertInto("satisfaction_answer").values({ id: newId(), provider_id: head.provider_id, component_id: head.component_id, answers: JSON.stringify(answers), comment: input.comment?.trim() ?? "", answered_on: parisDate(clock.now()) }).execute();
  });
}

/** Aggregates (average per question, response count) for the provider's components or, for the Region, all. */
export async function satisfactionResults(db: Db, actor: Actor) {
  let q = db.selectFrom("satisfaction_answer").select(["answers", "comment", "provider_id"]);
  if (actor.role !== "region_officer") {
    if (!isProviderStaff(actor) || !actor.providerId) return { count: 0, averages: [], comments: [] };
    q = q.where("provider_id", "=", actor.providerId);
  }
  const rows = await q.execute();
  const questions = await satisfactionQuestions(db);
  const averages = questions
    .filter((x) => x.kind === "likert")
    .map((x) => {
      const values = rows.map((r) => (r.answers as Record<string, number>)[x.id]).filter((v) => typeof v === "number");
      return { label: x.label, count: values.length, average: values.length ? Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 10) / 10 : null };
    });
  return { count: rows.length, averages, comments: rows.map((r) => r.comment).filter(Boolean) };
}

/** The response status the provider tracks (never enforced): sent on, answered or not. */
export async function satisfactionStatus(db: Db, pathId: string) {
  return db.selectFrom("satisfaction_link").select(["sent_on", "answered_at"]).where("path_id", "=", pathId).executeTakeFirst();
}

// ——— CP-REGION-SURVEYS ———

/** Daily: the 6- and 18-month surveys to former trainees not unsubscribed, each wave once. */
export async function sendRegionSurveys(db: Db, clock: Clock, baseUrl: string): Promise<number> {
  const today = parisDate(clock.now());
  const exited = await exitedPaths(db)
    .where("t.email", "is not", null)
    .where((eb) => eb.not(eb.exists(eb.selectFrom("survey_unsubscribe as u").select("u.trainee_id").whereRef("u.trainee_id", "=", "p.trainee_id"))))
    .where("p.actual_exit_date", "<=", addDays(today, -r.SURVEY_WAVE_DAYS[6]))
    .execute();
  const done = new Set((await db.selectFrom("region_survey").select(["path_id", "wave"]).execute()).map((s) => `${s.path_id}/${s.wave}`));
  let sent = 0;
  for (const p of exited) {
    for (const wave of [6, 18] as const) {
      if (done.has(`${p.id}/${wave}`) || addDays(p.actual_exit_date!, r.SURVEY_WAVE_DAYS[wave]) > today) continue;
      if (wave === 6 && addDays(p.actual_exit_date!, r.SURVEY_WAVE_DAYS[18]) <= today) continue; // too late for the 6-month wave
      const token = newToken();
      await db.transaction().execute(async (tx) => {
        const row = await tx.insertInto("region_survey").values({ id: newId(), path_id: p.id, wave, token_hash: hashOf(token), sent_on: today }).onConflict((oc) => oc.doNothing()).returning("id").executeTakeFirst();
        if (!row) return;
        await notify(tx, {
          to: p.email!,
          subject: `La Région Occitanie vous demande des nouvelles (${wave} mois après votre formation)`,
          body: `Bonjour ${p.first_name},\n\nVous avez quitté la formation « ${p.component_title} » le ${formatDateFr(p.actual_exit_date)}. Où en êtes-vous ? Deux questions, une minute :\n${baseUrl}/enquete/${token}\n\nPour ne plus recevoir ces enquêtes : ${baseUrl}/enquete/${token}/desinscription`,
          entity: "path",
          entityId: p.id,
        });
        sent++;
      });
    }
  }
  return sent;
}

async function surveyOf(db: Db, token: string) {
  const s = await db.selectFrom("region_survey").selectAll().where("token_hash", "=", hashOf(token)).executeTakeFirst();
  if (!s) throw notFound("Enquête");
  const head = await pathHeads(db).where("p.id", "=", s.path_id).executeTakeFirstOrThrow();
  const unsubscribed = Boolean(await db.selectFrom("survey_unsubscribe").select("trainee_id").where("trainee_id", "=", head.trainee_id).executeTakeFirst());
  return { survey: s, head, unsubscribed };
}

export async function regionSurveyForm(db: Db, token: string) {
  const { survey, head, unsubscribed } = await surveyOf(db, token);
  return { wave: survey.wave, answered: Boolean(survey.answered_at), unsubscribed, componentTitle: head.component_title };
}

export async function answerRegionSurvey(db: Db, clock: Clock, token: string, input: { situation: "employment" | "training" | "job_seeking" | "other"; satisfaction: number; comment?: string }): Promise<void> {
  const { survey } = await surveyOf(db, token);
  const done = await db
    .updateTable("region_survey")
    .set({ answered_at: clock.now(), situation: input.situation, satisfaction: input.satisfaction, comment: input.comment?.trim() || null })
    .where("id", "=", survey.id)
    .where("answered_at", "is", null)
    .executeTakeFirst();
  if (Number(done.numUpdatedRows) !== 1) throw new DomainError("SURVEY_ANSWERED", 409, "Vous avez déjà répondu à cette enquête : merci !");
}

/** Unsubscribe: no further survey goes to this person (both waves). */
export async function unsubscribeSurveys(db: Db, clock: Clock, token: string): Promise<void> {
  const { head } = await surveyOf(db, token);
  await db.insertInto("survey_unsubscribe").values({ trainee_id: head.trainee_id, at: clock.now() }).onConflict((oc) => oc.doNothing()).execute();
}

/** The Region's KPIs from the surveys: sent, answered, situations per wave. */
export async function regionSurveyKpis(db: Db, actor: Actor) {
  requireRole(actor, "region_officer");
  return db
    .selectFrom("region_survey")
    .select(["wave", sql<number>`count(*)::int`.as("sent"), sql<number>`count(answered_at)::int`.as("answered"), sql<number>`count(*) filter (where situation = 'employment')::int`.as("employment"), sql<number>`count(*) filter (where situation = 'training')::int`.as("training")])
    .groupBy("wave")
    .orderBy("wave")
    .execute();
}
