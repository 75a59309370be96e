// The schedule: slots, site closures, the trainee's schedule. validate → load → rules → write
// (+ outbox), one transaction each. Other domains read slots through getSlot / slotsOfPath.
import type { Transaction } from "kysely";
import type { Actor } from "../../core/auth/actor.ts";
import { isProviderStaff, requireProviderAccess, requireRole } from "../../core/auth/actor.ts";
import type { Db } from "../../core/db/index.ts";
import type { DB } from "../../core/db/schema.ts";
import { DomainError, notFound, notFoundAs } from "../../core/errors.ts";
import { audit, recordEvent } from "../../core/outbox.ts";
import { check, errorsOf, type Violation, warningsOf } from "../../core/rules.ts";
import { addModality, addTotals, type Totals, zeroTotals } from "../../core/modalities.ts";
import { addDays, newId } from "../../core/time.ts";
import { groupMax20InRoom, judgeSchedule, type ScheduledFigures } from "../paths/use-cases.ts";
import { minutesOfDay, mondayOf, parisInstant, slotMinutes } from "./calendar.ts";
import { judgeOtherFunded } from "./other-funded.ts";
import * as rules from "./rules.ts";
import type { CancelInput, ClosureInput, SlotFields, SlotInput } from "./schema.ts";
import { transitionSlot } from "./transitions.ts";
import { companyHoursGuard } from "../internships/use-cases.ts";
import { activeSlotsOfPaths, closuresOf, closuresOfSite, findSlots, loadLine, lockOrder, lockTrainer, otherFundedRows, pathFacts, roomSlots, scheduledRows, type SlotFilter, type SlotView, siteOf, staffOf, trainerBookings } from "./store.ts";
import { rolesFor } from "../../core/auth/roles.ts";
import { componentRows, moduleRows, siteRows } from "../offer/views.ts";
import { attendanceRows } from "../attendance/views.ts";
import { orderLineRows, orderLineSiteRows, orderRows } from "../orders/views.ts";
import { pathRows, traineeRows } from "../paths/views.ts";

export type { SlotTrainee, SlotView } from "./store.ts";
export { generateSlots, type GenerateResult } from "./generate.ts";
export { deleteOtherFunded, listOtherFunded, type OtherFundedTrainee, recordOtherFunded } from "./other-funded.ts";
export { calendarFeed, issueCalendarToken, mySchedule } from "./trainee.ts";
export { transitionSlot } from "./transitions.ts";

type Tx = Transaction<DB>;
const WRITERS = rolesFor("schedule.write");

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

