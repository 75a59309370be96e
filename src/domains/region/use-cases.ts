// Commands and queries of the region domain: validate → load → rules → write (+ outbox) in one transaction.
import type { Actor } from "../../core/auth/actor.ts";
import { isProviderStaff, requireProviderAccess, requireRole } from "../../core/auth/actor.ts";
import { createAccount } from "../../core/auth/accounts.ts";
import { hashPassword } from "../../core/auth/sessions.ts";
import type { Db } from "../../core/db/index.ts";
import type { ReferentKind } from "../../core/db/schema.ts";
import { DomainError, forbidden, notFound } from "../../core/errors.ts";
import { audit } from "../../core/outbox.ts";
import { check, type Violation } from "../../core/rules.ts";
import { type LotSite, siteInLot } from "../../core/territory.ts";
import { newId } from "../../core/time.ts";
import { acceptedSitesOfLot } from "../offer/use-cases.ts";
import { orderSitesOfLot } from "../orders/use-cases.ts";
import { lotTerritory, qualiopiValid, referentsComplete, siretRule } from "./rules.ts";
import { LotInput, parseInput, ProviderInput, ReferentsInput, StaffInput } from "./schema.ts";
import * as store from "./store.ts";

/** Malformed ids are simply unknown (PostgreSQL would reject them as uuid). */
const isUuid = (id: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);

const conflict = (code: string, field: string, message: string, article = "") =>
  new DomainError(code, 409, message, [{ code, severity: "error", message, article, field }]);

// ---- Reference data and lots (readable by every signed-in user: they are public facts) ----

export const listDepartements = (db: Db) => store.listDepartements(db);

export const listLots = (db: Db) => store.listLots(db);

export type Lot = NonNullable<Awaited<ReturnType<typeof store.findLot>>>;

export async function getLot(db: Db, lotId: string): Promise<Lot> {
  const lot = isUuid(lotId) ? await store.findLot(db, lotId) : undefined;
  if (!lot) throw notFound("Lot");
  return lot;
}

/**
 * The lot's territory (CP-SITE-IN-LOT checks sites against it), read under a share lock on the lot:
 * within a transaction, a territory edit (which locks the lot for update) and the check cannot cross.
 */
export async function lotDepartements(db: Db, lotId: string): Promise<string[]> {
  if (!isUuid(lotId) || !(await store.lockLot(db, lotId, "share"))) throw notFound("Lot");
  return (await getLot(db, lotId)).departements;
}

/**
 * CP-SITE-IN-LOT on a territory edit: a département leaves the lot only if no site in use there
 * (of an accepted component of the lot, or named on an order line of the lot) lies in it.
 */
async function territoryKeepsSites(db: Db, lotId: string, before: string[], after: string[]): Promise<Violation[]> {
  const removed = before.filter((d) => !after.includes(d));
  if (removed.length === 0) return [];
  const bySite = new Map<string, LotSite>();
  for (const s of [...(await acceptedSitesOfLot(db, lotId)), ...(await orderSitesOfLot(db, lotId))]) {
    if (!removed.includes(s.departementCode)) continue;
    const known = bySite.get(s.id);
    bySite.set(s.id, known ? { ...known, usedBy: `${known.usedBy} ; ${s.usedBy}` } : s);
  }
  const v = siteInLot([...bySite.values()], after, { field: "departements" });
  if (!v) return [];
  const which = removed.length > 1 ? `les départements ${removed.join(", ")}` : `le département ${removed[0]}`;
  return [{ ...v, message: `Impossible de retirer ${which} du lot : ${v.message.charAt(0).toLowerCase()}${v.message.slice(1)}`, details: { ...v.details, removed } }];
}

async function validateLot(db: Db, input: LotInput, exceptId?: string): Promise<void> {
  const departements = [...new Set(input.departements)];
  const known = await store.existingDepartements(db, departements);
  const unknown = departements.filter((d) => !known.includes(d));
  const violations: Violation[] = check(
    lotTerritory(departements),
    unknown.length > 0
      ? {
          code: "VALIDATION",
          severity: "error",
          message: `Département(s) inconnu(s) de la plateforme : ${unknown.join(", ")}.`,
          article: "",
          field: "departements",
        }
      : undefined,
  );
  if (violations.length > 0) throw DomainError.fromViolations(violations);
  if (await store.lotCodeTaken(db, input.code, exceptId)) {
    throw conflict("LOT_CODE_TAKEN", "code", `Un autre lot porte déjà le code « ${input.code} ».`);
  }
}

