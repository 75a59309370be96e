// Idempotency keys held by the core table (a phone or a double click retries a command): the first
// call claims the key inside the command's transaction, a retry reads the stored answer back.
import type { Kysely } from "kysely";
import type { DB } from "./schema.ts";

/** Claims `key` for `userId`; returns null when claimed now, or the answer stored by the first call. */
export async function claimIdempotencyKey<T>(tx: Kysely<DB>, key: string, userId: string): Promise<T | null> {
  const fresh = await tx.insertInto("idempotency_key").values({ key, user_id: userId, response: "{}" }).onConflict((oc) => oc.doNothing()).returning("key").executeTakeFirst();
  if (fresh) return null;
  const done = await tx.selectFrom("idempotency_key").select("response").where("key", "=", key).executeTakeFirstOrThrow();
  return (typeof done.response === "string" ? JSON.parse(done.response) : done.response) as T;
}

/** Stores the answer a retry of `key` gets. */
export async function storeIdempotentAnswer(tx: Kysely<DB>, key: string, answer: unknown): Promise<void> {
  await tx.updateTable("idempotency_key").set({ response: JSON.stringify(answer) }).where("key", "=", key).execute();
}
