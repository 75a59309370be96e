// JSON API of the teaching team (OpenAPI), CP-TRAINER-CHANGE: parse → use case → respond.
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import { BASE64_MAX, type FileInput, MAX_FILENAME_LENGTH } from "../../core/files.ts";
import { publicUrl } from "../../core/http/client.ts";
import type { AppEnv, Ctx } from "../../core/http/context.ts";
import { actorOf, depsOf } from "../../core/http/context.ts";
import * as uc from "./use-cases.ts";

const tags = ["Équipes pédagogiques (CP-TRAINER-CHANGE)"];
const security = [{ bearer: [] }];
const IdParam = z.object({ id: z.uuid("Identifiant invalide.") });
const json = <S extends z.ZodType>(schema: S) => ({ body: { content: { "application/json": { schema } }, required: true } });
const ok = <S extends z.ZodType>(description: string, schema: S) => ({ description, content: { "application/json": { schema } } });
const problem = (description: string) => ({ description, content: { "application/problem+json": { schema: z.object({ code: z.string(), detail: z.string() }) } } });
const binary = { description: "Le fichier", content: { "application/octet-stream": { schema: z.string() } } };

const FileJson = z.object({ filename: z.string().min(1).max(MAX_FILENAME_LENGTH), contentType: z.enum(["application/pdf", "image/jpeg", "image/png"]), base64: z.string().min(1).max(BASE64_MAX) });
const fileOf = (f: z.infer<typeof FileJson> | undefined): FileInput | undefined => (f ? { filename: f.filename, contentType: f.contentType, bytes: new Uint8Array(Buffer.from(f.base64, "base64")) } : undefined);
const TrainerBody = z.object({ fullName: z.string().max(800), qualifications: z.string().max(8000).optional(), active: z.boolean().optional(), cv: FileJson.optional() });

const TrainerOut = z.object({ id: z.string(), providerId: z.string(), fullName: z.string(), qualifications: z.string(), active: z.boolean(), hasCv: z.boolean() });
const trainerOut = (t: uc.Trainer) => ({ id: t.id, providerId: t.provider_id, fullName: t.full_name, qualifications: t.qualifications, active: t.active, hasCv: !!t.cv_attachment_id });
const ViolationOut = z.object({ code: z.string(), severity: z.enum(["error", "warning"]), message: z.string(), article: z.string() });

const NoticeOut = z.object({
  id: z.string(),
  reference: z.string(),
  providerId: z.string(),
  providerName: z.string(),
  orderId: z.string(),
  orderNumber: z.string(),
  kind: z.enum(["team_change", "replacement", "site_change"]),
  /** A site-change notice: the site it is about. */
  siteId: z.string().nullable(),
  reason: z.string(),
  absentTrainer: z.string().nullable(),
  replacementTrainer: z.string().nullable(),
  absenceFrom: z.string().nullable(),
  absenceTo: z.string().nullable(),
  filedAt: z.string(),
  acknowledgedAt: z.string().nullable(),
});
type NoticeRow = Awaited<ReturnType<typeof uc.listNotices>>[number];
const iso = (d: Date | string) => new Date(d).toISOString();
const noticeOut = (n: NoticeRow) => ({
  id: n.id,
  reference: uc.noticeReference(n.id),
  providerId: n.provider_id,
  providerName: n.provider_name,
  orderId: n.order_id,
  orderNumber: n.order_number,
  kind: n.kind,
  reason: n.reason,
  absentTrainer: n.absent_name,
  replacementTrainer: n.replacement_name,
  absenceFrom: n.absence_from,
  absenceTo: n.absence_to,
  filedAt: iso(n.filed_at),
  acknowledgedAt: n.acknowledged_at ? iso(n.acknowledged_at) : null,
  siteId: n.site_id,
});
const NoticeDetailOut = NoticeOut.extend({ trainers: z.array(z.object({ id: z.string(), fullName: z.string(), qualifications: z.string(), change: z.enum(["added", "removed"]), cvUrl: z.string().nullable() })) });
const noticeDetailOut = (n: uc.Notice) => ({
  ...noticeOut(n),
  trainers: n.trainers.map((t) => ({ id: t.id, fullName: t.full_name, qualifications: t.qualifications, change: t.change, cvUrl: t.cv_attachment_id ? `/api/trainer-notices/${n.id}/cv/${t.id}` : null })),
});

