import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { MeetingApiListQuery, SessionListQuery } from "./store.ts";
import { z } from "zod";
import type { AppEnv, Ctx } from "../../core/http/context.ts";
import { actorOf } from "../../core/http/context.ts";
import { DomainError } from "../../core/errors.ts";
import { isProviderStaff } from "../../core/auth/actor.ts";
import { parisDate } from "../../core/time.ts";
import { lheoStream, lheoValidator } from "./lheo.ts";
import { InfoMeetingInput, InfoMeetingPatch, SessionInput, SessionPatch } from "./schema.ts";
import * as uc from "./use-cases.ts";

const Violation = z.object({ code: z.string(), severity: z.enum(["error", "warning"]), message: z.string(), article: z.string(), field: z.string().optional() });
const Session = z
  .object({
    id: z.string(),
    order_line_id: z.string(),
    order_number: z.string(),
    component_title: z.string(),
    site_id: z.string().nullable(),
    start_date: z.string(),
    end_date: z.string(),
    places: z.number(),
    recruitment_open: z.boolean(),
    published_at: z.string().nullable(),
  })
  .passthrough();
const Meeting = z
  .object({
    id: z.string(),
    order_line_id: z.string(),
    meeting_date: z.string(),
    start_time: z.string(),
    end_time: z.string(),
    site_id: z.string().nullable(),
    place: z.string().nullable(),
    remote_url: z.string().nullable(),
    content: z.any().describe("Contenu présenté (CP-INFO-CONTENT) : objectives, programme, schedule, individualisation, siteAndMeans, regionPayRules, evaluation, internalRules, recruitmentProcedure"),
    published_at: z.string().nullable(),
  })
  .passthrough();
// Documented shape of the catalogue's filters (the use case ignores unreadable values).
const CatalogueQuery = z.object({
  departement: z.string().max(3).optional().describe("Code du département, ex. 31"),
  category: z.enum(["transverse", "regulatory", "specific_preparation"]).optional(),
  from: z.string().max(10).optional().describe("AAAA-MM-JJ : sessions commençant à partir de cette date (au plus tôt aujourd'hui)"),
});
const Problem = { description: "Refus (application/problem+json, `code` = identifiant de la règle)" };
const json = <T extends z.ZodTypeAny>(schema: T, description = "OK") => ({ description, content: { "application/json": { schema } } });
const body = <T extends z.ZodTypeAny>(schema: T) => ({ body: { content: { "application/json": { schema } }, required: true } });
const IdParam = z.object({ id: z.string() });
const sec = [{ bearer: [] }];
const tags = ["Sessions et informations collectives"];
const xml = { description: "Offre au format LHEO 2.3 (application/xml), sessions en cours et à venir, diffusée en flux ; en-têtes ETag et Last-Modified", content: { "application/xml": { schema: z.string() } } };

const today = (c: Ctx) => parisDate(c.get("deps").clock.now());

/**
 * Streams the LHEO document (issue 16, point 5), or 404 when there is nothing to export (LHEO needs one
 * formation at least). ETag: a digest of the rows the document is made of; a matching If-None-Match
 * answers 304 without building anything. Last-Modified: the newest session or meeting created or published
 * (informative: an edit does not move it, so If-Modified-Since alone never answers 304).
 */
export async function sendLheo(c: Ctx, scope: { providerId?: string; publishedOnly: boolean }, filename: string) {
  const { db, clock } = c.get("deps");
  const day = today(c);
  const v = await lheoValidator(db, scope, day);
  if (v.sessions === 0) throw new DomainError("NO_SESSIONS", 404, "Aucune session en cours ou à venir à exporter : LHEO exige au moins une formation avec une session.");
  const headers: Record<string, string> = { etag: v.etag, "cache-control": scope.providerId || !scope.publishedOnly ? "private, no-cache" : "public, no-cache" };
  if (v.lastModified) headers["last-modified"] = v.lastModified.toUTCString();
  const inm = c.req.header("if-none-match");
  if (inm?.split(",").some((t) => t.trim() === v.etag || t.trim() === `W/${v.etag}` || t.trim() === "*")) return c.body(null, 304, headers);
  const chunks = lheoStream(db, scope, clock.now(), day);
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await chunks.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
  return c.body(body, 200, { ...headers, "content-type": "application/xml; charset=utf-8", "content-disposition": `inline; filename="${filename}"` });
}

