// CP-TRAINER-CHANGE (CCTP §4.1.2): « a change of site … is notified to the Region ». The provider edits its
// sites directly (the offer's site form); when the edited site is named on a running order's line, the edit
// files, in the edit's own transaction, one site-change notice per such order (what changed, before → after)
// and mails it to the Region's officers, who acknowledge it like a teaching-team notice. This module imports
// no domain's use cases, so the offer may call it without a cycle (offer → trainers → orders → offer).
import type { Actor } from "../../core/auth/actor.ts";
import { accountRows } from "../../core/auth/accounts.ts";
import type { Transaction } from "kysely";
import type { DB } from "../../core/db/schema.ts";
import { notify } from "../../core/notifications/index.ts";
import { audit } from "../../core/outbox.ts";
import { type Clock, formatDateFr, newId, parisDate } from "../../core/time.ts";
import { orderLineRows, orderLineSiteRows, orderRows } from "../orders/views.ts";
import { type SiteFacts, siteChanges } from "./rules.ts";
import { insertNotice } from "./store.ts";

const REASON_MAX = 2000;
const reference = (id: string) => `EP-${id.slice(0, 8).toUpperCase()}`;

/**
 * Files the site-change notices of an edit of `before` into `after`, inside the caller's transaction `tx`.
 * Returns the notices' ids (none when nothing the Region reads changed, or no running order names the site).
 */
export async function fileSiteChangeNotices(tx: Transaction<DB>, actor: Actor, clock: Clock, baseUrl: string, site: SiteFacts & { id: string; provider_id: string }, after: SiteFacts): Promise<string[]> {
  const changes = siteChanges(site, after);
  if (changes.length === 0) return [];
  const orders = await tx
    .selectFrom(orderLineSiteRows().as("ols"))
    .innerJoin(orderLineRows().as("ol"), "ol.id", "ols.order_line_id")
    .innerJoin(orderRows().as("o"), "o.id", "ol.order_id")
    .select(["o.id", "o.number"])
    .distinct()
    .where("ols.site_id", "=", site.id)
    .where("o.provider_id", "=", site.provider_id)
    .where("o.status", "<>", "closed")
    .orderBy("o.number")
    .execute();
  if (orders.length === 0) return [];
  const now = clock.now();
  const summary = `Site « ${site.name} » modifié par l'organisme — ${changes.join(" ; ")}`;
  const reason = summary.length > REASON_MAX ? `${summary.slice(0, REASON_MAX - 1)}…` : summary;
  const officers = await tx.selectFrom(accountRows().as("u")).select(["u.id", "u.email"]).where("u.role", "=", "region_officer").where("u.active", "=", true).execute();
  const ids: string[] = [];
  for (const o of orders) {
    const id = newId();
    ids.push(id);
    await insertNotice(tx, { id, provider_id: site.provider_id, order_id: o.id, kind: "site_change", site_id: site.id, reason, filed_by: actor.userId, filed_at: now }, []);
    for (const u of officers) {
      await notify(tx, {
        to: u.email,
        userId: u.id,
        entity: "trainer_notice",
        entityId: id,
        subject: `Changement de site ${reference(id)} — commande ${o.number}`,
        body: [
          `L'organisme a modifié le ${formatDateFr(parisDate(now))} le site « ${site.name} », où se déroule la commande ${o.number} (CP-TRAINER-CHANGE, CCTP §4.1.2).`,
          `Ce qui change :\n${changes.map((c) => `- ${c}`).join("\n")}`,
          `Prenez-en connaissance et accusez réception : ${baseUrl}/equipes-pedagogiques/avis/${id}`,
        ].join("\n\n"),
      });
    }
  }
  await audit(tx, { actorId: actor.userId, action: "site.change_notified", entity: "site", entityId: site.id, details: { notices: ids, changes } });
  return ids;
}
