// The exit (reason, survey notice, prescriber's synthesis) and the follow-ups at exit / 3 / 6 months:
// validate → load → rules → write (+ notifications), one transaction each.
import { sql } from "kysely";
import { de } from "../../core/french.ts";
import type { Actor } from "../../core/auth/actor.ts";
import { requireRole } from "../../core/auth/actor.ts";
import { accountRows } from "../../core/auth/accounts.ts";
import { rolesFor } from "../../core/auth/roles.ts";
import type { Db } from "../../core/db/index.ts";
import type { ExitReason, FollowUpMilestone } from "../../core/db/schema.ts";
import { DomainError, invalid } from "../../core/errors.ts";
import { notify } from "../../core/notifications/index.ts";
import { audit } from "../../core/outbox.ts";
import { check, err, formatMinutes, type Violation } from "../../core/rules.ts";
import { type Clock, formatDateFr, newId, parisDate } from "../../core/time.ts";
import { exitPathInTx, requirePathWriter } from "../paths/use-cases.ts";
import { candidacyRows } from "../recruitment/views.ts";
import { prescriberOf, readablePath, staffPath, type PathHead, type Q } from "./access.ts";
import * as r from "./rules.ts";
import type { ExitInput, FollowUpInput, VaeInput } from "./schema.ts";
import { exitedPaths, followUpDeadlineDays, pathSummary, type PathSummary, recordedMilestones } from "./store.ts";

export { pathSummary, type PathSummary } from "./store.ts";

/**
 * The exit of a trainee (§6.1): the path moves through its table (PATH_TRANSITIONS: the status the
 * reason implies, a valid e-mail on file — CP-SURVEY-NOTICE), the reason is kept, the trainee is told
 * about the Region's surveys and their skills certificate, the prescriber gets the synthesis
 * (CP-PRESCRIBER-SYNTHESIS). One transaction: a refusal writes nothing.
 */
export async function exitTrainee(db: Db, actor: Actor, clock: Clock, baseUrl: string, pathId: string, input: ExitInput): Promise<Violation[]> {
  await requirePathWriter(db, actor, pathId);
  const cause = input.cause?.trim() || null;
  if (r.needsCause(input.reason) && !cause) {
    throw DomainError.fromViolations([err("EXIT_CAUSE", "CCTP §6.1.2", `Indiquez la cause (${r.exitReasonLabels[input.reason].toLowerCase()}).`, "cause")]);
  }
  const vae = vaeValues(input, clock);
  return db.transaction().execute(async (tx) => {
    const { warnings, traineeEmail } = await exitPathInTx(tx, actor, pathId, {
      status: r.statusOfReason(input.reason),
      actualExitDate: input.actualExitDate,
      reason: cause ?? r.exitReasonLabels[input.reason],
      exitReason: input.reason,
    });
    await tx
      .insertInto("path_exit")
      .values({ path_id: pathId, reason: input.reason, cause, action_plan: input.actionPlan?.trim() ?? "", email: traineeEmail ?? "", recorded_by: actor.userId, recorded_at: clock.now(), ...vae })
      .execute();
    const head = (await readablePath(tx, actor, pathId)) as PathHead;
    // CP-SURVEY-NOTICE: the notice goes to the address the table has just judged valid (a draft
    // dropped before entry left no training: nothing to survey).
    if (traineeEmail) await notify(tx, {
      to: traineeEmail ?? "",
      subject: "Votre sortie de formation — enquêtes de la Région à 6 et 18 mois",
      body: surveyNotice(head, input.actualExitDate, baseUrl),
      entity: "path",
      entityId: pathId,
    });
    await sendSynthesis(tx, head, await pathSummary(tx, head), baseUrl);
    await audit(tx, { actorId: actor.userId, action: "path.exit", entity: "path", entityId: pathId, details: { reason: input.reason, actualExitDate: input.actualExitDate } });
    return warnings;
  });
}

/** CP-KPI-VAE: the VAE columns of the exit record, judged first (a refusal writes nothing). */
function vaeValues(input: VaeInput, clock: Clock) {
  const v = { engaged: input.vaeEngaged ?? false, result: input.vaeResult ?? null, decidedOn: input.vaeDecidedOn ?? null };
  const violations = check(r.vaeRecord(v, parisDate(clock.now())));
  if (violations.length) throw DomainError.fromViolations(violations);
  return { vae_engaged: v.engaged, vae_result: v.result, vae_decided_on: v.decidedOn };
}

