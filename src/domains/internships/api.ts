// JSON API of the internships domain (OpenAPI): parse → use case → respond.
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import { BASE64_MAX, MAX_FILENAME_LENGTH } from "../../core/files.ts";
import type { AppEnv, Ctx } from "../../core/http/context.ts";
import { actorOf, depsOf } from "../../core/http/context.ts";
import { publicUrl } from "../../core/http/client.ts";
import { AlertInput, CompanyInput, FollowupInput, IncidentInput, PeriodInput, PeriodUpdateInput, ReviewInput, SentInput, ShareInput, SignInput, SocialCoverInput, TutorInput, VisitInput, WaiverInput } from "./schema.ts";
import * as uc from "./use-cases.ts";

const Problem = { description: "Refus (application/problem+json, `code` = identifiant de la règle)" };
const ok = <T extends z.ZodTypeAny>(schema: T, description = "OK") => ({ description, content: { "application/json": { schema } } });
const body = <T extends z.ZodTypeAny>(schema: T) => ({ body: { content: { "application/json": { schema } }, required: true } });
const Id = z.object({ id: z.uuid("Identifiant invalide.") });
const Token = z.object({ token: z.string().min(20).max(100) });
const sec = [{ bearer: [] }];
const tags = ["Périodes en entreprise (CP-INTERNSHIP-*)"];
const followTags = ["Suivi du stagiaire (CP-REFERENT-FOLLOWUP, CP-SOCIAL-PROTECTION-FORMS)"];
const Any = z.object({}).passthrough();
const Created = z.object({ id: z.string() }).passthrough();
const Warned = z.object({ warnings: z.array(Any) }).passthrough();
const Signature = z.object({ created: z.boolean(), complete: z.boolean(), missing: z.array(z.string()) });
const StatusInput = z.object({ status: z.enum(["in_progress", "closed", "cancelled"]) });
const CertificateInput = z.object({ kind: z.enum(["civil_liability", "social_cover"]), filename: z.string().min(1).max(MAX_FILENAME_LENGTH), contentType: z.string().max(100), base64: z.string().max(BASE64_MAX) });
const now = (c: Ctx) => depsOf(c).clock.now();
const db = (c: Ctx) => depsOf(c).db;
const pid = (c: Ctx) => c.req.param("id") ?? "";
const ptok = (c: Ctx) => c.req.param("token") ?? "";
const json = (c: Ctx) => c.req.valid("json" as never) as unknown;

