// Queries of the schedule's tables (slot, slot_trainee, site_closure, trainee_calendar_token),
// with the read joins the schedule shows (module, site, trainer, trainee names).
import type { Kysely, Transaction } from "kysely";
import type { DB } from "../../core/db/schema.ts";
import { hhmm, slotMinutes } from "./calendar.ts";
import type { PathFacts, TrainerBooking } from "./rules.ts";
import { orderLineRows, orderLineSiteRows, orderRows } from "../orders/views.ts";
import { componentRows, moduleRows, siteRows } from "../offer/views.ts";
import { accountRows } from "../../core/auth/accounts.ts";
import { pathRows, traineeRows } from "../paths/views.ts";
import { attendanceRows } from "../attendance/views.ts";

type Q = Kysely<DB> | Transaction<DB>;

export interface SlotTrainee {
  pathId: string;
  traineeId: string;
  firstName: string;
  lastName: string;
}

/** A slot as every screen and the other domains (signing, ledger, documents) read it. */
export interface SlotView {
  id: string;
  providerId: string;
  orderLineId: string;
  orderId: string;
  orderNumber: string;
  componentTitle: string;
  moduleId: string | null;
  moduleTitle: string | null;
  siteId: string | null;
  siteName: string | null;
  siteAddress: string | null;
  date: string;
  startTime: string;
  endTime: string;
  startsAt: Date;
  endsAt: Date;
  minutes: number;
  modality: DB["slot"]["modality"];
  selfStudyLocation: "remote" | "centre" | null;
  /** Who leads the slot: the replacement trainer when one was recorded (CP-NO-INTERRUPTION). */
  trainerId: string | null;
  trainerName: string | null;
  originalTrainerId: string | null;
  place: string | null;
  virtualRoomUrl: string | null;
  objectives: string | null;
  deliverables: string | null;
  resources: string | null;
  holidayOverride: boolean;
  status: "planned" | "open" | "closed" | "cancelled";
  cancelReason: string | null;
  cancelledForTrainerAbsence: boolean;
  replacementTrainerId: string | null;
  trainees: SlotTrainee[];
  /** Trainees other funders pay for, on the slot too (CP-GROUP-MAX-20). */
  otherFunded: { id: string; fullName: string; funder: string }[];
}

export interface SlotFilter {
  ids?: string[];
  providerId?: string;
  from?: string;
  to?: string;
  siteId?: string;
  trainerId?: string;
  pathIds?: string[];
}

export async function findSlots(db: Q, f: SlotFilter): Promise<SlotView[]> {
  let q = db
    .selectFrom("slot as s")
    .innerJoin(orderLineRows().as("ol"), "ol.id", "s.order_line_id")
    .innerJoin(orderRows().as("o"), "o.id", "ol.order_id")
    .innerJoin(componentRows().as("c"), "c.id", "ol.component_id")
    .leftJoin(moduleRows().as("m"), "m.id", "s.module_id")
    .leftJoin(siteRows().as("st"), "st.id", "s.site_id")
    .leftJoin(accountRows().as("u"), (j) => j.on((eb) => eb("u.id", "=", eb.fn.coalesce("s.replacement_trainer_id", "s.trainer_id"))))
    .selectAll("s")
    .select(["o.id as order_id", "o.number as order_number", "c.title as component_title", "m.title as module_title", "st.name as site_name", "st.address as site_address", "st.commune as site_commune", "u.full_name as trainer_name"]);
  if (f.ids) q = q.where("s.id", "in", f.ids.length ? f.ids : ["00000000-0000-0000-0000-000000000000"]);
  if (f.providerId) q = q.where("s.provider_id", "=", f.providerId);
  if (f.from) q = q.where("s.slot_date", ">=", f.from);
  if (f.to) q = q.where("s.slot_date", "<=", f.to);
  if (f.siteId) q = q.where("s.site_id", "=", f.siteId);
  if (f.trainerId) {
    const t = f.trainerId;
    q = q.where((eb) => eb.or([eb("s.replacement_trainer_id", "=", t), eb.and([eb("s.replacement_trainer_id", "is", null), eb("s.trainer_id", "=", t)])]));
  }
  if (f.pathIds) {
    const ids = f.pathIds.length ? f.pathIds : ["00000000-0000-0000-0000-000000000000"];
    q = q.where("s.id", "in", db.selectFrom("slot_trainee").select("slot_id").where("path_id", "in", ids));
  }
  const rows = await q.orderBy("s.starts_at").orderBy("s.id").execute();
  const trainees = await traineesOf(db, rows.map((r) => r.id));
  const others = await otherFundedOfSlots(db, rows.map((r) => r.id));
  return rows.map((r) => ({
    id: r.id,
    providerId: r.provider_id,
    orderLineId: r.order_line_id,
    orderId: r.order_id,
    orderNumber: r.order_number,
    componentTitle: r.component_title,
    moduleId: r.module_id,
    moduleTitle: r.module_title,
    siteId: r.site_id,
    siteName: r.site_name,
    siteAddress: r.site_address ? `${r.site_address}, ${r.site_commune}` : null,
    date: r.slot_date,
    startTime: hhmm(r.start_time),
    endTime: hhmm(r.end_time),
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    minutes: slotMinutes(r.start_time, r.end_time),
    modality: r.modality,
    selfStudyLocation: r.self_study_location,
    trainerId: r.replacement_trainer_id ?? r.trainer_id,
    trainerName: r.trainer_name,
    originalTrainerId: r.trainer_id,
    place: r.place,
    virtualRoomUrl: r.virtual_room_url,
    objectives: r.objectives,
    deliverables: r.deliverables,
    resources: r.resources,
    holidayOverride: r.holiday_override,
    status: r.status,
    cancelReason: r.cancel_reason,
    cancelledForTrainerAbsence: r.cancelled_for_trainer_absence,
    replacementTrainerId: r.replacement_trainer_id,
    trainees: trainees.get(r.id) ?? [],
    otherFunded: others.filter((o) => o.slot_id === r.id).map((o) => ({ id: o.id, fullName: o.full_name, funder: o.funder })),
  }));
}

