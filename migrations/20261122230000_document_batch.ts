import { type Kysely, sql } from "kysely";

// Batches of certificates of completion for an order (CP-CERTIFICATE-OF-COMPLETION): the page polls
// `done` / `total` while the batch runs.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create table document_batch (
  id uuid primary key,
  provider_id uuid not null references provider(id),
  order_id uuid not null references "order"(id),
  kind text not null check (kind in ('certificates')),
  period_start date not null,
  period_end date not null check (period_end >= period_start),
  total int not null check (total >= 0),
  done int not null default 0 check (done >= 0 and done <= total),
  status text not null default 'running' check (status in ('running','done','failed')),
  error text,
  certificate_ids uuid[] not null default '{}',
  created_by uuid references app_user(id),
  created_at timestamptz not null default now(),
  finished_at timestamptz
);
create index document_batch_provider on document_batch(provider_id, created_at desc);
create index certificate_path on certificate(path_id);
`.execute(db);
}

export async function down(): Promise<void> {}
