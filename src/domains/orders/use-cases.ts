// The Region's orders (bons de commande): validate → load → rules → write (+ outbox), one transaction each.
import type { Actor } from "../../core/auth/actor.ts";
import { isProviderStaff, requireRole } from "../../core/auth/actor.ts";
import type { Db } from "../../core/db/index.ts";
import { DomainError, forbidden, notFound } from "../../core/errors.ts";
import { audit } from "../../core/outbox.ts";
import { check, errorsOf, type Violation } from "../../core/rules.ts";
import { type Clock, newId } from "../../core/time.ts";
import { acceptedOfferForLot, getComponentWithModules, sitesByIds } from "../offer/use-cases.ts";
import { getOrderConsumption as pathsOrderConsumption, getOrdersFindings as pathsOrdersFindings, type OrderFinding, type OrderConsumption as PathsConsumption } from "../paths/use-cases.ts";
import { getLot, getProvider, listLots, listProviders } from "../region/use-cases.ts";
import * as rules from "./rules.ts";
import type { LotSite } from "../../core/territory.ts";
import { checkContent, fieldError, lineColumns, pgCode } from "./content.ts";
import { editOrder } from "./edit.ts";
export { editOrderIn, orderLinesForEdit, type LineInput } from "./edit.ts";
import { OrderFilter, OrderInput, parseInput } from "./schema.ts";
import * as store from "./store.ts";
import { transitionOrder } from "./transitions.ts";

/**
 * The paths' consumption and findings, plus the order's own figures: the realised self-study share
 * of each part (CP-SELFSTUDY-MAX-20 / CP-EFORM-SELFSTUDY-MAX-50) and the warnings stored at close.
 */
export type OrderConsumption = PathsConsumption & {
  selfStudy: rules.RealisedSelfStudyPart[];
  /** Findings of the order itself (not of one path): the warnings raised when it was closed. */
  orderFindings: Violation[];
};
export type OrderSummary = Awaited<ReturnType<typeof store.listOrders>>[number];
export type OrderLine = store.LineRow & { ordered: rules.OrderedMinutes };
export interface OrderDetail {
  order: store.OrderRow;
  lines: OrderLine[];
  ordered: rules.OrderedMinutes;
  /** The warnings raised when the order was closed (stored with it); empty while it is issued. */
  closeWarnings: Violation[];
}

/** The warnings stored with the order when it was closed (jsonb; empty while issued). */
const closeFindingsOf = (order: Pick<store.OrderRow, "close_findings">): Violation[] => (Array.isArray(order.close_findings) ? (order.close_findings as Violation[]) : []);

/** CP-LOTS: the Region sees every order (filtered by lot and provider); provider staff only their own. */
export async function listOrders(db: Db, actor: Actor, raw: unknown = {}): Promise<OrderSummary[]> {
  const filter = parseInput(OrderFilter, raw);
  if (actor.role === "region_officer") return store.listOrders(db, filter);
  if (isProviderStaff(actor) && actor.providerId) return store.listOrders(db, { lotId: filter.lotId, providerId: actor.providerId });
  throw forbidden();
}

/**
 * One page of the orders the caller sees (a provider: only its own, whatever `providerId` says),
 * each with its consumption from the linear order read model (paths/consumption.ts): a page of
 * 25 orders costs 25 linear reads, never one per path.
 */
export async function pageOrdersWithConsumption(db: Db, actor: Actor, params: store.OrderListParams) {
  let p = params;
  if (actor.role !== "region_officer") {
    if (!(isProviderStaff(actor) && actor.providerId)) throw forbidden();
    p = { ...params, providerId: actor.providerId };
  }
  const page = await store.pageOrders(db, p);
  const items = [];
  for (const o of page.items) {
    const c = await pathsOrderConsumption(db, actor, o.id);
    items.push({ ...o, consumption: { ordered: c.ordered.total, planned: c.planned.total, realised: c.realised.total, consumed: c.consumed.total } });
  }
  return { items, next: page.next };
}
export type OrderListItem = Awaited<ReturnType<typeof pageOrdersWithConsumption>>["items"][number];

/** An order the caller may see; another provider's order is "not found", never "forbidden" (no leak). */
async function visibleOrder(db: Db, actor: Actor, orderId: string): Promise<store.OrderRow> {
  const order = await store.findOrder(db, orderId);
  const visible = order && (actor.role === "region_officer" || (isProviderStaff(actor) && actor.providerId === order.provider_id));
  if (!visible) throw notFound("Commande");
  return order;
}

function withOrdered(lines: store.LineRow[]): OrderLine[] {
  return lines.map((l) => ({ ...l, ordered: rules.lineOrderedMinutes(l) }));
}