async function traineesOf(db: Q, slotIds: string[]): Promise<Map<string, SlotTrainee[]>> {
  const out = new Map<string, SlotTrainee[]>();
  if (slotIds.length === 0) return out;
  const rows = await db
    .selectFrom("slot_trainee as x")
    .innerJoin(pathRows().as("p"), "p.id", "x.path_id")
    .innerJoin(traineeRows().as("t"), "t.id", "p.trainee_id")
    .select(["x.slot_id", "x.path_id", "t.id as trainee_id", "t.first_name", "t.last_name"])
    .where("x.slot_id", "in", slotIds)
    .orderBy("t.last_name")
    .orderBy("t.first_name")
    .execute();
  for (const r of rows) {
    const list = out.get(r.slot_id) ?? [];
    list.push({ pathId: r.path_id, traineeId: r.trainee_id, firstName: r.first_name, lastName: r.last_name });
    out.set(r.slot_id, list);
  }
  return out;
}

/** The order line with its provider and component (and the sites the order places it on). */
export async function loadLine(db: Q, orderLineId: string) {
  const line = await db
    .selectFrom(orderLineRows().as("ol"))
    .innerJoin(orderRows().as("o"), "o.id", "ol.order_id")
    .innerJoin(componentRows().as("c"), "c.id", "ol.component_id")
    .select(["ol.id", "ol.order_id", "ol.component_id", "o.provider_id", "o.number", "c.title"])
    .where("ol.id", "=", orderLineId)
    .executeTakeFirst();
  if (!line) return undefined;
  const sites = await db.selectFrom(orderLineSiteRows().as("order_line_site")).select("site_id").where("order_line_id", "=", orderLineId).execute();
  return { ...line, siteIds: sites.map((s) => s.site_id) };
}

/** Paths with the facts slot rules need; locked (FOR UPDATE, in id order) inside a write. */
/**
 * The facts of the provider's own paths among `pathIds`. Another provider's path is simply not
 * found (never locked, never named in a refusal): the caller answers 404 as for an unknown id.
 */
export async function pathFacts(db: Q, providerId: string, pathIds: string[], lock: boolean): Promise<(PathFacts & { site_id: string; provider_id: string; trainee_id: string })[]> {
  if (pathIds.length === 0) return [];
  let q = db
    .selectFrom(pathRows().as("p"))
    .innerJoin(traineeRows().as("t"), "t.id", "p.trainee_id")
    .select(["p.id", "p.status", "p.order_line_id", "p.entry_date", "p.planned_exit_date", "p.actual_exit_date", "p.site_id", "p.provider_id", "p.trainee_id", "t.first_name", "t.last_name"])
    .where("p.id", "in", pathIds)
    .where("p.provider_id", "=", providerId)
    .orderBy("p.id");
  if (lock) q = q.forUpdate("p");
  const rows = await q.execute();
  return rows.map((r) => ({ ...r, name: `${r.first_name} ${r.last_name}` }));
}

