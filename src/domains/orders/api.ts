// JSON API of the orders domain (OpenAPI): parse → use case → respond.
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { OrderListQuery } from "./store.ts";
import { z } from "zod";
import type { AppEnv } from "../../core/http/context.ts";
import { actorOf, depsOf } from "../../core/http/context.ts";
import { OrderInput, OrderPatch } from "./schema.ts";
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

const ViolationOut = z.object({
  code: z.string(),
  severity: z.enum(["error", "warning"]),
  message: z.string(),
  article: z.string(),
  field: z.string().optional(),
  details: z.record(z.string(), z.unknown()).optional(),
});

const OrderOut = OrderSummaryOut.omit({ orderedMinutes: true }).extend({
  lotName: z.string(),
  coFunders: z.array(z.string()),
  lines: z.array(LineOut),
  orderedMinutes: Minutes,
  closedAt: z.string().nullable().describe("Instant de clôture (ISO 8601), null tant que la commande est en cours"),
  closedByName: z.string().nullable(),
  closeWarnings: z.array(ViolationOut).describe("Avertissements émis à la clôture et conservés (CP-SELFSTUDY-MAX-20, CP-EFORM-SELFSTUDY-MAX-50)"),
});

const SelfStudyPartOut = z
  .object({
    eFormation: z.boolean(),
    code: z.enum(["CP-SELFSTUDY-MAX-20", "CP-EFORM-SELFSTUDY-MAX-50"]),
    capPercent: z.number().int(),
    selfStudyMinutes: z.number().int(),
    centreMinutes: z.number().int(),
    capMinutes: z.number().int(),
    over: z.boolean(),
  })
  .describe("Autoformation réalisée / heures centre réalisées (toutes heures hors entreprise) d'une partie de la commande, et son plafond (20 %, 50 % en e-formation)");

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
  selfStudy: z.array(SelfStudyPartOut),
  orderFindings: z.array(ViolationOut).describe("Constats de la commande elle-même : les avertissements émis à sa clôture"),
});

const CloseOut = z.object({
  order: OrderOut,
  warnings: z.array(ViolationOut).describe("Avertissements de la clôture (jamais bloquants), conservés avec la commande"),
  selfStudy: z.array(SelfStudyPartOut),
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

const isoOrNull = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

const orderOut = ({ order: o, lines, ordered, closeWarnings }: uc.OrderDetail): z.infer<typeof OrderOut> => ({
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
  closedAt: isoOrNull(o.closed_at),
  closedByName: o.closed_by_name,
  closeWarnings,
});

const Consumption = z.object({ ordered: z.number(), planned: z.number(), realised: z.number(), consumed: z.number() }).describe("Minutes commandées, prévues, réalisées et consommées (CP-ORDER-FUNGIBLE)");

export function registerOrdersApi(app: OpenAPIHono<AppEnv>) {
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/orders",
      tags,
      summary: "Lister les commandes, filtrées par lot et organisme (CP-LOTS) ; un organisme ne voit que les siennes",
      security,
      request: { query: OrderListQuery },
      responses: {
        200: ok("Commandes (une page ; `next` : curseur de la suivante)", z.object({ items: z.array(OrderSummaryOut.extend({ consumption: Consumption })), next: z.string().nullable() })),
        400: problem("Paramètre ou curseur invalide"),
        403: problem("Rôle sans accès aux commandes"),
      },
    }),
    async (c) => {
      const page = await uc.pageOrdersWithConsumption(depsOf(c).db, actorOf(c), c.req.valid("query"));
      return c.json({ items: page.items.map((o) => ({ ...summaryOut(o), consumption: o.consumption })), next: page.next }, 200);
    },
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
        "`lines`, s'il est fourni, remplace la liste des lignes ; une ligne est reconnue par sa composante. Une ligne qui a des parcours ne peut être ni retirée ni privée d'un site (code ORDER_LINE_HAS_PATHS). Chaque parcours de la commande est rejugé sur la commande modifiée, sous le verrou de la commande : une modification qui mettrait un parcours en défaut est refusée (422, code = la première règle : CP-ORDER-FUNGIBLE, CP-ENTRY-YEAR-N, CP-PATH-WITHIN-ORDER, CP-SELFSTUDY-MAX-20, CP-EFORM-SELFSTUDY-MAX-50), une violation par parcours (détails : pathId, traineeName). Un parcours déjà en défaut avant la modification ne la bloque pas, sauf si elle creuse son dépassement.",
      security,
      request: { params: IdParam, body: json(OrderPatch) },
      responses: {
        200: ok("Commande modifiée", OrderOut),
        400: problem("Données invalides"),
        403: problem("Réservé à la Région"),
        404: problem("Introuvable"),
        409: problem("Commande close"),
        422: problem("Règle du dispositif non respectée (y compris par un parcours de la commande), ou ligne qui a des parcours (ORDER_LINE_HAS_PATHS)"),
      },
    }),
    async (c) => c.json(orderOut(await uc.updateOrder(depsOf(c).db, actorOf(c), c.req.valid("param").id, c.req.valid("json"))), 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/orders/{id}/close",
      tags,
      summary: "Clôturer une commande (Région) ; avertissement CP-SELFSTUDY-MAX-20 / CP-EFORM-SELFSTUDY-MAX-50 sur l'autoformation réalisée",
      description:
        "Refusée tant qu'un parcours de la commande est en brouillon ou validé (code ORDER_PATHS_RUNNING : l'organisme le clôture ou le déclare abandonné d'abord), ou si elle est déjà close (ORDER_CLOSED). " +
        "À la clôture, une autoformation réalisée au-delà de 20 % des heures centre réalisées (toutes heures hors entreprise ; 50 % pour la partie e-formation, chaque partie ayant son propre chiffre) donne un avertissement : la clôture a lieu, l'avertissement est renvoyé dans `warnings` et conservé avec la commande.",
      security,
      request: { params: IdParam },
      responses: {
        200: ok("Commande close, avec ses avertissements", CloseOut),
        403: problem("Réservé à la Région"),
        404: problem("Introuvable"),
        409: problem("Commande déjà close (ORDER_CLOSED) ou parcours encore en cours (ORDER_PATHS_RUNNING)"),
      },
    }),
    async (c) => {
      const { db, clock } = depsOf(c);
      const r = await uc.closeOrder(db, actorOf(c), clock, c.req.valid("param").id);
      return c.json({ order: orderOut(r.detail), warnings: r.warnings, selfStudy: r.selfStudy }, 200);
    },
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
