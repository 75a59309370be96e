// JSON API of the access-sites domain (OpenAPI): parse → use case → respond (CP-EFORM-SITES).
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import type { AppEnv } from "../../core/http/context.ts";
import { actorOf, depsOf } from "../../core/http/context.ts";
import { AccessSiteInput, BookingInput, DayQuery, HomeInput } from "./schema.ts";
import * as uc from "./use-cases.ts";

const security = [{ bearer: [] }];
const IdParam = z.object({ id: z.uuid("Identifiant invalide.") });
const json = <S extends z.ZodType>(schema: S) => ({ content: { "application/json": { schema } }, required: true });
const ok = <S extends z.ZodType>(description: string, schema: S) => ({ description, content: { "application/json": { schema } } });
const problem = (description: string) => ({ description, content: { "application/problem+json": { schema: z.object({ code: z.string(), detail: z.string() }) } } });

const Room = z.object({ id: z.string(), name: z.string(), pcs: z.number() });
const SiteOut = z.object({
  id: z.string(),
  name: z.string(),
  address: z.string(),
  postcode: z.string(),
  commune: z.string(),
  inseeCode: z.string(),
  departementCode: z.string(),
  openingHours: z.string(),
  contactName: z.string(),
  contactEmail: z.string().nullable(),
  contactPhone: z.string().nullable(),
  active: z.boolean(),
  rooms: z.array(Room),
});
const SiteSummary = z.object({ id: z.string(), name: z.string(), commune: z.string(), inseeCode: z.string(), departementCode: z.string(), departementName: z.string(), active: z.boolean(), rooms: z.number(), pcs: z.number() });
const Booked = z.object({ pathId: z.string(), accessSiteId: z.string(), roomId: z.string(), bookings: z.array(z.object({ id: z.string(), slotId: z.string(), seatNo: z.number() })) });
const Pointed = z.object({ id: z.string(), status: z.string(), released: z.array(z.string()).optional() });
const PathSeats = z.object({
  path: z.object({ id: z.string(), traineeName: z.string(), component: z.string(), eFormation: z.boolean(), hybrid: z.boolean(), recommendsAccessSite: z.boolean(), status: z.string() }),
  slots: z.array(
    z.object({
      slotId: z.string(),
      date: z.string(),
      startTime: z.string(),
      endTime: z.string(),
      slotStatus: z.string(),
      booking: z.object({ id: z.string(), status: z.string().nullable(), seatNo: z.number().nullable(), room: z.string().nullable(), site: z.string().nullable() }).nullable(),
    }),
  ),
});
const Day = z.object({
  site: z.object({ id: z.string(), name: z.string(), commune: z.string(), address: z.string(), openingHours: z.string(), contactName: z.string(), contactPhone: z.string().nullable() }),
  date: z.string(),
  rooms: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      pcs: z.number(),
      windows: z.array(z.object({ startTime: z.string(), endTime: z.string(), booked: z.number(), pcsLeft: z.number() })),
      bookings: z.array(z.object({ id: z.string().nullable(), startTime: z.string(), endTime: z.string(), seatNo: z.number(), status: z.string(), trainee: z.string(), provider: z.string() })),
    }),
  ),
});

