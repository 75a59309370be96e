// Use cases of the internships domain (other domains call these): company network, periods and
// their agreement, the trainee's follow-up. Queries for the pages and the API are here too.
import type { Kysely } from "kysely";
import { type Actor, isProviderStaff, PROVIDER_ROLES, requireVisible } from "../../core/auth/actor.ts";
import { accountRows } from "../../core/auth/accounts.ts";
import type { Db } from "../../core/db/index.ts";
import type { DB } from "../../core/db/schema.ts";
import { notFound } from "../../core/errors.ts";
import { pathRows } from "../paths/views.ts";
import { slotRows, slotTraineeRows } from "../schedule/views.ts";
import { attendanceRows } from "../attendance/views.ts";
import { missingSignatures } from "./rules.ts";
import * as store from "./store.ts";
import { linkContext } from "./periods.ts";

export * from "./network.ts";
export * from "./periods.ts";
export * from "./followup.ts";
export * from "./missing-visits.ts";

const WHAT = "Période en entreprise";
export type PeriodRowLike = NonNullable<Awaited<ReturnType<typeof store.periodRow>>>;

/** Everything a period's page shows: the agreement as drawn, its signatures, visits, reviews. */
export async function periodDetail(db: Db, actor: Actor, id: string) {
  const p = await store.periodRow(db, id);
  if (!p) throw notFound(WHAT);
  const path = (await store.pathFacts(db, p.path_id))!;
  const ownTrainee = actor.role === "trainee" && actor.traineeId === path.trainee_id;
  if (!ownTrainee) requireVisible(actor, p.provider_id, WHAT);
  return detailOf(db, p);
}

export async function detailOf(db: Kysely<DB>, p: NonNullable<Awaited<ReturnType<typeof store.periodRow>>>) {
  const content = await store.agreementContent(db, p);
  const signatures = await store.signaturesOf(db, p.id);
  const current = signatures.filter((s) => s.content_hash === p.agreement_hash);
  const company = await db.selectFrom("company").selectAll().where("id", "=", p.company_id).executeTakeFirstOrThrow();
  const tutor = await db.selectFrom("company_tutor").selectAll().where("id", "=", p.tutor_id).executeTakeFirstOrThrow();
  const path = (await store.pathFacts(db, p.path_id))!;
  return {
    period: p,
    path,
    company,
    tutor,
    content,
    signatures,
    current,
    missing: missingSignatures(p.agreement_hash, signatures),
    visits: await store.visitsOf(db, p.id),
    reviews: await store.reviewsOf(db, p.id),
  };
}

/** The periods of a path (staff of its provider, the Region, or the trainee). */
export async function periodsOfPath(db: Db, actor: Actor, pathId: string) {
  const path = await store.pathFacts(db, pathId);
  if (!path) throw notFound("Parcours");
  if (!(actor.role === "trainee" && actor.traineeId === path.trainee_id)) requireVisible(actor, path.provider_id, "Parcours");
  const rows = await db
    .selectFrom("company_period as p")
    .innerJoin("company as c", "c.id", "p.company_id")
    .select(["p.id", "p.status", "p.start_date", "p.end_date", "p.planned_minutes", "p.place", "p.agreement_hash", "p.agreement_sent_at", "c.name as company"])
    .where("p.path_id", "=", pathId)
    .orderBy("p.start_date")
    .execute();
  const out = [];
  for (const r of rows) out.push({ ...r, missing: missingSignatures(r.agreement_hash, await store.signaturesOf(db, r.id)) });
  return { path, periods: out };
}

/** Every period of the caller's provider (staff) or of every provider (Region). */
export async function listPeriods(db: Db, actor: Actor) {
  let q = db
    .selectFrom("company_period as p")
    .innerJoin("company as c", "c.id", "p.company_id")
    .select(["p.id", "p.status", "p.start_date", "p.end_date", "p.place", "p.path_id", "p.provider_id", "c.name as company"])
    .orderBy("p.start_date", "desc")
    .limit(300);
  if (actor.role !== "region_officer") {
    if (!isProviderStaff(actor) || !actor.providerId) return [];
    q = q.where("p.provider_id", "=", actor.providerId);
  }
  const rows = await q.execute();
  const names = new Map<string, string>();
  for (const r of rows) if (!names.has(r.path_id)) names.set(r.path_id, (await store.pathFacts(db, r.path_id))?.name ?? "");
  return rows.map((r) => ({ ...r, trainee: names.get(r.path_id) ?? "" }));
}

/** The trainee's own periods (« Mon parcours »). */
export async function myPeriods(db: Db, actor: Actor) {
  if (actor.role !== "trainee" || !actor.traineeId) return [];
  return db
    .selectFrom("company_period as p")
    .innerJoin("company as c", "c.id", "p.company_id")
    .select(["p.id", "p.status", "p.start_date", "p.end_date", "c.name as company"])
    .innerJoin(pathRows().as("pa"), "pa.id", "p.path_id")
    .where("pa.trainee_id", "=", actor.traineeId)
    .orderBy("p.start_date")
    .execute();
}

/** What a personal link opens: the period, and for the tutor the company slots to countersign. */
export async function linkPage(db: Db, now: Date, token: string) {
  const link = await linkContext(db, now, token);
  const p = (await store.periodRow(db, link.period_id))!;
  const detail = await detailOf(db, p);
  const slots =
    link.party === "tutor"
      ? await db
          .selectFrom(slotRows().as("s"))
          .innerJoin(slotTraineeRows().as("st"), "st.slot_id", "s.id")
          .leftJoin(attendanceRows().as("a"), (j) => j.onRef("a.slot_id", "=", "s.id").onRef("a.path_id", "=", "st.path_id"))
          .select(["s.id", "s.slot_date", "s.start_time", "s.end_time", "s.status", "s.starts_at", "a.status as attendance", "a.signed_at"])
          .where("st.path_id", "=", p.path_id)
          .where("s.modality", "=", "company")
          .where("s.slot_date", ">=", p.start_date)
          .where("s.slot_date", "<=", p.end_date)
          .orderBy("s.slot_date")
          .execute()
      : [];
  return { link, ...detail, slots };
}

/** Staff who may follow a period (the provider's accounts). */
export const staffOf = (db: Db, providerId: string) =>
  db.selectFrom(accountRows().as("u")).select(["u.id", "u.full_name"]).where("u.provider_id", "=", providerId).where("u.role", "in", PROVIDER_ROLES).where("u.active", "=", true).orderBy("u.full_name").execute();
