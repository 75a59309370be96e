// Kysely queries of the region domain's tables: departement, lot*, provider, provider_referent,
// and the provider staff accounts of app_user.
import type { Kysely } from "kysely";
import { jsonArrayFrom } from "kysely/helpers/postgres";
import { prepared } from "../../core/db/prepared.ts";
import type { Category, DB, ReferentKind, Role } from "../../core/db/schema.ts";
import { accountRows } from "../../core/auth/accounts.ts";

type Q = Kysely<DB>;

export const listDepartements = (db: Q) => db.selectFrom("departement").selectAll().orderBy("code").execute();

export async function existingDepartements(db: Q, codes: string[]): Promise<string[]> {
  if (codes.length === 0) return [];
  const rows = await db.selectFrom("departement").select("code").where("code", "in", codes).execute();
  return rows.map((r) => r.code);
}

export async function listLots(db: Q) {
  const lots = await db.selectFrom("lot").selectAll().orderBy("code").execute();
  const deps = await db.selectFrom("lot_departement").selectAll().orderBy("departement_code").execute();
  return lots.map((l) => ({ ...l, departements: deps.filter((d) => d.lot_id === l.id).map((d) => d.departement_code) }));
}

export async function findLot(db: Q, id: string) {
  const lot = await db.selectFrom("lot").selectAll().where("id", "=", id).executeTakeFirst();
  if (!lot) return undefined;
  const deps = await db
    .selectFrom("lot_departement")
    .select("departement_code")
    .where("lot_id", "=", id)
    .orderBy("departement_code")
    .execute();
  const expected = await db
    .selectFrom("lot_expected_component")
    .select(["id", "title", "category"])
    .where("lot_id", "=", id)
    .orderBy("title")
    .execute();
  return { ...lot, departements: deps.map((d) => d.departement_code), expectedComponents: expected };
}

/** Locks a lot's row: `mode` update for a territory edit, share for a CP-SITE-IN-LOT check reading it. */
export async function lockLot(db: Q, id: string, mode: "update" | "share"): Promise<boolean> {
  const q = db.selectFrom("lot").select("id").where("id", "=", id);
  return Boolean(await (mode === "update" ? q.forUpdate() : q.forShare()).executeTakeFirst());
}

export async function lotCodeTaken(db: Q, code: string, exceptId?: string) {
  let q = db.selectFrom("lot").select("id").where("code", "=", code);
  if (exceptId) q = q.where("id", "<>", exceptId);
  return Boolean(await q.executeTakeFirst());
}

export async function writeLot(
  db: Q,
  lot: { id: string; code: string; name: string; framework_end: string },
  departements: string[],
  expected: { id: string; title: string; category: Category }[],
  isNew: boolean,
) {
  if (isNew) await db.insertInto("lot").values(lot).execute();
  else await db.updateTable("lot").set({ code: lot.code, name: lot.name, framework_end: lot.framework_end }).where("id", "=", lot.id).execute();
  await db.deleteFrom("lot_departement").where("lot_id", "=", lot.id).execute();
  if (departements.length > 0) {
    await db.insertInto("lot_departement").values(departements.map((d) => ({ lot_id: lot.id, departement_code: d }))).execute();
  }
  await db.deleteFrom("lot_expected_component").where("lot_id", "=", lot.id).execute();
  if (expected.length > 0) {
    await db.insertInto("lot_expected_component").values(expected.map((e) => ({ ...e, lot_id: lot.id }))).execute();
  }
}

export const findProvider = (db: Q, id: string) => db.selectFrom("provider").selectAll().where("id", "=", id).executeTakeFirst();

/**
 * A provider with its referents and its staff accounts, in one statement (its page: issue 13 — three reads
 * one after another cost twice the hand SQL's). Prepared (docs/adr/0044): its text is fixed.
 */
export const providerWithPeople = (db: Q, id: string) =>
  prepared(
    db
      .selectFrom("provider as p")
      .selectAll("p")
      .select((eb) => [
        jsonArrayFrom(eb.selectFrom("provider_referent as r").selectAll("r").whereRef("r.provider_id", "=", "p.id")).as("referents"),
        jsonArrayFrom(
          eb.selectFrom(accountRows().as("u")).select(["u.id", "u.email", "u.full_name", "u.role", "u.active"]).whereRef("u.provider_id", "=", "p.id").orderBy("u.full_name"),
        ).as("staff"),
      ])
      .where("p.id", "=", id),
  ).executeTakeFirst();

/** Prepared (docs/adr/0044): the Region's list is read at every visit of its desk, and its two texts are fixed. */
export function listProviders(db: Q, onlyId?: string) {
  let q = db.selectFrom("provider").selectAll().orderBy("name");
  if (onlyId) q = q.where("id", "=", onlyId);
  return prepared(q).execute();
}

export async function siretTaken(db: Q, siret: string, exceptId?: string) {
  let q = db.selectFrom("provider").select("id").where("siret", "=", siret);
  if (exceptId) q = q.where("id", "<>", exceptId);
  return Boolean(await q.executeTakeFirst());
}

export type ProviderValues = {
  name: string;
  siret: string;
  nda: string | null;
  legal_representative: string | null;
  address: string | null;
  qualiopi_issuer: string | null;
  qualiopi_number: string | null;
  qualiopi_valid_until: string | null;
};

export const insertProvider = (db: Q, id: string, v: ProviderValues) => db.insertInto("provider").values({ id, ...v }).execute();
export const updateProvider = (db: Q, id: string, v: ProviderValues) => db.updateTable("provider").set(v).where("id", "=", id).execute();

/** Several providers and their referents, two queries whatever their number (the compliance board). */
export const findProviders = (db: Q, ids: string[]) => (ids.length ? db.selectFrom("provider").selectAll().where("id", "in", ids).execute() : Promise.resolve([]));
export const referentsOf = (db: Q, ids: string[]) => (ids.length ? db.selectFrom("provider_referent").select(["provider_id", "kind"]).where("provider_id", "in", ids).execute() : Promise.resolve([]));

export const listReferents = (db: Q, providerId: string) =>
  db.selectFrom("provider_referent").selectAll().where("provider_id", "=", providerId).execute();

export async function replaceReferents(
  db: Q,
  providerId: string,
  referents: { id: string; kind: ReferentKind; full_name: string; email: string | null; phone: string | null }[],
) {
  await db.deleteFrom("provider_referent").where("provider_id", "=", providerId).execute();
  if (referents.length > 0) {
    await db.insertInto("provider_referent").values(referents.map((r) => ({ ...r, provider_id: providerId }))).execute();
  }
}

export const listStaff = (db: Q, providerId: string, role?: Role) => {
  let q = db
    .selectFrom(accountRows().as("app_user"))
    .select(["id", "email", "full_name", "role", "active"])
    .where("provider_id", "=", providerId)
    .orderBy("full_name");
  if (role) q = q.where("role", "=", role);
  return q.execute();
};


