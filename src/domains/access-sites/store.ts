// Queries of the access-sites domain's own tables (access_site, its rooms and PC seats, seat
// bookings); other domains' rows through their read models (ADR 0011).
import { type Kysely, sql } from "kysely";
import type { DB } from "../../core/db/schema.ts";
import { componentRows } from "../offer/views.ts";
import { orderLineRows } from "../orders/views.ts";
import { pathRows, positioningRows, traineeRows } from "../paths/views.ts";
import { departementRows, providerRows } from "../region/views.ts";
import { slotRows, slotTraineeRows } from "../schedule/views.ts";

type Q = Kysely<DB>;

export const ACTIVE = ["booked", "arrived"] as const;

// ---- Sites and rooms ----

export const listSites = (db: Q) =>
  db
    .selectFrom("access_site as s")
    .innerJoin(departementRows().as("d"), "d.code", "s.departement_code")
    .leftJoin("access_site_room as r", "r.access_site_id", "s.id")
    .select((eb) => [
      "s.id",
      "s.name",
      "s.commune",
      "s.insee_code",
      "s.departement_code",
      "d.name as departement_name",
      "s.active",
      eb.fn.count<number>("r.id").as("rooms"),
      eb.fn.coalesce(eb.fn.sum<number>("r.pcs"), sql<number>`0`).as("pcs"),
    ])
    .groupBy(["s.id", "s.name", "s.commune", "s.insee_code", "s.departement_code", "d.name", "s.active"])
    .orderBy("s.departement_code")
    .orderBy("s.name")
    .execute();

export const findSite = (db: Q, id: string) => db.selectFrom("access_site").selectAll().where("id", "=", id).executeTakeFirst();

export const roomsOf = (db: Q, siteId: string) =>
  db.selectFrom("access_site_room").select(["id", "name", "pcs"]).where("access_site_id", "=", siteId).orderBy("name").execute();

export const allOpenRooms = (db: Q) =>
  db
    .selectFrom("access_site_room as r")
    .innerJoin("access_site as s", "s.id", "r.access_site_id")
    .select(["r.id", "r.name", "r.pcs", "s.id as site_id", "s.name as site_name", "s.commune", "s.departement_code"])
    .where("s.active", "=", true)
    .orderBy("s.departement_code")
    .orderBy("s.name")
    .orderBy("r.name")
    .execute();

export const findRoom = (db: Q, roomId: string) =>
  db
    .selectFrom("access_site_room as r")
    .innerJoin("access_site as s", "s.id", "r.access_site_id")
    .select(["r.id", "r.name", "r.pcs", "s.id as site_id", "s.name as site_name", "s.active"])
    .where("r.id", "=", roomId)
    .executeTakeFirst();

export const nameTaken = async (db: Q, name: string, exceptId?: string) => {
  let q = db.selectFrom("access_site").select("id").where((eb) => eb(eb.fn("lower", ["name"]), "=", name.toLowerCase()));
  if (exceptId) q = q.where("id", "!=", exceptId);
  return (await q.executeTakeFirst()) !== undefined;
};

export const departementExists = async (db: Q, code: string) =>
  (await db.selectFrom(departementRows().as("d")).select("code").where("code", "=", code).executeTakeFirst()) !== undefined;

type SiteValues = Omit<DB["access_site"], "id" | "created_at" | "active"> & { active?: boolean };

export const insertSite = (db: Q, id: string, values: SiteValues) => db.insertInto("access_site").values({ id, ...values }).execute();
export const updateSite = (db: Q, id: string, values: SiteValues) => db.updateTable("access_site").set(values).where("id", "=", id).execute();

