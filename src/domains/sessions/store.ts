// Kysely queries of the sessions domain's tables: session, info_meeting. Order, component,
// provider and site columns are joined in read-only, for the rules and for display.
import { type Insertable, type Kysely, sql, type Updateable } from "kysely";
import { jsonArrayFrom, jsonObjectFrom } from "kysely/helpers/postgres";
import { z } from "zod";
import { folded, keysetPage, listQuery, searchIn, type Sorts } from "../../core/listing.ts";
import { calendarDate } from "../../core/inputs.ts";
import type { DB } from "../../core/db/schema.ts";
import { orderLineRows, orderLineSiteRows, orderRows } from "../orders/views.ts";
import { componentRows, moduleRows, siteRows } from "../offer/views.ts";
import { departementRows, providerReferentRows, providerRows } from "../region/views.ts";
import { candidacyDepartementRows } from "../recruitment/views.ts";

type Q = Kysely<DB>;

/** The order facts of an order line: dates, provider, component, sites (CP-ORDER-FROM-OFFER). */
export async function lineFacts(db: Q, orderLineId: string) {
  const line = await db
    .selectFrom(orderLineRows().as("ol"))
    .innerJoin(orderRows().as("o"), "o.id", "ol.order_id")
    .innerJoin(componentRows().as("c"), "c.id", "ol.component_id")
    .select(["ol.id", "o.id as order_id", "o.number as order_number", "o.provider_id", "o.planned_start", "o.planned_end", "o.status as order_status", "c.title as component_title", "c.e_formation"])
    .where("ol.id", "=", orderLineId)
    .executeTakeFirst();
  if (!line) return undefined;
  const sites = await db.selectFrom(orderLineSiteRows().as("order_line_site")).select("site_id").where("order_line_id", "=", orderLineId).execute();
  return { ...line, siteIds: sites.map((s) => s.site_id) };
}
export type LineFactsRow = NonNullable<Awaited<ReturnType<typeof lineFacts>>>;

/** The order lines a provider may publish sessions for (orders still issued), with their sites. */
export async function publishableLines(db: Q, providerId: string) {
  const lines = await db
    .selectFrom(orderLineRows().as("ol"))
    .innerJoin(orderRows().as("o"), "o.id", "ol.order_id")
    .innerJoin(componentRows().as("c"), "c.id", "ol.component_id")
    .select(["ol.id", "o.number as order_number", "o.planned_start", "o.planned_end", "c.title as component_title", "c.e_formation"])
    .where("o.provider_id", "=", providerId)
    .where("o.status", "=", "issued")
    .orderBy("o.number")
    .orderBy("c.title")
    .execute();
  const sites = lines.length
    ? await db
        .selectFrom(orderLineSiteRows().as("ols"))
        .innerJoin(siteRows().as("s"), "s.id", "ols.site_id")
        .select(["ols.order_line_id", "s.id", "s.name", "s.commune"])
        .where(
          "ols.order_line_id",
          "in",
          lines.map((l) => l.id),
        )
        .orderBy("s.name")
        .execute()
    : [];
  return lines.map((l) => ({ ...l, sites: sites.filter((s) => s.order_line_id === l.id).map(({ id, name, commune }) => ({ id, name, commune })) }));
}
export type PublishableLine = Awaited<ReturnType<typeof publishableLines>>[number];

