// Kysely queries of the offer's tables: site, component, component_site, module.
import type { Insertable, Kysely, Updateable } from "kysely";
import type { DB } from "../../core/db/schema.ts";
import type { ComponentFilter } from "./schema.ts";
import { accountRows } from "../../core/auth/accounts.ts";
import { transitionLogRows } from "../../core/outbox.ts";

type Q = Kysely<DB>;

// ---- Sites ----

export function listSites(db: Q, providerId?: string) {
  let q = db.selectFrom("site").selectAll().orderBy("name");
  if (providerId) q = q.where("provider_id", "=", providerId);
  return q.execute();
}

export const findSite = (db: Q, id: string) => db.selectFrom("site").selectAll().where("id", "=", id).executeTakeFirst();

export const findSites = (db: Q, ids: string[]) =>
  ids.length === 0 ? Promise.resolve([]) : db.selectFrom("site").selectAll().where("id", "in", ids).orderBy("name").execute();

export const insertSite = (db: Q, site: Insertable<DB["site"]>) => db.insertInto("site").values(site).execute();

export const updateSite = (db: Q, id: string, values: Updateable<DB["site"]>) => db.updateTable("site").set(values).where("id", "=", id).execute();

/** Components that run at a site, with their lot (a site move must stay in each lot: CP-SITE-IN-LOT). */
export const componentsAtSite = (db: Q, siteId: string) =>
  db
    .selectFrom("component_site as cs")
    .innerJoin("component as c", "c.id", "cs.component_id")
    .select(["c.id", "c.title", "c.lot_id"])
    .where("cs.site_id", "=", siteId)
    .execute();

/** Sites of a lot's accepted components, each with the component (CP-SITE-IN-LOT on a territory edit). */
export const acceptedSitesOfLot = (db: Q, lotId: string) =>
  db
    .selectFrom("component as c")
    .innerJoin("component_site as cs", "cs.component_id", "c.id")
    .innerJoin("site as s", "s.id", "cs.site_id")
    .select(["s.id", "s.name", "s.departement_code", "c.title"])
    .where("c.lot_id", "=", lotId)
    .where("c.offer_status", "=", "accepted")
    .orderBy("s.name")
    .execute();

// ---- Components ----

export function listComponents(db: Q, filter: ComponentFilter) {
  let q = db.selectFrom("component").selectAll().orderBy("title");
  if (filter.providerId) q = q.where("provider_id", "=", filter.providerId);
  if (filter.lotId) q = q.where("lot_id", "=", filter.lotId);
  if (filter.status) q = q.where("offer_status", "=", filter.status);
  return q.execute();
}

export const findComponent = (db: Q, id: string) => db.selectFrom("component").selectAll().where("id", "=", id).executeTakeFirst();

/** Locks the row for the rest of the transaction: transitions re-check rules on a stable component. */
export const lockComponent = (db: Q, id: string) => db.selectFrom("component").selectAll().where("id", "=", id).forUpdate().executeTakeFirst();

export const insertComponent = (db: Q, c: Insertable<DB["component"]>) => db.insertInto("component").values(c).execute();

export const updateComponent = (db: Q, id: string, values: Updateable<DB["component"]>) =>
  db.updateTable("component").set(values).where("id", "=", id).execute();

export async function componentSiteIds(db: Q, componentId: string): Promise<string[]> {
  const rows = await db.selectFrom("component_site").select("site_id").where("component_id", "=", componentId).execute();
  return rows.map((r) => r.site_id);
}

export async function siteIdsByComponent(db: Q, componentIds: string[]): Promise<Map<string, string[]>> {
  const map = new Map<string, string[]>(componentIds.map((id) => [id, []]));
  if (componentIds.length === 0) return map;
  const rows = await db.selectFrom("component_site").selectAll().where("component_id", "in", componentIds).execute();
  for (const r of rows) map.get(r.component_id)?.push(r.site_id);
  return map;
}

export async function replaceComponentSites(db: Q, componentId: string, siteIds: string[]) {
  await db.deleteFrom("component_site").where("component_id", "=", componentId).execute();
  if (siteIds.length > 0) {
    await db.insertInto("component_site").values(siteIds.map((site_id) => ({ component_id: componentId, site_id }))).execute();
  }
}

// ---- Modules ----

export const listModules = (db: Q, componentId: string) =>
  db.selectFrom("module").selectAll().where("component_id", "=", componentId).orderBy("position").orderBy("title").execute();

export const findModule = (db: Q, componentId: string, moduleId: string) =>
  db.selectFrom("module").selectAll().where("component_id", "=", componentId).where("id", "=", moduleId).executeTakeFirst();

export async function nextModulePosition(db: Q, componentId: string): Promise<number> {
  const row = await db
    .selectFrom("module")
    .select((eb) => eb.fn.max("position").as("max"))
    .where("component_id", "=", componentId)
    .executeTakeFirst();
  return row?.max === null || row?.max === undefined ? 0 : Number(row.max) + 1;
}

export const insertModule = (db: Q, m: Insertable<DB["module"]>) => db.insertInto("module").values(m).execute();

export const updateModule = (db: Q, id: string, values: Updateable<DB["module"]>) => db.updateTable("module").set(values).where("id", "=", id).execute();

export const deleteModule = (db: Q, id: string) => db.deleteFrom("module").where("id", "=", id).execute();

export const transitions = (db: Q, componentId: string) =>
  db
    .selectFrom(transitionLogRows().as("t"))
    .leftJoin(accountRows().as("u"), "u.id", "t.actor_id")
    .select(["t.entity", "t.from_status", "t.to_status", "t.reason", "t.at", "u.full_name"])
    .where("t.entity_id", "=", componentId)
    .where("t.entity", "in", ["component", "component_hybrid"])
    .orderBy("t.id")
    .execute();
