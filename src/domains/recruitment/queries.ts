// Read side of recruitment: lists, detail, selection ranking, slips and the Region's view, all scoped by actor.
import type { Actor } from "../../core/auth/actor.ts";
import { isProviderStaff, requireRole } from "../../core/auth/actor.ts";
import type { Db } from "../../core/db/index.ts";
import type { CandidacyStatus } from "../../core/db/schema.ts";
import { notFound } from "../../core/errors.ts";
import { readFile } from "../../core/files.ts";
import { notificationsFor } from "../../core/notifications/index.ts";
import { check } from "../../core/rules.ts";
import { type Clock, parisDate } from "../../core/time.ts";
import { getSession } from "../sessions/use-cases.ts";
import * as rules from "./rules.ts";
import * as store from "./store.ts";
import { loadCandidacyForActor } from "./use-cases.ts";
import { accountRows } from "../../core/auth/accounts.ts";
import { sessionRows } from "../sessions/views.ts";
import { orderLineRows } from "../orders/views.ts";
import { componentRows, siteRows } from "../offer/views.ts";
import { providerRows } from "../region/views.ts";
import { dropoutAlertRows } from "../internships/views.ts";
import { pathRows } from "../paths/views.ts";

type Filters = { sessionId?: string; status?: string; orderId?: string };

/** Candidacies the actor may see: provider staff their provider's, a prescriber its organisation's, the Region all. */
export async function listCandidacies(db: Db, actor: Actor, filters: Filters = {}) {
  let q = store.candidacyQuery(db);
  if (isProviderStaff(actor)) q = q.where("cy.provider_id", "=", actor.providerId ?? "");
  else if (actor.role === "prescriber") q = q.where("cy.prescriber_organisation_id", "=", actor.prescriberOrganisationId ?? "");
  else requireRole(actor, "region_officer");
  if (filters.sessionId) q = q.where("cy.session_id", "=", filters.sessionId);
  if (filters.orderId) q = q.where("o.id", "=", filters.orderId);
  if (filters.status) q = q.where("cy.status", "=", filters.status as CandidacyStatus);
  return q.orderBy("s.start_date").orderBy("cy.created_at", "desc").limit(500).execute();
}

/** Flags shown with a candidacy: eligibility, preparation priority, the 28-day clock. */
export function flagsOf(row: store.CandidacyRow, today: string) {
  return check(
    row.status === "entered" || row.status === "withdrawn" || row.status === "not_retained" ? undefined : rules.eligiblePublic(row.job_seeker_registered, "candidacy"),
    rules.prepPriority(row.component_category, row.component_level, row.highest_diploma_level),
    row.slip_received_on ? rules.continuation4w(row.slip_received_on, row.slip_answered_on, today) : undefined,
  );
}

export async function candidacyDetail(db: Db, actor: Actor, clock: Clock, id: string) {
  const row = await loadCandidacyForActor(db, actor, id);
  const [log, messages, reasons, referents] = await Promise.all([
    store.history(db, id),
    notificationsFor(db, "candidacy", id),
    store.activeRefusalReasons(db),
    db.selectFrom(accountRows().as("app_user")).select(["id", "full_name"]).where("provider_id", "=", row.provider_id).where("role", "=", "pedagogical_referent").where("active", "=", true).orderBy("full_name").execute(),
  ]);
  const canDecide = (actor.role === "provider_admin" || actor.role === "pedagogical_referent") && actor.providerId === row.provider_id;
  const next = rules.nextStatuses(row.status).filter((s) => (canDecide ? true : actor.role === "prescriber" && s === "withdrawn"));
  // CP-REFERENT-FOLLOWUP: the drop-out alerts raised about the trainee this candidacy led to.
  const alerts = row.path_id
    ? await db.selectFrom(dropoutAlertRows().as("a")).innerJoin(pathRows().as("p"), "p.trainee_id", "a.trainee_id").select(["a.id", "a.reason", "a.details", "a.raised_at"]).where("p.id", "=", row.path_id).orderBy("a.raised_at", "desc").execute()
    : [];
  return { row, log, messages, reasons, referents, canDecide, next, alerts, flags: flagsOf(row, parisDate(clock.now())) };
}
export type CandidacyDetail = Awaited<ReturnType<typeof candidacyDetail>>;

/** CP-CONTINUATION-PRIORITY: the selection screen of one session, ranked. */
export async function selectionRanking(db: Db, actor: Actor, clock: Clock, sessionId: string) {
  const session = await getSession(db, sessionId);
  if (!session) throw notFound("Session");
  if (actor.role !== "region_officer" && !(isProviderStaff(actor) && actor.providerId === session.provider_id)) throw notFound("Session");
  const rows = await store.candidacyQuery(db).where("cy.session_id", "=", sessionId).where("cy.status", "in", ["received", "invited", "summoned", "waiting_list", "selected"]).execute();
  const ranked = rules.rankForSelection(rows.map((r) => ({ ...r, assessmentScore: r.assessment_score, receivedAt: new Date(r.created_at).toISOString() })));
  const today = parisDate(clock.now());
  return { session, ranked: ranked.map((r, i) => ({ rank: i + 1, row: r, flags: flagsOf(r, today) })) };
}

