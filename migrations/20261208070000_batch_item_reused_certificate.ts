import { type Kysely, sql } from "kysely";

// A certificate batch reuses the certificate a path already has for the same period ("reuse"): a second
// batch over a period an earlier batch covered must be able to list the same certificate. One certificate
// per (batch, path) still holds (the item's primary key); a certificate appears at most once per batch.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
alter table document_batch_item drop constraint document_batch_item_certificate_id_key;
alter table document_batch_item add constraint document_batch_item_batch_certificate unique (batch_id, certificate_id);
create index document_batch_item_certificate on document_batch_item(certificate_id);
`.execute(db);
}