export function registerAccessSitesApi(app: OpenAPIHono<AppEnv>) {
  const tags = ["Sites d'accès Occitanie e-formation (CP-EFORM-SITES)"];
  const now = (c: Parameters<typeof depsOf>[0]) => depsOf(c).clock.now();

  app.openapi(
    createRoute({ method: "get", path: "/api/access-sites", tags, security, summary: "Les sites d'accès du réseau régional (la Région voit aussi les sites fermés)", responses: { 200: ok("Sites d'accès", z.array(SiteSummary)), 403: problem("Réservé à la Région et aux organismes") } }),
    async (c) => c.json(await uc.listAccessSites(depsOf(c).db, actorOf(c)), 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/access-sites",
      tags,
      security,
      summary: "Ouvrir un site d'accès : adresse, commune et code INSEE, salles et nombre de PC, horaires, contact (Région)",
      request: { body: json(AccessSiteInput) },
      responses: { 201: ok("Site créé", SiteOut), 403: problem("Réservé à la Région"), 409: problem("Nom déjà pris"), 422: problem("Saisie refusée") },
    }),
    async (c) => c.json(await uc.createAccessSite(depsOf(c).db, actorOf(c), c.req.valid("json")), 201),
  );

  app.openapi(
    createRoute({ method: "get", path: "/api/access-sites/{id}", tags, security, summary: "Un site d'accès et ses salles", request: { params: IdParam }, responses: { 200: ok("Site", SiteOut), 404: problem("Introuvable") } }),
    async (c) => c.json(await uc.getAccessSite(depsOf(c).db, actorOf(c), c.req.valid("param").id), 200),
  );

  app.openapi(
    createRoute({
      method: "put",
      path: "/api/access-sites/{id}",
      tags,
      security,
      summary: "Modifier un site d'accès, ses salles (par nom) et leurs PC, le fermer ou le rouvrir (Région)",
      request: { params: IdParam, body: json(AccessSiteInput) },
      responses: { 200: ok("Site modifié", SiteOut), 403: problem("Réservé à la Région"), 404: problem("Introuvable"), 409: problem("PC retirés encore réservés, ou nom pris") },
    }),
    async (c) => c.json(await uc.updateAccessSite(depsOf(c).db, actorOf(c), c.req.valid("param").id, c.req.valid("json")), 200),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/access-sites/{id}/day",
      tags,
      security,
      summary: "La journée d'un site : qui vient, dans quelle salle, sur quel PC, PC restants par salle et créneau",
      request: { params: IdParam, query: DayQuery },
      responses: { 200: ok("Journée du site", Day), 404: problem("Introuvable") },
    }),
    async (c) => c.json(await uc.accessSiteDay(depsOf(c).db, actorOf(c), c.req.valid("param").id, c.req.valid("query")), 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/seat-bookings",
      tags,
      security,
      summary: "Réserver un PC d'une salle pour un·e stagiaire sur des créneaux à distance (tous ou aucun) — CP-EFORM-SITES",
      request: { body: json(BookingInput) },
      responses: { 201: ok("Places réservées", Booked), 404: problem("Parcours, salle ou créneau introuvable"), 409: problem("Salle complète ou stagiaire déjà réservé·e (CP-EFORM-SITES)"), 422: problem("Réservation refusée (CP-EFORM-SITES)") },
    }),
    async (c) => c.json(await uc.bookSeats(depsOf(c).db, actorOf(c), now(c), c.req.valid("json")), 201),
  );

  for (const [suffix, summary, run] of [
    ["arrival", "Pointer l'arrivée du ou de la stagiaire au site (jour du créneau)", uc.recordArrival],
    ["no-show", "Constater une absence : ses places du reste de la journée sont libérées", uc.recordNoShow],
    ["cancel", "Annuler une réservation à venir", uc.cancelBooking],
  ] as const) {
    app.openapi(
      createRoute({ method: "post", path: `/api/seat-bookings/{id}/${suffix}`, tags, security, summary, request: { params: IdParam }, responses: { 200: ok("Réservation", Pointed), 404: problem("Introuvable"), 409: problem("Refusé (CP-EFORM-SITES)") } }),
      async (c) => c.json(await run(depsOf(c).db, actorOf(c), now(c), c.req.valid("param").id), 200),
    );
  }

  app.openapi(
    createRoute({ method: "get", path: "/api/paths/{id}/seat-bookings", tags, security, summary: "Les créneaux à distance à venir d'un parcours et la place réservée pour chacun", request: { params: IdParam }, responses: { 200: ok("Créneaux et places", PathSeats), 404: problem("Introuvable") } }),
    async (c) => c.json(await uc.pathSeats(depsOf(c).db, actorOf(c), now(c), c.req.valid("param").id), 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/paths/{id}/seat-bookings/home",
      tags,
      security,
      summary: "Repositionner le ou la stagiaire à domicile à partir d'une date : ses réservations suivantes sont annulées",
      request: { params: IdParam, body: json(HomeInput) },
      responses: { 200: ok("Réservations annulées", z.object({ pathId: z.string(), from: z.string(), cancelled: z.number() })), 404: problem("Introuvable"), 422: problem("Date passée") },
    }),
    async (c) => c.json(await uc.moveHome(depsOf(c).db, actorOf(c), now(c), c.req.valid("param").id, c.req.valid("json")), 200),
  );
}
