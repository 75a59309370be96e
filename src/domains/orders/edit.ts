// Editing an order (the Region): its content checked, then every path of the order re-judged on the
// order as the edit would leave it, under the order's lock (docs/adr/0010).
import type { Actor } from "../../core/auth/actor.ts";
import { requireRole } from "../../core/auth/actor.ts";
import type { Transaction } from "kysely";
import type { Db } from "../../core/db/index.ts";
import type { DB } from "../../core/db/schema.ts";

type Tx = Transaction<DB>;
import { DomainError, notFound } from "../../core/errors.ts";
import { audit } from "../../core/outbox.ts";
import { check, errorsOf, type Violation } from "../../core/rules.ts";
import { newId } from "../../core/time.ts";
import { judgeOrderChange, getOrderConsumption as pathsOrderConsumption } from "../paths/use-cases.ts";
import { checkContent, fieldError, lineColumns, pgCode } from "./content.ts";
import * as rules from "./rules.ts";
import { type LineInput, OrderPatch, parseInput } from "./schema.ts";
export type { LineInput } from "./schema.ts";
import * as store from "./store.ts";

/**
 * Edits an order (region officers only): dates, headcount, price, co-funders, lines. `lines`
 * replaces the list, matched to existing lines by component: a line with paths cannot be removed
 * nor lose a site (its trainees are registered there). Refused (422, the first rule broken) when
 * it would put a path of the order in error: CP-ORDER-FUNGIBLE, CP-ENTRY-YEAR-N,
 * CP-PATH-WITHIN-ORDER, CP-SELFSTUDY-MAX-20, CP-EFORM-SELFSTUDY-MAX-50, each path named.
 */
export async function editOrder(db: Db, actor: Actor, orderId: string, raw: unknown): Promise<void> {
  requireRole(actor, "region_officer");
  const patch = parseInput(OrderPatch, raw);
  try {
    await db.transaction().execute((tx) => editOrderIn(tx, actor, orderId, patch));
  } catch (e) {
    // A path registered on a removed line between the check and the write: the foreign key refuses.
    if (pgCode(e) === "23503") throw lineHasPaths("Une composante retirée a reçu des parcours entre-temps : rechargez la commande.");
    throw e;
  }
}

/**
 * The edit inside the caller's transaction (an accepted change request applies through it:
 * CP-ORDER-CHANGES): the same checks under the same order lock, the same re-judging of the paths.
 */
export async function editOrderIn(tx: Tx, actor: Actor, orderId: string, patch: OrderPatch): Promise<void> {
  requireRole(actor, "region_officer");
  // The order's row lock: path saves and validations take it too, so an edit and a save never cross.
  const order = await store.findOrder(tx, orderId, true);
  if (!order) throw notFound("Commande");
  if (order.status === "closed") throw new DomainError("ORDER_CLOSED", 409, "Cette commande est close : elle ne se modifie plus.");
  const plannedStart = patch.plannedStart ?? order.planned_start;
  const plannedEnd = patch.plannedEnd ?? order.planned_end;
  const coFunders = patch.coFunders ?? order.co_funders;
  const previous = await store.linesOf(tx, orderId);
  const lines = patch.lines ?? previous.map((l) => ({ ...l, siteIds: l.sites.map((s) => s.id) }));
  const violations = check(
    plannedEnd < plannedStart ? fieldError("plannedEnd", "La fin prévue ne peut pas précéder le début prévu.") : undefined,
    await checkContent(tx, order.lot_id, order.provider_id, coFunders, lines, previous),
    patch.lines ? lineRemovals(previous, patch.lines, await pathsByLine(tx, actor, orderId)) : [],
  );
  if (errorsOf(violations).length > 0) throw DomainError.fromViolations(violations);
  const broken = await judgeOrderChange(tx, orderId, {
    plannedStart,
    plannedEnd,
    lines: lines.map((l) => ({ componentId: l.componentId, headcount: l.headcount, centreMinutes: l.averagePathCentreMinutes, companyMinutes: l.averagePathCompanyMinutes, siteIds: l.siteIds })),
  });
  if (broken.length > 0) throw DomainError.fromViolations(rules.pathBreaches(broken));
  await store.updateOrder(tx, orderId, {
    planned_start: plannedStart,
    planned_end: plannedEnd,
    headcount: patch.headcount ?? order.headcount,
    unit_price_cents: patch.unitPriceCents ?? order.unit_price_cents,
    co_funders: coFunders,
  });
  if (patch.lines) await replaceLines(tx, orderId, previous, patch.lines);
  await audit(tx, { actorId: actor.userId, action: "order.update", entity: "order", entityId: orderId, details: patch });
}

