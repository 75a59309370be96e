// The slot generator: lays the planned module hours of an order line's validated paths into
// half-day slots of one week, to be edited by hand afterwards.
//
// How it works (simple on purpose, documented in the README):
// - half-days Monday–Friday, 9:00–12:30 and 13:30–17:00 (3 h 30 each);
// - a public holiday, or a day the site is closed, gets no slot;
// - the paths are grouped by site; each half-day, per site, ONE slot is laid (one trainer, one
//   room): the first module in the component's order that an active, free path still needs; the
//   group is every such path; the slot lasts 3 h 30 or less when the group needs less (the
//   smallest remaining need in the group), so nobody gets more than planned;
// - "still needs" = planned minutes of the path's module − minutes already in non-cancelled slots;
// - self-study (needs objectives, deliverables and resources: CP-SELFSTUDY-DEFINED) and company
//   hours (need a signed agreement) are never generated: they are listed as left to plan by hand;
// - each slot passes the same rules as a slot typed by hand — its trainees' plans included
//   (CP-PATH-READJUST): a refused one is reported and skipped;
// - with a trainer chosen, a half-day where that trainer already leads another slot (any component,
//   any modality) is skipped and listed with that slot (SCHEDULE-TRAINER-OVERLAP): the rest of the
//   week is still generated, what was entered stays in the form, and the hours stay to plan.
import { sql } from "kysely";
import type { Actor } from "../../core/auth/actor.ts";
import type { Db } from "../../core/db/index.ts";
import { DomainError, invalid, notFound } from "../../core/errors.ts";
import { recordEvent } from "../../core/outbox.ts";
import { addDays } from "../../core/time.ts";
import { formatDayFr, holidayOn, minutesOfDay, mondayOfIsoWeek, parisInstant, slotMinutes } from "./calendar.ts";
import * as rules from "./rules.ts";
import type { GenerateInput, SlotFields } from "./schema.ts";
import { closuresOf, loadLine, lockOrder, lockTrainer, staffOf, trainerBookings } from "./store.ts";
import { insertSlot, judgeSlot, requireScheduleWriter } from "./use-cases.ts";
import { pathItemRows, pathRows, traineeRows } from "../paths/views.ts";
import { moduleRows } from "../offer/views.ts";

export const HALF_DAYS = [
  { start: "09:00", end: "12:30", label: "matin" },
  { start: "13:30", end: "17:00", label: "après-midi" },
] as const;

export interface GenerateResult {
  created: string[];
  /** Half-days left empty and why; `code` is the refusing rule (e.g. SCHEDULE-TRAINER-OVERLAP). */
  skipped: { date: string; reason: string; code?: string }[];
  /** Needs left for the week after generation, or never generated (self-study, company). */
  leftToPlan: { pathId: string; name: string; label: string; minutes: number; why: string }[];
}