export function registerInternshipsApi(app: OpenAPIHono<AppEnv>) {
  const route = app.openapi.bind(app) as (r: ReturnType<typeof createRoute>, h: (c: Ctx) => Promise<Response>) => void;

  // ---- Network (CP-COMPANY-NETWORK) ----
  route(createRoute({ method: "get", path: "/api/companies", tags, security: sec, summary: "Réseau d'entreprises partenaires, filtré par code ROME, secteur et distance (km) d'une commune (code INSEE ou nom ; à défaut de point connu, même département) ou d'une entreprise", request: { query: z.object({ rome: z.string().max(5).optional(), sector: z.string().max(200).optional(), commune: z.string().max(100).optional(), nearCompanyId: z.string().max(40).optional(), km: z.string().max(4).optional() }) }, responses: { 200: ok(z.array(Any)), 403: Problem } }), async (c) =>
    c.json(await uc.searchCompanies(db(c), actorOf(c), c.req.query()), 200),
  );
  route(createRoute({ method: "post", path: "/api/companies", tags, security: sec, summary: "Ajouter une entreprise au réseau (SIRET vérifié ; aussi une entreprise trouvée par le ou la stagiaire)", request: body(CompanyInput), responses: { 201: ok(Created), 409: Problem, 422: Problem } }), async (c) =>
    c.json(await uc.createCompany(db(c), actorOf(c), json(c)), 201),
  );
  route(createRoute({ method: "get", path: "/api/companies/{id}", tags, security: sec, summary: "Une entreprise, ses tuteurs et ses accueils passés", request: { params: Id }, responses: { 200: ok(Any), 404: Problem } }), async (c) =>
    c.json(await uc.getCompany(db(c), actorOf(c), pid(c)), 200),
  );
  route(createRoute({ method: "post", path: "/api/companies/{id}/tutors", tags, security: sec, summary: "Ajouter un tuteur ou une tutrice", request: { params: Id, ...body(TutorInput) }, responses: { 201: ok(Created), 404: Problem } }), async (c) =>
    c.json(await uc.addTutor(db(c), actorOf(c), pid(c), json(c)), 201),
  );
  route(createRoute({ method: "post", path: "/api/company-shares", tags, security: sec, summary: "Partager une liste d'entreprises avec un·e stagiaire (visible dans « Mon parcours »)", request: body(ShareInput), responses: { 201: ok(Created), 404: Problem } }), async (c) =>
    c.json(await uc.shareCompanies(db(c), actorOf(c), json(c)), 201),
  );

  route(createRoute({ method: "get", path: "/api/me/company-shares", tags, security: sec, summary: "Stagiaire : les entreprises que son référent lui a partagées, et ses périodes", responses: { 200: ok(z.object({ shares: z.array(Any), periods: z.array(Any) })) } }), async (c) =>
    c.json({ shares: await uc.sharedWithTrainee(db(c), actorOf(c)), periods: await uc.myPeriods(db(c), actorOf(c)) }, 200),
  );

  // ---- Periods and agreement ----
  route(createRoute({ method: "get", path: "/api/periods", tags, security: sec, summary: "Périodes en entreprise de l'organisme (toutes pour la Région)", responses: { 200: ok(z.array(Any)) } }), async (c) => c.json(await uc.listPeriods(db(c), actorOf(c)), 200));
  route(createRoute({ method: "post", path: "/api/periods", tags, security: sec, summary: "Créer une période sur un parcours (CP-COMPANY-MAX-70H sur toutes ses périodes, CP-WEEKLY-LEGAL ; CP-TUTOR-PRECONTACT averti)", request: body(PeriodInput), responses: { 201: ok(Created.merge(Warned)), 404: Problem, 422: Problem } }), async (c) =>
    c.json(await uc.createPeriod(db(c), actorOf(c), json(c)), 201),
  );
  route(createRoute({ method: "get", path: "/api/periods/{id}", tags, security: sec, summary: "Une période : convention (contenu, version, empreinte), signatures, visites, bilans", request: { params: Id }, responses: { 200: ok(Any), 404: Problem } }), async (c) =>
    c.json(await uc.periodDetail(db(c), actorOf(c), pid(c)), 200),
  );
  route(createRoute({ method: "put", path: "/api/periods/{id}", tags, security: sec, summary: "Modifier la période et sa convention (une convention signée repart à la signature)", request: { params: Id, ...body(PeriodUpdateInput) }, responses: { 200: ok(Warned), 404: Problem, 409: Problem, 422: Problem } }), async (c) =>
    c.json(await uc.updatePeriod(db(c), actorOf(c), pid(c), json(c), now(c), publicUrl(c)), 200),
  );
  route(createRoute({ method: "post", path: "/api/periods/{id}/send", tags, security: sec, summary: "Envoyer la convention à la signature : liens personnels (jeton haché, expirant) envoyés par courriel au stagiaire et au tuteur (CP-INTERNSHIP-AGREEMENT)", request: { params: Id }, responses: { 200: ok(z.object({ trainee: z.string().optional(), tutor: z.string().optional() })), 404: Problem, 422: Problem } }), async (c) =>
    c.json(await uc.sendForSignature(db(c), actorOf(c), pid(c), now(c), publicUrl(c)), 200),
  );
  route(createRoute({ method: "post", path: "/api/periods/{id}/sign", tags, security: sec, summary: "Signer dans l'application : l'organisme (personnel) ou le ou la stagiaire (son compte) ; signer deux fois est sans effet", request: { params: Id }, responses: { 200: ok(Signature), 404: Problem, 409: Problem } }), async (c) => {
    const actor = actorOf(c);
    const id = pid(c);
    return c.json(actor.role === "trainee" ? await uc.signAsTrainee(db(c), actor, id, now(c)) : await uc.signAsProvider(db(c), actor, id, now(c)), 200);
  });
  route(createRoute({ method: "post", path: "/api/periods/{id}/status", tags, security: sec, summary: "Commencer (convention signée, attestations à l'étranger : CP-INTERNSHIP-AGREEMENT, CP-INTERNSHIP-ABROAD), clôturer (visite : CP-INTERNSHIP-VISIT) ou annuler", request: { params: Id, ...body(StatusInput) }, responses: { 200: ok(Warned), 404: Problem, 409: Problem, 422: Problem } }), async (c) =>
    c.json(await uc.transitionPeriod(db(c), actorOf(c), pid(c), (json(c) as z.infer<typeof StatusInput>).status), 200),
  );
  route(createRoute({ method: "post", path: "/api/periods/{id}/visits", tags, security: sec, summary: "Prévoir ou enregistrer une visite (CP-INTERNSHIP-VISIT)", request: { params: Id, ...body(VisitInput) }, responses: { 201: ok(Created), 404: Problem } }), async (c) =>
    c.json(await uc.recordVisit(db(c), actorOf(c), pid(c), json(c)), 201),
  );
  route(createRoute({ method: "post", path: "/api/periods/{id}/visit-waiver", tags, security: sec, summary: "Dispense de visite d'une période à l'étranger (Région)", request: { params: Id, ...body(WaiverInput) }, responses: { 204: { description: "Dispense enregistrée" }, 403: Problem, 404: Problem, 422: Problem } }), async (c) => {
    await uc.waiveVisit(db(c), actorOf(c), pid(c), json(c), now(c));
    return c.body(null, 204);
  });
  route(createRoute({ method: "post", path: "/api/periods/{id}/review", tags, security: sec, summary: "Bilan du formateur ou de la formatrice référent·e (CP-INTERNSHIP-REVIEW)", request: { params: Id, ...body(ReviewInput) }, responses: { 204: { description: "Bilan enregistré" }, 404: Problem } }), async (c) => {
    await uc.submitReferentReview(db(c), actorOf(c), pid(c), json(c), now(c));
    return c.body(null, 204);
  });
  route(createRoute({ method: "post", path: "/api/periods/{id}/certificates", tags, security: sec, summary: "Déposer l'attestation de responsabilité civile ou de couverture sociale (CP-INTERNSHIP-ABROAD ; PDF, JPEG ou PNG vérifié sur son contenu, 10 Mo)", request: { params: Id, ...body(CertificateInput) }, responses: { 201: ok(z.object({ id: z.string(), sha256: z.string() })), 404: Problem, 422: Problem } }), async (c) => {
    const b = json(c) as z.infer<typeof CertificateInput>;
    return c.json(await uc.uploadCertificate(db(c), actorOf(c), pid(c), b.kind, { filename: b.filename, contentType: b.contentType, bytes: new Uint8Array(Buffer.from(b.base64, "base64")) }), 201);
  });

  // ---- Personal links (trainee, tutor): the token is the credential ----
  route(createRoute({ method: "post", path: "/api/internship-links/{token}/sign", tags, security: [], summary: "Signer la convention par lien personnel (stagiaire ou tuteur)", request: { params: Token, ...body(SignInput) }, responses: { 200: ok(Signature), 404: Problem, 410: Problem } }), async (c) =>
    c.json(await uc.signByLink(db(c), now(c), ptok(c), json(c)), 200),
  );
  route(createRoute({ method: "post", path: "/api/internship-links/{token}/review", tags, security: [], summary: "Bilan de fin de période par lien (tuteur ou stagiaire, CP-INTERNSHIP-REVIEW)", request: { params: Token, ...body(ReviewInput) }, responses: { 204: { description: "Bilan enregistré" }, 404: Problem, 410: Problem } }), async (c) => {
    await uc.submitReviewByLink(db(c), now(c), ptok(c), json(c));
    return c.body(null, 204);
  });
  route(createRoute({ method: "post", path: "/api/internship-links/{token}/renew", tags, security: [], summary: "Recevoir par courriel un nouveau lien (lien expiré) — la réponse est la même dans tous les cas", request: { params: Token }, responses: { 202: { description: "Si le lien a expiré, un nouveau lien est envoyé à l'adresse connue" } } }), async (c) => {
    await uc.renewLink(db(c), now(c), ptok(c), publicUrl(c));
    return c.body(null, 202);
  });

  // ---- Follow-up ----
  route(createRoute({ method: "get", path: "/api/trainees/{id}/followup", tags: followTags, security: sec, summary: "Suivi du stagiaire : entretiens, freins, alertes, série d'absences", request: { params: Id }, responses: { 200: ok(Any), 404: Problem } }), async (c) =>
    c.json(await uc.followupOf(db(c), actorOf(c), pid(c)), 200),
  );
  route(createRoute({ method: "post", path: "/api/followup-entries", tags: followTags, security: sec, summary: "Noter un entretien : freins périphériques (liste fixe) et ressources mobilisées (CP-REFERENT-FOLLOWUP)", request: body(FollowupInput), responses: { 201: ok(Created), 404: Problem } }), async (c) =>
    c.json(await uc.recordFollowup(db(c), actorOf(c), json(c)), 201),
  );
  route(createRoute({ method: "post", path: "/api/dropout-alerts", tags: followTags, security: sec, summary: "Alerter le prescripteur d'un risque de décrochage (courriel)", request: body(AlertInput), responses: { 201: ok(z.object({ id: z.string(), notified: z.boolean() })), 404: Problem } }), async (c) =>
    c.json(await uc.raiseAlert(db(c), actorOf(c), json(c), now(c)), 201),
  );
  route(createRoute({ method: "put", path: "/api/trainees/{id}/social-cover", tags: followTags, security: sec, summary: "La Région assure-t-elle la protection sociale du stagiaire ? (CP-SOCIAL-PROTECTION-FORMS)", request: { params: Id, ...body(SocialCoverInput) }, responses: { 204: { description: "Enregistré" }, 404: Problem } }), async (c) => {
    await uc.setSocialCover(db(c), actorOf(c), pid(c), json(c));
    return c.body(null, 204);
  });
  route(createRoute({ method: "post", path: "/api/work-incidents", tags: followTags, security: sec, summary: "Déclarer un arrêt de travail ou un accident (dates ; aucune donnée de paie)", request: body(IncidentInput), responses: { 201: ok(Created), 404: Problem } }), async (c) =>
    c.json(await uc.recordIncident(db(c), actorOf(c), json(c)), 201),
  );
  route(createRoute({ method: "post", path: "/api/work-incidents/{id}/sent", tags: followTags, security: sec, summary: "Noter l'envoi des formulaires au prestataire de la Région (date, destinataire)", request: { params: Id, ...body(SentInput) }, responses: { 204: { description: "Envoi noté" }, 404: Problem } }), async (c) => {
    await uc.markIncidentSent(db(c), actorOf(c), pid(c), json(c));
    return c.body(null, 204);
  });
}
