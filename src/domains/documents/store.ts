// Queries of the documents domain's own tables (certificate, document_batch) and the read models
// its documents are drawn from.
import type { Transaction } from "kysely";
import type { Db } from "../../core/db/index.ts";
import type { DB } from "../../core/db/schema.ts";
import { proofState, provedPresence } from "../attendance/use-cases.ts";
import type { CertificateContent } from "./certificate.ts";
import type { SheetData } from "./sheet.ts";
import { pathRows, positioningRows, traineeRows } from "../paths/views.ts";
import { providerRows } from "../region/views.ts";
import { orderLineRows, orderRows } from "../orders/views.ts";
import { componentRows, moduleRows, siteRows } from "../offer/views.ts";
import { slotRows, slotTraineeRows } from "../schedule/views.ts";
import { accountRows } from "../../core/auth/accounts.ts";
import { attendanceRows, countersignatureRows, evidenceRows } from "../attendance/views.ts";

type Tx = Transaction<DB>;

/** Identity facts a certificate names (provider, trainee, action, site). */
export async function certificateFacts(db: Db, pathId: string) {
  return db
    .selectFrom(pathRows().as("p"))
    .innerJoin(traineeRows().as("t"), "t.id", "p.trainee_id")
    .innerJoin(providerRows().as("pr"), "pr.id", "p.provider_id")
    .innerJoin(orderRows().as("o"), "o.id", "p.order_id")
    .innerJoin(orderLineRows().as("ol"), "ol.id", "p.order_line_id")
    .innerJoin(componentRows().as("c"), "c.id", "ol.component_id")
    .innerJoin(siteRows().as("s"), "s.id", "p.site_id")
    .select([
      "p.id",
      "p.status",
      "p.provider_id",
      "p.order_id",
      "p.entry_date",
      "p.planned_exit_date",
      "p.actual_exit_date",
      "t.first_name",
      "t.last_name",
      "pr.name as provider_name",
      "pr.siret",
      "pr.nda",
      "pr.address",
      "pr.legal_representative",
      "o.number as order_number",
      "c.title as component_title",
      "s.name as site_name",
      "s.commune",
    ])
    .where("p.id", "=", pathId)
    .executeTakeFirst();
}

export async function insertCertificate(
  tx: Tx | Db,
  c: {
    id: string;
    pathId: string;
    from: string;
    to: string;
    code: string;
    content: CertificateContent;
    hash: string;
    issuedBy: string | null;
    issuedAt: Date;
    version: number;
    replaces: { id: string; reason: string } | null;
  },
) {
  await tx
    .insertInto("certificate")
    .values({
      id: c.id,
      path_id: c.pathId,
      period_start: c.from,
      period_end: c.to,
      verification_code: c.code,
      // The whole content is kept, not only the minutes: the verification page shows what was certified.
      minutes: JSON.stringify(c.content),
      content_hash: c.hash,
      issued_by: c.issuedBy,
      issued_at: c.issuedAt,
      version: c.version,
      replaces_id: c.replaces?.id ?? null,
      replace_reason: c.replaces?.reason ?? null,
    })
    .execute();
}

/** The certificates in force (not replaced) of a path: for its period, or by id; locked until the transaction ends. */
export const certificateInForce = (tx: Tx, pathId: string, by: { period: { from: string; to: string } } | { id: string }) => {
  let q = tx.selectFrom("certificate").select(["id", "version", "period_start", "period_end"]).where("path_id", "=", pathId).where("replaced_by", "is", null);
  q = "id" in by ? q.where("id", "=", by.id) : q.where("period_start", "=", by.period.from).where("period_end", "=", by.period.to);
  return q.forUpdate().executeTakeFirst();
};

/** Marks the certificate replaced by the new version (only while it is still in force). */
export const markReplaced = async (tx: Tx, id: string, by: string, at: Date) =>
  Boolean(await tx.updateTable("certificate").set({ replaced_by: by, replaced_at: at }).where("id", "=", id).where("replaced_by", "is", null).returning("id").executeTakeFirst());

/** The version that replaced a certificate (for the verification page). */
export const replacement = (db: Db, id: string) => db.selectFrom("certificate").select(["id", "version", "issued_at", "replace_reason"]).where("id", "=", id).executeTakeFirst();

const certificateColumns = ["id", "path_id", "period_start", "period_end", "verification_code", "minutes", "content_hash", "issued_at", "issued_by", "version", "replaces_id", "replace_reason", "replaced_by", "replaced_at"] as const;

