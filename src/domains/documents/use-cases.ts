// Documents derived from the ledger: certificates of completion (issued, listed, verified, in
// batches), attendance sheets and billing statement files. Each write runs in one transaction.
import type { Actor } from "../../core/auth/actor.ts";
import { isProviderStaff, requireRole } from "../../core/auth/actor.ts";
import type { Db } from "../../core/db/index.ts";
import { DomainError, invalid, notFound } from "../../core/errors.ts";
import { audit, emit } from "../../core/outbox.ts";
import { newId, parisDate, type Clock } from "../../core/time.ts";
import { getBillingStatement, pathForActor, pathRealised, type BillingStatement } from "../ledger/use-cases.ts";
import { billingCsv, billingPdf, billingXlsx } from "./billing-files.ts";
import { certificateContent, certificatePdf, contentHash, newVerificationCode, type CertificateContent, type IssuedCertificate } from "./certificate.ts";
import { sheetPdf } from "./sheet.ts";
import * as store from "./store.ts";

export type { BillingStatement } from "../ledger/use-cases.ts";
export type { CertificateContent } from "./certificate.ts";

const ISSUERS = ["provider_admin", "pedagogical_referent"] as const;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export const verifyUrlOf = (origin: string, code: string) => `${origin}/verifier/${code}`;

export interface CertificateView {
  id: string;
  pathId: string;
  periodStart: string;
  periodEnd: string;
  verificationCode: string;
  contentHash: string;
  issuedAt: string;
  content: CertificateContent;
}

type CertRow = NonNullable<Awaited<ReturnType<typeof store.certificateById>>>;
const contentOf = (row: CertRow) => (typeof row.minutes === "string" ? JSON.parse(row.minutes) : row.minutes) as CertificateContent;
const viewOf = (row: CertRow): CertificateView => ({
  id: row.id,
  pathId: row.path_id,
  periodStart: row.period_start,
  periodEnd: row.period_end,
  verificationCode: row.verification_code,
  contentHash: row.content_hash,
  issuedAt: new Date(row.issued_at).toISOString(),
  content: contentOf(row),
});
const issuedOf = (v: CertificateView): IssuedCertificate => ({ verificationCode: v.verificationCode, contentHash: v.contentHash, content: v.content, issuedAt: new Date(v.issuedAt) });

/** The period a certificate covers: the path's dates by default, never after today. */
function periodFor(path: { entry_date: string; actual_exit_date: string | null; planned_exit_date: string }, today: string, input: { from?: string; to?: string }) {
  const from = input.from || path.entry_date;
  const to = input.to || [path.actual_exit_date ?? path.planned_exit_date, today].sort()[0];
  if (!DATE.test(from) || !DATE.test(to)) throw invalid("Dates de période illisibles (AAAA-MM-JJ).");
  if (to < from) throw invalid("La fin de la période précède son début.");
  return { from, to };
}

/** Builds the content from the ledger and stores the certificate (inside the caller's transaction or alone). */
async function issue(db: Db, pathId: string, period: { from: string; to: string }, issuedBy: string | null, now: Date): Promise<CertificateView> {
  const facts = await store.certificateFacts(db, pathId);
  if (!facts) throw notFound("Parcours");
  const realised = await pathRealised(db, pathId, period);
  const content = certificateContent(
    {
      provider: { name: facts.provider_name, siret: facts.siret, nda: facts.nda, address: facts.address, legalRepresentative: facts.legal_representative },
      trainee: { firstName: facts.first_name, lastName: facts.last_name },
      action: { title: facts.component_title, orderNumber: facts.order_number },
      period,
      site: { name: facts.site_name, commune: facts.commune },
      issuedOn: parisDate(now),
    },
    realised,
  );
  const id = newId();
  const code = newVerificationCode();
  const hash = contentHash(content);
  await db.transaction().execute(async (tx) => {
    await store.insertCertificate(tx, { id, pathId, from: period.from, to: period.to, code, content, hash, issuedBy, issuedAt: now });
    await audit(tx, { actorId: issuedBy, action: "certificate.issued", entity: "path", entityId: pathId, details: { certificateId: id, from: period.from, to: period.to, total: content.minutes.total } });
    await emit(tx, "certificate.issued", { certificateId: id, pathId });
  });
  return { id, pathId, periodStart: period.from, periodEnd: period.to, verificationCode: code, contentHash: hash, issuedAt: now.toISOString(), content };
}

