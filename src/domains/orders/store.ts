// Kysely queries of the orders domain's tables: "order", order_line, order_line_site.
// Lot, provider, component and site names are joined in for display only.
import { type Insertable, type Kysely, sql, type Updateable } from "kysely";
import type { DB } from "../../core/db/schema.ts";
import { z } from "zod";
import { folded, keysetPage, listQuery, searchIn, type Sorts } from "../../core/listing.ts";
import { lotRows, providerRows } from "../region/views.ts";
import { accountRows } from "../../core/auth/accounts.ts";
import { componentRows, siteRows } from "../offer/views.ts";
import { pathRows, traineeRows } from "../paths/views.ts";

type Q = Kysely<DB>;

export const ORDER_SORTS = {
  start_desc: { label: "Début prévu (plus récent d'abord)", expr: sql`o.planned_start`, dir: "desc" },
  number: { label: "Numéro", expr: sql`o.number`, dir: "asc" },
  provider: { label: "Organisme (A → Z)", expr: folded(sql`p.name`), dir: "asc" },
} satisfies Sorts;
export const OrderListQuery = listQuery(ORDER_SORTS, "start_desc").extend({
  lotId: z.uuid().optional().describe("Lot"),
  providerId: z.uuid().optional().describe("Organisme (Région seulement ; un organisme ne voit que les siennes)"),
  status: z.enum(["issued", "closed"]).optional().describe("issued : en cours ; closed : close"),
});
export type OrderListParams = z.infer<typeof OrderListQuery>;

/** One keyset page of orders (ADR 0030); the caller has already forced providerId for a provider. */
export function pageOrders(db: Q, p: OrderListParams) {
  let q = orderListBase(db);
  if (p.lotId) q = q.where("o.lot_id", "=", p.lotId);
  if (p.providerId) q = q.where("o.provider_id", "=", p.providerId);
  if (p.status) q = q.where("o.status", "=", p.status);
  q = searchIn(q, p.q, [sql`o.number`, sql`p.name`, sql`l.code`, sql`l.name`]);
  return keysetPage(q, ORDER_SORTS, p, sql<string>`o.id`);
}

export interface OrderListFilter {
  lotId?: string;
  providerId?: string;
}

/** The orders list's rows before any sort: lot, provider and ordered minutes (Σ headcount × average path). */
function orderListBase(db: Q) {
  return db
    .selectFrom("order as o")
    .innerJoin(lotRows().as("l"), "l.id", "o.lot_id")
    .innerJoin(providerRows().as("p"), "p.id", "o.provider_id")
    .select((eb) => [
      "o.id",
      "o.number",
      "o.lot_id",
      "l.code as lot_code",
      "l.name as lot_name",
      "o.provider_id",
      "p.name as provider_name",
      "o.planned_start",
      "o.planned_end",
      "o.headcount",
      "o.unit_price_cents",
      "o.status",
      eb
        .selectFrom("order_line as ol")
        .select(sql<number>`coalesce(sum(ol.headcount * (ol.average_path_centre_minutes + ol.average_path_company_minutes)), 0)`.as("m"))
        .whereRef("ol.order_id", "=", "o.id")
        .as("ordered_minutes"),
    ]);
}

/** Orders with their lot, provider and ordered minutes, newest start first. */
export function listOrders(db: Q, filter: OrderListFilter) {
  let q = orderListBase(db)
    .orderBy("o.planned_start", "desc")
    .orderBy("o.number");
  if (filter.lotId) q = q.where("o.lot_id", "=", filter.lotId);
  if (filter.providerId) q = q.where("o.provider_id", "=", filter.providerId);
  return q.execute();
}

export function findOrder(db: Q, id: string, lock = false) {
  let q = db
    .selectFrom("order as o")
    .innerJoin(lotRows().as("l"), "l.id", "o.lot_id")
    .innerJoin(providerRows().as("p"), "p.id", "o.provider_id")
    .leftJoin(accountRows().as("closer"), "closer.id", "o.closed_by")
    .selectAll("o")
    .select(["l.code as lot_code", "l.name as lot_name", "p.name as provider_name", "closer.full_name as closed_by_name"])
    .where("o.id", "=", id);
  if (lock) q = q.forUpdate("o");
  return q.executeTakeFirst();
}

export type OrderRow = NonNullable<Awaited<ReturnType<typeof findOrder>>>;

/** Several orders' owner and warnings raised at close, in one query (the compliance board). */
export function closeFindingsOfOrders(db: Q, ids: string[]) {
  return db.selectFrom("order as o").select(["o.id", "o.provider_id", "o.close_findings"]).where(sql<boolean>`o.id = any(${ids}::uuid[])`).execute();
}


