// The Region's orders (bons de commande): validate → load → rules → write (+ outbox), one transaction each.
import type { Actor } from "../../core/auth/actor.ts";
import { isProviderStaff, requireRole } from "../../core/auth/actor.ts";
import type { Db } from "../../core/db/index.ts";
import { DomainError, forbidden, notFound } from "../../core/errors.ts";
import { audit, emit, logTransition } from "../../core/outbox.ts";
import { check, errorsOf, type Violation } from "../../core/rules.ts";
import { type Clock, newId } from "../../core/time.ts";
import { acceptedOfferForLot, getComponentWithModules, sitesByIds } from "../offer/use-cases.ts";
import { getOrderConsumption as pathsOrderConsumption, type OrderConsumption as PathsConsumption } from "../paths/use-cases.ts";
import { getLot, getProvider, listLots, listProviders } from "../region/use-cases.ts";
import * as rules from "./rules.ts";
import { type LineInput, OrderFilter, OrderInput, OrderPatch, parseInput } from "./schema.ts";
import * as store from "./store.ts";

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

const fieldError = (field: string, message: string, code = "VALIDATION"): Violation => ({ code, severity: "error", message, article: "", field });

/** The warnings stored with the order when it was closed (jsonb; empty while issued). */
const closeFindingsOf = (order: store.OrderRow): Violation[] => (Array.isArray(order.close_findings) ? (order.close_findings as Violation[]) : []);

/** Postgres error codes the database raises when a hard rule held there is hit. */
const pgCode = (e: unknown) => (typeof e === "object" && e !== null && "code" in e ? String((e as { code: unknown }).code) : undefined);

/** CP-LOTS: the Region sees every order (filtered by lot and provider); provider staff only their own. */
export async function listOrders(db: Db, actor: Actor, raw: unknown = {}): Promise<OrderSummary[]> {
  const filter = parseInput(OrderFilter, raw);
  if (actor.role === "region_officer") return store.listOrders(db, filter);
  if (isProviderStaff(actor) && actor.providerId) return store.listOrders(db, { lotId: filter.lotId, providerId: actor.providerId });
  throw forbidden();
}

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

/** Paths not finished yet (draft or validated): they keep an order from closing. */
const runningPaths = (c: PathsConsumption) => {
  let draft = 0;
  let validated = 0;
  for (const l of c.lines) {
    draft += l.paths.draft;
    validated += l.paths.validated;
  }
  return { draft, validated, total: draft + validated };
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
    if (order.status === "closed") throw alreadyClosed(order);
    const consumption = await pathsOrderConsumption(tx, actor, orderId);
    const running = runningPaths(consumption);
    if (running.total > 0) throw pathsRunning(running);
    const selfStudy = rules.realisedSelfStudyParts(consumption.lines);
    const warnings = check(selfStudy.map(rules.realisedSelfStudyAtClose));
    if (!(await store.closeOrder(tx, orderId, { closedAt: clock.now(), closedBy: actor.userId, findings: warnings }))) throw alreadyClosed(order);
    await logTransition(tx, { entity: "order", entityId: orderId, from: "issued", to: "closed", actorId: actor.userId });
    await audit(tx, { actorId: actor.userId, action: "order.close", entity: "order", entityId: orderId, details: { warnings, selfStudy } });
    await emit(tx, "order.closed", {
      orderId,
      providerId: order.provider_id,
      lotId: order.lot_id,
      number: order.number,
      warnings: warnings.map((w) => ({ code: w.code, severity: w.severity, message: w.message, article: w.article, details: w.details })),
    });
    return { warnings, selfStudy };
  });
  return { detail: await getOrder(db, actor, orderId), ...closed };
}

const alreadyClosed = (order: store.OrderRow) =>
  new DomainError("ORDER_CLOSED", 409, `La commande ${order.number} est déjà close : elle ne se clôture pas deux fois.`);