/** Rooms kept by name: new ones added, PC counts changed (one seat row per PC), missing ones removed. */
export async function syncRooms(db: Q, siteId: string, rooms: { name: string; pcs: number }[], newId: () => string) {
  const existing = await roomsOf(db, siteId);
  const byName = new Map(existing.map((r) => [r.name, r]));
  for (const room of rooms) {
    const before = byName.get(room.name);
    const id = before?.id ?? newId();
    if (!before) await db.insertInto("access_site_room").values({ id, access_site_id: siteId, name: room.name, pcs: room.pcs }).execute();
    else if (before.pcs !== room.pcs) await db.updateTable("access_site_room").set({ pcs: room.pcs }).where("id", "=", id).execute();
    // A seat still booked (even in the past) keeps its row: the foreign key refuses its removal.
    await db.deleteFrom("access_site_seat").where("room_id", "=", id).where("seat_no", ">", room.pcs).execute();
    await sql`insert into access_site_seat (room_id, seat_no) select ${id}::uuid, n from generate_series(1, ${room.pcs}::int) n on conflict do nothing`.execute(db);
    byName.delete(room.name);
  }
  for (const gone of byName.values()) await db.deleteFrom("access_site_room").where("id", "=", gone.id).execute();
}

// ---- Facts a booking is judged on (other domains' read models) ----

export const slotFacts = (db: Q, slotIds: string[], pathId: string) =>
  db
    .selectFrom(slotRows().as("s"))
    .innerJoin(orderLineRows().as("ol"), "ol.id", "s.order_line_id")
    .innerJoin(componentRows().as("c"), "c.id", "ol.component_id")
    .leftJoin(slotTraineeRows().as("st"), (j) => j.onRef("st.slot_id", "=", "s.id").on("st.path_id", "=", pathId))
    .select(["s.id", "s.provider_id", "s.slot_date", "s.start_time", "s.end_time", "s.starts_at", "s.ends_at", "s.modality", "s.status", "c.e_formation", "c.hybrid_status", "st.path_id as on_slot"])
    .where("s.id", "in", slotIds)
    .orderBy("s.starts_at")
    .execute();

export const pathFacts = (db: Q, pathId: string) =>
  db
    .selectFrom(pathRows().as("p"))
    .innerJoin(traineeRows().as("t"), "t.id", "p.trainee_id")
    .leftJoin(positioningRows().as("pos"), "pos.path_id", "p.id")
    .innerJoin(orderLineRows().as("ol"), "ol.id", "p.order_line_id")
    .innerJoin(componentRows().as("c"), "c.id", "ol.component_id")
    .select(["p.id", "p.provider_id", "p.status", "p.trainee_id", "t.first_name", "t.last_name", "pos.recommends_access_site", "c.title as component_title", "c.e_formation", "c.hybrid_status"])
    .where("p.id", "=", pathId)
    .executeTakeFirst();

/** The path's distance slots from `from` (Paris date) on, with the seat booked for each, if any. */
export const pathDistanceSlots = (db: Q, pathId: string, from: string) =>
  db
    .selectFrom(slotTraineeRows().as("st"))
    .innerJoin(slotRows().as("s"), "s.id", "st.slot_id")
    .leftJoin(
      (eb) =>
        eb
          .selectFrom("seat_booking as b")
          .innerJoin("access_site_room as r", "r.id", "b.room_id")
          .innerJoin("access_site as a", "a.id", "b.access_site_id")
          .select(["b.id", "b.slot_id", "b.status", "b.seat_no", "r.name as room_name", "a.name as site_name"])
          .where("b.path_id", "=", pathId)
          .where("b.status", "in", [...ACTIVE, "no_show"])
          .as("bk"),
      (j) => j.onRef("bk.slot_id", "=", "s.id"),
    )
    .select(["s.id", "s.slot_date", "s.start_time", "s.end_time", "s.status as slot_status", "bk.id as booking_id", "bk.status as booking_status", "bk.seat_no", "bk.room_name", "bk.site_name"])
    .where("st.path_id", "=", pathId)
    .where("s.modality", "=", "distance")
    .where("s.slot_date", ">=", from)
    .orderBy("s.starts_at")
    .execute();

// ---- Seats ----

