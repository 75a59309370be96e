// Documents derived from the ledger: certificates of completion (issued, listed, verified, in
// batches that survive a restart), attendance sheets and billing statement files. Each write runs in
// one transaction.
import type { Transaction } from "kysely";
import type { Actor } from "../../core/auth/actor.ts";
import { isProviderStaff, requireRole } from "../../core/auth/actor.ts";
import type { Db } from "../../core/db/index.ts";
import type { DB } from "../../core/db/schema.ts";
import type { Violation } from "../../core/rules.ts";
import { DomainError, invalid, notFound, notFoundAs } from "../../core/errors.ts";
import { consoleLog, type JobLog } from "../../core/jobs/backoff.ts";
import { audit, recordEvent } from "../../core/outbox.ts";
import { newId, parisDate, type Clock } from "../../core/time.ts";
import { getBillingStatement, pathForActor, pathRealised, type BillingStatement } from "../ledger/use-cases.ts";
import { billingCsv, billingPdf, billingXlsx } from "./billing-files.ts";
import { certificateContent, certificatePdf, contentHash, contentIntact, newVerificationCode, type CertificateContent, type IssuedCertificate } from "./certificate.ts";
import { sheetPdf } from "./sheet.ts";
import { certificateOnce, certificatePeriod, REPLACE_REASON_MAX } from "./rules.ts";
import * as store from "./store.ts";
import { rolesFor } from "../../core/auth/roles.ts";
import { orderRows } from "../orders/views.ts";

export type { BillingStatement } from "../ledger/use-cases.ts";
export type { CertificateContent } from "./certificate.ts";

type Tx = Transaction<DB>;

const ISSUERS = rolesFor("documents.issue");
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
  /** 1, then n+1 for each replacement (CP-CERTIFICATE-OF-COMPLETION). */
  version: number;
  replacesId: string | null;
  replaceReason: string | null;
  /** Set once replaced: the certificate is no longer in force, still verifiable. */
  replacedBy: string | null;
  replacedAt: string | null;
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
  version: row.version,
  replacesId: row.replaces_id,
  replaceReason: row.replace_reason,
  replacedBy: row.replaced_by,
  replacedAt: row.replaced_at ? new Date(row.replaced_at).toISOString() : null,
});
const issuedOf = (v: CertificateView): IssuedCertificate => ({ verificationCode: v.verificationCode, contentHash: v.contentHash, content: v.content, issuedAt: new Date(v.issuedAt) });

const notIssuable = () =>
  new DomainError("CP-CERTIFICATE-OF-COMPLETION", 409, "Le parcours n'est pas encore validé : aucun certificat de réalisation ne peut être émis (CP-CERTIFICATE-OF-COMPLETION).");

/** What a certificate is asked for: a period (clamped to the path's dates) and, to replace one in force, its id and the reason. */
export interface IssueInput {
  from?: string;
  to?: string;
  replaces?: string;
  reason?: string;
}

const refused = (v: Violation) => new DomainError(v.code, v.field === "reason" || v.code === "VALIDATION" ? 422 : 409, v.message, [v]);
const isUniqueViolation = (e: unknown) => typeof e === "object" && e !== null && (e as { code?: unknown }).code === "23505";

/**
 * Builds the content from the ledger and stores the certificate, with its audit entry, in `tx`.
 * The period is clamped to the path's dates; one certificate in force per period
 * (CP-CERTIFICATE-OF-COMPLETION): a batch takes the one in force, a single issue is refused unless
 * it replaces it with a reason (version n+1).
 */
