import { type Kysely, sql } from "kysely";

// The LHEO feed (issue 16, point 5; docs/performance.md « Growth bench ») reads the current sessions a
// few order lines at a time, by line, start date and id: this index serves that order, and replaces
// the index on order_line_id alone (its prefix).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create index session_line_start on session(order_line_id, start_date, id);
drop index session_order_line;
`.execute(db);
}

export async function down(): Promise<void> {}
