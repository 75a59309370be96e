// JSON API of the individual protocol (CP-PROTOCOL), OpenAPI like the rest of e-formation: generate,
// read, sign in the app (provider staff or the trainee's own account), sign by the trainee's personal link.
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import type { AppEnv, Ctx } from "../../core/http/context.ts";
import { actorOf, depsOf } from "../../core/http/context.ts";
import { publicUrl } from "../../core/http/client.ts";
import { SignInput } from "../../core/signing-links.ts";
import * as pr from "./protocol.ts";

const IdParam = z.object({ id: z.uuid("Identifiant invalide.") });
const TokenParam = z.object({ token: z.string().min(20).max(100) });
const ok = <S extends z.ZodType>(description: string, schema: S) => ({ description, content: { "application/json": { schema } } });
const problem = (description: string) => ({ description, content: { "application/problem+json": { schema: z.object({ code: z.string(), detail: z.string() }) } } });
const View = z.looseObject({});
const Signed = z.object({ status: z.enum(["draft", "provider_signed", "trainee_signed", "signed"]), version: z.number(), contentHash: z.string() });
const Generated = z.object({ id: z.string(), version: z.number(), contentHash: z.string(), changed: z.boolean(), link: z.string().nullable() });
const errors = { 403: problem("Rôle ou organisme non autorisé"), 404: problem("Introuvable (ou d'un autre organisme)"), 409: problem("État incompatible (CP-PROTOCOL)"), 422: problem("Refusé par une règle (CP-PROTOCOL)") };
const idOf = (c: Ctx) => c.req.param("id") ?? "";

export function registerProtocolApi(app: OpenAPIHono<AppEnv>) {
  const tags = ["Occitanie e-formation (CCTP §3.3)"];
  const security = [{ bearer: [] }];
  app.openapi(
    createRoute({ method: "get", path: "/api/eformation/paths/{id}/protocol", tags, security, summary: "Le protocole individuel du parcours : contenu, version, empreinte, état, signatures (CP-PROTOCOL)", request: { params: IdParam }, responses: { 200: ok("Protocole", View), ...errors } }),
    async (c) => c.json(await pr.protocolView(depsOf(c).db, actorOf(c), idOf(c)), 200),
  );
  app.openapi(
    createRoute({ method: "post", path: "/api/eformation/paths/{id}/protocol", tags, security, summary: "Générer le protocole depuis le parcours e-formation ; un protocole signé reste figé, une nouvelle version part à la signature (CP-PROTOCOL)", request: { params: IdParam }, responses: { 200: ok("Protocole généré (lien personnel du stagiaire, montré une fois)", Generated), ...errors } }),
    async (c) => c.json(await pr.generateProtocol(depsOf(c).db, actorOf(c), depsOf(c).clock, idOf(c), publicUrl(c)), 200),
  );
  app.openapi(
    createRoute({ method: "post", path: "/api/eformation/paths/{id}/protocol/sign", tags, security, summary: "Signer dans l'application : le personnel de l'organisme, ou le ou la stagiaire avec son compte (CP-PROTOCOL)", request: { params: IdParam }, responses: { 200: ok("Signature enregistrée", Signed), ...errors } }),
    async (c) => c.json(await pr.signInApp(depsOf(c).db, actorOf(c), depsOf(c).clock, idOf(c)), 200),
  );
  app.openapi(
    createRoute({
      method: "post",
      path: "/api/eformation/protocol-links/{token}/sign",
      tags,
      security: [],
      summary: "Le ou la stagiaire signe par son lien personnel (CP-PROTOCOL) ; lien inconnu 404, remplacé ou expiré 410",
      request: { params: TokenParam, body: { content: { "application/json": { schema: SignInput } }, required: true } },
      responses: { 200: ok("Signature enregistrée", Signed), 404: problem("Lien inconnu"), 409: problem("Déjà signé"), 410: problem("Lien remplacé ou expiré"), 422: problem("Saisie invalide") },
    }),
    async (c) => c.json(await pr.signByLink(depsOf(c).db, depsOf(c).clock.now(), c.req.param("token"), await c.req.json()), 200),
  );
}