function pathsRunning(running: ReturnType<typeof runningPaths>) {
  const parts = [
    running.validated > 0 ? `${running.validated} validé${running.validated > 1 ? "s" : ""} (en formation)` : "",
    running.draft > 0 ? `${running.draft} en brouillon` : "",
  ].filter(Boolean);
  const plural = running.total > 1;
  const message = `Clôture impossible : ${running.total} parcours ${plural ? "sont" : "est"} encore en cours sur cette commande (${parts.join(", ")}). L'organisme doit d'abord ${plural ? "clôturer ces parcours (sortie) ou les déclarer abandonnés" : "clôturer ce parcours (sortie) ou le déclarer abandonné"} ; les heures réalisées seront alors définitives.`;
  return new DomainError("ORDER_PATHS_RUNNING", 409, message, [
    { code: "ORDER_PATHS_RUNNING", severity: "error", message, article: "", details: { draft: running.draft, validated: running.validated } },
  ]);
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

/**
 * Checks an order's lines and co-funders against the rules: CP-NO-FSE, CP-ORDER-FROM-OFFER,
 * CP-SITE-IN-LOT, CP-COMPANY-MAX-70H, CP-PATH-MAX-200H. `previous` lines (when editing) stay
 * valid for CP-ORDER-FROM-OFFER even if the offer changed since they were ordered: that rule
 * governs what a line may newly name.
 */
async function checkContent(
  db: Db,
  lotId: string,
  providerId: string,
  coFunders: string[],
  lines: LineInput[],
  previous: store.LineRow[] = [],
): Promise<Violation[]> {
  const accepted = await acceptedOfferForLot(db, providerId, lotId);
  const offer: rules.OfferComponent[] = accepted.map((c) => ({ id: c.id, title: c.title, siteIds: c.siteIds }));
  for (const p of previous) {
    const known = offer.find((c) => c.id === p.componentId);
    const kept = p.sites.map((s) => s.id);
    if (known) known.siteIds = [...new Set([...known.siteIds, ...kept])];
    else offer.push({ id: p.componentId, title: p.componentTitle, siteIds: kept });
  }
  const lotDepartements = (await getLot(db, lotId)).departements;
  const sites = await sitesByIds(db, [...new Set(lines.flatMap((l) => l.siteIds))]);
  const violations: Violation[] = [rules.noFse(coFunders)].filter((v) => v !== undefined);
  lines.forEach((line, i) => {
    const first = lines.findIndex((l) => l.componentId === line.componentId);
    if (first !== i) {
      violations.push(fieldError(`lines.${i}.componentId`, `Ligne ${i + 1} : cette composante figure déjà à la ligne ${first + 1} ; une composante n'a qu'une ligne par commande.`));
      return;
    }
    const lineSites = sites.filter((s) => line.siteIds.includes(s.id)).map((s) => ({ id: s.id, name: s.name, departementCode: s.departement_code }));
    violations.push(
      ...check(
        rules.orderFromOffer(line, offer, i),
        rules.siteInLot(lineSites, lotDepartements, i),
        rules.averageCompanyMax70h(line, i),
        rules.averagePathMax200h(line, i),
      ),
    );
  });
  return violations;
}

const lineColumns = (l: LineInput) => ({
  headcount: l.headcount,
  average_path_centre_minutes: l.averagePathCentreMinutes,
  average_path_company_minutes: l.averagePathCompanyMinutes,
});

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
      await emit(tx, "order.created", { orderId: id, providerId: input.providerId, lotId: input.lotId, number: input.number });
    });
  } catch (e) {
    // Two officers typing the same number at once: the UNIQUE constraint decides.
    if (pgCode(e) === "23505") throw numberTaken(input.number);
    throw e;
  }
  return getOrder(db, actor, id);
}

/**
 * Edits an order (region officers only): dates, headcount, price, co-funders, lines. `lines`
 * replaces the list, matched to existing lines by component: a line with paths cannot be removed
 * nor lose a site (its trainees are registered there).
 */
export async function updateOrder(db: Db, actor: Actor, orderId: string, raw: unknown): Promise<OrderDetail> {
  requireRole(actor, "region_officer");
  const patch = parseInput(OrderPatch, raw);
  const pathsByLine = new Map<string, number>();
  if (patch.lines) {
    const consumption = await pathsOrderConsumption(db, actor, orderId);
    for (const l of consumption.lines) pathsByLine.set(l.orderLineId, Object.values(l.paths).reduce((a, b) => a + b, 0));
  }
  try {
    await db.transaction().execute(async (tx) => {
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
        patch.lines ? lineRemovals(previous, patch.lines, pathsByLine) : [],
      );
      if (errorsOf(violations).length > 0) throw DomainError.fromViolations(violations);
      await store.updateOrder(tx, orderId, {
        planned_start: plannedStart,
        planned_end: plannedEnd,
        headcount: patch.headcount ?? order.headcount,
        unit_price_cents: patch.unitPriceCents ?? order.unit_price_cents,
        co_funders: coFunders,
      });
      if (patch.lines) await replaceLines(tx, orderId, previous, patch.lines);
      await audit(tx, { actorId: actor.userId, action: "order.update", entity: "order", entityId: orderId, details: patch });
      await emit(tx, "order.updated", { orderId, providerId: order.provider_id, lotId: order.lot_id });
    });
  } catch (e) {
    // A path registered on a removed line between the check and the write: the foreign key refuses.
    if (pgCode(e) === "23503") throw lineHasPaths("Une composante retirée a reçu des parcours entre-temps : rechargez la commande.");
    throw e;
  }
  return getOrder(db, actor, orderId);
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
