import type { Db } from "../../core/db/index.ts";
import type { PathStatus } from "../../core/db/schema.ts";
import type { PositioningFacts } from "./rules.ts";
import type { PlanItem } from "./totals.ts";
import { orderLineRows, orderLineSiteRows, orderRows } from "../orders/views.ts";
import { lotRows, providerRows } from "../region/views.ts";
import { componentRows, moduleRows } from "../offer/views.ts";
import { transitionLogRows } from "../../core/outbox.ts";

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

/** Everything the path rules need about one order, in four queries sent together whatever its size (the group: group.ts). */
export async function loadOrderRows(db: Db, orderId: string): Promise<OrderContext | undefined> {
  // Four independent reads sent together (one round trip's wait, not four); the plans are read by order,
  // not by a list of path ids (an order of 1 000 paths made a 1 000-parameter query; issue 16).
  const orderQuery = db
    .selectFrom(orderRows().as("o"))
    .innerJoin(lotRows().as("l"), "l.id", "o.lot_id")
    .innerJoin(providerRows().as("p"), "p.id", "o.provider_id")
    .select([
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
    ])
    .where("o.id", "=", orderId)
    .executeTakeFirst();
  const linesQuery = db
    .selectFrom(orderLineRows().as("ol"))
    .innerJoin(componentRows().as("c"), "c.id", "ol.component_id")
    .select((eb) => [
      "ol.id",
      "ol.component_id",
      "c.title",
      "c.e_formation",
      "c.hybrid_status",
      "ol.headcount",
      "ol.average_path_centre_minutes",
      "ol.average_path_company_minutes",
      eb
        .exists(eb.selectFrom(moduleRows().as("m")).select("m.id").whereRef("m.component_id", "=", "c.id").where("m.content_tag", "=", "digital"))
        .as("has_digital"),
      eb.selectFrom(orderLineSiteRows().as("s")).select((e) => e.fn.agg<string[]>("array_agg", ["s.site_id"]).as("ids")).whereRef("s.order_line_id", "=", "ol.id").as("site_ids"),
    ])
    .where("ol.order_id", "=", orderId)
    .orderBy("c.title")
    .execute();
  const pathsQuery = db
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
    .orderBy("t.first_name")
    .execute();
  const itemsQuery = db
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
    .orderBy("i.position")
    .execute();
  const [order, lines, paths, items] = await Promise.all([orderQuery, linesQuery, pathsQuery, itemsQuery]);
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
    lines: lines.map((l) => ({
      id: l.id,
      componentId: l.component_id,
      componentTitle: l.title,
      eFormation: l.e_formation,
      hybridStatus: l.hybrid_status,
      hasDigitalModules: Boolean(l.has_digital),
      headcount: l.headcount,
      centreMinutes: l.average_path_centre_minutes,
      companyMinutes: l.average_path_company_minutes,
      siteIds: (l.site_ids as string[] | null) ?? [],
    })),
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
 * The paths of every order on these components and sites (CP-GROUP-MAX-20), a dropped or closed one
 * until its actual exit. An abandoned draft — dropped before it was ever validated — never sat in the room.
 */
export async function groupPaths(db: Db, componentIds: string[], siteIds: string[]): Promise<GroupMember[]> {
  if (componentIds.length === 0 || siteIds.length === 0) return [];
  const rows = await db
    .selectFrom("path as p")
    .innerJoin(orderLineRows().as("ol"), "ol.id", "p.order_line_id")
    .select(["p.id", "ol.component_id", "p.site_id", "p.entry_date", "p.planned_exit_date", "p.actual_exit_date"])
    .where("ol.component_id", "in", componentIds)
    .where("p.site_id", "in", siteIds)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom(transitionLogRows().as("l"))
            .select("l.id")
            .where("l.entity", "=", "path")
            .whereRef("l.entity_id", "=", "p.id")
            .where("l.from_status", "=", "draft")
            .where("l.to_status", "=", "dropped"),
        ),
      ),
    )
    .execute();
  return rows.map((r) => ({ key: r.id, componentId: r.component_id, siteId: r.site_id, entryDate: r.entry_date, exitDate: r.actual_exit_date ?? r.planned_exit_date }));
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
