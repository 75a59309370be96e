// JSON API of the exit domain (OpenAPI): the exit with its reason, follow-ups, exams, badges.
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import { publicUrl } from "../../core/http/client.ts";
import type { AppEnv } from "../../core/http/context.ts";
import { actorOf, depsOf } from "../../core/http/context.ts";
import { staffPath } from "./access.ts";
import * as badges from "./badges.ts";
import * as exams from "./exams.ts";
import { ExamRegistrationInput, ExamResultInput, ExitInput, FollowUpInput, VaeInput } from "./schema.ts";
import * as uc from "./use-cases.ts";

const security = [{ bearer: [] }];
const tags = ["Sortie, suivi, examens (§8)"];
const IdParam = z.object({ id: z.uuid("Identifiant invalide.") });
const json = <S extends z.ZodType>(schema: S) => ({ content: { "application/json": { schema } }, required: true });
const ok = <S extends z.ZodType>(description: string, schema: S) => ({ description, content: { "application/json": { schema } } });
const problem = (description: string) => ({ description, content: { "application/problem+json": { schema: z.object({ code: z.string(), detail: z.string() }) } } });
const Violation = z.object({ code: z.string(), severity: z.string(), message: z.string(), article: z.string(), field: z.string().optional() });
const FollowUpOut = z.object({
  pathId: z.string(),
  traineeName: z.string(),
  providerName: z.string(),
  componentTitle: z.string(),
  actualExitDate: z.string(),
  exitReason: z.string().nullable(),
  milestone: z.string(),
  opensOn: z.string(),
  dueBy: z.string(),
  state: z.string(),
});

export function registerExitApi(app: OpenAPIHono<AppEnv>) {
  app.openapi(
    createRoute({
      method: "post",
      path: "/api/paths/{id}/departure",
      tags,
      security,
      summary: "Sortie avec son motif (CP-SURVEY-NOTICE : e-mail valide exigé) ; avis d'enquêtes au stagiaire, synthèse au prescripteur",
      request: { params: IdParam, body: json(ExitInput) },
      responses: { 200: ok("Sortie enregistrée", z.object({ warnings: z.array(Violation) })), 404: problem("Parcours introuvable"), 409: problem("Statut"), 422: problem("Règle") },
    }),
    async (c) => {
      const id = c.req.valid("param").id;
      await staffPath(depsOf(c).db, actorOf(c), id, "paths.write");
      return c.json({ warnings: await uc.exitTrainee(depsOf(c).db, actorOf(c), depsOf(c).clock, publicUrl(c), id, c.req.valid("json")) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "put",
      path: "/api/paths/{id}/vae",
      tags,
      security,
      summary: "VAE du stagiaire sorti : engagé, résultat (totale, partielle, aucune) et date de la décision (CP-KPI-VAE)",
      request: { params: IdParam, body: json(VaeInput) },
      responses: { 204: { description: "Enregistrée" }, 404: problem("Parcours introuvable"), 409: problem("Sortie non enregistrée"), 422: problem("Règle") },
    }),
    async (c) => {
      await uc.recordVae(depsOf(c).db, actorOf(c), depsOf(c).clock, c.req.valid("param").id, c.req.valid("json"));
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/follow-ups",
      tags,
      security,
      summary: "Suivis de sortie à renseigner ou en retard (la Région : tous ; un organisme : les siens) — CP-EXIT-FOLLOWUP",
      request: { query: z.object({ state: z.enum(["due", "late", "upcoming", "done"]).optional() }) },
      responses: { 200: ok("Suivis", z.array(FollowUpOut)) },
    }),
    async (c) => {
      const state = c.req.valid("query").state;
      return c.json(await uc.followUps(depsOf(c).db, actorOf(c), depsOf(c).clock, { states: state ? [state] : ["due", "late"] }), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/paths/{id}/follow-ups",
      tags,
      security,
      summary: "Situation à la sortie, à 3 ou à 6 mois (CP-EXIT-FOLLOWUP)",
      request: { params: IdParam, body: json(FollowUpInput) },
      responses: { 204: { description: "Enregistrée" }, 404: problem("Parcours introuvable"), 422: problem("Règle") },
    }),
    async (c) => {
      await uc.recordFollowUp(depsOf(c).db, actorOf(c), depsOf(c).clock, c.req.valid("param").id, c.req.valid("json"));
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/paths/{id}/exams",
      tags,
      security,
      summary: "Inscrire le stagiaire à un examen, aux frais de l'organisme (CP-EXAMS, CP-HABILITATION)",
      request: { params: IdParam, body: json(ExamRegistrationInput) },
      responses: { 201: ok("Inscription", z.object({ id: z.string() })), 404: problem("Parcours introuvable"), 422: problem("Règle") },
    }),
    async (c) => c.json({ id: await exams.registerExam(depsOf(c).db, actorOf(c), depsOf(c).clock, c.req.valid("param").id, c.req.valid("json")) }, 201),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/exam-registrations/{id}/result",
      tags,
      security,
      summary: "Résultat : réussite, réussite partielle (blocs), échec, absence (CP-EXAMS)",
      request: { params: IdParam, body: json(ExamResultInput) },
      responses: { 204: { description: "Enregistré" }, 404: problem("Inscription introuvable"), 422: problem("Règle") },
    }),
    async (c) => {
      await exams.recordExamResult(depsOf(c).db, actorOf(c), depsOf(c).clock, c.req.valid("param").id, c.req.valid("json"));
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/paths/{id}/badges",
      tags,
      security,
      summary: "Délivrer le badge Open Badges 3.0 d'un savoir-être validé (CP-SOFT-SKILLS)",
      request: { params: IdParam, body: json(z.object({ softSkillId: z.uuid() })) },
      responses: { 201: ok("Badge", z.object({ id: z.string(), url: z.string() })), 404: problem("Parcours introuvable"), 422: problem("Règle") },
    }),
    async (c) => {
      const id = await badges.issueBadge(depsOf(c).db, actorOf(c), depsOf(c).clock, depsOf(c).config.badgeKeyFile, publicUrl(c), c.req.valid("param").id, c.req.valid("json").softSkillId);
      return c.json({ id, url: `${publicUrl(c)}/badges/${id}` }, 201);
    },
  );
}
