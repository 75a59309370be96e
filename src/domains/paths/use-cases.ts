// Trainees, positioning and individual paths: validate → load → rules → write (+ outbox), one transaction each.
import type { Actor } from "../../core/auth/actor.ts";
import { isProviderStaff, requireProviderAccess, requireRole } from "../../core/auth/actor.ts";
import type { Db } from "../../core/db/index.ts";
import type { Transaction } from "kysely";
import type { DB } from "../../core/db/schema.ts";
import { DomainError, invalid, notFound } from "../../core/errors.ts";
import { audit, emit, logTransition } from "../../core/outbox.ts";
import { check, errorsOf } from "../../core/rules.ts";
import { newId, type Clock } from "../../core/time.ts";
import { draftOf, factsFor, orderConsumption, type OrderConsumption, type PlanDraft } from "./consumption.ts";
import { evaluatePath, type PathEvaluation } from "./evaluate.ts";
import { realisedByPath } from "./realised.ts";
import * as rules from "./rules.ts";
import type { PlanInput, PositioningInput, RegistrationInput, TraineeInput } from "./schema.ts";
import { loadOrderContext, type OrderContext } from "./store.ts";
import type { PlanItem } from "./totals.ts";

export type { OrderConsumption } from "./consumption.ts";
export type { PathEvaluation } from "./evaluate.ts";

type Tx = Transaction<DB>;
const WRITERS = ["provider_admin", "pedagogical_referent"] as const;

/** Who may write a provider's trainees and paths: its administrative and pedagogical staff. */
function requireWriter(actor: Actor, providerId: string) {
  requireRole(actor, ...WRITERS);
  requireProviderAccess(actor, providerId);
}

async function orderContextFor(db: Db, actor: Actor, orderId: string): Promise<OrderContext> {
  const ctx = await loadOrderContext(db, orderId);
  if (!ctx) throw notFound("Commande");
  if (actor.role !== "region_officer" && !(isProviderStaff(actor) && actor.providerId === ctx.providerId)) throw notFound("Commande");
  return ctx;
}

/** The order's consumption and compliance findings (CP-ORDER-FUNGIBLE, CP-KPI-ORGANISATION). */
export async function getOrderConsumption(db: Db, actor: Actor, orderId: string): Promise<OrderConsumption> {
  const ctx = await orderContextFor(db, actor, orderId);
  return orderConsumption(ctx, await realisedByPath(db, ctx.paths.map((p) => p.id)));
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
  return db.selectFrom("module").select(["id", "title", "minutes", "modality", "content_tag"]).where("component_id", "=", componentId).orderBy("position").execute();
}