function sessionQuery(db: Q) {
  return db
    .selectFrom("session as s")
    .innerJoin(orderLineRows().as("ol"), "ol.id", "s.order_line_id")
    .innerJoin(orderRows().as("o"), "o.id", "ol.order_id")
    .innerJoin(componentRows().as("c"), "c.id", "ol.component_id")
    .innerJoin(providerRows().as("p"), "p.id", "s.provider_id")
    .leftJoin(siteRows().as("st"), "st.id", "s.site_id")
    .selectAll("s")
    .select([
      "o.id as order_id",
      "o.number as order_number",
      "o.planned_start as order_start",
      "o.planned_end as order_end",
      "o.status as order_status",
      "ol.headcount as line_headcount",
      "ol.average_path_centre_minutes",
      "ol.average_path_company_minutes",
      "c.id as component_id",
      "c.title as component_title",
      "c.category",
      "c.subcategory",
      "c.e_formation",
      "c.level_2019",
      "c.certification_code",
      "c.prerequisites",
      "c.content",
      "c.purpose",
      "p.name as provider_name",
      "st.name as site_name",
      "st.address as site_address",
      "st.postcode as site_postcode",
      "st.commune as site_commune",
      "st.departement_code as site_departement",
      "st.accessible as site_accessible",
    ]);
}

export function findSession(db: Q, id: string) {
  return sessionQuery(db).where("s.id", "=", id).executeTakeFirst();
}
export type SessionRow = NonNullable<Awaited<ReturnType<typeof findSession>>>;

export interface SessionFilter {
  providerId?: string;
  publishedOnly?: boolean;
  /** Sessions starting on or after this date. */
  startFrom?: string;
  departement?: string;
  category?: string;
  recruitmentOpen?: boolean;
}

export function listSessions(db: Q, f: SessionFilter = {}) {
  let q = sessionQuery(db);
  if (f.providerId) q = q.where("s.provider_id", "=", f.providerId);
  if (f.publishedOnly) q = q.where("s.published_at", "is not", null).where("o.status", "=", "issued");
  if (f.startFrom) q = q.where("s.start_date", ">=", f.startFrom);
  if (f.category) q = q.where("c.category", "=", f.category as DB["component"]["category"]);
  if (f.recruitmentOpen) q = q.where("s.recruitment_open", "=", true);
  // A distance session without a site is reachable from every département, and an e-formation one
  // recruits region-wide wherever its site is (CP-EFORM-REGIONAL-RECRUIT).
  if (f.departement) q = q.where((eb) => eb.or([eb("st.departement_code", "=", f.departement!), eb("s.site_id", "is", null), eb("c.e_formation", "=", true)]));
  return q.orderBy("s.start_date").orderBy("c.title").orderBy("s.id").execute();
}

export const SESSION_SORTS = {
  start: { label: "Début (plus proche d'abord)", expr: sql`s.start_date`, dir: "asc" },
  start_desc: { label: "Début (plus lointain d'abord)", expr: sql`s.start_date`, dir: "desc" },
  component: { label: "Composante (A → Z)", expr: folded(sql`c.title`), dir: "asc" },
} satisfies Sorts;
export const SessionListQuery = listQuery(SESSION_SORTS, "start").extend({
  published: z.enum(["yes", "no"]).optional().describe("yes : publiées ; no : brouillons"),
  recruitmentOpen: z.enum(["yes", "no"]).optional().describe("Recrutement ouvert (yes) ou fermé (no)"),
  orderId: z.string().uuid().optional().describe("Commande"),
});
export type SessionListParams = z.infer<typeof SessionListQuery>;

/** One keyset page of sessions (ADR 0030); `providerId` scopes a provider's staff to their own. */
export function pageSessions(db: Q, providerId: string | undefined, p: SessionListParams) {
  let q = sessionQuery(db);
  if (providerId) q = q.where("s.provider_id", "=", providerId);
  if (p.published) q = q.where("s.published_at", p.published === "yes" ? "is not" : "is", null);
  if (p.recruitmentOpen) q = q.where("s.recruitment_open", "=", p.recruitmentOpen === "yes");
  if (p.orderId) q = q.where("o.id", "=", p.orderId);
  q = searchIn(q, p.q, [sql`c.title`, sql`o.number`, sql`st.name`, sql`st.commune`, sql`p.name`]);
  return keysetPage(q, SESSION_SORTS, p, sql<string>`s.id`);
}

