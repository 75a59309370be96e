// The mailbox page /boite-mail (dev/demo): without SMTP_URL nothing is sent, so the messages the
// platform would have sent stay readable here — each person reads only their own. Off unless
// DEV_MAILBOX=true (npm run demo), never with SMTP_URL: otherwise the page does not exist (404).
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import type { Actor } from "../auth/actor.ts";
import type { Config } from "../config.ts";
import { notFound } from "../errors.ts";
import type { AppEnv, Ctx } from "../http/context.ts";
import { actorOf, depsOf } from "../http/context.ts";
import { Layout } from "../pages/layout.tsx";
import { latestNotificationsTo, type NotificationRow } from "./index.ts";
import { dateTimeFr } from "../french.ts";

/** The mailbox exists only when enabled for a demo without SMTP; anyone signed in reads their own mail. */
export function requireMailbox(config: Config): void {
  if (!config.devMailbox || config.smtpUrl) throw notFound("Page");
}

const mineOf = (actor: Actor) => ({ userId: actor.userId, email: actor.email });

const statusLabel: Record<NotificationRow["status"], string> = { pending: "Non envoyé (pas de SMTP)", sent: "Envoyé", failed: "Échec d'envoi" };

async function mailboxPage(c: Ctx) {
  const { db, config } = depsOf(c);
  requireMailbox(config);
  const messages = await latestNotificationsTo(db, mineOf(actorOf(c)));
  return c.html(
    <Layout c={c} title="Boîte mail de démonstration">
      <h1>Boîte mail de démonstration</h1>
      <p>
        Aucun serveur SMTP n'est configuré (SMTP_URL) : les courriels que la plateforme vous enverrait sont conservés ici, du plus
        récent au plus ancien ({messages.length} affichés).
      </p>
      {messages.length === 0 ? <p class="muted">Aucun message pour l'instant.</p> : null}
      <ol class="cards mailbox">
        {messages.map((m) => (
          <li class="card">
            <article aria-labelledby={`m-${m.id}`}>
              <h2 id={`m-${m.id}`}>{m.subject}</h2>
              <p>
                <strong>À :</strong> {m.recipientEmail} — <span class="muted">{dateTimeFr(m.createdAt)}</span> — {statusLabel[m.status]}
              </p>
              <pre class="mail-body">{m.body}</pre>
            </article>
          </li>
        ))}
      </ol>
    </Layout>,
  );
}

const MessageOut = z.object({
  id: z.string(),
  to: z.string(),
  subject: z.string(),
  body: z.string(),
  entity: z.string().nullable(),
  entityId: z.string().nullable(),
  status: z.enum(["pending", "sent", "failed"]),
  createdAt: z.string(),
});

export function registerMailbox(app: OpenAPIHono<AppEnv>) {
  app.get("/boite-mail", mailboxPage);
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/mailbox",
      tags: ["Notifications"],
      summary: "Boîte mail de démonstration : mes notifications, de la plus récente à la plus ancienne (DEV_MAILBOX=true, sans SMTP_URL)",
      security: [{ bearer: [] }],
      responses: {
        200: { description: "Messages", content: { "application/json": { schema: z.array(MessageOut) } } },
        404: { description: "Boîte de démonstration désactivée (DEV_MAILBOX) ou SMTP configuré" },
      },
    }),
    async (c) => {
      const { db, config } = depsOf(c);
      requireMailbox(config);
      const messages = await latestNotificationsTo(db, mineOf(actorOf(c)));
      return c.json(
        messages.map((m) => ({
          id: m.id,
          to: m.recipientEmail,
          subject: m.subject,
          body: m.body,
          entity: m.entity,
          entityId: m.entityId,
          status: m.status,
          createdAt: m.createdAt.toISOString(),
        })),
        200,
      );
    },
  );
}
