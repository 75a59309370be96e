// Commands and queries of the offer: validate → load → rules → write (+ outbox) in one transaction.
import type { Actor } from "../../core/auth/actor.ts";
import { isProviderStaff, ownProviderId, requireRole, requireVisible } from "../../core/auth/actor.ts";
import type { Db } from "../../core/db/index.ts";
import { DomainError, forbidden, notFound } from "../../core/errors.ts";
import { audit, recordEvent, logTransition } from "../../core/outbox.ts";
import { check, errorsOf, type Violation } from "../../core/rules.ts";
import { type Clock, newId } from "../../core/time.ts";
import { fileSiteChangeNotices } from "../trainers/site-notice.ts";
import { listDepartements, lotDepartements } from "../region/use-cases.ts";
import { type LotSite, siteInLot } from "../../core/territory.ts";
import { componentRules, hybridRequestRule, siteFacts, levelRule, lotSite, normaliseCertificationCode, parseLevel } from "./rules.ts";
import {
  ComponentDecisionInput,
  type ComponentFilter,
  ComponentInput,
  HybridDecisionInput,
  HybridRequestInput,
  ModuleInput,
  parseInput,
  SiteInput,
} from "./schema.ts";
import * as store from "./store.ts";
import { requireCapability } from "../../core/auth/roles.ts";

export type Component = NonNullable<Awaited<ReturnType<typeof store.findComponent>>>;
export type Module = Awaited<ReturnType<typeof store.listModules>>[number];
export type Site = NonNullable<Awaited<ReturnType<typeof store.findSite>>>;

/** Malformed ids are simply unknown (PostgreSQL would reject them as uuid). */
const isUuid = (id: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
const fail = (v: Violation[]) => DomainError.fromViolations(v);
const fieldError = (field: string, message: string, code = "VALIDATION", article = ""): Violation => ({ code, severity: "error", message, article, field });

/** The provider whose offer the caller writes: its administrative and pedagogical staff (role table). */
function offerWriter(actor: Actor): string {
  const providerId = ownProviderId(actor);
  requireCapability(actor, "offer.write");
  return providerId;
}

/** Provider staff act on their own provider's offer; the Region reads every offer. */
function readScope(actor: Actor): string | undefined {
  if (actor.role === "region_officer") return undefined;
  if (isProviderStaff(actor) && actor.providerId) return actor.providerId;
  throw forbidden();
}

// ---- Sites (CP-SITES) ----

export async function listSites(db: Db, actor: Actor, providerId?: string) {
  const own = readScope(actor);
  return store.listSites(db, own ?? providerId);
}

export async function getSite(db: Db, actor: Actor, siteId: string): Promise<Site> {
  const site = isUuid(siteId) ? await store.findSite(db, siteId) : undefined;
  if (!site) throw notFound("Site");
  requireVisible(actor, site.provider_id, "Site");
  return site;
}

/** CP-SITES: the facts given (all of them on a creation, absent ones false); an update keeps those left out. */
function siteFactValues(input: SiteInput, creating: boolean) {
  const v = {
    has_phone: input.hasPhone,
    has_internet: input.hasInternet,
    has_break_room: input.hasBreakRoom,
    has_trainers_office: input.hasTrainersOffice,
    accessibility_note: input.accessibilityNote === undefined ? undefined : input.accessibilityNote || null,
  };
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, x === undefined && creating ? (k === "accessibility_note" ? null : false) : x]).filter(([, x]) => x !== undefined));
}

/** CP-SITES (warn), for the compliance board: every site (the Region) or the caller's, with what it lacks. */
export async function siteWarnings(db: Db, actor: Actor) {
  const sites = await listSites(db, actor);
  return sites.flatMap((s) => {
    const v = siteFacts(s);
    return v ? [{ site: s, violation: v }] : [];
  });
}

async function validateSite(db: Db, input: SiteInput) {
  const known = (await listDepartements(db)).map((d) => d.code);
  if (!known.includes(input.departementCode)) throw fail([fieldError("departementCode", "Département inconnu de la plateforme.")]);
}

export async function createSite(db: Db, actor: Actor, raw: unknown): Promise<Site> {
  const providerId = offerWriter(actor);
  const input = parseInput(SiteInput, raw);
  await validateSite(db, input);
  const id = newId();
  await db.transaction().execute(async (tx) => {
    await store.insertSite(tx, {
      id,
      provider_id: providerId,
      name: input.name,
      address: input.address,
      postcode: input.postcode,
      commune: input.commune,
      departement_code: input.departementCode,
      accessible: input.accessible,
      ...siteFactValues(input, true),
    });
    await audit(tx, { actorId: actor.userId, action: "site.create", entity: "site", entityId: id, details: input });
  });
  return (await store.findSite(db, id))!;
}

