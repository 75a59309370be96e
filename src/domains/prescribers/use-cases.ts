// Authorised prescribers (CP-PRESCRIBERS, CCTP §2.2): the Region maintains the list and its advisers;
// every change to the list is notified to each provider's administrative referent(s), in the same transaction.
import type { Kysely, Transaction } from "kysely";
import type { Actor } from "../../core/auth/actor.ts";
import { requireRole } from "../../core/auth/actor.ts";
import { createAccount } from "../../core/auth/accounts.ts";
import { hashPassword } from "../../core/auth/sessions.ts";
import type { Db } from "../../core/db/index.ts";
import type { DB } from "../../core/db/schema.ts";
import { DomainError, notFound } from "../../core/errors.ts";
import { notify } from "../../core/notifications/index.ts";
import { audit } from "../../core/outbox.ts";
import { check } from "../../core/rules.ts";
import { newId } from "../../core/time.ts";
import { kindLabel, prescriberAuthorised } from "./rules.ts";
import { AdviserInput, OrganisationInput, OrganisationPatch, parseInput } from "./schema.ts";
import * as store from "./store.ts";

const isUuid = (id: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);

const conflict = (code: string, field: string, message: string) =>
  new DomainError(code, 409, message, [{ code, severity: "error", message, article: "", field }]);

export interface PrescriberOrganisation {
  id: string;
  name: string;
  kind: string;
  authorised: boolean;
}

// ---- For other domains (recruitment) ----

/**
 * CP-PRESCRIBERS: the organisation named by a prescription must be on the current list.
 * Throws DomainError CP-PRESCRIBERS (422, CCTP §2.2) when it is missing or no longer authorised.
 */
export async function requireAuthorisedPrescriber(db: Kysely<DB>, organisationId: string | null | undefined): Promise<PrescriberOrganisation> {
  const organisation = organisationId && isUuid(organisationId) ? await store.findOrganisation(db, organisationId) : undefined;
  const violations = check(prescriberAuthorised(organisation));
  if (violations.length > 0 || !organisation) throw DomainError.fromViolations(violations);
  return { id: organisation.id, name: organisation.name, kind: organisation.kind, authorised: organisation.authorised };
}

/** The current list (authorised organisations only), by name. */
export async function listAuthorisedPrescribers(db: Kysely<DB>): Promise<PrescriberOrganisation[]> {
  const rows = await store.listOrganisations(db, true);
  return rows.map((r) => ({ id: r.id, name: r.name, kind: r.kind, authorised: r.authorised }));
}

// ---- Queries ----

/** The Region sees every organisation (withdrawn ones too); everyone else the current list. */
export async function listPrescriberOrganisations(db: Db, actor: Actor) {
  const rows = await store.listOrganisations(db, actor.role !== "region_officer");
  return rows.map((r) => ({ id: r.id, name: r.name, kind: r.kind, authorised: r.authorised, advisers: Number(r.advisers) }));
}

export async function getPrescriberOrganisation(db: Db, actor: Actor, id: string) {
  requireRole(actor, "region_officer");
  const organisation = isUuid(id) ? await store.findOrganisation(db, id) : undefined;
  if (!organisation) throw notFound("Organisme prescripteur");
  const advisers = await store.listAdvisers(db, id);
  return { id: organisation.id, name: organisation.name, kind: organisation.kind, authorised: organisation.authorised, advisers };
}

// ---- Commands (Region only) ----

/** Tells each provider's administrative referent(s) what changed in the list (CP-PRESCRIBERS). */
async function notifyProviders(tx: Transaction<DB>, organisationId: string, changes: string[]): Promise<number> {
  const admins = await store.providerAdmins(tx);
  const subject = "Compétences Plus : la liste des prescripteurs habilités a changé";
  for (const admin of admins) {
    const body = [
      `Bonjour ${admin.full_name},`,
      "",
      "La Région Occitanie a modifié la liste des prescripteurs habilités du dispositif Compétences Plus (CP-PRESCRIBERS, CCTP §2.2) :",
      ...changes.map((c) => `- ${c}`),
      "",
      "Seules les prescriptions des organismes de la liste en vigueur peuvent être acceptées. La liste à jour est consultable sur la plateforme, à l'adresse /prescripteurs.",
      "",
      "Cordialement,",
      "La Région Occitanie — Compétences Plus",
    ].join("\n");
    await notify(tx, { to: admin.email, userId: admin.id, subject, body, entity: "prescriber_organisation", entityId: organisationId });
  }
  return admins.length;
}

