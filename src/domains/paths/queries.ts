// Read models of the trainee and path screens, scoped by the caller.
import type { Actor } from "../../core/auth/actor.ts";
import { isProviderStaff } from "../../core/auth/actor.ts";
import type { Db } from "../../core/db/index.ts";
import { forbidden } from "../../core/errors.ts";
import { folded, keysetPage, listQuery, type Page, searchIn, type Sorts } from "../../core/listing.ts";
import { sql } from "kysely";
import { z } from "zod";
import { orderLineRows, orderLineSiteRows, orderRows } from "../orders/views.ts";
import { componentRows, moduleRows, siteRows } from "../offer/views.ts";
import { accountRows } from "../../core/auth/accounts.ts";
import { transitionLogRows } from "../../core/outbox.ts";

function pathListBase(db: Db, actor: Actor, filter: { orderId?: string; status?: string }) {
  if (actor.role !== "region_officer" && !isProviderStaff(actor)) throw forbidden();
  let q = db
    .selectFrom("path as p")
    .innerJoin("trainee as t", "t.id", "p.trainee_id")
    .innerJoin(orderRows().as("o"), "o.id", "p.order_id")
    .innerJoin(orderLineRows().as("ol"), "ol.id", "p.order_line_id")
    .innerJoin(componentRows().as("c"), "c.id", "ol.component_id")
    .innerJoin(siteRows().as("s"), "s.id", "p.site_id")
    .select((eb) => [
      "p.id",
      "p.status",
      "p.entry_date",
      "p.planned_exit_date",
      "t.id as trainee_id",
      "t.first_name",
      "t.last_name",
      "t.france_travail_id",
      "t.job_seeker_registered",
      "o.id as order_id",
      "o.number as order_number",
      "c.title as component_title",
      "s.name as site_name",
      eb
        .selectFrom("path_item as i")
        .select((e) => e.fn.coalesce(e.fn.sum<number>("i.planned_minutes"), e.lit(0)).as("m"))
        .whereRef("i.path_id", "=", "p.id")
        .as("items_minutes"),
      eb.selectFrom("positioning as pos").select("pos.minutes").whereRef("pos.path_id", "=", "p.id").as("positioning_minutes"),
    ]);
  // Scoped first: another provider's paths never enter the list, whatever the filters.
  if (actor.role !== "region_officer") q = q.where("p.provider_id", "=", actor.providerId!);
  if (filter.orderId) q = q.where("p.order_id", "=", filter.orderId);
  if (filter.status) q = q.where("p.status", "=", filter.status as "draft");
  return q;
}

type PathListRow = Awaited<ReturnType<ReturnType<typeof pathListBase>["execute"]>>[number];
const withPlanned = (r: PathListRow) => ({ ...r, planned_minutes: Number(r.items_minutes ?? 0) + Number(r.positioning_minutes ?? 0) });

/** Every path (unpaged), for the callers that need the whole set; lists use pagePaths. */
export async function listPaths(db: Db, actor: Actor, filter: { orderId?: string; status?: string } = {}) {
  const rows = await pathListBase(db, actor, filter).orderBy("t.last_name").orderBy("t.first_name").execute();
  return rows.map(withPlanned);
}

export const PATH_SORTS = {
  name: { label: "Nom (A → Z)", expr: folded(sql`t.last_name || ' ' || t.first_name`), dir: "asc" },
  entry_desc: { label: "Entrée (plus récente d'abord)", expr: sql`p.entry_date`, dir: "desc" },
  entry: { label: "Entrée (plus ancienne d'abord)", expr: sql`p.entry_date`, dir: "asc" },
  exit: { label: "Sortie prévue (plus proche d'abord)", expr: sql`p.planned_exit_date`, dir: "asc" },
} satisfies Sorts;
export const PathListQuery = listQuery(PATH_SORTS, "name").extend({
  status: z.enum(["draft", "validated", "closed", "dropped"]).optional().describe("Statut du parcours"),
  orderId: z.string().uuid().optional().describe("Commande"),
});
export type PathListParams = z.infer<typeof PathListQuery>;

/** One page of the trainees' paths the caller sees: search on name, France Travail id, order, component. */
export async function pagePaths(db: Db, actor: Actor, params: PathListParams): Promise<Page<ReturnType<typeof withPlanned>>> {
  const base = searchIn(pathListBase(db, actor, params), params.q, [sql`t.last_name || ' ' || t.first_name`, sql`t.first_name || ' ' || t.last_name`, sql`t.france_travail_id`, sql`o.number`, sql`c.title`]);
  const page = await keysetPage(base, PATH_SORTS, params, sql<string>`p.id`);
  return { items: page.items.map(withPlanned), next: page.next };
}

