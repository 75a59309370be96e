// The compliance board (CCTP §6.2, requirements §10): every open warning and breached deadline across
// providers in one list, each line naming its rule and article and linking to the object. Nothing is
// judged here: the lines are collected from the owning domains' use cases, which raise them.
import { de } from "../../core/french.ts";
import type { Actor } from "../../core/auth/actor.ts";
import { requireRole } from "../../core/auth/actor.ts";
import type { Db } from "../../core/db/index.ts";
import type { Violation } from "../../core/rules.ts";
import { type Clock, parisDate } from "../../core/time.ts";
import { helpRequests } from "../attendance/use-cases.ts";
import { habilitationAlerts, lateFollowUps } from "../exit/use-cases.ts";
import { missingVisits } from "../internships/use-cases.ts";
import { getOrdersFindings, listOrders } from "../orders/use-cases.ts";
import { listSlips } from "../recruitment/use-cases.ts";
import { siteWarnings } from "../offer/use-cases.ts";
import { listProviders, overdueRefunds, providersWarnings } from "../region/use-cases.ts";
import { infoRegularWarnings } from "../sessions/use-cases.ts";

export interface ComplianceLine {
  rule: string;
  article: string;
  severity: "error" | "warning";
  message: string;
  providerId: string;
  providerName: string;
  orderNumber: string | null;
  /** The object the line is about, and where to see it. */
  object: string;
  href: string;
  /** The date the breach is counted from, when the rule has one (a deadline). */
  since: string | null;
}

export interface ComplianceFilter {
  providerId?: string;
  rule?: string;
  severity?: "error" | "warning";
  sort?: "rule" | "provider" | "order" | "severity" | "since";
}

const line = (v: Violation, p: { providerId: string; providerName: string }, o: Partial<ComplianceLine>): ComplianceLine => ({
  rule: v.code,
  article: v.article,
  severity: v.severity,
  message: v.message,
  providerId: p.providerId,
  providerName: p.providerName,
  orderNumber: null,
  object: "",
  href: "",
  since: null,
  ...o,
});

