import { sql } from "kysely";
import { jsonArrayFrom } from "kysely/helpers/postgres";
import type { Db } from "../../core/db/index.ts";
import { prepared, preparedMark } from "../../core/db/prepared.ts";
import type { ContentTag, Modality, PathStatus } from "../../core/db/schema.ts";
import type { PositioningFacts } from "./rules.ts";
import type { PlanItem } from "./totals.ts";
import { orderLineRows, orderLineSiteRows, orderRows } from "../orders/views.ts";
import { lotRows, providerRows } from "../region/views.ts";
import { componentRows, moduleRows } from "../offer/views.ts";
import { transitionLogRows } from "../../core/outbox.ts";
import { otherFundedTraineeRows } from "../schedule/views.ts";
import { pathRows } from "./views.ts";

export interface LineContext {
  id: string;
  componentId: string;
  componentTitle: string;
  eFormation: boolean;
  hybridStatus: "none" | "requested" | "approved" | "refused";
  hasDigitalModules: boolean;
  headcount: number;
  centreMinutes: number;
  companyMinutes: number;
  siteIds: string[];
  /** The component's modules, in their order: read only when asked (loadOrderRows' `modules`). */
  modules?: LineModule[];
}

export interface PathRow {
  id: string;
  traineeId: string;
  traineeName: string;
  orderLineId: string;
  siteId: string;
  status: PathStatus;
  entryDate: string;
  plannedExitDate: string;
  actualExitDate: string | null;
  items: PlanItem[];
  positioning: PositioningFacts | undefined;
  referentId: string | null;
  jobSeekerRegistered: boolean;
}

/**
 * Someone in a group's room before schedules exist (CP-GROUP-MAX-20): a path of any order, or a
 * trainee another funder pays for, on a component at a site for [entryDate, exitDate].
 */
export interface GroupMember {
  /** The path's id, or `other:<id>` for an other-funded trainee. */
  key: string;
  componentId: string;
  siteId: string;
  entryDate: string;
  exitDate: string;
}

export interface OrderContext {
  id: string;
  number: string;
  providerId: string;
  providerName: string;
  lotId: string;
  lotName: string;
  plannedStart: string;
  plannedEnd: string;
  frameworkEnd: string;
  unitPriceCents: number;
  headcount: number;
  lines: LineContext[];
  paths: PathRow[];
  /** Everyone on the components and sites of the order's lines, from every order and funder (group.ts). */
  group: GroupMember[];
}

/**
 * Which order: by its id, or as the order of one of its paths — then one round trip reads the path's
 * order with no read of the path before it (the live path check, issue 16).
 */
export type OrderRef = { orderId: string } | { pathId: string };

/** SQL: the referenced order's id (a scalar subquery for a path, planned once: an index lookup). */
export const orderIdOf = (ref: OrderRef) =>
  "orderId" in ref ? sql<string>`${ref.orderId}::uuid` : sql<string>`(select kp.order_id from ${pathRows()} kp where kp.id = ${ref.pathId})`;

/** A module of a line's component, as the plan's items refer to it. */
export interface LineModule {
  id: string;
  title: string;
  minutes: number;
  modality: Modality;
  content_tag: ContentTag | null;
}

/**
 * Everything the path rules need about one order, in three queries sent together whatever its size (the group
 * and the realised minutes: group.ts). `modules`: each line also carries its component's modules (the live
 * check turns the submitted items into plan items with them).
 */