/** The order's own row (no lines), for an actor who may see it; 404 otherwise — for views that read their lines themselves. */
export async function getOrderRow(db: Db, actor: Actor, orderId: string): Promise<store.OrderRow> {
  return visibleOrder(db, actor, orderId);
}

export async function getOrder(db: Db, actor: Actor, orderId: string): Promise<OrderDetail> {
  const order = await visibleOrder(db, actor, orderId);
  const lines = withOrdered(await store.linesOf(db, orderId));
  return { order, lines, ordered: rules.orderOrderedMinutes(lines), closeWarnings: closeFindingsOf(order) };
}

/** Hours ordered / planned / realised / consumed and the compliance findings of the order's paths. */
export async function getOrderConsumption(db: Db, actor: Actor, orderId: string): Promise<OrderConsumption> {
  const order = await visibleOrder(db, actor, orderId);
  const consumption = await pathsOrderConsumption(db, actor, orderId);
  return { ...consumption, selfStudy: rules.realisedSelfStudyParts(consumption.lines), orderFindings: closeFindingsOf(order) };
}

/**
 * The compliance findings of several orders (the board): their paths' findings from the stored judgement
 * (paths domain, docs/adr/0042) and the warnings raised at close, the orders read in one query.
 */
export async function getOrdersFindings(db: Db, actor: Actor, orderIds: string[]): Promise<Map<string, { findings: OrderFinding[]; orderFindings: Violation[] }>> {
  const rows = orderIds.length ? await store.closeFindingsOfOrders(db, orderIds) : [];
  const visible = rows.filter((o) => actor.role === "region_officer" || (isProviderStaff(actor) && actor.providerId === o.provider_id));
  if (visible.length !== new Set(orderIds).size) throw notFound("Commande");
  const findings = await pathsOrdersFindings(db, actor, orderIds);
  return new Map(visible.map((o) => [o.id, { findings: findings.get(o.id)!, orderFindings: closeFindingsOf(o) }]));
}

/** Paths not finished yet (draft or validated): they keep an order from closing. */
const runningPaths = (c: PathsConsumption) => {
  let draft = 0;
  let validated = 0;
  for (const l of c.lines) {
    draft += l.paths.draft;
    validated += l.paths.validated;
  }
  return { draft, validated };
};

export interface OrderClosed {
  detail: OrderDetail;
  /** The warnings raised at close (also stored with the order): CP-SELFSTUDY-MAX-20, CP-EFORM-SELFSTUDY-MAX-50. */
  warnings: Violation[];
  /** The realised self-study share of each part at close. */
  selfStudy: rules.RealisedSelfStudyPart[];
}

/**
 * Closes an order (region officers only). Refused while paths are still running (draft or
 * validated: ORDER_PATHS_RUNNING), so that the realised figures are final; refused if already
 * closed (ORDER_CLOSED). At close, realised self-study above 20 % (50 % for the e-formation part)
 * of realised centre minutes raises a warning — never a refusal: the close goes through, the
 * warning is returned, stored with the order, audited and sent in the outbox event.
 */
export async function closeOrder(db: Db, actor: Actor, clock: Clock, orderId: string): Promise<OrderClosed> {
  requireRole(actor, "region_officer");
  const closed = await db.transaction().execute(async (tx) => {
    // The order's row lock: path saves and validations take it too, so the paths counted stay counted.
    const order = await store.findOrder(tx, orderId, true);
    if (!order) throw notFound("Commande");
    const consumption = await pathsOrderConsumption(tx, actor, orderId);
    const selfStudy = rules.realisedSelfStudyParts(consumption.lines);
    const warnings = check(selfStudy.map(rules.realisedSelfStudyAtClose));
    // Through the order's table: issued → closed, only once no path is running (ORDER_PATHS_RUNNING).
    await transitionOrder(tx, actor, orderId, "closed", {
      facts: { running: runningPaths(consumption) },
      changes: { closed_at: clock.now(), closed_by: actor.userId, close_findings: JSON.stringify(warnings) },
    });
    await audit(tx, { actorId: actor.userId, action: "order.close", entity: "order", entityId: orderId, details: { warnings, selfStudy } });
    return { warnings, selfStudy };
  });
  return { detail: await getOrder(db, actor, orderId), ...closed };
}

