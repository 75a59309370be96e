// The Kysely queries of the AMI tables (no other domain touches them; they read views.ts).
import type { Kysely, Selectable } from "kysely";
import type { DB } from "../../core/db/schema.ts";
import { orderRows } from "../orders/views.ts";
import { siteRows } from "../offer/views.ts";
import { departementRows, providerRows } from "../region/views.ts";
import { OPEN_STATUSES } from "./rules.ts";

type Q = Kysely<DB>;
export type ApplicationRow = Selectable<DB["ami_application"]>;

// ---- Calls, lots, experts ----

export const listCalls = (db: Q) => db.selectFrom("ami_call").selectAll().orderBy("published_at", "desc").orderBy("id").execute();
export const findCall = (db: Q, id: string) => db.selectFrom("ami_call").selectAll().where("id", "=", id).executeTakeFirst();

export async function lotsOf(db: Q, callId: string) {
  const lots = await db.selectFrom("ami_lot").selectAll().where("call_id", "=", callId).orderBy("number").execute();
  const deps = await db.selectFrom("ami_lot_departement").select(["lot_id", "departement_code"]).where("call_id", "=", callId).orderBy("departement_code").execute();
  const experts =
    lots.length === 0
      ? []
      : await db
          .selectFrom("ami_lot_expert as le")
          .innerJoin("ami_expert_provider as e", "e.id", "le.expert_provider_id")
          .select(["le.lot_id", "e.id", "e.name"])
          .where(
            "le.lot_id",
            "in",
            lots.map((l) => l.id),
          )
          .orderBy("e.name")
          .execute();
  return lots.map((l) => ({
    ...l,
    departements: deps.filter((d) => d.lot_id === l.id).map((d) => d.departement_code),
    experts: experts.filter((e) => e.lot_id === l.id).map((e) => ({ id: e.id, name: e.name })),
  }));
}

export async function insertCall(
  tx: Q,
  call: Omit<Selectable<DB["ami_call"]>, "published_at"> & { published_at: Date },
  lots: { id: string; number: number; name: string; departements: string[]; expertProviderIds: string[] }[],
) {
  await tx.insertInto("ami_call").values(call).execute();
  for (const l of lots) {
    await tx.insertInto("ami_lot").values({ id: l.id, call_id: call.id, number: l.number, name: l.name }).execute();
    if (l.departements.length > 0) await tx.insertInto("ami_lot_departement").values(l.departements.map((d) => ({ lot_id: l.id, call_id: call.id, departement_code: d }))).execute();
    if (l.expertProviderIds.length > 0) await tx.insertInto("ami_lot_expert").values(l.expertProviderIds.map((e) => ({ lot_id: l.id, expert_provider_id: e }))).execute();
  }
}

export const existingDepartements = async (db: Q, codes: string[]) =>
  codes.length === 0 ? [] : (await db.selectFrom(departementRows().as("d")).select("d.code").where("d.code", "in", codes).execute()).map((d) => d.code);
export const listDepartements = (db: Q) => db.selectFrom(departementRows().as("d")).select(["d.code", "d.name"]).orderBy("d.code").execute();
export const listExpertProviders = (db: Q) => db.selectFrom("ami_expert_provider").select(["id", "name"]).orderBy("name").execute();
export const findExpertProvider = (db: Q, id: string) => db.selectFrom("ami_expert_provider").select(["id", "name"]).where("id", "=", id).executeTakeFirst();
export const expertProviderByName = (db: Q, name: string) => db.selectFrom("ami_expert_provider").select(["id", "name"]).where("name", "=", name).executeTakeFirst();
export const expertOf = async (db: Q, userId: string) =>
  (await db.selectFrom("ami_expert_member").select("expert_provider_id").where("user_id", "=", userId).executeTakeFirst())?.expert_provider_id ?? null;
export const expertMembers = (db: Q, expertProviderId: string) =>
  db.selectFrom("ami_expert_member").select("user_id").where("expert_provider_id", "=", expertProviderId).execute();

// ---- Eligibility (AMI-ELIGIBLE) ----

export const isRegistered = async (db: Q, providerId: string, prfYear: number) =>
  (await db.selectFrom("ami_eligible").select("provider_id").where("provider_id", "=", providerId).where("prf_year", "=", prfYear).executeTakeFirst()) !== undefined;
/** Referenced in the PRF of the year: the organisation holds an order whose period touches that year. */
export const holdsOrderOfYear = async (db: Q, providerId: string, year: number) =>
  (await db
    .selectFrom(orderRows().as("o"))
    .select("o.id")
    .where("o.provider_id", "=", providerId)
    .where("o.planned_start", "<=", `${year}-12-31`)
    .where("o.planned_end", ">=", `${year}-01-01`)
    .executeTakeFirst()) !== undefined;
