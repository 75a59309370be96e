// Sessions and information meetings: validate → load → rules → write (+ outbox) in one transaction.
import type { Actor } from "../../core/auth/actor.ts";
import { isProviderStaff, ownProviderId } from "../../core/auth/actor.ts";
import type { Db } from "../../core/db/index.ts";
import type { Transaction } from "kysely";
import type { DB } from "../../core/db/schema.ts";
import { DomainError, forbidden, notFound } from "../../core/errors.ts";
import { audit } from "../../core/outbox.ts";
import { check, errorsOf, type Violation } from "../../core/rules.ts";
import { newId, parisDate } from "../../core/time.ts";
import * as rules from "./rules.ts";
import { CatalogueFilter, InfoMeetingInput, InfoMeetingPatch, parseInput, SessionInput, SessionPatch } from "./schema.ts";
import * as store from "./store.ts";
import { requireCapability } from "../../core/auth/roles.ts";
import { traineesPerDepartement } from "../access-sites/use-cases.ts";

export type SessionRow = store.SessionRow;
export type MeetingRow = store.MeetingRow;
export type PublishableLine = store.PublishableLine;

const isUuid = (id: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
const pgCode = (e: unknown) => (typeof e === "object" && e !== null && "code" in e ? String((e as { code: unknown }).code) : undefined);

/** The Region reads every provider's sessions; provider staff only their own; nobody else. */
function readScope(actor: Actor): string | undefined {
  if (actor.role === "region_officer") return undefined;
  if (isProviderStaff(actor) && actor.providerId) return actor.providerId;
  throw forbidden();
}

/** Administrative and pedagogical referents publish their provider's sessions and meetings. */
function writer(actor: Actor): string {
  requireCapability(actor, "sessions.write");
  return ownProviderId(actor);
}

const toFacts = (l: store.LineFactsRow): rules.LineFacts => ({
  orderNumber: l.order_number,
  plannedStart: l.planned_start,
  plannedEnd: l.planned_end,
  eFormation: l.e_formation,
  siteIds: l.siteIds,
});

/** The caller's own order line, open for sessions; another provider's line is "not found". */
async function ownLine(db: Db, providerId: string, orderLineId: string) {
  const line = isUuid(orderLineId) ? await store.lineFacts(db, orderLineId) : undefined;
  if (!line || line.provider_id !== providerId) {
    throw DomainError.fromViolations([{ code: "VALIDATION", severity: "error", message: "Cette composante ne figure dans aucune de vos commandes.", article: "", field: "orderLineId" }]);
  }
  if (line.order_status !== "issued") throw new DomainError("ORDER_CLOSED", 409, `La commande ${line.order_number} est close : elle ne reçoit plus de sessions.`);
  return line;
}

// ---- Sessions ----

export async function listSessionsForActor(db: Db, actor: Actor) {
  return store.listSessions(db, { providerId: readScope(actor) });
}

/** One page of the sessions the caller sees (a provider: its own; the Region: all). */
export async function pageSessionsForActor(db: Db, actor: Actor, params: store.SessionListParams) {
  return store.pageSessions(db, readScope(actor), params);
}

/** A session the caller may see (no leak: another provider's session is "not found"). */
export async function getSessionForActor(db: Db, actor: Actor, sessionId: string): Promise<SessionRow> {
  const scope = readScope(actor);
  const s = isUuid(sessionId) ? await store.findSession(db, sessionId) : undefined;
  if (!s || (scope && s.provider_id !== scope)) throw notFound("Session");
  return s;
}

function sessionViolations(input: SessionPatch, line: rules.LineFacts): Violation[] {
  return check(rules.sessionWithinOrder(input, line), rules.siteFromOrderLine(input.siteId, line, "session"), rules.recruitmentPeriod(input));
}

const sessionColumns = (input: SessionPatch) => ({
  site_id: input.siteId,
  start_date: input.startDate,
  end_date: input.endDate,
  places: input.places,
  recruitment_open: input.recruitmentOpen,
  recruitment_start: input.recruitmentStart,
  recruitment_end: input.recruitmentEnd,
});

/** CP-INFO-SESSIONS: a provider plans a session of an ordered component (unpublished until published). */
export async function createSession(db: Db, actor: Actor, raw: unknown, options: { publishAt?: Date } = {}): Promise<SessionRow> {
  const providerId = writer(actor);
  const input = parseInput(SessionInput, raw);
  const id = newId();
  await db.transaction().execute(async (tx) => {
    const line = await ownLine(tx, providerId, input.orderLineId);
    const violations = sessionViolations(input, toFacts(line));
    if (errorsOf(violations).length) throw DomainError.fromViolations(violations);
    await store.insertSession(tx, { id, provider_id: providerId, order_line_id: line.id, ...sessionColumns(input), published_at: options.publishAt ?? null });
    await audit(tx, { actorId: actor.userId, action: "session.create", entity: "session", entityId: id, details: input });
  });
  return (await store.findSession(db, id))!;
}

async function ownSession(db: Db, actor: Actor, sessionId: string) {
  const providerId = writer(actor);
  const s = isUuid(sessionId) ? await store.findSession(db, sessionId) : undefined;
  if (!s || s.provider_id !== providerId) throw notFound("Session");
  return s;
}

export async function updateSession(db: Db, actor: Actor, sessionId: string, raw: unknown): Promise<SessionRow> {
  const input = parseInput(SessionPatch, raw);
  await db.transaction().execute(async (tx) => {
    const s = await ownSession(tx, actor, sessionId);
    const line = await ownLine(tx, s.provider_id, s.order_line_id);
    const violations = sessionViolations(input, toFacts(line));
    if (errorsOf(violations).length) throw DomainError.fromViolations(violations);
    await store.updateSession(tx, sessionId, sessionColumns(input));
    await audit(tx, { actorId: actor.userId, action: "session.update", entity: "session", entityId: sessionId, details: input });
  });
  return (await store.findSession(db, sessionId))!;
}

/** CP-INFO-SESSIONS: publishing puts the session in the public catalogue and the LHEO feed. */
export async function publishSession(db: Db, actor: Actor, sessionId: string, now: Date): Promise<SessionRow> {
  await db.transaction().execute(async (tx) => {
    const s = await ownSession(tx, actor, sessionId);
    if (s.published_at) return;
    const line = await ownLine(tx, s.provider_id, s.order_line_id);
    const current: SessionPatch = {
      siteId: s.site_id,
      startDate: s.start_date,
      endDate: s.end_date,
      places: s.places,
      recruitmentOpen: s.recruitment_open,
      recruitmentStart: s.recruitment_start,
      recruitmentEnd: s.recruitment_end,
    };
    // The order may have changed since the session was saved: judge it again.
    const violations = sessionViolations(current, toFacts(line));
    if (errorsOf(violations).length) throw DomainError.fromViolations(violations);
    await store.updateSession(tx, sessionId, { published_at: now });
    await audit(tx, { actorId: actor.userId, action: "session.publish", entity: "session", entityId: sessionId });
  });
  return (await store.findSession(db, sessionId))!;
}

/** Only an unpublished session without candidacies is deleted; a published one closes its recruitment instead. */
export async function deleteSession(db: Db, actor: Actor, sessionId: string): Promise<void> {
  try {
    await db.transaction().execute(async (tx) => {
      const s = await ownSession(tx, actor, sessionId);
      if (s.published_at) throw new DomainError("SESSION_PUBLISHED", 409, "Une session publiée ne se supprime pas : fermez son recrutement.");
      await tx.updateTable("info_meeting").set({ session_id: null }).where("session_id", "=", sessionId).execute();
      await store.deleteSession(tx, sessionId);
      await audit(tx, { actorId: actor.userId, action: "session.delete", entity: "session", entityId: sessionId });
    });
  } catch (e) {
    if (pgCode(e) === "23503") throw new DomainError("SESSION_HAS_CANDIDACIES", 409, "Cette session a reçu des candidatures : elle ne peut pas être supprimée.");
    throw e;
  }
}

// ---- Information meetings ----

export async function listMeetingsForActor(db: Db, actor: Actor) {
  return store.listMeetings(db, { providerId: readScope(actor) });
}

/** GET /api/info-meetings with list parameters: one keyset page of the meetings the caller sees (ADR 0030, 0045). */
export async function pageMeetingsApiForActor(db: Db, actor: Actor, params: store.MeetingApiListParams) {
  return store.pageMeetingsApi(db, readScope(actor), params);
}

/** One page of the information meetings the caller sees (to come or past). */
export async function pageMeetingsForActor(db: Db, actor: Actor, params: store.MeetingListParams, today: string) {
  return store.pageMeetings(db, readScope(actor), params, today);
}

export async function getMeetingForActor(db: Db, actor: Actor, meetingId: string): Promise<MeetingRow> {
  const scope = readScope(actor);
  const m = isUuid(meetingId) ? await store.findMeeting(db, meetingId) : undefined;
  if (!m || (scope && m.provider_id !== scope)) throw notFound("Information collective");
  return m;
}

async function meetingViolations(db: Db, input: InfoMeetingPatch, line: store.LineFactsRow): Promise<Violation[]> {
  const out = check(rules.siteFromOrderLine(input.siteId, toFacts(line), "meeting"), rules.meetingPlace(input));
  if (input.sessionId) {
    const s = await store.findSession(db, input.sessionId);
    if (!s || s.order_line_id !== line.id) {
      out.push({ code: "VALIDATION", severity: "error", message: "Cette session n'appartient pas à la composante choisie.", article: "", field: "sessionId" });
    }
  }
  return out;
}

const meetingColumns = (input: InfoMeetingPatch) => ({
  session_id: input.sessionId,
  meeting_date: input.meetingDate,
  start_time: input.startTime,
  end_time: input.endTime,
  site_id: input.siteId,
  place: input.place,
  remote_url: input.remoteUrl,
  content: JSON.stringify(input.content),
});

/** CP-INFO-SESSIONS: a collective information meeting, saved as a draft until published. */
export async function createMeeting(db: Db, actor: Actor, raw: unknown, options: { publishAt?: Date } = {}): Promise<MeetingRow> {
  const providerId = writer(actor);
  const input = parseInput(InfoMeetingInput, raw);
  const id = newId();
  await db.transaction().execute(async (tx) => {
    const line = await ownLine(tx, providerId, input.orderLineId);
    const violations = check(await meetingViolations(tx, input, line), options.publishAt ? rules.infoContent(input.content) : undefined);
    if (errorsOf(violations).length) throw DomainError.fromViolations(violations);
    await store.insertMeeting(tx, { id, provider_id: providerId, order_line_id: line.id, ...meetingColumns(input), published_at: options.publishAt ?? null });
    await audit(tx, { actorId: actor.userId, action: "info_meeting.create", entity: "info_meeting", entityId: id, details: input });
  });
  return (await store.findMeeting(db, id))!;
}

async function ownMeeting(db: Db, actor: Actor, meetingId: string) {
  const providerId = writer(actor);
  const m = isUuid(meetingId) ? await store.findMeeting(db, meetingId) : undefined;
  if (!m || m.provider_id !== providerId) throw notFound("Information collective");
  return m;
}

export async function updateMeeting(db: Db, actor: Actor, meetingId: string, raw: unknown): Promise<MeetingRow> {
  const input = parseInput(InfoMeetingPatch, raw);
  await db.transaction().execute(async (tx) => {
    const m = await ownMeeting(tx, actor, meetingId);
    const line = await ownLine(tx, m.provider_id, m.order_line_id);
    // A published meeting stays complete (CP-INFO-CONTENT).
    const violations = check(await meetingViolations(tx, input, line), m.published_at ? rules.infoContent(input.content) : undefined);
    if (errorsOf(violations).length) throw DomainError.fromViolations(violations);
    await store.updateMeeting(tx, meetingId, meetingColumns(input));
    await audit(tx, { actorId: actor.userId, action: "info_meeting.update", entity: "info_meeting", entityId: meetingId, details: input });
  });
  return (await store.findMeeting(db, meetingId))!;
}

/** CP-INFO-CONTENT: a meeting is published only when its content covers every item of the CCTP. */
export async function publishMeeting(db: Db, actor: Actor, meetingId: string, now: Date): Promise<MeetingRow> {
  await db.transaction().execute(async (tx) => {
    const m = await ownMeeting(tx, actor, meetingId);
    if (m.published_at) return;
    await ownLine(tx, m.provider_id, m.order_line_id);
    const v = rules.infoContent((m.content ?? {}) as rules.InfoContent);
    if (v) throw DomainError.fromViolations([v]);
    await store.updateMeeting(tx, meetingId, { published_at: now });
    await audit(tx, { actorId: actor.userId, action: "info_meeting.publish", entity: "info_meeting", entityId: meetingId });
  });
  return (await store.findMeeting(db, meetingId))!;
}

export async function deleteMeeting(db: Db, actor: Actor, meetingId: string): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const m = await ownMeeting(tx, actor, meetingId);
    if (m.published_at) throw new DomainError("MEETING_PUBLISHED", 409, "Une information collective publiée ne se supprime pas.");
    await store.deleteMeeting(tx, meetingId);
    await audit(tx, { actorId: actor.userId, action: "info_meeting.delete", entity: "info_meeting", entityId: meetingId });
  });
}

