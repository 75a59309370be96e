// Change requests (CP-MODIFICATION-REQUESTS, CP-ORDER-CHANGES): the provider files, the Region accepts or
// refuses with a reason; an accepted request applies atomically through the owning domains (apply.ts),
// with its history (the replaced values, the transition log, the audit) and a mail to both sides.
import type { Actor } from "../../core/auth/actor.ts";
import { isProviderStaff, ownProviderId, requireRole, requireVisible } from "../../core/auth/actor.ts";
import { requireCapability } from "../../core/auth/roles.ts";
import type { Db } from "../../core/db/index.ts";
import { DomainError, forbidden, notFound } from "../../core/errors.ts";
import { checkFile, type FileInput, storeFile } from "../../core/files.ts";
import { notify } from "../../core/notifications/index.ts";
import { audit, logTransition } from "../../core/outbox.ts";
import { check, type Violation } from "../../core/rules.ts";
import { type Clock, formatDateFr, parisDate } from "../../core/time.ts";
import { changedMeanwhile, requireTransition, type WorkflowWording } from "../../core/workflow.ts";
import type { ChangeRequestStatus } from "../../core/db/schema.ts";
import { componentOfProvider, judgeSiteForComponent, judgeSiteMove, parseModuleChange } from "../offer/use-cases.ts";
import { getOrder } from "../orders/use-cases.ts";
import { judgeSiret } from "../region/use-cases.ts";
import { newId } from "../../core/time.ts";
import { applyChange } from "./apply.ts";
import { bicRule, CHANGE_TRANSITIONS, ibanRule, kindLabels, ORDER_KINDS, statusLabels } from "./rules.ts";
import { ChangeFilter, ChangeRequestInput, DecisionInput, parseInput } from "./schema.ts";
import * as store from "./store.ts";

const isUuid = (id: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);

const wording: WorkflowWording<ChangeRequestStatus> = {
  noun: "Une demande",
  labels: statusLabels,
  code: "CHANGE_REQUEST_DECIDED",
  refusal: (from) => (from !== "filed" ? `Cette demande est déjà ${statusLabels[from].toLowerCase()} : elle ne change plus.` : undefined),
};

/** The request's reference as people read it: « DM-1A2B3C4D ». */
export const referenceOf = (id: string) => `DM-${id.slice(0, 8).toUpperCase()}`;

/**
 * What a request would break, judged when it is filed (the Region's acceptance judges it again, on
 * the state of that moment): IBAN and BIC, SIRET, CP-SITE-IN-LOT, the order and component being the provider's.
 */
async function judgeFiling(db: Db, actor: Actor, providerId: string, input: ChangeRequestInput): Promise<Violation[]> {
  if ("orderId" in input) {
    const { order } = await getOrder(db, actor, input.orderId); // another provider's order: 404
    if (order.status === "closed") {
      return [{ code: "CP-ORDER-CHANGES", severity: "error", message: "Cette commande est close : elle ne se modifie plus.", article: "CCTP §3.1.1", field: "orderId" }];
    }
  }
  if ("componentId" in input) await componentOfProvider(db, providerId, input.componentId);
  switch (input.kind) {
    case "bank_details":
      return check(ibanRule(input.iban), bicRule(input.bic));
    case "siret":
      return judgeSiret(db, providerId, input.siret);
    case "site":
      return judgeSiteMove(db, providerId, input.siteId, input.site);
    case "new_site":
      return judgeSiteForComponent(db, providerId, input.componentId, input.siteId);
    case "new_component": {
      const out: Violation[] = [];
      for (const siteId of input.siteIds) out.push(...(await judgeSiteForComponent(db, providerId, input.componentId, siteId)));
      return out;
    }
    case "new_module":
      parseModuleChange(input.module);
      return [];
    case "certification":
      return input.validUntil < input.validFrom
        ? [{ code: "VALIDATION", severity: "error", message: "La fin de validité ne peut pas précéder son début.", article: "", field: "validUntil" }]
        : [];
    default:
      return [];
  }
}