/** Non-cancelled slots of these paths between two dates (for overlaps and weekly totals). */
export async function activeSlotsOfPaths(db: Q, pathIds: string[], from: string, to: string, excludeSlotId?: string) {
  if (pathIds.length === 0) return [];
  let q = db
    .selectFrom("slot as s")
    .innerJoin("slot_trainee as x", "x.slot_id", "s.id")
    .select(["s.id", "x.path_id", "s.slot_date", "s.start_time", "s.end_time", "s.modality", "s.module_id"])
    .where("x.path_id", "in", pathIds)
    .where("s.slot_date", ">=", from)
    .where("s.slot_date", "<=", to)
    .where("s.status", "!=", "cancelled");
  if (excludeSlotId) q = q.where("s.id", "!=", excludeSlotId);
  return q.execute();
}

/**
 * What each path holds on the schedule (docs/adr/0009): its non-cancelled slots, a closed slot with
 * the minutes the trainee realised on it (its attendance row; none or absent: 0), any other with its
 * length. `excludeSlotId` leaves out the slot being edited.
 */
export async function scheduledRows(db: Q, pathIds: string[], excludeSlotId?: string) {
  if (pathIds.length === 0) return [];
  let q = db
    .selectFrom("slot as s")
    .innerJoin("slot_trainee as x", "x.slot_id", "s.id")
    .leftJoin(attendanceRows().as("a"), (j) => j.onRef("a.slot_id", "=", "s.id").onRef("a.path_id", "=", "x.path_id"))
    .select(["x.path_id", "s.modality", "s.self_study_location", "s.start_time", "s.end_time", "s.status", "a.realised_minutes"])
    .where("x.path_id", "in", pathIds)
    .where("s.status", "!=", "cancelled");
  if (excludeSlotId) q = q.where("s.id", "!=", excludeSlotId);
  const rows = await q.execute();
  return rows.map((r) => ({ ...r, minutes: r.status === "closed" ? (r.realised_minutes ?? 0) : slotMinutes(r.start_time, r.end_time) }));
}

/**
 * The order's row lock, the one every plan save takes (paths' judgeUnderOrderLock): a slot is judged
 * against its paths' plans and the order's budgets under it. Taken after the trainer's and before the
 * paths' locks, always in that order.
 */
export async function lockOrder(tx: Transaction<DB>, orderId: string): Promise<void> {
  await tx.selectFrom(orderRows().as("order")).select("id").where("id", "=", orderId).forUpdate().execute();
}

/**
 * Serialises the writers that book one trainer (SCHEDULE-TRAINER-OVERLAP): the trainer's user row
 * locked until the transaction ends (NO KEY UPDATE: foreign keys to the user are not blocked). Taken
 * before the paths' locks, always in that order.
 */
export async function lockTrainer(tx: Transaction<DB>, trainerId: string): Promise<void> {
  await tx.selectFrom(accountRows().as("app_user")).select("id").where("id", "=", trainerId).forNoKeyUpdate().execute();
}

/**
 * The non-cancelled slots a trainer leads (as trainer, or as the replacement recorded for an absence)
 * on a provider's schedule between two dates, in time order (index slot_provider_date).
 */
export async function trainerBookings(db: Q, providerId: string, trainerId: string, from: string, to: string, excludeSlotId?: string): Promise<TrainerBooking[]> {
  let q = db
    .selectFrom("slot as s")
    .innerJoin(orderLineRows().as("ol"), "ol.id", "s.order_line_id")
    .innerJoin(orderRows().as("o"), "o.id", "ol.order_id")
    .innerJoin(componentRows().as("c"), "c.id", "ol.component_id")
    .leftJoin(moduleRows().as("m"), "m.id", "s.module_id")
    .select(["s.id", "s.slot_date", "s.start_time", "s.end_time", "s.starts_at", "s.ends_at", "o.number as order_number"])
    .select((eb) => eb.fn.coalesce("m.title", "c.title").as("title"))
    .where("s.provider_id", "=", providerId)
    .where("s.slot_date", ">=", from)
    .where("s.slot_date", "<=", to)
    .where("s.status", "!=", "cancelled")
    .where((eb) => eb(eb.fn.coalesce("s.replacement_trainer_id", "s.trainer_id"), "=", trainerId));
  if (excludeSlotId) q = q.where("s.id", "!=", excludeSlotId);
  return q.orderBy("s.starts_at").execute();
}

export async function closuresOf(db: Q, siteIds: string[], from: string, to: string) {
  if (siteIds.length === 0) return [];
  return db
    .selectFrom("site_closure")
    .selectAll()
    .where("site_id", "in", siteIds)
    .where("start_date", "<=", to)
    .where("end_date", ">=", from)
    .orderBy("start_date")
    .execute();
}

