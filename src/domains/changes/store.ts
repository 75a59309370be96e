// Kysely queries of the changes domain's tables: change_request, change_request_attachment.
import type { Kysely } from "kysely";
import { accountRows } from "../../core/auth/accounts.ts";
import { attachmentRows } from "../../core/files.ts";
import type { ChangeRequestKind, ChangeRequestStatus, DB } from "../../core/db/schema.ts";
import { orderRows } from "../orders/views.ts";
import { providerRows } from "../region/views.ts";

type Q = Kysely<DB>;

const listed = (db: Q) =>
  db
    .selectFrom("change_request as cr")
    .innerJoin(providerRows().as("p"), "p.id", "cr.provider_id")
    .innerJoin(accountRows().as("filer"), "filer.id", "cr.filed_by")
    .leftJoin(accountRows().as("decider"), "decider.id", "cr.decided_by")
    .leftJoin(orderRows().as("o"), "o.id", "cr.order_id")
    .selectAll("cr")
    .select(["p.name as provider_name", "filer.full_name as filed_by_name", "filer.email as filed_by_email", "decider.full_name as decided_by_name", "o.number as order_number"]);

export type ChangeRequestRow = Awaited<ReturnType<typeof findChangeRequest>> & {};

export const findChangeRequest = (db: Q, id: string, lock = false) => {
  const q = listed(db).where("cr.id", "=", id);
  return (lock ? q.forUpdate("cr") : q).executeTakeFirst();
};

export function listChangeRequests(db: Q, f: { providerId?: string; status?: ChangeRequestStatus }) {
  let q = listed(db).orderBy("cr.filed_at", "desc").orderBy("cr.id");
  if (f.providerId) q = q.where("cr.provider_id", "=", f.providerId);
  if (f.status) q = q.where("cr.status", "=", f.status);
  return q.limit(500).execute();
}

export async function insertChangeRequest(
  db: Q,
  r: { id: string; provider_id: string; order_id: string | null; kind: ChangeRequestKind; payload: unknown; reason: string; filed_by: string; filed_at: Date },
  attachmentIds: string[],
) {
  await db.insertInto("change_request").values({ ...r, payload: JSON.stringify(r.payload) }).execute();
  if (attachmentIds.length > 0) {
    await db.insertInto("change_request_attachment").values(attachmentIds.map((attachment_id) => ({ change_request_id: r.id, attachment_id }))).execute();
  }
}

/** The conditional status move: only from `from` (a concurrent decision finds no row). */
export async function moveStatus(
  db: Q,
  id: string,
  from: ChangeRequestStatus,
  to: ChangeRequestStatus,
  v: { decided_by?: string; decided_at?: Date; decision_reason?: string | null; before?: unknown },
): Promise<boolean> {
  const res = await db
    .updateTable("change_request")
    .set({ status: to, ...v, before: v.before === undefined ? undefined : JSON.stringify(v.before) })
    .where("id", "=", id)
    .where("status", "=", from)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export const attachmentsOf = (db: Q, id: string) =>
  db
    .selectFrom("change_request_attachment as cra")
    .innerJoin(attachmentRows().as("a"), "a.id", "cra.attachment_id")
    .select(["a.id", "a.filename", "a.content_type", "a.size_bytes", "a.sha256"])
    .where("cra.change_request_id", "=", id)
    .orderBy("a.filename")
    .execute();

export const attachmentOf = (db: Q, id: string, attachmentId: string) =>
  db
    .selectFrom("change_request_attachment as cra")
    .innerJoin(attachmentRows().as("a"), "a.id", "cra.attachment_id")
    .select(["a.filename", "a.content_type", "a.bytes"])
    .where("cra.change_request_id", "=", id)
    .where("cra.attachment_id", "=", attachmentId)
    .executeTakeFirst();

/** Who is told: the Region's active officers, and the provider's active administrative referents. */
export const recipients = (db: Q, providerId: string) =>
  db
    .selectFrom(accountRows().as("u"))
    .select(["u.id", "u.email", "u.full_name", "u.role"])
    .where("u.active", "=", true)
    .where((eb) => eb.or([eb("u.role", "=", "region_officer"), eb.and([eb("u.role", "=", "provider_admin"), eb("u.provider_id", "=", providerId)])]))
    .execute();