/** The payload stored: the input without its reason (kept in its own column). */
const payloadOf = (input: ChangeRequestInput) => {
  const { reason: _reason, ...rest } = input;
  return rest;
};

/** CP-MODIFICATION-REQUESTS: the provider's administrative referent files a request, with its reason and attachments (PDF, JPEG, PNG). */
export async function fileChangeRequest(db: Db, actor: Actor, clock: Clock, raw: unknown, files: FileInput[] = []) {
  const providerId = ownProviderId(actor);
  requireCapability(actor, "changes.file");
  const input = parseInput(ChangeRequestInput, raw);
  const violations = [...files.flatMap((f, i) => checkFile(f, i === 0 ? "attachments" : `attachments.${i}`)), ...(await judgeFiling(db, actor, providerId, input))];
  if (violations.some((v) => v.severity === "error")) throw DomainError.fromViolations(violations);
  const id = newId();
  const now = clock.now();
  await db.transaction().execute(async (tx) => {
    const attachmentIds: string[] = [];
    for (const f of files) attachmentIds.push((await storeFile(tx, f, { providerId, uploadedBy: actor.userId })).id);
    await store.insertChangeRequest(
      tx,
      { id, provider_id: providerId, order_id: "orderId" in input ? input.orderId : null, kind: input.kind, payload: payloadOf(input), reason: input.reason, filed_by: actor.userId, filed_at: now },
      attachmentIds,
    );
    await logTransition(tx, { entity: "change_request", entityId: id, from: null, to: "filed", reason: input.reason, actorId: actor.userId });
    await audit(tx, { actorId: actor.userId, action: "change_request.file", entity: "change_request", entityId: id, details: { kind: input.kind, attachments: attachmentIds.length } });
    const request = (await store.findChangeRequest(tx, id))!;
    for (const r of await store.recipients(tx, providerId)) {
      const region = r.role === "region_officer";
      await notify(tx, {
        to: r.email,
        userId: r.id,
        entity: "change_request",
        entityId: id,
        subject: `${region ? "Nouvelle demande de modification" : "Demande de modification déposée"} ${referenceOf(id)} — ${kindLabels[input.kind]}`,
        body: [
          region
            ? `${request.provider_name} a déposé une demande de modification (${kindLabels[input.kind]}) le ${formatDateFr(parisDate(now))}${request.order_number ? `, commande ${request.order_number}` : ""}.`
            : `Votre demande de modification (${kindLabels[input.kind]}) a bien été déposée le ${formatDateFr(parisDate(now))}. La Région l'examinera et vous répondra par écrit.`,
          `Motif : ${input.reason}`,
          `Pièces jointes : ${attachmentIds.length}.`,
          `Référence : ${referenceOf(id)} (CP-MODIFICATION-REQUESTS, CCTP §4.1.2).`,
        ].join("\n\n"),
      });
    }
  });
  return getChangeRequest(db, actor, id);
}

/** The Region sees every request; a provider's staff see their own; nobody else any. */
export async function listChangeRequests(db: Db, actor: Actor, raw: unknown = {}) {
  const f = parseInput(ChangeFilter, raw);
  if (actor.role === "region_officer") return store.listChangeRequests(db, f);
  if (isProviderStaff(actor) && actor.providerId) return store.listChangeRequests(db, { ...f, providerId: actor.providerId });
  throw forbidden();
}

/** One request with its attachments; another provider's is unknown (404). */
export async function getChangeRequest(db: Db, actor: Actor, id: string) {
  const request = isUuid(id) ? await store.findChangeRequest(db, id) : undefined;
  if (!request) throw notFound("Demande");
  requireVisible(actor, request.provider_id, "Demande");
  return { ...request, attachments: await store.attachmentsOf(db, id) };
}
export type ChangeRequestDetail = Awaited<ReturnType<typeof getChangeRequest>>;