export const certificatesOfPath = (db: Db, pathId: string) =>
  db.selectFrom("certificate").select(certificateColumns).where("path_id", "=", pathId).orderBy("issued_at", "desc").orderBy("version", "desc").execute();

export const certificateById = (db: Db, id: string) => db.selectFrom("certificate").select(certificateColumns).where("id", "=", id).executeTakeFirst();

export const certificateByCode = (db: Db, code: string) => db.selectFrom("certificate").select(certificateColumns).where("verification_code", "=", code).executeTakeFirst();

export const certificatesByIds = (db: Db, ids: string[]) =>
  ids.length ? db.selectFrom("certificate").select(certificateColumns).where("id", "in", ids).execute() : Promise.resolve([]);

/** Everything the attendance sheet of one slot shows. */
export async function sheetData(db: Db, slotId: string): Promise<(SheetData & { providerId: string }) | undefined> {
  const slot = await db
    .selectFrom(slotRows().as("s"))
    .innerJoin(orderLineRows().as("ol"), "ol.id", "s.order_line_id")
    .innerJoin(orderRows().as("o"), "o.id", "ol.order_id")
    .innerJoin(componentRows().as("c"), "c.id", "ol.component_id")
    .innerJoin(providerRows().as("pr"), "pr.id", "s.provider_id")
    .leftJoin(moduleRows().as("m"), "m.id", "s.module_id")
    .leftJoin(siteRows().as("si"), "si.id", "s.site_id")
    .leftJoin(accountRows().as("u"), "u.id", "s.trainer_id")
    .select([
      "s.id",
      "s.provider_id",
      "s.slot_date",
      "s.start_time",
      "s.end_time",
      "s.modality",
      "s.place",
      "s.virtual_room_url",
      "s.status",
      "m.title as module_title",
      "c.title as component_title",
      "o.number as order_number",
      "pr.name as provider_name",
      "si.name as site_name",
      "si.address as site_address",
      "si.commune",
      "u.full_name as trainer_name",
    ])
    .where("s.id", "=", slotId)
    .executeTakeFirst();
  if (!slot) return undefined;
  const trainees = await db
    .selectFrom(slotTraineeRows().as("st"))
    .innerJoin(slotRows().as("s"), "s.id", "st.slot_id")
    .innerJoin(pathRows().as("p"), "p.id", "st.path_id")
    .innerJoin(traineeRows().as("t"), "t.id", "p.trainee_id")
    .leftJoin(attendanceRows().as("a"), (j) => j.onRef("a.slot_id", "=", "st.slot_id").onRef("a.path_id", "=", "st.path_id"))
    .select(["st.path_id", "t.first_name", "t.last_name", "a.status", "a.late_minutes", "a.realised_minutes", "a.method", "a.signed_at", "a.signature", "a.received_at", "s.ends_at"])
    .select(proofState("a", "s").as("proof"))
    .where("st.slot_id", "=", slotId)
    .orderBy("t.last_name")
    .orderBy("t.first_name")
    .execute();
  // The latest evidence entry of each trainee (and of the countersignature) proves the line shown.
  const evidence = await db.selectFrom(evidenceRows().as("evidence")).select(["path_id", "kind", "hash", "seq"]).where("slot_id", "=", slotId).orderBy("seq").execute();
  const lastHash = new Map<string, string>();
  let counterHash: string | null = null;
  for (const e of evidence) {
    if (e.kind === "countersignature") counterHash = e.hash;
    else if (e.path_id) lastHash.set(e.path_id, e.hash);
  }
  const counter = await db.selectFrom(countersignatureRows().as("countersignature")).selectAll().where("slot_id", "=", slotId).executeTakeFirst();
  const place = slot.place ?? (slot.site_name ? `${slot.site_name}, ${slot.site_address} ${slot.commune}` : (slot.virtual_room_url ?? "—"));
  return {
    providerId: slot.provider_id,
    slot: {
      id: slot.id,
      date: slot.slot_date,
      start: slot.start_time.slice(0, 5),
      end: slot.end_time.slice(0, 5),
      modality: slot.modality,
      place,
      title: slot.module_title ?? slot.component_title,
      componentTitle: slot.component_title,
      orderNumber: slot.order_number,
      providerName: slot.provider_name,
      trainerName: slot.trainer_name,
      status: slot.status,
    },
    countersignature: counter ? { signature: counter.signature, signedAt: new Date(counter.signed_at), hash: counterHash } : null,
    trainees: trainees.map((t) => ({
      name: `${t.first_name} ${t.last_name}`,
      status: t.status,
      lateMinutes: t.late_minutes ?? 0,
      realisedMinutes: t.realised_minutes ?? 0,
      method: t.method,
      signedAt: t.signed_at ? new Date(t.signed_at) : null,
      // A phone's time is believed inside the slot only: what reached the server after the slot's end
      // is dated by the server's receipt (issue 9, point 8).
      receivedAfterEnd: t.received_at && new Date(t.received_at) > new Date(t.ends_at) ? new Date(t.received_at) : null,
      signature: t.signature,
      proof: t.proof,
      evidenceHash: lastHash.get(t.path_id) ?? null,
    })),
  };
}

