// JSON API of recruitment (OpenAPI): thin — parse → use case → respond.
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { CandidacyListQuery, pageCandidacies, pageSlips, SlipListQuery } from "./listing.ts";
import { BASE64_MAX, MAX_FILENAME_LENGTH } from "../../core/files.ts";
import { z } from "zod";
import type { AppEnv, Ctx } from "../../core/http/context.ts";
import { actorOf } from "../../core/http/context.ts";
import { clientAddress, publicUrl } from "../../core/http/client.ts";
import { importCsv, MAX_CSV_BYTES } from "./csv-import.ts";
import { CONFIRM_HOURS, confirmDirectRegistration, registerDirect } from "./direct.ts";
import * as q from "./queries.ts";
import { ContinuationSlipInput, DirectRegistrationInput, EntryInput, PaperPrescriptionInput, PrescriptionInput, RegistrationUpdateInput, TransitionInput } from "./schema.ts";
import * as uc from "./use-cases.ts";

const Violation = z.object({ code: z.string(), severity: z.enum(["error", "warning"]), message: z.string(), article: z.string(), field: z.string().optional() });
const Problem = { description: "Refus (application/problem+json, `code` = identifiant de la règle)" };
const json = <T extends z.ZodTypeAny>(schema: T, description = "OK") => ({ description, content: { "application/json": { schema } } });
const body = <T extends z.ZodTypeAny>(schema: T) => ({ body: { content: { "application/json": { schema } }, required: true } });
const IdParam = z.object({ id: z.string().uuid() });
const sec = [{ bearer: [] }];
const tags = ["Recrutement"];
const Created = json(z.object({ id: z.string(), warnings: z.array(Violation) }).passthrough(), "Créée");
const Candidacy = z.object({ id: z.string(), status: z.string(), origin: z.string(), first_name: z.string(), last_name: z.string() }).passthrough();
const deps = (c: Ctx) => c.get("deps");

const PaperApiInput = PaperPrescriptionInput.extend({
  attachment: z.object({ filename: z.string().min(1).max(MAX_FILENAME_LENGTH), contentType: z.enum(["application/pdf", "image/jpeg", "image/png"]), base64: z.string().min(1).max(BASE64_MAX) }).optional(),
});