/** Every open warning and breached deadline (the Region only), filtered and sorted. */
export async function complianceBoard(db: Db, actor: Actor, clock: Clock, filter: ComplianceFilter = {}): Promise<ComplianceLine[]> {
  requireRole(actor, "region_officer");
  const now = clock.now();
  const today = parisDate(now);
  const lines: ComplianceLine[] = [];
  const providers = await listProviders(db, actor);
  const nameOf = new Map(providers.map((p) => [p.id, p.name]));
  const wanted = (providerId: string) => !filter.providerId || filter.providerId === providerId;
  // The provider filter is pushed into each source's query (issue 13 Speed): nothing region-wide is read for one provider.
  const only = filter.providerId ? { providerId: filter.providerId } : {};

  // CP-QUALIOPI, CP-REFERENTS: the provider's own file (every provider in scope read at once).
  const inScope = providers.filter((x) => wanted(x.id));
  const warnings = await providersWarnings(db, inScope.map((p) => p.id), today);
  for (const p of inScope) {
    for (const v of warnings.get(p.id)?.provider ?? []) {
      lines.push(line(v, { providerId: p.id, providerName: p.name }, { object: p.name, href: `/organismes/${p.id}` }));
    }
  }
  // CP-SITES: sites lacking a fact the specification asks for (accessibility, phone, internet, break room, trainers' office).
  for (const { site, violation } of await siteWarnings(db, actor)) {
    if (!wanted(site.provider_id)) continue;
    lines.push(line(violation, { providerId: site.provider_id, providerName: nameOf.get(site.provider_id) ?? "" }, { object: `Site ${site.name}`, href: `/offre/sites/${site.id}` }));
  }
  // The orders: their paths' findings (group size, positioning, caps on planned and realised hours…) and the warnings raised at close.
  const orders = await listOrders(db, actor, filter.providerId ? { providerId: filter.providerId } : {});
  const orderByNumber = new Map(orders.map((o) => [o.number, o]));
  // The paths' findings as stored (paths domain, docs/adr/0042): only the orders changed since their last judgement are judged now.
  const consumption = await getOrdersFindings(db, actor, orders.map((o) => o.id));
  for (const o of orders) {
    const c = consumption.get(o.id)!;
    const who = { providerId: o.provider_id, providerName: o.provider_name };
    for (const f of c.findings) {
      lines.push(line(f.violation, who, { orderNumber: o.number, object: `Parcours ${de(f.traineeName)}`, href: `/parcours/${f.pathId}` }));
    }
    // CP-QUALIOPI: the provider's certificate warning is carried onto each of its running orders.
    if (o.status === "issued") {
      for (const v of warnings.get(o.provider_id)?.certificate ?? []) lines.push(line(v, who, { orderNumber: o.number, object: `Commande ${o.number}`, href: `/commandes/${o.id}` }));
    }
    for (const v of c.orderFindings) lines.push(line(v, who, { orderNumber: o.number, object: `Commande ${o.number} (à la clôture)`, href: `/commandes/${o.id}` }));
  }
  // CP-CONTINUATION-4W: slips answered late or still unanswered past 28 days.
  for (const s of await listSlips(db, actor, clock)) {
    if (!s.lateness || s.direction !== "all") continue;
    const r = s.row;
    if (!wanted(r.provider_id)) continue;
    lines.push(
      line(s.lateness, { providerId: r.provider_id, providerName: r.provider_name }, { orderNumber: r.order_number, object: `Fiche navette ${de(`${r.first_name} ${r.last_name}`)}`, href: `/candidatures/${r.id}`, since: s.deadline }),
    );
  }
  // CP-INFO-REGULAR: orders open to entries with no information meeting ahead.
  for (const v of await infoRegularWarnings(db, actor, today, only)) {
    const number = String(v.details?.orderNumber ?? "");
    const order = orderByNumber.get(number);
    if (!order) continue;
    lines.push(line(v, { providerId: order.provider_id, providerName: order.provider_name }, { orderNumber: number, object: `Commande ${number}`, href: `/commandes/${order.id}` }));
  }
  // Help requests of trainees answered late (or not yet) during a session.
  for (const h of await helpRequests(db, actor, now, only)) {
    if (!h.violation || !wanted(h.provider_id)) continue;
    lines.push(
      line(h.violation, { providerId: h.provider_id, providerName: nameOf.get(h.provider_id) ?? "" }, {
        object: `Demande d'aide ${de(`${h.first_name} ${h.last_name}`)}`,
        href: "/emargement/aide",
        since: parisDate(new Date(h.asked_at)),
      }),
    );
  }
  // CP-INTERNSHIP-VISIT: company periods ended without a recorded visit (nor a waiver).
  for (const m of await missingVisits(db, actor, today, only)) {
    if (!wanted(m.providerId)) continue;
    lines.push(line(m.violation, { providerId: m.providerId, providerName: nameOf.get(m.providerId) ?? "" }, { object: `Période en entreprise ${de(m.traineeName)} (${m.company})`, href: `/periodes/${m.periodId}`, since: m.endDate }));
  }
  // CP-EXIT-FOLLOWUP: situations at exit, 3 or 6 months not recorded by their due date.
  for (const f of await lateFollowUps(db, actor, clock, only)) {
    if (!wanted(f.providerId)) continue;
    lines.push(line(f.violation, { providerId: f.providerId, providerName: f.providerName }, { object: `Suivi ${de(f.traineeName)} (${f.componentTitle})`, href: `/parcours/${f.pathId}/bilan`, since: f.dueBy }));
  }
  // CP-HABILITATION: habilitations ending within 60 days (the latest of each certification).
  for (const h of await habilitationAlerts(db, actor, clock, only)) {
    const pid = h.certification.provider_id;
    if (!wanted(pid)) continue;
    lines.push(line(h.violation, { providerId: pid, providerName: nameOf.get(pid) ?? "" }, { object: `Habilitation ${h.certification.code} (${h.certification.component_title})`, href: `/offre/composantes/${h.certification.component_id}/certifications`, since: h.habilitation.valid_until }));
  }
  // CP-CONTRIBUTION-RECOVERY: refunds of forbidden contributions not proved by their due date.
  for (const f of await overdueRefunds(db, actor, clock, only)) {
    if (!wanted(f.provider_id)) continue;
    lines.push(line(f.violation, { providerId: f.provider_id, providerName: f.provider_name }, { object: `Participation payée par ${f.first_name} ${f.last_name}`, href: `/contributions/${f.id}`, since: f.refund_due_on }));
  }
  return sortLines(lines.filter((l) => (!filter.rule || l.rule === filter.rule) && (!filter.severity || l.severity === filter.severity)), filter.sort ?? "severity");
}

const SORTS: Record<NonNullable<ComplianceFilter["sort"]>, (l: ComplianceLine) => string> = {
  severity: (l) => `${l.severity === "error" ? 0 : 1}|${l.providerName}|${l.rule}`,
  rule: (l) => `${l.rule}|${l.providerName}`,
  provider: (l) => `${l.providerName}|${l.rule}`,
  order: (l) => `${l.orderNumber ?? "~"}|${l.rule}`,
  since: (l) => `${l.since ?? "9999"}|${l.providerName}`,
};

export function sortLines(lines: ComplianceLine[], sort: NonNullable<ComplianceFilter["sort"]>): ComplianceLine[] {
  const key = SORTS[sort];
  return [...lines].sort((a, b) => key(a).localeCompare(key(b), "fr") || a.message.localeCompare(b.message, "fr"));
}
