import type { Kysely, Selectable } from "kysely";
import type { DB } from "../db/schema.ts";
import { newId } from "../time.ts";

/** A message to one person. `entity`/`entityId` tie it to a record (e.g. "candidacy", its id) for "messages sent" lists. */
export interface NotificationInput {
  to: string;
  userId?: string | null;
  subject: string;
  body: string;
  entity?: string;
  entityId?: string;
}

export interface NotificationRow {
  id: string;
  recipientEmail: string;
  recipientUserId: string | null;
  subject: string;
  body: string;
  entity: string | null;
  entityId: string | null;
  status: "pending" | "sent" | "failed";
  attempts: number;
  lastError: string | null;
  sentAt: Date | null;
  createdAt: Date;
}

/**
 * Stores a pending notification in the caller's transaction: it is sent by the mail sender only
 * after that transaction commits (a rollback leaves nothing to send). Returns the notification id.
 */
export async function notify(tx: Kysely<DB>, n: NotificationInput): Promise<string> {
  const id = newId();
  await tx
    .insertInto("notification")
    .values({
      id,
      recipient_email: n.to.trim(),
      recipient_user_id: n.userId ?? null,
      subject: n.subject,
      body_text: n.body,
      entity: n.entity ?? null,
      entity_id: n.entityId ?? null,
    })
    .execute();
  return id;
}

const columns = [
  "id",
  "recipient_email",
  "recipient_user_id",
  "subject",
  "body_text",
  "entity",
  "entity_id",
  "status",
  "attempts",
  "last_error",
  "sent_at",
  "created_at",
] as const;

type Raw = Pick<Selectable<DB["notification"]>, (typeof columns)[number]>;

function toRow(r: Raw): NotificationRow {
  return {
    id: r.id,
    recipientEmail: r.recipient_email,
    recipientUserId: r.recipient_user_id,
    subject: r.subject,
    body: r.body_text,
    entity: r.entity,
    entityId: r.entity_id,
    status: r.status,
    attempts: r.attempts,
    lastError: r.last_error,
    sentAt: r.sent_at,
    createdAt: r.created_at,
  };
}

/** Every message written about one record, oldest first (the "messages sent" list of a page). */
export async function notificationsFor(db: Kysely<DB>, entity: string, entityId: string): Promise<NotificationRow[]> {
  const rows = await db
    .selectFrom("notification")
    .select(columns)
    .where("entity", "=", entity)
    .where("entity_id", "=", entityId)
    .orderBy("created_at")
    .orderBy("id")
    .execute();
  return rows.map((r) => toRow(r));
}

/** The mailbox page (dev/demo): the latest notifications addressed to one person, newest first. */
export async function latestNotificationsTo(db: Kysely<DB>, to: { userId: string; email: string }, limit = 200): Promise<NotificationRow[]> {
  const rows = await db
    .selectFrom("notification")
    .select(columns)
    .where((eb) => eb.or([eb("recipient_user_id", "=", to.userId), eb(eb.fn("lower", ["recipient_email"]), "=", to.email.toLowerCase())]))
    .orderBy("created_at", "desc")
    .orderBy("id")
    .limit(limit)
    .execute();
  return rows.map((r) => toRow(r));
}