export const insertSession = (db: Q, row: Insertable<DB["session"]>) => db.insertInto("session").values(row).execute();
export const updateSession = (db: Q, id: string, row: Updateable<DB["session"]>) => db.updateTable("session").set(row).where("id", "=", id).execute();
export const deleteSession = (db: Q, id: string) => db.deleteFrom("session").where("id", "=", id).execute();

function meetingQuery(db: Q) {
  return db
    .selectFrom("info_meeting as m")
    .innerJoin(orderLineRows().as("ol"), "ol.id", "m.order_line_id")
    .innerJoin(orderRows().as("o"), "o.id", "ol.order_id")
    .innerJoin(componentRows().as("c"), "c.id", "ol.component_id")
    .innerJoin(providerRows().as("p"), "p.id", "m.provider_id")
    .leftJoin(siteRows().as("st"), "st.id", "m.site_id")
    .selectAll("m")
    .select([
      "o.id as order_id",
      "o.number as order_number",
      "o.status as order_status",
      "c.title as component_title",
      "c.category",
      "p.name as provider_name",
      "st.name as site_name",
      "st.address as site_address",
      "st.postcode as site_postcode",
      "st.commune as site_commune",
      "st.departement_code as site_departement",
    ]);
}

export function findMeeting(db: Q, id: string) {
  return meetingQuery(db).where("m.id", "=", id).executeTakeFirst();
}
export type MeetingRow = NonNullable<Awaited<ReturnType<typeof findMeeting>>>;

export interface MeetingFilter {
  providerId?: string;
  orderLineIds?: string[];
  publishedOnly?: boolean;
  from?: string;
  departement?: string;
  category?: string;
}

export function listMeetings(db: Q, f: MeetingFilter = {}) {
  let q = meetingQuery(db);
  if (f.providerId) q = q.where("m.provider_id", "=", f.providerId);
  if (f.orderLineIds) {
    if (f.orderLineIds.length === 0) return Promise.resolve([]);
    q = q.where("m.order_line_id", "in", f.orderLineIds);
  }
  if (f.publishedOnly) q = q.where("m.published_at", "is not", null).where("o.status", "=", "issued");
  if (f.from) q = q.where("m.meeting_date", ">=", f.from);
  if (f.category) q = q.where("c.category", "=", f.category as DB["component"]["category"]);
  // A remote meeting (no site) is open to people of every département.
  if (f.departement) q = q.where((eb) => eb.or([eb("st.departement_code", "=", f.departement!), eb("m.site_id", "is", null)]));
  return q.orderBy("m.meeting_date").orderBy("m.start_time").orderBy("m.id").execute();
}

/** Information meetings to come (soonest first) or past (latest first), one keyset page at a time (ADR 0030). */
export const MEETING_SORTS = {
  upcoming: { label: "À venir (plus proche d'abord)", expr: sql`m.meeting_date::text || ' ' || m.start_time::text`, dir: "asc" },
  past: { label: "Passées (plus récente d'abord)", expr: sql`m.meeting_date::text || ' ' || m.start_time::text`, dir: "desc" },
} satisfies Sorts;
export const MeetingListQuery = z.object({
  ic: z.enum(["upcoming", "past"]).default("upcoming").describe("Informations collectives à venir (upcoming) ou passées (past)"),
  icAfter: z.string().max(500).optional().describe("Curseur de la page suivante des informations collectives"),
});
export type MeetingListParams = z.infer<typeof MeetingListQuery>;
export const MEETING_PAGE_SIZE = 20;

export function pageMeetings(db: Q, providerId: string | undefined, p: MeetingListParams, today: string) {
  let q = meetingQuery(db);
  if (providerId) q = q.where("m.provider_id", "=", providerId);
  q = p.ic === "upcoming" ? q.where("m.meeting_date", ">=", today) : q.where("m.meeting_date", "<", today);
  return keysetPage(q, MEETING_SORTS, { sort: p.ic, after: p.icAfter, limit: MEETING_PAGE_SIZE }, sql<string>`m.id`);
}

