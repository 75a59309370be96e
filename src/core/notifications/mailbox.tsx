// The mailbox page /boite-mail (dev/demo): without SMTP_URL nothing is sent, so the messages the
// platform would have sent stay readable here. Never served when SMTP_URL is set.
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import type { Actor } from "../auth/actor.ts";
import type { Config } from "../config.ts";
import { forbidden, notFound } from "../errors.ts";
import type { AppEnv, Ctx } from "../http/context.ts";
import { actorOf, depsOf } from "../http/context.ts";
import { Layout } from "../pages/layout.tsx";
import { latestNotifications, type NotificationRow } from "./index.ts";

/** Region officers; in dev (NODE_ENV ≠ production) anyone signed in; nobody once SMTP is configured. */
export function requireMailboxAccess(config: Config, actor: Actor): void {
  if (config.smtpUrl) throw notFound("Page");
  if (actor.role === "region_officer" || config.mailboxForEveryone) return;
  throw forbidden("La boîte mail de démonstration est réservée à la Région.");
}

const statusLabel: Record<NotificationRow["status"], string> = { pending: "Non envoyé (pas de SMTP)", sent: "Envoyé", failed: "Échec d'envoi" };
const when = (d: Date) => new Intl.DateTimeFormat("fr-FR", { timeZone: "Europe/Paris", dateStyle: "short", timeStyle: "short" }).format(d);

async function mailboxPage(c: Ctx) {
  const { db, config } = depsOf(c);
  requireMailboxAccess(config, actorOf(c));
  const messages = await latestNotifications(db);
  return c.html(
    <Layout c={c} title="Boîte mail de démonstration">
      <h1>Boîte mail de démonstration</h1>
      <p>
        Aucun serveur SMTP n'est configuré (SMTP_URL) : les courriels que la plateforme enverrait sont conservés ici, du plus récent
        au plus ancien ({messages.length} affichés).
      </p>
      {messages.length === 0 ? <p class="muted">Aucun message pour l'instant.</p> : null}
      <ol class="cards mailbox">
        {messages.map((m) => (
          <li class="card">
            <article aria-labelledby={`m-${m.id}`}>
              <h2 id={`m-${m.id}`}>{m.subject}</h2>
              <p>
                <strong>À :</strong> {m.recipientEmail} — <span class="muted">{when(m.createdAt)}</span> — {statusLabel[m.status]}
              </p>
              <pre class="mail-body" style="white-space: pre-wrap; font-family: inherit;">
                {m.body}
              </pre>
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
      summary: "Boîte mail de démonstration : les notifications, de la plus récente à la plus ancienne (sans SMTP_URL seulement)",
      security: [{ bearer: [] }],
      responses: {
        200: { description: "Messages", content: { "application/json": { schema: z.array(MessageOut) } } },
        403: { description: "Réservé à la Région" },
        404: { description: "SMTP configuré : pas de boîte de démonstration" },
      },
    }),
    async (c) => {
      const { db, config } = depsOf(c);
      requireMailboxAccess(config, actorOf(c));
      const messages = await latestNotifications(db);
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
