import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import type { AppEnv } from "../../core/http/context.ts";
import { actorOf } from "../../core/http/context.ts";
import { pathDetail, pagePaths, PathListQuery } from "./queries.ts";
import { DepositInput, DepositSettlementInput, ExitInput, PlanInput, PositioningInput, RegistrationInput, TraineeInput } from "./schema.ts";
import * as uc from "./use-cases.ts";

const Violation = z.object({ code: z.string(), severity: z.enum(["error", "warning"]), message: z.string(), article: z.string(), field: z.string().optional() });
const Totals = z.object({
  total: z.number(),
  company: z.number(),
  centreMinutes: z.number(),
  inPerson: z.number(),
  distance: z.number(),
  selfStudy: z.number(),
  selfStudyRemote: z.number(),
  gathering: z.number(),
  positioning: z.number(),
});
const Evaluation = z.object({ planned: Totals, consumed: Totals, violations: z.array(Violation) });
const Problem = { description: "Refus (application/problem+json, `code` = identifiant de la règle)" };
const json = <T extends z.ZodTypeAny>(schema: T, description = "OK") => ({ description, content: { "application/json": { schema } } });
const body = <T extends z.ZodTypeAny>(schema: T) => ({ body: { content: { "application/json": { schema } }, required: true } });
const IdParam = z.object({ id: z.string().uuid() });
const sec = [{ bearer: [] }];
const tags = ["Stagiaires et parcours"];

export function registerPathsApi(app: OpenAPIHono<AppEnv>) {
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/paths",
      tags,
      security: sec,
      summary: "Lister les stagiaires et leurs parcours (organisme : les siens ; Région : tous) — recherche, tri, filtres, pagination par curseur",
      request: { query: PathListQuery },
      responses: {
        200: json(z.object({ items: z.array(z.object({ id: z.string(), status: z.string(), first_name: z.string(), last_name: z.string(), order_number: z.string(), component_title: z.string(), planned_minutes: z.number() }).passthrough()), next: z.string().nullable() })),
        400: Problem,
      },
    }),
    async (c) => c.json(await pagePaths(c.get("deps").db, actorOf(c), c.req.valid("query")), 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/trainees",
      tags,
      security: sec,
      summary: "Inscrire un stagiaire sur une composante de commande (crée un parcours en brouillon)",
      request: body(RegistrationInput),
      responses: { 201: json(z.object({ traineeId: z.string(), pathId: z.string(), warnings: z.array(Violation) }), "Inscrit"), 422: Problem },
    }),
    async (c) => c.json(await uc.registerTrainee(c.get("deps").db, actorOf(c), c.req.valid("json")), 201),
  );

  app.openapi(
    createRoute({
      method: "put",
      path: "/api/trainees/{id}",
      tags,
      security: sec,
      summary: "Modifier l'identité et le suivi d'un stagiaire",
      request: { params: IdParam, ...body(TraineeInput) },
      responses: { 204: { description: "Enregistré" }, 404: Problem },
    }),
    async (c) => {
      await uc.updateTrainee(c.get("deps").db, actorOf(c), c.req.valid("param").id, c.req.valid("json"));
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/paths/{id}",
      tags,
      security: sec,
      summary: "Un parcours : stagiaire, modules, positionnement, cautions, historique et vérification des règles",
      request: { params: IdParam },
      responses: { 200: json(z.object({ evaluation: Evaluation }).passthrough()), 404: Problem },
    }),
    async (c) => {
      const { db } = c.get("deps");
      const actor = actorOf(c);
      const id = c.req.valid("param").id;
      const evaluation = await uc.evaluateSavedPath(db, actor, id);
      return c.json({ ...(await pathDetail(db, id)), evaluation }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "put",
      path: "/api/paths/{id}/positioning",
      tags,
      security: sec,
      summary: "Enregistrer le positionnement (CP-POSITIONING)",
      request: { params: IdParam, ...body(PositioningInput) },
      responses: { 200: json(Evaluation), 422: Problem },
    }),
    async (c) => c.json(await uc.recordPositioning(c.get("deps").db, actorOf(c), c.req.valid("param").id, c.req.valid("json")), 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/paths/{id}/check",
      tags,
      security: sec,
      summary: "Vérifier un plan de parcours sans l'enregistrer",
      request: { params: IdParam, ...body(PlanInput) },
      responses: { 200: json(Evaluation) },
    }),
    async (c) => c.json(await uc.checkPlan(c.get("deps").db, actorOf(c), c.req.valid("param").id, c.req.valid("json")), 200),
  );

  app.openapi(
    createRoute({
      method: "put",
      path: "/api/paths/{id}/plan",
      tags,
      security: sec,
      summary: "Enregistrer le plan du parcours (refusé si une règle bloquante est enfreinte ; motif exigé après validation)",
      request: { params: IdParam, ...body(PlanInput) },
      responses: { 200: json(Evaluation), 422: Problem },
    }),
    async (c) => c.json(await uc.savePlan(c.get("deps").db, actorOf(c), c.req.valid("param").id, c.req.valid("json")), 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/paths/{id}/validate",
      tags,
      security: sec,
      summary: "Valider le parcours (entrée en formation)",
      request: { params: IdParam },
      responses: { 200: json(Evaluation), 422: Problem },
    }),
    async (c) => c.json(await uc.validatePath(c.get("deps").db, actorOf(c), c.req.valid("param").id), 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/paths/{id}/exit",
      tags,
      security: sec,
      summary: "Enregistrer la sortie (clôture) ou l'abandon",
      request: { params: IdParam, ...body(ExitInput) },
      responses: { 200: json(z.object({ warnings: z.array(Violation) })), 409: Problem },
    }),
    async (c) => c.json({ warnings: await uc.exitPath(c.get("deps").db, actorOf(c), c.req.valid("param").id, c.req.valid("json")) }, 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/paths/{id}/deposits",
      tags,
      security: sec,
      summary: "Enregistrer une caution de matériel (200 € au plus par parcours)",
      request: { params: IdParam, ...body(DepositInput) },
      responses: { 201: json(z.object({ id: z.string() }), "Enregistrée"), 422: Problem },
    }),
    async (c) => {
      const { db, clock } = c.get("deps");
      return c.json({ id: await uc.recordDeposit(db, actorOf(c), clock, c.req.valid("param").id, c.req.valid("json")) }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/deposits/{id}/settlement",
      tags,
      security: sec,
      summary: "Restituer une caution (date) ou la retenir (motif)",
      request: { params: IdParam, ...body(DepositSettlementInput) },
      responses: { 204: { description: "Enregistré" }, 409: Problem },
    }),
    async (c) => {
      await uc.settleDeposit(c.get("deps").db, actorOf(c), c.req.valid("param").id, c.req.valid("json"));
      return c.body(null, 204);
    },
  );
}
