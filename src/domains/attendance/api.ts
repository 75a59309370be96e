// JSON API of attendance (/api/attendance/...): thin — parse → use case → respond.
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { BASE64_MAX, MAX_FILENAME_LENGTH } from "../../core/files.ts";
import { z } from "zod";
import { DomainError } from "../../core/errors.ts";
import { jsonBody } from "../../core/http/body.ts";
import type { AppEnv, Ctx } from "../../core/http/context.ts";
import { actorOf } from "../../core/http/context.ts";
import { baseUrl, requestMeta, signerClaimOf, signerOf } from "./http.ts";
import { makeCode } from "./qr.ts";
import { AnswerInput, CountersignInput, DeviceInput, HelpInput, KioskInput, LinkInput, LinkSignInput, MarkInput, PaperInput, SelfStudyInput, SignInput } from "./schema.ts";
import { attendanceSettings } from "./settings.ts";
import * as uc from "./use-cases.ts";

const Problem = { description: "Refus (application/problem+json, `code` = identifiant de la règle)" };
const json = <T extends z.ZodTypeAny>(schema: T, description = "OK") => ({ description, content: { "application/json": { schema } } });
const body = <T extends z.ZodTypeAny>(schema: T) => ({ body: { content: { "application/json": { schema } }, required: true } });
const SlotParam = z.object({ id: z.string().uuid() });
const sec = [{ bearer: [] }];
const signerSec: { [name: string]: string[] }[] = [{ bearer: [] }, { deviceCookie: [] }];
const tags = ["Émargement"];
const Attendance = z.object({ id: z.string(), slot_id: z.string(), path_id: z.string(), status: z.string(), realised_minutes: z.number(), method: z.string() }).passthrough();
const Signed = z.object({ attendance: Attendance, created: z.boolean() });
/** A signature (≤ 300 kB) plus the other fields. */
const SIGN_BODY_MAX_BYTES = 320_000;
const now = (c: Ctx) => c.get("deps").clock.now();

const Broken = z.object({ slotId: z.string(), seq: z.number(), problem: z.string() }).passthrough();
const EvidenceRun = z.object({
  id: z.string(),
  status: z.enum(["pending", "running", "done", "failed"]),
  complete: z.boolean().openapi({ description: "Toutes les feuilles recalculées (sinon seules celles modifiées depuis leur scellement)" }),
  requestedAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  slots: z.number().nullable(),
  entries: z.number().nullable(),
  rechecked: z.number().nullable().openapi({ description: "Feuilles recalculées en entier" }),
  broken: z.array(Broken).nullable().openapi({ description: "Premier maillon rompu de chaque chaîne ; null tant que la vérification n'est pas terminée, ou si elle a échoué" }),
  error: z.string().nullable(),
});
const EvidenceAlert = z.object({ id: z.number(), slotId: z.string(), seq: z.number(), problem: z.string(), detectedAt: z.string() });
const ReportRequest = z.object({ complete: z.boolean().optional() });
const iso = (d: Date | null) => (d ? d.toISOString() : null);
const runOut = (r: uc.StoredEvidenceReport): z.infer<typeof EvidenceRun> => ({
  id: r.id,
  status: r.status,
  complete: r.complete,
  requestedAt: r.requestedAt.toISOString(),
  startedAt: iso(r.startedAt),
  finishedAt: iso(r.finishedAt),
  slots: r.report?.slots ?? null,
  entries: r.report?.entries ?? null,
  rechecked: r.rechecked,
  broken: r.report?.broken ?? null,
  error: r.error,
});

/**
 * 201 when the row was written now, 200 when it already existed (idempotent retry). The drawn
 * signature (up to 300 kB) is not sent back to the phone that just drew it.
 */
const signed = (c: Ctx, r: uc.SignResult) => {
  const { signature: _drawn, ...attendance } = r.attendance;
  return c.json({ attendance, created: r.created }, r.created ? 201 : 200);
};