/** CP-CERTIFICATE-OF-COMPLETION: issues a certificate for any period, from the ledger only. */
export async function issueCertificate(db: Db, actor: Actor, clock: Clock, pathId: string, input: { from?: string; to?: string } = {}): Promise<CertificateView> {
  const path = await pathForActor(db, actor, pathId);
  requireRole(actor, ...ISSUERS);
  if (path.status === "draft") throw new DomainError("CP-CERTIFICATE-OF-COMPLETION", 409, "Le parcours n'est pas encore validé : aucun certificat de réalisation ne peut être émis (CP-CERTIFICATE-OF-COMPLETION).");
  const now = clock.now();
  return issue(db, pathId, periodFor(path, parisDate(now), input), actor.userId, now);
}

export async function listCertificates(db: Db, actor: Actor, pathId: string): Promise<CertificateView[]> {
  await pathForActor(db, actor, pathId);
  return (await store.certificatesOfPath(db, pathId)).map(viewOf);
}

/** The PDF of an issued certificate, re-drawn from its stored content (same text every time). */
export async function certificateFile(db: Db, actor: Actor, certificateId: string, origin: string) {
  const row = await store.certificateById(db, certificateId);
  if (!row) throw notFound("Certificat");
  await pathForActor(db, actor, row.path_id);
  const view = viewOf(row);
  const pdf = await certificatePdf([{ cert: issuedOf(view), verifyUrl: verifyUrlOf(origin, view.verificationCode) }]);
  return { pdf, filename: `certificat-realisation-${view.content.trainee.lastName}-${view.periodEnd}.pdf` };
}

export type Verification = { genuine: false } | { genuine: true; intact: boolean; certificate: Omit<CertificateView, "id" | "pathId"> };

/** Public: is this code one of our certificates, and is its stored content unchanged? */
export async function verifyCertificate(db: Db, code: string): Promise<Verification> {
  if (!/^[A-Za-z0-9_-]{10,64}$/.test(code)) return { genuine: false };
  const row = await store.certificateByCode(db, code);
  if (!row) return { genuine: false };
  const { id: _id, pathId: _path, ...certificate } = viewOf(row);
  return { genuine: true, intact: contentHash(certificate.content) === row.content_hash, certificate };
}

function requireStaffOf(actor: Actor, providerId: string, what: string) {
  if (actor.role === "region_officer") return;
  if (isProviderStaff(actor) && actor.providerId === providerId) return;
  throw notFound(what);
}

/** The attendance sheet of one slot (a half-day) as PDF. */
export async function slotSheetFile(db: Db, actor: Actor, slotId: string) {
  const data = await store.sheetData(db, slotId);
  if (!data) throw notFound("Créneau");
  requireStaffOf(actor, data.providerId, "Créneau");
  return { pdf: await sheetPdf(data), filename: `emargement-${data.slot.date}-${data.slot.start.replace(":", "h")}.pdf` };
}

export type BillingFormat = "json" | "pdf" | "csv" | "xlsx";

