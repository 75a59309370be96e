// Trainees, positioning and individual paths: validate → load → rules → write (+ outbox), one transaction each.
import type { Actor } from "../../core/auth/actor.ts";
import { isProviderStaff, requireRole, requireVisible } from "../../core/auth/actor.ts";
import type { Db } from "../../core/db/index.ts";
import type { Transaction } from "kysely";
import type { DB, ExitReason } from "../../core/db/schema.ts";
import { DomainError, invalid, notFound, notFoundAs } from "../../core/errors.ts";
import { audit, recordEvent, logTransition } from "../../core/outbox.ts";
import { check, errorsOf, type Violation } from "../../core/rules.ts";
import { changedMeanwhile } from "../../core/workflow.ts";
import { addDays, newId, type Clock } from "../../core/time.ts";
import { draftOf, factsFor, factsWith, indexOrder, orderConsumption, type OrderConsumption, type PlanDraft } from "./consumption.ts";
import { evaluatePath, evaluateSchedule, type PathEvaluation, type ScheduledFigures } from "./evaluate.ts";
import { realisedByPath } from "./realised.ts";
import { type OrderFinding, storedFindings } from "./stored-findings.ts";
import * as rules from "./rules.ts";
import { scheduledByPath } from "./scheduled.ts";
import type { PlanInput, PositioningInput, RegistrationInput, TraineeInput } from "./schema.ts";
import { loadOrderContext, loadOrderFacts } from "./group.ts";
import type { LineModule, OrderContext } from "./store.ts";
import { planTotals, type PlanItem, type Totals } from "./totals.ts";
import { lockPath, requirePathTransition, transitionPath } from "./transitions.ts";
import { rolesFor } from "../../core/auth/roles.ts";
import { moduleRows } from "../offer/views.ts";
import { orderLineRows, orderRows } from "../orders/views.ts";
import { accountRows } from "../../core/auth/accounts.ts";

export type { OrderConsumption } from "./consumption.ts";
export type { PathEvaluation } from "./evaluate.ts";
export { judgeStaleOrders, type OrderFinding } from "./stored-findings.ts";
export { type BrokenPath, judgeOrderChange, type ProposedOrder, type ProposedOrderLine } from "./order-change.ts";
export { transitionPath } from "./transitions.ts";
export type { ScheduledFigures } from "./evaluate.ts";
export { groupMax20InRoom, type RoomSlot } from "./rules.ts";

type Tx = Transaction<DB>;
const WRITERS = rolesFor("paths.write");

/**
 * Who may write a provider's trainees and paths: its administrative and pedagogical staff. Another
 * provider's object (`what`) answers as an unknown one, before the role (no existence leak).
 */
function requireWriter(actor: Actor, providerId: string, what: string) {
  requireVisible(actor, providerId, what);
  requireRole(actor, ...WRITERS);
}

/** The Region reads every order, provider staff their own; any other order answers 404 like an unknown one. */
function requireOrderReader(actor: Actor, ctx: OrderContext | undefined): asserts ctx is OrderContext {
  if (!ctx || (actor.role !== "region_officer" && !(isProviderStaff(actor) && actor.providerId === ctx.providerId))) throw notFound("Commande");
}

/** The order's context and its paths' realised minutes, read together, for an actor who may see the order. */
async function orderFactsFor(db: Db, actor: Actor, orderId: string) {
  const facts = await loadOrderFacts(db, orderId);
  requireOrderReader(actor, facts?.ctx);
  return facts!;
}

/** The order's consumption and compliance findings (CP-ORDER-FUNGIBLE, CP-KPI-ORGANISATION). */
export async function getOrderConsumption(db: Db, actor: Actor, orderId: string): Promise<OrderConsumption> {
  const { ctx, realised } = await orderFactsFor(db, actor, orderId);
  return orderConsumption(ctx, realised);
}