/** The order's lines as an edit takes them (component, sites, headcount, average path), read under its lock. */
export async function orderLinesForEdit(tx: Db, orderId: string): Promise<LineInput[] | undefined> {
  const order = await store.findOrder(tx, orderId, true);
  if (!order) return undefined;
  return (await store.linesOf(tx, orderId)).map((l) => ({
    componentId: l.componentId,
    siteIds: l.sites.map((s) => s.id),
    headcount: l.headcount,
    averagePathCentreMinutes: l.averagePathCentreMinutes,
    averagePathCompanyMinutes: l.averagePathCompanyMinutes,
  }));
}

/** How many paths (any status) each line of the order has, read under the order's lock. */
async function pathsByLine(tx: Db, actor: Actor, orderId: string): Promise<Map<string, number>> {
  const consumption = await pathsOrderConsumption(tx, actor, orderId);
  return new Map(consumption.lines.map((l) => [l.orderLineId, Object.values(l.paths).reduce((a, b) => a + b, 0)]));
}

const lineHasPaths = (message: string, field?: string) =>
  new DomainError("ORDER_LINE_HAS_PATHS", 422, message, [{ code: "ORDER_LINE_HAS_PATHS", severity: "error", message, article: "", field }]);

/** A line with paths stays, with all its sites: its trainees are registered on it. */
function lineRemovals(previous: store.LineRow[], next: LineInput[], pathsByLine: Map<string, number>): Violation[] {
  const out: Violation[] = [];
  for (const p of previous) {
    const count = pathsByLine.get(p.id) ?? 0;
    if (count === 0) continue;
    const kept = next.find((l) => l.componentId === p.componentId);
    const plural = count > 1 ? "s" : "";
    if (!kept) {
      out.push({
        code: "ORDER_LINE_HAS_PATHS",
        severity: "error",
        message: `La composante « ${p.componentTitle} » ne peut pas être retirée de la commande : ${count} parcours y ${count > 1 ? "sont" : "est"} inscrit${plural}. Clôturez ou abandonnez d'abord ces parcours côté organisme.`,
        article: "",
        field: "lines",
      });
      continue;
    }
    const removed = p.sites.filter((s) => !kept.siteIds.includes(s.id));
    if (removed.length > 0) {
      out.push({
        code: "ORDER_LINE_HAS_PATHS",
        severity: "error",
        message: `La composante « ${p.componentTitle} » a déjà ${count} parcours : ses sites (${removed.map((s) => s.name).join(", ")}) ne peuvent plus être retirés ; vous pouvez en ajouter.`,
        article: "",
        field: "lines",
      });
    }
  }
  return out;
}

async function replaceLines(tx: Db, orderId: string, previous: store.LineRow[], next: LineInput[]) {
  for (const p of previous) {
    if (!next.some((l) => l.componentId === p.componentId)) await store.deleteLine(tx, p.id);
  }
  for (const line of next) {
    const existing = previous.find((p) => p.componentId === line.componentId);
    const lineId = existing?.id ?? newId();
    if (existing) await store.updateLine(tx, lineId, lineColumns(line));
    else await store.insertLine(tx, { id: lineId, order_id: orderId, component_id: line.componentId, ...lineColumns(line) });
    await store.replaceLineSites(tx, lineId, [...new Set(line.siteIds)]);
  }
}
