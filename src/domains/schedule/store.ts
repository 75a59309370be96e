// Queries of the schedule's tables (slot, slot_trainee, site_closure, trainee_calendar_token),
// with the read joins the schedule shows (module, site, trainer, trainee names).
import type { Kysely, Transaction } from "kysely";
import type { DB } from "../../core/db/schema.ts";
import { addDays } from "../../core/time.ts";
import { hhmm, slotMinutes } from "./calendar.ts";
import type { PathFacts, TrainerBooking } from "./rules.ts";

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
    .innerJoin("order_line as ol", "ol.id", "s.order_line_id")
    .innerJoin("order as o", "o.id", "ol.order_id")
    .innerJoin("component as c", "c.id", "ol.component_id")
    .leftJoin("module as m", "m.id", "s.module_id")
    .leftJoin("site as st", "st.id", "s.site_id")
    .leftJoin("app_user as u", (j) => j.on((eb) => eb("u.id", "=", eb.fn.coalesce("s.replacement_trainer_id", "s.trainer_id"))))
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
  }));
}

async function traineesOf(db: Q, slotIds: string[]): Promise<Map<string, SlotTrainee[]>> {
  const out = new Map<string, SlotTrainee[]>();
  if (slotIds.length === 0) return out;
  const rows = await db
    .selectFrom("slot_trainee as x")
    .innerJoin("path as p", "p.id", "x.path_id")
    .innerJoin("trainee as t", "t.id", "p.trainee_id")
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
    .selectFrom("order_line as ol")
    .innerJoin("order as o", "o.id", "ol.order_id")
    .innerJoin("component as c", "c.id", "ol.component_id")
    .select(["ol.id", "ol.order_id", "ol.component_id", "o.provider_id", "o.number", "c.title"])
    .where("ol.id", "=", orderLineId)
    .executeTakeFirst();
  if (!line) return undefined;
  const sites = await db.selectFrom("order_line_site").select("site_id").where("order_line_id", "=", orderLineId).execute();
  return { ...line, siteIds: sites.map((s) => s.site_id) };
}

/** Paths with the facts slot rules need; locked (FOR UPDATE, in id order) inside a write. */
export async function pathFacts(db: Q, pathIds: string[], lock: boolean): Promise<(PathFacts & { site_id: string; provider_id: string })[]> {
  if (pathIds.length === 0) return [];
  let q = db
    .selectFrom("path as p")
    .innerJoin("trainee as t", "t.id", "p.trainee_id")
    .select(["p.id", "p.status", "p.order_line_id", "p.entry_date", "p.planned_exit_date", "p.actual_exit_date", "p.site_id", "p.provider_id", "t.first_name", "t.last_name"])
    .where("p.id", "in", pathIds)
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
 * Serialises the writers that book one trainer (SCHEDULE-TRAINER-OVERLAP): the trainer's user row
 * locked until the transaction ends (NO KEY UPDATE: foreign keys to the user are not blocked). Taken
 * before the paths' locks, always in that order.
 */
export async function lockTrainer(tx: Transaction<DB>, trainerId: string): Promise<void> {
  await tx.selectFrom("app_user").select("id").where("id", "=", trainerId).forNoKeyUpdate().execute();
}

/**
 * The non-cancelled slots a trainer leads (as trainer, or as the replacement recorded for an absence)
 * on a provider's schedule between two dates, in time order (index slot_provider_date).
 */
export async function trainerBookings(db: Q, providerId: string, trainerId: string, from: string, to: string, excludeSlotId?: string): Promise<TrainerBooking[]> {
  let q = db
    .selectFrom("slot as s")
    .innerJoin("order_line as ol", "ol.id", "s.order_line_id")
    .innerJoin("order as o", "o.id", "ol.order_id")
    .innerJoin("component as c", "c.id", "ol.component_id")
    .leftJoin("module as m", "m.id", "s.module_id")
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

/** Closures of a site touching [from − 1 day, to + 1 day]: those that would run on into one span. */
export const closuresAdjacent = (db: Q, siteId: string, from: string, to: string) => closuresOf(db, [siteId], addDays(from, -1), addDays(to, 1));

export async function siteOf(db: Q, siteId: string) {
  return db.selectFrom("site").select(["id", "provider_id", "name"]).where("id", "=", siteId).executeTakeFirst();
}

export async function staffOf(db: Q, providerId: string) {
  return db
    .selectFrom("app_user")
    .select(["id", "full_name", "role"])
    .where("provider_id", "=", providerId)
    .where("role", "in", ["trainer", "pedagogical_referent", "provider_admin"])
    .where("active", "=", true)
    .orderBy("full_name")
    .execute();
}