/**
 * The compliance findings of several orders from their stored judgement (the compliance board, docs/adr/0042):
 * an order whose inputs changed since is judged again first, so they are always those of a live judgement.
 * Any order the actor may not see answers 404 like an unknown one.
 */
export async function getOrdersFindings(db: Db, actor: Actor, orderIds: string[]): Promise<Map<string, OrderFinding[]>> {
  if (actor.role !== "region_officer" && !isProviderStaff(actor)) throw notFound("Commande");
  const found = await storedFindings(db, orderIds, actor.role === "region_officer" ? null : (actor.providerId ?? "00000000-0000-0000-0000-000000000000"));
  if (orderIds.some((id) => !found.has(id))) throw notFound("Commande");
  return found;
}

async function pathRow(db: Db, pathId: string) {
  return db.selectFrom("path").selectAll().where("id", "=", pathId).executeTakeFirst();
}

/** Loads a path the actor may see (provider staff: own provider; region: all); 404 otherwise. */
export async function loadPathForActor(db: Db, actor: Actor, pathId: string) {
  const path = await pathRow(db, pathId);
  if (!path) throw notFound("Parcours");
  if (actor.role !== "region_officer" && !(isProviderStaff(actor) && actor.providerId === path.provider_id)) throw notFound("Parcours");
  return path;
}

async function moduleFacts(db: Db | Tx, componentId: string) {
  return db.selectFrom(moduleRows().as("module")).select(["id", "title", "minutes", "modality", "content_tag"]).where("component_id", "=", componentId).orderBy("position").execute();
}

/** Turns the submitted items into plan items, refusing modules of another component. */
async function toPlanItems(db: Db | Tx, componentId: string, items: PlanInput["items"]): Promise<PlanItem[]> {
  return planItemsOf(await moduleFacts(db, componentId), items);
}

function planItemsOf(moduleList: LineModule[], items: PlanInput["items"]): PlanItem[] {
  const modules = new Map(moduleList.map((m) => [m.id, m]));
  return items.map((i) => {
    const m = i.moduleId ? modules.get(i.moduleId) : undefined;
    if (i.moduleId && !m) throw invalid("Un module choisi n'appartient pas à la composante du parcours.");
    return {
      moduleId: i.moduleId,
      label: m?.title ?? i.label ?? (i.modality === "company" ? "Période en entreprise" : "Séquence"),
      modality: i.modality,
      selfStudyLocation: i.modality === "self_study" ? (i.selfStudyLocation ?? "centre") : null,
      plannedMinutes: i.exempted ? 0 : i.plannedMinutes,
      exempted: i.exempted,
      exemptionReason: i.exempted ? (i.exemptionReason ?? null) : null,
      contentTag: m?.content_tag ?? null,
      moduleMinutes: m?.minutes ?? null,
    };
  });
}

function componentOfLine(ctx: OrderContext, orderLineId: string) {
  const line = ctx.lines.find((l) => l.id === orderLineId);
  if (!line) throw invalid("Cette composante n'appartient pas à la commande.");
  return line;
}

async function evaluateDraft(db: Db, ctx: OrderContext, draft: PlanDraft, forEntry: boolean, known?: Map<string, Totals>): Promise<PathEvaluation> {
  const realised = known ?? (await realisedByPath(db, ctx.paths.map((p) => p.id)));
  return evaluatePath(factsFor(ctx, realised, draft, forEntry));
}

/**
 * Re-judges `draft` under the order's lock, against what other writers committed meanwhile: the
 * order-wide limits (CP-ORDER-FUNGIBLE, self-study budgets) would otherwise race. Reads through `tx` only.
 */
async function judgeUnderOrderLock(tx: Tx, orderId: string, draft: PlanDraft, forEntry: boolean): Promise<PathEvaluation> {
  await tx.selectFrom(orderRows().as("order")).select("id").where("id", "=", orderId).forUpdate().execute();
  const { ctx, realised } = (await loadOrderFacts(tx, orderId))!;
  const evaluation = await evaluateDraft(tx, ctx, draft, forEntry, realised);
  if (errorsOf(evaluation.violations).length) throw DomainError.fromViolations(evaluation.violations);
  return evaluation;
}