export async function createPrescriberOrganisation(db: Db, actor: Actor, raw: unknown): Promise<PrescriberOrganisation> {
  requireRole(actor, "region_officer");
  const input = parseInput(OrganisationInput, raw);
  const id = newId();
  await db.transaction().execute(async (tx) => {
    if (await store.nameTaken(tx, input.name)) {
      throw conflict("PRESCRIBER_NAME_TAKEN", "name", `L'organisme « ${input.name} » figure déjà dans la liste.`);
    }
    await store.insertOrganisation(tx, { id, name: input.name, kind: input.kind });
    await audit(tx, { actorId: actor.userId, action: "prescriber_organisation.create", entity: "prescriber_organisation", entityId: id, details: input });
    await notifyProviders(tx, id, [`ajout de « ${input.name} » (${kindLabel(input.kind)}) : ses conseillers peuvent prescrire.`]);
  });
  return { id, name: input.name, kind: input.kind, authorised: true };
}

/** Rename, change the kind, withdraw or restore the authorisation; nothing changes → nothing is notified. */
export async function updatePrescriberOrganisation(db: Db, actor: Actor, id: string, raw: unknown): Promise<PrescriberOrganisation> {
  requireRole(actor, "region_officer");
  const input = parseInput(OrganisationPatch, raw);
  return db.transaction().execute(async (tx) => {
    const before = isUuid(id) ? await store.findOrganisation(tx, id) : undefined;
    if (!before) throw notFound("Organisme prescripteur");
    const values: { name?: string; kind?: string; authorised?: boolean } = {};
    const changes: string[] = [];
    const name = input.name ?? before.name;
    if (input.name !== undefined && input.name !== before.name) {
      if (await store.nameTaken(tx, input.name, id)) {
        throw conflict("PRESCRIBER_NAME_TAKEN", "name", `Un autre organisme de la liste s'appelle déjà « ${input.name} ».`);
      }
      values.name = input.name;
      changes.push(`« ${before.name} » s'appelle désormais « ${input.name} ».`);
    }
    if (input.kind !== undefined && input.kind !== before.kind) {
      values.kind = input.kind;
      changes.push(`« ${name} » : type modifié (${kindLabel(before.kind)} → ${kindLabel(input.kind)}).`);
    }
    if (input.authorised !== undefined && input.authorised !== before.authorised) {
      values.authorised = input.authorised;
      changes.push(
        input.authorised
          ? `« ${name} » est de nouveau habilité : ses prescriptions sont acceptées.`
          : `retrait de l'habilitation de « ${name} » : ses nouvelles prescriptions ne sont plus acceptées.`,
      );
    }
    if (changes.length > 0) {
      await store.updateOrganisation(tx, id, values);
      await audit(tx, { actorId: actor.userId, action: "prescriber_organisation.update", entity: "prescriber_organisation", entityId: id, details: { before, after: values } });
      await notifyProviders(tx, id, changes);
    }
    return { id, name, kind: values.kind ?? before.kind, authorised: values.authorised ?? before.authorised };
  });
}

export const withdrawPrescriberAuthorisation = (db: Db, actor: Actor, id: string) => updatePrescriberOrganisation(db, actor, id, { authorised: false });
export const restorePrescriberAuthorisation = (db: Db, actor: Actor, id: string) => updatePrescriberOrganisation(db, actor, id, { authorised: true });

/** The Region opens an adviser's account (role prescriber) in an organisation of the list. */
export async function createAdviser(db: Db, actor: Actor, organisationId: string, raw: unknown) {
  requireRole(actor, "region_officer");
  const input = parseInput(AdviserInput, raw);
  const passwordHash = await hashPassword(input.password); // slow: outside the transaction
  const id = await db.transaction().execute(async (tx) => {
    if (!isUuid(organisationId) || !(await store.findOrganisation(tx, organisationId))) throw notFound("Organisme prescripteur");
    const account = { email: input.email, fullName: input.fullName, role: "prescriber" as const, passwordHash, prescriberOrganisationId: organisationId };
    return createAccount(tx, actor.userId, account);
  });
  return { id, email: input.email, fullName: input.fullName, organisationId };
}
