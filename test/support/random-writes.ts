// Seeded random writes to the attendance ledger and to a path's plan, shared by the tests that hold derived
// data (the KPI rollups, the stored order findings) against a fresh computation after each write. Each test
// gives the minutes and odds its own checks need; the draws are made in one fixed order, so a seed replays
// the same run.
import type { Db } from "../../src/core/db/index.ts";
import { newId } from "../../src/core/time.ts";
import { addAttendance, addSlot } from "../../src/domains/ledger/testing.ts";

/** A small deterministic generator (mulberry32): the same run every time, yet writes no one chose by hand. */
export function seeded(seed: number) {
  let a = seed;
  const rnd = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  // An empty list still costs a draw (and gives undefined): the callers rely on that to keep the sequence.
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  return { rnd, pick };
}
export type Draws = ReturnType<typeof seeded>;

/** A fixed number of minutes (nothing drawn), or `from` plus a draw below `span`. */
export type Minutes = number | { from: number; span: number };

/** What addSlot needs of a path: its provider and order line. */
export async function slotOwner(db: Db, pathId: string) {
  const p = await db.selectFrom("path").select(["provider_id", "order_line_id"]).where("id", "=", pathId).executeTakeFirstOrThrow();
  return { providerId: p.provider_id, orderLineId: p.order_line_id };
}

export interface RandomWritesOptions {
  /** The test's paths; the slots sign() holds are pushed onto `slots`, which the test's own writes may read. */
  paths: readonly string[];
  slots: string[];
  /** Who countersigns a paper sheet. */
  trainerId: string;
  /**
   * sign(): a slot of slotMinutes; each trainee's status drawn from `statuses` (repeat one to weigh it), a present
   * or late one signed with odds `signed`, the attendance's minutes drawn from `minutes`.
   */
  sign: { slotMinutes: number; statuses: readonly ("present" | "late" | "absent" | "excused")[]; signed: number; minutes: Minutes };
  /**
   * correct(): with r drawn, r < absent marks the attendance absent, r < present marks it present and signed
   * with `minutes`; otherwise the test's own `otherwise` (present: 1 leaves none, as r < 1 always).
   */
  correct: { absent: number; present: number; minutes: Minutes; otherwise?: (attendanceId: string) => Promise<unknown> };
  /**
   * replan(): an item's new minutes, a company stage's, the positioning's; with positioningKept, the odds
   * that the positioning changes rather than being deleted (without it: always changed, nothing drawn).
   */
  replan: { item: Minutes; stage: Minutes; positioning: Minutes; positioningKept?: number };
}

/**
 * The writes sign, correct, erase, cancel, paper and replan, in that key order: a test spreads them first into
 * its own table of writes, whose key order runWrites draws from.
 */
