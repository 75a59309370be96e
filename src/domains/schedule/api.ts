import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import { invalid } from "../../core/errors.ts";
import type { AppEnv } from "../../core/http/context.ts";
import { actorOf } from "../../core/http/context.ts";
import { addDays, parisDate } from "../../core/time.ts";
import { isoWeekOf, mondayOfIsoWeek } from "./calendar.ts";
import { CancelInput, ClosureInput, GenerateInput, OtherFundedInput, ReplacementInput, SlotFields, SlotInput, WeekQuery } from "./schema.ts";
import * as uc from "./use-cases.ts";

const Violation = z.object({ code: z.string(), severity: z.enum(["error", "warning"]), message: z.string(), article: z.string(), field: z.string().optional() });
const Slot = z
  .object({
    id: z.string(),
    orderLineId: z.string(),
    moduleId: z.string().nullable(),
    siteId: z.string().nullable(),
    date: z.string(),
    startTime: z.string(),
    endTime: z.string(),
    startsAt: z.string(),
    endsAt: z.string(),
    minutes: z.number(),
    modality: z.string(),
    trainerId: z.string().nullable(),
    status: z.string(),
    trainees: z.array(z.object({ pathId: z.string(), traineeId: z.string(), firstName: z.string(), lastName: z.string() })),
    warnings: z.array(Violation),
  })
  .passthrough();
const Problem = { description: "Refus (application/problem+json, `code` = identifiant de la règle)" };
const json = <T extends z.ZodTypeAny>(schema: T, description = "OK") => ({ description, content: { "application/json": { schema } } });
const body = <T extends z.ZodTypeAny>(schema: T) => ({ body: { content: { "application/json": { schema } }, required: true } });
const IdParam = z.object({ id: z.string().uuid() });
const Written = z.object({ id: z.string(), warnings: z.array(Violation) });
const sec = [{ bearer: [] }];
const tags = ["Planning"];

const out = (s: uc.SlotView) => ({ ...s, startsAt: s.startsAt.toISOString(), endsAt: s.endsAt.toISOString(), warnings: uc.slotWarnings(s) });

