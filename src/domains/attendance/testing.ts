// Helpers of the attendance tests (test-only: nothing in src imports this). Slots are inserted
// straight into the tables, as the schedule domain would have made them.
import type { Db } from "../../core/db/index.ts";
import type { Modality } from "../../core/db/schema.ts";
import { newId } from "../../core/time.ts";
import { createUser } from "../../../test/support/app.ts";
import { createOrderFixture, type OrderFixture } from "../../../test/support/fixtures.ts";
import { actorOf, register } from "../paths/testing.ts";
import { claimDevice, enrolDevice } from "./use-cases.ts";

export interface AttendanceFixture {
  fx: OrderFixture;
  trainerEmail: string;
  trainerId: string;
  trainees: { traineeId: string; pathId: string }[];
}

/** An order, a trainer, and `count` trainees registered on it. */
export async function attendanceFixture(db: Db, count = 2): Promise<AttendanceFixture> {
  const fx = await createOrderFixture(db);
  const trainerEmail = `formateur-${newId().slice(0, 8)}@organisme.test`;
  const trainerId = await createUser(db, { email: trainerEmail, role: "trainer", providerId: fx.providerId, fullName: "Paul Formateur" });
  const admin = await actorOf(db, fx.adminEmail);
  const trainees = [];
  for (let i = 0; i < count; i++) trainees.push(await register(db, admin, fx));
  return { fx, trainerEmail, trainerId, trainees };
}

/** A slot (Europe/Paris date and times; instants given in UTC) with its expected paths. */
export async function insertSlot(
  db: Db,
  f: AttendanceFixture,
  opts: { date?: string; start?: string; end?: string; startsAt?: string; endsAt?: string; modality?: Modality; status?: "planned" | "open" | "closed"; pathIds?: string[]; trainerId?: string | null } = {},
): Promise<string> {
  const id = newId();
  const modality = opts.modality ?? "centre";
  await db
    .insertInto("slot")
    .values({
      id,
      provider_id: f.fx.providerId,
      order_line_id: f.fx.orderLineId,
      site_id: f.fx.siteId,
      slot_date: opts.date ?? "2026-03-02",
      start_time: opts.start ?? "09:00",
      end_time: opts.end ?? "12:00",
      starts_at: opts.startsAt ?? "2026-03-02T08:00:00Z",
      ends_at: opts.endsAt ?? "2026-03-02T11:00:00Z",
      modality,
      self_study_location: modality === "self_study" ? "remote" : null,
      objectives: modality === "self_study" ? "Réviser le vocabulaire professionnel" : null,
      deliverables: modality === "self_study" ? "Fiche de vocabulaire" : null,
      trainer_id: opts.trainerId === undefined ? f.trainerId : opts.trainerId,
      status: opts.status ?? "open",
    })
    .execute();
  const pathIds = opts.pathIds ?? f.trainees.map((t) => t.pathId);
  if (pathIds.length) await db.insertInto("slot_trainee").values(pathIds.map((path_id) => ({ slot_id: id, path_id }))).execute();
  return id;
}

/** Enrols and claims a trainee's phone: returns the cookie header value. */
export async function deviceCookie(db: Db, f: AttendanceFixture, traineeId: string, now = new Date("2026-03-01T12:00:00Z")): Promise<string> {
  const admin = await actorOf(db, f.fx.adminEmail);
  const { token } = await enrolDevice(db, admin, now, traineeId);
  const claimed = await claimDevice(db, now, token);
  return `cp_device=${claimed.token}`;
}

export const SIGNATURE = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><path d="M1 1 L9 9"/></svg>';