async function saveLot(db: Db, actor: Actor, raw: unknown, lotId: string | undefined): Promise<Lot> {
  requireRole(actor, "region_officer");
  const input = parseInput(LotInput, raw);
  const isNew = lotId === undefined;
  const id = lotId ?? newId();
  await db.transaction().execute(async (tx) => {
    if (!isNew && !(await store.lockLot(tx, id, "update"))) throw notFound("Lot");
    await validateLot(tx, input, isNew ? undefined : id);
    if (!isNew) {
      const shrunk = await territoryKeepsSites(tx, id, (await store.findLot(tx, id))!.departements, [...new Set(input.departements)]);
      if (shrunk.length > 0) throw DomainError.fromViolations(shrunk);
    }
    await store.writeLot(
      tx,
      { id, code: input.code, name: input.name, framework_end: input.frameworkEnd },
      [...new Set(input.departements)],
      input.expectedComponents.map((e) => ({ id: newId(), title: e.title, category: e.category })),
      isNew,
    );
    await audit(tx, { actorId: actor.userId, action: isNew ? "lot.create" : "lot.update", entity: "lot", entityId: id, details: input });
  });
  return getLot(db, id);
}

/** CP-LOTS: the Region defines a lot's territory and the components it expects. */
export const createLot = (db: Db, actor: Actor, raw: unknown) => saveLot(db, actor, raw, undefined);
export const updateLot = (db: Db, actor: Actor, lotId: string, raw: unknown) => saveLot(db, actor, raw, lotId);

// ---- Providers ----

/** Provider staff see their own provider only; the Region sees all; nobody else any. */
export async function listProviders(db: Db, actor: Actor) {
  if (actor.role === "region_officer") return store.listProviders(db);
  if (isProviderStaff(actor) && actor.providerId) return store.listProviders(db, actor.providerId);
  throw forbidden();
}

export async function getProvider(db: Db, actor: Actor, providerId: string) {
  requireProviderAccess(actor, providerId);
  const provider = isUuid(providerId) ? await store.findProvider(db, providerId) : undefined;
  if (!provider) throw notFound("Organisme");
  return provider;
}

/** Everything the provider page shows, with its compliance warnings (CP-QUALIOPI, CP-REFERENTS). */
export async function providerOverview(db: Db, actor: Actor, providerId: string, today: string) {
  requireProviderAccess(actor, providerId);
  if (!isUuid(providerId)) throw notFound("Organisme");
  // The provider, its referents and its staff in one statement, not three reads one after another (issue 13).
  const row = await store.providerWithPeople(db, providerId);
  if (!row) throw notFound("Organisme");
  const { referents, staff, ...provider } = row;
  const warnings = check(qualiopiValid(provider, today), referentsComplete(referents.map((r) => r.kind)));
  return { provider, referents, staff, warnings };
}

/** CP-QUALIOPI: the certificate warning of a provider (missing, expired, expiring), carried onto its orders. */
export async function certificateWarnings(db: Db, providerId: string, today: string): Promise<Violation[]> {
  const provider = await store.findProvider(db, providerId);
  return provider ? check(qualiopiValid(provider, today)) : [];
}

/** Warnings of several providers at once, for lists. */
export async function providerWarnings(db: Db, providerId: string, today: string): Promise<Violation[]> {
  const provider = await store.findProvider(db, providerId);
  if (!provider) return [];
  const referents = await store.listReferents(db, providerId);
  return check(qualiopiValid(provider, today), referentsComplete(referents.map((r) => r.kind)));
}

/**
 * The warnings of several providers in two queries (the compliance board at region scope: 150 providers were
 * 450 queries): each provider's own file (CP-QUALIOPI, CP-REFERENTS) and the certificate warning alone, which
 * its running orders carry.
 */
export async function providersWarnings(db: Db, providerIds: string[], today: string): Promise<Map<string, { provider: Violation[]; certificate: Violation[] }>> {
  const [providers, referents] = await Promise.all([store.findProviders(db, providerIds), store.referentsOf(db, providerIds)]);
  const kinds = new Map<string, ReferentKind[]>();
  for (const r of referents) kinds.set(r.provider_id, [...(kinds.get(r.provider_id) ?? []), r.kind as ReferentKind]);
  return new Map(
    providers.map((p) => [p.id, { provider: check(qualiopiValid(p, today), referentsComplete(kinds.get(p.id) ?? [])), certificate: check(qualiopiValid(p, today)) }]),
  );
}

const providerValues = (input: ProviderInput): store.ProviderValues => ({
  name: input.name,
  siret: input.siret,
  nda: input.nda,
  legal_representative: input.legalRepresentative,
  address: input.address,
  qualiopi_issuer: input.qualiopiIssuer,
  qualiopi_number: input.qualiopiNumber,
  qualiopi_valid_until: input.qualiopiValidUntil,
});