/**
 * The schedule answers to the plan (docs/adr/0009): each path of a slot judged on what the schedule
 * would hold (evaluateSchedule). The caller holds the order's row lock, the lock every plan save
 * takes (judgeUnderOrderLock), so a slot and a readjustment — or two slots — never both pass on
 * stale figures. Paths not in the order are left to the caller's own checks. Reads through `tx` only.
 */
export async function judgeSchedule(tx: Tx, orderId: string, figures: Map<string, ScheduledFigures>): Promise<Violation[]> {
  const facts = await loadOrderFacts(tx, orderId);
  if (!facts) throw notFound("Commande");
  const { ctx } = facts;
  const index = indexOrder(ctx, facts.realised);
  return ctx.paths.flatMap((p) => {
    const f = figures.get(p.id);
    return f ? evaluateSchedule(factsWith(index, draftOf(p), false), f) : [];
  });
}

/** Registers a trainee on an order's component: identity + a draft path (CP-PERIODIC-ENTRY). */
export async function registerTrainee(
  db: Db,
  actor: Actor,
  input: RegistrationInput,
  /** Another domain's writes that must commit or fail with the registration (e.g. a candidacy's entry). */
  alsoInTransaction?: (tx: Tx, created: { traineeId: string; pathId: string }) => Promise<void>,
) {
  const line = await db
    .selectFrom(orderLineRows().as("ol"))
    .innerJoin(orderRows().as("o"), "o.id", "ol.order_id")
    .select(["ol.id", "ol.order_id", "o.provider_id"])
    .where("ol.id", "=", input.orderLineId)
    .executeTakeFirst();
  if (!line) throw notFound("Composante de commande");
  requireWriter(actor, line.provider_id, "Composante de commande");
  const ctx = (await loadOrderContext(db, line.order_id))!;
  if (!componentOfLine(ctx, input.orderLineId).siteIds.includes(input.siteId)) {
    throw new DomainError("CP-ORDER-FROM-OFFER", 422, "Ce site n'est pas prévu pour cette composante dans la commande (CP-ORDER-FROM-OFFER).");
  }
  await requireReferentOfProvider(db, input.pedagogicalReferentId, line.provider_id);
  const draft: PlanDraft = {
    pathId: null,
    orderLineId: input.orderLineId,
    siteId: input.siteId,
    status: "draft",
    entryDate: input.entryDate,
    plannedExitDate: input.plannedExitDate,
    items: [],
    positioningMinutes: null,
  };
  if (input.plannedExitDate < input.entryDate) throw invalid("La sortie prévue doit suivre l'entrée.");
  const order = factsFor(ctx, new Map(), draft, false).order;
  const dateErrors = errorsOf(check(rules.entryYearN(order, input.entryDate), rules.pathWithinOrder(order, input.entryDate, input.plannedExitDate)));
  if (dateErrors.length) throw DomainError.fromViolations(dateErrors);
  const warnings = check(rules.eligiblePublic(input.jobSeekerRegistered, "registration"));
  const traineeId = newId();
  const pathId = newId();
  await db.transaction().execute(async (tx) => {
    // Under the order's lock: a registration and the Region's close of the order never cross.
    const locked = await tx.selectFrom(orderRows().as("order")).select("status").where("id", "=", line.order_id).forUpdate().executeTakeFirstOrThrow();
    if (locked.status === "closed") throw new DomainError("ORDER_CLOSED", 409, "Cette commande est close : on n'y inscrit plus de stagiaire.");
    await tx.insertInto("trainee").values({ id: traineeId, provider_id: line.provider_id, ...traineeColumns(input) }).execute();
    await tx
      .insertInto("path")
      .values({
        id: pathId,
        trainee_id: traineeId,
        order_id: line.order_id,
        order_line_id: input.orderLineId,
        provider_id: line.provider_id,
        site_id: input.siteId,
        entry_date: input.entryDate,
        planned_exit_date: input.plannedExitDate,
      })
      .execute();
    await logTransition(tx, { entity: "path", entityId: pathId, from: null, to: "draft", actorId: actor.userId });
    await recordEvent(tx, "trainee.registered", { traineeId, pathId, orderId: line.order_id });
    await alsoInTransaction?.(tx, { traineeId, pathId });
  });
  return { traineeId, pathId, warnings };
}