export async function loadOrderRows(db: Db, ref: OrderRef, o: { modules?: boolean } = {}): Promise<OrderContext | undefined> {
  // Three independent reads sent together (one round trip's wait, not three); the plans are read by order,
  // not by a list of path ids (an order of 1 000 paths made a 1 000-parameter query; issue 16). The order and
  // its lines are one read: the order's row repeated on each line (an order without lines: one row, no line).
  const orderId = orderIdOf(ref);
  // Prepared (docs/adr/0044): their planning cost more than their reading.
  const orderQuery = prepared(db
    .selectFrom(orderRows().as("o"))
    .innerJoin(lotRows().as("l"), "l.id", "o.lot_id")
    .innerJoin(providerRows().as("p"), "p.id", "o.provider_id")
    .leftJoin(orderLineRows().as("ol"), "ol.order_id", "o.id")
    .leftJoin(componentRows().as("c"), "c.id", "ol.component_id")
    .select((eb) => [
      "o.id",
      "o.number",
      "o.provider_id",
      "p.name as provider_name",
      "o.lot_id",
      "l.name as lot_name",
      "o.planned_start",
      "o.planned_end",
      "l.framework_end",
      "o.unit_price_cents",
      "o.headcount",
      "ol.id as line_id",
      "ol.component_id",
      "c.title",
      "c.e_formation",
      "c.hybrid_status",
      "ol.headcount as line_headcount",
      "ol.average_path_centre_minutes",
      "ol.average_path_company_minutes",
      eb
        .exists(eb.selectFrom(moduleRows().as("m")).select("m.id").whereRef("m.component_id", "=", "c.id").where("m.content_tag", "=", "digital"))
        .as("has_digital"),
      eb.selectFrom(orderLineSiteRows().as("s")).select((e) => e.fn.agg<string[]>("array_agg", ["s.site_id"]).as("ids")).whereRef("s.order_line_id", "=", "ol.id").as("site_ids"),
      o.modules
        ? jsonArrayFrom(
            eb
              .selectFrom(moduleRows().as("mm"))
              .select(["mm.id", "mm.title", "mm.minutes", "mm.modality", "mm.content_tag"])
              .whereRef("mm.component_id", "=", "c.id")
              .orderBy("mm.position"),
          ).as("modules")
        : sql<null>`null`.as("modules"),
    ])
    .where("o.id", "=", orderId)
    .orderBy("c.title"))
    .execute();
  const pathsQuery = prepared(db
    .selectFrom("path as p")
    .innerJoin("trainee as t", "t.id", "p.trainee_id")
    .leftJoin("positioning as pos", "pos.path_id", "p.id")
    .select([
      "p.id",
      "p.trainee_id",
      "t.first_name",
      "t.last_name",
      "t.pedagogical_referent_id",
      "t.job_seeker_registered",
      "p.order_line_id",
      "p.site_id",
      "p.status",
      "p.entry_date",
      "p.planned_exit_date",
      "p.actual_exit_date",
      "pos.minutes as pos_minutes",
      "pos.first_day as pos_first_day",
      "pos.restitution_on",
      "pos.prior_learning",
      "pos.competences",
      "pos.recommended_minutes",
      "pos.recommended_methods",
    ])
    .where("p.order_id", "=", orderId)
    .orderBy("t.last_name")
    .orderBy("t.first_name"))
    .execute();
  const itemsQuery = prepared(db
    .selectFrom("path_item as i")
    .innerJoin("path as ip", "ip.id", "i.path_id")
    .leftJoin(moduleRows().as("m"), "m.id", "i.module_id")
    .select([
      "i.path_id",
      "i.module_id",
      "i.label",
      "i.modality",
      "i.self_study_location",
      "i.planned_minutes",
      "i.exempted",
      "i.exemption_reason",
      "m.content_tag",
      "m.minutes as module_minutes",
    ])
    .where("ip.order_id", "=", orderId)
    .orderBy("i.position"))
    .execute();
  const [lines, paths, items] = await Promise.all([orderQuery, pathsQuery, itemsQuery]);
  const order = lines[0];
  if (!order) return undefined;
  const itemsByPath = new Map<string, PlanItem[]>();
  for (const i of items) {
    const list = itemsByPath.get(i.path_id) ?? [];
    list.push({
      moduleId: i.module_id,
      label: i.label,
      modality: i.modality,
      selfStudyLocation: i.self_study_location,
      plannedMinutes: i.planned_minutes,
      exempted: i.exempted,
      exemptionReason: i.exemption_reason,
      contentTag: i.content_tag,
      moduleMinutes: i.module_minutes,
    });
    itemsByPath.set(i.path_id, list);
  }
  return {
    id: order.id,
    number: order.number,
    providerId: order.provider_id,
    providerName: order.provider_name,
    lotId: order.lot_id,
    lotName: order.lot_name,
    plannedStart: order.planned_start,
    plannedEnd: order.planned_end,
    frameworkEnd: order.framework_end,
    unitPriceCents: order.unit_price_cents,
    headcount: order.headcount,
    lines: lines.flatMap((l) =>
      l.line_id == null
        ? []
        : [
            {
              id: l.line_id,
              componentId: l.component_id as string,
              componentTitle: l.title as string,
              eFormation: l.e_formation as boolean,
              hybridStatus: l.hybrid_status as LineContext["hybridStatus"],
              hasDigitalModules: Boolean(l.has_digital),
              headcount: l.line_headcount as number,
              centreMinutes: l.average_path_centre_minutes as number,
              companyMinutes: l.average_path_company_minutes as number,
              siteIds: (l.site_ids as string[] | null) ?? [],
              ...(o.modules ? { modules: (l.modules as LineModule[] | null) ?? [] } : {}),
            },
          ],
    ),
    paths: paths.map((p) => ({
      id: p.id,
      traineeId: p.trainee_id,
      traineeName: `${p.first_name} ${p.last_name}`,
      orderLineId: p.order_line_id,
      siteId: p.site_id,
      status: p.status,
      entryDate: p.entry_date,
      plannedExitDate: p.planned_exit_date,
      actualExitDate: p.actual_exit_date,
      items: itemsByPath.get(p.id) ?? [],
      referentId: p.pedagogical_referent_id,
      jobSeekerRegistered: p.job_seeker_registered,
      positioning:
        p.pos_minutes == null
          ? undefined
          : {
              minutes: p.pos_minutes,
              firstDay: p.pos_first_day as string,
              restitutionOn: p.restitution_on,
              priorLearning: p.prior_learning,
              competences: p.competences,
              recommendedMinutes: p.recommended_minutes,
              recommendedMethods: p.recommended_methods,
            },
    })),
    group: [],
  };
}