/**
 * GET /api/info-meetings (ADR 0030, 0045): every meeting of the caller's scope, past and to come, by
 * date then start time — the order of the former unpaged answer — one keyset page at a time.
 */
const MEETING_WHEN = sql`m.meeting_date::text || ' ' || m.start_time::text`;
export const MEETING_API_SORTS = {
  date: { label: "Date (plus ancienne d'abord)", expr: MEETING_WHEN, dir: "asc" },
  date_desc: { label: "Date (plus récente d'abord)", expr: MEETING_WHEN, dir: "desc" },
} satisfies Sorts;
export const MeetingApiListQuery = listQuery(MEETING_API_SORTS, "date").extend({
  published: z.enum(["yes", "no"]).optional().describe("yes : publiées ; no : brouillons"),
  orderId: z.uuid().optional().describe("Commande"),
  from: calendarDate("Date de début").optional().describe("À partir de cette date (incluse), AAAA-MM-JJ"),
});
export type MeetingApiListParams = z.infer<typeof MeetingApiListQuery>;

export function pageMeetingsApi(db: Q, providerId: string | undefined, p: MeetingApiListParams) {
  let q = meetingQuery(db);
  if (providerId) q = q.where("m.provider_id", "=", providerId);
  if (p.published) q = q.where("m.published_at", p.published === "yes" ? "is not" : "is", null);
  if (p.orderId) q = q.where("o.id", "=", p.orderId);
  if (p.from) q = q.where("m.meeting_date", ">=", p.from);
  q = searchIn(q, p.q, [sql`c.title`, sql`o.number`, sql`st.name`, sql`st.commune`, sql`m.place`]);
  return keysetPage(q, MEETING_API_SORTS, p, sql<string>`m.id`);
}

export const insertMeeting = (db: Q, row: Insertable<DB["info_meeting"]>) => db.insertInto("info_meeting").values(row).execute();
export const updateMeeting = (db: Q, id: string, row: Updateable<DB["info_meeting"]>) => db.updateTable("info_meeting").set(row).where("id", "=", id).execute();
export const deleteMeeting = (db: Q, id: string) => db.deleteFrom("info_meeting").where("id", "=", id).execute();

/**
 * CP-INFO-REGULAR facts, per issued order: sessions still open to entries (recruitment open,
 * start ≥ today) and published meetings dated today or later.
 */
export function orderOpenness(db: Q, today: string, providerId?: string) {
  let q = db
    .selectFrom(orderRows().as("o"))
    .innerJoin(providerRows().as("p"), "p.id", "o.provider_id")
    .select((eb) => [
      "o.id",
      "o.number",
      "o.provider_id",
      "p.name as provider_name",
      eb
        .selectFrom("session as s")
        .innerJoin(orderLineRows().as("ol"), "ol.id", "s.order_line_id")
        .select(sql<string[]>`coalesce(array_agg(to_char(s.start_date, 'YYYY-MM-DD')), '{}')`.as("x"))
        .whereRef("ol.order_id", "=", "o.id")
        .where("s.recruitment_open", "=", true)
        .where("s.start_date", ">=", today)
        .as("open_session_starts"),
      eb
        .selectFrom("info_meeting as m")
        .innerJoin(orderLineRows().as("ol"), "ol.id", "m.order_line_id")
        .select(sql<number>`count(*)::int`.as("n"))
        .whereRef("ol.order_id", "=", "o.id")
        .where("m.published_at", "is not", null)
        .where("m.meeting_date", ">=", today)
        .as("future_meetings"),
    ])
    .where("o.status", "=", "issued")
    .orderBy("o.number");
  if (providerId) q = q.where("o.provider_id", "=", providerId);
  return q.execute();
}