export async function billingFile(db: Db, actor: Actor, orderId: string, month: string, format: Exclude<BillingFormat, "json">) {
  const s: BillingStatement = await getBillingStatement(db, actor, orderId, month);
  const base = `releve-${s.order.number}-${month}`;
  if (format === "csv") return { body: billingCsv(s), type: "text/csv; charset=utf-8", filename: `${base}.csv` };
  if (format === "xlsx") return { body: await billingXlsx(s), type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", filename: `${base}.xlsx` };
  return { body: await billingPdf(s), type: "application/pdf", filename: `${base}.pdf` };
}

// — Batches —

/** Starts a batch of certificates for every path of the order that realised hours in the period; runs after the response. */
export async function startCertificateBatch(db: Db, actor: Actor, clock: Clock, orderId: string, input: { from: string; to: string }) {
  requireRole(actor, ...ISSUERS);
  const order = await db.selectFrom("order").select(["id", "provider_id"]).where("id", "=", orderId).executeTakeFirst();
  if (!order || actor.providerId !== order.provider_id) throw notFound("Commande");
  if (!DATE.test(input.from) || !DATE.test(input.to)) throw invalid("Dates de période illisibles (AAAA-MM-JJ).", [{ code: "VALIDATION", severity: "error", message: "Date illisible.", article: "", field: "from" }]);
  if (input.to < input.from) throw invalid("La fin de la période précède son début.", [{ code: "VALIDATION", severity: "error", message: "La fin précède le début.", article: "", field: "to" }]);
  const pathIds = await store.pathsWithRealised(db, orderId, input.from, input.to);
  const id = newId();
  await db.transaction().execute(async (tx) => {
    await tx.insertInto("document_batch").values({ id, provider_id: order.provider_id, order_id: orderId, kind: "certificates", period_start: input.from, period_end: input.to, total: pathIds.length, created_by: actor.userId, status: pathIds.length ? "running" : "done", finished_at: pathIds.length ? null : clock.now() }).execute();
    await emit(tx, "document_batch.started", { batchId: id, orderId, total: pathIds.length });
  });
  if (pathIds.length) void runBatch(db, clock, id, pathIds, input, actor.userId);
  return { id, total: pathIds.length };
}

/** One certificate at a time, each in its own transaction, progress counted as it goes. */
async function runBatch(db: Db, clock: Clock, batchId: string, pathIds: string[], period: { from: string; to: string }, issuedBy: string) {
  try {
    for (const pathId of pathIds) {
      const cert = await issue(db, pathId, period, issuedBy, clock.now());
      await db
        .updateTable("document_batch")
        .set((eb) => ({ done: eb("done", "+", 1), certificate_ids: eb.fn<string[]>("array_append", [eb.ref("certificate_ids"), eb.val(cert.id)]) }))
        .where("id", "=", batchId)
        .execute();
    }
    await db.updateTable("document_batch").set({ status: "done", finished_at: clock.now() }).where("id", "=", batchId).execute();
  } catch (error) {
    await db
      .updateTable("document_batch")
      .set({ status: "failed", error: String(error instanceof Error ? error.message : error).slice(0, 500), finished_at: clock.now() })
      .where("id", "=", batchId)
      .execute()
      .catch(() => undefined);
  }
}

export async function batchProgress(db: Db, actor: Actor, batchId: string) {
  const b = await store.batchById(db, batchId);
  if (!b) throw notFound("Lot de documents");
  requireStaffOf(actor, b.provider_id, "Lot de documents");
  return { id: b.id, orderId: b.order_id, periodStart: b.period_start, periodEnd: b.period_end, total: b.total, done: b.done, status: b.status, error: b.error };
}

export async function listBatches(db: Db, actor: Actor) {
  if (actor.role !== "region_officer" && !isProviderStaff(actor)) throw notFound("Documents");
  return store.batchesOf(db, actor.role === "region_officer" ? null : actor.providerId);
}

/** All certificates of a finished batch in one PDF (one page each). */
export async function batchFile(db: Db, actor: Actor, batchId: string, origin: string) {
  const b = await store.batchById(db, batchId);
  if (!b) throw notFound("Lot de documents");
  requireStaffOf(actor, b.provider_id, "Lot de documents");
  if (b.status !== "done") throw new DomainError("BATCH_RUNNING", 409, "Le lot n'est pas terminé.");
  const rows = await store.certificatesByIds(db, b.certificate_ids);
  if (rows.length === 0) throw new DomainError("BATCH_EMPTY", 409, "Ce lot ne contient aucun certificat (aucune heure réalisée sur la période).");
  const views = rows.map(viewOf).sort((a, c) => a.content.trainee.lastName.localeCompare(c.content.trainee.lastName, "fr"));
  const pdf = await certificatePdf(views.map((v) => ({ cert: issuedOf(v), verifyUrl: verifyUrlOf(origin, v.verificationCode) })));
  return { pdf, filename: `certificats-${b.period_start}-${b.period_end}.pdf` };
}

/** Orders the actor may batch (provider issuers: their own orders). */
export async function batchableOrders(db: Db, actor: Actor) {
  if (!ISSUERS.includes(actor.role as (typeof ISSUERS)[number]) || !actor.providerId) return [];
  return db.selectFrom("order").select(["id", "number", "planned_start", "planned_end"]).where("provider_id", "=", actor.providerId).orderBy("number").execute();
}