async function saveProvider(db: Db, actor: Actor, raw: unknown, providerId: string | undefined) {
  requireRole(actor, "region_officer");
  const input = parseInput(ProviderInput, raw);
  const violations = check(siretRule(input.siret));
  if (violations.length > 0) throw DomainError.fromViolations(violations);
  const isNew = providerId === undefined;
  const id = providerId ?? newId();
  await db.transaction().execute(async (tx) => {
    if (!isNew && !(await store.findProvider(tx, id))) throw notFound("Organisme");
    if (await store.siretTaken(tx, input.siret, isNew ? undefined : id)) {
      throw conflict("SIRET_TAKEN", "siret", `Un autre organisme est déjà enregistré avec le SIRET ${input.siret}.`);
    }
    if (isNew) await store.insertProvider(tx, id, providerValues(input));
    else await store.updateProvider(tx, id, providerValues(input));
    await audit(tx, { actorId: actor.userId, action: isNew ? "provider.create" : "provider.update", entity: "provider", entityId: id, details: input });
  });
  return (await store.findProvider(db, id))!;
}

export const createProvider = (db: Db, actor: Actor, raw: unknown) => saveProvider(db, actor, raw, undefined);
export const updateProvider = (db: Db, actor: Actor, providerId: string, raw: unknown) => saveProvider(db, actor, raw, providerId);

/** The Region opens the accounts of a provider's staff (the password is only ever stored hashed). */
export async function createStaffAccount(db: Db, actor: Actor, providerId: string, raw: unknown) {
  requireRole(actor, "region_officer");
  const input = parseInput(StaffInput, raw);
  const passwordHash = await hashPassword(input.password); // slow: outside the transaction
  const id = await db.transaction().execute(async (tx) => {
    if (!(await store.findProvider(tx, providerId))) throw notFound("Organisme");
    return createAccount(tx, actor.userId, { email: input.email, fullName: input.fullName, role: input.role, passwordHash, providerId });
  });
  return { id, email: input.email, fullName: input.fullName, role: input.role, providerId };
}

export async function listStaff(db: Db, actor: Actor, providerId: string) {
  requireProviderAccess(actor, providerId);
  return store.listStaff(db, providerId);
}

/** For the paths domain: who can be a trainee's pedagogical referent (CP-REFERENTS). */
export async function listPedagogicalReferents(db: Db, providerId: string): Promise<{ id: string; full_name: string }[]> {
  const rows = await store.listStaff(db, providerId, "pedagogical_referent");
  return rows.filter((r) => r.active).map((r) => ({ id: r.id, full_name: r.full_name }));
}

// ---- Referents (CP-REFERENTS) ----

export async function listReferents(db: Db, actor: Actor, providerId: string) {
  await getProvider(db, actor, providerId);
  return store.listReferents(db, providerId);
}

/** The provider's admin and the Region designate the referents; the list given replaces the old one. */
export async function setReferents(db: Db, actor: Actor, providerId: string, raw: unknown) {
  if (actor.role !== "region_officer") {
    requireRole(actor, "provider_admin");
    requireProviderAccess(actor, providerId);
  }
  const input = parseInput(ReferentsInput, raw);
  const kinds = input.referents.map((r) => r.kind);
  const duplicate = kinds.find((k, i) => kinds.indexOf(k) !== i);
  if (duplicate) {
    throw DomainError.fromViolations([
      { code: "VALIDATION", severity: "error", message: "Un seul référent par fonction.", article: "CCTP §4.1.1", field: `referent_${duplicate}` },
    ]);
  }
  await db.transaction().execute(async (tx) => {
    if (!(await store.findProvider(tx, providerId))) throw notFound("Organisme");
    await store.replaceReferents(
      tx,
      providerId,
      input.referents.map((r) => ({ id: newId(), kind: r.kind as ReferentKind, full_name: r.fullName, email: r.email, phone: r.phone })),
    );
    await audit(tx, { actorId: actor.userId, action: "provider.referents", entity: "provider", entityId: providerId, details: input });
  });
  const referents = await store.listReferents(db, providerId);
  return { referents, warnings: check(referentsComplete(referents.map((r) => r.kind))) };
}

export { applyProviderPatch, judgeSiret, providerFile, type ProviderFilePatch } from "./provider-changes.ts";
export { getFinding, listFindings, overdueRefunds, recordFinding, recordRecovery, recordRefund, refundProof } from "./contributions.ts";
