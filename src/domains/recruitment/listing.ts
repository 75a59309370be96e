// Paged lists of recruitment (ADR 0030): candidacies and continuation slips, scoped by the caller,
// with search, whitelisted sorts, filters and keyset pages — the same parameters for pages and API.
import { sql } from "kysely";
import { z } from "zod";
import type { Actor } from "../../core/auth/actor.ts";
import { isProviderStaff, requireRole } from "../../core/auth/actor.ts";
import type { Db } from "../../core/db/index.ts";
import type { CandidacyStatus } from "../../core/db/schema.ts";
import { folded, keysetPage, listQuery, searchIn, type Sorts } from "../../core/listing.ts";
import { addDays, type Clock, parisDate } from "../../core/time.ts";
import { slipView } from "./queries.ts";
import { CONTINUATION_DAYS } from "./rules.ts";
import * as store from "./store.ts";

const STATUSES = ["received", "invited", "summoned", "selected", "waiting_list", "not_retained", "entered", "withdrawn"] as const;
const fullName = sql`ca.last_name || ' ' || ca.first_name`;
const searchable = [fullName, sql`ca.first_name || ' ' || ca.last_name`, sql`ca.france_travail_id`, sql`ca.email`, sql`co.title`, sql`o.number`];

/** The candidacies the caller may see, before any filter: another tenant's never enter. */
function scoped(db: Db, actor: Actor) {
  let q = store.candidacyQuery(db);
  if (isProviderStaff(actor)) q = q.where("cy.provider_id", "=", actor.providerId ?? "");
  else if (actor.role === "prescriber") q = q.where("cy.prescriber_organisation_id", "=", actor.prescriberOrganisationId ?? "");
  else requireRole(actor, "region_officer");
  return q;
}

export const CANDIDACY_SORTS = {
  received_desc: { label: "Reçues (plus récentes d'abord)", expr: sql`cy.created_at`, dir: "desc" },
  received: { label: "Reçues (plus anciennes d'abord)", expr: sql`cy.created_at`, dir: "asc" },
  session: { label: "Début de session", expr: sql`s.start_date`, dir: "asc" },
  name: { label: "Nom (A → Z)", expr: folded(fullName), dir: "asc" },
} satisfies Sorts;
export const CandidacyListQuery = listQuery(CANDIDACY_SORTS, "received_desc").extend({
  status: z.enum(STATUSES).optional().describe("Statut de la candidature"),
  sessionId: z.string().uuid().optional().describe("Session"),
  orderId: z.string().uuid().optional().describe("Commande"),
});
export type CandidacyListParams = z.infer<typeof CandidacyListQuery>;

export async function pageCandidacies(db: Db, actor: Actor, p: CandidacyListParams) {
  let q = searchIn(scoped(db, actor), p.q, searchable);
  if (p.sessionId) q = q.where("cy.session_id", "=", p.sessionId);
  if (p.orderId) q = q.where("o.id", "=", p.orderId);
  if (p.status) q = q.where("cy.status", "=", p.status as CandidacyStatus);
  return keysetPage(q, CANDIDACY_SORTS, p, sql<string>`cy.id`);
}

export const SLIP_SORTS = {
  received_desc: { label: "Reçues (plus récentes d'abord)", expr: sql`cs.received_on`, dir: "desc" },
  received: { label: "Reçues (plus anciennes d'abord : échéance la plus proche)", expr: sql`cs.received_on`, dir: "asc" },
  name: { label: "Nom (A → Z)", expr: folded(fullName), dir: "asc" },
} satisfies Sorts;
export const SlipListQuery = listQuery(SLIP_SORTS, "received_desc").extend({
  direction: z.enum(["received", "sent"]).optional().describe("Organisme : fiches reçues ou envoyées"),
  overdue: z.enum(["1"]).optional().describe("1 : sans réponse plus de 28 jours après réception (CP-CONTINUATION-4W)"),
});
export type SlipListParams = z.infer<typeof SlipListQuery>;

/** Slips the caller deals with (received, sent — CP-COPASS —, its own, all), a page at a time. */
function slipScope(db: Db, actor: Actor, p: Pick<SlipListParams, "direction" | "overdue">, today: string) {
  let q = store.candidacyQuery(db).where("cy.origin", "=", "continuation");
  const me = actor.providerId ?? "";
  if (isProviderStaff(actor)) {
    if (p.direction === "received") q = q.where("cy.provider_id", "=", me);
    else if (p.direction === "sent") q = q.where("cs.from_provider_id", "=", me).where("cy.provider_id", "<>", me);
    else q = q.where((eb) => eb.or([eb("cy.provider_id", "=", me), eb("cs.from_provider_id", "=", me)]));
  } else if (actor.role === "prescriber") q = q.where("cy.prescriber_organisation_id", "=", actor.prescriberOrganisationId ?? "");
  else requireRole(actor, "region_officer");
  // CP-CONTINUATION-4W: unanswered once today passes receipt + 28 days.
  if (p.overdue) q = q.where("cs.answered_on", "is", null).where("cs.received_on", "<", addDays(today, -CONTINUATION_DAYS));
  return q;
}

export async function pageSlips(db: Db, actor: Actor, clock: Clock, p: SlipListParams) {
  const today = parisDate(clock.now());
  const page = await keysetPage(searchIn(slipScope(db, actor, p, today), p.q, searchable), SLIP_SORTS, p, sql<string>`cy.id`);
  return { items: page.items.map((r) => slipView(actor, today, r)), next: page.next };
}

/** How many slips the caller must answer are overdue (the page's banner), counted in SQL. */
export async function overdueSlipCount(db: Db, actor: Actor, clock: Clock): Promise<number> {
  const today = parisDate(clock.now());
  const r = await slipScope(db, actor, { direction: isProviderStaff(actor) ? "received" : undefined, overdue: "1" }, today)
    .clearSelect()
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}
