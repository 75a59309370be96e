// Sends pending notifications over SMTP after the transaction that wrote them has committed.
import nodemailer, { type Transporter } from "nodemailer";
import type { Db } from "../db/index.ts";
import { backoffMs, consoleLog, type JobLog } from "../jobs/backoff.ts";
import type { Clock } from "../time.ts";

/** What the sender needs from a nodemailer transport (a real one in production and in tests). */
export type MailTransport = Pick<Transporter, "sendMail">;

/** smtp://host:port (or smtps://user:pass@host:port); short timeouts so a dead server does not stall the worker. */
export function createMailTransport(smtpUrl: string): Transporter {
  return nodemailer.createTransport({ url: smtpUrl, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 });
}

/** The Message-ID is derived from the notification id, so a duplicate delivery is recognisable. */
export function messageIdFor(notificationId: string, from: string): string {
  const domain = /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? "competences-plus.local";
  return `<notification.${notificationId}@${domain}>`;
}

export interface SenderOptions {
  from?: string;
  /** After this many refused attempts the notification is marked failed (MAIL_MAX_ATTEMPTS). */
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** At most this many messages per run. */
  limit?: number;
  log?: JobLog;
}

export interface SenderResult {
  sent: number;
  retried: number;
  failed: number;
}

type Outcome = "sent" | "retried" | "failed" | "none";

/**
 * Claims due notifications one at a time (FOR UPDATE SKIP LOCKED), sends each and marks it sent in
 * the claiming transaction once the SMTP server accepted it: each message goes out once, unless the
 * commit itself fails after acceptance (then the Message-ID tells the duplicate apart).
 */
export async function runSenderOnce(db: Db, clock: Clock, transport: MailTransport, options: SenderOptions = {}): Promise<SenderResult> {
  const result: SenderResult = { sent: 0, retried: 0, failed: 0 };
  const limit = options.limit ?? 50;
  for (let i = 0; i < limit; i++) {
    const outcome = await sendOne(db, clock, transport, options);
    if (outcome === "none") break;
    result[outcome]++;
  }
  return result;
}

async function sendOne(db: Db, clock: Clock, transport: MailTransport, options: SenderOptions): Promise<Outcome> {
  const now = clock.now();
  const from = options.from ?? "Compétences Plus <ne-pas-repondre@competences-plus.laregion.fr>";
  const maxAttempts = options.maxAttempts ?? 8;
  const log = options.log ?? consoleLog;
  return db.transaction().execute(async (tx) => {
    // Never tried: due at once (created_at comes from the database clock); retried: after its backoff.
    const n = await tx
      .selectFrom("notification")
      .select(["id", "recipient_email", "subject", "body_text", "attempts"])
      .where("status", "=", "pending")
      .where((eb) => eb.or([eb("attempts", "=", 0), eb("next_attempt_at", "<=", now)]))
      .orderBy("created_at")
      .orderBy("id")
      .limit(1)
      .forUpdate()
      .skipLocked()
      .executeTakeFirst();
    if (!n) return "none";
    try {
      await transport.sendMail({
        from,
        to: n.recipient_email,
        subject: n.subject,
        text: n.body_text,
        messageId: messageIdFor(n.id, from),
        headers: { "X-Notification-Id": n.id },
      });
    } catch (error) {
      const attempts = n.attempts + 1;
      const message = (error instanceof Error ? error.message : String(error)).slice(0, 2000);
      const failed = attempts >= maxAttempts;
      const delay = backoffMs(attempts, options.baseDelayMs ?? 60_000, options.maxDelayMs ?? 3_600_000);
      log(`mail: envoi de la notification ${n.id} refusé (tentative ${attempts}/${maxAttempts}) : ${message}`);
      await tx
        .updateTable("notification")
        .set({ attempts, last_error: message, status: failed ? "failed" : "pending", next_attempt_at: new Date(now.getTime() + delay) })
        .where("id", "=", n.id)
        .execute();
      return failed ? "failed" : "retried";
    }
    await tx
      .updateTable("notification")
      .set({ status: "sent", sent_at: now, attempts: n.attempts + 1, last_error: null })
      .where("id", "=", n.id)
      .execute();
    return "sent";
  });
}
