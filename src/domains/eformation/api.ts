// JSON API of the e-formation pages (OpenAPI): typical week, software, checkpoint, gatherings,
// welcome-day deliveries, web conference. Parse → use case → respond; rule refusals are problem+json.
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import type { AppEnv, Ctx } from "../../core/http/context.ts";
import { actorOf, depsOf } from "../../core/http/context.ts";
import * as gatherings from "./gatherings.ts";
import { CheckpointInput, DeliveryInput, GatheringDecisionInput, GatheringInput, GatheringRequestInput, TypicalWeekInput, WebconfDecisionInput, WebconfInput } from "./schema.ts";
import * as uc from "./use-cases.ts";
import * as web from "./webconf.ts";

const security = [{ bearer: [] }];
const IdParam = z.object({ id: z.uuid("Identifiant invalide.") });
const json = <S extends z.ZodType>(schema: S) => ({ content: { "application/json": { schema } }, required: true });
const ok = <S extends z.ZodType>(description: string, schema: S) => ({ description, content: { "application/json": { schema } } });
const problem = (description: string) => ({ description, content: { "application/problem+json": { schema: z.object({ code: z.string(), detail: z.string() }) } } });
/** Views are the use cases' own shapes (documented by their fields in docs/guide/eformation.md). */
const View = z.looseObject({});
const Created = z.object({ id: z.string() });
const errors = { 403: problem("Rôle ou organisme non autorisé"), 404: problem("Introuvable (ou d'un autre organisme)"), 409: problem("État incompatible"), 422: problem("Refusé par une règle (code CP-…)") };
const clock = (c: Ctx) => depsOf(c).clock;
const idOf = (c: Ctx) => c.req.param("id") ?? "";

