import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import { calendarDate, yearMonth } from "../../core/inputs.ts";
import type { AppEnv, Ctx } from "../../core/http/context.ts";
import { publicUrl } from "../../core/http/client.ts";
import { actorOf } from "../../core/http/context.ts";
import { getBillingStatement } from "../ledger/use-cases.ts";
import { IDEMPOTENCY_KEY, mailCertificate } from "./mail.ts";
import { REPLACE_REASON_MAX } from "./rules.ts";
import { myDocuments } from "./mine.ts";
import * as uc from "./use-cases.ts";
import { CertificateListQuery, pageCertificates } from "./listing.ts";

const tags = ["Heures réalisées et documents"];
const sec = [{ bearer: [] }];
const Problem = { description: "Refus (application/problem+json, `code` = identifiant de la règle)" };
const json = <T extends z.ZodTypeAny>(schema: T, description = "OK") => ({ description, content: { "application/json": { schema } } });
const file = (type: string, description: string) => ({ description, content: { [type]: { schema: z.string().openapi({ format: "binary" }) } } });
const CalendarDate = calendarDate();
const IdParam = z.object({ id: z.string().uuid() });
const Certificate = z
  .object({
    id: z.string(),
    pathId: z.string(),
    periodStart: z.string(),
    periodEnd: z.string(),
    verificationCode: z.string(),
    contentHash: z.string(),
    issuedAt: z.string(),
    verifyUrl: z.string(),
    content: z.object({}).passthrough(),
    version: z.number().int(),
    replacesId: z.string().nullable(),
    replaceReason: z.string().nullable(),
    replacedBy: z.string().nullable().openapi({ description: "Le certificat qui le remplace (il n'est alors plus en vigueur)" }),
    replacedAt: z.string().nullable(),
  })
  .openapi("Certificate");
/** CP-CERTIFICATE-OF-COMPLETION: the period is clamped to the path's dates; `replaces` + `reason` to replace the one in force for that period. */
const IssueBody = z.object({
  from: CalendarDate.optional(),
  to: CalendarDate.optional(),
  replaces: z.uuid().optional().openapi({ description: "Le certificat en vigueur que celui-ci remplace (version n+1)" }),
  reason: z.string().trim().min(1).max(REPLACE_REASON_MAX).optional().openapi({ description: "Motif du remplacement (requis avec replaces)" }),
});

const MyDocumentsOut = z.object({
  certificates: z.array(z.object({ id: z.string(), pathId: z.string(), periodStart: z.string(), periodEnd: z.string(), version: z.number().int(), inForce: z.boolean(), issuedAt: z.string(), url: z.string() })),
  skillsCertificates: z.array(z.object({ pathId: z.string(), actualExitDate: z.string(), url: z.string() })),
  signedSlots: z.array(z.object({ date: z.string(), start: z.string(), end: z.string(), modality: z.string(), signedAt: z.string() })),
});

/** Base of the verification links printed on certificates: PUBLIC_URL, never the request's Host header. */
export const originOf = (c: Ctx) => publicUrl(c);
const download = (c: Ctx, body: Buffer, type: string, filename: string) =>
  c.body(new Uint8Array(body), 200, { "content-type": type, "content-disposition": `attachment; filename="${filename}"`, "cache-control": "private, no-store" });

const CertificateListItem = z
  .object({
    id: z.string(),
    pathId: z.string(),
    traineeFirstName: z.string(),
    traineeLastName: z.string(),
    orderId: z.string(),
    orderNumber: z.string(),
    componentTitle: z.string(),
    periodStart: z.string(),
    periodEnd: z.string(),
    version: z.number().int(),
    inForce: z.boolean().openapi({ description: "Faux quand une version suivante l'a remplacé" }),
    issuedAt: z.string(),
    verificationCode: z.string(),
  })
  .openapi("CertificateListItem");