/** Minutes each path holds on the schedule, by modality (every id present; docs/adr/0009). */
export async function scheduledTotalsByPath(db: Db, pathIds: string[], excludeSlotId?: string): Promise<Map<string, Totals>> {
  const out = new Map(pathIds.map((id) => [id, zeroTotals()]));
  for (const r of await scheduledRows(db, pathIds, excludeSlotId)) addModality(out.get(r.path_id)!, r.modality, r.self_study_location, r.minutes);
  return out;
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

/**
 * CP-GROUP-MAX-20 (warn), once slots exist: everyone at once in the group's room — the component's
 * collective slots at the site, any order, any funder — at the busiest moment of this slot.
 */
async function roomWarning(db: Db, componentId: string, s: Pick<SlotFields, "modality" | "selfStudyLocation" | "siteId" | "date" | "startTime" | "endTime">, people: string[], excludeSlotId?: string) {
  if (s.modality === "company" || (s.modality === "self_study" && s.selfStudyLocation === "remote") || !(s.siteId || s.modality === "distance")) return undefined;
  const room = await roomSlots(db, { componentId, siteId: s.siteId || null, date: s.date }, excludeSlotId);
  return groupMax20InRoom(s.date, { start: s.startTime, end: s.endTime, people }, room);
}

/** The warnings a saved slot carries now, the room's headcount included (for its page). */
export async function slotFindings(db: Db, slot: SlotView): Promise<Violation[]> {
  if (slot.status === "cancelled") return slotWarnings(slot);
  const line = await loadLine(db, slot.orderLineId);
  const people = [...slot.trainees.map((t) => `trainee:${t.traineeId}`), ...slot.otherFunded.map((o) => `other:${o.id}`)];
  const fields = { ...slot, siteId: slot.siteId ?? "", selfStudyLocation: slot.selfStudyLocation ?? undefined };
  return [...slotWarnings(slot), ...check(line ? await roomWarning(db, line.component_id, fields, people, slot.id) : undefined)];
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
    const m = await tx.selectFrom(moduleRows().as("module")).select("id").where("id", "=", s.moduleId).where("component_id", "=", line.component_id).executeTakeFirst();
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
  await lockOrder(tx, line.order_id);
  const paths = await pathFacts(tx, providerId, [...new Set(s.pathIds)], true);
  if (paths.length !== new Set(s.pathIds).size) throw notFound("Parcours");
  // Company hours need a period whose agreement has its three signatures (CP-INTERNSHIP-AGREEMENT).
  if (s.modality === "company") v.push(...(await companyHoursGuard(tx, paths, s, "schedule")));
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
  v.push(...(await judgeAgainstPlans(tx, line.order_id, paths, s, minutes, excludeSlotId)));
  const otherIds = [...new Set(s.otherFundedIds ?? [])];
  v.push(...(await judgeOtherFunded(tx, providerId, line.component_id, s, otherIds)));
  const people = [...paths.map((p) => `trainee:${p.trainee_id}`), ...otherIds.map((id) => `other:${id}`)];
  v.push(...check(await roomWarning(tx, line.component_id, s, people, excludeSlotId)));
  if (errorsOf(v).length) throw DomainError.fromViolations(v);
  return warningsOf(v);
}

/**
 * The schedule answers to the plan (docs/adr/0009): each trainee's scheduled minutes with this slot,
 * judged by the paths' own rules (CP-PATH-READJUST, CP-PATH-MAX-200H, CP-COMPANY-MAX-70H,
 * CP-DISTANCE-MAX-50, CP-HYBRID-APPROVED, CP-SELFSTUDY-MAX-20 / CP-EFORM-SELFSTUDY-MAX-50) under the
 * order's lock, taken by the caller.
 */
async function judgeAgainstPlans(tx: Tx, orderId: string, paths: { id: string; name: string }[], s: SlotFields, minutes: number, excludeSlotId?: string): Promise<Violation[]> {
  const slot = addModality(zeroTotals(), s.modality, s.modality === "self_study" ? (s.selfStudyLocation ?? null) : null, minutes);
  const scheduled = await scheduledTotalsByPath(tx, paths.map((p) => p.id), excludeSlotId);
  const figures = new Map<string, ScheduledFigures>(paths.map((p) => [p.id, { trainee: p.name, scheduled: addTotals(scheduled.get(p.id)!, slot), slot }]));
  // Shown next to the trainees: the form keeps what was typed and names the rule.
  return (await judgeSchedule(tx, orderId, figures)).map((v) => ({ ...v, field: "pathIds" }));
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

async function linkOtherFunded(tx: Tx, slotId: string, ids: string[]) {
  await tx.deleteFrom("slot_other_funded").where("slot_id", "=", slotId).execute();
  if (ids.length) await tx.insertInto("slot_other_funded").values([...new Set(ids)].map((other_funded_trainee_id) => ({ slot_id: slotId, other_funded_trainee_id }))).execute();
}

const otherFundedIdsOf = async (tx: Tx, slotId: string) => (await tx.selectFrom("slot_other_funded").select("other_funded_trainee_id").where("slot_id", "=", slotId).execute()).map((r) => r.other_funded_trainee_id);

/** Inserts a slot already judged, with its trainees. */
export async function insertSlot(tx: Tx, providerId: string, orderLineId: string, s: SlotFields): Promise<string> {
  const id = newId();
  await tx.insertInto("slot").values({ id, provider_id: providerId, order_line_id: orderLineId, ...slotColumns(s) }).execute();
  await tx.insertInto("slot_trainee").values([...new Set(s.pathIds)].map((path_id) => ({ slot_id: id, path_id }))).execute();
  await linkOtherFunded(tx, id, s.otherFundedIds ?? []);
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
    await recordEvent(tx, "slot.created", { slotId: id, orderLineId: input.orderLineId });
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
    // Other-funded trainees left out of the edit stay on the slot.
    const fields = { ...input, otherFundedIds: input.otherFundedIds ?? (await otherFundedIdsOf(tx, slotId)) };
    // A replacement recorded for an absence keeps leading the slot (slotColumns leaves it as is).
    const warnings = await judgeSlot(tx, row.provider_id, row.order_line_id, fields, slotId, row.replacement_trainer_id ?? input.trainerId);
    await tx.updateTable("slot").set(slotColumns(input)).where("id", "=", slotId).execute();
    await tx.deleteFrom("slot_trainee").where("slot_id", "=", slotId).execute();
    await tx.insertInto("slot_trainee").values([...new Set(input.pathIds)].map((path_id) => ({ slot_id: slotId, path_id }))).execute();
    await linkOtherFunded(tx, slotId, fields.otherFundedIds);
    await recordEvent(tx, "slot.updated", { slotId });
    return { warnings };
  });
}

