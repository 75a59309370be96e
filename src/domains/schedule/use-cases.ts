// The schedule: slots, site closures, the trainee's schedule. validate → load → rules → write
// (+ outbox), one transaction each. Other domains read slots through getSlot / slotsOfPath.
import type { Transaction } from "kysely";
import type { Actor } from "../../core/auth/actor.ts";
import { isProviderStaff, requireProviderAccess, requireRole } from "../../core/auth/actor.ts";
import type { Db } from "../../core/db/index.ts";
import type { DB } from "../../core/db/schema.ts";
import { DomainError, notFound } from "../../core/errors.ts";
import { audit, emit } from "../../core/outbox.ts";
import { check, errorsOf, type Violation, warningsOf } from "../../core/rules.ts";
import { addDays, newId } from "../../core/time.ts";
import { minutesOfDay, mondayOf, parisInstant, slotMinutes } from "./calendar.ts";
import * as rules from "./rules.ts";
import type { CancelInput, ClosureInput, SlotFields, SlotInput } from "./schema.ts";
import { activeSlotsOfPaths, closuresAdjacent, closuresOf, findSlots, loadLine, lockTrainer, pathFacts, type SlotFilter, type SlotView, siteOf, staffOf, trainerBookings } from "./store.ts";

export type { SlotTrainee, SlotView } from "./store.ts";
export { generateSlots, type GenerateResult } from "./generate.ts";
export { calendarFeed, issueCalendarToken, mySchedule } from "./trainee.ts";

type Tx = Transaction<DB>;
const WRITERS = ["provider_admin", "pedagogical_referent"] as const;

/** Who may write a provider's schedule: its administrative and pedagogical staff. */
export function requireScheduleWriter(actor: Actor, providerId: string) {
  requireRole(actor, ...WRITERS);
  requireProviderAccess(actor, providerId);
}
export const canWriteSchedule = (actor: Actor) => (WRITERS as readonly string[]).includes(actor.role);

/** One slot with module, trainees (path ids, names), site and trainer; unscoped (callers scope). */
export async function getSlot(db: Db, slotId: string): Promise<SlotView | undefined> {
  return (await findSlots(db, { ids: [slotId] }))[0];
}

/** Every slot of a path (any status), in time order; unscoped (callers scope). */
export async function slotsOfPath(db: Db, pathId: string): Promise<SlotView[]> {
  return findSlots(db, { pathIds: [pathId] });
}

/** A slot the actor may see: the Region all, provider staff their provider's, a trainee their own. */
export async function getSlotForActor(db: Db, actor: Actor, slotId: string): Promise<SlotView> {
  const slot = await getSlot(db, slotId);
  if (!slot || !mayRead(actor, slot)) throw notFound("Créneau");
  return slot;
}

function mayRead(actor: Actor, slot: SlotView) {
  if (actor.role === "region_officer") return true;
  if (isProviderStaff(actor)) return actor.providerId === slot.providerId;
  if (actor.role === "trainee") return slot.trainees.some((t) => t.traineeId === actor.traineeId);
  return false;
}

/** Slots visible to the actor between two dates, optionally for one site or trainer. */
export async function listSlots(db: Db, actor: Actor, f: { from: string; to: string; siteId?: string; trainerId?: string }): Promise<SlotView[]> {
  const filter: SlotFilter = { ...f };
  if (actor.role !== "region_officer") {
    if (!isProviderStaff(actor) || !actor.providerId) throw new DomainError("FORBIDDEN", 403, "Le planning est réservé aux organismes et à la Région.");
    filter.providerId = actor.providerId;
  }
  return findSlots(db, filter);
}

/** The warnings a slot carries now (CP-NO-INTERRUPTION). */
export const slotWarnings = (s: SlotView): Violation[] =>
  check(rules.noInterruption({ date: s.date, cancelled_for_trainer_absence: s.cancelledForTrainerAbsence, replacement_trainer_id: s.replacementTrainerId }));

/**
 * Every rule a slot must meet, judged inside the writing transaction with its lead trainer, then its
 * trainees' paths, locked (always in that order), so two writers cannot both fill the same week or
 * book the same trainer twice. `leadTrainerId` is who leads the slot (the replacement recorded for an
 * absence, else `s.trainerId`). Errors are thrown; warnings returned.
 */
