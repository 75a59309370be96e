// Demo: a day that can be tried any day. The rest of the demo is dated in the year Y; this file
// (1) moves one small cohort (the validated paths of the English line in Albi) so that it is in
// training today, and (2) gives its trainer a slot of today whose attendance sheet is open now, with
// its trainees expected on it: the trainer has a sheet to keep, the demo trainee something to sign.
// The slot obeys the schedule's own rules: within the paths' dates and plans (CP-PATH-READJUST), a
// trainer leading one slot at a time (SCHEDULE-TRAINER-OVERLAP), a public holiday only by derogation
import type { Transaction } from "kysely";
import type { DB } from "../core/db/schema.ts";
import { addDays, daysBetween, newId, parisDate } from "../core/time.ts";
import { parisInstant } from "../domains/schedule/calendar.ts";
import { publicHoliday } from "../domains/schedule/rules.ts";
import type { DemoLine } from "./orders.ts";
import { TRAINEE_EMAIL } from "./organisations.ts";
import { type DemoRows, mondayOnOrAfter } from "./rows.ts";

type Tx = Transaction<DB>;

/** The line whose validated paths are moved to today (two trainees in Albi, one trainer). */
export const CURRENT_LINE = "garonne.english";

const mondayOnOrBefore = (date: string): string => addDays(mondayOnOrAfter(date), mondayOnOrAfter(date) === date ? 0 : -7);

/**
 * Moves the validated paths of CURRENT_LINE (every date of theirs, by whole weeks: entries stay on
 * Mondays, CP-PERIODIC-ENTRY) so that they entered one to two weeks before `today` and are still in
 * training; their planned exit stays within the order (CP-PATH-WITHIN-ORDER) and in year Y
 * (CP-ENTRY-YEAR-N). Before the order's first possible entry (the first days of January) nothing moves.
 */
export function moveCurrentCohort(rows: DemoRows, lines: DemoLine[], today: string): void {
  const line = lines.find((l) => l.key === CURRENT_LINE);
  if (!line) return;
  const entry = mondayOnOrBefore(addDays(today, -7));
  if (entry < mondayOnOrAfter(line.plannedStart) || entry.slice(0, 4) !== line.plannedStart.slice(0, 4)) return;
  for (const p of rows.path) {
    if (p.order_line_id !== line.id || p.status !== "validated") continue;
    const delta = daysBetween(p.entry_date as string, entry);
    const shift = (d: string) => addDays(d, delta);
    const exit = shift(p.planned_exit_date as string);
    p.entry_date = entry;
    p.planned_exit_date = [exit, line.plannedEnd].sort()[0]; // ISO dates: the earlier
    const trainee = rows.trainee.find((t) => t.id === p.trainee_id);
    if (trainee?.cv_updated_on) trainee.cv_updated_on = shift(trainee.cv_updated_on as string) <= today ? shift(trainee.cv_updated_on as string) : null;
    for (const pos of rows.positioning.filter((x) => x.path_id === p.id)) {
      if (pos.restitution_on) pos.restitution_on = shift(pos.restitution_on as string);
      pos.recorded_at = shiftInstant(pos.recorded_at, delta) as typeof pos.recorded_at;
    }
    for (const d of rows.deposit.filter((x) => x.path_id === p.id)) d.taken_on = shift(d.taken_on as string);
    for (const t of rows.transition_log.filter((x) => x.entity === "path" && x.entity_id === p.id)) t.at = shiftInstant(t.at, delta) as typeof t.at;
  }
}

function shiftInstant(at: unknown, days: number): unknown {
  if (at == null) return at;
  const s = at instanceof Date ? at.toISOString() : String(at);
  return `${addDays(s.slice(0, 10), days)}${s.slice(10)}`;
}

/** Europe/Paris wall-clock minutes since midnight of an instant. */
function parisMinutes(now: Date): number {
  const [h, m] = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Paris", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(now).split(":").map(Number);
  return h * 60 + m;
}

const hm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;

/**
 * Today's slot of the current cohort: in centre, begun at most half an hour ago (on the quarter
 * hour), up to 3 h 30 and never past midnight, its sheet open (the trainer opened it; the trainees
 * have not signed yet). Returns the slot's id, or null when no demo path is in training today.
 */