export const listEligible = (db: Q) =>
  db
    .selectFrom("ami_eligible as e")
    .innerJoin(providerRows().as("p"), "p.id", "e.provider_id")
    .select(["e.provider_id", "e.prf_year", "e.kind", "p.name"])
    .orderBy("e.prf_year", "desc")
    .orderBy("p.name")
    .execute();
export const providerSiret = async (db: Q, providerId: string) =>
  (await db.selectFrom(providerRows().as("p")).select(["p.siret", "p.name"]).where("p.id", "=", providerId).executeTakeFirst()) ?? null;
export const providersForSelect = (db: Q) => db.selectFrom(providerRows().as("p")).select(["p.id", "p.name"]).orderBy("p.name").execute();

// ---- Sites of the applicant (offer domain's read model) ----

export const providerSites = (db: Q, providerId: string) =>
  db.selectFrom(siteRows().as("s")).select(["s.id", "s.name", "s.commune", "s.departement_code"]).where("s.provider_id", "=", providerId).orderBy("s.name").execute();

// ---- Applications ----

export const findApplication = (db: Q, id: string) => db.selectFrom("ami_application").selectAll().where("id", "=", id).executeTakeFirst();
export const lockApplication = (db: Q, id: string) => db.selectFrom("ami_application").selectAll().where("id", "=", id).forUpdate().executeTakeFirst();

/** AMI-ONE-PER-LOT: other open applications of the same organisation or network on the lot. */
export async function otherOpenOnLot(db: Q, networkKey: string, lotNumber: number, exceptId: string): Promise<number> {
  const r = await db
    .selectFrom("ami_application")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("network_key", "=", networkKey)
    .where("lot_number", "=", lotNumber)
    .where("id", "!=", exceptId)
    .where("status", "in", OPEN_STATUSES)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

const listColumns = ["a.id", "a.call_id", "a.provider_id", "a.status", "a.lot_number", "a.submitted_at", "a.valid_until", "a.network", "p.name as provider_name"] as const;

export const applicationsOfProvider = (db: Q, providerId: string) =>
  db.selectFrom("ami_application as a").innerJoin(providerRows().as("p"), "p.id", "a.provider_id").select(listColumns).where("a.provider_id", "=", providerId).orderBy("a.created_at", "desc").execute();
export const applicationsOfExpert = (db: Q, expertProviderId: string) =>
  db.selectFrom("ami_application as a").innerJoin(providerRows().as("p"), "p.id", "a.provider_id").select(listColumns).where("a.expert_provider_id", "=", expertProviderId).orderBy("a.created_at", "desc").execute();
export const allApplications = (db: Q) =>
  db.selectFrom("ami_application as a").innerJoin(providerRows().as("p"), "p.id", "a.provider_id").select(listColumns).where("a.status", "!=", "draft").orderBy("a.submitted_at", "desc").execute();
/** The call's submitted applications, for the Region's ranking (AMI-PRIORITY). */
export const applicationsOfCall = (db: Q, callId: string) =>
  db
    .selectFrom("ami_application as a")
    .innerJoin(providerRows().as("p"), "p.id", "a.provider_id")
    .selectAll("a")
    .select("p.name as provider_name")
    .where("a.call_id", "=", callId)
    .where("a.status", "!=", "draft")
    .execute();

// ---- Missions ----

export async function actionsOf(db: Q, applicationId: string) {
  const actions = await db.selectFrom("ami_action").selectAll().where("application_id", "=", applicationId).orderBy("phase").orderBy("position").execute();
  const commitments =
    actions.length === 0
      ? []
      : await db
          .selectFrom("ami_action_commitment")
          .selectAll()
          .where(
            "action_id",
            "in",
            actions.map((a) => a.id),
          )
          .orderBy("member_name")
          .execute();
  return actions.map((a) => ({ ...a, commitments: commitments.filter((c) => c.action_id === a.id) }));
}
export const progressOf = (db: Q, applicationId: string) =>
  db.selectFrom("ami_progress").selectAll().where("application_id", "=", applicationId).orderBy("on_date", "desc").orderBy("created_at", "desc").execute();
export const deliverablesOf = (db: Q, applicationId: string) =>
  db.selectFrom("ami_deliverable").selectAll().where("application_id", "=", applicationId).orderBy("created_at").execute();
export const findDeliverable = (db: Q, id: string) => db.selectFrom("ami_deliverable").selectAll().where("id", "=", id).executeTakeFirst();
