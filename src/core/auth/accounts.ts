// Accounts (app_user) are owned here: the Region opens staff and advisers' accounts through
// these functions, never by writing the table itself. E-mails are compared in lower case, as login does.
import type { Kysely, Transaction } from "kysely";
import { readModel } from "../db/read-model.ts";
import type { DB, Role } from "../db/schema.ts";
import { DomainError, notFound } from "../errors.ts";
import { audit } from "../outbox.ts";
import { newId } from "../time.ts";
import { type Actor, requireRole } from "./actor.ts";
import { endSessions } from "./sessions.ts";

type Q = Kysely<DB>;

export interface NewAccount {
  email: string;
  fullName: string;
  role: Role;
  /** Hashed outside the transaction (argon2 is slow): hashPassword from ./sessions.ts. */
  passwordHash: string;
  providerId?: string;
  prescriberOrganisationId?: string;
  /** For 'access_site_staff' only: the access site they work at (CP-EFORM-SITES). */
  accessSiteId?: string;
}

const normalise = (email: string) => email.trim().toLowerCase();

export const emailTaken = async (db: Q, email: string) =>
  (await db.selectFrom("app_user").select("id").where((eb) => eb(eb.fn("lower", ["email"]), "=", normalise(email))).executeTakeFirst()) !== undefined;

/** Opens an account in the caller's transaction; EMAIL_TAKEN (409) when the address is in use. */
export async function createAccount(tx: Transaction<DB>, actorId: string, a: NewAccount): Promise<string> {
  const email = normalise(a.email);
  if (await emailTaken(tx, email)) {
    const message = `Un compte existe déjà avec l'adresse ${email}.`;
    throw new DomainError("EMAIL_TAKEN", 409, message, [{ code: "EMAIL_TAKEN", severity: "error", message, article: "", field: "email" }]);
  }
  const id = newId();
  await tx
    .insertInto("app_user")
    .values({ id, email, full_name: a.fullName, role: a.role, password_hash: a.passwordHash, provider_id: a.providerId ?? null, prescriber_organisation_id: a.prescriberOrganisationId ?? null, access_site_id: a.accessSiteId ?? null })
    .execute();
  const scope = a.providerId ? { providerId: a.providerId } : a.accessSiteId ? { accessSiteId: a.accessSiteId } : { prescriberOrganisationId: a.prescriberOrganisationId };
  await audit(tx, { actorId, action: "user.create", entity: "app_user", entityId: id, details: { ...scope, role: a.role, email } });
  return id;
}

/** Accounts as a read model other domains join for names and scopes (never the password hash). */
export const accountRows = () =>
  readModel.selectFrom("app_user").select(["id", "email", "full_name", "role", "provider_id", "prescriber_organisation_id", "trainee_id", "access_site_id", "active", "created_at"]);

/**
 * The Region deactivates (or reactivates) an account: a deactivated account cannot log in (login
 * and every session lookup require `active`) and its sessions end at once, in the same transaction.
 */
export async function setAccountActive(db: Q, actor: Actor, userId: string, active: boolean): Promise<void> {
  requireRole(actor, "region_officer");
  if (!active && userId === actor.userId) {
    const message = "Vous ne pouvez pas désactiver votre propre compte.";
    throw new DomainError("SELF_DEACTIVATION", 422, message, [{ code: "SELF_DEACTIVATION", severity: "error", message, article: "" }]);
  }
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(userId)) throw notFound("Compte");
  await db.transaction().execute(async (tx) => {
    const row = await tx.updateTable("app_user").set({ active }).where("id", "=", userId).returning("email").executeTakeFirst();
    if (!row) throw notFound("Compte");
    if (!active) await endSessions(tx, userId);
    await audit(tx, { actorId: actor.userId, action: active ? "user.reactivate" : "user.deactivate", entity: "app_user", entityId: userId, details: { email: row.email } });
  });
}

export interface AccountFilter {
  /** Part of the e-mail or the name. */
  search?: string;
  active?: boolean;
}

/** Every account, for the Region's accounts page (200 at most, by name). */
export async function listAccounts(db: Q, actor: Actor, f: AccountFilter = {}) {
  requireRole(actor, "region_officer");
  let q = db.selectFrom(accountRows().as("u")).selectAll().orderBy("full_name").orderBy("email").limit(200);
  const search = f.search?.trim().toLowerCase();
  if (search) {
    const like = `%${search.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    q = q.where((eb) => eb.or([eb(eb.fn("lower", ["email"]), "like", like), eb(eb.fn("lower", ["full_name"]), "like", like)]));
  }
  if (f.active !== undefined) q = q.where("active", "=", f.active);
  return q.execute();
}