function traineeColumns(input: TraineeInput) {
  return {
    first_name: input.firstName,
    last_name: input.lastName,
    birth_date: input.birthDate,
    email: input.email || null,
    phone: input.phone || null,
    france_travail_id: input.franceTravailId || null,
    job_seeker_registered: input.jobSeekerRegistered,
    pedagogical_referent_id: input.pedagogicalReferentId || null,
    cv_updated_on: input.cvUpdatedOn || null,
  };
}

async function requireReferentOfProvider(db: Db, referentId: string | undefined, providerId: string) {
  if (!referentId) return;
  const ok = await db.selectFrom(accountRows().as("app_user")).select("id").where("id", "=", referentId).where("provider_id", "=", providerId).where("role", "=", "pedagogical_referent").executeTakeFirst();
  if (!ok) throw invalid("Le référent pédagogique doit être un référent pédagogique de l'organisme.");
}

export async function updateTrainee(db: Db, actor: Actor, traineeId: string, input: TraineeInput) {
  const trainee = await db.selectFrom("trainee").select(["id", "provider_id"]).where("id", "=", traineeId).executeTakeFirst();
  if (!trainee) throw notFound("Stagiaire");
  requireWriter(actor, trainee.provider_id, "Stagiaire");
  await requireReferentOfProvider(db, input.pedagogicalReferentId, trainee.provider_id);
  await db.transaction().execute(async (tx) => {
    await tx.updateTable("trainee").set(traineeColumns(input)).where("id", "=", traineeId).execute();
    await audit(tx, { actorId: actor.userId, action: "trainee.updated", entity: "trainee", entityId: traineeId });
  });
}

/** CP-POSITIONING: the series of evaluations, its face-to-face restitution and the recommended deliverable. */
export async function recordPositioning(db: Db, actor: Actor, pathId: string, input: PositioningInput) {
  const path = await loadPathForActor(db, actor, pathId);
  requireWriter(actor, path.provider_id, "Parcours");
  const columns = {
    minutes: input.minutes,
    evaluations: input.evaluations,
    started_on: input.startedOn || null,
    restitution_on: input.restitutionOn || null,
    prior_learning: input.priorLearning || null,
    competences: input.competences || null,
    recommended_exemptions: input.recommendedExemptions || null,
    recommended_minutes: input.recommendedMinutes ?? null,
    recommended_methods: input.recommendedMethods || null,
    recommends_access_site: input.recommendsAccessSite ?? null,
    recorded_by: actor.userId,
  };
  // Positioning hours count in the path (planned and realised, §12.1) and its first day may be the
  // path's (CP-ENTRY-YEAR-N, §12.6): the whole path is re-judged with the positioning as stored — its
  // first day is the database's reading (positioning.first_day) — and a refusal rolls the write back.
  return db.transaction().execute(async (tx) => {
    await tx.selectFrom(orderRows().as("order")).select("id").where("id", "=", path.order_id).forUpdate().execute();
    const stored = await tx
      .insertInto("positioning")
      .values({ path_id: pathId, ...columns })
      .onConflict((oc) => oc.column("path_id").doUpdateSet(columns))
      .returning("first_day")
      .executeTakeFirstOrThrow();
    const row = (await loadOrderContext(tx, path.order_id))!.paths.find((p) => p.id === pathId)!;
    const evaluation = await judgeUnderOrderLock(tx, path.order_id, { ...draftOf(row), positioningMinutes: input.minutes, positioningFirstDay: stored.first_day }, false);
    await audit(tx, { actorId: actor.userId, action: "positioning.recorded", entity: "path", entityId: pathId, details: { minutes: input.minutes, firstDay: stored.first_day } });
    return evaluation;
  });
}