const range = (startsAt: Date, endsAt: Date) => sql`tstzrange(${startsAt.toISOString()}::timestamptz, ${endsAt.toISOString()}::timestamptz, '[)')`;

/** The lowest-numbered PC of the room free over the span (the exclusion constraint has the last word). */
export async function freeSeat(db: Q, roomId: string, startsAt: Date, endsAt: Date): Promise<number | undefined> {
  const row = await db
    .selectFrom("access_site_seat as seat")
    .select("seat.seat_no")
    .where("seat.room_id", "=", roomId)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom("seat_booking as b")
            .select("b.id")
            .whereRef("b.room_id", "=", "seat.room_id")
            .whereRef("b.seat_no", "=", "seat.seat_no")
            .where("b.status", "in", [...ACTIVE])
            .where(sql<boolean>`b.during && ${range(startsAt, endsAt)}`),
        ),
      ),
    )
    .orderBy("seat.seat_no")
    .limit(1)
    .executeTakeFirst();
  return row?.seat_no;
}

export async function traineeBusy(db: Q, traineeId: string, startsAt: Date, endsAt: Date): Promise<boolean> {
  const row = await db
    .selectFrom("seat_booking")
    .select("id")
    .where("trainee_id", "=", traineeId)
    .where("status", "in", [...ACTIVE])
    .where(sql<boolean>`during && ${range(startsAt, endsAt)}`)
    .executeTakeFirst();
  return row !== undefined;
}

export const insertBooking = (
  db: Q,
  b: { id: string; providerId: string; slotId: string; pathId: string; traineeId: string; siteId: string; roomId: string; seatNo: number; slotDate: string; startsAt: Date; endsAt: Date; bookedBy: string; now: Date },
) =>
  db
    .insertInto("seat_booking")
    .values({
      id: b.id,
      provider_id: b.providerId,
      slot_id: b.slotId,
      path_id: b.pathId,
      trainee_id: b.traineeId,
      access_site_id: b.siteId,
      room_id: b.roomId,
      seat_no: b.seatNo,
      slot_date: b.slotDate,
      during: range(b.startsAt, b.endsAt) as never,
      booked_by: b.bookedBy,
      booked_at: b.now,
    })
    .execute();

export const findBooking = (db: Q, id: string) =>
  db
    .selectFrom("seat_booking as b")
    .innerJoin(slotRows().as("s"), "s.id", "b.slot_id")
    .select(["b.id", "b.provider_id", "b.path_id", "b.trainee_id", "b.access_site_id", "b.slot_date", "b.status", "s.starts_at", "s.ends_at"])
    .where("b.id", "=", id)
    .executeTakeFirst();

export const setStatus = (db: Q, ids: string[], values: { status: "booked" | "arrived" | "no_show" | "cancelled"; cancel_reason?: "home" | "no_show_day" | "staff" | "rescheduled" | null; by: string; at: Date }) =>
  db
    .updateTable("seat_booking")
    .set({ status: values.status, cancel_reason: values.cancel_reason ?? null, status_by: values.by, status_at: values.at })
    .where("id", "in", ids)
    .returning("id")
    .execute();

/** The trainee's active bookings that begin at or after `after`, the same Paris day (a no-show frees them). */
export const laterSameDay = (db: Q, traineeId: string, slotDate: string, after: Date) =>
  db
    .selectFrom("seat_booking")
    .select("id")
    .where("trainee_id", "=", traineeId)
    .where("slot_date", "=", slotDate)
    .where("status", "=", "booked")
    .where(sql<boolean>`lower(during) >= ${after.toISOString()}::timestamptz`)
    .execute();

/** The path's active bookings from `from` (Paris date) whose slot has not begun at `now`. */
export const futureBookingsOfPath = (db: Q, pathId: string, from: string, now: Date) =>
  db
    .selectFrom("seat_booking")
    .select("id")
    .where("path_id", "=", pathId)
    .where("slot_date", ">=", from)
    .where("status", "=", "booked")
    .where(sql<boolean>`lower(during) > ${now.toISOString()}::timestamptz`)
    .execute();

