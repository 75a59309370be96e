// JSON API of the orders domain (OpenAPI): parse → use case → respond.
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import type { AppEnv } from "../../core/http/context.ts";
import { actorOf, depsOf } from "../../core/http/context.ts";
import { OrderFilter, OrderInput, OrderPatch } from "./schema.ts";
import * as uc from "./use-cases.ts";

const security = [{ bearer: [] }];
const tags = ["Commandes"];
const IdParam = z.object({ id: z.uuid("Identifiant invalide.") });
const json = <S extends z.ZodType>(schema: S) => ({ content: { "application/json": { schema } }, required: true });
const ok = <S extends z.ZodType>(description: string, schema: S) => ({ description, content: { "application/json": { schema } } });
const problem = (description: string) => ({
  description,
  content: { "application/problem+json": { schema: z.object({ code: z.string(), detail: z.string(), violations: z.array(z.any()).optional() }) } },
});

const Minutes = z.object({ centre: z.number().int(), company: z.number().int(), total: z.number().int() }).describe("Minutes (centre, entreprise, total)");

const OrderSummaryOut = z.object({
  id: z.string(),
  number: z.string(),
  lotId: z.string(),
  lotCode: z.string(),
  providerId: z.string(),
  providerName: z.string(),
  plannedStart: z.string(),
  plannedEnd: z.string(),
  headcount: z.number().int(),
  unitPriceCents: z.number().int(),
  status: z.enum(["issued", "closed"]),
  orderedMinutes: z.number().int(),
});

const LineOut = z.object({
  id: z.string(),
  componentId: z.string(),
  componentTitle: z.string(),
  siteIds: z.array(z.string()),
  sites: z.array(z.object({ id: z.string(), name: z.string(), commune: z.string(), departementCode: z.string() })),
  headcount: z.number().int(),
  averagePathCentreMinutes: z.number().int(),
  averagePathCompanyMinutes: z.number().int(),
  orderedMinutes: Minutes,
});

const OrderOut = OrderSummaryOut.omit({ orderedMinutes: true }).extend({
  lotName: z.string(),
  coFunders: z.array(z.string()),
  lines: z.array(LineOut),
  orderedMinutes: Minutes,
});

const TotalsOut = z.object({
  total: z.number().int(),
  company: z.number().int(),
  centreMinutes: z.number().int(),
  inPerson: z.number().int(),
  distance: z.number().int(),
  selfStudy: z.number().int(),
  selfStudyRemote: z.number().int(),
  gathering: z.number().int(),
  positioning: z.number().int(),
});
const PathCounts = z.object({ draft: z.number().int(), validated: z.number().int(), closed: z.number().int(), dropped: z.number().int() });
const ViolationOut = z.object({ code: z.string(), severity: z.enum(["error", "warning"]), message: z.string(), article: z.string(), field: z.string().optional() });

const ConsumptionOut = z.object({
  lines: z.array(
    z.object({
      orderLineId: z.string(),
      componentTitle: z.string(),
      eFormation: z.boolean(),
      ordered: Minutes,
      planned: TotalsOut,
      realised: TotalsOut,
      consumed: TotalsOut,
      paths: PathCounts,
    }),
  ),
  ordered: Minutes,
  planned: TotalsOut,
  realised: TotalsOut,
  consumed: TotalsOut,
  findings: z.array(z.object({ pathId: z.string(), traineeName: z.string(), status: z.enum(["draft", "validated", "closed", "dropped"]), violation: ViolationOut })),
});

const summaryOut = (o: uc.OrderSummary): z.infer<typeof OrderSummaryOut> => ({
  id: o.id,
  number: o.number,
  lotId: o.lot_id,
  lotCode: o.lot_code,
  providerId: o.provider_id,
  providerName: o.provider_name,
  plannedStart: o.planned_start,
  plannedEnd: o.planned_end,
  headcount: o.headcount,
  unitPriceCents: o.unit_price_cents,
  status: o.status,
  orderedMinutes: Number(o.ordered_minutes ?? 0),
});