/** Turns the submitted items into plan items, refusing modules of another component. */
async function toPlanItems(db: Db | Tx, componentId: string, items: PlanInput["items"]): Promise<PlanItem[]> {
  const modules = new Map((await moduleFacts(db, componentId)).map((m) => [m.id, m]));
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

async function evaluateDraft(db: Db, ctx: OrderContext, draft: PlanDraft, forEntry: boolean): Promise<PathEvaluation> {
  const realised = await realisedByPath(db, ctx.paths.map((p) => p.id));
  return evaluatePath(factsFor(ctx, realised, draft, forEntry));
}

/**
 * Re-judges `draft` under the order's lock, against what other writers committed meanwhile: the
 * order-wide limits (CP-ORDER-FUNGIBLE, self-study budgets) would otherwise race. Reads through `tx` only.
 */
async function judgeUnderOrderLock(tx: Tx, orderId: string, draft: PlanDraft, forEntry: boolean): Promise<PathEvaluation> {
  await tx.selectFrom("order").select("id").where("id", "=", orderId).forUpdate().execute();
  const evaluation = await evaluateDraft(tx, (await loadOrderContext(tx, orderId))!, draft, forEntry);
  if (errorsOf(evaluation.violations).length) throw DomainError.fromViolations(evaluation.violations);
  return evaluation;
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
    .selectFrom("order_line as ol")
    .innerJoin("order as o", "o.id", "ol.order_id")
    .select(["ol.id", "ol.order_id", "o.provider_id"])
    .where("ol.id", "=", input.orderLineId)
    .executeTakeFirst();
  if (!line) throw notFound("Composante de commande");
  requireWriter(actor, line.provider_id);
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
    const locked = await tx.selectFrom("order").select("status").where("id", "=", line.order_id).forUpdate().executeTakeFirstOrThrow();
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
    await emit(tx, "trainee.registered", { traineeId, pathId, orderId: line.order_id });
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
  const ok = await db.selectFrom("app_user").select("id").where("id", "=", referentId).where("provider_id", "=", providerId).where("role", "=", "pedagogical_referent").executeTakeFirst();
  if (!ok) throw invalid("Le référent pédagogique doit être un référent pédagogique de l'organisme.");
}

export async function updateTrainee(db: Db, actor: Actor, traineeId: string, input: TraineeInput) {
  const trainee = await db.selectFrom("trainee").select(["id", "provider_id"]).where("id", "=", traineeId).executeTakeFirst();
  if (!trainee) throw notFound("Stagiaire");
  requireWriter(actor, trainee.provider_id);
  await requireReferentOfProvider(db, input.pedagogicalReferentId, trainee.provider_id);
  await db.transaction().execute(async (tx) => {
    await tx.updateTable("trainee").set(traineeColumns(input)).where("id", "=", traineeId).execute();
    await audit(tx, { actorId: actor.userId, action: "trainee.updated", entity: "trainee", entityId: traineeId });
  });
}

/** CP-POSITIONING: the series of evaluations, its face-to-face restitution and the recommended deliverable. */
export async function recordPositioning(db: Db, actor: Actor, pathId: string, input: PositioningInput) {
  const path = await loadPathForActor(db, actor, pathId);
  requireWriter(actor, path.provider_id);
  const columns = {
    minutes: input.minutes,
    evaluations: input.evaluations,
    restitution_on: input.restitutionOn || null,
    prior_learning: input.priorLearning || null,
    competences: input.competences || null,
    recommended_exemptions: input.recommendedExemptions || null,
    recommended_minutes: input.recommendedMinutes ?? null,
    recommended_methods: input.recommendedMethods || null,
    recommends_access_site: input.recommendsAccessSite ?? null,
    recorded_by: actor.userId,
  };
  // Positioning hours count in the path: the whole path is re-checked with the new duration.
  const ctx = (await loadOrderContext(db, path.order_id))!;
  const row = ctx.paths.find((p) => p.id === pathId)!;
  const evaluation = await evaluateDraft(db, ctx, { ...draftOf(row), positioningMinutes: input.minutes }, false);
  const errors = errorsOf(evaluation.violations);
  if (errors.length) throw DomainError.fromViolations(errors);
  await db.transaction().execute(async (tx) => {
    await judgeUnderOrderLock(tx, path.order_id, { ...draftOf(row), positioningMinutes: input.minutes }, false);
    await tx.insertInto("positioning").values({ path_id: pathId, ...columns }).onConflict((oc) => oc.column("path_id").doUpdateSet(columns)).execute();
    await audit(tx, { actorId: actor.userId, action: "positioning.recorded", entity: "path", entityId: pathId, details: { minutes: input.minutes } });
  });
  return evaluation;
}

/** Live check of a plan being edited: nothing is written. */
export async function checkPlan(db: Db, actor: Actor, pathId: string, input: PlanInput): Promise<PathEvaluation> {
  const path = await loadPathForActor(db, actor, pathId);
  const ctx = (await loadOrderContext(db, path.order_id))!;
  const line = componentOfLine(ctx, path.order_line_id);
  const row = ctx.paths.find((p) => p.id === pathId)!;
  const items = await toPlanItems(db, line.componentId, input.items);
  return evaluateDraft(db, ctx, { ...draftOf(row), siteId: input.siteId ?? row.siteId, entryDate: input.entryDate, plannedExitDate: input.plannedExitDate, items }, row.status !== "draft");
}

/**
 * Saves the plan; refused when a hard rule breaks. After validation every change is a
 * readjustment with its reason and both versions (CP-PATH-READJUST).
 */
export async function savePlan(db: Db, actor: Actor, pathId: string, input: PlanInput): Promise<PathEvaluation> {
  const path = await loadPathForActor(db, actor, pathId);
  requireWriter(actor, path.provider_id);
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
    await emit(tx, path.status === "validated" ? "path.readjusted" : "path.planned", { pathId });
    return evaluation;
  });
}