export async function judgeSlot(tx: Tx, providerId: string, orderLineId: string, s: SlotFields, excludeSlotId?: string, leadTrainerId: string | undefined = s.trainerId): Promise<Violation[]> {
  const line = await loadLine(tx, orderLineId);
  if (!line || line.provider_id !== providerId) throw notFound("Composante de commande");
  const v: Violation[] = [];
  const fail = (code: string, message: string, field: string) => v.push({ code, severity: "error", message, article: "", field });
  if (s.moduleId) {
    const m = await tx.selectFrom("module").select("id").where("id", "=", s.moduleId).where("component_id", "=", line.component_id).executeTakeFirst();
    if (!m) fail("VALIDATION", "Ce module n'appartient pas à la composante.", "moduleId");
  }
  const needsSite = s.modality === "centre" || s.modality === "gathering" || (s.modality === "self_study" && s.selfStudyLocation === "centre");
  if (s.siteId && !line.siteIds.includes(s.siteId)) fail("CP-ORDER-FROM-OFFER", "Ce site n'est pas prévu pour cette composante dans la commande (CP-ORDER-FROM-OFFER).", "siteId");
  if (!s.siteId && needsSite) fail("VALIDATION", "Choisissez le site où se tient le créneau.", "siteId");
  const staff = s.trainerId || leadTrainerId ? await staffOf(tx, providerId) : [];
  if (s.trainerId && !staff.some((u) => u.id === s.trainerId)) fail("VALIDATION", "Le formateur ou la formatrice doit faire partie de l'organisme.", "trainerId");
  v.push(...check(rules.publicHoliday(s.date, s.holidayOverride), rules.selfStudyDefined(s)));
  if (s.siteId) v.push(...check(rules.notOnClosedSite(s.date, await closuresOf(tx, [s.siteId], s.date, s.date))));
  if (leadTrainerId) {
    // SCHEDULE-TRAINER-OVERLAP: the trainer's row locked before the paths', then their day read.
    await lockTrainer(tx, leadTrainerId);
    const booked = await trainerBookings(tx, providerId, leadTrainerId, s.date, s.date, excludeSlotId);
    const name = staff.find((u) => u.id === leadTrainerId)?.full_name ?? "Le formateur ou la formatrice";
    v.push(...check(rules.trainerFree(name, { startsAt: parisInstant(s.date, s.startTime), endsAt: parisInstant(s.date, s.endTime) }, booked)));
  }
  // CP-COMPANY hours need a signed internship agreement (CP-INTERNSHIP-AGREEMENT): agreements are
  // built later (issue of company periods); until then company slots are only held to the 35 h week.
  const paths = await pathFacts(tx, [...new Set(s.pathIds)], true);
  if (paths.length !== new Set(s.pathIds).size) throw notFound("Parcours");
  const monday = mondayOf(s.date);
  const others = await activeSlotsOfPaths(tx, paths.map((p) => p.id), monday, addDays(monday, 6), excludeSlotId);
  const start = minutesOfDay(s.startTime);
  const end = minutesOfDay(s.endTime);
  const minutes = end - start;
  for (const p of paths) {
    v.push(...check(rules.traineeOnLine(p, orderLineId), rules.withinPath(p, s.date)));
    const mine = others.filter((o) => o.path_id === p.id);
    v.push(...check(rules.noOverlap(p.name, s.date, mine.find((o) => o.slot_date === s.date && minutesOfDay(o.start_time) < end && start < minutesOfDay(o.end_time)))));
    const company = mine.filter((o) => o.modality === "company").reduce((n, o) => n + slotMinutes(o.start_time, o.end_time), 0) + (s.modality === "company" ? minutes : 0);
    const total = mine.reduce((n, o) => n + slotMinutes(o.start_time, o.end_time), 0) + minutes;
    v.push(...rules.weeklyLegal({ monday, trainee: p.name, company, total }));
  }
  if (errorsOf(v).length) throw DomainError.fromViolations(v);
  return warningsOf(v);
}