/** Live check of a plan being edited: nothing is written. */
export async function checkPlan(db: Db, actor: Actor, pathId: string, input: PlanInput): Promise<PathEvaluation> {
  // The path's order's facts and its lines' modules, keyed by the path: five statements sent together, one
  // round trip's wait, with no read of the path before them (issue 16). Nothing is shown before the access
  // check below: a path the actor may not see answers 404 like an unknown one.
  const facts = await loadOrderFacts(db, { pathId }, { modules: true });
  const row = facts?.ctx.paths.find((p) => p.id === pathId);
  // An order's paths are its provider's (registerTrainee): the order's provider is the path's.
  if (!facts || !row || !(actor.role === "region_officer" || (isProviderStaff(actor) && actor.providerId === facts.ctx.providerId))) throw notFound("Parcours");
  const { ctx, realised } = facts;
  const line = componentOfLine(ctx, row.orderLineId);
  const items = planItemsOf(line.modules ?? [], input.items);
  return evaluateDraft(db, ctx, { ...draftOf(row), siteId: input.siteId ?? row.siteId, entryDate: input.entryDate, plannedExitDate: input.plannedExitDate, items }, row.status !== "draft", realised);
}

/**
 * Saves the plan; refused when a hard rule breaks. After validation every change is a
 * readjustment with its reason and both versions (CP-PATH-READJUST).
 */
export async function savePlan(db: Db, actor: Actor, pathId: string, input: PlanInput): Promise<PathEvaluation> {
  const path = await loadPathForActor(db, actor, pathId);
  requireWriter(actor, path.provider_id, "Parcours");
  if (path.status === "closed" || path.status === "dropped") throw new DomainError("PATH_FINISHED", 409, "Ce parcours est terminé : il ne peut plus être modifié.");
  if (path.status === "validated" && !input.reason) {
    throw new DomainError("CP-PATH-READJUST", 422, "Le parcours est validé : indiquez le motif du réajustement (CP-PATH-READJUST, CCTP §3.2.1.3).", [
      { code: "CP-PATH-READJUST", severity: "error", article: "CCTP §3.2.1.3", message: "Motif du réajustement requis.", field: "reason" },
    ]);
  }
  const ctx = (await loadOrderContext(db, path.order_id))!;
  const line = componentOfLine(ctx, path.order_line_id);
  const siteId = input.siteId ?? path.site_id;
  if (!line.siteIds.includes(siteId)) throw new DomainError("CP-ORDER-FROM-OFFER", 422, "Ce site n'est pas prévu pour cette composante dans la commande (CP-ORDER-FROM-OFFER).");
  if (input.plannedExitDate < input.entryDate) throw invalid("La sortie prévue doit suivre l'entrée.");
  const row = ctx.paths.find((p) => p.id === pathId)!;
  const items = await toPlanItems(db, line.componentId, input.items);
  const draft: PlanDraft = { ...draftOf(row), siteId, entryDate: input.entryDate, plannedExitDate: input.plannedExitDate, items };
  // Judged once, under the order's lock: the order-wide limits count what others saved.
  return db.transaction().execute(async (tx) => {
    const evaluation = await judgeUnderOrderLock(tx, path.order_id, draft, row.status !== "draft");
    // The status read before the transaction still holds (an exit or a validation may have crossed).
    if ((await lockPath(tx, actor, pathId)).status !== row.status) throw changedMeanwhile("TRANSITION", "Le parcours");
    // CP-PATH-READJUST: never below what is already scheduled, read under the order's lock that slot writes take too.
    const scheduled = (await scheduledByPath(tx, [pathId])).get(pathId);
    const belowSchedule = scheduled ? rules.scheduleWithinPlan(planTotals(items, row.positioning?.minutes ?? null), scheduled, "readjust") : [];
    if (belowSchedule.length) throw DomainError.fromViolations(belowSchedule);
    if (path.status === "validated") {
      await tx
        .insertInto("path_adjustment")
        .values({
          id: newId(),
          path_id: pathId,
          reason: input.reason!,
          before: JSON.stringify({ entryDate: row.entryDate, plannedExitDate: row.plannedExitDate, siteId: row.siteId, items: row.items }),
          after: JSON.stringify({ entryDate: input.entryDate, plannedExitDate: input.plannedExitDate, siteId, items }),
          adjusted_by: actor.userId,
        })
        .execute();
    }
    await tx.deleteFrom("path_item").where("path_id", "=", pathId).execute();
    if (items.length) {
      await tx
        .insertInto("path_item")
        .values(
          items.map((i, position) => ({
            id: newId(),
            path_id: pathId,
            module_id: i.moduleId,
            label: i.label,
            modality: i.modality,
            self_study_location: i.selfStudyLocation,
            planned_minutes: i.plannedMinutes,
            exempted: i.exempted,
            exemption_reason: i.exemptionReason ?? null,
            position,
          })),
        )
        .execute();
    }
    await tx.updateTable("path").set({ entry_date: input.entryDate, planned_exit_date: input.plannedExitDate, site_id: siteId, updated_at: new Date() }).where("id", "=", pathId).execute();
    await recordEvent(tx, path.status === "validated" ? "path.readjusted" : "path.planned", { pathId });
    return evaluation;
  });
}

