// JSON API of the prescribers domain (OpenAPI): parse → use case → respond.
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import type { AppEnv } from "../../core/http/context.ts";
import { actorOf, depsOf } from "../../core/http/context.ts";
import { AdviserInput, OrganisationInput, OrganisationPatch } from "./schema.ts";
import * as uc from "./use-cases.ts";

const security = [{ bearer: [] }];
const IdParam = z.object({ id: z.uuid("Identifiant invalide.") });
const json = <S extends z.ZodType>(schema: S) => ({ content: { "application/json": { schema } }, required: true });
const ok = <S extends z.ZodType>(description: string, schema: S) => ({ description, content: { "application/json": { schema } } });
const problem = (description: string) => ({ description, content: { "application/problem+json": { schema: z.object({ code: z.string(), detail: z.string() }) } } });

const OrganisationOut = z.object({ id: z.string(), name: z.string(), kind: z.string(), authorised: z.boolean() });
const AdviserOut = z.object({ id: z.string(), email: z.string(), fullName: z.string(), active: z.boolean() });

export function registerPrescribersApi(app: OpenAPIHono<AppEnv>) {
  const tags = ["Prescripteurs habilités (CP-PRESCRIBERS)"];

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/prescriber-organisations",
      tags,
      summary: "Liste des prescripteurs habilités (la Région voit aussi les organismes retirés)",
      security,
      responses: { 200: ok("Organismes prescripteurs", z.array(OrganisationOut.extend({ advisers: z.number() }))) },
    }),
    async (c) => c.json(await uc.listPrescriberOrganisations(depsOf(c).db, actorOf(c)), 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/prescriber-organisations",
      tags,
      summary: "Ajouter un organisme à la liste (Région ; les organismes de formation sont prévenus)",
      security,
      request: { body: json(OrganisationInput) },
      responses: { 201: ok("Organisme ajouté", OrganisationOut), 403: problem("Réservé à la Région"), 409: problem("Nom déjà dans la liste") },
    }),
    async (c) => c.json(await uc.createPrescriberOrganisation(depsOf(c).db, actorOf(c), c.req.valid("json")), 201),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/prescriber-organisations/{id}",
      tags,
      summary: "Un organisme prescripteur et ses conseillers (Région)",
      security,
      request: { params: IdParam },
      responses: { 200: ok("Organisme", OrganisationOut.extend({ advisers: z.array(AdviserOut) })), 403: problem("Réservé à la Région"), 404: problem("Introuvable") },
    }),
    async (c) => {
      const o = await uc.getPrescriberOrganisation(depsOf(c).db, actorOf(c), c.req.valid("param").id);
      return c.json({ ...o, advisers: o.advisers.map((a) => ({ id: a.id, email: a.email, fullName: a.full_name, active: a.active })) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "patch",
      path: "/api/prescriber-organisations/{id}",
      tags,
      summary: "Renommer, changer le type, retirer ou rendre l'habilitation (Région ; les organismes de formation sont prévenus)",
      security,
      request: { params: IdParam, body: json(OrganisationPatch) },
      responses: { 200: ok("Organisme modifié", OrganisationOut), 403: problem("Réservé à la Région"), 404: problem("Introuvable"), 409: problem("Nom déjà dans la liste") },
    }),
    async (c) => c.json(await uc.updatePrescriberOrganisation(depsOf(c).db, actorOf(c), c.req.valid("param").id, c.req.valid("json")), 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/prescriber-organisations/{id}/advisers",
      tags,
      summary: "Ouvrir le compte d'un conseiller prescripteur (Région)",
      security,
      request: { params: IdParam, body: json(AdviserInput) },
      responses: {
        201: ok("Conseiller créé", z.object({ id: z.string(), email: z.string(), fullName: z.string(), organisationId: z.string() })),
        403: problem("Réservé à la Région"),
        404: problem("Introuvable"),
        409: problem("Adresse déjà utilisée"),
      },
    }),
    async (c) => c.json(await uc.createAdviser(depsOf(c).db, actorOf(c), c.req.valid("param").id, c.req.valid("json")), 201),
  );
}