const download = (c: Ctx, a: { filename: string; content_type: string; bytes: Uint8Array | Buffer }) =>
  c.body(new Uint8Array(a.bytes), 200, { "content-type": a.content_type, "content-disposition": `attachment; filename="${a.filename.replace(/[^\w.-]/g, "_")}"`, "x-content-type-options": "nosniff" });

export function registerTrainersApi(app: OpenAPIHono<AppEnv>) {
  app.openapi(
    createRoute({ method: "get", path: "/api/trainers", tags, security, summary: "Formateurs (un organisme : les siens ; la Région : ceux d'un organisme)", request: { query: z.object({ providerId: z.uuid().optional() }) }, responses: { 200: ok("Formateurs", z.array(TrainerOut)) } }),
    async (c) => c.json((await uc.listTrainers(depsOf(c).db, actorOf(c), c.req.valid("query").providerId)).map(trainerOut), 200),
  );
  app.openapi(
    createRoute({ method: "post", path: "/api/trainers", tags, security, summary: "Enregistrer un formateur, ses qualifications et son CV en base64 (PDF, JPEG, PNG ; 10 Mo)", request: json(TrainerBody), responses: { 201: ok("Formateur", TrainerOut), 400: problem("Saisie invalide"), 403: problem("Rôle insuffisant") } }),
    async (c) => {
      const { cv, ...input } = c.req.valid("json");
      return c.json(trainerOut(await uc.createTrainer(depsOf(c).db, actorOf(c), input, fileOf(cv))), 201);
    },
  );
  app.openapi(
    createRoute({ method: "get", path: "/api/trainers/{id}", tags, security, summary: "Un formateur", request: { params: IdParam }, responses: { 200: ok("Formateur", TrainerOut), 404: problem("Introuvable") } }),
    async (c) => c.json(trainerOut(await uc.getTrainer(depsOf(c).db, actorOf(c), c.req.valid("param").id)), 200),
  );
  app.openapi(
    createRoute({ method: "put", path: "/api/trainers/{id}", tags, security, summary: "Modifier un formateur (un CV joint remplace le précédent)", request: { params: IdParam, ...json(TrainerBody) }, responses: { 200: ok("Formateur", TrainerOut), 400: problem("Saisie invalide"), 404: problem("Introuvable") } }),
    async (c) => {
      const { cv, ...input } = c.req.valid("json");
      return c.json(trainerOut(await uc.updateTrainer(depsOf(c).db, actorOf(c), c.req.valid("param").id, input, fileOf(cv))), 200);
    },
  );
  app.openapi(createRoute({ method: "get", path: "/api/trainers/{id}/cv", tags, security, summary: "Le CV actuel d'un formateur", request: { params: IdParam }, responses: { 200: binary, 404: problem("Introuvable") } }), async (c) =>
    download(c, await uc.trainerCv(depsOf(c).db, actorOf(c), c.req.valid("param").id)),
  );

  const TeamOut = z.object({ orderId: z.string(), trainers: z.array(z.object({ id: z.string(), fullName: z.string(), qualifications: z.string(), addedAt: z.string() })), notices: z.array(NoticeOut) });
  const teamOut = async (c: Ctx, orderId: string) => {
    const t = await uc.orderTeam(depsOf(c).db, actorOf(c), orderId);
    return { orderId, trainers: t.team.map((m) => ({ id: m.id, fullName: m.full_name, qualifications: m.qualifications, addedAt: iso(m.added_at) })), notices: t.notices.map(noticeOut) };
  };
  app.openapi(
    createRoute({ method: "get", path: "/api/orders/{id}/team", tags, security, summary: "L'équipe pédagogique d'une commande et ses avis à la Région", request: { params: IdParam }, responses: { 200: ok("Équipe", TeamOut), 404: problem("Introuvable") } }),
    async (c) => c.json(await teamOut(c, c.req.valid("param").id), 200),
  );
  app.openapi(
    createRoute({
      method: "put",
      path: "/api/orders/{id}/team",
      tags,
      security,
      summary: "Fixer l'équipe pédagogique : un changement est notifié à la Région avec le CV des nouveaux formateurs (CP-TRAINER-CHANGE)",
      request: { params: IdParam, ...json(z.object({ trainerIds: z.array(z.string().max(40)).max(50), reason: z.string().max(8000) })) },
      responses: { 200: ok("Équipe et avis créé (null si rien ne change)", TeamOut.extend({ noticeId: z.string().nullable() })), 400: problem("Saisie invalide"), 404: problem("Introuvable"), 422: problem("Formateur sans CV (CP-TRAINER-CHANGE)") },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const r = await uc.setOrderTeam(depsOf(c).db, actorOf(c), depsOf(c).clock, publicUrl(c), id, c.req.valid("json"));
      return c.json({ ...(await teamOut(c, id)), noticeId: r.noticeId }, 200);
    },
  );
  app.openapi(
    createRoute({
      method: "post",
      path: "/api/orders/{id}/team/replacements",
      tags,
      security,
      summary: "Remplacer un formateur absent par un formateur de qualification équivalente, notifié à la Région (CP-TRAINER-CHANGE)",
      request: { params: IdParam, ...json(z.object({ absentTrainerId: z.string().max(40), replacementTrainerId: z.string().max(40), absenceFrom: z.string().max(10), absenceTo: z.string().max(10).optional(), reason: z.string().max(8000) })) },
      responses: { 201: ok("Avis créé", z.object({ noticeId: z.string(), warnings: z.array(ViolationOut) })), 400: problem("Saisie invalide"), 404: problem("Introuvable"), 422: problem("Remplaçant non qualifié (CP-TRAINER-CHANGE)") },
    }),
    async (c) => {
      const r = await uc.replaceAbsentTrainer(depsOf(c).db, actorOf(c), depsOf(c).clock, publicUrl(c), c.req.valid("param").id, c.req.valid("json"));
      return c.json({ noticeId: r.noticeId, warnings: r.warnings.map((w) => ({ code: w.code, severity: w.severity, message: w.message, article: w.article })) }, 201);
    },
  );

  app.openapi(
    createRoute({ method: "get", path: "/api/trainer-notices", tags, security, summary: "Avis de changement d'équipe ou de site (la Région : tous ; un organisme : les siens)", request: { query: z.object({ open: z.enum(["true", "false"]).optional(), orderId: z.uuid().optional() }) }, responses: { 200: ok("Avis", z.array(NoticeOut)) } }),
    async (c) => {
      const q = c.req.valid("query");
      return c.json((await uc.listNotices(depsOf(c).db, actorOf(c), { open: q.open === "true" ? true : undefined, orderId: q.orderId })).map(noticeOut), 200);
    },
  );
  app.openapi(
    createRoute({ method: "get", path: "/api/trainer-notices/{id}", tags, security, summary: "Un avis, ses formateurs et les CV qu'il porte", request: { params: IdParam }, responses: { 200: ok("Avis", NoticeDetailOut), 404: problem("Introuvable") } }),
    async (c) => c.json(noticeDetailOut(await uc.getNotice(depsOf(c).db, actorOf(c), c.req.valid("param").id)), 200),
  );
  app.openapi(
    createRoute({ method: "post", path: "/api/trainer-notices/{id}/acknowledge", tags, security, summary: "La Région accuse réception d'un avis (CP-TRAINER-CHANGE)", request: { params: IdParam }, responses: { 200: ok("Avis", NoticeDetailOut), 403: problem("Réservé à la Région"), 404: problem("Introuvable"), 409: problem("Déjà pris en compte") } }),
    async (c) => c.json(noticeDetailOut(await uc.acknowledgeNotice(depsOf(c).db, actorOf(c), depsOf(c).clock, c.req.valid("param").id)), 200),
  );
  app.openapi(
    createRoute({ method: "get", path: "/api/trainer-notices/{id}/cv/{trainerId}", tags, security, summary: "Le CV qu'un avis porte pour un nouveau formateur", request: { params: z.object({ id: z.uuid(), trainerId: z.uuid() }) }, responses: { 200: binary, 404: problem("Introuvable") } }),
    async (c) => {
      const p = c.req.valid("param");
      return download(c, await uc.noticeCv(depsOf(c).db, actorOf(c), p.id, p.trainerId));
    },
  );
}