/** Entry: the path becomes validated once every entry rule holds (CP-POSITIONING, CP-REFERENTS, CP-ELIGIBLE-PUBLIC). */
export async function validatePath(db: Db, actor: Actor, pathId: string): Promise<PathEvaluation> {
  const path = await loadPathForActor(db, actor, pathId);
  requireWriter(actor, path.provider_id, "Parcours");
  requirePathTransition(path, actor, "validated");
  const ctx = (await loadOrderContext(db, path.order_id))!;
  const evaluation = await entryEvaluation(db, ctx, pathId);
  if (errorsOf(evaluation.violations).length) throw DomainError.fromViolations(evaluation.violations);
  await db.transaction().execute(async (tx) => {
    // Judged again under the order's lock, on the path as it stands now, then moved by the table.
    await tx.selectFrom(orderRows().as("order")).select("id").where("id", "=", path.order_id).forUpdate().execute();
    const locked = await entryEvaluation(tx, (await loadOrderContext(tx, path.order_id))!, pathId);
    if (errorsOf(locked.violations).length) throw DomainError.fromViolations(locked.violations);
    await transitionPath(tx, actor, pathId, "validated");
    await recordEvent(tx, "path.validated", { pathId });
  });
  return evaluation;
}

/** The saved path judged for entry, with CP-MODULAR: at least one module followed. */
async function entryEvaluation(db: Db, ctx: OrderContext, pathId: string): Promise<PathEvaluation> {
  const row = ctx.paths.find((p) => p.id === pathId);
  if (!row) throw notFound("Parcours");
  const evaluation = await evaluateDraft(db, ctx, draftOf(row), true);
  if (row.items.every((i) => i.exempted || i.plannedMinutes === 0)) {
    evaluation.violations.unshift({ code: "CP-MODULAR", severity: "error", article: "CCTP §3.2.1.1", message: "Le parcours ne comporte aucun module suivi : construisez-le avant de le valider.", field: "items" });
  }
  return evaluation;
}

export interface PathExitInput {
  status: "closed" | "dropped";
  actualExitDate: string;
  reason?: string;
  /** The kind of exit, when the exit domain records it (checked against the status by PATH_TRANSITIONS). */
  exitReason?: ExitReason;
}