export function randomWrites(db: Db, { rnd, pick }: Draws, o: RandomWritesOptions) {
  const minutes = (m: Minutes) => (typeof m === "number" ? m : m.from + Math.floor(rnd() * m.span));
  const attendanceIds = async () => (await db.selectFrom("attendance").select("id").orderBy("id").execute()).map((r) => r.id);
  return {
    // A slot held for a few trainees, each present (signed or only marked), late, absent or excused.
    async sign() {
      const who = o.paths.filter(() => rnd() < 0.5);
      if (!who.length) return;
      const modality = pick(["centre", "distance", "self_study", "company"] as const);
      const slotId = await addSlot(db, { ...(await slotOwner(db, who[0])), date: pick(["2025-06-10", "2026-03-10", "2026-04-02"]), modality, location: pick(["remote", "centre"] as const), minutes: o.sign.slotMinutes, pathIds: who });
      o.slots.push(slotId);
      for (const pathId of who) {
        const status = pick(o.sign.statuses);
        const signed = (status === "present" || status === "late") && rnd() < o.sign.signed;
        await addAttendance(db, { slotId, pathId, status, minutes: minutes(o.sign.minutes), signed, method: signed ? "qr" : pick(["trainer", "paper"] as const) });
      }
    },
    // A correction: present ↔ absent, minutes changed, a drawing removed or added.
    async correct() {
      const id = pick(await attendanceIds());
      if (!id) return;
      const r = rnd();
      if (r < o.correct.absent) await db.updateTable("attendance").set({ status: "absent", realised_minutes: 0, signed_at: null, signature: null, method: "trainer" }).where("id", "=", id).execute();
      else if (r < o.correct.present)
        await db.updateTable("attendance").set({ status: "present", realised_minutes: minutes(o.correct.minutes), signed_at: new Date(), signature: "<svg/>", method: "qr" }).where("id", "=", id).execute();
      else await o.correct.otherwise?.(id);
    },
    async erase() {
      const id = pick(await attendanceIds());
      if (id) await db.deleteFrom("attendance").where("id", "=", id).execute();
    },
    // A slot cancelled, or reopened; its modality changed.
    async cancel() {
      const id = pick(o.slots);
      if (!id) return;
      const r = rnd();
      if (r < 0.4) await db.updateTable("slot").set({ status: "cancelled" }).where("id", "=", id).execute();
      else if (r < 0.7) await db.updateTable("slot").set({ status: "closed" }).where("id", "=", id).execute();
      else await db.updateTable("slot").set({ modality: "distance", self_study_location: null, objectives: null, deliverables: null }).where("id", "=", id).execute();
    },
    // The paper fallback: the scanned sheet attached, the trainer's countersignature given or withdrawn.
    async paper() {
      const id = pick(o.slots);
      if (!id) return;
      const r = rnd();
      if (r < 0.4) {
        const attachment = newId();
        await db.insertInto("attachment").values({ id: attachment, filename: "feuille.pdf", content_type: "application/pdf", size_bytes: 4, sha256: "x", bytes: Buffer.from("%PDF") }).execute();
        await db.updateTable("slot").set({ paper_attachment_id: attachment }).where("id", "=", id).execute();
      } else if (r < 0.8) {
        await db.insertInto("countersignature").values({ slot_id: id, trainer_id: o.trainerId, signature: "<svg/>", signed_at: new Date() }).onConflict((oc) => oc.doNothing()).execute();
      } else await db.deleteFrom("countersignature").where("slot_id", "=", id).execute();
    },
    // The plan: an item's minutes, a company stage added, an item removed; the positioning's minutes (or none).
    async replan() {
      const pathId = pick(o.paths);
      const items = await db.selectFrom("path_item").select("id").where("path_id", "=", pathId).orderBy("id").execute();
      const r = rnd();
      // The new minutes are drawn before the item is picked (set before where): another order would change every seeded run.
      if (r < 0.4 && items.length) await db.updateTable("path_item").set({ planned_minutes: minutes(o.replan.item) }).where("id", "=", pick(items).id).execute();
      else if (r < 0.6)
        await db.insertInto("path_item").values({ id: newId(), path_id: pathId, module_id: null, label: "Stage", modality: "company", self_study_location: null, planned_minutes: minutes(o.replan.stage) }).execute();
      else if (r < 0.8 && items.length > 1) await db.deleteFrom("path_item").where("id", "=", pick(items).id).execute();
      else if (o.replan.positioningKept === undefined || rnd() < o.replan.positioningKept)
        await db.updateTable("positioning").set({ minutes: minutes(o.replan.positioning) }).where("path_id", "=", pathId).execute();
      else await db.deleteFrom("positioning").where("path_id", "=", pathId).execute();
    },
  };
}

/**
 * `count` writes drawn from `writes` (the first six are signatures, so that the other writes find slots and
 * attendance), `check(i, step)` after each; returns how many times each kind was written.
 */
export async function runWrites(writes: Record<string, () => Promise<unknown>>, { pick }: Draws, count: number, check: (i: number, step: string) => Promise<unknown> | undefined) {
  const kinds = Object.keys(writes);
  const done: Record<string, number> = Object.fromEntries(kinds.map((k) => [k, 0]));
  for (let i = 1; i <= count; i++) {
    const kind = i <= 6 ? "sign" : pick(kinds);
    done[kind] += 1;
    await writes[kind]();
    await check(i, `after write ${i} (${kind})`);
  }
  return done;
}
