// Queries of the gathering, delivery and web-conference tables (CP-EFORM-GATHERINGS, CP-EFORM-WELCOME-DAY, CP-WEBCONF).
import { type Insertable, type Kysely, sql } from "kysely";
import type { DB } from "../../core/db/schema.ts";

type Q = Kysely<DB>;

export const gatheringsOf = (db: Q, sessionId: string) =>
  db.selectFrom("eformation_gathering").selectAll().where("session_id", "=", sessionId).orderBy("gathering_date").orderBy("created_at").execute();

export const insertGathering = (db: Q, row: Insertable<DB["eformation_gathering"]>) => db.insertInto("eformation_gathering").values(row).execute();

export const requestsOf = (db: Q, sessionId: string) =>
  db
    .selectFrom("eformation_gathering_request as r")
    .leftJoin("eformation_gathering as g", "g.request_id", "r.id")
    .selectAll("r")
    .select("g.id as gathering_id")
    .where("r.session_id", "=", sessionId)
    .orderBy("r.filed_at")
    .execute();

export const findRequest = (db: Q, id: string) => db.selectFrom("eformation_gathering_request").selectAll().where("id", "=", id).executeTakeFirst();
export const lockRequest = (db: Q, id: string) => db.selectFrom("eformation_gathering_request").selectAll().where("id", "=", id).forUpdate().executeTakeFirst();
export const insertRequest = (db: Q, row: Insertable<DB["eformation_gathering_request"]>) => db.insertInto("eformation_gathering_request").values(row).execute();

export const deliveriesOf = (db: Q, gatheringId: string) => db.selectFrom("eformation_delivery").selectAll().where("gathering_id", "=", gatheringId).execute();

/** Replaces a trainee's deliveries at this welcome day by the given items. */
export async function setDeliveries(db: Q, gatheringId: string, pathId: string, items: DB["eformation_delivery"]["item"][], userId: string, now: Date) {
  await db.deleteFrom("eformation_delivery").where("path_id", "=", pathId).where("gathering_id", "=", gatheringId).where("item", "not in", items.length ? items : ["__none__" as never]).execute();
  if (items.length === 0) return;
  await db
    .insertInto("eformation_delivery")
    .values(items.map((item) => ({ gathering_id: gatheringId, path_id: pathId, item, recorded_by: userId, recorded_at: now })))
    .onConflict((oc) => oc.columns(["path_id", "item"]).doNothing())
    .execute();
}

/** A postponement moves the session's gatherings (and the dates of requests still open) by the same days. */
export async function shiftGatherings(db: Q, sessionId: string, days: number) {
  await db.updateTable("eformation_gathering_request").set({ gathering_date: sql<string>`gathering_date + ${days}::int` }).where("session_id", "=", sessionId).where("status", "in", ["filed", "authorised"]).execute();
  const moved = await db.updateTable("eformation_gathering").set({ gathering_date: sql<string>`gathering_date + ${days}::int` }).where("session_id", "=", sessionId).executeTakeFirst();
  return Number(moved.numUpdatedRows);
}

export const webconfOf = (db: Q, componentId: string) => db.selectFrom("eformation_webconf").selectAll().where("component_id", "=", componentId).executeTakeFirst();
export const lockWebconf = (db: Q, componentId: string) => db.selectFrom("eformation_webconf").selectAll().where("component_id", "=", componentId).forUpdate().executeTakeFirst();

export async function upsertWebconf(db: Q, row: Insertable<DB["eformation_webconf"]>) {
  const { component_id: _c, ...set } = row;
  await db
    .insertInto("eformation_webconf")
    .values(row)
    .onConflict((oc) => oc.column("component_id").doUpdateSet({ ...set, status: "submitted", region_reason: null, decided_by: null, decided_at: null }))
    .execute();
}