/**
 * Exit (closed) or drop-out (dropped) through the path's table, the row locked, in the caller's
 * transaction (the exit domain records its reason, follow-ups and notices in the same one): two exits
 * at once end with one. The trainee's e-mail on file is judged by the table (CP-SURVEY-NOTICE).
 * Unused hours return to the order (§12.5); an unsettled deposit warns. Returns the warnings and the
 * e-mail address the exit was judged with.
 */
export async function exitPathInTx(tx: Tx, actor: Actor, pathId: string, input: PathExitInput): Promise<{ warnings: Violation[]; traineeEmail: string | null }> {
  const reason = input.reason?.trim() || null;
  const trainee = await tx.selectFrom("path").innerJoin("trainee", "trainee.id", "path.trainee_id").select("trainee.email").where("path.id", "=", pathId).executeTakeFirst();
  const traineeEmail = trainee?.email ?? null;
  await transitionPath(tx, actor, pathId, input.status, {
    facts: { actualExitDate: input.actualExitDate, reason, exitReason: input.exitReason, traineeEmail },
    reason,
    changes: { actual_exit_date: input.actualExitDate },
  });
  await recordEvent(tx, input.status === "closed" ? "path.closed" : "path.dropped", { pathId });
  const unsettled = await tx.selectFrom("deposit").select((eb) => eb.fn.countAll<number>().as("n")).where("path_id", "=", pathId).where("refunded_on", "is", null).where("kept_reason", "is", null).executeTakeFirstOrThrow();
  return { warnings: check(rules.depositSettledAtExit(Number(unsettled.n))), traineeEmail };
}

/** The exit on its own (API of the paths domain; the exit domain's exitTrainee adds the reason, follow-ups and notices). */
export async function exitPath(db: Db, actor: Actor, pathId: string, input: PathExitInput) {
  const path = await loadPathForActor(db, actor, pathId);
  requireWriter(actor, path.provider_id, "Parcours");
  return db.transaction().execute(async (tx) => (await exitPathInTx(tx, actor, pathId, input)).warnings);
}

/** Checks, before a transaction, that the actor may write this path (the exit domain's commands). */
export async function requirePathWriter(db: Db, actor: Actor, pathId: string) {
  const path = await loadPathForActor(db, actor, pathId);
  requireWriter(actor, path.provider_id, "Parcours");
  return path;
}

/** CP-DEPOSIT-MAX-200 / CP-FREE-OF-CHARGE: a refundable deposit for lent material, 200 € at most per path. */
export async function recordDeposit(db: Db, actor: Actor, clock: Clock, pathId: string, input: { amountCents: number; material: string; takenOn: string }) {
  const path = await loadPathForActor(db, actor, pathId);
  requireWriter(actor, path.provider_id, "Parcours");
  const id = newId();
  await db.transaction().execute(async (tx) => {
    await tx.selectFrom("path").select("id").where("id", "=", pathId).forUpdate().execute();
    const held = await tx.selectFrom("deposit").select((eb) => eb.fn.coalesce(eb.fn.sum<number>("amount_cents"), eb.lit(0)).as("cents")).where("path_id", "=", pathId).where("refunded_on", "is", null).executeTakeFirstOrThrow();
    const violations = check(rules.depositIsForMaterial(input.material), rules.depositMax200(Number(held.cents), input.amountCents));
    if (violations.length) throw DomainError.fromViolations(violations);
    await tx.insertInto("deposit").values({ id, path_id: pathId, amount_cents: input.amountCents, material: input.material.trim(), taken_on: input.takenOn, recorded_by: actor.userId }).execute();
    await audit(tx, { actorId: actor.userId, action: "deposit.recorded", entity: "path", entityId: pathId, details: { amountCents: input.amountCents, at: clock.now().toISOString() } });
  });
  return id;
}