const orderOut = ({ order: o, lines, ordered }: uc.OrderDetail): z.infer<typeof OrderOut> => ({
  id: o.id,
  number: o.number,
  lotId: o.lot_id,
  lotCode: o.lot_code,
  lotName: o.lot_name,
  providerId: o.provider_id,
  providerName: o.provider_name,
  plannedStart: o.planned_start,
  plannedEnd: o.planned_end,
  headcount: o.headcount,
  unitPriceCents: o.unit_price_cents,
  coFunders: o.co_funders,
  status: o.status,
  lines: lines.map((l) => ({
    id: l.id,
    componentId: l.componentId,
    componentTitle: l.componentTitle,
    siteIds: l.sites.map((s) => s.id),
    sites: l.sites,
    headcount: l.headcount,
    averagePathCentreMinutes: l.averagePathCentreMinutes,
    averagePathCompanyMinutes: l.averagePathCompanyMinutes,
    orderedMinutes: l.ordered,
  })),
  orderedMinutes: ordered,
});

export function registerOrdersApi(app: OpenAPIHono<AppEnv>) {
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/orders",
      tags,
      summary: "Lister les commandes, filtrées par lot et organisme (CP-LOTS) ; un organisme ne voit que les siennes",
      security,
      request: { query: OrderFilter },
      responses: { 200: ok("Commandes", z.array(OrderSummaryOut)), 403: problem("Rôle sans accès aux commandes") },
    }),
    async (c) => c.json((await uc.listOrders(depsOf(c).db, actorOf(c), c.req.valid("query"))).map(summaryOut), 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/orders",
      tags,
      summary: "Passer une commande (Région) : CP-ORDER-CONTENT, CP-ORDER-FROM-OFFER, CP-SITE-IN-LOT, CP-NO-FSE",
      description: "Durées en minutes entières, prix de l'heure en centimes. Erreurs : `code` = identifiant de la règle (ex. CP-NO-FSE).",
      security,
      request: { body: json(OrderInput) },
      responses: {
        201: ok("Commande créée", OrderOut),
        400: problem("Données invalides"),
        403: problem("Réservé à la Région"),
        409: problem("Numéro déjà utilisé"),
        422: problem("Règle du dispositif non respectée"),
      },
    }),
    async (c) => c.json(orderOut(await uc.createOrder(depsOf(c).db, actorOf(c), c.req.valid("json"))), 201),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/orders/{id}",
      tags,
      summary: "Une commande, ses lignes et ses heures commandées",
      security,
      request: { params: IdParam },
      responses: { 200: ok("Commande", OrderOut), 404: problem("Introuvable (ou commande d'un autre organisme)") },
    }),
    async (c) => c.json(orderOut(await uc.getOrder(depsOf(c).db, actorOf(c), c.req.valid("param").id)), 200),
  );

  app.openapi(
    createRoute({
      method: "patch",
      path: "/api/orders/{id}",
      tags,
      summary: "Modifier une commande (Région) : dates, effectif, prix, cofinanceurs, lignes",
      description:
        "`lines`, s'il est fourni, remplace la liste des lignes ; une ligne est reconnue par sa composante. Une ligne qui a des parcours ne peut être ni retirée ni privée d'un site (code ORDER_LINE_HAS_PATHS).",
      security,
      request: { params: IdParam, body: json(OrderPatch) },
      responses: {
        200: ok("Commande modifiée", OrderOut),
        400: problem("Données invalides"),
        403: problem("Réservé à la Région"),
        404: problem("Introuvable"),
        409: problem("Commande close"),
        422: problem("Règle du dispositif non respectée, ou ligne qui a des parcours (ORDER_LINE_HAS_PATHS)"),
      },
    }),
    async (c) => c.json(orderOut(await uc.updateOrder(depsOf(c).db, actorOf(c), c.req.valid("param").id, c.req.valid("json"))), 200),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/orders/{id}/consumption",
      tags,
      summary: "Consommation : heures commandées / prévues / réalisées / consommées, parcours par statut, constats (CP-ORDER-FUNGIBLE, CP-KPI-ORGANISATION)",
      security,
      request: { params: IdParam },
      responses: { 200: ok("Consommation (minutes)", ConsumptionOut), 404: problem("Introuvable (ou commande d'un autre organisme)") },
    }),
    async (c) => c.json(await uc.getOrderConsumption(depsOf(c).db, actorOf(c), c.req.valid("param").id), 200),
  );
}