export function registerScheduleApi(app: OpenAPIHono<AppEnv>) {
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/slots",
      tags,
      security: sec,
      summary: "Créneaux d'une semaine (lundi–dimanche), par site ou formateur·rice (organisme : les siens ; Région : tous)",
      request: { query: WeekQuery },
      responses: { 200: json(z.object({ week: z.string(), monday: z.string(), slots: z.array(Slot) })) },
    }),
    async (c) => {
      const { db, clock } = c.get("deps");
      const q = c.req.valid("query");
      const week = q.week ?? isoWeekOf(parisDate(clock.now()));
      const monday = mondayOfIsoWeek(week);
      if (!monday) throw invalid(`Semaine inconnue : « ${week} ».`);
      const slots = await uc.listSlots(db, actorOf(c), { from: monday, to: addDays(monday, 6), siteId: q.siteId, trainerId: q.trainerId });
      return c.json({ week, monday, slots: slots.map(out) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/slots",
      tags,
      security: sec,
      summary: "Créer un créneau pour un groupe (parcours d'une même composante) ou un·e stagiaire",
      description: "Refusé : jour férié sans dérogation, site fermé (CP-CLOSURE-MAX-2W), plus de 35 h en entreprise dans la semaine (CP-WEEKLY-LEGAL), autoformation sans objectifs/livrables/ressources (CP-SELFSTUDY-DEFINED), parcours non validé ou hors dates, formateur·rice déjà sur un créneau qui chevauche (SCHEDULE-TRAINER-OVERLAP, y compris à distance ; des créneaux bout à bout passent), plus de minutes d'une modalité que le parcours n'en prévoit (CP-PATH-READJUST : réajuster d'abord le parcours), plafonds du parcours sur ce que le planning contiendrait (CP-PATH-MAX-200H, CP-COMPANY-MAX-70H, CP-DISTANCE-MAX-50, CP-SELFSTUDY-MAX-20 / CP-EFORM-SELFSTUDY-MAX-50), distance sur une composante sans modalité hybride acceptée (CP-HYBRID-APPROVED).",
      request: body(SlotInput),
      responses: { 201: json(Written, "Créé"), 422: Problem },
    }),
    async (c) => c.json(await uc.createSlot(c.get("deps").db, actorOf(c), c.req.valid("json")), 201),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/slots/generate",
      tags,
      security: sec,
      summary: "Générer les créneaux d'une semaine à partir des parcours validés d'une composante (demi-journées 9 h–12 h 30 / 13 h 30–17 h)",
      description: "Les demi-journées impossibles sont sautées et listées dans `skipped` (`code` = la règle) : jour férié, site fermé, règle refusée, ou formateur·rice déjà pris·e sur un autre créneau (SCHEDULE-TRAINER-OVERLAP). Le reste de la semaine est généré.",
      request: body(GenerateInput),
      responses: {
        201: json(
          z.object({
            created: z.array(z.string()),
            skipped: z.array(z.object({ date: z.string(), reason: z.string(), code: z.string().optional() })),
            leftToPlan: z.array(z.object({ pathId: z.string(), name: z.string(), label: z.string(), minutes: z.number(), why: z.string() })),
          }),
          "Généré",
        ),
        400: Problem,
      },
    }),
    async (c) => c.json(await uc.generateSlots(c.get("deps").db, actorOf(c), c.req.valid("json")), 201),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/slots/{id}",
      tags,
      security: sec,
      summary: "Un créneau : module, stagiaires, site, formateur·rice et avertissements",
      request: { params: IdParam },
      responses: { 200: json(Slot), 404: Problem },
    }),
    async (c) => c.json(out(await uc.getSlotForActor(c.get("deps").db, actorOf(c), c.req.valid("param").id)), 200),
  );

  app.openapi(
    createRoute({
      method: "put",
      path: "/api/slots/{id}",
      tags,
      security: sec,
      summary: "Modifier un créneau prévu (toutes les règles sont revérifiées)",
      request: { params: IdParam, ...body(SlotFields) },
      responses: { 200: json(z.object({ warnings: z.array(Violation) })), 409: Problem, 422: Problem },
    }),
    async (c) => c.json(await uc.updateSlot(c.get("deps").db, actorOf(c), c.req.valid("param").id, c.req.valid("json")), 200),
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/api/slots/{id}",
      tags,
      security: sec,
      summary: "Supprimer un créneau prévu sans émargement",
      request: { params: IdParam },
      responses: { 204: { description: "Supprimé" }, 409: Problem },
    }),
    async (c) => {
      await uc.deleteSlot(c.get("deps").db, actorOf(c), c.req.valid("param").id);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/slots/{id}/cancel",
      tags,
      security: sec,
      summary: "Annuler un créneau (absence du formateur : avertissement CP-NO-INTERRUPTION jusqu'au remplacement)",
      request: { params: IdParam, ...body(CancelInput) },
      responses: { 200: json(z.object({ warnings: z.array(Violation) })), 409: Problem },
    }),
    async (c) => c.json(await uc.cancelSlot(c.get("deps").db, actorOf(c), c.req.valid("param").id, c.req.valid("json")), 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/slots/{id}/replacement",
      tags,
      security: sec,
      summary: "Désigner le formateur ou la formatrice remplaçant·e (CP-NO-INTERRUPTION) : le créneau a lieu de nouveau",
      request: { params: IdParam, ...body(ReplacementInput) },
      responses: { 200: json(z.object({ warnings: z.array(Violation) })), 409: Problem, 422: Problem },
    }),
    async (c) => c.json(await uc.recordReplacement(c.get("deps").db, actorOf(c), c.req.valid("param").id, c.req.valid("json").replacementTrainerId), 200),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/site-closures",
      tags,
      security: sec,
      summary: "Fermetures administratives des sites (en cours et à venir)",
      responses: { 200: json(z.array(z.object({ id: z.string(), site_id: z.string(), site_name: z.string(), start_date: z.string(), end_date: z.string(), reason: z.string() }).passthrough())) },
    }),
    async (c) => {
      const { db, clock } = c.get("deps");
      return c.json(await uc.listClosures(db, actorOf(c), parisDate(clock.now())), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/site-closures",
      tags,
      security: sec,
      summary: "Déclarer une fermeture de site : 14 jours calendaires consécutifs au plus, avec les fermetures qu'elle touche ou chevauche (CP-CLOSURE-MAX-2W)",
      request: body(ClosureInput),
      responses: { 201: json(z.object({ id: z.string() }), "Enregistrée"), 409: Problem, 422: Problem },
    }),
    async (c) => c.json({ id: await uc.createClosure(c.get("deps").db, actorOf(c), c.req.valid("json")) }, 201),
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/api/site-closures/{id}",
      tags,
      security: sec,
      summary: "Supprimer une fermeture de site",
      request: { params: IdParam },
      responses: { 204: { description: "Supprimée" }, 404: Problem },
    }),
    async (c) => {
      await uc.deleteClosure(c.get("deps").db, actorOf(c), c.req.valid("param").id);
      return c.body(null, 204);
    },
  );

  const OtherFunded = z.object({ id: z.string(), componentId: z.string(), componentTitle: z.string(), siteId: z.string(), siteName: z.string(), fullName: z.string(), funder: z.string(), startDate: z.string(), endDate: z.string() });

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/other-funded-trainees",
      tags,
      security: sec,
      summary: "Stagiaires d'autres financeurs inscrits sur les groupes (composante × site) de l'organisme (Région : tous)",
      responses: { 200: json(z.array(OtherFunded)) },
    }),
    async (c) => c.json(await uc.listOtherFunded(c.get("deps").db, actorOf(c)), 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/other-funded-trainees",
      tags,
      security: sec,
      summary: "Inscrire sur un groupe un·e stagiaire d'un autre financeur (nom, financeur, dates) : il ou elle compte dans l'effectif du groupe (CP-GROUP-MAX-20) et peut être ajouté·e aux créneaux (otherFundedIds)",
      request: body(OtherFundedInput),
      responses: { 201: json(z.object({ id: z.string() }), "Enregistré·e"), 422: Problem },
    }),
    async (c) => c.json({ id: await uc.recordOtherFunded(c.get("deps").db, actorOf(c), c.req.valid("json")) }, 201),
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/api/other-funded-trainees/{id}",
      tags,
      security: sec,
      summary: "Retirer un·e stagiaire d'un autre financeur (refusé tant qu'il ou elle est prévu·e sur un créneau)",
      request: { params: IdParam },
      responses: { 204: { description: "Retiré·e" }, 404: Problem, 409: Problem },
    }),
    async (c) => {
      await uc.deleteOtherFunded(c.get("deps").db, actorOf(c), c.req.valid("param").id);
      return c.body(null, 204);
    },
  );
}