/**
 * The provider edits its site (CP-SITES, CP-SITE-IN-LOT). CP-TRAINER-CHANGE: when running orders name the site,
 * the edit is notified to the Region in the same transaction (one site-change notice per order, what changed).
 */
export async function updateSite(db: Db, actor: Actor, siteId: string, raw: unknown, clock: Clock, baseUrl: string): Promise<Site & { changeNoticeIds: string[] }> {
  const providerId = offerWriter(actor);
  const input = parseInput(SiteInput, raw);
  await validateSite(db, input);
  const notices = await db.transaction().execute(async (tx) => {
    const site = await store.findSite(tx, siteId);
    if (!site) throw notFound("Site");
    if (site.provider_id !== providerId) throw notFound("Site"); // another provider's: as if unknown
    // CP-SITE-IN-LOT: moving a site must keep it inside the lot of every component run there.
    for (const c of await store.componentsAtSite(tx, siteId)) {
      const moved = { id: siteId, name: input.name, departementCode: input.departementCode, usedBy: `composante « ${c.title} »` };
      const v = siteInLot([moved], await lotDepartements(tx, c.lot_id), { field: "departementCode" });
      if (v) throw fail([v]);
    }
    const values = {
      name: input.name,
      address: input.address,
      postcode: input.postcode,
      commune: input.commune,
      departement_code: input.departementCode,
      accessible: input.accessible,
      ...siteFactValues(input, false),
    };
    await store.updateSite(tx, siteId, values);
    await audit(tx, { actorId: actor.userId, action: "site.update", entity: "site", entityId: siteId, details: input });
    return fileSiteChangeNotices(tx, actor, clock, baseUrl, site, { ...site, ...values });
  });
  return { ...(await store.findSite(db, siteId))!, changeNoticeIds: notices };
}

// ---- Components ----

/** Components with their site ids; provider staff see only their own. */
export async function listComponents(db: Db, actor: Actor, filter: ComponentFilter = {}) {
  const own = readScope(actor);
  const components = await store.listComponents(db, own ? { ...filter, providerId: own } : filter);
  const sites = await store.siteIdsByComponent(db, components.map((c) => c.id));
  return components.map((c) => ({ ...c, siteIds: sites.get(c.id) ?? [] }));
}

export async function getComponent(db: Db, actor: Actor, componentId: string): Promise<Component> {
  const c = isUuid(componentId) ? await store.findComponent(db, componentId) : undefined;
  if (!c) throw notFound("Composante");
  requireVisible(actor, c.provider_id, "Composante");
  return c;
}

/** The rule facts of a component: its modules, its sites and its lot's territory. */
async function factsOf(db: Db, c: Pick<Component, "category" | "subcategory" | "lot_id" | "e_formation" | "hybrid_status">, modules: Module[], siteIds: string[]) {
  const sites = await store.findSites(db, siteIds);
  return {
    category: c.category,
    subcategory: c.subcategory,
    modules,
    sites,
    lotDepartements: await lotDepartements(db, c.lot_id),
    eFormation: c.e_formation,
    hybridStatus: c.hybrid_status,
  };
}

/** Everything the component page shows, with the live checks of its rules. */
export async function componentDetail(db: Db, actor: Actor, componentId: string) {
  const component = await getComponent(db, actor, componentId);
  const modules = await store.listModules(db, componentId);
  const siteIds = await store.componentSiteIds(db, componentId);
  const facts = await factsOf(db, component, modules, siteIds);
  return { component, modules, siteIds, sites: facts.sites, violations: componentRules(facts), history: await store.transitions(db, componentId) };
}

/**
 * The checks of a component as the user edits it (the "Vérifier" panel): the fields typed but not
 * yet saved, with the modules already saved.
 */