const slotColumns = (s: SlotFields) => ({
  module_id: s.moduleId || null,
  site_id: s.siteId || null,
  slot_date: s.date,
  start_time: s.startTime,
  end_time: s.endTime,
  starts_at: parisInstant(s.date, s.startTime),
  ends_at: parisInstant(s.date, s.endTime),
  modality: s.modality,
  self_study_location: s.modality === "self_study" ? (s.selfStudyLocation ?? null) : null,
  trainer_id: s.trainerId || null,
  place: s.place || null,
  virtual_room_url: s.virtualRoomUrl || null,
  objectives: s.objectives || null,
  deliverables: s.deliverables || null,
  resources: s.resources || null,
  holiday_override: s.holidayOverride,
});

/** Inserts a slot already judged, with its trainees. */
export async function insertSlot(tx: Tx, providerId: string, orderLineId: string, s: SlotFields): Promise<string> {
  const id = newId();
  await tx.insertInto("slot").values({ id, provider_id: providerId, order_line_id: orderLineId, ...slotColumns(s) }).execute();
  await tx.insertInto("slot_trainee").values([...new Set(s.pathIds)].map((path_id) => ({ slot_id: id, path_id }))).execute();
  return id;
}

/** Creates a slot for a group (several paths of one order line) or one trainee. */
export async function createSlot(db: Db, actor: Actor, input: SlotInput): Promise<{ id: string; warnings: Violation[] }> {
  const line = await loadLine(db, input.orderLineId);
  if (!line) throw notFound("Composante de commande");
  requireScheduleWriter(actor, line.provider_id);
  return db.transaction().execute(async (tx) => {
    const warnings = await judgeSlot(tx, line.provider_id, input.orderLineId, input);
    const id = await insertSlot(tx, line.provider_id, input.orderLineId, input);
    await emit(tx, "slot.created", { slotId: id, orderLineId: input.orderLineId });
    return { id, warnings };
  });
}

async function slotForWrite(tx: Tx, actor: Actor, slotId: string) {
  const row = await tx.selectFrom("slot").selectAll().where("id", "=", slotId).forUpdate().executeTakeFirst();
  if (!row || !(actor.role === "region_officer" || (isProviderStaff(actor) && actor.providerId === row.provider_id))) throw notFound("Créneau");
  requireScheduleWriter(actor, row.provider_id);
  return row;
}

const notPlanned = (status: string) =>
  new DomainError("SLOT-NOT-PLANNED", 409, status === "cancelled" ? "Ce créneau est annulé : il ne peut plus être modifié." : "L'émargement de ce créneau est ouvert ou clos : il ne peut plus être modifié.");

/** Edits a planned slot by hand (every rule judged again, the slot itself left out of the week). */
export async function updateSlot(db: Db, actor: Actor, slotId: string, input: SlotFields): Promise<{ warnings: Violation[] }> {
  return db.transaction().execute(async (tx) => {
    const row = await slotForWrite(tx, actor, slotId);
    if (row.status !== "planned") throw notPlanned(row.status);
    // A replacement recorded for an absence keeps leading the slot (slotColumns leaves it as is).
    const warnings = await judgeSlot(tx, row.provider_id, row.order_line_id, input, slotId, row.replacement_trainer_id ?? input.trainerId);
    await tx.updateTable("slot").set(slotColumns(input)).where("id", "=", slotId).execute();
    await tx.deleteFrom("slot_trainee").where("slot_id", "=", slotId).execute();
    await tx.insertInto("slot_trainee").values([...new Set(input.pathIds)].map((path_id) => ({ slot_id: slotId, path_id }))).execute();
    await emit(tx, "slot.updated", { slotId });
    return { warnings };
  });
}

/** Deletes a planned slot nobody signed (a slot with attendance is cancelled instead). */
export async function deleteSlot(db: Db, actor: Actor, slotId: string): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const row = await slotForWrite(tx, actor, slotId);
    if (row.status !== "planned") throw notPlanned(row.status);
    const signed = await tx.selectFrom("attendance").select("id").where("slot_id", "=", slotId).executeTakeFirst();
    if (signed) throw new DomainError("SLOT-HAS-ATTENDANCE", 409, "Des présences sont enregistrées sur ce créneau : annulez-le plutôt que de le supprimer.");
    await tx.deleteFrom("slot").where("id", "=", slotId).execute();
    await audit(tx, { actorId: actor.userId, action: "slot.deleted", entity: "slot", entityId: slotId, details: { date: row.slot_date } });
    await emit(tx, "slot.deleted", { slotId });
  });
}

