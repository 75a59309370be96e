// JSON API of the Region's desk: dashboard, compliance board, realised hours per order and month.
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import type { AppEnv } from "../../core/http/context.ts";
import { actorOf, depsOf } from "../../core/http/context.ts";
import { complianceBoard } from "./compliance.ts";
import { dashboard } from "./dashboard.ts";
import { csvOf } from "./export.ts";
import { realisedExport, realisedRows } from "./realised-export.ts";
import { ComplianceQuery, KpiFilter, RealisedQuery } from "./schema.ts";

const tags = ["Tableau de bord et conformité"];
const security = [{ bearer: [] }];
const problem = (description: string) => ({ description, content: { "application/problem+json": { schema: z.object({ code: z.string(), detail: z.string() }) } } });
const ok = <S extends z.ZodType>(description: string, schema: S) => ({ description, content: { "application/json": { schema } } });

const FigureOut = z.object({
  key: z.string(),
  rule: z.string(),
  label: z.string(),
  unit: z.enum(["people", "minutes", "percent"]),
  value: z.number().nullable().describe("null : masqué (base < 5 personnes) ou pas encore de données (status)"),
  status: z.enum(["ok", "small_base", "no_data"]),
  base: z.number().nullable(),
  baseLabel: z.string(),
});
const Categories = z.object({ centre: z.number(), company: z.number(), distance: z.number(), selfStudy: z.number(), selfStudyRemote: z.number(), selfStudyCentre: z.number(), total: z.number() });
const DashboardOut = z.object({
  scope: z.record(z.string(), z.unknown()),
  referenceDate: z.string(),
  organisation: z.array(FigureOut),
  exits: z.array(FigureOut),
  hours: z.object({ ordered: z.object({ centre: z.number(), company: z.number(), total: z.number() }), planned: Categories, realised: Categories }),
  hoursFigures: z.array(FigureOut),
  entriesByMonth: z.array(z.object({ month: z.string(), entries: z.number() })),
  exams: z.array(FigureOut),
  vae: z.array(FigureOut),
  employment: z.array(FigureOut),
  satisfaction: z.array(FigureOut),
  orders: z.number(),
});
const LineOut = z.object({
  rule: z.string(),
  article: z.string(),
  severity: z.enum(["error", "warning"]),
  message: z.string(),
  providerId: z.string(),
  providerName: z.string(),
  orderNumber: z.string().nullable(),
  object: z.string(),
  href: z.string(),
  since: z.string().nullable(),
});
const RealisedOut = z.object({
  version: z.number(),
  orderId: z.string(),
  orderNumber: z.string(),
  providerId: z.string(),
  month: z.string(),
  from: z.string(),
  to: z.string(),
  rows: z.array(
    z.object({
      pathId: z.string(),
      traineeId: z.string(),
      lastName: z.string(),
      firstName: z.string(),
      franceTravailId: z.string().nullable(),
      componentId: z.string(),
      componentTitle: z.string(),
      centre: z.number(),
      company: z.number(),
      distance: z.number(),
      selfStudy: z.number(),
      selfStudyRemote: z.number(),
      selfStudyCentre: z.number(),
      total: z.number(),
      declared: z.number(),
    }),
  ),
});

export function registerKpiApi(app: OpenAPIHono<AppEnv>) {
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/dashboard",
      tags,
      security,
      summary: "Tableau de bord (CP-KPI-*) : chaque chiffre avec sa base ; un organisme ne voit que ses commandes",
      request: { query: KpiFilter },
      responses: { 200: ok("Chiffres", DashboardOut), 400: problem("Filtre invalide"), 403: problem("Rôle") },
    }),
    async (c) => {
      const { db, clock } = depsOf(c);
      return c.json(await dashboard(db, actorOf(c), clock, c.req.valid("query")), 200);
    },
  );
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/compliance",
      tags,
      security,
      summary: "Tableau de conformité : alertes ouvertes et délais dépassés de tous les organismes (Région)",
      request: { query: ComplianceQuery },
      responses: { 200: ok("Constats", z.array(LineOut)), 403: problem("Réservé à la Région") },
    }),
    async (c) => {
      const { db, clock } = depsOf(c);
      return c.json(await complianceBoard(db, actorOf(c), clock, c.req.valid("query")), 200);
    },
  );
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/orders/{id}/realised-hours",
      tags,
      security,
      summary: "Heures réalisées d'une commande pour un mois, par stagiaire, composante et modalité (CP-ATTENDANCE-REALISED), en minutes",
      request: { params: z.object({ id: z.uuid("Identifiant invalide.") }), query: RealisedQuery },
      responses: { 200: ok("Heures réalisées", RealisedOut), 404: problem("Commande introuvable") },
    }),
    async (c) => c.json(await realisedExport(depsOf(c).db, actorOf(c), c.req.valid("param").id, c.req.valid("query").month), 200),
  );
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/orders/{id}/realised-hours.csv",
      tags,
      security,
      summary: "Les mêmes heures réalisées en CSV (UTF-8 avec BOM, séparateur « ; », minutes entières ; colonnes stables)",
      request: { params: z.object({ id: z.uuid("Identifiant invalide.") }), query: RealisedQuery },
      responses: { 200: { description: "CSV", content: { "text/csv": { schema: z.string() } } }, 404: problem("Commande introuvable") },
    }),
    async (c) => {
      const e = await realisedExport(depsOf(c).db, actorOf(c), c.req.valid("param").id, c.req.valid("query").month);
      return c.body(new Uint8Array(csvOf(realisedRows(e))), 200, {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="heures-realisees-${e.orderNumber.replace(/[^\w.-]/g, "_")}-${e.month}.csv"`,
      });
    },
  );
}