/** CP-KPI-VAE: records (or corrects) the VAE of an exited path — the jury often decides after the exit. */
export async function recordVae(db: Db, actor: Actor, clock: Clock, pathId: string, input: VaeInput): Promise<void> {
  await staffPath(db, actor, pathId, "paths.write");
  const values = vaeValues(input, clock);
  await db.transaction().execute(async (tx) => {
    const done = await tx.updateTable("path_exit").set(values).where("path_id", "=", pathId).returning("path_id").executeTakeFirst();
    if (!done) throw new DomainError("CP-KPI-VAE", 409, "La VAE se renseigne sur une sortie enregistrée avec son motif.");
    await audit(tx, { actorId: actor.userId, action: "path_exit.vae", entity: "path", entityId: pathId, details: { engaged: values.vae_engaged, result: values.vae_result } });
  });
}

function surveyNotice(h: PathHead, exitDate: string, baseUrl: string): string {
  return [
    `Bonjour ${h.first_name} ${h.last_name},`,
    "",
    `Votre parcours « ${h.component_title} » chez ${h.provider_name} s'est terminé le ${formatDateFr(exitDate)}.`,
    `Votre attestation de compétences est disponible dans « Mon parcours » : ${baseUrl}/mon-parcours/${h.id}/bilan`,
    "",
    "La Région Occitanie vous enverra, à cette adresse, un court questionnaire 6 mois puis 18 mois après votre sortie (votre situation, votre satisfaction).",
    "Vos réponses l'aident à améliorer les formations. Chaque message contiendra un lien pour ne plus en recevoir.",
  ].join("\n");
}

/** CP-PRESCRIBER-SYNTHESIS: the synthesis to the prescriber of the candidacy (adviser, else the organisation's advisers). */
async function sendSynthesis(tx: Q, head: PathHead, s: PathSummary, baseUrl: string) {
  const presc = await prescriberOf(tx, head.id);
  if (!presc?.prescriber_organisation_id) return;
  let q = tx.selectFrom(accountRows().as("u")).select(["id", "email"]).where("active", "=", true).where("role", "=", "prescriber");
  q = presc.prescriber_user_id ? q.where("id", "=", presc.prescriber_user_id) : q.where("prescriber_organisation_id", "=", presc.prescriber_organisation_id);
  for (const u of await q.execute()) {
    await notify(tx, { to: u.email, userId: u.id, subject: `Synthèse de parcours — ${head.first_name} ${head.last_name}`, body: synthesisText(s, baseUrl), entity: "path", entityId: head.id });
  }
}

/** The synthesis as plain text (mail body; the page shows the same facts). */
export function synthesisText(s: PathSummary, baseUrl: string): string {
  const h = s.head;
  const lines = [
    `Parcours ${de(`${h.first_name} ${h.last_name}`)} — ${h.component_title} (${h.provider_name}, commande ${h.order_number})`,
    `Du ${formatDateFr(h.entry_date)} au ${formatDateFr(h.actual_exit_date ?? h.planned_exit_date)}.`,
    s.exit ? `Sortie : ${r.exitReasonLabels[s.exit.reason as ExitReason]}${s.exit.cause ? ` — ${s.exit.cause}` : ""}.` : "Sortie non enregistrée.",
    `Durée réalisée : ${formatMinutes(s.realised.totals.total)} (centre ${formatMinutes(s.realised.totals.inPerson)}, distance ${formatMinutes(s.realised.totals.distance)}, autoformation ${formatMinutes(s.realised.totals.selfStudy)}, entreprise ${formatMinutes(s.realised.totals.company)}).`,
    ...s.exams.map((e) => `Examen ${e.code} ${e.title} (${formatDateFr(e.session_on)}) : ${e.result ? r.resultLabels[e.result as keyof typeof r.resultLabels] : "résultat attendu"}${e.passed_blocks.length ? ` — blocs obtenus : ${e.passed_blocks.join(", ")}` : ""}.`),
    s.exit?.action_plan ? `Plan d'action pour la suite : ${s.exit.action_plan}` : "",
    "",
    `La synthèse complète et l'attestation : ${baseUrl}/syntheses/${h.id}`,
    "Vous pouvez reprendre l'accompagnement de la personne (nouvelle prescription) depuis cette page.",
  ];
  return lines.filter((l, i) => l !== "" || i === lines.length - 3).join("\n");
}

/** CP-PRESCRIBER-SYNTHESIS: the exited paths of the people the prescriber's organisation prescribed. */
export async function synthesesFor(db: Db, actor: Actor) {
  if (actor.role !== "prescriber" || !actor.prescriberOrganisationId) return [];
  return exitedPaths(db)
    .innerJoin(candidacyRows().as("cd"), "cd.path_id", "p.id")
    .where("cd.prescriber_organisation_id", "=", actor.prescriberOrganisationId)
    .orderBy("p.actual_exit_date", "desc")
    .execute();
}

