// Demo: two months of signed attendance for the demo's validated and closed paths (from each
// path's entry, up to yesterday), so that realised hours, certificates and billing statements have
// content. Slots are per cohort (order line × site × entry date); rows and evidence are built by the
// signing domain's own functions, so the demo's proofs verify like any others.
import { createHash } from "node:crypto";
import type { Transaction } from "kysely";
import type { DB } from "../core/db/schema.ts";
import { addDays, parisDate } from "../core/time.ts";
import { type EvidenceEntry, evidenceRow, type LastLink } from "../domains/attendance/evidence.ts";
import { evidenceSubject, storeSalts } from "../core/privacy.ts";
import { countersignatureEntry } from "../domains/attendance/sheet.ts";
import { type EvidenceInfo, type NewRow, planAttendance } from "../domains/attendance/signing.ts";
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
    .select(["p.id", "p.trainee_id", "p.provider_id", "p.order_line_id", "p.site_id", "p.entry_date", "p.planned_exit_date", "p.actual_exit_date", "c.e_formation"])
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
  const booked = new Map<string, [number, number][]>();
  for (const cohort of cohorts.values()) {
    const head = cohort[0];
    const staff = trainers.filter((u) => u.provider_id === head.provider_id);
    if (staff.length === 0) continue;
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
        // SCHEDULE-TRAINER-OVERLAP: the provider's trainer leads it, or a pedagogical referent when
        // the trainer already leads another cohort at that time; when all are busy, no slot.
        const trainer = freeTrainer(booked, staff, date, pat.start, pat.end);
        if (!trainer) continue;
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
          // About one in-centre presence in forty is only marked by the trainer (phone forgotten, no
          // paper scan yet): declared, its proof awaited — shown as such, never realised nor billed.
          const declared = status === "present" && modality === "centre" && rng.next() < 0.025;
          slot.record({ pathId: p.id, traineeId: p.trainee_id }, rng.uuid(), declared ? { status, late, minutes, signedAt: null, declared } : { status, late, minutes, signedAt });
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

/** The first of `staff` free for that slot (SCHEDULE-TRAINER-OVERLAP), now booked; undefined when all lead another slot. */
function freeTrainer<T extends { id: string }>(booked: Map<string, [number, number][]>, staff: T[], date: string, start: string, end: string): T | undefined {
  const s = parisInstant(date, start).getTime();
  const e = parisInstant(date, end).getTime();
  const free = staff.find((u) => !(booked.get(u.id) ?? []).some(([a, b]) => a < e && s < b));
  if (free) booked.set(free.id, [...(booked.get(free.id) ?? []), [s, e]]);
  return free;
}

// Signed history rows, built by the signing domain's builders: one closed slot, its trainees'
// attendance (signed, marked or recorded absent by the trainer), the trainer's countersignature and
// the slot's evidence chain. Shared with the demo's closed order (closed-order.ts).

export interface History {
  slot: DB["slot"][];
  slot_trainee: DB["slot_trainee"][];
  attendance: DB["attendance"][];
  countersignature: DB["countersignature"][];
  evidence: Omit<DB["evidence"], "id">[];
  /** Signatures drawn so far (varies the drawn strokes). */
  signatures: number;
  /** The salts keying each subject's IP and device in the evidence (core/privacy.ts), stored with the rows. */
  salts: Map<string, Buffer>;
}

export const emptyHistory = (): History => ({ slot: [], slot_trainee: [], attendance: [], countersignature: [], evidence: [], signatures: 0, salts: new Map() });

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
  /** A presence only marked by the trainer: declared, awaiting its proof. */
  declared?: boolean;
}

const DEMO_META = { ip: "192.0.2.10", userAgent: "Démo (données de démonstration)" };