/** Provider facts for the LHEO export and the public page: identity, address, public-mobilisation contact. */
export async function providersByIds(db: Q, ids: string[]) {
  if (ids.length === 0) return [];
  const providers = await db.selectFrom(providerRows().as("provider")).select(["id", "name", "siret", "nda", "address"]).where("id", "in", ids).execute();
  const contacts = await db
    .selectFrom(providerReferentRows().as("provider_referent"))
    .select(["provider_id", "full_name", "email", "phone"])
    .where("provider_id", "in", ids)
    .where("kind", "=", "public_mobilisation")
    .execute();
  const firstSites = await db
    .selectFrom(siteRows().as("site"))
    .select(["provider_id", "address", "postcode", "commune", "departement_code"])
    .where("provider_id", "in", ids)
    .orderBy("created_at")
    .orderBy("name")
    .execute();
  return providers.map((p) => ({
    ...p,
    contact: contacts.find((c) => c.provider_id === p.id),
    firstSite: firstSites.find((s) => s.provider_id === p.id),
  }));
}
export type ProviderFacts = Awaited<ReturnType<typeof providersByIds>>[number];

export const departements = (db: Q) => db.selectFrom(departementRows().as("departement")).selectAll().orderBy("code").execute();

/** CP-EFORM-REGIONAL-RECRUIT: the session's candidacies (withdrawn ones aside) with the candidate's département. */
export const sessionCandidaciesByDepartement = (db: Q, sessionId: string) =>
  db
    .selectFrom(candidacyDepartementRows().as("cd"))
    .leftJoin(departementRows().as("d"), "d.code", "cd.residence_departement_code")
    .select(["cd.residence_departement_code as code", "d.name", "cd.path_id", "cd.status"])
    .where("cd.session_id", "=", sessionId)
    .where("cd.status", "!=", "withdrawn")
    .execute();
// ——— The streamed LHEO feed (issue 16, point 5) ———

/** Where a keyset page of the feed ends: the sort key of its last session. */
export interface SessionKey {
  componentId: string;
  orderLineId: string;
  startDate: string;
  id: string;
}

export interface FeedScope {
  providerId?: string;
  publishedOnly: boolean;
  /** Sessions ending before this day are past: left out. */
  today: string;
}

function feedSessions(db: Q, f: FeedScope) {
  let q = sessionQuery(db).where("s.end_date", ">=", f.today);
  if (f.providerId) q = q.where("s.provider_id", "=", f.providerId);
  if (f.publishedOnly) q = q.where("s.published_at", "is not", null).where("o.status", "=", "issued");
  return q;
}

/**
 * The order lines that have sessions in the feed, in the feed's order (component, line), with how many:
 * the batches then read the sessions of a few lines at a time (session_line_start index), instead of
 * sorting every current session for every batch.
 */
export function feedLines(db: Q, f: FeedScope) {
  let q = db
    .selectFrom("session as s")
    .innerJoin(orderLineRows().as("ol"), "ol.id", "s.order_line_id")
    .innerJoin(orderRows().as("o"), "o.id", "ol.order_id")
    .select(["ol.component_id", "s.order_line_id", sql<number>`count(*)::int`.as("n")])
    .where("s.end_date", ">=", f.today);
  if (f.providerId) q = q.where("s.provider_id", "=", f.providerId);
  if (f.publishedOnly) q = q.where("s.published_at", "is not", null).where("o.status", "=", "issued");
  return q.groupBy(["ol.component_id", "s.order_line_id"]).orderBy("ol.component_id").orderBy("s.order_line_id").execute();
}

/**
 * One keyset page of the feed among the sessions of `lineIds`, lean: each session's own columns, its order line and component keys and
 * its site's address; what is the same for every session of an order line comes once per line
 * (feedLineFacts). Same sessions and order as feedSessions (the joins it drops are foreign keys).
 */
