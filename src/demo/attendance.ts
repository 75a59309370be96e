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
  const out = { slot: [] as DB["slot"][], slot_trainee: [] as DB["slot_trainee"][], attendance: [] as DB["attendance"][], countersignature: [] as DB["countersignature"][], evidence: [] as Omit<DB["evidence"], "id">[] };
  let n = 0;
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
        const slotId = rng.uuid();
        const startsAt = parisInstant(date, pat.start);
        const endsAt = parisInstant(date, pat.end);
        out.slot.push({
          id: slotId,
          provider_id: head.provider_id,
          order_line_id: head.order_line_id,
          module_id: null,
          site_id: modality === "distance" ? null : head.site_id,
          slot_date: date,
          start_time: pat.start,
          end_time: pat.end,
          starts_at: startsAt,
          ends_at: endsAt,
          modality,
          self_study_location: modality === "self_study" ? "centre" : null,
          trainer_id: trainer.id,
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
          out.evidence.push({ slot_id: slotId, seq, kind, actor_id: actorId, actor_role: actorRole, path_id: pathId, at, ip: "192.0.2.10", user_agent: "Démo", method, reason: null, payload: JSON.stringify(payload), payload_hash: payloadHash, prev_hash: prev, hash } as unknown as Omit<DB["evidence"], "id">);
          prev = hash;
        };
        for (const p of who) {
          out.slot_trainee.push({ slot_id: slotId, path_id: p.id });
          const roll = rng.next();
          const status = roll < 0.05 ? "absent" : roll < 0.08 ? "excused" : roll < 0.14 ? "late" : "present";
          const late = status === "late" ? rng.pick([5, 10, 15, 20]) : 0;
          const minutes = status === "absent" || status === "excused" ? 0 : pat.minutes - late;
          const method = modality === "self_study" ? "self_study" : modality === "distance" ? "remote" : "qr";
          const signedAt = status === "absent" || status === "excused" ? null : new Date(startsAt.getTime() + (late + rng.int(0, 4)) * 60_000);
          const signature = signedAt ? SIGNATURE(n++) : null;
          out.attendance.push({ id: rng.uuid(), slot_id: slotId, path_id: p.id, status, late_minutes: late, realised_minutes: minutes, method: signedAt ? method : "trainer", signed_at: signedAt, signature, deliverable: modality === "self_study" && signedAt ? "Exercices déposés" : null, client_id: null, recorded_by: signedAt ? null : trainer.id, created_at: signedAt ?? endsAt } as unknown as DB["attendance"]);
          if (signedAt) chain("signature", null, "trainee", p.id, signedAt, method, { slotId, pathId: p.id, status, minutes, signatureHash: sha256(signature!) });
          else chain("absence", trainer.id, trainer.role, p.id, endsAt, "trainer", { slotId, pathId: p.id, status, minutes: 0 });
          remaining.get(p.id)![modality] -= pat.minutes;
          const r = realised.get(p.id)!;
          r.nonCompany += minutes;
          if (modality === "distance") r.remote += minutes;
        }
        const counter = SIGNATURE(n++);
        out.countersignature.push({ slot_id: slotId, trainer_id: trainer.id, signature: counter, signed_at: endsAt } as unknown as DB["countersignature"]);
        chain("countersignature", trainer.id, trainer.role, null, endsAt, "trainer", { slotId, signatureHash: sha256(counter) });
      }
    }
  }
  for (const table of ["slot", "slot_trainee", "attendance", "countersignature", "evidence"] as const) {
    const rows = out[table] as Record<string, unknown>[];
    for (let i = 0; i < rows.length; i += 500) await tx.insertInto(table).values(rows.slice(i, i + 500) as never).execute();
  }
  return { slots: out.slot.length, attendance: out.attendance.length };
}