/** Paths of an order that realised something in the period (a proved presence, its positioning): the batch's certificates. */
export async function pathsWithRealised(db: Db, orderId: string, from: string, to: string) {
  const rows = await db
    .selectFrom(pathRows().as("p"))
    .select("p.id")
    .where("p.order_id", "=", orderId)
    .where("p.status", "in", ["validated", "closed", "dropped"])
    .where((eb) =>
      eb.or([
        eb.exists(
          eb
            .selectFrom(attendanceRows().as("a"))
            .innerJoin(slotRows().as("s"), "s.id", "a.slot_id")
            .select("a.id")
            .whereRef("a.path_id", "=", "p.id")
            .where(provedPresence("a", "s"))
            .where("s.slot_date", ">=", from)
            .where("s.slot_date", "<=", to),
        ),
        eb.exists(eb.selectFrom(positioningRows().as("pos")).select("pos.path_id").whereRef("pos.path_id", "=", "p.id").where("pos.first_day", ">=", from).where("pos.first_day", "<=", to)),
      ]),
    )
    .orderBy("p.id")
    .execute();
  return rows.map((r) => r.id);
}

export const batchById = (db: Db, id: string) => db.selectFrom("document_batch").selectAll().where("id", "=", id).executeTakeFirst();

// — Batch runners: a lease on the batch, one item per path —

/** A new batch, already leased to the runner that starts it, with one item per path. */
export async function insertBatch(
  tx: Tx,
  b: { id: string; providerId: string; orderId: string; from: string; to: string; createdBy: string; now: Date; lease: { by: string; until: Date } | null },
  pathIds: string[],
) {
  await tx
    .insertInto("document_batch")
    .values({
      id: b.id,
      provider_id: b.providerId,
      order_id: b.orderId,
      kind: "certificates",
      period_start: b.from,
      period_end: b.to,
      total: pathIds.length,
      created_by: b.createdBy,
      status: pathIds.length ? "running" : "done",
      finished_at: pathIds.length ? null : b.now,
      claimed_by: b.lease?.by ?? null,
      claimed_until: b.lease?.until ?? null,
    })
    .execute();
  if (pathIds.length) await tx.insertInto("document_batch_item").values(pathIds.map((pathId) => ({ batch_id: b.id, path_id: pathId }))).execute();
}

/**
 * Takes the oldest running batch whose runner is gone (no lease, or a lease run out at `now`).
 * SKIP LOCKED + the lease set in the same statement: two processes never take the same batch.
 */
export async function claimAbandonedBatch(db: Db, now: Date, lease: { by: string; until: Date }) {
  return db
    .updateTable("document_batch")
    .set((eb) => ({ claimed_by: lease.by, claimed_until: lease.until, attempts: eb("attempts", "+", 1) }))
    .where("id", "=", (eb) =>
      eb
        .selectFrom("document_batch")
        .select("id")
        .where("status", "=", "running")
        .where((w) => w.or([w("claimed_until", "is", null), w("claimed_until", "<", now)]))
        .orderBy("created_at")
        .limit(1)
        .forUpdate()
        .skipLocked(),
    )
    .returning(["id", "period_start", "period_end", "created_by", "attempts", "done", "total"])
    .executeTakeFirst();
}

/** Renews the lease (and, after progress, forgets the claims without progress); false once another runner holds it. */
export async function renewLease(db: Db, batchId: string, lease: { by: string; until: Date }, progressed: boolean) {
  const row = await db
    .updateTable("document_batch")
    .set(progressed ? { claimed_until: lease.until, attempts: 0 } : { claimed_until: lease.until })
    .where("id", "=", batchId)
    .where("claimed_by", "=", lease.by)
    .where("status", "=", "running")
    .returning("id")
    .executeTakeFirst();
  return Boolean(row);
}

