// Demo: two months of signed attendance for the demo's validated and closed paths (from each
// path's entry, up to yesterday), so that realised hours, certificates and billing statements have
// content. Slots are per cohort (order line × site × entry date); evidence rows are chained exactly
// as the signing domain chains them (same hash functions).
import type { Transaction } from "kysely";
import type { DB } from "../core/db/schema.ts";
import { addDays, parisDate } from "../core/time.ts";
import { canonicalJson, chainHash, sha256 } from "../domains/attendance/evidence.ts";
import { parisInstant } from "../domains/schedule/calendar.ts";
import { publicHoliday } from "../domains/schedule/rules.ts";
import { createRng } from "./random.ts";

type Tx = Transaction<DB>;
const WEEKS = 9; // a little over two months
const SIGNATURE = (n: number) =>
  `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 120"><path d="M${20 + (n % 30)} 80 C 60 ${10 + (n % 40)}, 90 110, 130 60 S 200 ${20 + (n % 50)}, 260 70" fill="none" stroke="black" stroke-width="3"/></svg>`;

interface Pattern {
  weekday: number; // 0 = Monday
  start: string;
  end: string;
  minutes: number;
  modality: "centre" | "distance" | "self_study";
  everyOtherWeek?: 0 | 1;
}
const WEEK: Pattern[] = [
  { weekday: 0, start: "09:00", end: "12:30", minutes: 210, modality: "centre" },
  { weekday: 1, start: "13:30", end: "17:00", minutes: 210, modality: "centre" },
  { weekday: 3, start: "09:00", end: "12:30", minutes: 210, modality: "distance", everyOtherWeek: 0 },
  { weekday: 4, start: "09:00", end: "11:00", minutes: 120, modality: "self_study", everyOtherWeek: 1 },
];

export async function loadDemoAttendance(tx: Tx, now: Date): Promise<{ slots: number; attendance: number }> {
  const rng = createRng(4_2026);
  const today = parisDate(now);
  const paths = await tx
    .selectFrom("path as p")
    .innerJoin("order_line as ol", "ol.id", "p.order_line_id")
    .innerJoin("component as c", "c.id", "ol.component_id")
    .select(["p.id", "p.provider_id", "p.order_line_id", "p.site_id", "p.entry_date", "p.planned_exit_date", "p.actual_exit_date", "c.e_formation"])
    .where("p.status", "in", ["validated", "closed"])
    .orderBy("p.entry_date")
    .orderBy("p.id")
    .execute();
  const items = await tx.selectFrom("path_item").select(["path_id", "modality", "planned_minutes", "exempted"]).where("path_id", "in", paths.length ? paths.map((p) => p.id) : [""]).execute();
  const trainers = await tx.selectFrom("app_user").select(["id", "provider_id", "role"]).where("role", "in", ["trainer", "pedagogical_referent"]).orderBy("role", "desc").orderBy("id").execute();
  // What each path may still realise per modality (the plan is never exceeded).
  const remaining = new Map<string, Record<string, number>>();
  for (const i of items) {
    if (i.exempted) continue;
    const r = remaining.get(i.path_id) ?? {};
    r[i.modality] = (r[i.modality] ?? 0) + i.planned_minutes;
    remaining.set(i.path_id, r);
  }
  const realised = new Map(paths.map((p) => [p.id, { nonCompany: 0, remote: 0 }]));
  const cohorts = new Map<string, typeof paths>();
  for (const p of paths) {
    const key = `${p.order_line_id}|${p.site_id}|${p.entry_date}`;
    cohorts.set(key, [...(cohorts.get(key) ?? []), p]);
  }
  const out = emptyHistory();
  for (const cohort of cohorts.values()) {
    const head = cohort[0];
    const trainer = trainers.find((u) => u.provider_id === head.provider_id);
    if (!trainer) continue;
    for (let week = 0; week < WEEKS; week++) {
      for (const pat of WEEK) {
        if (pat.everyOtherWeek !== undefined && week % 2 !== pat.everyOtherWeek) continue;
        const date = addDays(head.entry_date, week * 7 + pat.weekday);
        if (date >= today || publicHoliday(date, false)) continue;
        const modality = pat.modality;
        const who = cohort.filter((p) => {
          if (date > (p.actual_exit_date ?? p.planned_exit_date)) return false;
          if ((remaining.get(p.id)?.[modality] ?? 0) < pat.minutes) return false;
          const r = realised.get(p.id)!;
          // CP-DISTANCE-MAX-50 holds on realised hours too: distance only while it stays within half.
          return modality !== "distance" || head.e_formation || 2 * (r.remote + pat.minutes) <= r.nonCompany + pat.minutes;
        });
        if (who.length === 0) continue;
        const slot = openSlot(out, {
          id: rng.uuid(),
          providerId: head.provider_id,
          orderLineId: head.order_line_id,
          siteId: head.site_id,
          date,
          start: pat.start,
          end: pat.end,
          modality,
          trainer,
        });
        for (const p of who) {
          const roll = rng.next();
          const status = roll < 0.05 ? "absent" : roll < 0.08 ? "excused" : roll < 0.14 ? "late" : "present";
          const late = status === "late" ? rng.pick([5, 10, 15, 20]) : 0;
          const minutes = status === "absent" || status === "excused" ? 0 : pat.minutes - late;
          const signedAt = status === "absent" || status === "excused" ? null : new Date(slot.startsAt.getTime() + (late + rng.int(0, 4)) * 60_000);
          slot.record(p.id, rng.uuid(), { status, late, minutes, signedAt });
          remaining.get(p.id)![modality] -= pat.minutes;
          const r = realised.get(p.id)!;
          r.nonCompany += minutes;
          if (modality === "distance") r.remote += minutes;
        }
        slot.countersign();
      }
    }
  }
  await insertHistory(tx, out);
  return { slots: out.slot.length, attendance: out.attendance.length };
}

