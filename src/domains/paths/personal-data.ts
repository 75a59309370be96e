// Personal data held by the paths domain (docs/privacy.md): the trainee's identity, their paths,
// positioning, planned items, adjustments and deposits. Export returns it as stored; erasure
// pseudonymises the trainee and the free texts about them, keeping every number, date and id the
// order's consumption, billing and attendance evidence rest on.
import { type Kysely, sql, type Transaction } from "kysely";
import type { DB } from "../../core/db/schema.ts";
import { ERASED_TEXT } from "../../core/personal-data.ts";
import { erasureRows } from "../../core/privacy.ts";
import { orderRetentionOver, orderRows } from "../orders/views.ts";

type Q = Kysely<DB> | Transaction<DB>;

/** The text left where erased free text was. */

/** The trainee's record and everything this domain stores about them; undefined when unknown. */
export async function traineePersonalData(db: Q, traineeId: string) {
  const trainee = await db.selectFrom("trainee").selectAll().where("id", "=", traineeId).executeTakeFirst();
  if (!trainee) return undefined;
  const paths = await db.selectFrom("path").selectAll().where("trainee_id", "=", traineeId).orderBy("entry_date").execute();
  const ids = paths.map((p) => p.id);
  const none = ids.length === 0;
  return {
    trainee,
    paths,
    positioning: none ? [] : await db.selectFrom("positioning").selectAll().where("path_id", "in", ids).execute(),
    pathItems: none ? [] : await db.selectFrom("path_item").selectAll().where("path_id", "in", ids).orderBy("path_id").orderBy("position").execute(),
    adjustments: none ? [] : await db.selectFrom("path_adjustment").selectAll().where("path_id", "in", ids).orderBy("adjusted_at").execute(),
    deposits: none ? [] : await db.selectFrom("deposit").selectAll().where("path_id", "in", ids).execute(),
  };
}

/** The trainee's paths (their ids key the other domains' personal data: attendance, certificates…). */
export async function pathIdsOfTrainee(db: Q, traineeId: string): Promise<string[]> {
  return (await db.selectFrom("path").select("id").where("trainee_id", "=", traineeId).execute()).map((r) => r.id);
}

/** Trainees whose name, e-mail or France Travail id contains `q` (the Region's search, every provider). */
export async function findTrainees(db: Q, q: string) {
  const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return db
    .selectFrom("trainee")
    .select(["id", "first_name", "last_name", "birth_date", "provider_id"])
    .where((eb) => eb.or([eb("first_name", "ilike", like), eb("last_name", "ilike", like), eb("email", "ilike", like), eb("france_travail_id", "ilike", like)]))
    .orderBy("last_name")
    .limit(50)
    .execute();
}

/** What identifies the trainee in free text elsewhere (mails, history): erased wherever it appears. */
export const identifiersOf = (p: { first_name: string; last_name: string; email: string | null; phone: string | null; france_travail_id: string | null }) =>
  [`${p.first_name} ${p.last_name}`, `${p.last_name} ${p.first_name}`, p.email, p.phone, p.france_travail_id, p.last_name, p.first_name].filter((s): s is string => !!s && s.trim().length >= 2);

/**
 * Pseudonymises the trainee (in the caller's transaction): the names become « Personne effacée »
 * and a short reference, the birth date its year's first day (age rules and statistics keep their
 * year), contact details and identifiers go; positioning texts, exemption and adjustment reasons
 * become « [effacé] ». Minutes, dates, statuses and ids stay: the order's consumption, billing and
 * the attendance evidence are unchanged. Returns the identifiers it removed (to scrub elsewhere).
 */
export async function eraseTrainee(tx: Transaction<DB>, traineeId: string): Promise<{ identifiers: string[]; pathIds: string[]; rows: number } | undefined> {
  const t = await tx.selectFrom("trainee").selectAll().where("id", "=", traineeId).forUpdate().executeTakeFirst();
  if (!t) return undefined;
  const pathIds = await pathIdsOfTrainee(tx, traineeId);
  await tx
    .updateTable("trainee")
    .set({ first_name: "Personne", last_name: `effacée ${traineeId.slice(0, 8)}`, birth_date: `${t.birth_date.slice(0, 4)}-01-01`, email: null, phone: null, france_travail_id: null, cv_updated_on: null })
    .where("id", "=", traineeId)
    .execute();
  let rows = 1;
  if (pathIds.length) {
    const n = (r: { numUpdatedRows: bigint }) => Number(r.numUpdatedRows);
    rows += n(
      await tx
        .updateTable("positioning")
        .set({ evaluations: ERASED_TEXT, prior_learning: null, competences: null, recommended_exemptions: null, recommended_methods: null })
        .where("path_id", "in", pathIds)
        .executeTakeFirst(),
    );
    rows += n(await tx.updateTable("path_item").set({ exemption_reason: ERASED_TEXT }).where("path_id", "in", pathIds).where("exemption_reason", "is not", null).executeTakeFirst());
    rows += n(await tx.updateTable("path_adjustment").set({ reason: ERASED_TEXT }).where("path_id", "in", pathIds).executeTakeFirst());
    rows += n(await tx.updateTable("deposit").set({ kept_reason: ERASED_TEXT }).where("path_id", "in", pathIds).where("kept_reason", "is not", null).executeTakeFirst());
  }
  return { identifiers: identifiersOf(t), pathIds, rows };
}

/**
 * Trainees not yet erased whose every path belongs to an order closed more than `years` years
 * before `today` (Paris dates): the day the retention ends is still kept, the next one is not.
 */
export async function traineesPastRetention(db: Q, today: string, years: number): Promise<string[]> {
  const rows = await db
    .selectFrom("trainee as t")
    .select("t.id")
    .where(({ exists, selectFrom }) => exists(selectFrom("path as p").select("p.id").whereRef("p.trainee_id", "=", "t.id")))
    .where(({ exists, not, selectFrom }) =>
      not(
        exists(
          selectFrom("path as p")
            .innerJoin(orderRows().as("o"), "o.id", "p.order_id")
            .select("p.id")
            .whereRef("p.trainee_id", "=", "t.id")
            .where(sql<boolean>`not (${orderRetentionOver(years, today)})`),
        ),
      ),
    )
    .where(({ exists, not, selectFrom }) => not(exists(selectFrom(erasureRows().as("e")).select("e.id").where("e.subject_kind", "=", "trainee").where(sql<boolean>`e.subject_id = t.id::text`))))
    .execute();
  return rows.map((r) => r.id);
}