export function registerEformationApi(app: OpenAPIHono<AppEnv>) {
  const tags = ["Occitanie e-formation (CCTP §3.3)"];
  const route = (method: "get" | "post" | "put", path: string, summary: string, extra: Record<string, unknown> = {}, status: 200 | 201 = 200, out: z.ZodType = View) =>
    createRoute({ method, path, tags, security, summary, ...extra, responses: { [status]: ok(summary, out), ...errors } } as Parameters<typeof createRoute>[0]);

  app.openapi(route("get", "/api/eformation/components/{id}", "Une composante e-formation : semaine type, minimum du lot, avertissements des parcours (CP-EFORM-TYPICAL-WEEK, CP-EFORM-SYNC-MIN)", { request: { params: IdParam } }), async (c) =>
    c.json(await uc.componentPage(depsOf(c).db, actorOf(c), idOf(c)), 200),
  );
  app.openapi(route("put", "/api/eformation/components/{id}/typical-week", "Déclarer la semaine type (refusée sous le minimum synchrone du lot : CP-EFORM-SYNC-MIN)", { request: { params: IdParam, body: json(TypicalWeekInput) } }), async (c) =>
    c.json(await uc.saveTypicalWeek(depsOf(c).db, actorOf(c), clock(c), idOf(c), await c.req.json()), 200),
  );
  app.openapi(route("get", "/api/eformation/components/{id}/webconf", "Outil de classe virtuelle et plateforme déclarés (CP-WEBCONF), null si rien", { request: { params: IdParam } }, 200, View.nullable()), async (c) =>
    c.json(await web.webconfOf(depsOf(c).db, actorOf(c), idOf(c)), 200),
  );
  app.openapi(route("put", "/api/eformation/components/{id}/webconf", "Déclarer l'outil (toutes les capacités requises) et la plateforme ; la Région réexamine (CP-WEBCONF)", { request: { params: IdParam, body: json(WebconfInput) } }), async (c) =>
    c.json(await web.declareWebconf(depsOf(c).db, actorOf(c), clock(c), idOf(c), await c.req.json()), 200),
  );
  app.openapi(route("post", "/api/eformation/components/{id}/webconf/decision", "La Région accepte ou refuse (motif) la déclaration d'outils (CP-WEBCONF)", { request: { params: IdParam, body: json(WebconfDecisionInput) } }), async (c) =>
    c.json(await web.decideWebconf(depsOf(c).db, actorOf(c), clock(c), idOf(c), await c.req.json()), 200),
  );

  app.openapi(route("get", "/api/eformation/sessions/{id}", "Une session e-formation et ses logiciels avec leurs avertissements (CP-EFORM-SOFTWARE-5W)", { request: { params: IdParam } }), async (c) => {
    const { db } = depsOf(c);
    const session = await uc.getSession(db, actorOf(c), idOf(c));
    return c.json({ session, software: await uc.softwareStatus(db, session, uc.parisToday(clock(c))) }, 200);
  });
  app.openapi(route("get", "/api/eformation/sessions/{id}/checkpoint", "Le point d'étape à 15 jours : candidatures, stagiaires, planning, classes virtuelles, logiciels (CP-EFORM-CHECKPOINT-15D)", { request: { params: IdParam } }), async (c) =>
    c.json(await uc.checkpointView(depsOf(c).db, actorOf(c), clock(c), idOf(c)), 200),
  );
  app.openapi(route("post", "/api/eformation/sessions/{id}/checkpoint", "La Région confirme ou reporte la session ; un report décale parcours, créneaux et regroupements (CP-EFORM-CHECKPOINT-15D)", { request: { params: IdParam, body: json(CheckpointInput) } }), async (c) =>
    c.json(await uc.decideCheckpoint(depsOf(c).db, actorOf(c), clock(c), idOf(c), await c.req.json()), 200),
  );

  app.openapi(route("get", "/api/eformation/sessions/{id}/gatherings", "Regroupements, demandes d'autorisation et remises de la journée d'accueil (CP-EFORM-GATHERINGS, CP-EFORM-WELCOME-DAY)", { request: { params: IdParam } }), async (c) =>
    c.json(await gatherings.gatheringsView(depsOf(c).db, actorOf(c), clock(c), idOf(c)), 200),
  );
  app.openapi(route("post", "/api/eformation/sessions/{id}/gatherings", "Prévoir un regroupement : journée d'accueil (premier jour), examen, ou autre sur demande autorisée (CP-EFORM-GATHERINGS)", { request: { params: IdParam, body: json(GatheringInput) } }, 201, Created), async (c) =>
    c.json({ id: await gatherings.addGathering(depsOf(c).db, actorOf(c), clock(c), idOf(c), await c.req.json()) }, 201),
  );
  app.openapi(route("post", "/api/eformation/sessions/{id}/gathering-requests", "Demander, avec argumentaire, l'autorisation d'un autre regroupement (CP-EFORM-GATHERINGS)", { request: { params: IdParam, body: json(GatheringRequestInput) } }, 201, Created), async (c) =>
    c.json({ id: await gatherings.fileGatheringRequest(depsOf(c).db, actorOf(c), clock(c), idOf(c), await c.req.json()) }, 201),
  );
  app.openapi(route("post", "/api/eformation/gathering-requests/{id}/decision", "La Région autorise ou refuse (motif) ; l'organisme peut retirer sa demande (CP-EFORM-GATHERINGS)", { request: { params: IdParam, body: json(GatheringDecisionInput) } }), async (c) =>
    c.json(await gatherings.decideGatheringRequest(depsOf(c).db, actorOf(c), clock(c), idOf(c), await c.req.json()), 200),
  );
  app.openapi(route("put", "/api/eformation/sessions/{id}/deliveries", "Enregistrer ce qu'un·e stagiaire a reçu à la journée d'accueil : contrat, calendrier, ressources (CP-EFORM-WELCOME-DAY)", { request: { params: IdParam, body: json(DeliveryInput) } }), async (c) => {
    const { db } = depsOf(c);
    await gatherings.recordDeliveries(db, actorOf(c), clock(c), idOf(c), await c.req.json());
    return c.json(await gatherings.gatheringsView(db, actorOf(c), clock(c), idOf(c)), 200);
  });
}
