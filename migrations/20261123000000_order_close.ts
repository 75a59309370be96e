import { type Kysely, sql } from "kysely";

// Closing an order (the Region): when and by whom, and the compliance warnings raised at close
// (CP-SELFSTUDY-MAX-20 second sentence / CP-EFORM-SELFSTUDY-MAX-50: realised self-study above its
// share of realised centre hours), kept with the order so they stay visible afterwards.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
alter table "order"
  add column closed_at timestamptz,
  add column closed_by uuid references app_user(id),
  add column close_findings jsonb not null default '[]',
  add constraint order_closed_when check ((status = 'closed') = (closed_at is not null));
`.execute(db);
}

export async function down(): Promise<void> {
  // Forward-only migrations (ARCHITECTURE.md).
}
