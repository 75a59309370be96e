// Queries of the internships domain's own tables; other domains' data through their read models.
import type { Kysely } from "kysely";
import { accountRows } from "../../core/auth/accounts.ts";
import type { DB } from "../../core/db/schema.ts";
import { pathItemRows, pathRows, traineeRows } from "../paths/views.ts";
import { providerRows } from "../region/views.ts";
import type { AgreementContent, Party } from "./rules.ts";

type Q = Kysely<DB>;

import { freshLink } from "../../core/signing-links.ts";
export { newToken, sha256 } from "../../core/signing-links.ts";

export const periodRow = (q: Q, id: string) => q.selectFrom("company_period").selectAll().where("id", "=", id).executeTakeFirst();
export const lockPeriod = (q: Q, id: string) => q.selectFrom("company_period").selectAll().where("id", "=", id).forUpdate().executeTakeFirst();

/** The path a period belongs to, with its trainee and its planned company minutes. */
export async function pathFacts(q: Q, pathId: string) {
  const p = await q
    .selectFrom(pathRows().as("p"))
    .innerJoin(traineeRows().as("t"), "t.id", "p.trainee_id")
    .select(["p.id", "p.provider_id", "p.status", "p.trainee_id", "p.entry_date", "p.planned_exit_date", "t.first_name", "t.last_name", "t.email", "t.pedagogical_referent_id"])
    .where("p.id", "=", pathId)
    .executeTakeFirst();
  if (!p) return undefined;
  const items = await q.selectFrom(pathItemRows().as("i")).select(["i.planned_minutes", "i.exempted"]).where("i.path_id", "=", pathId).where("i.modality", "=", "company").execute();
  const plannedCompany = items.filter((i) => !i.exempted).reduce((n, i) => n + i.planned_minutes, 0);
  return { ...p, name: `${p.first_name} ${p.last_name}`, plannedCompany };
}

/** Minutes of the path's other live periods (cancelled ones do not count). */
export async function otherPeriodMinutes(q: Q, pathId: string, exceptId?: string): Promise<number[]> {
  let query = q.selectFrom("company_period").select("planned_minutes").where("path_id", "=", pathId).where("status", "!=", "cancelled");
  if (exceptId) query = query.where("id", "!=", exceptId);
  return (await query.execute()).map((r) => r.planned_minutes);
}

type PeriodRow = NonNullable<Awaited<ReturnType<typeof periodRow>>>;

/** The agreement's content, drawn from the period, the path, the company, the tutor and the provider. */
export async function agreementContent(q: Q, p: Omit<PeriodRow, "agreement_hash" | "agreement_sent_at" | "created_at" | "updated_at" | "status" | "visit_waiver_reason" | "visit_waiver_by" | "visit_waiver_at" | "civil_liability_attachment_id" | "social_cover_attachment_id" | "created_by">): Promise<AgreementContent> {
  const provider = await q.selectFrom(providerRows().as("pr")).select(["pr.name", "pr.siret"]).where("pr.id", "=", p.provider_id).executeTakeFirstOrThrow();
  const path = await pathFacts(q, p.path_id);
  const company = await q.selectFrom("company").select(["name", "siret", "address", "postcode", "commune"]).where("id", "=", p.company_id).executeTakeFirstOrThrow();
  const tutor = await q.selectFrom("company_tutor").select(["full_name", "job_title"]).where("id", "=", p.tutor_id).executeTakeFirstOrThrow();
  const trainer = p.follow_up_trainer_id ? await q.selectFrom(accountRows().as("u")).select("u.full_name").where("u.id", "=", p.follow_up_trainer_id).executeTakeFirst() : undefined;
  return {
    version: p.agreement_version,
    provider: { name: provider.name, siret: provider.siret },
    trainee: { name: path?.name ?? "" },
    company: { name: company.name, siret: company.siret, address: [company.address, company.postcode, company.commune].filter(Boolean).join(" ") },
    tutor: { name: tutor.full_name, jobTitle: tutor.job_title },
    followUpTrainer: trainer?.full_name ?? null,
    nature: p.nature,
    objectives: p.objectives,
    pedagogicalObjectives: p.pedagogical_objectives,
    positionHeld: p.position_held,
    place: p.place,
    country: p.country,
    workAddress: p.work_address,
    startDate: p.start_date,
    endDate: p.end_date,
    plannedMinutes: p.planned_minutes,
    weeklyMinutes: p.weekly_minutes,
    timetable: p.timetable,
    followUpModalities: p.follow_up_modalities,
    outsideOpening: p.outside_opening,
    centreContact: p.centre_contact,
  };
}

export const signaturesOf = (q: Q, periodId: string) =>
  q.selectFrom("agreement_signature").selectAll().where("period_id", "=", periodId).orderBy("signed_at").execute();

export const visitsOf = (q: Q, periodId: string) => q.selectFrom("company_visit").selectAll().where("period_id", "=", periodId).orderBy("created_at").execute();
export const reviewsOf = (q: Q, periodId: string) => q.selectFrom("internship_review").selectAll().where("period_id", "=", periodId).orderBy("submitted_at").execute();

/** The live link of a party (by its token hash), expired or not. */
export const linkByHash = (q: Q, tokenHash: string) => q.selectFrom("internship_link").selectAll().where("token_hash", "=", tokenHash).executeTakeFirst();

/** Revokes the party's links and stores a new one; returns the token (shown or mailed once). */
export async function issueLink(q: Q, periodId: string, party: Exclude<Party, "provider">, now: Date, days: number, id: string) {
  await q.updateTable("internship_link").set({ revoked_at: now }).where("period_id", "=", periodId).where("party", "=", party).where("revoked_at", "is", null).execute();
  const { token, tokenHash, expiresAt } = freshLink(now, days);
  await q.insertInto("internship_link").values({ id, period_id: periodId, party, token_hash: tokenHash, expires_at: expiresAt }).execute();
  return { token, expiresAt };
}