/** What the order form offers: lots, providers and — once both are chosen — the accepted offer with its defaults. */
export async function orderFormOptions(db: Db, actor: Actor, lotId?: string, providerId?: string) {
  requireRole(actor, "region_officer");
  const lots = await listLots(db);
  const providers = await listProviders(db, actor);
  const lot = lots.find((l) => l.id === lotId);
  const provider = providers.find((p) => p.id === providerId);
  if (!lot || !provider) return { lots, providers, lot, provider, offer: [] };
  const accepted = await acceptedOfferForLot(db, provider.id, lot.id);
  const sites = await sitesByIds(db, [...new Set(accepted.flatMap((c) => c.siteIds))]);
  const offer = await Promise.all(
    accepted.map(async (c) => {
      const full = await getComponentWithModules(db, c.id);
      return {
        id: c.id,
        title: c.title,
        eFormation: c.e_formation,
        defaults: rules.defaultAveragePath(full?.modules ?? []),
        sites: sites.filter((s) => c.siteIds.includes(s.id)).map((s) => ({ id: s.id, name: s.name, commune: s.commune, departementCode: s.departement_code })),
      };
    }),
  );
  return { lots, providers, lot, provider, offer };
}

export type OrderFormOptions = Awaited<ReturnType<typeof orderFormOptions>>;

async function requireLotAndProvider(db: Db, actor: Actor, lotId: string, providerId: string) {
  const missing: Violation[] = [];
  const absent = (v: Violation) => (e: unknown) => {
    if (!(e instanceof DomainError && e.status === 404)) throw e;
    missing.push(v);
  };
  await getLot(db, lotId).catch(absent(fieldError("lotId", "Ce lot n'existe pas.")));
  await getProvider(db, actor, providerId).catch(absent(fieldError("providerId", "Cet organisme n'existe pas.")));
  if (missing.length > 0) throw DomainError.fromViolations(missing);
}

const numberTaken = (number: string) =>
  new DomainError("ORDER_NUMBER_TAKEN", 409, `Le numéro de bon de commande « ${number} » est déjà utilisé.`, [
    fieldError("number", `Le numéro « ${number} » est déjà utilisé par une autre commande.`, "ORDER_NUMBER_TAKEN"),
  ]);

/** CP-ORDER-CONTENT: the Region places an order with a provider for a lot (region officers only). */
export async function createOrder(db: Db, actor: Actor, raw: unknown): Promise<OrderDetail> {
  requireRole(actor, "region_officer");
  const input = parseInput(OrderInput, raw);
  await requireLotAndProvider(db, actor, input.lotId, input.providerId);
  const id = newId();
  try {
    await db.transaction().execute(async (tx) => {
      const violations = await checkContent(tx, input.lotId, input.providerId, input.coFunders, input.lines);
      if (errorsOf(violations).length > 0) throw DomainError.fromViolations(violations);
      if (await store.numberTaken(tx, input.number)) throw numberTaken(input.number);
      await store.insertOrder(tx, {
        id,
        number: input.number,
        lot_id: input.lotId,
        provider_id: input.providerId,
        planned_start: input.plannedStart,
        planned_end: input.plannedEnd,
        headcount: input.headcount,
        unit_price_cents: input.unitPriceCents,
        co_funders: input.coFunders,
        created_by: actor.userId,
      });
      for (const line of input.lines) {
        const lineId = newId();
        await store.insertLine(tx, { id: lineId, order_id: id, component_id: line.componentId, ...lineColumns(line) });
        await store.replaceLineSites(tx, lineId, [...new Set(line.siteIds)]);
      }
      await audit(tx, { actorId: actor.userId, action: "order.create", entity: "order", entityId: id, details: input });
    });
  } catch (e) {
    // Two officers typing the same number at once: the UNIQUE constraint decides.
    if (pgCode(e) === "23505") throw numberTaken(input.number);
    throw e;
  }
  return getOrder(db, actor, id);
}

/** Edits an order (region officers only; orders/edit.ts): its content, then every path re-judged on it. */
export async function updateOrder(db: Db, actor: Actor, orderId: string, raw: unknown): Promise<OrderDetail> {
  await editOrder(db, actor, orderId, raw);
  return getOrder(db, actor, orderId);
}

/** Sites named on the lot's order lines: a territory edit cannot leave them out (CP-SITE-IN-LOT). */
export async function orderSitesOfLot(db: Db, lotId: string): Promise<LotSite[]> {
  const rows = await store.lineSitesOfLot(db, lotId);
  return rows.map((r) => ({ id: r.id, name: r.name, departementCode: r.departement_code, usedBy: `commande ${r.number} (« ${r.title} »)` }));
}

export type BlockingPath = Awaited<ReturnType<typeof store.runningPathsOf>>[number];
/** The paths still running (draft or validated) that block the order's close, for whoever sees the order. */
export async function blockingPaths(db: Db, actor: Actor, orderId: string): Promise<BlockingPath[]> {
  await visibleOrder(db, actor, orderId);
  return store.runningPathsOf(db, orderId);
}