/**
 * Adds a closed slot to `h`; `record` adds one trainee's attendance, `countersign` ends the slot.
 * Rows and evidence are made by the signing domain's own builders (planAttendance, evidenceRow,
 * countersignatureEntry: what insertAttendance and countersign write), so a fresh demo verifies
 * clean (npm run verify-evidence); only the inserts are batched.
 */
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
  const slot = { id: s.id, starts_at: startsAt, ends_at: endsAt };
  let last: LastLink;
  const append = (entry: EvidenceEntry) => {
    const subject = evidenceSubject(entry);
    // Derived from the subject, not drawn: the demo is deterministic (the same day gives the same
    // rows) and two histories naming the same trainer agree. Demo people are fictitious.
    if (!h.salts.has(subject)) h.salts.set(subject, createHash("sha256").update(`demo-salt|${subject}`).digest());
    const row = evidenceRow(last, entry, h.salts.get(subject) as Buffer);
    h.evidence.push(row as unknown as Omit<DB["evidence"], "id">);
    last = { seq: row.seq, hash: row.hash };
  };
  return {
    startsAt,
    record(who: { pathId: string; traineeId: string }, attendanceId: string, m: Mark) {
      h.slot_trainee.push({ slot_id: s.id, path_id: who.pathId });
      // As the signing domain records them: the phone's QR code in centre, the remote link at a
      // distance, the self-study declaration; a presence the trainer marked, an absence at closing.
      const method = modality === "self_study" ? "self_study" : modality === "distance" ? "remote" : "qr";
      const signature = m.signedAt ? SIGNATURE(h.signatures++) : null;
      const row: NewRow = {
        id: attendanceId,
        slot,
        pathId: who.pathId,
        status: m.status,
        lateMinutes: m.late,
        method: m.signedAt ? method : "trainer",
        signedAt: m.signedAt,
        signature,
        deliverable: modality === "self_study" && m.signedAt ? "Exercices déposés" : null,
        clientId: null,
        recordedBy: m.signedAt ? null : s.trainer.id,
      };
      const evidence: EvidenceInfo = m.signedAt
        ? method === "remote"
          ? { kind: "signature", actorId: null, actorRole: "trainee_link", at: m.signedAt, meta: DEMO_META }
          : { kind: "signature", actorId: who.traineeId, actorRole: "trainee_device", at: m.signedAt, meta: DEMO_META }
        : m.declared
          ? { kind: "mark", actorId: s.trainer.id, actorRole: s.trainer.role, at: startsAt, meta: DEMO_META }
          : { kind: "absence", actorId: s.trainer.id, actorRole: s.trainer.role, at: endsAt, meta: DEMO_META, reason: m.status === "excused" ? "Absence justifiée" : "Sans émargement à la clôture de la feuille" };
      const plan = planAttendance(row, evidence);
      if (plan.values.realised_minutes !== m.minutes) throw new Error(`demo: ${m.minutes} min realised on a slot that gives ${plan.values.realised_minutes}`);
      h.attendance.push({ ...plan.values, created_at: evidence.at } as unknown as DB["attendance"]);
      append(plan.entry);
    },
    countersign() {
      const counter = SIGNATURE(h.signatures++);
      h.countersignature.push({ slot_id: s.id, trainer_id: s.trainer.id, signature: counter, signed_at: endsAt } as unknown as DB["countersignature"]);
      append(countersignatureEntry(slot, { trainerId: s.trainer.id, role: s.trainer.role, signature: counter, at: endsAt, meta: DEMO_META, absentRecorded: 0 }));
    },
  };
}

/** Inserts the history in foreign-key order, 500 rows per statement. */
export async function insertHistory(tx: Tx, h: History): Promise<void> {
  await storeSalts(tx, h.salts);
  for (const table of ["slot", "slot_trainee", "attendance", "countersignature", "evidence"] as const) {
    const rows = h[table] as Record<string, unknown>[];
    for (let i = 0; i < rows.length; i += 500) await tx.insertInto(table).values(rows.slice(i, i + 500) as never).execute();
  }
}
