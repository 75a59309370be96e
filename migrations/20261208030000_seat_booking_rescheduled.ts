import { type Kysely, sql } from "kysely";

// CP-EFORM-CHECKPOINT-15D × CP-EFORM-SITES: when the Region postpones a session, its seat bookings
// follow their slots to the new dates; one that cannot (PC or trainee taken at the new time) is
// cancelled with the reason 'rescheduled' so the provider books again.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
alter table seat_booking drop constraint if exists seat_booking_cancel_reason_check;
alter table seat_booking add constraint seat_booking_cancel_reason_check check (cancel_reason in ('home','no_show_day','staff','rescheduled'));
`.execute(db);
}