// ---- Compliance, forms, catalogue, exports for other domains ----

/** CP-INFO-REGULAR: one warning per order open to entries without a future published meeting. */
export async function infoRegularWarnings(db: Db, actor: Actor, today = parisDate(new Date()), filter: { providerId?: string } = {}): Promise<Violation[]> {
  const rows = await store.orderOpenness(db, today, readScope(actor) ?? filter.providerId);
  return check(
    rows.map((r) =>
      rules.infoRegular({ orderNumber: r.number, providerName: r.provider_name, openSessionStarts: r.open_session_starts ?? [], futurePublishedMeetings: r.future_meetings ?? 0 }),
    ),
  );
}

/** The order lines (with their sites) the caller may publish sessions and meetings for. */
export async function publishableLines(db: Db, actor: Actor): Promise<PublishableLine[]> {
  return store.publishableLines(db, writer(actor));
}

export const listDepartements = (db: Db) => store.departements(db);

/** For recruitment: a session with its order line, component, provider and site (no access check). */
export async function getSession(db: Db, sessionId: string): Promise<SessionRow | undefined> {
  return isUuid(sessionId) ? store.findSession(db, sessionId) : undefined;
}

/** For recruitment: published sessions of issued orders, recruitment open, not yet ended. */
export async function listOpenSessions(db: Db, today = parisDate(new Date())): Promise<SessionRow[]> {
  const rows = await store.listSessions(db, { publishedOnly: true, recruitmentOpen: true });
  return rows.filter((s) => s.end_date >= today);
}

