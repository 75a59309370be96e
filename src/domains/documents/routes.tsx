import type { OpenAPIHono } from "@hono/zod-openapi";
import { isProviderStaff } from "../../core/auth/actor.ts";
import { DomainError } from "../../core/errors.ts";
import type { AppEnv, Ctx } from "../../core/http/context.ts";
import { actorOf } from "../../core/http/context.ts";
import type { Violation } from "../../core/rules.ts";
import { newId, parisDate } from "../../core/time.ts";
import { getBillingStatement, pathForActor } from "../ledger/use-cases.ts";
import { originOf, registerDocumentsApi } from "./api.ts";
import { CertificatesPage } from "./pages/certificates.tsx";
import { BatchProgress, BillingPage, DocumentsPage, VerifyPage } from "./pages/pages.tsx";
import { mailCertificate, mailsOf } from "./mail.ts";
import * as uc from "./use-cases.ts";
import { myDocuments } from "./mine.ts";
import { MyDocumentsPage } from "./pages/mine.tsx";
import { traineeRows } from "../paths/views.ts";
import { stringify } from "csv-stringify/sync";
import { dateTimeFr } from "../../core/french.ts";
import { keysetPageLenient, readListQuery } from "../../core/listing.ts";
import { CertificateListQuery, type CertificateListItem, pageCertificates } from "./listing.ts";
import { CertificateListPage } from "./pages/list.tsx";

/** The export's bound: every page of the criteria, 10 000 rows at most. */
const EXPORT_MAX_ROWS = 10_000;

const str = (v: unknown) => (typeof v === "string" ? v : "");
const violationsOf = (error: unknown): Violation[] => {
  if (error instanceof DomainError) return error.violations.length ? error.violations : [{ code: error.code, severity: "error", message: error.detail, article: "" }];
  throw error;
};
const pdfResponse = (c: Ctx, pdf: Buffer, filename: string, type = "application/pdf") =>
  c.body(new Uint8Array(pdf), 200, { "content-type": type, "content-disposition": `attachment; filename="${filename}"`, "cache-control": "private, no-store" });