/** Deletes a planned slot nobody signed (a slot with attendance is cancelled instead). */
export async function deleteSlot(db: Db, actor: Actor, slotId: string): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const row = await slotForWrite(tx, actor, slotId);
    if (row.status !== "planned") throw notPlanned(row.status);
    const signed = await tx.selectFrom(attendanceRows().as("attendance")).select("id").where("slot_id", "=", slotId).executeTakeFirst();
    if (signed) throw new DomainError("SLOT-HAS-ATTENDANCE", 409, "Des présences sont enregistrées sur ce créneau : annulez-le plutôt que de le supprimer.");
    await tx.deleteFrom("slot").where("id", "=", slotId).execute();
    await audit(tx, { actorId: actor.userId, action: "slot.deleted", entity: "slot", entityId: slotId, details: { date: row.slot_date } });
  });
}

/** Cancels a slot; for the trainer's absence it is flagged until a replacement is recorded (CP-NO-INTERRUPTION). */
export async function cancelSlot(db: Db, actor: Actor, slotId: string, input: CancelInput): Promise<{ warnings: Violation[] }> {
  await db.transaction().execute(async (tx) => {
    await slotForWrite(tx, actor, slotId);
    await transitionSlot(tx, actor, slotId, "cancelled", {
      reason: input.reason,
      changes: { cancel_reason: input.reason, cancelled_for_trainer_absence: input.trainerAbsence, replacement_trainer_id: null },
    });
    await audit(tx, { actorId: actor.userId, action: "slot.cancelled", entity: "slot", entityId: slotId, details: { ...input } });
  });
  return { warnings: slotWarnings((await getSlot(db, slotId))!) };
}

