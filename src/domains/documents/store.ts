// Queries of the documents domain's own tables (certificate, document_batch) and the read models
// its documents are drawn from.
import type { Transaction } from "kysely";
import type { Db } from "../../core/db/index.ts";
import type { DB } from "../../core/db/schema.ts";
import type { CertificateContent } from "./certificate.ts";
import type { SheetData } from "./sheet.ts";

type Tx = Transaction<DB>;

/** Identity facts a certificate names (provider, trainee, action, site). */
export async function certificateFacts(db: Db, pathId: string) {
  return db
    .selectFrom("path as p")
    .innerJoin("trainee as t", "t.id", "p.trainee_id")
    .innerJoin("provider as pr", "pr.id", "p.provider_id")
    .innerJoin("order as o", "o.id", "p.order_id")
    .innerJoin("order_line as ol", "ol.id", "p.order_line_id")
    .innerJoin("component as c", "c.id", "ol.component_id")
    .innerJoin("site as s", "s.id", "p.site_id")
    .select([
      "p.id",
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
  c: { id: string; pathId: string; from: string; to: string; code: string; content: CertificateContent; hash: string; issuedBy: string | null; issuedAt: Date },
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
    })
    .execute();
}

const certificateColumns = ["id", "path_id", "period_start", "period_end", "verification_code", "minutes", "content_hash", "issued_at", "issued_by"] as const;

export const certificatesOfPath = (db: Db, pathId: string) =>
  db.selectFrom("certificate").select(certificateColumns).where("path_id", "=", pathId).orderBy("issued_at", "desc").execute();

export const certificateById = (db: Db, id: string) => db.selectFrom("certificate").select(certificateColumns).where("id", "=", id).executeTakeFirst();

export const certificateByCode = (db: Db, code: string) => db.selectFrom("certificate").select(certificateColumns).where("verification_code", "=", code).executeTakeFirst();

export const certificatesByIds = (db: Db, ids: string[]) =>
  ids.length ? db.selectFrom("certificate").select(certificateColumns).where("id", "in", ids).execute() : Promise.resolve([]);

/** Everything the attendance sheet of one slot shows. */
export async function sheetData(db: Db, slotId: string): Promise<(SheetData & { providerId: string }) | undefined> {
  const slot = await db
    .selectFrom("slot as s")
    .innerJoin("order_line as ol", "ol.id", "s.order_line_id")
    .innerJoin("order as o", "o.id", "ol.order_id")
    .innerJoin("component as c", "c.id", "ol.component_id")
    .innerJoin("provider as pr", "pr.id", "s.provider_id")
    .leftJoin("module as m", "m.id", "s.module_id")
    .leftJoin("site as si", "si.id", "s.site_id")
    .leftJoin("app_user as u", "u.id", "s.trainer_id")
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
    .selectFrom("slot_trainee as st")
    .innerJoin("path as p", "p.id", "st.path_id")
    .innerJoin("trainee as t", "t.id", "p.trainee_id")
    .leftJoin("attendance as a", (j) => j.onRef("a.slot_id", "=", "st.slot_id").onRef("a.path_id", "=", "st.path_id"))
    .select(["st.path_id", "t.first_name", "t.last_name", "a.status", "a.late_minutes", "a.realised_minutes", "a.method", "a.signed_at", "a.signature"])
    .where("st.slot_id", "=", slotId)
    .orderBy("t.last_name")
    .orderBy("t.first_name")
    .execute();
  // The latest evidence entry of each trainee (and of the countersignature) proves the line shown.
  const evidence = await db.selectFrom("evidence").select(["path_id", "kind", "hash", "seq"]).where("slot_id", "=", slotId).orderBy("seq").execute();
  const lastHash = new Map<string, string>();
  let counterHash: string | null = null;
  for (const e of evidence) {
    if (e.kind === "countersignature") counterHash = e.hash;
    else if (e.path_id) lastHash.set(e.path_id, e.hash);
  }
  const counter = await db.selectFrom("countersignature").selectAll().where("slot_id", "=", slotId).executeTakeFirst();
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
      signature: t.signature,
      evidenceHash: lastHash.get(t.path_id) ?? null,
    })),
  };
}

/** Paths of an order that realised something in the period: the batch's certificates. */
export async function pathsWithRealised(db: Db, orderId: string, from: string, to: string) {
  const rows = await db
    .selectFrom("path as p")
    .select("p.id")
    .where("p.order_id", "=", orderId)
    .where("p.status", "in", ["validated", "closed", "dropped"])
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom("attendance as a")
          .innerJoin("slot as s", "s.id", "a.slot_id")
          .select("a.id")
          .whereRef("a.path_id", "=", "p.id")
          .where("a.status", "in", ["present", "late"])
          .where("s.slot_date", ">=", from)
          .where("s.slot_date", "<=", to),
      ),
    )
    .orderBy("p.id")
    .execute();
  return rows.map((r) => r.id);
}

export const batchById = (db: Db, id: string) => db.selectFrom("document_batch").selectAll().where("id", "=", id).executeTakeFirst();

export function batchesOf(db: Db, providerId: string | null) {
  let q = db
    .selectFrom("document_batch as b")
    .innerJoin("order as o", "o.id", "b.order_id")
    .select(["b.id", "b.order_id", "o.number as order_number", "b.period_start", "b.period_end", "b.total", "b.done", "b.status", "b.error", "b.created_at"])
    .orderBy("b.created_at", "desc")
    .limit(30);
  if (providerId) q = q.where("b.provider_id", "=", providerId);
  return q.execute();
}
