// The evidence verification as a background job (docs/adr/0020): the Region asks for a run (the
// buttons of /preuves), the server's background tick runs it — and requests one itself when the last
// is a day old: a routine run (only the slots whose seal no longer matches are re-verified, docs/adr/0047),
// or a complete one when none was asked for a week — and the report is stored; /preuves and `npm run verify-evidence` show the
// stored report. Between runs, each new link checks the link it is chained to as it is written
// (checkParentLink, evidence.ts): a tampered last link is recorded at once in evidence_alert.
import type { Db } from "../../core/db/index.ts";
import type { DB } from "../../core/db/schema.ts";
import { newId, type Clock } from "../../core/time.ts";
import type { ChainReport } from "./verify.ts";
import { verifyAndSeal } from "./sealed.ts";

/** A run is requested again when the last one is this old (the periodic verification). */
export const EVIDENCE_REPORT_EVERY_MS = 24 * 3600_000;
/** The periodic run is a complete one (every slot re-verified, seals ignored) when no complete run was asked for this long. */
export const EVIDENCE_COMPLETE_EVERY_MS = 7 * 24 * 3600_000;
/** A run left "running" by a stopped process is taken up again after this long. */
const STALE_RUN_MS = 6 * 3600_000;

export interface StoredEvidenceReport {
  id: string;
  status: "pending" | "running" | "done" | "failed";
  requestedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  report: ChainReport | null;
  error: string | null;
  /** Every slot re-verified (else only those whose seal no longer matched). */
  complete: boolean;
  /** Slots verified in full by the run. */
  rechecked: number | null;
}

const toStored = (r: DB["evidence_report"] & { requested_at: Date; started_at: Date | null; finished_at: Date | null; complete: boolean }): StoredEvidenceReport => ({
  id: r.id,
  status: r.status,
  requestedAt: new Date(r.requested_at),
  startedAt: r.started_at ? new Date(r.started_at) : null,
  finishedAt: r.finished_at ? new Date(r.finished_at) : null,
  report: r.status === "done" ? { slots: r.slots ?? 0, entries: r.entries ?? 0, broken: (typeof r.broken === "string" ? JSON.parse(r.broken) : r.broken) as ChainReport["broken"] } : null,
  error: r.error,
  complete: r.complete,
  rechecked: r.rechecked,
});

/**
 * Asks for a run (routine unless `complete`); a run already waiting or under way answers instead (no
 * pile of runs) — a waiting routine run becomes complete when a complete one is asked.
 */
export async function requestEvidenceReport(db: Db, clock: Clock, requestedBy: string | null, o: { complete?: boolean } = {}): Promise<string> {
  const complete = o.complete ?? false;
  return db.transaction().execute(async (tx) => {
    const open = await tx.selectFrom("evidence_report").select(["id", "status"]).where("status", "in", ["pending", "running"]).forUpdate().executeTakeFirst();
    if (open) {
      if (complete && open.status === "pending") await tx.updateTable("evidence_report").set({ complete: true }).where("id", "=", open.id).execute();
      return open.id;
    }
    const id = newId();
    await tx.insertInto("evidence_report").values({ id, requested_at: clock.now(), requested_by: requestedBy, status: "pending", complete }).execute();
    return id;
  });
}

/** Takes the oldest waiting run (or one a stopped process left running), runs it and stores its report. */
export async function runEvidenceReportOnce(db: Db, clock: Clock): Promise<StoredEvidenceReport | undefined> {
  const stale = new Date(clock.now().getTime() - STALE_RUN_MS);
  const claimed = await db.transaction().execute(async (tx) => {
    const next = await tx
      .selectFrom("evidence_report")
      .select(["id", "complete"])
      .where((eb) => eb.or([eb("status", "=", "pending"), eb.and([eb("status", "=", "running"), eb("started_at", "<", stale)])]))
      .orderBy("requested_at")
      .limit(1)
      .forUpdate()
      .skipLocked()
      .executeTakeFirst();
    if (!next) return undefined;
    await tx.updateTable("evidence_report").set({ status: "running", started_at: clock.now() }).where("id", "=", next.id).execute();
    return next;
  });
  if (!claimed) return undefined;
  try {
    const report = await verifyAndSeal(db, { complete: claimed.complete, now: clock.now() });
    await db
      .updateTable("evidence_report")
      .set({ status: "done", finished_at: clock.now(), slots: report.slots, entries: report.entries, rechecked: report.rechecked, broken: JSON.stringify(report.broken) })
      .where("id", "=", claimed.id)
      .execute();
  } catch (error) {
    await db
      .updateTable("evidence_report")
      .set({ status: "failed", finished_at: clock.now(), error: (error instanceof Error ? error.message : String(error)).slice(0, 1000) })
      .where("id", "=", claimed.id)
      .execute();
  }
  return (await evidenceReport(db, claimed.id))!;
}

/**
 * The periodic verification: a run is requested when none was in the last EVIDENCE_REPORT_EVERY_MS — a
 * complete one when none was in the last EVIDENCE_COMPLETE_EVERY_MS.
 */
export async function requestPeriodicEvidenceReport(db: Db, clock: Clock): Promise<void> {
  const ago = (ms: number) => new Date(clock.now().getTime() - ms);
  const recent = await db.selectFrom("evidence_report").select("id").where("requested_at", ">", ago(EVIDENCE_REPORT_EVERY_MS)).limit(1).executeTakeFirst();
  if (recent) return;
  const complete = await db.selectFrom("evidence_report").select("id").where("complete", "=", true).where("requested_at", ">", ago(EVIDENCE_COMPLETE_EVERY_MS)).limit(1).executeTakeFirst();
  await requestEvidenceReport(db, clock, null, { complete: !complete });
}

export async function evidenceReport(db: Db, id: string): Promise<StoredEvidenceReport | undefined> {
  const r = await db.selectFrom("evidence_report").selectAll().where("id", "=", id).executeTakeFirst();
  return r ? toStored(r as never) : undefined;
}

/** What /preuves shows: the last finished run, the run waiting or under way, the alerts since. */
export async function evidenceReportState(db: Db) {
  const lastDone = await db.selectFrom("evidence_report").selectAll().where("status", "in", ["done", "failed"]).orderBy("finished_at", "desc").orderBy("requested_at", "desc").limit(1).executeTakeFirst();
  const open = await db.selectFrom("evidence_report").selectAll().where("status", "in", ["pending", "running"]).orderBy("requested_at").limit(1).executeTakeFirst();
  const alerts = await db.selectFrom("evidence_alert").selectAll().orderBy("detected_at", "desc").orderBy("id", "desc").limit(100).execute();
  return {
    last: lastDone ? toStored(lastDone as never) : undefined,
    open: open ? toStored(open as never) : undefined,
    alerts: alerts.map((a) => ({ slotId: a.slot_id, seq: a.seq, id: Number(a.evidence_id), problem: a.problem, detectedAt: new Date(a.detected_at) })),
  };
}