/** Public catalogue: published sessions starting on or after `from` (default today) and the meetings ahead. */
export async function catalogue(db: Db, rawFilter: unknown, today: string) {
  const filter = CatalogueFilter.parse(rawFilter ?? {});
  const from = filter.from && filter.from > today ? filter.from : today;
  const [sessions, meetings] = await Promise.all([
    store.listSessions(db, { publishedOnly: true, startFrom: from, departement: filter.departement, category: filter.category }),
    store.listMeetings(db, { publishedOnly: true, from, departement: filter.departement, category: filter.category }),
  ]);
  return { filter: { ...filter, from }, sessions, meetings };
}

/** Public page of one published session: the component's information (CP-OFFER-INFO), meetings ahead, contact. */
export async function publicSession(db: Db, sessionId: string, today: string) {
  const s = await getSession(db, sessionId);
  if (!s?.published_at || s.order_status !== "issued") throw notFound("Session");
  const meetings = await store.listMeetings(db, { orderLineIds: [s.order_line_id], publishedOnly: true, from: today });
  const [provider] = await store.providersByIds(db, [s.provider_id]);
  return { session: s, meetings, provider };
}

/**
 * CP-EFORM-REGIONAL-RECRUIT: the session's candidacies and trainees per département of residence
 * (an e-formation session recruits region-wide; any session can be read this way).
 */