export async function loadDemoToday(tx: Tx, now: Date): Promise<string | null> {
  const today = parisDate(now);
  const demoTrainee = await tx.selectFrom("app_user").select("trainee_id").where("email", "=", TRAINEE_EMAIL).executeTakeFirst();
  const own = await tx
    .selectFrom("path")
    .select(["id", "order_line_id", "site_id", "entry_date", "provider_id"])
    .where("trainee_id", "=", demoTrainee?.trainee_id ?? "")
    .where("status", "=", "validated")
    .where("entry_date", "<=", today)
    .where("planned_exit_date", ">=", today)
    .executeTakeFirst();
  if (!own) return null;
  const cohort = await tx
    .selectFrom("path")
    .select("id")
    .where("order_line_id", "=", own.order_line_id)
    .where("site_id", "=", own.site_id)
    .where("entry_date", "=", own.entry_date)
    .where("status", "=", "validated")
    .where("planned_exit_date", ">=", today)
    .execute();
  const trainer = await tx.selectFrom("app_user").select("id").where("provider_id", "=", own.provider_id).where("role", "=", "trainer").orderBy("email").executeTakeFirstOrThrow();

  // CP-PATH-READJUST: no more centre minutes than every path of the cohort still has to schedule.
  const planned = await tx
    .selectFrom("path_item")
    .select(["path_id", (eb) => eb.fn.sum<number>("planned_minutes").as("m")])
    .where("path_id", "in", cohort.map((c) => c.id))
    .where("modality", "=", "centre")
    .groupBy("path_id")
    .execute();
  const used = await tx
    .selectFrom("slot_trainee as st")
    .innerJoin("slot as s", "s.id", "st.slot_id")
    .select(["st.path_id", "s.start_time", "s.end_time"])
    .where("st.path_id", "in", cohort.map((c) => c.id))
    .where("s.modality", "=", "centre")
    .where("s.status", "!=", "cancelled")
    .execute();
  const minutesOf = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));
  const room = Math.min(
    ...cohort.map((c) => {
      const p = Number(planned.find((x) => x.path_id === c.id)?.m ?? 0);
      const u = used.filter((x) => x.path_id === c.id).reduce((s, x) => s + minutesOf(x.end_time) - minutesOf(x.start_time), 0);
      return p - u;
    }),
  );
  const start = Math.max(0, Math.floor(parisMinutes(now) / 15) * 15 - 15);
  const end = Math.min(start + 210, start + room, 23 * 60 + 59);
  if (end - start < 15) return null;

  // SCHEDULE-TRAINER-OVERLAP: the trainer's other slots of the day (none by construction; checked).
  const startsAt = parisInstant(today, hm(start));
  const endsAt = parisInstant(today, hm(end));
  const busy = await tx
    .selectFrom("slot")
    .select("id")
    .where((eb) => eb.or([eb("trainer_id", "=", trainer.id), eb("replacement_trainer_id", "=", trainer.id)]))
    .where("status", "!=", "cancelled")
    .where("starts_at", "<", endsAt)
    .where("ends_at", ">", startsAt)
    .executeTakeFirst();
  if (busy) return null;

  const id = newId();
  await tx
    .insertInto("slot")
    .values({
      id,
      provider_id: own.provider_id,
      order_line_id: own.order_line_id,
      site_id: own.site_id,
      slot_date: today,
      start_time: hm(start),
      end_time: hm(end),
      starts_at: startsAt,
      ends_at: endsAt,
      modality: "centre",
      trainer_id: trainer.id,
      // A public holiday only by derogation (PUBLIC-HOLIDAY): the demo's day is whatever day it is tried.
      holiday_override: publicHoliday(today, false) !== undefined,
      status: "open",
      created_at: addMinutes(startsAt, -7 * 24 * 60),
    } as never)
    .execute();
  await tx
    .insertInto("slot_trainee")
    .values(cohort.map((c) => ({ slot_id: id, path_id: c.id })))
    .execute();
  await tx
    .insertInto("transition_log")
    .values({ entity: "slot", entity_id: id, from_status: "planned", to_status: "open", reason: null, actor_id: trainer.id, at: (startsAt <= now ? startsAt : now) as never })
    .execute();
  return id;
}

const addMinutes = (d: Date, minutes: number) => new Date(d.getTime() + minutes * 60_000);