export async function settleDeposit(db: Db, actor: Actor, depositId: string, input: { refundedOn?: string; keptReason?: string }) {
  const deposit = await db.selectFrom("deposit").selectAll().where("id", "=", depositId).executeTakeFirst();
  if (!deposit) throw notFound("Caution");
  const path = await notFoundAs("Caution", loadPathForActor(db, actor, deposit.path_id)); // as if unknown
  requireWriter(actor, path.provider_id, "Caution");
  if (deposit.refunded_on || deposit.kept_reason) throw new DomainError("DEPOSIT_SETTLED", 409, "Cette caution est déjà restituée ou retenue.");
  if (!input.refundedOn && !input.keptReason) throw invalid("Indiquez la date de restitution ou le motif de retenue.");
  await db.transaction().execute(async (tx) => {
    await tx.updateTable("deposit").set({ refunded_on: input.refundedOn ?? null, kept_reason: input.refundedOn ? null : (input.keptReason ?? null) }).where("id", "=", depositId).execute();
    await audit(tx, { actorId: actor.userId, action: input.refundedOn ? "deposit.refunded" : "deposit.kept", entity: "path", entityId: deposit.path_id, details: input });
  });
}

/** The saved path judged as it stands (entry rules included once validated). */
export async function evaluateSavedPath(db: Db, actor: Actor, pathId: string): Promise<PathEvaluation> {
  const path = await loadPathForActor(db, actor, pathId);
  const ctx = (await loadOrderContext(db, path.order_id))!;
  const row = ctx.paths.find((p) => p.id === pathId)!;
  return evaluateDraft(db, ctx, draftOf(row), row.status !== "draft");
}

export const canWritePaths = (actor: Actor, providerId: string) =>
  (actor.role === "provider_admin" || actor.role === "pedagogical_referent") && actor.providerId === providerId;

/**
 * An order's paths as table rows (the order page's « full table is an export »): trainee, component, status,
 * dates, planned and realised minutes (positioning included, as the order's consumption counts them).
 */
export async function orderPathRows(db: Db, actor: Actor, orderId: string) {
  const { ctx, realised } = await orderFactsFor(db, actor, orderId);
  const titles = new Map(ctx.lines.map((l) => [l.id, l.componentTitle]));
  return {
    number: ctx.number,
    rows: [...ctx.paths]
      .sort((a, b) => a.traineeName.localeCompare(b.traineeName, "fr") || a.id.localeCompare(b.id))
      .map((p) => ({
        pathId: p.id,
        traineeName: p.traineeName,
        component: titles.get(p.orderLineId) ?? "",
        status: p.status,
        entryDate: p.entryDate,
        plannedExitDate: p.plannedExitDate,
        actualExitDate: p.actualExitDate,
        plannedMinutes: planTotals(p.items, p.positioning?.minutes ?? null).total,
        realisedMinutes: realised.get(p.id)?.total ?? 0,
      })),
  };
}

/**
 * For e-formation's checkpoint (CP-EFORM-CHECKPOINT-15D): a postponed session moves the entry and planned
 * exit dates of its open paths (draft or validated) by `days`, in the caller's transaction, with an adjustment recorded.
 */
export async function shiftPathDates(tx: Tx, pathIds: string[], days: number, reason: string, actorId: string, now: Date): Promise<number> {
  if (pathIds.length === 0 || days === 0) return 0;
  const paths = await tx.selectFrom("path").select(["id", "entry_date", "planned_exit_date"]).where("id", "in", pathIds).where("status", "in", ["draft", "validated"]).forUpdate().execute();
  for (const p of paths) {
    const after = { entryDate: addDays(p.entry_date, days), plannedExitDate: addDays(p.planned_exit_date, days) };
    await tx.updateTable("path").set({ entry_date: after.entryDate, planned_exit_date: after.plannedExitDate, updated_at: now }).where("id", "=", p.id).execute();
    await tx
      .insertInto("path_adjustment")
      .values({ id: newId(), path_id: p.id, reason, before: JSON.stringify({ entryDate: p.entry_date, plannedExitDate: p.planned_exit_date }), after: JSON.stringify(after), adjusted_by: actorId, adjusted_at: now })
      .execute();
  }
  return paths.length;
}
export { pagePaths, PathListQuery } from "./queries.ts";