async function issueIn(tx: Tx, pathId: string, asked: IssueInput, issuedBy: string | null, now: Date, onDuplicate: "refuse" | "reuse" = "refuse"): Promise<CertificateView> {
  const facts = await store.certificateFacts(tx, pathId);
  if (!facts) throw notFound("Parcours");
  if (facts.status === "draft") throw notIssuable();
  const period = certificatePeriod(facts, parisDate(now), asked);
  if ("code" in period) throw refused(period);
  const samePeriod = await store.certificateInForce(tx, pathId, { period });
  if (samePeriod && onDuplicate === "reuse") return viewOf((await store.certificateById(tx, samePeriod.id))!);
  const replaces = asked.replaces ? await store.certificateInForce(tx, pathId, { id: asked.replaces }) : undefined;
  if (asked.replaces && !replaces)
    throw new DomainError("CP-CERTIFICATE-OF-COMPLETION", 409, "Le certificat à remplacer n'est plus en vigueur (il a déjà été remplacé) : rechargez la page (CP-CERTIFICATE-OF-COMPLETION).");
  const reason = asked.reason?.trim();
  const once = certificateOnce(samePeriod, replaces, reason);
  if (once) throw refused(once);
  const version = replaces ? replaces.version + 1 : 1;
  const realised = await pathRealised(tx, pathId, period);
  const content = certificateContent(
    {
      provider: { name: facts.provider_name, siret: facts.siret, nda: facts.nda, address: facts.address, legalRepresentative: facts.legal_representative },
      trainee: { firstName: facts.first_name, lastName: facts.last_name },
      action: { title: facts.component_title, orderNumber: facts.order_number },
      period,
      site: { name: facts.site_name, commune: facts.commune },
      issuedOn: parisDate(now),
      ...(replaces && reason ? { replaces: { version: replaces.version, reason } } : {}),
    },
    realised,
  );
  const id = newId();
  const code = newVerificationCode();
  const hash = contentHash(content);
  // The replaced one leaves force first: the unique index allows one certificate in force per period.
  if (replaces && !(await store.markReplaced(tx, replaces.id, id, now))) throw new DomainError("CP-CERTIFICATE-OF-COMPLETION", 409, "Le certificat à remplacer vient d'être remplacé : rechargez la page.");
  await store.insertCertificate(tx, { id, pathId, from: period.from, to: period.to, code, content, hash, issuedBy, issuedAt: now, version, replaces: replaces && reason ? { id: replaces.id, reason } : null });
  const details = { certificateId: id, from: period.from, to: period.to, total: content.minutes.total, version, ...(replaces ? { replaces: replaces.id, reason } : {}) };
  await audit(tx, { actorId: issuedBy, action: replaces ? "certificate.replaced" : "certificate.issued", entity: "path", entityId: pathId, details });
  return viewOf((await store.certificateById(tx, id))!);
}

/** CP-CERTIFICATE-OF-COMPLETION: issues a certificate for a period of the path (clamped to its dates), from the ledger only. */
export async function issueCertificate(db: Db, actor: Actor, clock: Clock, pathId: string, input: IssueInput = {}): Promise<CertificateView> {
  const path = await pathForActor(db, actor, pathId);
  requireRole(actor, ...ISSUERS);
  if (path.status === "draft") throw notIssuable();
  if ((input.from && !DATE.test(input.from)) || (input.to && !DATE.test(input.to))) throw invalid("Dates de période illisibles (AAAA-MM-JJ).", [{ code: "VALIDATION", severity: "error", message: "Date illisible (AAAA-MM-JJ).", article: "", field: input.from && !DATE.test(input.from) ? "from" : "to" }]);
  if (input.reason && input.reason.length > REPLACE_REASON_MAX) throw refused({ code: "VALIDATION", severity: "error", message: `Motif trop long : ${REPLACE_REASON_MAX} caractères au plus.`, article: "", field: "reason" });
  const now = clock.now();
  try {
    return await db.transaction().execute((tx) => issueIn(tx, pathId, input, actor.userId, now));
  } catch (error) {
    // Two issues at once: the second meets the unique index and gets the rule's refusal.
    if (!isUniqueViolation(error)) throw error;
    const inForce = (await store.certificatesOfPath(db, pathId)).find((c) => !c.replaced_by);
    throw refused(certificateOnce(inForce, undefined, undefined) ?? { code: "CP-CERTIFICATE-OF-COMPLETION", severity: "error", message: "Un certificat est déjà en vigueur pour cette période.", article: "" });
  }
}

export async function listCertificates(db: Db, actor: Actor, pathId: string): Promise<CertificateView[]> {
  await pathForActor(db, actor, pathId);
  return (await store.certificatesOfPath(db, pathId)).map(viewOf);
}

