// Kysely queries of the teaching-team tables: trainer, order_trainer, trainer_notice, trainer_notice_trainer.
import type { Kysely } from "kysely";
import type { DB, TrainerNoticeKind } from "../../core/db/schema.ts";
import { orderRows } from "../orders/views.ts";
import { providerRows } from "../region/views.ts";

type Q = Kysely<DB>;

const trainerColumns = ["id", "provider_id", "full_name", "qualifications", "cv_attachment_id", "active", "created_at"] as const;

export const listTrainers = (db: Q, providerId: string) => db.selectFrom("trainer").select(trainerColumns).where("provider_id", "=", providerId).orderBy("full_name").orderBy("id").execute();
export const findTrainer = (db: Q, id: string) => db.selectFrom("trainer").select(trainerColumns).where("id", "=", id).executeTakeFirst();
export const findTrainers = (db: Q, ids: string[]) =>
  ids.length === 0 ? Promise.resolve([]) : db.selectFrom("trainer").select(trainerColumns).where("id", "in", ids).orderBy("full_name").execute();

export const insertTrainer = (db: Q, t: { id: string; provider_id: string; full_name: string; qualifications: string; active: boolean; cv_attachment_id: string | null; created_by: string }) =>
  db.insertInto("trainer").values(t).execute();

export const updateTrainer = (db: Q, id: string, v: { full_name: string; qualifications: string; active: boolean; cv_attachment_id?: string }) =>
  db.updateTable("trainer").set(v).where("id", "=", id).execute();

/** The order's teaching team, read under a lock on the order's row so two changes of the same team queue up. */
export const lockOrder = (db: Q, orderId: string) => db.selectFrom(orderRows().as("order")).select("id").where("id", "=", orderId).forUpdate().executeTakeFirst();

export const teamOf = (db: Q, orderId: string) =>
  db.selectFrom("order_trainer as ot").innerJoin("trainer as t", "t.id", "ot.trainer_id").select(["t.id", "t.full_name", "t.qualifications", "t.cv_attachment_id", "t.active", "ot.added_at"]).where("ot.order_id", "=", orderId).orderBy("t.full_name").execute();

export async function replaceTeam(db: Q, orderId: string, added: string[], removed: string[], at: Date) {
  if (removed.length > 0) await db.deleteFrom("order_trainer").where("order_id", "=", orderId).where("trainer_id", "in", removed).execute();
  if (added.length > 0) await db.insertInto("order_trainer").values(added.map((trainer_id) => ({ order_id: orderId, trainer_id, added_at: at }))).onConflict((oc) => oc.doNothing()).execute();
}

export async function insertNotice(
  db: Q,
  n: { id: string; provider_id: string; order_id: string; kind: TrainerNoticeKind; reason: string; filed_by: string; filed_at: Date; absent_trainer_id?: string; replacement_trainer_id?: string; absence_from?: string; absence_to?: string | null; site_id?: string },
  trainers: { trainer_id: string; change: "added" | "removed"; cv_attachment_id: string | null }[],
) {
  await db.insertInto("trainer_notice").values(n).execute();
  if (trainers.length > 0) await db.insertInto("trainer_notice_trainer").values(trainers.map((t) => ({ ...t, notice_id: n.id }))).execute();
}

export function notices(db: Q) {
  return db
    .selectFrom("trainer_notice as n")
    .innerJoin(orderRows().as("o"), "o.id", "n.order_id")
    .innerJoin(providerRows().as("p"), "p.id", "n.provider_id")
    .leftJoin("trainer as a", "a.id", "n.absent_trainer_id")
    .leftJoin("trainer as r", "r.id", "n.replacement_trainer_id")
    .select([
      "n.id",
      "n.provider_id",
      "n.order_id",
      "n.kind",
      "n.reason",
      "n.absence_from",
      "n.absence_to",
      "n.filed_at",
      "n.acknowledged_at",
      "n.site_id",
      "o.number as order_number",
      "p.name as provider_name",
      "a.full_name as absent_name",
      "a.qualifications as absent_qualifications",
      "r.full_name as replacement_name",
      "r.qualifications as replacement_qualifications",
    ]);
}

export const noticeTrainers = (db: Q, noticeId: string) =>
  db
    .selectFrom("trainer_notice_trainer as nt")
    .innerJoin("trainer as t", "t.id", "nt.trainer_id")
    .select(["t.id", "t.full_name", "t.qualifications", "nt.change", "nt.cv_attachment_id"])
    .where("nt.notice_id", "=", noticeId)
    .orderBy("nt.change")
    .orderBy("t.full_name")
    .execute();

/** Acknowledges an open notice; false when it was already acknowledged (conditional update). */
export async function acknowledge(db: Q, id: string, by: string, at: Date): Promise<boolean> {
  const r = await db.updateTable("trainer_notice").set({ acknowledged_by: by, acknowledged_at: at }).where("id", "=", id).where("acknowledged_at", "is", null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
