import { type Kysely, sql } from "kysely";

// Certificate batches survive a crash or a restart (CP-CERTIFICATE-OF-COMPLETION).
// - A runner holds a lease on its batch (claimed_by, claimed_until), renewed after every path; a
//   running batch whose lease has run out is claimed again by the background loop of any process.
// - One item per path of the batch: its certificate once issued, or the error that stopped it. The
//   item is locked while its certificate is issued, so a path gets at most one certificate per batch
//   even when a runner thought dead is still working.
// - attempts counts the claims since the last progress: a batch that keeps killing its runner ends
//   as failed instead of being taken up forever.
// Batches still running here were run in-process by a version without items: nothing can finish
// them, they end as failed (the certificates they issued stay valid).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
alter table document_batch
  add column claimed_by uuid,
  add column claimed_until timestamptz,
  add column attempts int not null default 0,
  add column failed int not null default 0 check (failed >= 0),
  add constraint document_batch_progress check (done + failed <= total);

create table document_batch_item (
  batch_id uuid not null references document_batch(id),
  path_id uuid not null references path(id),
  certificate_id uuid unique references certificate(id),
  error text,
  primary key (batch_id, path_id),
  check (certificate_id is null or error is null)
);

create index document_batch_running on document_batch(created_at) where status = 'running';

update document_batch
   set status = 'failed',
       error = 'Lot interrompu par un arrêt du serveur avant la reprise automatique des lots : relancez-le pour émettre les certificats manquants.',
       finished_at = now()
 where status = 'running';
`.execute(db);
}

export async function down(): Promise<void> {}