/** Records the replacement trainer of a slot cancelled for the trainer's absence; the slot takes place again. */
export async function recordReplacement(db: Db, actor: Actor, slotId: string, replacementTrainerId: string): Promise<{ warnings: Violation[] }> {
  return db.transaction().execute(async (tx) => {
    const row = await slotForWrite(tx, actor, slotId);
    // Through the slot's table: only a slot cancelled for its trainer's absence takes place again (CP-NO-INTERRUPTION).
    await transitionSlot(tx, actor, slotId, "planned", {
      reason: "Formateur ou formatrice remplaçant·e enregistré·e",
      facts: { replacementTrainerId },
      changes: { replacement_trainer_id: replacementTrainerId },
    });
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
      otherFundedIds: await otherFundedIdsOf(tx, slotId),
    };
    const warnings = await judgeSlot(tx, row.provider_id, row.order_line_id, fields, slotId);
    await audit(tx, { actorId: actor.userId, action: "slot.trainer_replaced", entity: "slot", entityId: slotId, details: { replacementTrainerId, trainerId: row.trainer_id } });
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
 * Records a site closure: the run of consecutive closed days it joins — every closure of the site it
 * touches or overlaps, however many — lasts 14 days at most (CP-CLOSURE-MAX-2W, §12.9); refused while
 * slots are planned on its days. The site's row is locked: two closures of one site never both pass.
 */
export async function createClosure(db: Db, actor: Actor, input: ClosureInput): Promise<string> {
  const site = await siteForActor(db, actor, input.siteId);
  requireScheduleWriter(actor, site.provider_id);
  return db.transaction().execute(async (tx) => {
    await tx.selectFrom(siteRows().as("site")).select("id").where("id", "=", input.siteId).forUpdate().execute();
    const error = rules.closureMax2w(await closuresOfSite(tx, input.siteId), { start_date: input.startDate, end_date: input.endDate });
    if (error) throw DomainError.fromViolations([error]);
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
    await recordEvent(tx, "site_closure.created", { closureId: id, siteId: input.siteId });
    return id;
  });
}

export async function listClosures(db: Db, actor: Actor, from?: string) {
  let q = db.selectFrom("site_closure as c").innerJoin(siteRows().as("s"), "s.id", "c.site_id").selectAll("c").select(["s.name as site_name", "s.provider_id"]);
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
  const site = await notFoundAs("Fermeture", siteForActor(db, actor, c.site_id)); // not "Site": as if unknown
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
    db.selectFrom(siteRows().as("site")).select(["id", "name"]).where("provider_id", "=", providerId).orderBy("name").execute(),
    staffOf(db, providerId),
    db
      .selectFrom(orderLineRows().as("ol"))
      .innerJoin(orderRows().as("o"), "o.id", "ol.order_id")
      .innerJoin(componentRows().as("c"), "c.id", "ol.component_id")
      .select(["ol.id", "o.number", "c.title", "c.id as component_id"])
      .where("o.provider_id", "=", providerId)
      .where("o.status", "=", "issued")
      .orderBy("o.number")
      .execute(),
    db
      .selectFrom(pathRows().as("p"))
      .innerJoin(traineeRows().as("t"), "t.id", "p.trainee_id")
      .select(["p.id", "p.order_line_id", "t.first_name", "t.last_name", "p.entry_date", "p.planned_exit_date"])
      .where("p.provider_id", "=", providerId)
      .where("p.status", "=", "validated")
      .orderBy("t.last_name")
      .execute(),
  ]);
  // The sites each line may use (CP-ORDER-FROM-OFFER): the slot form offers only those.
  const lineSites = lines.length ? await db.selectFrom(orderLineSiteRows().as("order_line_site")).select(["order_line_id", "site_id"]).where("order_line_id", "in", lines.map((l) => l.id)).execute() : [];
  const modules = lines.length
    ? await db.selectFrom(moduleRows().as("module")).select(["id", "title", "component_id", "modality"]).where("component_id", "in", lines.map((l) => l.component_id)).orderBy("position").execute()
    : [];
  // Trainees other funders pay for, to tick on a slot of their group (CP-GROUP-MAX-20).
  const otherFunded = await otherFundedRows(db, { providerId });
  return { sites, staff, lines: lines.map((l) => ({ ...l, siteIds: lineSites.filter((x) => x.order_line_id === l.id).map((x) => x.site_id) })), paths, modules, otherFunded };
}

/** The scanned paper sheet of a slot (attendance's paper fallback): the slot row is the schedule's to write. */
export async function attachPaperScan(tx: Tx, slotId: string, attachmentId: string): Promise<void> {
  await tx.updateTable("slot").set({ paper_attachment_id: attachmentId }).where("id", "=", slotId).execute();
}

/**
 * For e-formation's checkpoint (CP-EFORM-CHECKPOINT-15D): a postponed session moves the planned slots of
 * its paths by `days` (same times of day, Europe/Paris), in the caller's transaction. Open, closed or
 * cancelled slots stay where they are. Returns the slots moved.
 */
export async function shiftSlotsOfPaths(tx: Tx, pathIds: string[], days: number, actorId: string): Promise<{ id: string; date: string }[]> {
  if (pathIds.length === 0 || days === 0) return [];
  const slots = await tx
    .selectFrom("slot as s")
    .select(["s.id", "s.slot_date", "s.start_time", "s.end_time"])
    .where("s.status", "=", "planned")
    .where("s.id", "in", (eb) => eb.selectFrom("slot_trainee").select("slot_id").where("path_id", "in", pathIds))
    .forUpdate()
    .execute();
  const moved: { id: string; date: string }[] = [];
  for (const s of slots) {
    const date = addDays(s.slot_date, days);
    await tx.updateTable("slot").set({ slot_date: date, starts_at: parisInstant(date, s.start_time), ends_at: parisInstant(date, s.end_time) }).where("id", "=", s.id).execute();
    moved.push({ id: s.id, date });
  }
  if (moved.length) await audit(tx, { actorId, action: "slot.shift", entity: "slot", details: { days, slotIds: moved.map((m) => m.id) } });
  return moved;
}