export async function previewChecks(db: Db, actor: Actor, componentId: string | undefined, raw: Record<string, unknown>): Promise<Violation[]> {
  const providerId = offerWriter(actor);
  const existing = componentId ? await getComponent(db, actor, componentId) : undefined;
  const lotId = typeof raw.lotId === "string" && isUuid(raw.lotId) ? raw.lotId : existing?.lot_id;
  if (!lotId) return [fieldError("lotId", "Choisissez le lot pour vérifier la composante.")];
  const siteIds = Array.isArray(raw.siteIds) ? raw.siteIds.filter((s): s is string => typeof s === "string" && isUuid(s)) : [];
  const own = (await store.findSites(db, siteIds)).filter((s) => s.provider_id === providerId).map((s) => s.id);
  const modules = componentId ? await store.listModules(db, componentId) : [];
  const facts = await factsOf(
    db,
    {
      category: ComponentInput.shape.category.safeParse(raw.category).data ?? existing?.category ?? "transverse",
      subcategory: typeof raw.subcategory === "string" ? raw.subcategory : null,
      lot_id: lotId,
      e_formation: raw.eFormation === true,
      hybrid_status: existing?.hybrid_status ?? "none",
    },
    modules,
    own,
  );
  return check(componentRules(facts), typeof raw.level === "string" ? levelRule(raw.level) : undefined);
}

const EDITABLE = ["draft", "refused"];
function requireEditable(c: Component) {
  if (!EDITABLE.includes(c.offer_status)) {
    throw new DomainError(
      "COMPONENT_LOCKED",
      409,
      c.offer_status === "submitted"
        ? "Cette composante est soumise à la Région : elle ne se modifie plus pendant l'examen."
        : "Cette composante est acceptée dans l'offre : toute modification passe par une demande à la Région (CP-ORDER-CHANGES).",
    );
  }
}

/** Validates a component's fields and sites (CP-LEVELS-2019, CP-SITE-IN-LOT) and maps them to columns. */
async function componentValues(db: Db, providerId: string, input: ComponentInput) {
  const level = parseLevel(input.level);
  const certification = normaliseCertificationCode(input.certificationCode);
  const siteIds = [...new Set(input.siteIds)];
  const sites = await store.findSites(db, siteIds);
  const violations = check(
    levelRule(input.level),
    certification === undefined ? fieldError("certificationCode", "Code de certification attendu : RNCP suivi de chiffres (RNCP12345) ou RS suivi de chiffres (RS5678).") : undefined,
    sites.length !== siteIds.length || sites.some((s) => s.provider_id !== providerId) ? fieldError("siteIds", "Choisissez parmi les sites de votre organisme.") : undefined,
    siteInLot(sites.map(lotSite), await lotDepartements(db, input.lotId)),
  );
  if (violations.length > 0) throw fail(violations);
  return {
    siteIds,
    values: {
      lot_id: input.lotId,
      title: input.title,
      category: input.category,
      subcategory: input.subcategory,
      certification_code: certification ?? null,
      level_2019: level ?? null,
      e_formation: input.eFormation,
      prerequisites: input.prerequisites,
      content: input.content,
      purpose: input.purpose,
      off_list: input.offList,
    },
  };
}

export async function createComponent(db: Db, actor: Actor, raw: unknown): Promise<Component> {
  const providerId = offerWriter(actor);
  const input = parseInput(ComponentInput, raw);
  const id = newId();
  await db.transaction().execute(async (tx) => {
    const { values, siteIds } = await componentValues(tx, providerId, input);
    await store.insertComponent(tx, { id, provider_id: providerId, ...values });
    await store.replaceComponentSites(tx, id, siteIds);
    await logTransition(tx, { entity: "component", entityId: id, from: null, to: "draft", actorId: actor.userId });
    await recordEvent(tx, "component.created", { componentId: id, providerId });
  });
  return (await store.findComponent(db, id))!;
}

export async function updateComponent(db: Db, actor: Actor, componentId: string, raw: unknown): Promise<Component> {
  const providerId = offerWriter(actor);
  const input = parseInput(ComponentInput, raw);
  await db.transaction().execute(async (tx) => {
    const c = await store.lockComponent(tx, componentId);
    if (!c) throw notFound("Composante");
    if (c.provider_id !== providerId) throw notFound("Composante"); // another provider's: as if unknown
    requireEditable(c);
    const { values, siteIds } = await componentValues(tx, providerId, input);
    // An e-formation component is distance by nature: any hybrid request no longer applies.
    const hybrid = values.e_formation && c.hybrid_status !== "none" ? { hybrid_status: "none" as const } : {};
    await store.updateComponent(tx, componentId, { ...values, ...hybrid });
    await store.replaceComponentSites(tx, componentId, siteIds);
    if ("hybrid_status" in hybrid) {
      await logTransition(tx, { entity: "component_hybrid", entityId: componentId, from: c.hybrid_status, to: "none", reason: "Composante passée en Occitanie e-formation", actorId: actor.userId });
    }
    await audit(tx, { actorId: actor.userId, action: "component.update", entity: "component", entityId: componentId, details: input });
  });
  return (await store.findComponent(db, componentId))!;
}

