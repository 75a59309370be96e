// Test-only helpers: slots and attendance rows inserted straight into the tables (the schedule and
// signing domains test how they are made; here they are the ledger's input).
import type { Db } from "../../core/db/index.ts";
import type { Modality } from "../../core/db/schema.ts";
import { newId } from "../../core/time.ts";

const pad = (n: number) => String(n).padStart(2, "0");
const plus = (time: string, minutes: number) => {
  const [h, m] = time.split(":").map(Number);
  const t = h * 60 + m + minutes;
  return `${pad(Math.floor(t / 60))}:${pad(t % 60)}`;
};

/** A slot of `minutes` starting at `start` (Paris winter time, +01:00) with its expected trainees. */
export async function addSlot(
  db: Db,
  s: { providerId: string; orderLineId: string; date: string; start?: string; minutes?: number; modality: Modality; location?: "remote" | "centre"; pathIds: string[]; status?: "planned" | "open" | "closed" | "cancelled"; trainerId?: string },
) {
  const id = newId();
  const start = s.start ?? "09:00";
  const end = plus(start, s.minutes ?? 210);
  await db
    .insertInto("slot")
    .values({
      id,
      provider_id: s.providerId,
      order_line_id: s.orderLineId,
      slot_date: s.date,
      start_time: start,
      end_time: end,
      starts_at: new Date(`${s.date}T${start}:00+01:00`),
      ends_at: new Date(`${s.date}T${end}:00+01:00`),
      modality: s.modality,
      self_study_location: s.modality === "self_study" ? (s.location ?? "centre") : null,
      objectives: s.modality === "self_study" ? "Objectifs" : null,
      deliverables: s.modality === "self_study" ? "Exercices rendus" : null,
      status: s.status ?? "closed",
      trainer_id: s.trainerId ?? null,
      place: "Salle 1",
    })
    .execute();
  if (s.pathIds.length) await db.insertInto("slot_trainee").values(s.pathIds.map((path_id) => ({ slot_id: id, path_id }))).execute();
  return id;
}

/** One attendance row; present rows are signed (signed_at set) unless `signed: false`. */
export async function addAttendance(
  db: Db,
  a: { slotId: string; pathId: string; status?: "present" | "late" | "absent" | "excused"; minutes?: number; lateMinutes?: number; method?: "qr" | "kiosk" | "paper" | "remote" | "self_study" | "tutor" | "trainer"; signed?: boolean; signature?: string },
) {
  const status = a.status ?? "present";
  const absent = status === "absent" || status === "excused";
  const signed = a.signed ?? !absent;
  await db
    .insertInto("attendance")
    .values({
      id: newId(),
      slot_id: a.slotId,
      path_id: a.pathId,
      status,
      late_minutes: a.lateMinutes ?? 0,
      realised_minutes: absent ? 0 : (a.minutes ?? 210),
      method: a.method ?? (signed ? "qr" : "trainer"),
      signed_at: signed ? new Date() : null,
      signature: signed ? (a.signature ?? "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 300 150'><path d=\"M10 100 L 80 20 L 150 120\"/></svg>") : null,
    })
    .execute();
}
