// JSON API of the region domain (OpenAPI): parse → use case → respond.
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import type { AppEnv } from "../../core/http/context.ts";
import { actorOf, depsOf } from "../../core/http/context.ts";
import { parisDate } from "../../core/time.ts";
import { LotInput, ProviderInput, ReferentsInput, StaffInput } from "./schema.ts";
import * as uc from "./use-cases.ts";

const security = [{ bearer: [] }];
const IdParam = z.object({ id: z.uuid("Identifiant invalide.") });
const json = <S extends z.ZodType>(schema: S) => ({ content: { "application/json": { schema } }, required: true });
const ok = <S extends z.ZodType>(description: string, schema: S) => ({ description, content: { "application/json": { schema } } });
const problem = (description: string) => ({ description, content: { "application/problem+json": { schema: z.object({ code: z.string(), detail: z.string() }) } } });

const ViolationOut = z.object({ code: z.string(), severity: z.enum(["error", "warning"]), message: z.string(), article: z.string() });

const LotOut = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  frameworkEnd: z.string(),
  departements: z.array(z.string()),
  expectedComponents: z.array(z.object({ id: z.string(), title: z.string(), category: z.string() })),
});
const lotOut = (l: uc.Lot) => ({
  id: l.id,
  code: l.code,
  name: l.name,
  frameworkEnd: l.framework_end,
  departements: l.departements,
  expectedComponents: l.expectedComponents,
});

const ProviderOut = z.object({
  id: z.string(),
  name: z.string(),
  siret: z.string(),
  nda: z.string().nullable(),
  legalRepresentative: z.string().nullable(),
  address: z.string().nullable(),
  qualiopiIssuer: z.string().nullable(),
  qualiopiNumber: z.string().nullable(),
  qualiopiValidUntil: z.string().nullable(),
});
type ProviderRow = Awaited<ReturnType<typeof uc.getProvider>>;
const providerOut = (p: ProviderRow) => ({
  id: p.id,
  name: p.name,
  siret: p.siret,
  nda: p.nda,
  legalRepresentative: p.legal_representative,
  address: p.address,
  qualiopiIssuer: p.qualiopi_issuer,
  qualiopiNumber: p.qualiopi_number,
  qualiopiValidUntil: p.qualiopi_valid_until,
});

const ReferentOut = z.object({ kind: z.string(), fullName: z.string(), email: z.string().nullable(), phone: z.string().nullable() });
const referentOut = (r: { kind: string; full_name: string; email: string | null; phone: string | null }) => ({
  kind: r.kind,
  fullName: r.full_name,
  email: r.email,
  phone: r.phone,
});
const StaffOut = z.object({ id: z.string(), email: z.string(), fullName: z.string(), role: z.string() });

