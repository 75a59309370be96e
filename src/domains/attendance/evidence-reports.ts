// The evidence verification as a background job (docs/adr/0020): the Region asks for a run (the
// "re-run" button of /preuves), the server's background tick runs it — and requests one itself when
// the last is a day old — and the report is stored; /preuves and `npm run verify-evidence` show the
// stored report. Between runs, each new link checks the link it is chained to as it is written
// (checkParentLink, evidence.ts): a tampered last link is recorded at once in evidence_alert.
import type { Db } from "../../core/db/index.ts";
import type { DB } from "../../core/db/schema.ts";
import { newId, type Clock } from "../../core/time.ts";
import { type ChainReport, verifyProofs } from "./verify.ts";

/** A run is requested again when the last one is this old (the periodic verification). */
export const EVIDENCE_REPORT_EVERY_MS = 24 * 3600_000;
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
}

const toStored = (r: DB["evidence_report"] & { requested_at: Date; started_at: Date | null; finished_at: Date | null }): StoredEvidenceReport => ({
  id: r.id,
  status: r.status,
  requestedAt: new Date(r.requested_at),
  startedAt: r.started_at ? new Date(r.started_at) : null,
  finishedAt: r.finished_at ? new Date(r.finished_at) : null,
  report: r.status === "done" ? { slots: r.slots ?? 0, entries: r.entries ?? 0, broken: (typeof r.broken === "string" ? JSON.parse(r.broken) : r.broken) as ChainReport["broken"] } : null,
  error: r.error,
});

/** Asks for a run; a run already waiting or under way answers instead (no pile of runs). */
export async function requestEvidenceReport(db: Db, clock: Clock, requestedBy: string | null): Promise<string> {
  return db.transaction().execute(async (tx) => {
    const open = await tx.selectFrom("evidence_report").select("id").where("status", "in", ["pending", "running"]).forUpdate().executeTakeFirst();
    if (open) return open.id;
    const id = newId();
    await tx.insertInto("evidence_report").values({ id, requested_at: clock.now(), requested_by: requestedBy, status: "pending" }).execute();
    return id;
  });
}

/** Takes the oldest waiting run (or one a stopped process left running), runs it and stores its report. */
export async function runEvidenceReportOnce(db: Db, clock: Clock): Promise<StoredEvidenceReport | undefined> {
  const stale = new Date(clock.now().getTime() - STALE_RUN_MS);
  const claimed = await db.transaction().execute(async (tx) => {
    const next = await tx
      .selectFrom("evidence_report")
      .select("id")
      .where((eb) => eb.or([eb("status", "=", "pending"), eb.and([eb("status", "=", "running"), eb("started_at", "<", stale)])]))
      .orderBy("requested_at")
      .limit(1)
      .forUpdate()
      .skipLocked()
      .executeTakeFirst();
    if (!next) return undefined;
    await tx.updateTable("evidence_report").set({ status: "running", started_at: clock.now() }).where("id", "=", next.id).execute();
    return next.id;
  });
  if (!claimed) return undefined;
  try {
    const report = await verifyProofs(db);
    await db
      .updateTable("evidence_report")
      .set({ status: "done", finished_at: clock.now(), slots: report.slots, entries: report.entries, broken: JSON.stringify(report.broken) })
      .where("id", "=", claimed)
      .execute();
  } catch (error) {
    await db
      .updateTable("evidence_report")
      .set({ status: "failed", finished_at: clock.now(), error: (error instanceof Error ? error.message : String(error)).slice(0, 1000) })
      .where("id", "=", claimed)
      .execute();
  }
  return (await evidenceReport(db, claimed))!;
}

/** The periodic verification: a run is requested when none was in the last EVIDENCE_REPORT_EVERY_MS. */
export async function requestPeriodicEvidenceReport(db: Db, clock: Clock): Promise<void> {
  const since = new Date(clock.now().getTime() - EVIDENCE_REPORT_EVERY_MS);
  const recent = await db.selectFrom("evidence_report").select("id").where("requested_at", ">", since).limit(1).executeTakeFirst();
  if (!recent) await requestEvidenceReport(db, clock, null);
}

export async function evidenceReport(db: Db, id: string): Promise<StoredEvidenceReport | undefined> {
  const r = await db.selectFrom("evidence_report").selectAll().where("id", "=", id).executeTakeFirst();
  return r ? toStored(r as never) : undefined;
}

/** What /preuves shows: the last finished run, the run waiting or under way, the alerts since. */
export async function evidenceReportState(db: Db) {
  const lastDone = await db.selectFrom("evidence_report").selectAll().where("status", "in", ["done", "failed"]).orderBy("finished_at", "desc").limit(1).executeTakeFirst();
  const open = await db.selectFrom("evidence_report").selectAll().where("status", "in", ["pending", "running"]).orderBy("requested_at").limit(1).executeTakeFirst();
  const alerts = await db.selectFrom("evidence_alert").selectAll().orderBy("detected_at", "desc").orderBy("id", "desc").limit(100).execute();
  return {
    last: lastDone ? toStored(lastDone as never) : undefined,
    open: open ? toStored(open as never) : undefined,
    alerts: alerts.map((a) => ({ slotId: a.slot_id, seq: a.seq, id: Number(a.evidence_id), problem: a.problem, detectedAt: new Date(a.detected_at) })),
  };
}