export function registerRecruitmentApi(app: OpenAPIHono<AppEnv>) {
  app.openapi(
    createRoute({ method: "post", path: "/api/prescriptions", tags, security: sec, summary: "Prescrire un candidat sur une session au recrutement ouvert (prescripteur habilité, CP-PRESCRIPTION-MODES)", request: body(PrescriptionInput), responses: { 201: Created, 422: Problem } }),
    async (c) => c.json(await uc.prescribe(deps(c).db, actorOf(c), deps(c).clock, c.req.valid("json")), 201),
  );

  app.openapi(
    createRoute({ method: "get", path: "/api/prescriptions", tags, security: sec, summary: "Les prescriptions de mon organisme, leur statut (mêmes paramètres que /api/candidacies)", request: { query: CandidacyListQuery }, responses: { 200: json(z.object({ items: z.array(Candidacy), next: z.string().nullable() })), 400: Problem } }),
    async (c) => c.json(await pageCandidacies(deps(c).db, actorOf(c), c.req.valid("query")), 200),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/candidacies",
      tags,
      security: sec,
      summary: "Lister les candidatures visibles (organisme : les siennes ; prescripteur : celles de son organisme ; Région : toutes)",
      request: { query: CandidacyListQuery },
      responses: { 200: json(z.object({ items: z.array(Candidacy), next: z.string().nullable() })), 400: Problem },
    }),
    async (c) => c.json(await pageCandidacies(deps(c).db, actorOf(c), c.req.valid("query")), 200),
  );

  app.openapi(
    createRoute({ method: "get", path: "/api/candidacies/{id}", tags, security: sec, summary: "Une candidature : candidat, historique des étapes, messages envoyés, alertes", request: { params: IdParam }, responses: { 200: json(z.object({ candidacy: Candidacy }).passthrough()), 404: Problem } }),
    async (c) => {
      const d = await q.candidacyDetail(deps(c).db, actorOf(c), deps(c).clock, c.req.valid("param").id);
      return c.json({ candidacy: d.row, history: d.log, messages: d.messages, flags: d.flags, nextStatuses: d.next }, 200);
    },
  );

  app.openapi(
    createRoute({ method: "post", path: "/api/candidacies/paper", tags, security: sec, summary: "Saisir une prescription reçue par courrier ou e-mail, avec le formulaire joint (PDF/JPEG/PNG en base64, 10 Mo au plus)", request: body(PaperApiInput), responses: { 201: Created, 422: Problem } }),
    async (c) => {
      const { attachment, ...input } = c.req.valid("json");
      const file = attachment ? { filename: attachment.filename, contentType: attachment.contentType, bytes: new Uint8Array(Buffer.from(attachment.base64, "base64")) } : undefined;
      return c.json(await uc.enterPaperPrescription(deps(c).db, actorOf(c), deps(c).clock, input, file), 201);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/sessions/{id}/candidacies/import",
      tags,
      security: sec,
      summary: "Importer des prescriptions papier depuis un CSV (UTF-8, `;`) : compte rendu ligne par ligne",
      request: { params: IdParam, body: { content: { "text/csv": { schema: z.string().max(MAX_CSV_BYTES) } }, required: true } },
      responses: { 200: json(z.array(z.object({ line: z.number(), name: z.string(), status: z.enum(["created", "refused"]), candidacyId: z.string().optional(), messages: z.array(z.string()) }))), 400: Problem },
    }),
    async (c) => c.json(await importCsv(deps(c).db, actorOf(c), deps(c).clock, c.req.valid("param").id, new Uint8Array(await c.req.arrayBuffer())), 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/public/sessions/{id}/registrations",
      tags,
      summary: `Inscription directe en ligne à une session e-formation (sans connexion ; refusée ailleurs : passer par un prescripteur). Rien n'est transmis à l'organisme avant la confirmation par le lien envoyé à l'adresse e-mail (valable ${CONFIRM_HOURS} h). 10 demandes par heure et par adresse IP ; 5 courriels de confirmation par jour et par destinataire (au-delà, même réponse, sans envoi).`,
      request: { params: IdParam, ...body(DirectRegistrationInput) },
      responses: { 202: json(z.object({ status: z.literal("pending"), confirmHours: z.number(), warnings: z.array(Violation) }), "En attente de confirmation par courriel"), 422: Problem, 429: Problem },
    }),
    async (c) => {
      const { warnings } = await registerDirect(deps(c).db, deps(c).clock, publicUrl(c), c.req.valid("param").id, c.req.valid("json"), clientAddress(c));
      return c.json({ status: "pending" as const, confirmHours: CONFIRM_HOURS, warnings }, 202);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/public/registrations/{token}/confirm",
      tags,
      summary: "Confirmer une inscription directe avec le jeton du lien reçu par courriel : la candidature est alors créée et transmise à l'organisme",
      request: { params: z.object({ token: z.string().min(20).max(100) }) },
      responses: { 201: Created, 410: Problem, 422: Problem },
    }),
    async (c) => {
      const { id, warnings } = await confirmDirectRegistration(deps(c).db, deps(c).clock, c.req.valid("param").token);
      return c.json({ id, warnings }, 201);
    },
  );

  app.openapi(
    createRoute({ method: "post", path: "/api/continuation-slips", tags, security: sec, summary: "Transmettre une fiche navette (suite de parcours, CP-CONTINUATION-SLIP / -ROUTES / -ENTRY)", request: body(ContinuationSlipInput), responses: { 201: json(z.object({ id: z.string(), receivedOn: z.string(), deadline: z.string(), warnings: z.array(Violation) }), "Transmise"), 422: Problem } }),
    async (c) => c.json(await uc.sendContinuationSlip(deps(c).db, actorOf(c), deps(c).clock, c.req.valid("json")), 201),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/continuation-slips",
      tags,
      security: sec,
      summary: "Fiches navettes reçues et envoyées, échéance de 28 jours et retards (CP-CONTINUATION-4W, CP-COPASS)",
      request: { query: SlipListQuery },
      responses: { 200: json(z.object({ items: z.array(z.object({ deadline: z.string(), overdue: z.boolean() }).passthrough()), next: z.string().nullable() })), 400: Problem },
    }),
    async (c) => {
      const slips = await pageSlips(deps(c).db, actorOf(c), deps(c).clock, c.req.valid("query"));
      return c.json({ items: slips.items.map((s) => ({ candidacy: s.row, deadline: s.deadline, direction: s.direction, overdue: !!s.lateness && !s.row.slip_answered_on, late: s.lateness ?? null })), next: slips.next }, 200);
    },
  );

  app.openapi(
    createRoute({ method: "get", path: "/api/region/continuations", tags, security: sec, summary: "Région : par commande, suites de parcours reçues, retenues et refusées avec leurs motifs", responses: { 200: json(z.array(z.object({ orderNumber: z.string() }).passthrough())) } }),
    async (c) => c.json(await q.regionContinuations(deps(c).db, actorOf(c), deps(c).clock), 200),
  );

  app.openapi(
    createRoute({ method: "post", path: "/api/candidacies/{id}/transitions", tags, security: sec, summary: "Étape du recrutement (CP-CANDIDACY-DECISION) : invitation, convocation, décision, désistement", request: { params: IdParam, ...body(TransitionInput) }, responses: { 200: json(z.object({ status: z.string(), warnings: z.array(Violation) })), 409: Problem, 422: Problem } }),
    async (c) => c.json(await uc.decide(deps(c).db, actorOf(c), deps(c).clock, c.req.valid("param").id, c.req.valid("json")), 200),
  );

  app.openapi(
    createRoute({ method: "put", path: "/api/candidacies/{id}/assessment", tags, security: sec, summary: "Note d'évaluation de sélection (0–100) pour le classement", request: { params: IdParam, ...body(z.object({ assessmentScore: z.number().int().min(0).max(100).nullable() })) }, responses: { 204: { description: "Enregistrée" } } }),
    async (c) => {
      await uc.recordAssessment(deps(c).db, actorOf(c), c.req.valid("param").id, c.req.valid("json").assessmentScore);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({ method: "put", path: "/api/candidacies/{id}/registration", tags, security: sec, summary: "Inscription à France Travail et aide apportée (CP-ELIGIBLE-PUBLIC)", request: { params: IdParam, ...body(RegistrationUpdateInput) }, responses: { 204: { description: "Enregistrée" } } }),
    async (c) => {
      await uc.updateRegistration(deps(c).db, actorOf(c), c.req.valid("param").id, c.req.valid("json"));
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({ method: "post", path: "/api/candidacies/{id}/entry", tags, security: sec, summary: "Faire entrer un candidat retenu : crée le stagiaire et son parcours (rien n'est ressaisi)", request: { params: IdParam, ...body(EntryInput) }, responses: { 201: json(z.object({ pathId: z.string(), traineeId: z.string() }), "Entré"), 422: Problem } }),
    async (c) => c.json(await uc.enter(deps(c).db, actorOf(c), deps(c).clock, c.req.valid("param").id, c.req.valid("json")), 201),
  );

  app.openapi(
    createRoute({ method: "get", path: "/api/sessions/{id}/selection", tags, security: sec, summary: "Classement de sélection d'une session (note, puis suites de parcours d'abord à égalité, CP-CONTINUATION-PRIORITY)", request: { params: IdParam }, responses: { 200: json(z.array(z.object({ rank: z.number(), candidacy: Candidacy }).passthrough())), 404: Problem } }),
    async (c) => {
      const r = await q.selectionRanking(deps(c).db, actorOf(c), deps(c).clock, c.req.valid("param").id);
      return c.json(r.ranked.map((x) => ({ rank: x.rank, candidacy: x.row, flags: x.flags })), 200);
    },
  );
}

