// Personal data held by documents (docs/privacy.md): the certificates issued for a trainee's paths
// (their content names the trainee) and the batch errors that named them. Erasure replaces the
// names; the certificate stays verifiable against the fingerprint of its pseudonymised content.
import { sql, type Kysely, type Transaction } from "kysely";
import type { DB } from "../../core/db/schema.ts";
import { ERASED_PERSON, patternsOf } from "../../core/personal-data.ts";
import { type CertificateContent, contentHash, contentIntact } from "./certificate.ts";

type Q = Kysely<DB> | Transaction<DB>;

/** The certificates of these paths, with their content as issued. */
export async function certificatesPersonalData(db: Q, pathIds: string[]) {
  if (!pathIds.length) return [];
  return db.selectFrom("certificate").select(["id", "path_id", "period_start", "period_end", "verification_code", "minutes as content", "content_hash", "issued_at"]).where("path_id", "in", pathIds).execute();
}

/** Pseudonymises the holder's names on these paths' certificates; scrubs the identifiers from batch errors. */
export async function eraseCertificates(tx: Transaction<DB>, pathIds: string[], pseudonym: { firstName: string; lastName: string }, on: string, identifiers: string[]): Promise<number> {
  let rows = 0;
  if (pathIds.length) {
    for (const c of await tx.selectFrom("certificate").select(["id", "minutes", "content_hash"]).where("path_id", "in", pathIds).execute()) {
      const content = (typeof c.minutes === "string" ? JSON.parse(c.minutes) : c.minutes) as CertificateContent;
      if (content.pseudonymised) continue;
      const intact = contentIntact(content, c.content_hash);
      const { pseudonymised: _, ...rest } = { ...content, trainee: pseudonym };
      // A certificate already altered stays reported as such: its fingerprint is not renewed.
      const next: CertificateContent = { ...rest, pseudonymised: { on, hash: intact ? contentHash(rest) : "altéré avant l'effacement" } };
      await tx.updateTable("certificate").set({ minutes: JSON.stringify(next) }).where("id", "=", c.id).execute();
      rows++;
    }
  }
  for (const id of identifiers) {
    const { pattern, like } = patternsOf(id);
    rows += Number((await tx.updateTable("document_batch").set({ error: sql`regexp_replace(error, ${pattern}, ${ERASED_PERSON}, 'gi')` }).where("error", "ilike", like).executeTakeFirst()).numUpdatedRows);
    rows += Number((await tx.updateTable("document_batch_item").set({ error: sql`regexp_replace(error, ${pattern}, ${ERASED_PERSON}, 'gi')` }).where("error", "ilike", like).executeTakeFirst()).numUpdatedRows);
  }
  return rows;
}
