// An accepted change request applied through the owning domain's commands, in the decision's transaction
// (CP-MODIFICATION-REQUESTS, CP-ORDER-CHANGES): the provider's file (region), a site, a component's sites
// or modules (offer), an order's dates and lines (orders: its edit, under the order's lock, re-judges
// every path already on the order). Returns what the request replaced, kept as its history.
import type { Actor } from "../../core/auth/actor.ts";
import type { Transaction } from "kysely";
import type { DB } from "../../core/db/schema.ts";

type Tx = Transaction<DB>;
import { DomainError, notFound } from "../../core/errors.ts";
import { addModuleToComponent, addSiteToComponent, applySiteChange } from "../offer/use-cases.ts";
import { editOrderIn, getOrder, type LineInput, orderLinesForEdit } from "../orders/use-cases.ts";
import { applyProviderPatch } from "../region/use-cases.ts";
import type { ChangeRequestInput } from "./schema.ts";

const refuse = (message: string, field?: string) =>
  new DomainError("CP-ORDER-CHANGES", 422, message, [{ code: "CP-ORDER-CHANGES", severity: "error", message, article: "CCTP §3.1.1", field }]);

async function linesOf(tx: Tx, orderId: string): Promise<LineInput[]> {
  const lines = await orderLinesForEdit(tx, orderId);
  if (!lines) throw notFound("Commande");
  return lines;
}

export async function applyChange(tx: Tx, actor: Actor, providerId: string, reference: string, input: ChangeRequestInput): Promise<Record<string, unknown>> {
  const patch = (p: Parameters<typeof applyProviderPatch>[3]) => applyProviderPatch(tx, actor.userId, providerId, p, reference);
  switch (input.kind) {
    case "bank_details":
      return patch({ iban: input.iban, bic: input.bic, bank_account_holder: input.accountHolder });
    case "contacts":
      return patch({ contact_email: input.contactEmail, contact_phone: input.contactPhone });
    case "siret":
      return patch({ siret: input.siret });
    case "legal_representative":
      return patch({ legal_representative: input.legalRepresentative });
    case "address":
      return patch({ address: input.address });
    case "certification":
      return patch({
        qualiopi_kind: input.certificateKind,
        qualiopi_issuer: input.issuer,
        qualiopi_number: input.number,
        qualiopi_valid_from: input.validFrom,
        qualiopi_valid_until: input.validUntil,
      });
    case "site":
      return applySiteChange(tx, actor.userId, providerId, input.siteId, input.site, reference);
    case "new_module":
      return { moduleId: await addModuleToComponent(tx, actor.userId, providerId, input.componentId, input.module, reference) };
    case "order_dates": {
      const lines = await linesOf(tx, input.orderId); // takes the order's lock first
      const { order } = await getOrder(tx, actor, input.orderId);
      await editOrderIn(tx, actor, input.orderId, { plannedStart: input.plannedStart, plannedEnd: input.plannedEnd });
      return { plannedStart: order.planned_start, plannedEnd: order.planned_end, lines: lines.length };
    }
    case "new_site": {
      const lines = await linesOf(tx, input.orderId);
      const line = lines.find((l) => l.componentId === input.componentId);
      if (!line) throw refuse("Cette composante n'est pas (ou plus) sur la commande : le site ne peut pas lui être ajouté.", "componentId");
      await addSiteToComponent(tx, actor.userId, providerId, input.componentId, input.siteId, reference);
      if (!line.siteIds.includes(input.siteId)) {
        await editOrderIn(tx, actor, input.orderId, { lines: lines.map((l) => (l === line ? { ...l, siteIds: [...l.siteIds, input.siteId] } : l)) });
      }
      return { componentId: input.componentId, siteIds: line.siteIds };
    }
    case "new_component": {
      const lines = await linesOf(tx, input.orderId);
      if (lines.some((l) => l.componentId === input.componentId)) throw refuse("Cette composante figure déjà sur la commande.", "componentId");
      const added: LineInput = {
        componentId: input.componentId,
        siteIds: input.siteIds,
        headcount: input.headcount,
        averagePathCentreMinutes: input.averagePathCentreMinutes,
        averagePathCompanyMinutes: input.averagePathCompanyMinutes,
      };
      await editOrderIn(tx, actor, input.orderId, { lines: [...lines, added] });
      return { lines: lines.length };
    }
    case "drop_component": {
      const lines = await linesOf(tx, input.orderId);
      const line = lines.find((l) => l.componentId === input.componentId);
      if (!line) throw refuse("Cette composante n'est pas (ou plus) sur la commande.", "componentId");
      if (lines.length === 1) throw refuse("C'est la seule composante de la commande : elle ne peut pas être abandonnée (clôturez la commande).", "componentId");
      await editOrderIn(tx, actor, input.orderId, { lines: lines.filter((l) => l !== line) });
      return { line };
    }
  }
}