export function feedSessionsBatch(db: Q, f: FeedScope & { lineIds: string[]; after?: SessionKey; limit: number }) {
  if (f.lineIds.length === 0) return Promise.resolve([]);
  let q = db
    .selectFrom("session as s")
    .innerJoin(orderLineRows().as("ol"), "ol.id", "s.order_line_id")
    .innerJoin(orderRows().as("o"), "o.id", "ol.order_id")
    .leftJoin(siteRows().as("st"), "st.id", "s.site_id")
    .select([
      "s.id",
      "s.order_line_id",
      "ol.component_id",
      "s.site_id",
      "s.start_date",
      "s.end_date",
      "s.recruitment_start",
      "s.recruitment_end",
      "s.recruitment_open",
      "st.address as site_address",
      "st.postcode as site_postcode",
      "st.commune as site_commune",
      "st.departement_code as site_departement",
    ])
    .where("s.order_line_id", "in", f.lineIds)
    .where("s.end_date", ">=", f.today);
  if (f.providerId) q = q.where("s.provider_id", "=", f.providerId);
  if (f.publishedOnly) q = q.where("s.published_at", "is not", null).where("o.status", "=", "issued");
  const a = f.after;
  if (a) q = q.where(sql<boolean>`(ol.component_id, ol.id, s.start_date, s.id) > (${a.componentId}, ${a.orderLineId}, ${a.startDate}::date, ${a.id})`);
  return q.orderBy("ol.component_id").orderBy("ol.id").orderBy("s.start_date").orderBy("s.id").limit(f.limit).execute();
}
export type FeedSessionRow = Awaited<ReturnType<typeof feedSessionsBatch>>[number];

const address = ["address", "postcode", "commune", "departement_code"] as const;

/**
 * In one query, everything the feed writes once per order line: the line, its component (with the
 * modalities of its modules), its provider (contact for public mobilisation, first site), the line's
 * sites, and its published meetings from `today` on (the first 3 dates, the first one at a site).
 */