export async function sessionDepartements(db: Db, actor: Actor, sessionId: string) {
  const session = await getSessionForActor(db, actor, sessionId);
  const rows = await store.sessionCandidaciesByDepartement(db, session.id);
  const asRows = (list: typeof rows) => list.map((r) => ({ departementCode: r.code, departementName: r.name }));
  const trainees = traineesPerDepartement(asRows(rows.filter((r) => r.path_id !== null || r.status === "entered")));
  const candidacies = traineesPerDepartement(asRows(rows));
  return {
    session,
    departements: candidacies.map((d) => ({ code: d.code, name: d.name, candidacies: d.trainees, trainees: trainees.find((t) => t.code === d.code)?.trainees ?? 0 })),
  };
}

/**
 * For e-formation's checkpoint (CP-EFORM-CHECKPOINT-15D): the Region postpones a session to new dates, in
 * the caller's transaction (no actor check here: the caller has judged who may); the session's own
 * rules (within its order) still hold.
 */
export async function moveSessionDates(tx: Transaction<DB>, sessionId: string, startDate: string, endDate: string, actorId: string): Promise<void> {
  const s = await store.findSession(tx, sessionId);
  if (!s) throw notFound("Session");
  const line = await store.lineFacts(tx, s.order_line_id);
  if (!line) throw notFound("Session");
  const patch: SessionPatch = { siteId: s.site_id, startDate, endDate, places: s.places, recruitmentOpen: s.recruitment_open, recruitmentStart: s.recruitment_start, recruitmentEnd: s.recruitment_end };
  const violations = sessionViolations(patch, toFacts(line));
  if (errorsOf(violations).length) throw DomainError.fromViolations(violations);
  await store.updateSession(tx, sessionId, { start_date: startDate, end_date: endDate });
  await audit(tx, { actorId, action: "session.move", entity: "session", entityId: sessionId, details: { from: { startDate: s.start_date, endDate: s.end_date }, to: { startDate, endDate } } });
}