/** Entry: the path becomes validated once every entry rule holds (CP-POSITIONING, CP-REFERENTS, CP-ELIGIBLE-PUBLIC). */
export async function validatePath(db: Db, actor: Actor, pathId: string): Promise<PathEvaluation> {
  const path = await loadPathForActor(db, actor, pathId);
  requireWriter(actor, path.provider_id);
  if (path.status !== "draft") throw new DomainError("TRANSITION", 409, "Seul un parcours en brouillon peut être validé.");
  const ctx = (await loadOrderContext(db, path.order_id))!;
  const row = ctx.paths.find((p) => p.id === pathId)!;
  const evaluation = await evaluateDraft(db, ctx, draftOf(row), true);
  if (row.items.every((i) => i.exempted || i.plannedMinutes === 0)) {
    evaluation.violations.unshift({ code: "CP-MODULAR", severity: "error", article: "CCTP §3.2.1.1", message: "Le parcours ne comporte aucun module suivi : construisez-le avant de le valider.", field: "items" });
  }
  if (errorsOf(evaluation.violations).length) throw DomainError.fromViolations(evaluation.violations);
  await db.transaction().execute(async (tx) => {
    await judgeUnderOrderLock(tx, path.order_id, draftOf(row), true);
    const updated = await tx.updateTable("path").set({ status: "validated", updated_at: new Date() }).where("id", "=", pathId).where("status", "=", "draft").executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) throw new DomainError("TRANSITION", 409, "Le parcours a changé entre-temps : rechargez la page.");
    await logTransition(tx, { entity: "path", entityId: pathId, from: "draft", to: "validated", actorId: actor.userId });
    await emit(tx, "path.validated", { pathId });
  });
  return evaluation;
}

/** Exit (closed) or drop-out (dropped): unused hours return to the order (§12.5). */
export async function exitPath(db: Db, actor: Actor, pathId: string, input: { status: "closed" | "dropped"; actualExitDate: string; reason?: string }) {
  const path = await loadPathForActor(db, actor, pathId);
  requireWriter(actor, path.provider_id);
  const allowed = input.status === "closed" ? ["validated"] : ["draft", "validated"];
  if (!allowed.includes(path.status)) throw new DomainError("TRANSITION", 409, input.status === "closed" ? "Seul un parcours validé peut être clôturé." : "Ce parcours est déjà terminé.");
  if (input.actualExitDate < path.entry_date) throw invalid("La date de sortie précède l'entrée.");
  if (input.status === "dropped" && !input.reason) throw invalid("Indiquez le motif de l'abandon.");
  const unsettled = await db.selectFrom("deposit").select((eb) => eb.fn.countAll<number>().as("n")).where("path_id", "=", pathId).where("refunded_on", "is", null).where("kept_reason", "is", null).executeTakeFirstOrThrow();
  await db.transaction().execute(async (tx) => {
    await tx.updateTable("path").set({ status: input.status, actual_exit_date: input.actualExitDate, updated_at: new Date() }).where("id", "=", pathId).execute();
    await logTransition(tx, { entity: "path", entityId: pathId, from: path.status, to: input.status, reason: input.reason, actorId: actor.userId });
    await emit(tx, input.status === "closed" ? "path.closed" : "path.dropped", { pathId });
  });
  return check(rules.depositSettledAtExit(Number(unsettled.n)));
}

/** CP-DEPOSIT-MAX-200 / CP-FREE-OF-CHARGE: a refundable deposit for lent material, 200 € at most per path. */
export async function recordDeposit(db: Db, actor: Actor, clock: Clock, pathId: string, input: { amountCents: number; material: string; takenOn: string }) {
  const path = await loadPathForActor(db, actor, pathId);
  requireWriter(actor, path.provider_id);
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
  const path = await loadPathForActor(db, actor, deposit.path_id);
  requireWriter(actor, path.provider_id);
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