export interface LineRow {
  id: string;
  componentId: string;
  componentTitle: string;
  headcount: number;
  averagePathCentreMinutes: number;
  averagePathCompanyMinutes: number;
  sites: { id: string; name: string; commune: string; departementCode: string }[];
}

export async function linesOf(db: Q, orderId: string): Promise<LineRow[]> {
  const lines = await db
    .selectFrom("order_line as ol")
    .innerJoin(componentRows().as("c"), "c.id", "ol.component_id")
    .select(["ol.id", "ol.component_id", "c.title", "ol.headcount", "ol.average_path_centre_minutes", "ol.average_path_company_minutes"])
    .where("ol.order_id", "=", orderId)
    .orderBy("c.title")
    .execute();
  const sites =
    lines.length === 0
      ? []
      : await db
          .selectFrom("order_line_site as ols")
          .innerJoin(siteRows().as("s"), "s.id", "ols.site_id")
          .select(["ols.order_line_id", "s.id", "s.name", "s.commune", "s.departement_code"])
          .where(
            "ols.order_line_id",
            "in",
            lines.map((l) => l.id),
          )
          .orderBy("s.name")
          .execute();
  return lines.map((l) => ({
    id: l.id,
    componentId: l.component_id,
    componentTitle: l.title,
    headcount: l.headcount,
    averagePathCentreMinutes: l.average_path_centre_minutes,
    averagePathCompanyMinutes: l.average_path_company_minutes,
    sites: sites.filter((s) => s.order_line_id === l.id).map((s) => ({ id: s.id, name: s.name, commune: s.commune, departementCode: s.departement_code })),
  }));
}

export async function numberTaken(db: Q, number: string, exceptId?: string): Promise<boolean> {
  let q = db.selectFrom("order").select("id").where("number", "=", number);
  if (exceptId) q = q.where("id", "<>", exceptId);
  return Boolean(await q.executeTakeFirst());
}

export const insertOrder = (db: Q, o: Insertable<DB["order"]>) => db.insertInto("order").values(o).execute();

export const updateOrder = (db: Q, id: string, values: Updateable<DB["order"]>) => db.updateTable("order").set(values).where("id", "=", id).execute();

/** Sites named on the order lines of a lot's orders, with the order and component (CP-SITE-IN-LOT on a territory edit). */
export const lineSitesOfLot = (db: Q, lotId: string) =>
  db
    .selectFrom("order as o")
    .innerJoin("order_line as ol", "ol.order_id", "o.id")
    .innerJoin(componentRows().as("c"), "c.id", "ol.component_id")
    .innerJoin("order_line_site as ols", "ols.order_line_id", "ol.id")
    .innerJoin(siteRows().as("s"), "s.id", "ols.site_id")
    .select(["s.id", "s.name", "s.departement_code", "o.number", "c.title"])
    .where("o.lot_id", "=", lotId)
    .orderBy("o.number")
    .execute();

export const insertLine = (db: Q, l: Insertable<DB["order_line"]>) => db.insertInto("order_line").values(l).execute();

export const updateLine = (db: Q, id: string, values: Updateable<DB["order_line"]>) => db.updateTable("order_line").set(values).where("id", "=", id).execute();

/** Refused by the database (path.order_line_id) when the line has paths: the caller checks first. */
export const deleteLine = (db: Q, id: string) => db.deleteFrom("order_line").where("id", "=", id).execute();

export async function replaceLineSites(db: Q, lineId: string, siteIds: string[]) {
  await db.deleteFrom("order_line_site").where("order_line_id", "=", lineId).execute();
  if (siteIds.length > 0) {
    await db.insertInto("order_line_site").values(siteIds.map((site_id) => ({ order_line_id: lineId, site_id }))).execute();
  }
}

/** The paths that keep an order from closing (draft or validated), with whom they are for (issue 10, point 8). */
export function runningPathsOf(db: Kysely<DB>, orderId: string) {
  return db
    .selectFrom(pathRows().as("p"))
    .innerJoin(traineeRows().as("t"), "t.id", "p.trainee_id")
    .select(["p.id", "p.status", "p.planned_exit_date", "t.first_name", "t.last_name"])
    .where("p.order_id", "=", orderId)
    .where("p.status", "in", ["draft", "validated"])
    .orderBy("t.last_name")
    .orderBy("t.first_name")
    .orderBy("p.id")
    .execute();
}