/** Cancels a slot; for the trainer's absence it is flagged until a replacement is recorded (CP-NO-INTERRUPTION). */
export async function cancelSlot(db: Db, actor: Actor, slotId: string, input: CancelInput): Promise<{ warnings: Violation[] }> {
  await db.transaction().execute(async (tx) => {
    const row = await slotForWrite(tx, actor, slotId);
    if (row.status === "cancelled" || row.status === "closed") throw notPlanned(row.status);
    await tx
      .updateTable("slot")
      .set({ status: "cancelled", cancel_reason: input.reason, cancelled_for_trainer_absence: input.trainerAbsence, replacement_trainer_id: null })
      .where("id", "=", slotId)
      .execute();
    await audit(tx, { actorId: actor.userId, action: "slot.cancelled", entity: "slot", entityId: slotId, details: { ...input } });
    await emit(tx, "slot.cancelled", { slotId, trainerAbsence: input.trainerAbsence });
  });
  return { warnings: slotWarnings((await getSlot(db, slotId))!) };
}

/** Records the replacement trainer of a slot cancelled for the trainer's absence; the slot takes place again. */
export async function recordReplacement(db: Db, actor: Actor, slotId: string, replacementTrainerId: string): Promise<{ warnings: Violation[] }> {
  return db.transaction().execute(async (tx) => {
    const row = await slotForWrite(tx, actor, slotId);
    if (!row.cancelled_for_trainer_absence || row.status !== "cancelled") {
      throw new DomainError("SLOT-NOT-TRAINER-ABSENCE", 409, "Seul un créneau annulé pour absence du formateur reçoit un remplaçant.");
    }
    const pathIds = (await tx.selectFrom("slot_trainee").select("path_id").where("slot_id", "=", slotId).execute()).map((r) => r.path_id);
    const fields: SlotFields = {
      pathIds,
      moduleId: row.module_id ?? "",
      siteId: row.site_id ?? "",
      date: row.slot_date,
      startTime: row.start_time.slice(0, 5),
      endTime: row.end_time.slice(0, 5),
      modality: row.modality,
      selfStudyLocation: row.self_study_location ?? undefined,
      trainerId: replacementTrainerId,
      objectives: row.objectives ?? "",
      deliverables: row.deliverables ?? "",
      resources: row.resources ?? "",
      holidayOverride: row.holiday_override,
    };
    const warnings = await judgeSlot(tx, row.provider_id, row.order_line_id, fields, slotId);
    await tx.updateTable("slot").set({ status: "planned", replacement_trainer_id: replacementTrainerId }).where("id", "=", slotId).execute();
    await audit(tx, { actorId: actor.userId, action: "slot.trainer_replaced", entity: "slot", entityId: slotId, details: { replacementTrainerId, trainerId: row.trainer_id } });
    await emit(tx, "slot.trainer_replaced", { slotId, replacementTrainerId });
    return { warnings };
  });
}

// — Site closures (CP-CLOSURE-MAX-2W) —

async function siteForActor(db: Db | Tx, actor: Actor, siteId: string) {
  const site = await siteOf(db, siteId);
  if (!site || !(actor.role === "region_officer" || (isProviderStaff(actor) && actor.providerId === site.provider_id))) throw notFound("Site");
  return site;
}

/**
 * Records a site closure: 14 consecutive days at most, counting closures it touches or overlaps
 * (two back-to-back closures are one closure); refused while slots are planned on those days.
 */