export function registerDocumentsApi(app: OpenAPIHono<AppEnv>) {
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/certificates",
      tags,
      security: sec,
      summary: "Lister les certificats de réalisation (organisme : les siens ; Région : tous) — recherche, tri, filtres, pagination par curseur",
      request: { query: CertificateListQuery },
      responses: { 200: json(z.object({ items: z.array(CertificateListItem), next: z.string().nullable() })), 400: Problem, 403: Problem },
    }),
    async (c) => c.json(await pageCertificates(c.get("deps").db, actorOf(c), c.req.valid("query")), 200),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/me/documents",
      tags,
      security: sec,
      summary: "Le stagiaire : ses certificats de réalisation et attestations de compétences (liens de téléchargement) et ses propres émargements signés",
      responses: { 200: json(MyDocumentsOut, "Mes documents"), 403: Problem },
    }),
    async (c) => c.json(await myDocuments(c.get("deps").db, actorOf(c)), 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/paths/{id}/certificates",
      tags,
      security: sec,
      summary:
        "Émettre un certificat de réalisation pour une période (CP-CERTIFICATE-OF-COMPLETION), à partir des seuls émargements. La période est ramenée aux dates du parcours ; un second certificat pour la même période est refusé (409) sauf s'il remplace le premier avec un motif (version n+1)",
      request: { params: IdParam, body: { content: { "application/json": { schema: IssueBody } }, required: false } },
      responses: { 201: json(Certificate, "Émis"), 404: Problem, 409: Problem, 422: Problem },
    }),
    async (c) => {
      const { db, clock } = c.get("deps");
      const body = (await c.req.json().catch(() => ({}))) as unknown;
      const parsed = IssueBody.parse(body ?? {});
      const cert = await uc.issueCertificate(db, actorOf(c), clock, c.req.valid("param").id, parsed);
      return c.json({ ...cert, verifyUrl: uc.verifyUrlOf(originOf(c), cert.verificationCode) }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/paths/{id}/certificates",
      tags,
      security: sec,
      summary: "Certificats de réalisation émis pour un parcours",
      request: { params: IdParam },
      responses: { 200: json(z.array(Certificate)), 404: Problem },
    }),
    async (c) => {
      const list = await uc.listCertificates(c.get("deps").db, actorOf(c), c.req.valid("param").id);
      return c.json(list.map((x) => ({ ...x, verifyUrl: uc.verifyUrlOf(originOf(c), x.verificationCode) })), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/certificates/{id}/pdf",
      tags,
      security: sec,
      summary: "Le PDF d'un certificat de réalisation",
      request: { params: IdParam },
      responses: { 200: file("application/pdf", "PDF"), 404: Problem },
    }),
    async (c) => {
      const { pdf, filename } = await uc.certificateFile(c.get("deps").db, actorOf(c), c.req.valid("param").id, originOf(c));
      return download(c, pdf, "application/pdf", filename) as never;
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/certificates/{id}/mail",
      tags,
      security: sec,
      summary: "Envoyer le certificat au·à la stagiaire par courriel (lien vers le PDF). Idempotent : la même clé `Idempotency-Key` n'envoie qu'un courriel",
      request: { params: IdParam, headers: z.object({ "idempotency-key": z.string().regex(IDEMPOTENCY_KEY).openapi({ description: "Une clé par envoi voulu (8 à 100 caractères)" }) }) },
      responses: { 202: json(z.object({ notificationId: z.string(), to: z.string(), repeated: z.boolean() }), "Courriel mis en file d'envoi"), 404: Problem, 409: Problem },
    }),
    async (c) => {
      const r = await mailCertificate(c.get("deps").db, actorOf(c), c.req.valid("param").id, c.req.valid("header")["idempotency-key"], originOf(c));
      return c.json(r, 202);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/certificates/verify/{code}",
      tags,
      summary: "Vérifier l'authenticité d'un certificat par son code (public, sans authentification)",
      request: { params: z.object({ code: z.string().max(64) }) },
      responses: {
        200: json(
          z.object({
            genuine: z.boolean(),
            intact: z.boolean().optional(),
            certificate: z.object({}).passthrough().optional(),
            replacement: z.object({ version: z.number(), issuedAt: z.string() }).nullable().optional().openapi({ description: "Remplacé par cette version : il n'est plus en vigueur" }),
          }),
        ),
      },
    }),
    async (c) => c.json(await uc.verifyCertificate(c.get("deps").db, c.req.valid("param").code), 200),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/orders/{id}/billing",
      tags,
      security: sec,
      summary: "Relevé de facturation mensuel d'une commande (CP-BILLING-REALISED, CP-EFORM-BILLING) : JSON, PDF, CSV (Excel FR) ou XLSX",
      request: { params: IdParam, query: z.object({ month: yearMonth, format: z.enum(["json", "pdf", "csv", "xlsx"]).default("json") }) },
      responses: {
        200: {
          description: "Relevé",
          content: {
            "application/json": { schema: z.object({ month: z.string(), billableMinutes: z.number(), amountCents: z.number(), cappedMinutes: z.number() }).passthrough() },
            "application/pdf": { schema: z.string().openapi({ format: "binary" }) },
            "text/csv": { schema: z.string() },
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": { schema: z.string().openapi({ format: "binary" }) },
          },
        },
        404: Problem,
      },
    }),
    async (c) => {
      const { db } = c.get("deps");
      const { month, format } = c.req.valid("query");
      const id = c.req.valid("param").id;
      if (format === "json") {
        return c.json(await getBillingStatement(db, actorOf(c), id, month), 200);
      }
      const f = await uc.billingFile(db, actorOf(c), id, month, format);
      return download(c, f.body, f.type, f.filename) as never;
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/attendance-sheets/{id}/pdf",
      tags,
      security: sec,
      summary: "Feuille d'émargement d'un créneau (demi-journée) en PDF",
      request: { params: IdParam },
      responses: { 200: file("application/pdf", "PDF"), 404: Problem },
    }),
    async (c) => {
      const { pdf, filename } = await uc.slotSheetFile(c.get("deps").db, actorOf(c), c.req.valid("param").id);
      return download(c, pdf, "application/pdf", filename) as never;
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/orders/{id}/certificate-batches",
      tags,
      security: sec,
      summary: "Lancer l'émission des certificats de réalisation d'une commande pour une période (suivi de progression)",
      request: { params: IdParam, body: { content: { "application/json": { schema: z.object({ from: CalendarDate, to: CalendarDate }) } }, required: true } },
      responses: { 202: json(z.object({ id: z.string(), total: z.number() }), "Lancé"), 404: Problem },
    }),
    async (c) => {
      const { db, clock } = c.get("deps");
      return c.json(await uc.startCertificateBatch(db, actorOf(c), clock, c.req.valid("param").id, c.req.valid("json")), 202);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/certificate-batches/{id}",
      tags,
      security: sec,
      summary: "Progression d'un lot de certificats",
      request: { params: IdParam },
      responses: { 200: json(z.object({ id: z.string(), total: z.number(), done: z.number(), status: z.enum(["running", "done", "failed"]) }).passthrough()), 404: Problem },
    }),
    async (c) => c.json(await uc.batchProgress(c.get("deps").db, actorOf(c), c.req.valid("param").id), 200),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/certificate-batches/{id}/pdf",
      tags,
      security: sec,
      summary: "Tous les certificats d'un lot terminé, en un PDF",
      request: { params: IdParam },
      responses: { 200: file("application/pdf", "PDF"), 404: Problem, 409: Problem },
    }),
    async (c) => {
      const { pdf, filename } = await uc.batchFile(c.get("deps").db, actorOf(c), c.req.valid("param").id, originOf(c));
      return download(c, pdf, "application/pdf", filename) as never;
    },
  );
}
