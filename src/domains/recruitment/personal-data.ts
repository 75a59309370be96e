// Personal data held by recruitment (docs/privacy.md): the candidate's identity, their candidacies
// (project, messages, assessment, the form or CV received), continuation slips and direct
// registrations. Export returns it with the files; erasure pseudonymises it, keeping statuses,
// dates and ids (the selection's history and the Region's statistics).
import { type Kysely, sql, type Transaction } from "kysely";
import { erasureRows } from "../../core/privacy.ts";
import { orderLineRows, orderRetentionOver, orderRows } from "../orders/views.ts";
import { sessionRows } from "../sessions/views.ts";
import { readFile } from "../../core/files.ts";
import type { DB } from "../../core/db/schema.ts";
import { ERASED_TEXT } from "../../core/personal-data.ts";

type Q = Kysely<DB> | Transaction<DB>;


/** The candidate's record, candidacies, slips, registrations and files; undefined when unknown. */
export async function candidatePersonalData(db: Q, candidateId: string) {
  const candidate = await db.selectFrom("candidate").selectAll().where("id", "=", candidateId).executeTakeFirst();
  if (!candidate) return undefined;
  const candidacies = await db.selectFrom("candidacy").selectAll().where("candidate_id", "=", candidateId).orderBy("created_at").execute();
  const ids = candidacies.map((c) => c.id);
  const files = [];
  for (const c of candidacies) {
    if (!c.attachment_id) continue;
    const f = await readFile(db, c.attachment_id);
    if (f) files.push({ candidacyId: c.id, filename: f.filename, contentType: f.content_type, sha256: f.sha256, base64: Buffer.from(f.bytes).toString("base64") });
  }
  return {
    candidate,
    candidacies,
    continuationSlips: ids.length ? await db.selectFrom("continuation_slip").selectAll().where("candidacy_id", "in", ids).execute() : [],
    directRegistrations: candidate.email
      ? await db.selectFrom("direct_registration").select(["id", "session_id", "email", "input", "created_at", "expires_at", "confirmed_at", "candidacy_id"]).where("email", "=", candidate.email).execute()
      : [],
    files,
  };
}

/** The candidates whose candidacy led to one of these paths (a trainee's earlier applications). */
export async function candidatesOfPaths(db: Q, pathIds: string[]): Promise<string[]> {
  if (!pathIds.length) return [];
  return [...new Set((await db.selectFrom("candidacy").select("candidate_id").where("path_id", "in", pathIds).execute()).map((r) => r.candidate_id))];
}

/** The sessions a candidate applied to (their orders decide the retention). */
export async function sessionIdsOfCandidate(db: Q, candidateId: string): Promise<string[]> {
  return (await db.selectFrom("candidacy").select("session_id").where("candidate_id", "=", candidateId).execute()).map((r) => r.session_id);
}

/** Candidates (every provider) whose name, e-mail or France Travail id contains `q`: the Region's search. */
export async function findCandidates(db: Q, q: string) {
  const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return db
    .selectFrom("candidate")
    .select(["id", "first_name", "last_name", "birth_date"])
    .where((eb) => eb.or([eb("first_name", "ilike", like), eb("last_name", "ilike", like), eb("email", "ilike", like), eb("france_travail_id", "ilike", like)]))
    .orderBy("last_name")
    .limit(50)
    .execute();
}

/**
 * Pseudonymises the candidate (caller's transaction): names, birth day, contact details and free
 * texts go; the received form or CV is detached (the caller deletes the file, core's); pending
 * direct registrations from their address are deleted. Returns the identifiers removed, the
 * files to delete and the addresses whose mail goes.
 */
export async function eraseCandidate(tx: Transaction<DB>, candidateId: string): Promise<{ identifiers: string[]; fileIds: string[]; emails: string[]; rows: number } | undefined> {
  const c = await tx.selectFrom("candidate").selectAll().where("id", "=", candidateId).forUpdate().executeTakeFirst();
  if (!c) return undefined;
  await tx
    .updateTable("candidate")
    .set({ first_name: "Personne", last_name: `effacée ${candidateId.slice(0, 8)}`, birth_date: `${c.birth_date.slice(0, 4)}-01-01`, email: null, phone: null, france_travail_id: null })
    .where("id", "=", candidateId)
    .execute();
  const candidacies = await tx.selectFrom("candidacy").select(["id", "attachment_id"]).where("candidate_id", "=", candidateId).execute();
  const ids = candidacies.map((r) => r.id);
  let rows = 1;
  if (ids.length) {
    rows += Number(
      (
        await tx
          .updateTable("candidacy")
          .set({ project: null, support_given: null, attachment_id: null, message_to_candidate: null, message_to_prescriber: null, continuation_justification: null, registration_help: null })
          .where("id", "in", ids)
          .executeTakeFirst()
      ).numUpdatedRows,
    );
    rows += Number((await tx.updateTable("continuation_slip").set({ from_action: null }).where("candidacy_id", "in", ids).executeTakeFirst()).numUpdatedRows);
    rows += Number((await tx.updateTable("continuation_slip").set({ answer_reason: ERASED_TEXT }).where("candidacy_id", "in", ids).where("answer_reason", "is not", null).executeTakeFirst()).numUpdatedRows);
    rows += Number((await tx.deleteFrom("direct_registration").where("candidacy_id", "in", ids).executeTakeFirst()).numDeletedRows);
  }
  if (c.email) rows += Number((await tx.deleteFrom("direct_registration").where("email", "=", c.email).executeTakeFirst()).numDeletedRows);
  const identifiers = [`${c.first_name} ${c.last_name}`, `${c.last_name} ${c.first_name}`, c.email, c.phone, c.france_travail_id].filter((s): s is string => !!s && s.trim().length >= 2);
  return { identifiers, fileIds: candidacies.flatMap((r) => (r.attachment_id ? [r.attachment_id] : [])), emails: c.email ? [c.email] : [], rows };
}

/** Candidates not yet erased whose every candidacy is on an order whose retention is over on `today`. */
export async function candidatesPastRetention(db: Q, today: string, years: number): Promise<string[]> {
  const rows = await db
    .selectFrom("candidate as c")
    .select("c.id")
    .where(({ exists, selectFrom }) => exists(selectFrom("candidacy as k").select("k.id").whereRef("k.candidate_id", "=", "c.id")))
    .where(({ exists, not, selectFrom }) =>
      not(
        exists(
          selectFrom("candidacy as k")
            .innerJoin(sessionRows().as("s"), "s.id", "k.session_id")
            .innerJoin(orderLineRows().as("ol"), "ol.id", "s.order_line_id")
            .innerJoin(orderRows().as("o"), "o.id", "ol.order_id")
            .select("k.id")
            .whereRef("k.candidate_id", "=", "c.id")
            .where(sql<boolean>`not (${orderRetentionOver(years, today)})`),
        ),
      ),
    )
    .where(({ exists, not, selectFrom }) => not(exists(selectFrom(erasureRows().as("e")).select("e.id").where("e.subject_kind", "=", "candidate").where(sql<boolean>`e.subject_id = c.id::text`))))
    .execute();
  return rows.map((r) => r.id);
}

/** Pending direct registrations past their confirmation deadline hold a stranger's data: deleted by the purge. */
export async function purgeExpiredRegistrations(db: Q, now: Date): Promise<number> {
  return Number((await db.deleteFrom("direct_registration").where("confirmed_at", "is", null).where("expires_at", "<", now).executeTakeFirst()).numDeletedRows);
}
