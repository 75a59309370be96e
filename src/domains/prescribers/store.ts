// Queries of the prescribers domain's own tables (prescriber_organisation, its advisers in app_user).
import type { Kysely } from "kysely";
import type { DB } from "../../core/db/schema.ts";
import { accountRows } from "../../core/auth/accounts.ts";

type Q = Kysely<DB>;

export const findOrganisation = (db: Q, id: string) =>
  db.selectFrom("prescriber_organisation").select(["id", "name", "kind", "authorised", "created_at"]).where("id", "=", id).executeTakeFirst();

export async function listOrganisations(db: Q, onlyAuthorised: boolean) {
  let q = db
    .selectFrom("prescriber_organisation as o")
    .leftJoin(accountRows().as("u"), (j) => j.onRef("u.prescriber_organisation_id", "=", "o.id").on("u.role", "=", "prescriber"))
    .select((eb) => ["o.id", "o.name", "o.kind", "o.authorised", eb.fn.count<number>("u.id").as("advisers")])
    .groupBy(["o.id", "o.name", "o.kind", "o.authorised"])
    .orderBy("o.name");
  if (onlyAuthorised) q = q.where("o.authorised", "=", true);
  return q.execute();
}

export async function nameTaken(db: Q, name: string, exceptId?: string): Promise<boolean> {
  let q = db.selectFrom("prescriber_organisation").select("id").where((eb) => eb(eb.fn("lower", ["name"]), "=", name.toLowerCase()));
  if (exceptId) q = q.where("id", "!=", exceptId);
  return (await q.executeTakeFirst()) !== undefined;
}

export const insertOrganisation = (db: Q, row: { id: string; name: string; kind: string }) =>
  db.insertInto("prescriber_organisation").values({ ...row, authorised: true }).execute();

export const updateOrganisation = (db: Q, id: string, values: { name?: string; kind?: string; authorised?: boolean }) =>
  db.updateTable("prescriber_organisation").set(values).where("id", "=", id).execute();

export const listAdvisers = (db: Q, organisationId: string) =>
  db
    .selectFrom(accountRows().as("app_user"))
    .select(["id", "email", "full_name", "active"])
    .where("role", "=", "prescriber")
    .where("prescriber_organisation_id", "=", organisationId)
    .orderBy("full_name")
    .execute();


/** Every provider's administrative referent(s): they are told of changes to the list. */
export const providerAdmins = (db: Q) =>
  db
    .selectFrom(accountRows().as("app_user"))
    .select(["id", "email", "full_name"])
    .where("role", "=", "provider_admin")
    .where("active", "=", true)
    .orderBy("email")
    .execute();
