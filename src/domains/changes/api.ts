// JSON API of change requests (OpenAPI): parse → use case → respond.
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import type { AppEnv } from "../../core/http/context.ts";
import { actorOf, depsOf } from "../../core/http/context.ts";
import { AttachmentJson, DecisionInput } from "./schema.ts";
import * as uc from "./use-cases.ts";

const tags = ["Demandes de modification"];
const security = [{ bearer: [] }];
const IdParam = z.object({ id: z.uuid("Identifiant invalide.") });
const problem = (description: string) => ({ description, content: { "application/problem+json": { schema: z.object({ code: z.string(), detail: z.string() }) } } });
const ok = <S extends z.ZodType>(description: string, schema: S) => ({ description, content: { "application/json": { schema } } });

const RequestOut = z.object({
  id: z.string(),
  reference: z.string(),
  providerId: z.string(),
  providerName: z.string(),
  orderId: z.string().nullable(),
  orderNumber: z.string().nullable(),
  kind: z.string(),
  payload: z.record(z.string(), z.unknown()),
  reason: z.string(),
  status: z.enum(["filed", "accepted", "refused", "withdrawn"]),
  decisionReason: z.string().nullable(),
  before: z.unknown().describe("Les valeurs remplacées, à l'acceptation (historique)"),
  filedAt: z.string(),
  decidedAt: z.string().nullable(),
  attachments: z.array(z.object({ id: z.string(), filename: z.string(), contentType: z.string(), sizeBytes: z.number(), sha256: z.string() })),
});
type Detail = uc.ChangeRequestDetail;
const out = (r: Omit<Detail, "attachments"> & { attachments?: Detail["attachments"] }) => ({
  id: r.id,
  reference: uc.referenceOf(r.id),
  providerId: r.provider_id,
  providerName: r.provider_name,
  orderId: r.order_id,
  orderNumber: r.order_number,
  kind: r.kind,
  payload: r.payload as Record<string, unknown>,
  reason: r.reason,
  status: r.status,
  decisionReason: r.decision_reason,
  before: r.before,
  filedAt: new Date(r.filed_at).toISOString(),
  decidedAt: r.decided_at ? new Date(r.decided_at).toISOString() : null,
  attachments: (r.attachments ?? []).map((a) => ({ id: a.id, filename: a.filename, contentType: a.content_type, sizeBytes: a.size_bytes, sha256: a.sha256 })),
});

// The request body: the kind's fields (see the schema in the use case), the reason, attachments in base64.
const FileBody = z
  .object({ kind: z.string().max(40), reason: z.string().max(8000), attachments: z.array(AttachmentJson).max(10).optional() })
  .passthrough()
  .describe(
    "kind ∈ bank_details (iban, bic, accountHolder), contacts (contactEmail, contactPhone), siret, legal_representative (legalRepresentative), address, certification (certificateKind, issuer, number, validFrom, validUntil), site (siteId, site{name,address,postcode,commune,departementCode,accessible}), order_dates (orderId, plannedStart, plannedEnd), new_site (orderId, componentId, siteId), new_component (orderId, componentId, siteIds, headcount, averagePathCentreMinutes, averagePathCompanyMinutes), new_module (componentId, module{title,minutes,modality}), drop_component (orderId, componentId)",
  );

export function registerChangesApi(app: OpenAPIHono<AppEnv>) {
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/change-requests",
      tags,
      security,
      summary: "Demandes de modification (la Région : toutes ; un organisme : les siennes)",
      request: { query: z.object({ status: z.enum(["filed", "accepted", "refused", "withdrawn"]).optional(), providerId: z.string().uuid().optional() }) },
      responses: { 200: ok("Demandes", z.array(RequestOut)), 403: problem("Rôle") },
    }),
    async (c) => c.json((await uc.listChangeRequests(depsOf(c).db, actorOf(c), c.req.valid("query"))).map(out), 200),
  );
  app.openapi(
    createRoute({
      method: "post",
      path: "/api/change-requests",
      tags,
      security,
      summary: "Déposer une demande de modification (CP-MODIFICATION-REQUESTS, CP-ORDER-CHANGES), avec motif et pièces jointes (PDF/JPEG/PNG en base64)",
      request: { body: { content: { "application/json": { schema: FileBody } }, required: true } },
      responses: { 201: ok("Demande déposée", RequestOut), 400: problem("Saisie invalide"), 404: problem("Commande, site ou composante introuvable"), 422: problem("Règle non respectée (IBAN_INVALID, CP-SITE-IN-LOT…)") },
    }),
    async (c) => {
      const { attachments, ...input } = c.req.valid("json");
      const files = (attachments ?? []).map((a) => ({ filename: a.filename, contentType: a.contentType, bytes: new Uint8Array(Buffer.from(a.base64, "base64")) }));
      const { db, clock } = depsOf(c);
      return c.json(out(await uc.fileChangeRequest(db, actorOf(c), clock, input, files)), 201);
    },
  );
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/change-requests/{id}",
      tags,
      security,
      summary: "Une demande de modification, ses pièces et son historique",
      request: { params: IdParam },
      responses: { 200: ok("Demande", RequestOut), 404: problem("Introuvable") },
    }),
    async (c) => c.json(out(await uc.getChangeRequest(depsOf(c).db, actorOf(c), c.req.valid("param").id)), 200),
  );
  app.openapi(
    createRoute({
      method: "post",
      path: "/api/change-requests/{id}/decision",
      tags,
      security,
      summary: "La Région accepte (la modification s'applique) ou refuse avec motif une demande",
      request: { params: IdParam, body: { content: { "application/json": { schema: DecisionInput } }, required: true } },
      responses: {
        200: ok("Demande décidée", RequestOut),
        403: problem("Réservé à la Région"),
        404: problem("Introuvable"),
        409: problem("Déjà décidée"),
        422: problem("La modification enfreindrait une règle (parcours de la commande, CP-SITE-IN-LOT…)"),
      },
    }),
    async (c) => {
      const { db, clock } = depsOf(c);
      return c.json(out(await uc.decideChangeRequest(db, actorOf(c), clock, c.req.valid("param").id, c.req.valid("json"))), 200);
    },
  );
  app.openapi(
    createRoute({
      method: "post",
      path: "/api/change-requests/{id}/withdrawal",
      tags,
      security,
      summary: "L'organisme retire sa demande tant qu'elle n'est pas décidée",
      request: { params: IdParam },
      responses: { 200: ok("Demande retirée", RequestOut), 403: problem("Rôle"), 404: problem("Introuvable"), 409: problem("Déjà décidée") },
    }),
    async (c) => c.json(out(await uc.withdrawChangeRequest(depsOf(c).db, actorOf(c), c.req.valid("param").id)), 200),
  );
}