/** Every closure of a site (a few a year): the run a new one joins may chain through any of them. */
export async function closuresOfSite(db: Q, siteId: string) {
  return db.selectFrom("site_closure").select(["id", "start_date", "end_date"]).where("site_id", "=", siteId).orderBy("start_date").execute();
}

export async function siteOf(db: Q, siteId: string) {
  return db.selectFrom(siteRows().as("site")).select(["id", "provider_id", "name"]).where("id", "=", siteId).executeTakeFirst();
}

export async function staffOf(db: Q, providerId: string) {
  return db
    .selectFrom(accountRows().as("app_user"))
    .select(["id", "full_name", "role"])
    .where("provider_id", "=", providerId)
    .where("role", "in", ["trainer", "pedagogical_referent", "provider_admin"])
    .where("active", "=", true)
    .orderBy("full_name")
    .execute();
}

// — Trainees other funders pay for (CP-GROUP-MAX-20: everyone in the room counts) —

export async function otherFundedRows(db: Q, f: { providerId?: string; ids?: string[]; componentIds?: string[]; siteIds?: string[] }) {
  let q = db
    .selectFrom("other_funded_trainee as o")
    .innerJoin(componentRows().as("c"), "c.id", "o.component_id")
    .innerJoin(siteRows().as("s"), "s.id", "o.site_id")
    .selectAll("o")
    .select(["c.title as component_title", "s.name as site_name"]);
  const none = ["00000000-0000-0000-0000-000000000000"];
  if (f.providerId) q = q.where("o.provider_id", "=", f.providerId);
  if (f.ids) q = q.where("o.id", "in", f.ids.length ? f.ids : none);
  if (f.componentIds) q = q.where("o.component_id", "in", f.componentIds.length ? f.componentIds : none);
  if (f.siteIds) q = q.where("o.site_id", "in", f.siteIds.length ? f.siteIds : none);
  return q.orderBy("o.start_date").orderBy("o.full_name").execute();
}

/** The other-funded trainees expected on each slot. */
export async function otherFundedOfSlots(db: Q, slotIds: string[]) {
  if (slotIds.length === 0) return [];
  return db
    .selectFrom("slot_other_funded as x")
    .innerJoin("other_funded_trainee as o", "o.id", "x.other_funded_trainee_id")
    .select(["x.slot_id", "o.id", "o.full_name", "o.funder"])
    .where("x.slot_id", "in", slotIds)
    .orderBy("o.full_name")
    .execute();
}

/**
 * The group's room on one day (CP-GROUP-MAX-20, once slots exist): non-cancelled collective slots of
 * a component at a site — in person, gathering or self-study in centre — or, for tutorat (no site),
 * its distance slots; company and remote self-study are not in a room. Any order, any funder: each
 * slot with the people on it (trainee ids, other-funded ids).
 */
export async function roomSlots(db: Q, room: { componentId: string; siteId: string | null; date: string }, excludeSlotId?: string) {
  let q = db
    .selectFrom("slot as s")
    .innerJoin(orderLineRows().as("ol"), "ol.id", "s.order_line_id")
    .select(["s.id", "s.start_time", "s.end_time"])
    .where("ol.component_id", "=", room.componentId)
    .where("s.slot_date", "=", room.date)
    .where("s.status", "!=", "cancelled")
    .where("s.modality", "!=", "company")
    .where((eb) => eb.or([eb("s.self_study_location", "is", null), eb("s.self_study_location", "!=", "remote")]));
  q = room.siteId ? q.where("s.site_id", "=", room.siteId) : q.where("s.site_id", "is", null).where("s.modality", "=", "distance");
  if (excludeSlotId) q = q.where("s.id", "!=", excludeSlotId);
  const slots = await q.execute();
  const ids = slots.map((s) => s.id);
  const [trainees, others] = ids.length
    ? await Promise.all([
        db.selectFrom("slot_trainee as x").innerJoin(pathRows().as("p"), "p.id", "x.path_id").select(["x.slot_id", "p.trainee_id"]).where("x.slot_id", "in", ids).execute(),
        db.selectFrom("slot_other_funded").select(["slot_id", "other_funded_trainee_id"]).where("slot_id", "in", ids).execute(),
      ])
    : [[], []];
  return slots.map((s) => ({
    start: hhmm(s.start_time),
    end: hhmm(s.end_time),
    people: [...trainees.filter((x) => x.slot_id === s.id).map((x) => `trainee:${x.trainee_id}`), ...others.filter((x) => x.slot_id === s.id).map((x) => `other:${x.other_funded_trainee_id}`)],
  }));
}
