// Personal data held by the schedule (docs/privacy.md): a trainee's planned slots and the token of
// their calendar feed. Erasure deletes the feed's token; the slots they were planned on stay (the
// group's history, without anything naming them).
import type { Kysely, Transaction } from "kysely";
import type { DB } from "../../core/db/schema.ts";

type Q = Kysely<DB> | Transaction<DB>;

export async function schedulePersonalData(db: Q, traineeId: string, pathIds: string[]) {
  return {
    plannedSlots: pathIds.length
      ? await db
          .selectFrom("slot_trainee as st")
          .innerJoin("slot as s", "s.id", "st.slot_id")
          .select(["st.path_id", "s.id as slot_id", "s.slot_date", "s.start_time", "s.end_time", "s.modality", "s.status"])
          .where("st.path_id", "in", pathIds)
          .orderBy("s.starts_at")
          .execute()
      : [],
    calendarFeed: (await db.selectFrom("trainee_calendar_token").select("created_at").where("trainee_id", "=", traineeId).executeTakeFirst()) ?? null,
  };
}

export async function eraseSchedule(tx: Transaction<DB>, traineeId: string): Promise<number> {
  return Number((await tx.deleteFrom("trainee_calendar_token").where("trainee_id", "=", traineeId).executeTakeFirst()).numDeletedRows);
}
