// The offer changed by an accepted change request (CP-ORDER-CHANGES, CP-MODIFICATION-REQUESTS): a site's
// details, a site added to an accepted component, a module added to it. Each runs in the caller's
// transaction (the request's decision) with the checks of the offer's own commands (CP-SITE-IN-LOT).
import type { Transaction } from "kysely";
import type { Db } from "../../core/db/index.ts";
import type { DB } from "../../core/db/schema.ts";

type Tx = Transaction<DB>;
import { DomainError, notFound } from "../../core/errors.ts";
import { audit } from "../../core/outbox.ts";
import type { Violation } from "../../core/rules.ts";
import { siteInLot } from "../../core/territory.ts";
import { newId } from "../../core/time.ts";
import { listDepartements, lotDepartements } from "../region/use-cases.ts";
import { ModuleInput, parseInput, SiteInput } from "./schema.ts";
import * as store from "./store.ts";

const fail = (v: Violation[]) => DomainError.fromViolations(v);

/** The provider's site (another provider's is unknown). */
async function ownSite(db: Db, providerId: string, siteId: string) {
  const site = await store.findSite(db, siteId);
  if (!site || site.provider_id !== providerId) throw notFound("Site");
  return site;
}

/** The provider's component (another provider's is unknown). */
async function ownComponent(db: Db, providerId: string, componentId: string, lock = false) {
  const c = lock ? await store.lockComponent(db, componentId) : await store.findComponent(db, componentId);
  if (!c || c.provider_id !== providerId) throw notFound("Composante");
  return c;
}

/**
 * CP-SITE-IN-LOT for a site change as filed: the site moved to `departementCode` stays in the lot of
 * every component run there. Returns the violations (empty when it holds).
 */
export async function judgeSiteMove(db: Db, providerId: string, siteId: string, raw: unknown): Promise<Violation[]> {
  const input = parseInput(SiteInput, raw);
  await ownSite(db, providerId, siteId);
  const known = (await listDepartements(db)).map((d) => d.code);
  if (!known.includes(input.departementCode)) {
    return [{ code: "VALIDATION", severity: "error", message: "Département inconnu de la plateforme.", article: "", field: "departementCode" }];
  }
  for (const c of await store.componentsAtSite(db, siteId)) {
    const moved = { id: siteId, name: input.name, departementCode: input.departementCode, usedBy: `composante « ${c.title} »` };
    const v = siteInLot([moved], await lotDepartements(db, c.lot_id), { field: "departementCode" });
    if (v) return [v];
  }
  return [];
}

/** Applies a site change (row values replaced, CP-SITE-IN-LOT judged again under the lots' share locks); returns the old values. */
export async function applySiteChange(tx: Tx, actorId: string, providerId: string, siteId: string, raw: unknown, reference: string) {
  const input = parseInput(SiteInput, raw);
  const site = await ownSite(tx, providerId, siteId);
  const violations = await judgeSiteMove(tx, providerId, siteId, raw);
  if (violations.length > 0) throw fail(violations);
  const values = {
    name: input.name,
    address: input.address,
    postcode: input.postcode,
    commune: input.commune,
    departement_code: input.departementCode,
    accessible: input.accessible,
  };
  await store.updateSite(tx, siteId, values);
  const before = { name: site.name, address: site.address, postcode: site.postcode, commune: site.commune, departement_code: site.departement_code, accessible: site.accessible };
  await audit(tx, { actorId, action: "site.change", entity: "site", entityId: siteId, details: { reference, before, after: values } });
  return before;
}

/** CP-SITE-IN-LOT for a site added to a component: the provider's site lies in the component's lot. */
export async function judgeSiteForComponent(db: Db, providerId: string, componentId: string, siteId: string): Promise<Violation[]> {
  const c = await ownComponent(db, providerId, componentId);
  const site = await ownSite(db, providerId, siteId);
  const v = siteInLot([{ id: site.id, name: site.name, departementCode: site.departement_code, usedBy: `composante « ${c.title} »` }], await lotDepartements(db, c.lot_id), {
    field: "siteId",
  });
  return v ? [v] : [];
}

/** A new site for an accepted component (CP-ORDER-CHANGES): judged (CP-SITE-IN-LOT), then added to its sites. */
export async function addSiteToComponent(tx: Tx, actorId: string, providerId: string, componentId: string, siteId: string, reference: string) {
  await ownComponent(tx, providerId, componentId, true);
  const violations = await judgeSiteForComponent(tx, providerId, componentId, siteId);
  if (violations.length > 0) throw fail(violations);
  await tx.insertInto("component_site").values({ component_id: componentId, site_id: siteId }).onConflict((oc) => oc.doNothing()).execute();
  await audit(tx, { actorId, action: "component.site.add", entity: "component", entityId: componentId, details: { reference, siteId } });
}

/** An additional module on an accepted component (CP-ORDER-CHANGES), the component's row locked. */
export async function addModuleToComponent(tx: Tx, actorId: string, providerId: string, componentId: string, raw: unknown, reference: string): Promise<string> {
  const input = parseInput(ModuleInput, raw);
  await ownComponent(tx, providerId, componentId, true);
  const id = newId();
  await store.insertModule(tx, {
    id,
    component_id: componentId,
    title: input.title,
    minutes: input.minutes,
    modality: input.modality,
    content_tag: input.contentTag,
    prep_part: input.prepPart,
    position: await store.nextModulePosition(tx, componentId),
  });
  await audit(tx, { actorId, action: "module.create", entity: "module", entityId: id, details: { reference, componentId, ...input } });
  return id;
}

/** The provider's component and site as a change request names them (404 when not the provider's). */
export const componentOfProvider = (db: Db, providerId: string, componentId: string) => ownComponent(db, providerId, componentId);
export const siteOfProvider = (db: Db, providerId: string, siteId: string) => ownSite(db, providerId, siteId);

/** A module as a change request proposes it, read by the offer's schema (its errors name the module's fields). */
export const parseModuleChange = (raw: unknown) => parseInput(ModuleInput, raw);