/** The path a certificate belongs to, if the actor may read it (404 as an unknown id otherwise). */
export async function certificatePath(db: Db, actor: Actor, certificateId: string) {
  const row = await store.certificateById(db, certificateId);
  if (!row) throw notFound("Certificat");
  await notFoundAs("Certificat", pathForActor(db, actor, row.path_id));
  return { pathId: row.path_id };
}

/** The PDF of an issued certificate, re-drawn from its stored content (same text every time). */
export async function certificateFile(db: Db, actor: Actor, certificateId: string, origin: string) {
  const row = await store.certificateById(db, certificateId);
  if (!row) throw notFound("Certificat");
  await notFoundAs("Certificat", pathForActor(db, actor, row.path_id));
  const view = viewOf(row);
  const pdf = await certificatePdf([{ cert: issuedOf(view), verifyUrl: verifyUrlOf(origin, view.verificationCode) }]);
  return { pdf, filename: `certificat-realisation-${view.content.trainee.lastName}-${view.periodEnd}.pdf` };
}

export type Verification =
  | { genuine: false }
  | { genuine: true; intact: boolean; certificate: Omit<CertificateView, "id" | "pathId" | "replacesId" | "replacedBy">; replacement: { version: number; issuedAt: string } | null };

/** Public: is this code one of our certificates, is its stored content unchanged, and is it still in force? */
export async function verifyCertificate(db: Db, code: string): Promise<Verification> {
  if (!/^[A-Za-z0-9_-]{10,64}$/.test(code)) return { genuine: false };
  const row = await store.certificateByCode(db, code);
  if (!row) return { genuine: false };
  const { id: _id, pathId: _path, replacesId: _r, replacedBy, ...certificate } = viewOf(row);
  const next = replacedBy ? await store.replacement(db, replacedBy) : undefined;
  const replacement = next ? { version: next.version, issuedAt: new Date(next.issued_at).toISOString() } : null;
  return { genuine: true, intact: contentIntact(certificate.content, row.content_hash), certificate, replacement };
}