/** Loads a component the caller may edit, locked for the transaction. */
async function editableComponent(tx: Db, actor: Actor, componentId: string): Promise<Component> {
  const providerId = offerWriter(actor);
  const c = await store.lockComponent(tx, componentId);
  if (!c) throw notFound("Composante");
  if (c.provider_id !== providerId) throw notFound("Composante"); // another provider's: as if unknown
  requireEditable(c);
  return c;
}

// ---- Modules (CP-MODULAR) ----

export async function addModule(db: Db, actor: Actor, componentId: string, raw: unknown): Promise<Module> {
  const input = parseInput(ModuleInput, raw);
  const id = newId();
  await db.transaction().execute(async (tx) => {
    await editableComponent(tx, actor, componentId);
    await store.insertModule(tx, {
      id,
      component_id: componentId,
      title: input.title,
      minutes: input.minutes,
      modality: input.modality,
      content_tag: input.contentTag,
      prep_part: input.prepPart,
      position: input.position ?? (await store.nextModulePosition(tx, componentId)),
    });
    await audit(tx, { actorId: actor.userId, action: "module.create", entity: "module", entityId: id, details: { componentId, ...input } });
  });
  return (await store.findModule(db, componentId, id))!;
}

export async function updateModule(db: Db, actor: Actor, componentId: string, moduleId: string, raw: unknown): Promise<Module> {
  const input = parseInput(ModuleInput, raw);
  await db.transaction().execute(async (tx) => {
    await editableComponent(tx, actor, componentId);
    const m = await store.findModule(tx, componentId, moduleId);
    if (!m) throw notFound("Module");
    await store.updateModule(tx, moduleId, {
      title: input.title,
      minutes: input.minutes,
      modality: input.modality,
      content_tag: input.contentTag,
      prep_part: input.prepPart,
      ...(input.position === undefined ? {} : { position: input.position }),
    });
    await audit(tx, { actorId: actor.userId, action: "module.update", entity: "module", entityId: moduleId, details: { componentId, ...input } });
  });
  return (await store.findModule(db, componentId, moduleId))!;
}

export async function deleteModule(db: Db, actor: Actor, componentId: string, moduleId: string): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await editableComponent(tx, actor, componentId);
    const m = await store.findModule(tx, componentId, moduleId);
    if (!m) throw notFound("Module");
    await store.deleteModule(tx, moduleId);
    await audit(tx, { actorId: actor.userId, action: "module.delete", entity: "module", entityId: moduleId, details: { componentId, title: m.title } });
  });
}

// ---- Offer workflow: draft|refused → submitted → accepted|refused ----

/** Runs the component rules on the locked row; refuses with every error found. */
async function requireRulesPass(tx: Db, c: Component) {
  const facts = await factsOf(tx, c, await store.listModules(tx, c.id), await store.componentSiteIds(tx, c.id));
  const violations = componentRules(facts);
  if (errorsOf(violations).length > 0) throw fail(violations);
}

export async function submitComponent(db: Db, actor: Actor, componentId: string): Promise<Component> {
  await db.transaction().execute(async (tx) => {
    const c = await editableComponent(tx, actor, componentId);
    await requireRulesPass(tx, c);
    await store.updateComponent(tx, componentId, { offer_status: "submitted" });
    await logTransition(tx, { entity: "component", entityId: componentId, from: c.offer_status, to: "submitted", actorId: actor.userId });
    await recordEvent(tx, "component.submitted", { componentId, providerId: c.provider_id });
  });
  return (await store.findComponent(db, componentId))!;
}

/** The Region accepts (rules re-checked: the lot may have changed since) or refuses with a reason. */
export async function decideComponent(db: Db, actor: Actor, componentId: string, raw: unknown): Promise<Component> {
  requireRole(actor, "region_officer");
  const input = parseInput(ComponentDecisionInput, raw);
  await db.transaction().execute(async (tx) => {
    const c = await store.lockComponent(tx, componentId);
    if (!c) throw notFound("Composante");
    if (c.offer_status !== "submitted") {
      throw new DomainError("INVALID_TRANSITION", 409, "Seule une composante soumise peut être acceptée ou refusée.");
    }
    if (input.decision === "accepted") await requireRulesPass(tx, c);
    await store.updateComponent(tx, componentId, { offer_status: input.decision });
    await logTransition(tx, { entity: "component", entityId: componentId, from: c.offer_status, to: input.decision, reason: input.reason, actorId: actor.userId });
    await recordEvent(tx, `component.${input.decision}`, { componentId, providerId: c.provider_id, reason: input.reason });
  });
  return (await store.findComponent(db, componentId))!;
}

