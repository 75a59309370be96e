// JSON API of the offer (OpenAPI): parse → use case → respond.
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import type { AppEnv } from "../../core/http/context.ts";
import { actorOf, depsOf } from "../../core/http/context.ts";
import { publicUrl } from "../../core/http/client.ts";
import { ComponentDecisionInput, ComponentFilter, ComponentInput, HybridDecisionInput, HybridRequestInput, ModuleInput, SiteInput } from "./schema.ts";
import { missingSiteFacts } from "./rules.ts";
import * as uc from "./use-cases.ts";

const security = [{ bearer: [] }];
const IdParam = z.object({ id: z.uuid("Identifiant invalide.") });
const ModuleParam = z.object({ id: z.uuid("Identifiant invalide."), moduleId: z.uuid("Identifiant invalide.") });
const json = <S extends z.ZodType>(schema: S) => ({ content: { "application/json": { schema } }, required: true });
const ok = <S extends z.ZodType>(description: string, schema: S) => ({ description, content: { "application/json": { schema } } });
const problem = (description: string) => ({ description, content: { "application/problem+json": { schema: z.object({ code: z.string(), detail: z.string() }) } } });
const refusals = {
  403: problem("Autre organisme ou rôle non autorisé"),
  404: problem("Introuvable"),
  409: problem("Transition impossible dans l'état actuel"),
  422: problem("Règle du dispositif non respectée (code = identifiant de la règle)"),
};

const ViolationOut = z.object({ code: z.string(), severity: z.enum(["error", "warning"]), message: z.string(), article: z.string() });

const SiteOut = z.object({
  id: z.string(),
  providerId: z.string(),
  name: z.string(),
  address: z.string(),
  postcode: z.string(),
  commune: z.string(),
  departementCode: z.string(),
  accessible: z.boolean(),
  hasPhone: z.boolean(),
  hasInternet: z.boolean(),
  hasBreakRoom: z.boolean(),
  hasTrainersOffice: z.boolean(),
  accessibilityNote: z.string().nullable(),
  /** CP-SITES: the facts the site does not declare (accessible, has_phone…). */
  missingFacts: z.array(z.string()),
});
const siteOut = (s: uc.Site) => ({
  id: s.id,
  providerId: s.provider_id,
  name: s.name,
  address: s.address,
  postcode: s.postcode,
  commune: s.commune,
  departementCode: s.departement_code,
  accessible: s.accessible,
  hasPhone: s.has_phone,
  hasInternet: s.has_internet,
  hasBreakRoom: s.has_break_room,
  hasTrainersOffice: s.has_trainers_office,
  accessibilityNote: s.accessibility_note,
  missingFacts: missingSiteFacts(s),
});

const ModuleOut = z.object({
  id: z.string(),
  title: z.string(),
  minutes: z.number().int(),
  modality: z.string(),
  contentTag: z.string().nullable(),
  prepPart: z.string().nullable(),
  position: z.number().int(),
});
const moduleOut = (m: uc.Module) => ({
  id: m.id,
  title: m.title,
  minutes: m.minutes,
  modality: m.modality,
  contentTag: m.content_tag,
  prepPart: m.prep_part,
  position: m.position,
});

const ComponentOut = z.object({
  id: z.string(),
  providerId: z.string(),
  lotId: z.string(),
  title: z.string(),
  category: z.string(),
  subcategory: z.string().nullable(),
  certificationCode: z.string().nullable(),
  level2019: z.number().int().nullable(),
  eFormation: z.boolean(),
  prerequisites: z.string(),
  content: z.string(),
  purpose: z.string(),
  offList: z.boolean(),
  offerStatus: z.string(),
  hybridStatus: z.string(),
  hybridOrganisation: z.string().nullable(),
  hybridDecidedAt: z.string().nullable(),
});
const componentOut = (c: uc.Component) => ({
  id: c.id,
  providerId: c.provider_id,
  lotId: c.lot_id,
  title: c.title,
  category: c.category,
  subcategory: c.subcategory,
  certificationCode: c.certification_code,
  level2019: c.level_2019,
  eFormation: c.e_formation,
  prerequisites: c.prerequisites,
  content: c.content,
  purpose: c.purpose,
  offList: c.off_list,
  offerStatus: c.offer_status,
  hybridStatus: c.hybrid_status,
  hybridOrganisation: c.hybrid_organisation,
  hybridDecidedAt: c.hybrid_decided_at ? new Date(c.hybrid_decided_at).toISOString() : null,
});
const ComponentDetailOut = ComponentOut.extend({ modules: z.array(ModuleOut), siteIds: z.array(z.string()), checks: z.array(ViolationOut) });

