// Queries of the attendance tables. The slot row is read here too (locked as the sheet's counter);
// the schedule domain owns its creation.
import { sql, type Transaction } from "kysely";
import type { Db } from "../../core/db/index.ts";
import type { DB } from "../../core/db/schema.ts";
import { proofState } from "./proof.ts";
import { slotRows, slotTraineeRows } from "../schedule/views.ts";
import { pathRows, traineeRows } from "../paths/views.ts";
import { orderLineRows, orderRows } from "../orders/views.ts";
import { componentRows, moduleRows, siteRows } from "../offer/views.ts";
import { accountRows } from "../../core/auth/accounts.ts";

type Q = Db | Transaction<DB>;

export async function slotById(db: Q, slotId: string, lock = false) {
  let q = db.selectFrom(slotRows().as("slot")).selectAll().where("id", "=", slotId);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}
export type SlotRow = NonNullable<Awaited<ReturnType<typeof slotById>>>;

/** The path through which this trainee is expected on this slot, if any. */
export async function expectedPath(db: Q, slotId: string, traineeId: string) {
  return db
    .selectFrom(slotTraineeRows().as("st"))
    .innerJoin(pathRows().as("p"), "p.id", "st.path_id")
    .select("p.id")
    .where("st.slot_id", "=", slotId)
    .where("p.trainee_id", "=", traineeId)
    .executeTakeFirst();
}

/** Whether the trainee belongs to the slot's provider: another provider's slot is unknown to them. */
export async function sameProvider(db: Q, slotId: string, traineeId: string) {
  const row = await db.selectFrom(slotRows().as("s")).innerJoin(traineeRows().as("t"), "t.provider_id", "s.provider_id").select("s.id").where("s.id", "=", slotId).where("t.id", "=", traineeId).executeTakeFirst();
  return row !== undefined;
}

/**
 * For each of these trainees expected on the slot: their path, the id of their row if any, and the
 * chain's last link. Run it after taking the slot lock, in its own statement (a fresh snapshot).
 * `tokenHashes` also resolves phones' device cookies to the expected trainee they belong to, in the
 * same statement; a token matching no row is either unknown or a trainee not expected here (the
 * caller tells them apart on its slow path).
 */
/**
 * A trainee whose account the Region deactivated: their registered phones stop signing at once, as
 * their sessions did (a trainee without any account keeps the phones the provider paired).
 */
export const deactivatedAccountOf = (device: string) =>
  sql<boolean>`exists (select 1 from ${accountRows()} as u where u.trainee_id = ${sql.ref(`${device}.trainee_id`)} and not u.active)`;

export async function signersOnSlot(db: Q, slotId: string, traineeIds: string[], tokenHashes: string[] = []) {
  // The chain's last link, read once for the statement (a joined derived table, not a per-row subquery).
  const last = db.selectFrom("evidence").select(["seq as last_seq", "hash as last_hash"]).where("slot_id", "=", slotId).orderBy("seq", "desc").limit(1);
  // Lists travel as one array parameter each (`= any($n)`): the statement's text is the same for any group size.
  return db
    .selectFrom(slotTraineeRows().as("st"))
    .innerJoin(pathRows().as("p"), "p.id", "st.path_id")
    .leftJoin("attendance as a", (j) => j.onRef("a.slot_id", "=", "st.slot_id").onRef("a.path_id", "=", "st.path_id"))
    .leftJoin("device_session as d", (j) =>
      j
        .onRef("d.trainee_id", "=", "p.trainee_id")
        .on(sql<boolean>`d.token_hash = any(${tokenHashes}::text[])`)
        .on("d.revoked_at", "is", null)
        .on("d.last_seen_at", "is not", null)
        .on(sql<boolean>`not ${deactivatedAccountOf("d")}`),
    )
    .leftJoin(last.as("l"), (j) => j.onTrue())
    .select(["p.trainee_id", "p.id as path_id", "a.id as attendance_id", "d.id as device_id", "d.token_hash", "d.expires_at", "l.last_seq", "l.last_hash"])
    .where("st.slot_id", "=", slotId)
    .where((eb) => eb.or([sql<boolean>`p.trainee_id = any(${traineeIds}::uuid[])`, eb("d.token_hash", "is not", null)]))
    .execute();
}

export async function isExpected(db: Q, slotId: string, pathId: string) {
  return !!(await db.selectFrom(slotTraineeRows().as("slot_trainee")).select("path_id").where("slot_id", "=", slotId).where("path_id", "=", pathId).executeTakeFirst());
}