/** Order lines the caller may register a trainee on (provider: own orders), with their sites. */
export async function registrableLines(db: Db, actor: Actor) {
  let q = db
    .selectFrom(orderLineRows().as("ol"))
    .innerJoin(orderRows().as("o"), "o.id", "ol.order_id")
    .innerJoin(componentRows().as("c"), "c.id", "ol.component_id")
    .innerJoin(orderLineSiteRows().as("ols"), "ols.order_line_id", "ol.id")
    .innerJoin(siteRows().as("s"), "s.id", "ols.site_id")
    .select(["ol.id", "o.id as order_id", "o.number", "o.planned_start", "o.planned_end", "c.title", "s.id as site_id", "s.name as site_name", "s.commune"])
    .where("o.status", "=", "issued")
    .orderBy("o.number")
    .orderBy("c.title");
  if (actor.role !== "region_officer") q = q.where("o.provider_id", "=", actor.providerId ?? "00000000-0000-0000-0000-000000000000");
  return q.execute();
}

export async function referentsOf(db: Db, providerId: string) {
  return db.selectFrom(accountRows().as("app_user")).select(["id", "full_name"]).where("provider_id", "=", providerId).where("role", "=", "pedagogical_referent").where("active", "=", true).orderBy("full_name").execute();
}

/** Everything the path screen shows; the caller has already been checked by loadPathForActor. */
export async function pathDetail(db: Db, pathId: string) {
  const head = await db
    .selectFrom("path as p")
    .innerJoin("trainee as t", "t.id", "p.trainee_id")
    .innerJoin(orderRows().as("o"), "o.id", "p.order_id")
    .innerJoin(orderLineRows().as("ol"), "ol.id", "p.order_line_id")
    .innerJoin(componentRows().as("c"), "c.id", "ol.component_id")
    .innerJoin(siteRows().as("s"), "s.id", "p.site_id")
    .leftJoin(accountRows().as("r"), "r.id", "t.pedagogical_referent_id")
    .select([
      "p.id",
      "p.status",
      "p.entry_date",
      "p.planned_exit_date",
      "p.actual_exit_date",
      "p.site_id",
      "p.provider_id",
      "t.id as trainee_id",
      "t.first_name",
      "t.last_name",
      "t.birth_date",
      "t.email",
      "t.phone",
      "t.france_travail_id",
      "t.job_seeker_registered",
      "t.pedagogical_referent_id",
      "t.cv_updated_on",
      "r.full_name as referent_name",
      "o.id as order_id",
      "o.number as order_number",
      "o.planned_start",
      "o.planned_end",
      "c.id as component_id",
      "c.title as component_title",
      "c.e_formation",
      "c.hybrid_status",
      "s.name as site_name",
      "s.commune",
    ])
    .where("p.id", "=", pathId)
    .executeTakeFirstOrThrow();
  const [modules, items, positioning, deposits, adjustments, transitions, sites] = await Promise.all([
    db.selectFrom(moduleRows().as("module")).selectAll().where("component_id", "=", head.component_id).orderBy("position").execute(),
    db.selectFrom("path_item").selectAll().where("path_id", "=", pathId).orderBy("position").execute(),
    db.selectFrom("positioning").selectAll().where("path_id", "=", pathId).executeTakeFirst(),
    db.selectFrom("deposit").selectAll().where("path_id", "=", pathId).orderBy("created_at").execute(),
    db
      .selectFrom("path_adjustment as a")
      .leftJoin(accountRows().as("u"), "u.id", "a.adjusted_by")
      .select(["a.id", "a.reason", "a.adjusted_at", "a.before", "a.after", "u.full_name"])
      .where("a.path_id", "=", pathId)
      .orderBy("a.adjusted_at", "desc")
      .execute(),
    db
      .selectFrom(transitionLogRows().as("l"))
      .leftJoin(accountRows().as("u"), "u.id", "l.actor_id")
      .select(["l.id", "l.from_status", "l.to_status", "l.reason", "l.at", "u.full_name"])
      .where("l.entity", "=", "path")
      .where("l.entity_id", "=", pathId)
      .orderBy("l.id")
      .execute(),
    db
      .selectFrom(orderLineSiteRows().as("ols"))
      .innerJoin(siteRows().as("s"), "s.id", "ols.site_id")
      .innerJoin("path as p", "p.order_line_id", "ols.order_line_id")
      .select(["s.id", "s.name", "s.commune"])
      .where("p.id", "=", pathId)
      .execute(),
  ]);
  return { head, modules, items, positioning, deposits, adjustments, transitions, sites };
}

export type PathDetail = Awaited<ReturnType<typeof pathDetail>>;