export function registerOfferApi(app: OpenAPIHono<AppEnv>) {
  const tags = ["Offre : sites, composantes, modules"];

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/sites",
      tags,
      summary: "Sites de réalisation (un organisme : les siens ; la Région : tous, ou ceux d'un organisme)",
      security,
      request: { query: z.object({ providerId: z.uuid().optional() }) },
      responses: { 200: ok("Sites", z.array(SiteOut)) },
    }),
    async (c) => c.json((await uc.listSites(depsOf(c).db, actorOf(c), c.req.valid("query").providerId)).map(siteOut), 200),
  );

  app.openapi(
    createRoute({ method: "post", path: "/api/sites", tags, summary: "Déclarer un site (CP-SITES)", security, request: { body: json(SiteInput) }, responses: { 201: ok("Site créé", SiteOut), ...refusals } }),
    async (c) => c.json(siteOut(await uc.createSite(depsOf(c).db, actorOf(c), c.req.valid("json"))), 201),
  );

  app.openapi(
    createRoute({ method: "get", path: "/api/sites/{id}", tags, summary: "Un site", security, request: { params: IdParam }, responses: { 200: ok("Site", SiteOut), ...refusals } }),
    async (c) => c.json(siteOut(await uc.getSite(depsOf(c).db, actorOf(c), c.req.valid("param").id)), 200),
  );

  app.openapi(
    createRoute({
      method: "put",
      path: "/api/sites/{id}",
      tags,
      summary: "Modifier un site (reste dans le lot de ses composantes : CP-SITE-IN-LOT)",
      security,
      request: { params: IdParam, body: json(SiteInput) },
      responses: { 200: ok("Site modifié", SiteOut), ...refusals },
    }),
    async (c) => c.json(siteOut(await uc.updateSite(depsOf(c).db, actorOf(c), c.req.valid("param").id, c.req.valid("json"), depsOf(c).clock, publicUrl(c))), 200),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/components",
      tags,
      summary: "Composantes (un organisme : les siennes ; la Région : toutes, filtrables par lot, organisme, statut)",
      security,
      request: { query: ComponentFilter },
      responses: { 200: ok("Composantes", z.array(ComponentOut.extend({ siteIds: z.array(z.string()) }))) },
    }),
    async (c) => {
      const list = await uc.listComponents(depsOf(c).db, actorOf(c), c.req.valid("query"));
      return c.json(list.map((x) => ({ ...componentOut(x), siteIds: x.siteIds })), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/components",
      tags,
      summary: "Créer une composante en brouillon (CP-LEVELS-2019, CP-SITE-IN-LOT)",
      security,
      request: { body: json(ComponentInput) },
      responses: { 201: ok("Composante créée", ComponentOut), ...refusals },
    }),
    async (c) => c.json(componentOut(await uc.createComponent(depsOf(c).db, actorOf(c), c.req.valid("json"))), 201),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/components/{id}",
      tags,
      summary: "Une composante, ses modules, ses sites et le résultat des règles",
      security,
      request: { params: IdParam },
      responses: { 200: ok("Composante", ComponentDetailOut), ...refusals },
    }),
    async (c) => {
      const d = await uc.componentDetail(depsOf(c).db, actorOf(c), c.req.valid("param").id);
      return c.json({ ...componentOut(d.component), modules: d.modules.map(moduleOut), siteIds: d.siteIds, checks: d.violations }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "put",
      path: "/api/components/{id}",
      tags,
      summary: "Modifier une composante (brouillon ou refusée)",
      security,
      request: { params: IdParam, body: json(ComponentInput) },
      responses: { 200: ok("Composante modifiée", ComponentOut), ...refusals },
    }),
    async (c) => c.json(componentOut(await uc.updateComponent(depsOf(c).db, actorOf(c), c.req.valid("param").id, c.req.valid("json"))), 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/components/{id}/modules",
      tags,
      summary: "Ajouter un module (CP-MODULAR ; durée en minutes ou « 3h30 »)",
      security,
      request: { params: IdParam, body: json(ModuleInput) },
      responses: { 201: ok("Module ajouté", ModuleOut), ...refusals },
    }),
    async (c) => c.json(moduleOut(await uc.addModule(depsOf(c).db, actorOf(c), c.req.valid("param").id, c.req.valid("json"))), 201),
  );

  app.openapi(
    createRoute({
      method: "put",
      path: "/api/components/{id}/modules/{moduleId}",
      tags,
      summary: "Modifier un module",
      security,
      request: { params: ModuleParam, body: json(ModuleInput) },
      responses: { 200: ok("Module modifié", ModuleOut), ...refusals },
    }),
    async (c) => {
      const p = c.req.valid("param");
      return c.json(moduleOut(await uc.updateModule(depsOf(c).db, actorOf(c), p.id, p.moduleId, c.req.valid("json"))), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/api/components/{id}/modules/{moduleId}",
      tags,
      summary: "Supprimer un module",
      security,
      request: { params: ModuleParam },
      responses: { 204: { description: "Module supprimé" }, ...refusals },
    }),
    async (c) => {
      const p = c.req.valid("param");
      await uc.deleteModule(depsOf(c).db, actorOf(c), p.id, p.moduleId);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/components/{id}/submit",
      tags,
      summary: "Soumettre à la Région (CP-TRANSVERSE-CONTENT, CP-TRE-MIN-14H, CP-PREP-WRITTEN-ORAL, CP-SITE-IN-LOT)",
      security,
      request: { params: IdParam },
      responses: { 200: ok("Composante soumise", ComponentOut), ...refusals },
    }),
    async (c) => c.json(componentOut(await uc.submitComponent(depsOf(c).db, actorOf(c), c.req.valid("param").id)), 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/components/{id}/decision",
      tags,
      summary: "Accepter ou refuser une composante soumise (Région ; motif obligatoire pour un refus)",
      security,
      request: { params: IdParam, body: json(ComponentDecisionInput) },
      responses: { 200: ok("Décision enregistrée", ComponentOut), ...refusals },
    }),
    async (c) => c.json(componentOut(await uc.decideComponent(depsOf(c).db, actorOf(c), c.req.valid("param").id, c.req.valid("json"))), 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/components/{id}/hybrid",
      tags,
      summary: "Demander la modalité hybride, avec l'organisation de la formation à distance (CP-HYBRID-APPROVED)",
      security,
      request: { params: IdParam, body: json(HybridRequestInput) },
      responses: { 200: ok("Demande enregistrée", ComponentOut), ...refusals },
    }),
    async (c) => c.json(componentOut(await uc.requestHybrid(depsOf(c).db, actorOf(c), c.req.valid("param").id, c.req.valid("json"))), 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/components/{id}/hybrid/decision",
      tags,
      summary: "Accepter ou refuser la modalité hybride (Région)",
      security,
      request: { params: IdParam, body: json(HybridDecisionInput) },
      responses: { 200: ok("Décision enregistrée", ComponentOut), ...refusals },
    }),
    async (c) => {
      const { db, clock } = depsOf(c);
      return c.json(componentOut(await uc.decideHybrid(db, actorOf(c), c.req.valid("param").id, c.req.valid("json"), clock.now())), 200);
    },
  );
}
