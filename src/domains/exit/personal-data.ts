// Personal data held by exit and evaluation (docs/privacy.md): the exit and its reason, the
// situations at exit, 3 and 6 months, exam registrations and results, catch-up, mock exams and their
// corrected copies, soft-skill observations and badges. Export returns them; erasure removes what
// describes the person, revokes their badges (the status list keeps saying so) and keeps results,
// dates and situations, which the Region's rates are computed from.
import { type Kysely, sql, type Transaction } from "kysely";
import type { DB } from "../../core/db/schema.ts";
import { ERASED_PERSON, ERASED_TEXT, patternsOf, scrubColumns } from "../../core/personal-data.ts";

type Q = Kysely<DB> | Transaction<DB>;

export async function exitPersonalData(db: Q, pathIds: string[]) {
  if (!pathIds.length) return { exits: [], followUps: [], exams: [], catchups: [], mockExams: [], softSkills: [], badges: [] };
  return {
    exits: await db.selectFrom("path_exit").selectAll().where("path_id", "in", pathIds).execute(),
    followUps: await db.selectFrom("follow_up").selectAll().where("path_id", "in", pathIds).orderBy("recorded_at").execute(),
    exams: await db.selectFrom("exam_registration").selectAll().where("path_id", "in", pathIds).orderBy("session_on").execute(),
    catchups: await db.selectFrom("catchup").selectAll().where("path_id", "in", pathIds).execute(),
    mockExams: await db.selectFrom("mock_exam").selectAll().where("path_id", "in", pathIds).orderBy("taken_on").execute(),
    softSkills: await db.selectFrom("soft_skill_step").selectAll().where("path_id", "in", pathIds).orderBy("recorded_at").execute(),
    badges: await db.selectFrom("badge").select(["id", "soft_skill_id", "issued_at", "revoked_at", "revoked_reason", "jwt"]).where("path_id", "in", pathIds).execute(),
  };
}

/**
 * Erases the exit part of these paths (caller's transaction). Returns the rows rewritten and the
 * corrected copies to delete (files are core's).
 */
export async function eraseExit(tx: Transaction<DB>, pathIds: string[], identifiers: string[], now: Date): Promise<{ rows: number; fileIds: string[] }> {
  if (!pathIds.length) return { rows: 0, fileIds: [] };
  const n = (r: { numUpdatedRows: bigint }) => Number(r.numUpdatedRows);
  let rows = 0;
  rows += n(await tx.updateTable("path_exit").set({ email: "efface@invalid.invalid", action_plan: ERASED_TEXT }).where("path_id", "in", pathIds).executeTakeFirst());
  rows += n(await tx.updateTable("path_exit").set({ cause: ERASED_TEXT }).where("path_id", "in", pathIds).where("cause", "is not", null).executeTakeFirst());
  rows += n(await tx.updateTable("follow_up").set({ note: ERASED_TEXT }).where("path_id", "in", pathIds).where("note", "<>", "").executeTakeFirst());
  rows += n(await tx.updateTable("exam_registration").set({ second_session_help: ERASED_TEXT }).where("path_id", "in", pathIds).where("second_session_help", "is not", null).executeTakeFirst());
  rows += n(await tx.updateTable("soft_skill_step").set({ observation: ERASED_TEXT }).where("path_id", "in", pathIds).executeTakeFirst());
  rows += await scrubColumns(tx, "catchup", ["content"], identifiers, { column: "path_id", ids: pathIds });
  const copies = await tx.selectFrom("mock_exam").select("corrected_copy_id").where("path_id", "in", pathIds).where("corrected_copy_id", "is not", null).execute();
  rows += n(await tx.updateTable("mock_exam").set({ comment: ERASED_TEXT, corrected_copy_id: null }).where("path_id", "in", pathIds).executeTakeFirst());
  // A badge names its holder: revoked (a copy kept elsewhere verifies as revoked), its credential
  // no longer served, the name scrubbed from the stored copy.
  rows += n(await tx.updateTable("badge").set({ revoked_at: now, revoked_reason: "Données personnelles effacées" }).where("path_id", "in", pathIds).where("revoked_at", "is", null).executeTakeFirst());
  rows += n(await tx.updateTable("badge").set({ jwt: "" }).where("path_id", "in", pathIds).executeTakeFirst());
  for (const id of identifiers) {
    const { pattern, like } = patternsOf(id);
    rows += n(
      await tx
        .updateTable("badge")
        .set({ credential: sql`regexp_replace(credential::text, ${pattern}, ${ERASED_PERSON}, 'gi')::jsonb` })
        .where("path_id", "in", pathIds)
        .where(sql<boolean>`credential::text ilike ${like}`)
        .executeTakeFirst(),
    );
  }
  return { rows, fileIds: copies.flatMap((c) => (c.corrected_copy_id ? [c.corrected_copy_id] : [])) };
}