/** Every booking of the site on the day (cancelled ones aside), with who, when, where. */
export const dayBookings = (db: Q, siteId: string, date: string) =>
  db
    .selectFrom("seat_booking as b")
    .innerJoin("access_site_room as r", "r.id", "b.room_id")
    .innerJoin(slotRows().as("s"), "s.id", "b.slot_id")
    .innerJoin(traineeRows().as("t"), "t.id", "b.trainee_id")
    .innerJoin(providerRows().as("pr"), "pr.id", "b.provider_id")
    .select(["b.id", "b.provider_id", "b.room_id", "r.name as room_name", "b.seat_no", "b.status", "s.start_time", "s.end_time", "s.starts_at", "s.ends_at", "t.first_name", "t.last_name", "pr.name as provider_name"])
    .where("b.access_site_id", "=", siteId)
    .where("b.slot_date", "=", date)
    .where("b.status", "!=", "cancelled")
    .orderBy("s.starts_at")
    .orderBy("r.name")
    .orderBy("b.seat_no")
    .execute();

/** The days the site has bookings (cancelled ones aside), latest first. */
export const bookedDays = (db: Q, siteId: string, limit: number) =>
  db
    .selectFrom("seat_booking")
    .select((eb) => ["slot_date", eb.fn.countAll<number>().as("bookings")])
    .where("access_site_id", "=", siteId)
    .where("status", "!=", "cancelled")
    .groupBy("slot_date")
    .orderBy("slot_date", "desc")
    .limit(limit)
    .execute();

/** The active (not yet pointed) bookings of these slots at the slots' current times, latest first. */
export const bookingsOfSlots = (db: Q, slotIds: string[]) =>
  db
    .selectFrom("seat_booking as b")
    .innerJoin(slotRows().as("s"), "s.id", "b.slot_id")
    .innerJoin(traineeRows().as("t"), "t.id", "b.trainee_id")
    .select(["b.id", "b.trainee_id", "b.room_id", "b.seat_no", "b.provider_id", "b.path_id", "s.slot_date", "s.starts_at", "s.ends_at", "t.first_name", "t.last_name"])
    .where("b.slot_id", "in", slotIds)
    .where("b.status", "=", "booked")
    .orderBy(sql`lower(b.during)`, "desc")
    .forUpdate("b")
    .execute();

/** Is this PC free over the span, apart from the booking being moved? */
export async function seatFree(db: Q, roomId: string, seatNo: number, startsAt: Date, endsAt: Date, exceptId: string): Promise<boolean> {
  const row = await db
    .selectFrom("seat_booking")
    .select("id")
    .where("room_id", "=", roomId)
    .where("seat_no", "=", seatNo)
    .where("id", "<>", exceptId)
    .where("status", "in", [...ACTIVE])
    .where(sql<boolean>`during && ${range(startsAt, endsAt)}`)
    .executeTakeFirst();
  return row === undefined;
}

/** Is the trainee booked elsewhere over the span, apart from the booking being moved? */
export async function traineeBusyElsewhere(db: Q, traineeId: string, startsAt: Date, endsAt: Date, exceptId: string): Promise<boolean> {
  const row = await db
    .selectFrom("seat_booking")
    .select("id")
    .where("trainee_id", "=", traineeId)
    .where("id", "<>", exceptId)
    .where("status", "in", [...ACTIVE])
    .where(sql<boolean>`during && ${range(startsAt, endsAt)}`)
    .executeTakeFirst();
  return row !== undefined;
}

export const moveBooking = (db: Q, id: string, b: { seatNo: number; slotDate: string; startsAt: Date; endsAt: Date }) =>
  db
    .updateTable("seat_booking")
    .set({ seat_no: b.seatNo, slot_date: b.slotDate, during: range(b.startsAt, b.endsAt) as never })
    .where("id", "=", id)
    .execute();