/** The PDF of a certificate for whoever holds its verification code (the link mailed to the trainee). */
export async function certificateFileByCode(db: Db, code: string, origin: string) {
  const row = /^[A-Za-z0-9_-]{10,64}$/.test(code) ? await store.certificateByCode(db, code) : undefined;
  if (!row) throw notFound("Certificat");
  const view = viewOf(row);
  const pdf = await certificatePdf([{ cert: issuedOf(view), verifyUrl: verifyUrlOf(origin, view.verificationCode) }]);
  return { pdf, filename: `certificat-realisation-${view.content.trainee.lastName}-${view.periodEnd}-v${view.version}.pdf` };
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

/** How long a runner's claim on a batch lasts without news; renewed after every path. */
export const BATCH_LEASE_MS = 60_000;
/** Claims in a row without any progress after which a batch is given up (it keeps killing its runner). */
export const BATCH_MAX_ATTEMPTS = 5;

/**
 * Starts a batch of certificates for every path of the order that realised hours in the period. It
 * runs after the response, in this process, under a lease: if the process stops, the background loop
 * of any process takes it up again once the lease has run out (resumeCertificateBatches).
 */
export async function startCertificateBatch(db: Db, actor: Actor, clock: Clock, orderId: string, input: { from: string; to: string }) {
  requireRole(actor, ...ISSUERS);
  const order = await db.selectFrom(orderRows().as("order")).select(["id", "provider_id"]).where("id", "=", orderId).executeTakeFirst();
  if (!order || actor.providerId !== order.provider_id) throw notFound("Commande");
  if (!DATE.test(input.from) || !DATE.test(input.to)) throw invalid("Dates de période illisibles (AAAA-MM-JJ).", [{ code: "VALIDATION", severity: "error", message: "Date illisible.", article: "", field: "from" }]);
  if (input.to < input.from) throw invalid("La fin de la période précède son début.", [{ code: "VALIDATION", severity: "error", message: "La fin précède le début.", article: "", field: "to" }]);
  const pathIds = await store.pathsWithRealised(db, orderId, input.from, input.to);
  const id = newId();
  const now = clock.now();
  const lease = pathIds.length ? { by: newId(), until: new Date(now.getTime() + BATCH_LEASE_MS) } : null;
  await db.transaction().execute(async (tx) => {
    await store.insertBatch(tx, { id, providerId: order.provider_id, orderId, from: input.from, to: input.to, createdBy: actor.userId, now, lease }, pathIds);
    await recordEvent(tx, "document_batch.started", { batchId: id, orderId, total: pathIds.length });
  });
  if (lease) {
    const batch = { id, period: { from: input.from, to: input.to }, issuedBy: actor.userId, total: pathIds.length };
    void track((stopped) => runBatch(db, clock, batch, lease.by, { leaseMs: BATCH_LEASE_MS, stopped })).catch((error) => consoleLog(`lot de documents ${id} : ${messageOf(error)}`));
  }
  return { id, total: pathIds.length };
}

/**
 * Takes up the running batches whose runner is gone (no lease, or a lease run out) and runs each to
 * its end, one after another: called at startup and by every tick of the background loop. Returns
 * how many batches were taken up.
 */
export async function resumeCertificateBatches(db: Db, clock: Clock, options: { limit?: number; leaseMs?: number; log?: JobLog; shouldStop?: () => boolean } = {}) {
  const leaseMs = options.leaseMs ?? BATCH_LEASE_MS;
  const log = options.log ?? consoleLog;
  let resumed = 0;
  while (resumed < (options.limit ?? 10) && !options.shouldStop?.()) {
    const by = newId();
    const now = clock.now();
    const b = await store.claimAbandonedBatch(db, now, { by, until: new Date(now.getTime() + leaseMs) });
    if (!b) break;
    resumed++;
    if (b.attempts > BATCH_MAX_ATTEMPTS) {
      log(`lot de documents ${b.id} : abandonné après ${b.attempts - 1} reprises sans progrès.`);
      const error = `Le lot a été interrompu ${b.attempts - 1} fois sans progresser : il est arrêté. Les certificats déjà émis restent valables ; relancez le lot pour les autres.`;
      await store.finishBatch(db, b.id, by, { status: "failed", error, at: clock.now() });
      continue;
    }
    log(`lot de documents ${b.id} : repris (${b.done} / ${b.total} certificat(s) déjà émis).`);
    const batch = { id: b.id, period: { from: b.period_start, to: b.period_end }, issuedBy: b.created_by, total: b.total };
    const end = await track((stopped) => runBatch(db, clock, batch, by, { leaseMs, stopped: () => stopped() || Boolean(options.shouldStop?.()) }));
    if (end === "stopped") break;
  }
  return { resumed };
}

/** Asks every runner of this process to stop after its current certificate, give its batch back and end (shutdown). */
export async function stopCertificateBatches(): Promise<void> {
  for (const r of runners) r.stop();
  await Promise.allSettled([...runners].map((r) => r.done));
}

type RunEnd = "finished" | "stopped" | "lost";
const runners = new Set<{ stop(): void; done: Promise<RunEnd> }>();

function track(run: (stopped: () => boolean) => Promise<RunEnd>): Promise<RunEnd> {
  let stopRequested = false;
  const runner = { stop: () => (stopRequested = true), done: run(() => stopRequested) };
  runners.add(runner);
  return runner.done.finally(() => runners.delete(runner));
}

const messageOf = (error: unknown) => (error instanceof DomainError ? error.detail : error instanceof Error ? error.message : String(error));

/**
 * Issues the batch's pending paths one at a time, each certificate in its own transaction with its
 * item, renewing the lease after each. Ends the batch (done, or failed naming the paths in error)
 * when no path is pending; stops without ending it when asked to, or when another runner took it.
 */
async function runBatch(
  db: Db,
  clock: Clock,
  b: { id: string; period: { from: string; to: string }; issuedBy: string | null; total: number },
  by: string,
  o: { leaseMs: number; stopped: () => boolean },
): Promise<RunEnd> {
  for (;;) {
    if (o.stopped()) {
      await store.releaseLease(db, b.id, by);
      return "stopped";
    }
    const pathId = await store.nextPendingPath(db, b.id);
    if (!pathId) break;
    await issueBatchItem(db, clock, b, pathId);
    if (!(await store.renewLease(db, b.id, { by, until: new Date(clock.now().getTime() + o.leaseMs) }, true))) return "lost";
  }
  const failed = await store.failedItems(db, b.id);
  const error = failed.length ? failureMessage(failed, b.total) : null;
  await store.finishBatch(db, b.id, by, { status: failed.length ? "failed" : "done", error, at: clock.now() });
  return "finished";
}

/** One path of a batch: at most one certificate per (batch, path), even with two runners on it; an error is kept on the item. */
async function issueBatchItem(db: Db, clock: Clock, b: { id: string; period: { from: string; to: string }; issuedBy: string | null }, pathId: string) {
  try {
    await db.transaction().execute(async (tx) => {
      const item = await store.lockItem(tx, b.id, pathId);
      if (!item || item.certificate_id || item.error) return; // settled by another runner meanwhile
      const cert = await issueIn(tx, pathId, b.period, b.issuedBy, clock.now(), "reuse");
      await store.recordIssued(tx, b.id, pathId, cert.id);
    });
  } catch (error) {
    await db.transaction().execute((tx) => store.recordFailed(tx, b.id, pathId, messageOf(error).slice(0, 500)));
  }
}

function failureMessage(failed: { error: string | null; first_name: string; last_name: string }[], total: number) {
  const shown = failed.slice(0, 5).map((f) => `${f.first_name} ${f.last_name} (${f.error})`);
  const more = failed.length > shown.length ? ` et ${failed.length - shown.length} autre(s)` : "";
  return `${failed.length} certificat(s) sur ${total} n'ont pas pu être émis : ${shown.join(" ; ")}${more}. Les autres certificats du lot sont émis.`.slice(0, 2000);
}

export async function batchProgress(db: Db, actor: Actor, batchId: string) {
  const b = await store.batchById(db, batchId);
  if (!b) throw notFound("Lot de documents");
  requireStaffOf(actor, b.provider_id, "Lot de documents");
  return { id: b.id, orderId: b.order_id, periodStart: b.period_start, periodEnd: b.period_end, total: b.total, done: b.done, failed: b.failed, status: b.status, error: b.error };
}

export async function listBatches(db: Db, actor: Actor) {
  if (actor.role !== "region_officer" && !isProviderStaff(actor)) throw notFound("Documents");
  return store.batchesOf(db, actor.role === "region_officer" ? null : actor.providerId);
}

/** All certificates of a finished batch in one PDF (one page each); a failed batch gives those it issued. */
export async function batchFile(db: Db, actor: Actor, batchId: string, origin: string) {
  const b = await store.batchById(db, batchId);
  if (!b) throw notFound("Lot de documents");
  requireStaffOf(actor, b.provider_id, "Lot de documents");
  if (b.status === "running") throw new DomainError("BATCH_RUNNING", 409, "Le lot n'est pas terminé.");
  const rows = await store.certificatesByIds(db, b.certificate_ids);
  if (rows.length === 0) throw new DomainError("BATCH_EMPTY", 409, "Ce lot ne contient aucun certificat (aucune heure réalisée sur la période).");
  const views = rows.map(viewOf).sort((a, c) => a.content.trainee.lastName.localeCompare(c.content.trainee.lastName, "fr"));
  const pdf = await certificatePdf(views.map((v) => ({ cert: issuedOf(v), verifyUrl: verifyUrlOf(origin, v.verificationCode) })));
  return { pdf, filename: `certificats-${b.period_start}-${b.period_end}.pdf` };
}

/** Orders the actor may batch (provider issuers: their own orders). */
export async function batchableOrders(db: Db, actor: Actor) {
  if (!ISSUERS.includes(actor.role as (typeof ISSUERS)[number]) || !actor.providerId) return [];
  return db.selectFrom(orderRows().as("order")).select(["id", "number", "planned_start", "planned_end"]).where("provider_id", "=", actor.providerId).orderBy("number").execute();
}