/** Slips the actor deals with: received (provider 2), sent (provider 1, CP-COPASS), its own (prescriber), all (Region). */
export async function listSlips(db: Db, actor: Actor, clock: Clock) {
  const today = parisDate(clock.now());
  let q = store.candidacyQuery(db).where("cy.origin", "=", "continuation");
  if (isProviderStaff(actor)) q = q.where((eb) => eb.or([eb("cy.provider_id", "=", actor.providerId ?? ""), eb("cs.from_provider_id", "=", actor.providerId ?? "")]));
  else if (actor.role === "prescriber") q = q.where("cy.prescriber_organisation_id", "=", actor.prescriberOrganisationId ?? "");
  else requireRole(actor, "region_officer");
  const rows = await q.orderBy("cs.received_on", "desc").limit(500).execute();
  return rows.map((r) => slipView(actor, today, r));
}

/** A slip as its reader sees it: the 28-day clock, and for the provider that sent it only the answer (CP-COPASS). */
export function slipView(actor: Actor, today: string, r: store.CandidacyRow) {
  const clock28 = { deadline: rules.continuationDeadline(r.slip_received_on!), lateness: rules.continuation4w(r.slip_received_on!, r.slip_answered_on, today) };
  if (isProviderStaff(actor) && r.provider_id !== actor.providerId) return { ...clock28, direction: "sent" as const, row: slipAnswerOf(r) };
  return { ...clock28, direction: isProviderStaff(actor) ? ("received" as const) : ("all" as const), row: r };
}

/** What the provider that sent a slip reads of it (CP-COPASS): whom it sent where, and the answer. */
function slipAnswerOf(r: store.CandidacyRow) {
  return {
    id: r.id,
    first_name: r.first_name,
    last_name: r.last_name,
    component_title: r.component_title,
    provider_name: r.provider_name,
    from_provider_name: r.from_provider_name,
    from_scheme: r.from_scheme,
    slip_received_on: r.slip_received_on,
    slip_answered_on: r.slip_answered_on,
    slip_answer: r.slip_answer,
    slip_answer_entry_date: r.slip_answer_entry_date,
    slip_answer_reason: r.slip_answer_reason,
  };
}

/** CP-CONTINUATION-PRIORITY: per order, continuation candidates received, retained, refused with reasons (Region). */
export async function regionContinuations(db: Db, actor: Actor, clock: Clock) {
  requireRole(actor, "region_officer");
  const slips = (await listSlips(db, actor, clock)).flatMap((s) => (s.direction === "all" ? [s] : []));
  const byOrder = new Map<string, { orderNumber: string; providerName: string; received: number; retained: number; refused: number; pending: number; overdue: number; refusals: typeof slips }>();
  for (const s of slips) {
    const r = s.row;
    const o = byOrder.get(r.order_id) ?? { orderNumber: r.order_number, providerName: r.provider_name, received: 0, retained: 0, refused: 0, pending: 0, overdue: 0, refusals: [] };
    o.received++;
    if (r.status === "selected" || r.status === "entered") o.retained++;
    else if (r.status === "not_retained") {
      o.refused++;
      o.refusals.push(s);
    } else if (r.status !== "withdrawn") o.pending++;
    if (s.lateness && !r.slip_answered_on) o.overdue++;
    byOrder.set(r.order_id, o);
  }
  return [...byOrder.values()].sort((a, b) => a.orderNumber.localeCompare(b.orderNumber));
}

/** Sessions a candidacy may be addressed to: published, recruitment open (continuations: any not ended). */
export async function sessionChoices(db: Db, actor: Actor, clock: Clock, forContinuation = false) {
  const today = parisDate(clock.now());
  let q = db
    .selectFrom(sessionRows().as("s"))
    .innerJoin(orderLineRows().as("ol"), "ol.id", "s.order_line_id")
    .innerJoin(componentRows().as("co"), "co.id", "ol.component_id")
    .innerJoin(providerRows().as("p"), "p.id", "s.provider_id")
    .leftJoin(siteRows().as("si"), "si.id", "s.site_id")
    .select(["s.id", "s.start_date", "s.end_date", "s.provider_id", "co.title", "co.e_formation", "p.name as provider_name", "si.commune"])
    .where("s.end_date", ">=", today)
    .where("s.published_at", "is not", null);
  if (!forContinuation) {
    q = q
      .where("s.recruitment_open", "=", true)
      .where((eb) => eb.or([eb("s.recruitment_start", "is", null), eb("s.recruitment_start", "<=", today)]))
      .where((eb) => eb.or([eb("s.recruitment_end", "is", null), eb("s.recruitment_end", ">=", today)]));
  }
  // Paper entry: provider staff address their own sessions only.
  if (isProviderStaff(actor) && !forContinuation) q = q.where("s.provider_id", "=", actor.providerId ?? "");
  return q.orderBy("s.start_date").orderBy("co.title").limit(300).execute();
}

export async function providerSessions(db: Db, actor: Actor) {
  if (!isProviderStaff(actor)) return [];
  return db
    .selectFrom(sessionRows().as("s"))
    .innerJoin(orderLineRows().as("ol"), "ol.id", "s.order_line_id")
    .innerJoin(componentRows().as("co"), "co.id", "ol.component_id")
    .select(["s.id", "s.start_date", "co.title"])
    .where("s.provider_id", "=", actor.providerId ?? "")
    .orderBy("s.start_date")
    .execute();
}

export async function attachmentFor(db: Db, actor: Actor, candidacyId: string) {
  const row = await loadCandidacyForActor(db, actor, candidacyId);
  if (!row.attachment_id) throw notFound("Pièce jointe");
  return readFile(db, row.attachment_id);
}