export async function attendanceOf(db: Q, slotId: string, pathId: string) {
  return db.selectFrom("attendance").selectAll().where("slot_id", "=", slotId).where("path_id", "=", pathId).executeTakeFirst();
}
export type AttendanceRow = NonNullable<Awaited<ReturnType<typeof attendanceOf>>>;

/** Expected trainees of a slot with their attendance row (if any) and how it stands (proved or declared), by name. */
export async function sheetRows(db: Q, slotId: string) {
  return db
    .selectFrom(slotTraineeRows().as("st"))
    .innerJoin(slotRows().as("s"), "s.id", "st.slot_id")
    .innerJoin(pathRows().as("p"), "p.id", "st.path_id")
    .innerJoin(traineeRows().as("t"), "t.id", "p.trainee_id")
    .leftJoin("attendance as a", (j) => j.onRef("a.slot_id", "=", "st.slot_id").onRef("a.path_id", "=", "st.path_id"))
    .select([
      "p.id as path_id",
      "t.id as trainee_id",
      "t.first_name",
      "t.last_name",
      "a.id as attendance_id",
      "a.status",
      "a.late_minutes",
      "a.realised_minutes",
      "a.method",
      "a.signed_at",
    ])
    .select(proofState("a", "s").as("proof"))
    .where("st.slot_id", "=", slotId)
    .orderBy("t.last_name")
    .orderBy("t.first_name")
    .execute();
}
export type SheetRow = Awaited<ReturnType<typeof sheetRows>>[number];

export async function slotHeading(db: Q, slotId: string) {
  return db
    .selectFrom(slotRows().as("s"))
    .innerJoin(orderLineRows().as("l"), "l.id", "s.order_line_id")
    .innerJoin(componentRows().as("c"), "c.id", "l.component_id")
    .innerJoin(orderRows().as("o"), "o.id", "l.order_id")
    .leftJoin(moduleRows().as("m"), "m.id", "s.module_id")
    .leftJoin(siteRows().as("si"), "si.id", "s.site_id")
    .leftJoin(accountRows().as("u"), "u.id", "s.trainer_id")
    .select(["c.title as component_title", "m.title as module_title", "o.number as order_number", "si.name as site_name", "u.full_name as trainer_name"])
    .where("s.id", "=", slotId)
    .executeTakeFirstOrThrow();
}
export type SlotHeading = Awaited<ReturnType<typeof slotHeading>>;

const signerSlotColumns = [
  "s.id",
  "s.slot_date",
  "s.start_time",
  "s.end_time",
  "s.modality",
  "s.status",
  "s.objectives",
  "s.deliverables",
  "s.resources",
  "s.virtual_room_url",
] as const;

/** The slots a trainee is expected on, with their own attendance row if any. */
function traineeSlots(db: Q, traineeId: string) {
  return db
    .selectFrom(slotRows().as("s"))
    .innerJoin(slotTraineeRows().as("st"), "st.slot_id", "s.id")
    .innerJoin(pathRows().as("p"), "p.id", "st.path_id")
    .innerJoin(orderLineRows().as("l"), "l.id", "s.order_line_id")
    .innerJoin(componentRows().as("c"), "c.id", "l.component_id")
    .leftJoin(moduleRows().as("m"), "m.id", "s.module_id")
    .leftJoin("attendance as a", (j) => j.onRef("a.slot_id", "=", "s.id").onRef("a.path_id", "=", "p.id"))
    .select([...signerSlotColumns, "p.id as path_id", "a.status as a_status", "a.realised_minutes as a_realised", "a.signed_at as a_signed_at"])
    .select(proofState("a", "s").as("a_proof"))
    .select((eb) => eb.fn.coalesce("m.title", "c.title").as("title"))
    .where("p.trainee_id", "=", traineeId);
}

/** A slot as the trainee sees it, only when this trainee is expected on it. */
export async function slotForTrainee(db: Q, slotId: string, traineeId: string) {
  return traineeSlots(db, traineeId).where("s.id", "=", slotId).executeTakeFirst();
}

export async function slotsOfTraineeOn(db: Q, traineeId: string, date: string) {
  return traineeSlots(db, traineeId).where("s.slot_date", "=", date).where("s.status", "!=", "cancelled").orderBy("s.start_time").execute();
}