/** The Region exports every provider; provider staff their own provider. */
export function exportScope(c: Ctx): { providerId?: string; publishedOnly: boolean } {
  const actor = actorOf(c);
  if (actor.role === "region_officer") return { publishedOnly: true };
  if (isProviderStaff(actor) && actor.providerId) return { providerId: actor.providerId, publishedOnly: true };
  throw new DomainError("FORBIDDEN", 403, "Réservé à la Région et aux organismes de formation.");
}

export function registerSessionsApi(app: OpenAPIHono<AppEnv>) {
  // Fixed paths first: /api/sessions/{id} would otherwise take them.
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/lheo/offre.xml",
      tags,
      summary: "Flux public de l'offre publiée au format LHEO 2.3 (sessions publiées de tous les organismes)",
      responses: { 200: xml, 304: { description: "Inchangé depuis l'ETag envoyé dans If-None-Match" }, 404: Problem },
    }),
    (c) => sendLheo(c, { publishedOnly: true }, "offre-competences-plus.xml") as never,
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/sessions/lheo.xml",
      tags,
      security: sec,
      summary: "Télécharger l'offre publiée en LHEO 2.3 (Région : tous les organismes ; organisme : la sienne)",
      responses: { 200: xml, 304: { description: "Inchangé depuis l'ETag envoyé dans If-None-Match" }, 404: Problem },
    }),
    (c) => sendLheo(c, exportScope(c), "offre-lheo.xml") as never,
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/sessions/info-regular",
      tags,
      security: sec,
      summary: "Commandes ouvertes aux entrées sans information collective publiée à venir (CP-INFO-REGULAR)",
      responses: { 200: json(z.array(Violation)) },
    }),
    async (c) => c.json(await uc.infoRegularWarnings(c.get("deps").db, actorOf(c), today(c)), 200),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/catalogue",
      tags,
      summary: "Catalogue public : sessions publiées à venir et informations collectives (sans connexion)",
      request: { query: CatalogueQuery },
      responses: { 200: json(z.object({ sessions: z.array(Session), meetings: z.array(Meeting) }).passthrough()) },
    }),
    async (c) => c.json(await uc.catalogue(c.get("deps").db, c.req.query(), today(c)), 200),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/sessions",
      tags,
      security: sec,
      summary: "Lister les sessions (organisme : les siennes ; Région : toutes) — recherche, tri, filtres, pagination par curseur",
      request: { query: SessionListQuery },
      responses: { 200: json(z.object({ items: z.array(Session), next: z.string().nullable() })), 400: { description: "Paramètre ou curseur invalide (application/problem+json)" } },
    }),
    async (c) => c.json(await uc.pageSessionsForActor(c.get("deps").db, actorOf(c), c.req.valid("query")), 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/sessions",
      tags,
      security: sec,
      summary: "Créer une session d'une composante commandée (non publiée)",
      request: body(SessionInput),
      responses: { 201: json(Session, "Créée"), 422: Problem },
    }),
    async (c) => c.json(await uc.createSession(c.get("deps").db, actorOf(c), await c.req.json()), 201),
  );

  app.openapi(
    createRoute({ method: "get", path: "/api/sessions/{id}", tags, security: sec, summary: "Une session", request: { params: IdParam }, responses: { 200: json(Session), 404: Problem } }),
    async (c) => c.json(await uc.getSessionForActor(c.get("deps").db, actorOf(c), c.req.valid("param").id), 200),
  );

  app.openapi(
    createRoute({
      method: "put",
      path: "/api/sessions/{id}",
      tags,
      security: sec,
      summary: "Modifier une session (dates, site, places, recrutement)",
      request: { params: IdParam, ...body(SessionPatch) },
      responses: { 200: json(Session), 404: Problem, 422: Problem },
    }),
    async (c) => c.json(await uc.updateSession(c.get("deps").db, actorOf(c), c.req.valid("param").id, await c.req.json()), 200),
  );

  app.openapi(
    createRoute({ method: "delete", path: "/api/sessions/{id}", tags, security: sec, summary: "Supprimer une session non publiée", request: { params: IdParam }, responses: { 204: { description: "Supprimée" }, 409: Problem } }),
    async (c) => {
      await uc.deleteSession(c.get("deps").db, actorOf(c), c.req.valid("param").id);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/sessions/{id}/publish",
      tags,
      security: sec,
      summary: "Publier une session (catalogue public, flux LHEO) (CP-INFO-SESSIONS)",
      request: { params: IdParam },
      responses: { 200: json(Session), 422: Problem },
    }),
    async (c) => c.json(await uc.publishSession(c.get("deps").db, actorOf(c), c.req.valid("param").id, c.get("deps").clock.now()), 200),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/info-meetings",
      tags,
      security: sec,
      summary: "Lister les informations collectives (organisme : les siennes ; Région : toutes) — recherche, tri, filtres, pagination par curseur",
      description:
        "Avec au moins un paramètre de liste (q, sort, after, limit, published, orderId, from), la réponse est une page `{ items, next }` comme les autres listes. Sans aucun paramètre, la réponse reste, pour les clients existants, le tableau de toutes les informations collectives par date (forme dépréciée).",
      request: { query: MeetingApiListQuery },
      responses: {
        200: json(z.union([z.object({ items: z.array(Meeting), next: z.string().nullable() }), z.array(Meeting).describe("Sans paramètre de liste (déprécié)")])),
        400: { description: "Paramètre ou curseur invalide (application/problem+json)" },
      },
    }),
    async (c) => {
      const { db } = c.get("deps");
      // Backward compatible (ADR 0045): a call without any list parameter gets the former bare array.
      const paged = Object.keys(c.req.query()).some((k) => k in MeetingApiListQuery.shape);
      return paged ? c.json(await uc.pageMeetingsApiForActor(db, actorOf(c), c.req.valid("query")), 200) : c.json(await uc.listMeetingsForActor(db, actorOf(c)), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/info-meetings",
      tags,
      security: sec,
      summary: "Créer une information collective (brouillon ; contenu CP-INFO-CONTENT exigé à la publication)",
      request: body(InfoMeetingInput),
      responses: { 201: json(Meeting, "Créée"), 422: Problem },
    }),
    async (c) => c.json(await uc.createMeeting(c.get("deps").db, actorOf(c), await c.req.json()), 201),
  );

  app.openapi(
    createRoute({ method: "get", path: "/api/info-meetings/{id}", tags, security: sec, summary: "Une information collective", request: { params: IdParam }, responses: { 200: json(Meeting), 404: Problem } }),
    async (c) => c.json(await uc.getMeetingForActor(c.get("deps").db, actorOf(c), c.req.valid("param").id), 200),
  );

  app.openapi(
    createRoute({
      method: "put",
      path: "/api/info-meetings/{id}",
      tags,
      security: sec,
      summary: "Modifier une information collective",
      request: { params: IdParam, ...body(InfoMeetingPatch) },
      responses: { 200: json(Meeting), 404: Problem, 422: Problem },
    }),
    async (c) => c.json(await uc.updateMeeting(c.get("deps").db, actorOf(c), c.req.valid("param").id, await c.req.json()), 200),
  );

  app.openapi(
    createRoute({ method: "delete", path: "/api/info-meetings/{id}", tags, security: sec, summary: "Supprimer une information collective non publiée", request: { params: IdParam }, responses: { 204: { description: "Supprimée" }, 409: Problem } }),
    async (c) => {
      await uc.deleteMeeting(c.get("deps").db, actorOf(c), c.req.valid("param").id);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/info-meetings/{id}/publish",
      tags,
      security: sec,
      summary: "Publier une information collective (refusé si un point du contenu manque : CP-INFO-CONTENT)",
      request: { params: IdParam },
      responses: { 200: json(Meeting), 422: Problem },
    }),
    async (c) => c.json(await uc.publishMeeting(c.get("deps").db, actorOf(c), c.req.valid("param").id, c.get("deps").clock.now()), 200),
  );
}