export function feedLineFacts(db: Q, lineIds: string[], today: string) {
  if (lineIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom(orderLineRows().as("ol"))
    .innerJoin(orderRows().as("o"), "o.id", "ol.order_id")
    .innerJoin(componentRows().as("c"), "c.id", "ol.component_id")
    .innerJoin(providerRows().as("p"), "p.id", "o.provider_id")
    .select((eb) => [
      "ol.id",
      "ol.headcount",
      "ol.average_path_centre_minutes",
      "ol.average_path_company_minutes",
      "c.id as component_id",
      "c.title as component_title",
      "c.purpose",
      "c.content",
      "c.prerequisites",
      "c.certification_code",
      "c.level_2019",
      "c.e_formation",
      "p.id as provider_id",
      "p.name as provider_name",
      "p.siret",
      "p.nda",
      eb
        .selectFrom(moduleRows().as("m"))
        .select(sql<string[]>`coalesce(array_agg(distinct m.modality::text), '{}')`.as("x"))
        .whereRef("m.component_id", "=", "c.id")
        .as("modalities"),
      jsonArrayFrom(
        eb
          .selectFrom(orderLineSiteRows().as("ols"))
          .innerJoin(siteRows().as("ls"), "ls.id", "ols.site_id")
          .select(["ls.name", ...address.map((c) => `ls.${c}` as const)])
          .whereRef("ols.order_line_id", "=", "ol.id")
          .orderBy("ls.name"),
      ).as("sites"),
      jsonArrayFrom(
        eb
          .selectFrom("info_meeting as m")
          .select("m.meeting_date")
          .whereRef("m.order_line_id", "=", "ol.id")
          .where("m.published_at", "is not", null)
          .where("m.meeting_date", ">=", today)
          .where(sql<boolean>`o.status = 'issued'`)
          .orderBy("m.meeting_date")
          .orderBy("m.start_time")
          .orderBy("m.id")
          .limit(3),
      ).as("meetings"),
      jsonObjectFrom(
        eb
          .selectFrom("info_meeting as m")
          .innerJoin(siteRows().as("ms"), "ms.id", "m.site_id")
          .select(["ms.name", ...address.map((c) => `ms.${c}` as const)])
          .whereRef("m.order_line_id", "=", "ol.id")
          .where("m.published_at", "is not", null)
          .where("m.meeting_date", ">=", today)
          .where(sql<boolean>`o.status = 'issued'`)
          .orderBy("m.meeting_date")
          .orderBy("m.start_time")
          .orderBy("m.id")
          .limit(1),
      ).as("meeting_site"),
      jsonObjectFrom(
        eb
          .selectFrom(providerReferentRows().as("r"))
          .select(["r.full_name", "r.email", "r.phone"])
          .whereRef("r.provider_id", "=", "p.id")
          .where("r.kind", "=", "public_mobilisation")
          .limit(1),
      ).as("contact"),
      jsonObjectFrom(
        eb
          .selectFrom(siteRows().as("ps"))
          .select(address.map((c) => `ps.${c}` as const))
          .whereRef("ps.provider_id", "=", "p.id")
          .orderBy("ps.created_at")
          .orderBy("ps.name")
          .limit(1),
      ).as("first_site"),
    ])
    .where("ol.id", "in", lineIds)
    .execute();
}
export type FeedLineFacts = Awaited<ReturnType<typeof feedLineFacts>>[number];

const digest = sql<string>`md5(coalesce(string_agg(x::text, '|' order by x::text), ''))`;

/** A digest of every row the feed is made of, and the newest creation or publication (lheo.ts, lheoValidator). */
export async function lheoFingerprint(db: Q, f: FeedScope): Promise<{ digest: string; sessions: number; lastModified: string | null }> {
  const sessions = feedSessions(db, f);
  const head = await db
    .selectFrom(sessions.as("x"))
    .select([digest.as("h"), sql<number>`count(*)::int`.as("n"), sql<string | null>`to_char(max(greatest(x.created_at, x.published_at)) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`.as("lm")])
    .executeTakeFirstOrThrow();
  if (head.n === 0) return { digest: head.h, sessions: 0, lastModified: null };
  const lineIds = db.selectFrom(sessions.as("ss")).select("ss.order_line_id");
  const providerIds = db.selectFrom(sessions.as("sp")).select("sp.provider_id");
  const componentIds = db.selectFrom(sessions.as("sc")).select("sc.component_id");
  const meetings = meetingQuery(db).where("m.order_line_id", "in", lineIds).where("m.published_at", "is not", null).where("o.status", "=", "issued").where("m.meeting_date", ">=", f.today);
  const parts = await Promise.all([
    db.selectFrom(meetings.as("x")).select([digest.as("h"), sql<string | null>`to_char(max(greatest(x.created_at, x.published_at)) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`.as("lm")]).executeTakeFirstOrThrow(),
    db.selectFrom(providerRows().as("x")).select(digest.as("h")).where("x.id", "in", providerIds).executeTakeFirstOrThrow(),
    db.selectFrom(providerReferentRows().as("x")).select(digest.as("h")).where("x.provider_id", "in", providerIds).executeTakeFirstOrThrow(),
    db.selectFrom(siteRows().as("x")).select(digest.as("h")).where("x.provider_id", "in", providerIds).executeTakeFirstOrThrow(),
    db.selectFrom(orderLineSiteRows().as("x")).select(digest.as("h")).where("x.order_line_id", "in", lineIds).executeTakeFirstOrThrow(),
    db.selectFrom(moduleRows().as("x")).select(digest.as("h")).where("x.component_id", "in", componentIds).executeTakeFirstOrThrow(),
  ]);
  const lm = [head.lm, parts[0].lm].filter((x): x is string => !!x).sort().at(-1) ?? null;
  return { digest: [head.h, ...parts.map((p) => p.h)].join("."), sessions: head.n, lastModified: lm };
}