export async function changeRequestAttachment(db: Db, actor: Actor, id: string, attachmentId: string) {
  await getChangeRequest(db, actor, id);
  const file = isUuid(attachmentId) ? await store.attachmentOf(db, id, attachmentId) : undefined;
  if (!file) throw notFound("Pièce jointe");
  return file;
}

/**
 * CP-MODIFICATION-REQUESTS, CP-ORDER-CHANGES: the Region accepts or refuses a filed request (a refusal
 * needs its reason). An acceptance applies the change in the same transaction through the owning
 * domain — an order change re-judges the paths already on the order under its lock, and any rule it
 * would break refuses the acceptance (nothing is written). Both sides get a mail.
 */
export async function decideChangeRequest(db: Db, actor: Actor, clock: Clock, id: string, raw: unknown) {
  await getChangeRequest(db, actor, id); // 404 before the role: no existence leak
  requireRole(actor, "region_officer");
  const decision = parseInput(DecisionInput, raw);
  await db.transaction().execute(async (tx) => {
    const request = await store.findChangeRequest(tx, id, true);
    if (!request) throw notFound("Demande");
    requireTransition(CHANGE_TRANSITIONS, wording, request.status, decision.decision, actor.role, { reason: decision.reason });
    const reference = referenceOf(id);
    const before =
      decision.decision === "accepted"
        ? await applyChange(tx, actor, request.provider_id, reference, parseInput(ChangeRequestInput, { ...(request.payload as object), reason: request.reason }))
        : undefined;
    const moved = await store.moveStatus(tx, id, "filed", decision.decision, { decided_by: actor.userId, decided_at: clock.now(), decision_reason: decision.reason, before });
    if (!moved) throw changedMeanwhile("CHANGE_REQUEST_DECIDED", "La demande");
    await logTransition(tx, { entity: "change_request", entityId: id, from: "filed", to: decision.decision, reason: decision.reason, actorId: actor.userId });
    await audit(tx, { actorId: actor.userId, action: `change_request.${decision.decision}`, entity: "change_request", entityId: id, details: { reason: decision.reason, before } });
    const verdict = decision.decision === "accepted" ? "acceptée" : "refusée";
    for (const r of await store.recipients(tx, request.provider_id)) {
      await notify(tx, {
        to: r.email,
        userId: r.id,
        entity: "change_request",
        entityId: id,
        subject: `Demande de modification ${reference} ${verdict} — ${kindLabels[request.kind]}`,
        body: [
          `La demande de modification ${reference} (${kindLabels[request.kind]}) de ${request.provider_name}${request.order_number ? `, commande ${request.order_number}` : ""}, déposée le ${formatDateFr(parisDate(request.filed_at))}, a été ${verdict} par la Région le ${formatDateFr(parisDate(clock.now()))}.`,
          decision.decision === "accepted" ? "La modification est appliquée sur la plateforme." : "",
          decision.reason ? `Motif de la Région : ${decision.reason}` : "",
          "(CP-MODIFICATION-REQUESTS, CCTP §4.1.2)",
        ]
          .filter(Boolean)
          .join("\n\n"),
      });
    }
  });
  return getChangeRequest(db, actor, id);
}

/** The provider withdraws its own request while it is filed. */
export async function withdrawChangeRequest(db: Db, actor: Actor, id: string) {
  await getChangeRequest(db, actor, id);
  await db.transaction().execute(async (tx) => {
    const request = await store.findChangeRequest(tx, id, true);
    if (!request) throw notFound("Demande");
    requireTransition(CHANGE_TRANSITIONS, wording, request.status, "withdrawn", actor.role, { reason: null });
    if (!(await store.moveStatus(tx, id, "filed", "withdrawn", {}))) throw changedMeanwhile("CHANGE_REQUEST_DECIDED", "La demande");
    await logTransition(tx, { entity: "change_request", entityId: id, from: "filed", to: "withdrawn", actorId: actor.userId });
  });
  return getChangeRequest(db, actor, id);
}

/** Kinds that name an order (the form asks for it). */
export const needsOrder = (kind: string) => (ORDER_KINDS as readonly string[]).includes(kind);
