import { type Kysely, sql } from "kysely";

// Attendance signed in time (issue 9, point 8): a phone's claimed signing time is bounded by the QR
// code's issue and by the server's receipt, and both are stored beside it.
// - received_at: when the server wrote the row's proof (the evidence entry's `at`); earlier rows take
//   their last attendance entry's instant, else their signing time, else their creation. Every write
//   of the platform sets it from the injected clock; the default only serves raw SQL (bench, imports).
// The bounds themselves depend on settings (tolerated clock drift, queue delay): they are judged by
// the rule (attendance/rules.ts queuedSignatureTime), not by a CHECK that would turn a setting into a 500.
// - code_issued_at: the issue instant of the QR code a phone signature was made with (null otherwise).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
alter table attendance add column received_at timestamptz, add column code_issued_at timestamptz;

update attendance a set received_at = coalesce(
  (select max(e.at) from evidence e where e.slot_id = a.slot_id and e.path_id = a.path_id),
  a.signed_at, a.created_at);

alter table attendance alter column received_at set not null, alter column received_at set default now();
`.execute(db);
}