/** Gives the batch back at once (a runner stopped on shutdown): the next process resumes it without waiting. */
export const releaseLease = (db: Db, batchId: string, by: string) =>
  db.updateTable("document_batch").set({ claimed_by: null, claimed_until: null }).where("id", "=", batchId).where("claimed_by", "=", by).execute();

/** The next path of the batch with neither a certificate nor an error. */
export const nextPendingPath = async (db: Db, batchId: string) =>
  (
    await db
      .selectFrom("document_batch_item")
      .select("path_id")
      .where("batch_id", "=", batchId)
      .where("certificate_id", "is", null)
      .where("error", "is", null)
      .orderBy("path_id")
      .limit(1)
      .executeTakeFirst()
  )?.path_id;

/** Locks the item until the transaction ends: a second runner on the same path waits, then sees it done. */
export const lockItem = (tx: Tx, batchId: string, pathId: string) =>
  tx
    .selectFrom("document_batch_item")
    .select(["certificate_id", "error"])
    .where("batch_id", "=", batchId)
    .where("path_id", "=", pathId)
    .forUpdate()
    .executeTakeFirst();

/** The item's certificate, counted on the batch (same transaction as the certificate). */
export async function recordIssued(tx: Tx, batchId: string, pathId: string, certificateId: string) {
  const item = await tx
    .updateTable("document_batch_item")
    .set({ certificate_id: certificateId })
    .where("batch_id", "=", batchId)
    .where("path_id", "=", pathId)
    .where("certificate_id", "is", null)
    .where("error", "is", null)
    .returning("path_id")
    .executeTakeFirst();
  if (!item) throw new Error(`document_batch_item ${batchId}/${pathId} already settled`);
  await tx
    .updateTable("document_batch")
    .set((eb) => ({ done: eb("done", "+", 1), certificate_ids: eb.fn<string[]>("array_append", [eb.ref("certificate_ids"), eb.val(certificateId)]) }))
    .where("id", "=", batchId)
    .execute();
}

/** The error that stopped one path, counted once on the batch. */
export async function recordFailed(tx: Tx, batchId: string, pathId: string, error: string) {
  const item = await tx
    .updateTable("document_batch_item")
    .set({ error })
    .where("batch_id", "=", batchId)
    .where("path_id", "=", pathId)
    .where("certificate_id", "is", null)
    .where("error", "is", null)
    .returning("path_id")
    .executeTakeFirst();
  if (item) await tx.updateTable("document_batch").set((eb) => ({ failed: eb("failed", "+", 1) })).where("id", "=", batchId).execute();
}

/** The failed paths of a batch, with the trainee's name, for the batch's message. */
export const failedItems = (db: Db, batchId: string) =>
  db
    .selectFrom("document_batch_item as i")
    .innerJoin(pathRows().as("p"), "p.id", "i.path_id")
    .innerJoin(traineeRows().as("t"), "t.id", "p.trainee_id")
    .select(["i.path_id", "i.error", "t.first_name", "t.last_name"])
    .where("i.batch_id", "=", batchId)
    .where("i.error", "is not", null)
    .orderBy("t.last_name")
    .orderBy("t.first_name")
    .execute();

/** Ends the batch, only while this runner still holds it (a runner thought dead cannot end it twice). */
export async function finishBatch(db: Db, batchId: string, by: string, end: { status: "done" | "failed"; error: string | null; at: Date }) {
  const row = await db
    .updateTable("document_batch")
    .set({ status: end.status, error: end.error, finished_at: end.at, claimed_by: null, claimed_until: null })
    .where("id", "=", batchId)
    .where("claimed_by", "=", by)
    .where("status", "=", "running")
    .returning("id")
    .executeTakeFirst();
  return Boolean(row);
}

export function batchesOf(db: Db, providerId: string | null) {
  let q = db
    .selectFrom("document_batch as b")
    .innerJoin(orderRows().as("o"), "o.id", "b.order_id")
    .select(["b.id", "b.order_id", "o.number as order_number", "b.period_start", "b.period_end", "b.total", "b.done", "b.failed", "b.status", "b.error", "b.created_at"])
    .orderBy("b.created_at", "desc")
    .limit(30);
  if (providerId) q = q.where("b.provider_id", "=", providerId);
  return q.execute();
}
