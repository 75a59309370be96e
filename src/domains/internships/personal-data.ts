// Personal data held by company periods and the follow-up (docs/privacy.md): a trainee's periods
// and their agreement, visits and reviews, the referent's meetings, drop-out alerts, shared company
// lists, welcome deliveries, social cover and work incidents. Export returns them; erasure removes
// what names or describes the person and keeps dates, hours and statuses (the company hours billed
// and the agreement's fingerprint stay verifiable).
import type { Kysely, Transaction } from "kysely";
import type { DB } from "../../core/db/schema.ts";
import { ERASED_PERSON, ERASED_TEXT, scrubColumns } from "../../core/personal-data.ts";

type Q = Kysely<DB> | Transaction<DB>;

async function periodIdsOf(db: Q, pathIds: string[]): Promise<string[]> {
  if (!pathIds.length) return [];
  return (await db.selectFrom("company_period").select("id").where("path_id", "in", pathIds).execute()).map((r) => r.id);
}

export async function internshipsPersonalData(db: Q, traineeId: string, pathIds: string[]) {
  const periodIds = await periodIdsOf(db, pathIds);
  const ofPeriods = async <T>(read: (ids: string[]) => Promise<T[]>) => (periodIds.length ? read(periodIds) : []);
  return {
    companyPeriods: pathIds.length ? await db.selectFrom("company_period").selectAll().where("path_id", "in", pathIds).orderBy("start_date").execute() : [],
    agreementSignatures: await ofPeriods((ids) => db.selectFrom("agreement_signature").select(["period_id", "party", "version", "signer_name", "method", "signed_at"]).where("period_id", "in", ids).execute()),
    visits: await ofPeriods((ids) => db.selectFrom("company_visit").selectAll().where("period_id", "in", ids).execute()),
    reviews: await ofPeriods((ids) => db.selectFrom("internship_review").selectAll().where("period_id", "in", ids).execute()),
    followUpMeetings: await db.selectFrom("followup_entry").selectAll().where("trainee_id", "=", traineeId).orderBy("met_on").execute(),
    dropoutAlerts: await db.selectFrom("dropout_alert").selectAll().where("trainee_id", "=", traineeId).orderBy("raised_at").execute(),
    sharedCompanyLists: await db.selectFrom("company_share").select(["company_ids", "note", "created_at"]).where("trainee_id", "=", traineeId).execute(),
    welcomeDeliveries: pathIds.length ? await db.selectFrom("welcome_delivery").selectAll().where("path_id", "in", pathIds).execute() : [],
    socialCover: (await db.selectFrom("trainee_social_cover").selectAll().where("trainee_id", "=", traineeId).executeTakeFirst()) ?? null,
    workIncidents: await db.selectFrom("work_incident").selectAll().where("trainee_id", "=", traineeId).orderBy("occurred_on").execute(),
  };
}

/**
 * Erases the trainee's part (caller's transaction): their name on the agreement and their review,
 * their signing links, the referent's notes, alert details, incident descriptions; the person's
 * identifiers wherever a visit or review text names them. Returns the rows rewritten.
 */
export async function eraseInternships(tx: Transaction<DB>, traineeId: string, pathIds: string[], identifiers: string[]): Promise<number> {
  const periodIds = await periodIdsOf(tx, pathIds);
  const n = (r: { numUpdatedRows?: bigint; numDeletedRows?: bigint }) => Number(r.numUpdatedRows ?? r.numDeletedRows ?? 0);
  let rows = 0;
  if (periodIds.length) {
    rows += n(await tx.updateTable("agreement_signature").set({ signer_name: ERASED_PERSON }).where("period_id", "in", periodIds).where("party", "=", "trainee").executeTakeFirst());
    rows += n(await tx.updateTable("internship_review").set({ author_name: ERASED_PERSON }).where("period_id", "in", periodIds).where("party", "=", "trainee").executeTakeFirst());
    rows += n(await tx.deleteFrom("internship_link").where("period_id", "in", periodIds).where("party", "=", "trainee").executeTakeFirst());
    rows += await scrubColumns(tx, "company_visit", ["met", "observations"], identifiers, { column: "period_id", ids: periodIds });
    rows += await scrubColumns(tx, "internship_review", ["activities", "skills", "progress", "appreciation"], identifiers, { column: "period_id", ids: periodIds });
    rows += await scrubColumns(tx, "company_period", ["precontact_notes", "visit_waiver_reason", "centre_contact"], identifiers, { column: "id", ids: periodIds });
  }
  rows += n(await tx.updateTable("followup_entry").set({ notes: ERASED_TEXT, resources: ERASED_TEXT, barriers: [] }).where("trainee_id", "=", traineeId).executeTakeFirst());
  rows += n(await tx.updateTable("dropout_alert").set({ details: ERASED_TEXT, prescriber_email: null }).where("trainee_id", "=", traineeId).executeTakeFirst());
  rows += n(await tx.updateTable("company_share").set({ note: null }).where("trainee_id", "=", traineeId).executeTakeFirst());
  rows += n(await tx.updateTable("work_incident").set({ description: ERASED_TEXT, sent_to: null }).where("trainee_id", "=", traineeId).executeTakeFirst());
  return rows;
}