export function registerRegionApi(app: OpenAPIHono<AppEnv>) {
  const tags = ["Région : lots et organismes"];

  app.openapi(
    createRoute({ method: "get", path: "/api/lots", tags, summary: "Lister les lots (CP-LOTS)", security, responses: { 200: ok("Lots", z.array(LotOut.omit({ expectedComponents: true }))) } }),
    async (c) => {
      actorOf(c);
      const lots = await uc.listLots(depsOf(c).db);
      return c.json(lots.map((l) => ({ id: l.id, code: l.code, name: l.name, frameworkEnd: l.framework_end, departements: l.departements })), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/lots",
      tags,
      summary: "Créer un lot : territoire et composantes attendues (Région)",
      security,
      request: { body: json(LotInput) },
      responses: { 201: ok("Lot créé", LotOut), 403: problem("Réservé à la Région"), 409: problem("Code déjà pris"), 422: problem("Règle non respectée") },
    }),
    async (c) => c.json(lotOut(await uc.createLot(depsOf(c).db, actorOf(c), c.req.valid("json"))), 201),
  );

  app.openapi(
    createRoute({ method: "get", path: "/api/lots/{id}", tags, summary: "Un lot", security, request: { params: IdParam }, responses: { 200: ok("Lot", LotOut), 404: problem("Introuvable") } }),
    async (c) => {
      actorOf(c);
      return c.json(lotOut(await uc.getLot(depsOf(c).db, c.req.valid("param").id)), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "put",
      path: "/api/lots/{id}",
      tags,
      summary: "Modifier un lot (Région)",
      description:
        "Retirer un département du lot est refusé (422 CP-SITE-IN-LOT) quand un site d'une composante acceptée du lot, ou un site nommé sur une ligne de commande du lot, s'y trouve ; la violation nomme chaque site et ce qui l'y place.",
      security,
      request: { params: IdParam, body: json(LotInput) },
      responses: { 200: ok("Lot modifié", LotOut), 403: problem("Réservé à la Région"), 404: problem("Introuvable"), 422: problem("Règle non respectée (CP-LOTS, CP-SITE-IN-LOT)") },
    }),
    async (c) => c.json(lotOut(await uc.updateLot(depsOf(c).db, actorOf(c), c.req.valid("param").id, c.req.valid("json"))), 200),
  );

  app.openapi(
    createRoute({ method: "get", path: "/api/providers", tags, summary: "Lister les organismes (la Région : tous ; un organisme : le sien)", security, responses: { 200: ok("Organismes", z.array(ProviderOut)) } }),
    async (c) => c.json((await uc.listProviders(depsOf(c).db, actorOf(c))).map(providerOut), 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/providers",
      tags,
      summary: "Créer un organisme de formation (Région ; SIRET contrôlé)",
      security,
      request: { body: json(ProviderInput) },
      responses: { 201: ok("Organisme créé", ProviderOut), 403: problem("Réservé à la Région"), 409: problem("SIRET déjà enregistré"), 422: problem("SIRET invalide") },
    }),
    async (c) => c.json(providerOut(await uc.createProvider(depsOf(c).db, actorOf(c), c.req.valid("json"))), 201),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/providers/{id}",
      tags,
      summary: "Un organisme, ses référents et ses avertissements (CP-QUALIOPI, CP-REFERENTS)",
      security,
      request: { params: IdParam },
      responses: {
        200: ok("Organisme", ProviderOut.extend({ referents: z.array(ReferentOut), staff: z.array(StaffOut), warnings: z.array(ViolationOut) })),
        403: problem("Autre organisme"),
        404: problem("Introuvable"),
      },
    }),
    async (c) => {
      const { db, clock } = depsOf(c);
      const o = await uc.providerOverview(db, actorOf(c), c.req.valid("param").id, parisDate(clock.now()));
      return c.json(
        {
          ...providerOut(o.provider),
          referents: o.referents.map(referentOut),
          staff: o.staff.map((s) => ({ id: s.id, email: s.email, fullName: s.full_name, role: s.role })),
          warnings: o.warnings,
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: "put",
      path: "/api/providers/{id}",
      tags,
      summary: "Modifier un organisme (Région)",
      security,
      request: { params: IdParam, body: json(ProviderInput) },
      responses: { 200: ok("Organisme modifié", ProviderOut), 403: problem("Réservé à la Région"), 404: problem("Introuvable"), 422: problem("SIRET invalide") },
    }),
    async (c) => c.json(providerOut(await uc.updateProvider(depsOf(c).db, actorOf(c), c.req.valid("param").id, c.req.valid("json"))), 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/providers/{id}/users",
      tags,
      summary: "Créer un compte du personnel de l'organisme (Région)",
      security,
      request: { params: IdParam, body: json(StaffInput) },
      responses: { 201: ok("Compte créé", StaffOut), 403: problem("Réservé à la Région"), 409: problem("Adresse déjà utilisée") },
    }),
    async (c) => {
      const u = await uc.createStaffAccount(depsOf(c).db, actorOf(c), c.req.valid("param").id, c.req.valid("json"));
      return c.json({ id: u.id, email: u.email, fullName: u.fullName, role: u.role }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/providers/{id}/referents",
      tags,
      summary: "Référents désignés par l'organisme (CP-REFERENTS)",
      security,
      request: { params: IdParam },
      responses: { 200: ok("Référents", z.array(ReferentOut)), 403: problem("Autre organisme") },
    }),
    async (c) => c.json((await uc.listReferents(depsOf(c).db, actorOf(c), c.req.valid("param").id)).map(referentOut), 200),
  );

  app.openapi(
    createRoute({
      method: "put",
      path: "/api/providers/{id}/referents",
      tags,
      summary: "Désigner les référents (remplace la liste ; administrateur de l'organisme ou Région)",
      security,
      request: { params: IdParam, body: json(ReferentsInput) },
      responses: {
        200: ok("Référents enregistrés, avec les fonctions restant à pourvoir", z.object({ referents: z.array(ReferentOut), warnings: z.array(ViolationOut) })),
        403: problem("Non autorisé"),
      },
    }),
    async (c) => {
      const r = await uc.setReferents(depsOf(c).db, actorOf(c), c.req.valid("param").id, c.req.valid("json"));
      return c.json({ referents: r.referents.map(referentOut), warnings: r.warnings }, 200);
    },
  );
}