export async function createClosure(db: Db, actor: Actor, input: ClosureInput): Promise<string> {
  const site = await siteForActor(db, actor, input.siteId);
  requireScheduleWriter(actor, site.provider_id);
  return db.transaction().execute(async (tx) => {
    await tx.selectFrom("site").select("id").where("id", "=", input.siteId).forUpdate().execute();
    let start = input.startDate;
    let end = input.endDate;
    for (const c of await closuresAdjacent(tx, input.siteId, start, end)) {
      if (c.start_date < start) start = c.start_date;
      if (c.end_date > end) end = c.end_date;
    }
    const errors = check(rules.closureMax2w(input.startDate, input.endDate), start !== input.startDate || end !== input.endDate ? rules.closureMax2w(start, end) : undefined);
    if (errors.length) throw DomainError.fromViolations(errors.slice(0, 1));
    const planned = await tx
      .selectFrom("slot")
      .select(["slot_date"])
      .where("site_id", "=", input.siteId)
      .where("status", "!=", "cancelled")
      .where("slot_date", ">=", input.startDate)
      .where("slot_date", "<=", input.endDate)
      .execute();
    if (planned.length) {
      throw new DomainError("CP-CLOSURE-MAX-2W", 409, `${planned.length} créneau(x) sont prévus sur ce site pendant la fermeture : déplacez-les ou annulez-les d'abord.`, [
        { code: "CP-CLOSURE-MAX-2W", severity: "error", message: `${planned.length} créneau(x) prévus pendant la fermeture.`, article: "CCTP §3.1.2", field: "startDate" },
      ]);
    }
    const id = newId();
    await tx.insertInto("site_closure").values({ id, site_id: input.siteId, start_date: input.startDate, end_date: input.endDate, reason: input.reason }).execute();
    await emit(tx, "site_closure.created", { closureId: id, siteId: input.siteId });
    return id;
  });
}

export async function listClosures(db: Db, actor: Actor, from?: string) {
  let q = db.selectFrom("site_closure as c").innerJoin("site as s", "s.id", "c.site_id").selectAll("c").select(["s.name as site_name", "s.provider_id"]);
  if (actor.role !== "region_officer") {
    if (!isProviderStaff(actor)) throw new DomainError("FORBIDDEN", 403, "Réservé aux organismes et à la Région.");
    q = q.where("s.provider_id", "=", actor.providerId ?? "");
  }
  if (from) q = q.where("c.end_date", ">=", from);
  return q.orderBy("c.start_date").execute();
}

export async function deleteClosure(db: Db, actor: Actor, closureId: string): Promise<void> {
  const c = await db.selectFrom("site_closure").select(["id", "site_id"]).where("id", "=", closureId).executeTakeFirst();
  if (!c) throw notFound("Fermeture");
  const site = await siteForActor(db, actor, c.site_id);
  requireScheduleWriter(actor, site.provider_id);
  await db.transaction().execute(async (tx) => {
    await tx.deleteFrom("site_closure").where("id", "=", closureId).execute();
    await audit(tx, { actorId: actor.userId, action: "site_closure.deleted", entity: "site_closure", entityId: closureId });
  });
}

/** Sites, order lines (with their validated paths) and staff a provider schedules with. */
export async function schedulingChoices(db: Db, actor: Actor) {
  const providerId = actor.providerId ?? "";
  const [sites, staff, lines, paths] = await Promise.all([
    db.selectFrom("site").select(["id", "name"]).where("provider_id", "=", providerId).orderBy("name").execute(),
    staffOf(db, providerId),
    db
      .selectFrom("order_line as ol")
      .innerJoin("order as o", "o.id", "ol.order_id")
      .innerJoin("component as c", "c.id", "ol.component_id")
      .select(["ol.id", "o.number", "c.title", "c.id as component_id"])
      .where("o.provider_id", "=", providerId)
      .where("o.status", "=", "issued")
      .orderBy("o.number")
      .execute(),
    db
      .selectFrom("path as p")
      .innerJoin("trainee as t", "t.id", "p.trainee_id")
      .select(["p.id", "p.order_line_id", "t.first_name", "t.last_name", "p.entry_date", "p.planned_exit_date"])
      .where("p.provider_id", "=", providerId)
      .where("p.status", "=", "validated")
      .orderBy("t.last_name")
      .execute(),
  ]);
  // The sites each line may use (CP-ORDER-FROM-OFFER): the slot form offers only those.
  const lineSites = lines.length ? await db.selectFrom("order_line_site").select(["order_line_id", "site_id"]).where("order_line_id", "in", lines.map((l) => l.id)).execute() : [];
  const modules = lines.length
    ? await db.selectFrom("module").select(["id", "title", "component_id", "modality"]).where("component_id", "in", lines.map((l) => l.component_id)).orderBy("position").execute()
    : [];
  return { sites, staff, lines: lines.map((l) => ({ ...l, siteIds: lineSites.filter((x) => x.order_line_id === l.id).map((x) => x.site_id) })), paths, modules };
}