export function registerDocuments(app: OpenAPIHono<AppEnv>) {
  registerDocumentsApi(app);

  // Every certificate the caller sees, paged by keyset (ADR 0030); the criteria live in the URL.
  app.get("/certificats", async (c) => {
    const { db, clock } = c.get("deps");
    const actor = actorOf(c);
    const read = readListQuery(CertificateListQuery, c.req.query());
    const { page, notice } = await keysetPageLenient((p) => pageCertificates(db, actor, { ...read.params, ...p }), read.params);
    const thisYear = Number(parisDate(clock.now()).slice(0, 4));
    const years = Array.from({ length: 4 }, (_, i) => thisYear - i);
    if (read.params.year && !years.includes(read.params.year)) years.push(read.params.year);
    return c.html(<CertificateListPage c={c} page={page} params={read.params} years={years} notice={notice ?? read.notice} />);
  });

  // The same criteria as a CSV for French Excel (UTF-8 BOM, ';'), every page walked by keyset.
  app.get("/certificats/export.csv", async (c) => {
    const { db } = c.get("deps");
    const actor = actorOf(c);
    const { params } = readListQuery(CertificateListQuery, c.req.query());
    const rows: CertificateListItem[] = [];
    let after: string | undefined;
    do {
      const page = await pageCertificates(db, actor, { ...params, after, limit: 100 });
      rows.push(...page.items);
      after = page.next ?? undefined;
    } while (after && rows.length < EXPORT_MAX_ROWS);
    const body = stringify(
      [
        ["Nom", "Prénom", "Composante", "Commande", "Début de période", "Fin de période", "Version", "État", "Émis le", "Code de vérification"],
        ...rows.slice(0, EXPORT_MAX_ROWS).map((r) => [r.traineeLastName, r.traineeFirstName, r.componentTitle, r.orderNumber, r.periodStart, r.periodEnd, r.version, r.inForce ? "en vigueur" : "remplacé", dateTimeFr(r.issuedAt), r.verificationCode]),
      ],
      { delimiter: ";", record_delimiter: "\r\n" },
    );
    return pdfResponse(c, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(body, "utf8")]), "certificats.csv", "text/csv; charset=utf-8");
  });

  // Public: anyone holding the code (printed on the PDF) checks a certificate.
  app.get("/verifier/:code", async (c) => {
    const code = c.req.param("code");
    const result = await uc.verifyCertificate(c.get("deps").db, code);
    return c.html(<VerifyPage c={c} code={code} result={result} />, result.genuine ? 200 : 404);
  });

  // The PDF for whoever holds the code (the link mailed to the trainee; the code is printed on it).
  app.get("/verifier/:code/pdf", async (c) => {
    const { pdf, filename } = await uc.certificateFileByCode(c.get("deps").db, c.req.param("code"), originOf(c));
    return pdfResponse(c, pdf, filename);
  });

  const certificatesPage = async (c: Ctx, pathId: string, extra: { body?: Record<string, string>; violations?: Violation[]; notice?: string } = {}, status = 200) => {
    const { db, clock } = c.get("deps");
    const actor = actorOf(c);
    const path = await pathForActor(db, actor, pathId);
    const trainee = await db.selectFrom(traineeRows().as("trainee")).select(["first_name", "last_name"]).where("id", "=", path.trainee_id).executeTakeFirstOrThrow();
    const today = parisDate(clock.now());
    const canIssue = (actor.role === "provider_admin" || actor.role === "pedagogical_referent") && path.status !== "draft";
    const certificates = await uc.listCertificates(db, actor, pathId);
    return c.html(
      <CertificatesPage
        c={c}
        pathId={pathId}
        traineeName={`${trainee.first_name} ${trainee.last_name}`}
        canIssue={canIssue}
        certificates={certificates}
        mails={canIssue ? await mailsOf(db, certificates.map((x) => x.id)) : new Map()}
        mailKey={newId()}
        defaults={{ from: path.entry_date, to: [path.actual_exit_date ?? path.planned_exit_date, today].sort()[0] }}
        {...extra}
      />,
      status as 200,
    );
  };

  const notices: Record<string, string> = { "1": "Certificat émis : téléchargez-le ci-dessous.", envoye: "Courriel mis en file d'envoi au·à la stagiaire." };
  app.get("/parcours/:id/certificats", (c) => certificatesPage(c, c.req.param("id"), { notice: notices[c.req.query("ok") ?? ""] }));

  app.post("/parcours/:id/certificats", async (c) => {
    const id = c.req.param("id");
    const raw = await c.req.parseBody();
    const body = { from: str(raw.from), to: str(raw.to), replaces: str(raw.replaces), reason: str(raw.reason) };
    try {
      await uc.issueCertificate(c.get("deps").db, actorOf(c), c.get("deps").clock, id, { ...body, replaces: body.replaces || undefined, reason: body.reason || undefined });
      return c.redirect(`/parcours/${id}/certificats?ok=1`, 303);
    } catch (error) {
      return certificatesPage(c, id, { body, violations: violationsOf(error) }, 422);
    }
  });

  // « Envoyer par courriel »: the form's key (one per page shown) makes a double click send once.
  app.post("/certificats/:id/envoyer", async (c) => {
    const raw = await c.req.parseBody();
    const { db } = c.get("deps");
    const row = await uc.certificatePath(db, actorOf(c), c.req.param("id"));
    try {
      await mailCertificate(db, actorOf(c), c.req.param("id"), str(raw.key), originOf(c));
      return c.redirect(`/parcours/${row.pathId}/certificats?ok=envoye`, 303);
    } catch (error) {
      return certificatesPage(c, row.pathId, { violations: violationsOf(error) }, 422);
    }
  });

  // The trainee's own documents (scoped by the session's trainee id).
  app.get("/mes-documents", async (c) => c.html(<MyDocumentsPage c={c} d={await myDocuments(c.get("deps").db, actorOf(c))} />));

  app.get("/certificats/:id/pdf", async (c) => {
    const { pdf, filename } = await uc.certificateFile(c.get("deps").db, actorOf(c), c.req.param("id"), originOf(c));
    return pdfResponse(c, pdf, filename);
  });

  app.get("/documents/feuilles/:slotId/pdf", async (c) => {
    const { pdf, filename } = await uc.slotSheetFile(c.get("deps").db, actorOf(c), c.req.param("slotId"));
    return pdfResponse(c, pdf, filename);
  });

  const documentsPage = async (c: Ctx, extra: { body?: Record<string, string>; violations?: Violation[] } = {}, status = 200) => {
    const { db } = c.get("deps");
    const actor = actorOf(c);
    if (actor.role !== "region_officer" && !isProviderStaff(actor)) throw new DomainError("FORBIDDEN", 403, "Réservé aux organismes et à la Région.");
    const [orders, batches] = await Promise.all([uc.batchableOrders(db, actor), uc.listBatches(db, actor)]);
    return c.html(<DocumentsPage c={c} orders={orders} batches={batches} {...extra} />, status as 200);
  };

  app.get("/documents", (c) => documentsPage(c));

  app.post("/documents/lots", async (c) => {
    const raw = await c.req.parseBody();
    const body = { orderId: str(raw.orderId), from: str(raw.from), to: str(raw.to) };
    try {
      const { id } = await uc.startCertificateBatch(c.get("deps").db, actorOf(c), c.get("deps").clock, body.orderId, body);
      return c.redirect(`/documents?lot=${id}`, 303);
    } catch (error) {
      return documentsPage(c, { body, violations: violationsOf(error) }, 422);
    }
  });

  app.get("/documents/lots/:id/progression", async (c) => {
    const b = await uc.batchProgress(c.get("deps").db, actorOf(c), c.req.param("id"));
    return c.html(<BatchProgress b={{ id: b.id, order_number: "", period_start: b.periodStart, period_end: b.periodEnd, total: b.total, done: b.done, failed: b.failed, status: b.status, error: b.error }} />);
  });

  app.get("/documents/lots/:id/pdf", async (c) => {
    const { pdf, filename } = await uc.batchFile(c.get("deps").db, actorOf(c), c.req.param("id"), originOf(c));
    return pdfResponse(c, pdf, filename);
  });

  app.get("/commandes/:id/facturation/:month", async (c) => {
    const s = await getBillingStatement(c.get("deps").db, actorOf(c), c.req.param("id"), c.req.param("month"));
    return c.html(<BillingPage c={c} s={s} />);
  });

  app.get("/commandes/:id/facturation/:month/:format", async (c) => {
    const format = c.req.param("format");
    if (format !== "pdf" && format !== "csv" && format !== "xlsx") throw new DomainError("NOT_FOUND", 404, "Format inconnu (pdf, csv ou xlsx).");
    const f = await uc.billingFile(c.get("deps").db, actorOf(c), c.req.param("id"), c.req.param("month"), format);
    return pdfResponse(c, f.body, f.filename, f.type);
  });
}
