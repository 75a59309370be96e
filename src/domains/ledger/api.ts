import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import { calendarDate } from "../../core/inputs.ts";
import type { AppEnv } from "../../core/http/context.ts";
import { actorOf } from "../../core/http/context.ts";
import * as uc from "./use-cases.ts";

const Minutes = z.object({
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
const CalendarDate = calendarDate();
const Realised = z.object({
  pathId: z.string(),
  period: z.object({ from: z.string().optional(), to: z.string().optional() }),
  totals: Minutes,
  categories: z.object({ centre: z.number(), company: z.number(), distance: z.number(), selfStudy: z.number(), selfStudyRemote: z.number(), selfStudyCentre: z.number() }),
  declared: z.number().describe("Minutes de présences déclarées par le·la formateur·rice, preuve en attente : ni réalisées ni facturées"),
  absences: z.object({
    absent: z.number(),
    excused: z.number(),
    minutes: z.number(),
    list: z.array(z.object({ date: z.string(), start: z.string(), end: z.string(), modality: z.string(), status: z.enum(["absent", "excused"]) })),
  }),
});

/** Realised minutes of a path (CP-ATTENDANCE-REALISED), in minutes, with the Region's categories and absences. */
export function registerLedgerApi(app: OpenAPIHono<AppEnv>) {
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/paths/{id}/realised",
      tags: ["Heures réalisées et documents"],
      security: [{ bearer: [] }],
      summary: "Heures réalisées d'un parcours (émargements signés seulement), par modalité, catégories de la Région et absences",
      request: { params: z.object({ id: z.string().uuid() }), query: z.object({ from: CalendarDate.optional(), to: CalendarDate.optional() }) },
      responses: {
        200: { description: "Minutes réalisées", content: { "application/json": { schema: Realised } } },
        404: { description: "Introuvable (application/problem+json)" },
      },
    }),
    async (c) => c.json(await uc.getPathRealised(c.get("deps").db, actorOf(c), c.req.valid("param").id, c.req.valid("query")), 200),
  );
}