// ——— Follow-ups (CP-EXIT-FOLLOWUP) ———

export interface FollowUpRow {
  pathId: string;
  providerId: string;
  traineeName: string;
  providerName: string;
  componentTitle: string;
  actualExitDate: string;
  exitReason: string | null;
  milestone: FollowUpMilestone;
  opensOn: string;
  dueBy: string;
  state: r.FollowUpState;
}

/** Follow-ups of exited paths the actor sees (the Region: all; a provider: its own), by state. */
export async function followUps(db: Db, actor: Actor, clock: Clock, filter: { states?: r.FollowUpState[]; pathId?: string; providerId?: string } = {}): Promise<FollowUpRow[]> {
  let q = exitedPaths(db);
  if (actor.role === "region_officer") {
    // every provider, or the one asked for (the compliance board's filter, pushed into the query)
    if (filter.providerId) q = q.where("p.provider_id", "=", filter.providerId);
  } else if (actor.providerId && rolesFor("exams.record").includes(actor.role)) q = q.where("p.provider_id", "=", actor.providerId);
  else return [];
  if (filter.pathId) q = q.where("p.id", "=", filter.pathId);
  const deadline = await followUpDeadlineDays(db);
  const today = parisDate(clock.now());
  // Only the late ones asked (the compliance board): the paths with a milestone past its due date and not recorded are
  // picked in SQL (followUpSchedule's "late", same dates), not every exited path of the region (141 812 in the bench).
  if (filter.states?.length === 1 && filter.states[0] === "late") {
    // Only the paths with a milestone still open (follow_up_open, kept by triggers: ADR 0046), not the region's history.
    // As an array: the planner then reads these paths by key and probes their follow-ups one by one (65 ms, not 250).
    q = q.where(sql<boolean>`p.id = any(array(select distinct path_id from follow_up_open))`);
    q = q.where((eb) =>
      eb.or(
        r.MILESTONES.map((m) =>
          eb.and([
            eb(sql`p.actual_exit_date + ${r.MILESTONE_DAYS[m] + deadline}::int`, "<", sql`${today}::date`),
            eb.not(eb.exists(eb.selectFrom("follow_up as fu").select("fu.path_id").whereRef("fu.path_id", "=", "p.id").where("fu.milestone", "=", m))),
          ]),
        ),
      ),
    );
  }
  const paths = await q.orderBy("p.actual_exit_date").execute();
  const recorded = await recordedMilestones(db, paths.map((p) => p.id));
  return paths.flatMap((p) =>
    r.followUpSchedule(p.actual_exit_date!, deadline, today, recorded.get(p.id)!).map((m) => ({
      pathId: p.id,
      providerId: p.provider_id,
      traineeName: `${p.first_name} ${p.last_name}`,
      providerName: p.provider_name,
      componentTitle: p.component_title,
      actualExitDate: p.actual_exit_date!,
      exitReason: p.exit_reason,
      ...m,
    })),
  ).filter((f) => !filter.states || filter.states.includes(f.state));
}

/** Records (or corrects) the situation at one milestone, once it has opened. */
export async function recordFollowUp(db: Db, actor: Actor, clock: Clock, pathId: string, input: FollowUpInput): Promise<void> {
  const head = await staffPath(db, actor, pathId, "paths.write");
  if (!head.actual_exit_date) throw new DomainError("CP-EXIT-FOLLOWUP", 409, "Le suivi se renseigne après la sortie réelle.");
  const deadline = await followUpDeadlineDays(db);
  const today = parisDate(clock.now());
  const m = r.followUpSchedule(head.actual_exit_date, deadline, today, new Set()).find((x) => x.milestone === input.milestone)!;
  const contractType = input.contractType || null;
  const violations = check(r.followUpOpen(m, today), r.followUpContract(input.situation, contractType));
  if (violations.length) throw DomainError.fromViolations(violations);
  const employed = input.situation === "employment";
  const values = {
    situation: input.situation,
    contract_type: contractType,
    rome_code: employed ? input.romeCode || null : null,
    in_target_sector: employed ? (input.inTargetSector ?? null) : null,
    note: input.note ?? "",
    recorded_by: actor.userId,
    recorded_at: clock.now(),
  };
  await db.transaction().execute(async (tx) => {
    await tx
      .insertInto("follow_up")
      .values({ id: newId(), path_id: pathId, milestone: input.milestone, ...values })
      .onConflict((oc) => oc.columns(["path_id", "milestone"]).doUpdateSet(values))
      .execute();
    await audit(tx, { actorId: actor.userId, action: "follow_up.recorded", entity: "path", entityId: pathId, details: { milestone: input.milestone, situation: input.situation } });
  });
}