// Signed history rows, built as the signing domain builds them: one closed slot, its trainees'
// attendance (signed, or recorded absent by the trainer), the trainer's countersignature and the
// slot's evidence chain (same hash functions). Shared with the demo's closed order (closed-order.ts).

export interface History {
  slot: DB["slot"][];
  slot_trainee: DB["slot_trainee"][];
  attendance: DB["attendance"][];
  countersignature: DB["countersignature"][];
  evidence: Omit<DB["evidence"], "id">[];
  /** Signatures drawn so far (varies the drawn strokes). */
  signatures: number;
}

export const emptyHistory = (): History => ({ slot: [], slot_trainee: [], attendance: [], countersignature: [], evidence: [], signatures: 0 });

export interface HistorySlot {
  id: string;
  providerId: string;
  orderLineId: string;
  /** The path's site (ignored for distance slots, which have none). */
  siteId: string;
  date: string;
  start: string;
  end: string;
  modality: "centre" | "distance" | "self_study";
  trainer: { id: string; role: string };
}

export interface Mark {
  status: "present" | "late" | "absent" | "excused";
  late: number;
  minutes: number;
  /** The trainee's signature time; null when absent or excused (recorded by the trainer). */
  signedAt: Date | null;
}

/** Adds a closed slot to `h`; `record` adds one trainee's attendance, `countersign` ends the slot. */
export function openSlot(h: History, s: HistorySlot) {
  const startsAt = parisInstant(s.date, s.start);
  const endsAt = parisInstant(s.date, s.end);
  const { modality } = s;
  h.slot.push({
    id: s.id,
    provider_id: s.providerId,
    order_line_id: s.orderLineId,
    module_id: null,
    site_id: modality === "distance" ? null : s.siteId,
    slot_date: s.date,
    start_time: s.start,
    end_time: s.end,
    starts_at: startsAt,
    ends_at: endsAt,
    modality,
    self_study_location: modality === "self_study" ? "centre" : null,
    trainer_id: s.trainer.id,
    place: null,
    virtual_room_url: modality === "distance" ? "https://classe-virtuelle.demo.competences-plus.fr/salle" : null,
    objectives: modality === "self_study" ? "Consolider les acquis de la semaine" : null,
    deliverables: modality === "self_study" ? "Exercices corrigés déposés sur la plateforme" : null,
    resources: modality === "self_study" ? "Parcours en ligne et fiches de synthèse" : null,
    holiday_override: false,
    status: "closed",
    cancel_reason: null,
    cancelled_for_trainer_absence: false,
    replacement_trainer_id: null,
    paper_attachment_id: null,
    created_at: startsAt,
  } as unknown as DB["slot"]);
  let prev: string | null = null;
  let seq = 0;
  const chain = (kind: string, actorId: string | null, actorRole: string, pathId: string | null, at: Date, method: string | null, payload: Record<string, unknown>) => {
    seq++;
    const payloadHash = sha256(canonicalJson(payload));
    const hash = chainHash(prev, payloadHash, seq, at);
    h.evidence.push({ slot_id: s.id, seq, kind, actor_id: actorId, actor_role: actorRole, path_id: pathId, at, ip: "192.0.2.10", user_agent: "Démo", method, reason: null, payload: JSON.stringify(payload), payload_hash: payloadHash, prev_hash: prev, hash } as unknown as Omit<DB["evidence"], "id">);
    prev = hash;
  };
  return {
    startsAt,
    record(pathId: string, attendanceId: string, m: Mark) {
      const slotId = s.id;
      h.slot_trainee.push({ slot_id: slotId, path_id: pathId });
      const method = modality === "self_study" ? "self_study" : modality === "distance" ? "remote" : "qr";
      const signature = m.signedAt ? SIGNATURE(h.signatures++) : null;
      h.attendance.push({ id: attendanceId, slot_id: slotId, path_id: pathId, status: m.status, late_minutes: m.late, realised_minutes: m.minutes, method: m.signedAt ? method : "trainer", signed_at: m.signedAt, signature, deliverable: modality === "self_study" && m.signedAt ? "Exercices déposés" : null, client_id: null, recorded_by: m.signedAt ? null : s.trainer.id, created_at: m.signedAt ?? endsAt } as unknown as DB["attendance"]);
      if (m.signedAt) chain("signature", null, "trainee", pathId, m.signedAt, method, { slotId, pathId, status: m.status, minutes: m.minutes, signatureHash: sha256(signature!) });
      else chain("absence", s.trainer.id, s.trainer.role, pathId, endsAt, "trainer", { slotId, pathId, status: m.status, minutes: 0 });
    },
    countersign() {
      const counter = SIGNATURE(h.signatures++);
      h.countersignature.push({ slot_id: s.id, trainer_id: s.trainer.id, signature: counter, signed_at: endsAt } as unknown as DB["countersignature"]);
      chain("countersignature", s.trainer.id, s.trainer.role, null, endsAt, "trainer", { slotId: s.id, signatureHash: sha256(counter) });
    },
  };
}

/** Inserts the history in foreign-key order, 500 rows per statement. */
export async function insertHistory(tx: Tx, h: History): Promise<void> {
  for (const table of ["slot", "slot_trainee", "attendance", "countersignature", "evidence"] as const) {
    const rows = h[table] as Record<string, unknown>[];
    for (let i = 0; i < rows.length; i += 500) await tx.insertInto(table).values(rows.slice(i, i + 500) as never).execute();
  }
}