const toTime = (m: number) => `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;

export async function generateSlots(db: Db, actor: Actor, input: GenerateInput): Promise<GenerateResult> {
  const monday = mondayOfIsoWeek(input.week);
  if (!monday) throw invalid(`Semaine inconnue : « ${input.week} ».`);
  const line = await loadLine(db, input.orderLineId);
  if (!line) throw notFound("Composante de commande");
  requireScheduleWriter(actor, line.provider_id);
  const friday = addDays(monday, 4);

  return db.transaction().execute(async (tx) => {
    let pq = tx
      .selectFrom(pathRows().as("p"))
      .innerJoin(traineeRows().as("t"), "t.id", "p.trainee_id")
      .select(["p.id", "p.site_id", "p.entry_date", "p.planned_exit_date", "p.actual_exit_date", "t.first_name", "t.last_name"])
      .where("p.order_line_id", "=", input.orderLineId)
      .where("p.status", "=", "validated")
      .where("p.entry_date", "<=", friday)
      .orderBy("t.last_name");
    if (input.siteId) pq = pq.where("p.site_id", "=", input.siteId);
    const paths = (await pq.execute()).filter((p) => (p.actual_exit_date ?? p.planned_exit_date) >= monday);
    // The trainer's row is locked first, outside the per-slot savepoints (whose rollback would drop
    // it), so the order is trainer → paths as in every slot write (SCHEDULE-TRAINER-OVERLAP).
    const trainer = input.trainerId ? await staffOf(tx, line.provider_id).then((staff) => staff.find((u) => u.id === input.trainerId)) : undefined;
    if (input.trainerId && !trainer) throw invalid("Le formateur ou la formatrice doit faire partie de l'organisme.", [{ code: "VALIDATION", severity: "error", message: "Le formateur ou la formatrice doit faire partie de l'organisme.", article: "", field: "trainerId" }]);
    if (trainer) await lockTrainer(tx, trainer.id);
    // The order's lock too (then each slot's paths in judgeSlot): slots answer to the plans under it (docs/adr/0009).
    await lockOrder(tx, line.order_id);
    const booked = trainer ? await trainerBookings(tx, line.provider_id, trainer.id, monday, friday) : [];
    const result: GenerateResult = { created: [], skipped: [], leftToPlan: [] };
    if (paths.length === 0) return result;
    const pathIds = paths.map((p) => p.id);
    const nameOf = new Map(paths.map((p) => [p.id, `${p.first_name} ${p.last_name}`]));

    const items = await tx
      .selectFrom(pathItemRows().as("i"))
      .leftJoin(moduleRows().as("m"), "m.id", "i.module_id")
      .select(["i.path_id", "i.module_id", "i.label", "i.modality", "i.planned_minutes", "m.position"])
      .where("i.path_id", "in", pathIds)
      .where("i.exempted", "=", false)
      .where("i.planned_minutes", ">", 0)
      .execute();
    const done = await tx
      .selectFrom("slot as s")
      .innerJoin("slot_trainee as x", "x.slot_id", "s.id")
      .select(["x.path_id", "s.module_id", "s.start_time", "s.end_time"])
      .where("x.path_id", "in", pathIds)
      .where("s.status", "!=", "cancelled")
      .execute();
    // remaining[pathId][moduleId] for the modules the generator lays out.
    const remaining = new Map<string, Map<string, number>>();
    const needs: { moduleId: string; label: string; modality: SlotFields["modality"]; position: number }[] = [];
    for (const i of items) {
      if (!i.module_id || i.modality === "self_study" || i.modality === "company") {
        result.leftToPlan.push({ pathId: i.path_id, name: nameOf.get(i.path_id)!, label: i.label, minutes: i.planned_minutes, why: i.modality === "company" ? "entreprise : après signature de la convention" : "autoformation : objectifs, livrables et ressources à définir" });
        continue;
      }
      const scheduled = done.filter((d) => d.path_id === i.path_id && d.module_id === i.module_id).reduce((n, d) => n + slotMinutes(d.start_time, d.end_time), 0);
      const left = i.planned_minutes - scheduled;
      if (left <= 0) continue;
      const byModule = remaining.get(i.path_id) ?? new Map<string, number>();
      byModule.set(i.module_id, left);
      remaining.set(i.path_id, byModule);
      if (!needs.some((n) => n.moduleId === i.module_id)) needs.push({ moduleId: i.module_id, label: i.label, modality: i.modality, position: i.position ?? 0 });
    }
    needs.sort((a, b) => a.position - b.position);
    const siteIds = [...new Set(paths.map((p) => p.site_id))];
    const closures = await closuresOf(tx, siteIds, monday, friday);
    const busy = await tx
      .selectFrom("slot as s")
      .innerJoin("slot_trainee as x", "x.slot_id", "s.id")
      .select(["x.path_id", "s.slot_date", "s.start_time", "s.end_time"])
      .where("x.path_id", "in", pathIds)
      .where("s.status", "!=", "cancelled")
      .where("s.slot_date", ">=", monday)
      .where("s.slot_date", "<=", friday)
      .execute();
    const isBusy = (pathId: string, date: string, start: string, end: string) =>
      busy.some((b) => b.path_id === pathId && b.slot_date === date && minutesOfDay(b.start_time) < minutesOfDay(end) && minutesOfDay(start) < minutesOfDay(b.end_time));

    for (let d = 0; d < 5; d++) {
      const date = addDays(monday, d);
      const holiday = holidayOn(date);
      if (holiday) {
        result.skipped.push({ date, reason: `${formatDayFr(date)} : jour férié (${holiday})` });
        continue;
      }
      for (const half of HALF_DAYS) {
        const clash = trainer ? rules.trainerFree(trainer.full_name, { startsAt: parisInstant(date, half.start), endsAt: parisInstant(date, half.end) }, booked) : undefined;
        if (clash) {
          result.skipped.push({ date, reason: `${formatDayFr(date)} ${half.label} : ${clash.message}`, code: clash.code });
          continue;
        }
        let trainerBusy = false;
        for (const siteId of siteIds) {
          const closure = closures.find((c) => c.site_id === siteId && c.start_date <= date && date <= c.end_date);
          if (closure) {
            if (half === HALF_DAYS[0]) result.skipped.push({ date, reason: `${formatDayFr(date)} : site fermé (${closure.reason})` });
            continue;
          }
          if (trainerBusy) continue;
          const active = paths.filter((p) => p.site_id === siteId && p.entry_date <= date && date <= (p.actual_exit_date ?? p.planned_exit_date) && !isBusy(p.id, date, half.start, half.end));
          const need = needs.find((n) => active.some((p) => (remaining.get(p.id)?.get(n.moduleId) ?? 0) > 0));
          if (!need) continue;
          const group = active.filter((p) => (remaining.get(p.id)?.get(need.moduleId) ?? 0) > 0);
          const minutes = Math.min(slotMinutes(half.start, half.end), ...group.map((p) => remaining.get(p.id)!.get(need.moduleId)!));
          const fields: SlotFields = {
            pathIds: group.map((p) => p.id),
            moduleId: need.moduleId,
            siteId: need.modality === "distance" ? "" : siteId,
            date,
            startTime: half.start,
            endTime: toTime(minutesOfDay(half.start) + minutes),
            modality: need.modality,
            trainerId: input.trainerId || "",
            holidayOverride: false,
          };
          try {
            await sql`savepoint generated_slot`.execute(tx);
            await judgeSlot(tx, line.provider_id, input.orderLineId, fields);
            result.created.push(await insertSlot(tx, line.provider_id, input.orderLineId, fields));
            await sql`release savepoint generated_slot`.execute(tx);
          } catch (error) {
            if (!(error instanceof DomainError)) throw error;
            await sql`rollback to savepoint generated_slot`.execute(tx);
            result.skipped.push({ date, reason: `${formatDayFr(date)} ${half.label} (${need.label}) : ${error.detail}`, code: error.code });
            continue;
          }
          for (const p of group) {
            remaining.get(p.id)!.set(need.moduleId, remaining.get(p.id)!.get(need.moduleId)! - minutes);
            busy.push({ path_id: p.id, slot_date: date, start_time: half.start, end_time: fields.endTime });
          }
          if (input.trainerId) trainerBusy = true;
        }
      }
    }
    for (const [pathId, byModule] of remaining) {
      for (const [moduleId, minutes] of byModule) {
        if (minutes > 0) result.leftToPlan.push({ pathId, name: nameOf.get(pathId)!, label: needs.find((n) => n.moduleId === moduleId)!.label, minutes, why: "semaines suivantes" });
      }
    }
    if (result.created.length) await recordEvent(tx, "slots.generated", { orderLineId: input.orderLineId, week: input.week, slotIds: result.created });
    return result;
  });
}
