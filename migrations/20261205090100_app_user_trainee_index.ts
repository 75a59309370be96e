import { type Kysely, sql } from "kysely";

// A deactivated trainee's phones stop signing (issue 9, point 5): the device lookup asks whether the
// trainee has a deactivated account, on every signature — by this index, not a scan of accounts.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index app_user_trainee on app_user(trainee_id) where trainee_id is not null;`.execute(db);
}