export async function getFollowUpDeadline(db: Db): Promise<number> {
  return followUpDeadlineDays(db);
}

/** CP-EXIT-FOLLOWUP: the deadline is a setting the Region keeps (the source gives no figure). */
export async function setFollowUpDeadline(db: Db, actor: Actor, clock: Clock, days: number): Promise<void> {
  requireRole(actor, "region_officer");
  if (!Number.isInteger(days) || days < 0 || days > 365) throw invalid("Délai en jours entre 0 et 365.");
  await db.transaction().execute(async (tx) => {
    await tx.updateTable("exit_setting").set({ followup_deadline_days: days, updated_by: actor.userId, updated_at: clock.now() }).where("id", "=", 1).execute();
    await audit(tx, { actorId: actor.userId, action: "exit_setting.updated", entity: "exit_setting", entityId: "1", details: { followupDeadlineDays: days } });
  });
}

/**
 * The daily job (src/app/jobs.ts): a reminder to the provider's staff when a follow-up opens, and one
 * more when it is late; each sent once (follow_up_reminder). Returns how many were mailed.
 */
export async function runFollowUpReminders(db: Db, clock: Clock, baseUrl: string): Promise<number> {
  const region: Actor = { userId: "00000000-0000-0000-0000-000000000000", role: "region_officer", fullName: "Tâche quotidienne", email: "", providerId: null, prescriberOrganisationId: null, traineeId: null };
  const rows = await followUps(db, region, clock, { states: ["due", "late"] });
  if (!rows.length) return 0;
  const sent = new Set((await db.selectFrom("follow_up_reminder").select(["path_id", "milestone", "kind"]).where("path_id", "in", [...new Set(rows.map((x) => x.pathId))]).execute()).map((x) => `${x.path_id}/${x.milestone}/${x.kind}`));
  const today = parisDate(clock.now());
  let count = 0;
  for (const f of rows) {
    const kind = f.state === "late" ? "late" : "due";
    if (sent.has(`${f.pathId}/${f.milestone}/${kind}`)) continue;
    await db.transaction().execute(async (tx) => {
      const inserted = await tx.insertInto("follow_up_reminder").values({ path_id: f.pathId, milestone: f.milestone, kind, sent_on: today }).onConflict((oc) => oc.doNothing()).returning("path_id").executeTakeFirst();
      if (!inserted) return; // another process sent it
      const head = await exitedPaths(tx).where("p.id", "=", f.pathId).executeTakeFirstOrThrow();
      const staff = await tx.selectFrom(accountRows().as("u")).select(["id", "email"]).where("provider_id", "=", head.provider_id).where("active", "=", true).where("role", "in", rolesFor("paths.write")).execute();
      for (const u of staff) {
        await notify(tx, {
          to: u.email,
          userId: u.id,
          subject: `${kind === "late" ? "Suivi en retard" : "Suivi à renseigner"} — ${f.traineeName} (${r.milestoneLabels[f.milestone].toLowerCase()})`,
          body: [
            `Situation ${de(f.traineeName)} ${r.milestoneLabels[f.milestone].toLowerCase()} après sa sortie du ${formatDateFr(f.actualExitDate)} (CP-EXIT-FOLLOWUP).`,
            kind === "late" ? `Elle devait être renseignée au plus tard le ${formatDateFr(f.dueBy)} : la Région voit ce retard.` : `À renseigner au plus tard le ${formatDateFr(f.dueBy)}.`,
            `${baseUrl}/parcours/${f.pathId}/suivi`,
          ].join("\n"),
          entity: "path",
          entityId: f.pathId,
        });
      }
      count++;
    });
  }
  return count;
}

// ——— For the Region's compliance board (kpi/compliance.ts) ———

export { habilitationAlerts } from "./exams.ts";

/** CP-EXIT-FOLLOWUP: follow-ups past their due date, each with its warning. */
export async function lateFollowUps(db: Db, actor: Actor, clock: Clock, filter: { providerId?: string } = {}): Promise<(FollowUpRow & { violation: Violation })[]> {
  const today = parisDate(clock.now());
  return (await followUps(db, actor, clock, { states: ["late"], providerId: filter.providerId })).flatMap((f) => {
    const v = r.followUpLate(f, today);
    return v ? [{ ...f, violation: v }] : [];
  });
}