export function registerAttendanceApi(app: OpenAPIHono<AppEnv>) {
  // The 9:00 hot path: documented like the others, but its body is read from Node's stream
  // (core/http/body.ts, ADR 0006) rather than through the validator's web Request.
  app.openAPIRegistry.registerPath(
    createRoute({
      method: "post",
      path: "/api/attendance/sign",
      tags,
      security: signerSec,
      summary: "Émarger par QR code (téléphone du stagiaire : cookie d'appareil ou connexion stagiaire). Idempotent : même clientId ou déjà émargé → 200 avec l'enregistrement existant. `signedAt` seulement pour une signature mise en file hors ligne.",
      request: body(SignInput),
      responses: { 201: json(Signed, "Émargé"), 200: json(Signed, "Déjà émargé"), 400: Problem, 403: Problem, 409: Problem, 422: Problem },
    }),
  );
  app.post("/api/attendance/sign", async (c) => {
    const input = await jsonBody(c, SignInput, SIGN_BODY_MAX_BYTES);
    return signed(c, await uc.signWithCode(c.get("deps").db, now(c), signerClaimOf(c), requestMeta(c), input));
  });

  app.openapi(
    createRoute({ method: "get", path: "/api/attendance/slots/{id}", tags, security: sec, summary: "Feuille d'émargement d'un créneau (stagiaires attendus, présences, contresignature)", request: { params: SlotParam }, responses: { 200: json(z.object({}).passthrough()), 404: Problem } }),
    async (c) => c.json(await uc.sheetOf(c.get("deps").db, actorOf(c), c.req.valid("param").id), 200),
  );

  app.openapi(
    createRoute({ method: "post", path: "/api/attendance/slots/{id}/open", tags, security: sec, summary: "Ouvrir l'émargement du créneau (planifié → ouvert)", request: { params: SlotParam }, responses: { 204: { description: "Ouvert" }, 403: Problem, 409: Problem } }),
    async (c) => {
      await uc.openSlot(c.get("deps").db, actorOf(c), c.req.valid("param").id);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/attendance/slots/{id}/qr",
      tags,
      security: sec,
      summary: "Code d'émargement tournant du moment (HMAC signé par le serveur) et l'URL à encoder dans le QR",
      request: { params: SlotParam },
      responses: { 200: json(z.object({ code: z.string(), url: z.string(), refreshSeconds: z.number(), maxAgeSeconds: z.number() })), 409: Problem },
    }),
    async (c) => {
      const { db } = c.get("deps");
      const actor = actorOf(c);
      const slot = await uc.loadSlotForActor(db, actor, c.req.valid("param").id);
      uc.canWriteSlot(actor, slot);
      if (slot.status !== "open") throw new DomainError("CP-ATTENDANCE-SLOT-STATUS", 409, "Ouvrez d'abord l'émargement du créneau.");
      const s = attendanceSettings();
      const code = makeCode(s.secret, slot.id, now(c));
      return c.json({ code, url: `${baseUrl(c)}/signer/${slot.id}?c=${code}`, refreshSeconds: s.qrRefreshSeconds, maxAgeSeconds: s.qrMaxAgeSeconds }, 200);
    },
  );

  app.openapi(
    createRoute({ method: "post", path: "/api/attendance/slots/{id}/kiosk", tags, security: sec, summary: "Émargement sur l'appareil du formateur (mode kiosque, identité vérifiée par le formateur)", request: { params: SlotParam, ...body(KioskInput) }, responses: { 201: json(Signed), 200: json(Signed), 403: Problem, 422: Problem } }),
    async (c) => {
      const actor = actorOf(c);
      return signed(c, await uc.signKiosk(c.get("deps").db, actor, now(c), requestMeta(c), c.req.valid("param").id, c.req.valid("json"), (slot) => uc.canWriteSlot(actor, slot)));
    },
  );

  app.openapi(
    createRoute({ method: "post", path: "/api/attendance/slots/{id}/marks", tags, security: sec, summary: "Marquer absence, retard (minutes), absence excusée ou présence ; sur une ligne existante : correction tracée (motif obligatoire une fois la feuille close)", request: { params: SlotParam, ...body(MarkInput) }, responses: { 201: json(Signed), 200: json(Signed), 403: Problem, 422: Problem } }),
    async (c) => signed(c, await uc.markAttendance(c.get("deps").db, actorOf(c), now(c), requestMeta(c), c.req.valid("param").id, c.req.valid("json"))),
  );

  app.openapi(
    createRoute({ method: "post", path: "/api/attendance/slots/{id}/countersign", tags, security: sec, summary: "Contresigner et clore la feuille ; les stagiaires sans émargement sont enregistrés absents (CP-ABSENCE-DECLARED)", request: { params: SlotParam, ...body(CountersignInput) }, responses: { 200: json(z.object({ warnings: z.array(z.object({}).passthrough()) })), 409: Problem } }),
    async (c) => c.json(await uc.countersign(c.get("deps").db, actorOf(c), now(c), requestMeta(c), c.req.valid("param").id, c.req.valid("json").signature), 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/attendance/slots/{id}/paper",
      tags,
      security: sec,
      summary: "Feuille papier : joindre le scan (base64) et saisir les présences (méthode « paper »)",
      request: { params: SlotParam, ...body(PaperInput.extend({ scan: z.object({ filename: z.string().min(1).max(MAX_FILENAME_LENGTH), contentType: z.enum(["application/pdf", "image/jpeg", "image/png"]), base64: z.string().max(BASE64_MAX) }).optional() })) },
      responses: { 200: json(z.array(Signed)), 403: Problem, 422: Problem },
    }),
    async (c) => {
      const input = c.req.valid("json");
      const scan = input.scan ? { filename: input.scan.filename, contentType: input.scan.contentType, bytes: Buffer.from(input.scan.base64, "base64") } : undefined;
      return c.json(await uc.recordPaper(c.get("deps").db, actorOf(c), now(c), requestMeta(c), c.req.valid("param").id, input, scan), 200);
    },
  );

  app.openapi(
    createRoute({ method: "post", path: "/api/attendance/slots/{id}/links", tags, security: sec, summary: "Créer un lien de signature à usage unique : « remote » (distanciel, dans la plage du créneau) ou « tutor » (tuteur en entreprise)", request: { params: SlotParam, ...body(LinkInput) }, responses: { 201: json(z.object({ url: z.string(), expiresAt: z.string() })), 403: Problem, 422: Problem } }),
    async (c) => {
      const link = await uc.createSigningLink(c.get("deps").db, actorOf(c), now(c), c.req.valid("param").id, c.req.valid("json"));
      return c.json({ url: `${baseUrl(c)}/lien/${link.token}`, expiresAt: link.expiresAt.toISOString() }, 201);
    },
  );

  app.openapi(
    createRoute({ method: "post", path: "/api/attendance/links/{token}/sign", tags, security: [], summary: "Signer par lien (stagiaire à distance ou tuteur) — le jeton du lien suffit", request: { params: z.object({ token: z.string().min(20).max(100) }), ...body(LinkSignInput) }, responses: { 201: json(Signed), 200: json(Signed), 404: Problem, 410: Problem, 422: Problem } }),
    async (c) => signed(c, await uc.signByLink(c.get("deps").db, now(c), requestMeta(c), c.req.valid("param").token, c.req.valid("json"))),
  );

  app.openapi(
    createRoute({ method: "post", path: "/api/attendance/slots/{id}/self-study", tags, security: signerSec, summary: "Autoformation : déclarer la séquence réalisée avec son livrable et signer (CP-SELFSTUDY-PRESENCE)", request: { params: SlotParam, ...body(SelfStudyInput) }, responses: { 201: json(Signed), 200: json(Signed), 403: Problem, 422: Problem } }),
    async (c) => signed(c, await uc.recordSelfStudy(c.get("deps").db, now(c), await signerOf(c), requestMeta(c), c.req.valid("param").id, c.req.valid("json"))),
  );

  const Help = z.object({ id: z.string(), question: z.string(), violation: z.object({ code: z.string() }).passthrough().nullable() }).passthrough();
  app.openapi(
    createRoute({ method: "post", path: "/api/attendance/slots/{id}/help", tags, security: signerSec, summary: "Demande d'aide pendant une autoformation (CP-SELFSTUDY-ASSIST-2H)", request: { params: SlotParam, ...body(HelpInput) }, responses: { 201: json(z.object({ id: z.string() }).passthrough()), 403: Problem } }),
    async (c) => c.json(await uc.askHelp(c.get("deps").db, now(c), await signerOf(c), c.req.valid("param").id, c.req.valid("json").question), 201),
  );
  app.openapi(
    createRoute({ method: "get", path: "/api/attendance/help", tags, security: sec, summary: "Demandes d'aide (organisme : les siennes), délai de réponse signalé au-delà de 2 h", request: { query: z.object({ slotId: z.string().uuid().optional() }) }, responses: { 200: json(z.array(Help)) } }),
    async (c) => c.json(await uc.helpRequests(c.get("deps").db, actorOf(c), now(c), { slotId: c.req.valid("query").slotId }), 200),
  );
  app.openapi(
    createRoute({ method: "post", path: "/api/attendance/help/{id}/answer", tags, security: sec, summary: "Répondre à une demande d'aide", request: { params: SlotParam, ...body(AnswerInput) }, responses: { 200: json(Help), 409: Problem } }),
    async (c) => c.json(await uc.answerHelp(c.get("deps").db, actorOf(c), now(c), c.req.valid("param").id, c.req.valid("json").answer), 200),
  );

  app.openapi(
    createRoute({ method: "post", path: "/api/attendance/devices", tags, security: sec, summary: "Enregistrer le téléphone d'un stagiaire : lien à ouvrir une fois (session d'appareil de 120 jours)", request: body(DeviceInput), responses: { 201: json(z.object({ id: z.string(), url: z.string(), expiresAt: z.string() })), 404: Problem } }),
    async (c) => {
      const input = c.req.valid("json");
      const d = await uc.enrolDevice(c.get("deps").db, actorOf(c), now(c), input.traineeId, input.label);
      return c.json({ id: d.id, url: `${baseUrl(c)}/appareil/${d.token}`, expiresAt: d.expiresAt.toISOString() }, 201);
    },
  );
  app.openapi(
    createRoute({ method: "delete", path: "/api/attendance/devices/{id}", tags, security: sec, summary: "Révoquer la session d'appareil d'un stagiaire", request: { params: SlotParam }, responses: { 204: { description: "Révoqué" }, 404: Problem } }),
    async (c) => {
      await uc.revokeDevice(c.get("deps").db, actorOf(c), now(c), c.req.valid("param").id);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/attendance/evidence/verify",
      tags,
      security: sec,
      summary:
        "Région : vérification complète exécutée pendant la requête — recalculer toutes les chaînes de preuves et signaler le premier maillon rompu de chacune. Lente sur une grande base : y préférer les rapports enregistrés (POST /api/attendance/evidence/reports, puis GET /api/attendance/evidence/reports/latest)",
      responses: { 200: json(z.object({ slots: z.number(), entries: z.number(), broken: z.array(Broken) })), 403: Problem },
    }),
    async (c) => c.json(await uc.auditEvidence(c.get("deps").db, actorOf(c)), 200),
  );

  // The same stored runs as /preuves (evidence-reports.ts): ask the background job, read its report.
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/attendance/evidence/reports/latest",
      tags,
      security: sec,
      summary:
        "Région : état enregistré de la vérification des preuves (comme /preuves) — dernière vérification terminée, vérification en attente ou en cours, alertes relevées à l'écriture de chaque maillon",
      responses: { 200: json(z.object({ last: EvidenceRun.nullable(), open: EvidenceRun.nullable(), alerts: z.array(EvidenceAlert) })), 403: Problem },
    }),
    async (c) => {
      const state = await uc.evidenceAuditState(c.get("deps").db, actorOf(c));
      return c.json({ last: state.last ? runOut(state.last) : null, open: state.open ? runOut(state.open) : null, alerts: state.alerts.map((a) => ({ ...a, detectedAt: a.detectedAt.toISOString() })) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/attendance/evidence/reports",
      tags,
      security: sec,
      summary:
        "Région : demander une vérification des preuves à la tâche de fond (comme les boutons de /preuves) — courante par défaut (seules les feuilles modifiées depuis leur scellement), complète avec `complete: true`. Une vérification déjà en attente ou en cours répond à sa place (une demande complète rend complète celle qui attend) : répéter la demande avant la fin n'en crée pas d'autre",
      request: { body: { content: { "application/json": { schema: ReportRequest } }, required: false } },
      responses: { 202: json(z.object({ id: z.string() }), "Demandée (ou déjà en attente ou en cours)"), 400: Problem, 403: Problem },
    }),
    async (c) => {
      const { db, clock } = c.get("deps");
      const id = await uc.requestEvidenceAudit(db, actorOf(c), clock, { complete: c.req.valid("json").complete ?? false });
      return c.json({ id }, 202);
    },
  );
}