/**
 * Everyone in the rooms of the order's lines (CP-GROUP-MAX-20), in one read: the paths of every order on
 * the lines' components and sites, a dropped or closed one until its actual exit — an abandoned draft,
 * dropped before it was ever validated, never sat in the room — and the trainees other funders pay for
 * that the provider recorded on those groups (schedule domain). Keyed by the order (no read of its lines
 * before it: the live check's facts come in one round trip, issue 16).
 */
export async function groupOfOrder(db: Db, ref: OrderRef): Promise<GroupMember[]> {
  const orderId = orderIdOf(ref);
  const components = sql`(select gl.component_id from ${orderLineRows()} gl where gl.order_id = ${orderId})`;
  const sites = sql`(select gs.site_id from ${orderLineSiteRows()} gs join ${orderLineRows()} gsl on gsl.id = gs.order_line_id where gsl.order_id = ${orderId})`;
  const { rows } = await sql<{ key: string; component_id: string; site_id: string; entry_date: string; exit_date: string }>`${preparedMark}
    select p.id::text as key, ol.component_id, p.site_id, p.entry_date, coalesce(p.actual_exit_date, p.planned_exit_date) as exit_date
    from ${pathRows()} p join ${orderLineRows()} ol on ol.id = p.order_line_id
    where ol.component_id in ${components} and p.site_id in ${sites}
      and not exists (select 1 from ${transitionLogRows()} l
        where l.entity = 'path' and l.entity_id = p.id and l.from_status = 'draft' and l.to_status = 'dropped')
    union all
    select 'other:' || o.id, o.component_id, o.site_id, o.start_date, o.end_date
    from ${otherFundedTraineeRows()} o
    where o.component_id in ${components} and o.site_id in ${sites}`.execute(db);
  return rows.map((r) => ({ key: r.key, componentId: r.component_id, siteId: r.site_id, entryDate: r.entry_date, exitDate: r.exit_date }));
}

/** What the path rules read of a component that an order edit would add as a new line. */
export async function componentLineFacts(db: Db, componentIds: string[]) {
  if (componentIds.length === 0) return [];
  return db
    .selectFrom(componentRows().as("c"))
    .select((eb) => [
      "c.id",
      "c.title",
      "c.e_formation",
      "c.hybrid_status",
      eb.exists(eb.selectFrom(moduleRows().as("m")).select("m.id").whereRef("m.component_id", "=", "c.id").where("m.content_tag", "=", "digital")).as("has_digital"),
    ])
    .where("c.id", "in", componentIds)
    .execute();
}