// ---- Hybrid modality (CP-HYBRID-APPROVED) ----

export async function requestHybrid(db: Db, actor: Actor, componentId: string, raw: unknown): Promise<Component> {
  const providerId = offerWriter(actor);
  const input = parseInput(HybridRequestInput, raw);
  await db.transaction().execute(async (tx) => {
    const c = await store.lockComponent(tx, componentId);
    if (!c) throw notFound("Composante");
    if (c.provider_id !== providerId) throw notFound("Composante"); // another provider's: as if unknown
    const v = check(hybridRequestRule(c, input.organisation));
    if (v.length > 0) throw fail(v);
    await store.updateComponent(tx, componentId, {
      hybrid_status: "requested",
      hybrid_organisation: input.organisation.trim(),
      hybrid_decided_by: null,
      hybrid_decided_at: null,
    });
    await logTransition(tx, { entity: "component_hybrid", entityId: componentId, from: c.hybrid_status, to: "requested", actorId: actor.userId });
    await recordEvent(tx, "component.hybrid_requested", { componentId, providerId });
  });
  return (await store.findComponent(db, componentId))!;
}

export async function decideHybrid(db: Db, actor: Actor, componentId: string, raw: unknown, now: Date): Promise<Component> {
  requireRole(actor, "region_officer");
  const input = parseInput(HybridDecisionInput, raw);
  await db.transaction().execute(async (tx) => {
    const c = await store.lockComponent(tx, componentId);
    if (!c) throw notFound("Composante");
    if (c.hybrid_status !== "requested") {
      throw new DomainError("INVALID_TRANSITION", 409, "Aucune demande de modalité hybride n'est en attente sur cette composante.");
    }
    await store.updateComponent(tx, componentId, { hybrid_status: input.decision, hybrid_decided_by: actor.userId, hybrid_decided_at: now });
    await logTransition(tx, { entity: "component_hybrid", entityId: componentId, from: "requested", to: input.decision, reason: input.reason, actorId: actor.userId });
    await recordEvent(tx, `component.hybrid_${input.decision}`, { componentId, providerId: c.provider_id, reason: input.reason });
  });
  return (await store.findComponent(db, componentId))!;
}

// ---- Read functions for other domains (orders: CP-ORDER-FROM-OFFER; paths: modules) ----

/** A component with its modules (by position) and its site ids; unscoped: callers check access. */
export async function getComponentWithModules(db: Db, componentId: string) {
  const component = isUuid(componentId) ? await store.findComponent(db, componentId) : undefined;
  if (!component) return undefined;
  return { ...component, modules: await store.listModules(db, componentId), siteIds: await store.componentSiteIds(db, componentId) };
}

/** The provider's accepted components for a lot, each with its site ids (CP-ORDER-FROM-OFFER). */
export async function acceptedOfferForLot(db: Db, providerId: string, lotId: string) {
  const components = await store.listComponents(db, { providerId, lotId, status: "accepted" });
  const sites = await store.siteIdsByComponent(db, components.map((c) => c.id));
  return components.map((c) => ({ ...c, siteIds: sites.get(c.id) ?? [] }));
}

/** Sites of the lot's accepted components: a territory edit cannot leave them out (CP-SITE-IN-LOT). */
export async function acceptedSitesOfLot(db: Db, lotId: string): Promise<LotSite[]> {
  const rows = await store.acceptedSitesOfLot(db, lotId);
  return rows.map((r) => ({ id: r.id, name: r.name, departementCode: r.departement_code, usedBy: `composante acceptée « ${r.title} »` }));
}

/** Sites by id (e.g. to name an order line's sites). */
export const sitesByIds = (db: Db, ids: string[]) => store.findSites(db, ids);

export { addModuleToComponent, addSiteToComponent, applySiteChange, componentOfProvider, judgeSiteForComponent, judgeSiteMove, parseModuleChange, siteOfProvider } from "./changes.ts";
