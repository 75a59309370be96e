// CP-ATTENDANCE-REALISED: the realised hours of an order for one month, per trainee, component and the
// Region's categories, derived from proved attendance alone (the ledger) — a stable format another system
// imports without re-keying (docs/api.md, « Heures réalisées par commande et par mois »).
import type { Actor } from "../../core/auth/actor.ts";
import type { Db } from "../../core/db/index.ts";
import { prepared } from "../../core/db/prepared.ts";
import { addRealised, monthPeriod, orderLedgerRows, regionCategories, zeroRealised } from "../ledger/use-cases.ts";
import { componentRows } from "../offer/views.ts";
import { getOrderRow } from "../orders/use-cases.ts";
import { orderLineRows } from "../orders/views.ts";
import { pathRows, traineeRows } from "../paths/views.ts";
import type { Cell } from "./export.ts";

export const REALISED_EXPORT_VERSION = 1;

export interface RealisedRow {
  pathId: string;
  traineeId: string;
  lastName: string;
  firstName: string;
  franceTravailId: string | null;
  componentId: string;
  componentTitle: string;
  /** Minutes (integers): in person in centre with positioning, company, distance (FAD), self-study (remote / in centre). */
  centre: number;
  company: number;
  distance: number;
  selfStudy: number;
  selfStudyRemote: number;
  selfStudyCentre: number;
  total: number;
  /** Presences declared by the trainer awaiting their proof: never realised, reported apart. */
  declared: number;
}

export interface RealisedExport {
  version: number;
  orderId: string;
  orderNumber: string;
  providerId: string;
  month: string;
  from: string;
  to: string;
  rows: RealisedRow[];
}

/** The trainees of an order's paths, or of these paths. */
function peopleOf(db: Db, of: { orderId: string } | { pathIds: string[] }) {
  return db
    .selectFrom(pathRows().as("p"))
    .innerJoin(traineeRows().as("t"), "t.id", "p.trainee_id")
    .select(["p.id", "t.id as trainee_id", "t.last_name", "t.first_name", "t.france_travail_id"])
    .$call((q) => ("orderId" in of ? prepared(q.where("p.order_id", "=", of.orderId)) : q.where("p.id", "in", of.pathIds)))
    .execute();
}

export async function realisedExport(db: Db, actor: Actor, orderId: string, month: string): Promise<RealisedExport> {
  const period = monthPeriod(month);
  // Four reads sent together (one round trip's wait, not six one after another: issue 13): the order (its access
  // check: another provider's order answers 404, and nothing read beside it is returned), the month's ledger,
  // the trainees of the order's paths and its lines. The trainees are read by order, not by the ledger's path ids.
  // The last three are prepared statements (docs/adr/0044): fixed texts, planned once per connection.
  const [order, ledger, ofOrder, lines] = await Promise.all([
    getOrderRow(db, actor, orderId),
    orderLedgerRows(db, orderId, period),
    peopleOf(db, { orderId }),
    prepared(
      db
        .selectFrom(orderLineRows().as("ol"))
        .innerJoin(componentRows().as("c"), "c.id", "ol.component_id")
        .select(["ol.id", "c.id as component_id", "c.title"])
        .where("ol.order_id", "=", orderId),
    ).execute(),
  ]);
  // A presence on the order's slots is its paths' (the schedule puts only them there); should one not be, its trainee is read too.
  const known = new Set(ofOrder.map((p) => p.id));
  const missing = [...new Set(ledger.map((r) => r.pathId))].filter((id) => !known.has(id));
  const people = missing.length ? [...ofOrder, ...(await peopleOf(db, { pathIds: missing }))] : ofOrder;
  const byKey = new Map<string, { pathId: string; orderLineId: string; totals: ReturnType<typeof zeroRealised>; declared: number }>();
  for (const r of ledger) {
    const key = `${r.pathId}|${r.orderLineId}`;
    const e = byKey.get(key) ?? { pathId: r.pathId, orderLineId: r.orderLineId, totals: zeroRealised(), declared: 0 };
    addRealised(e.totals, r);
    e.declared += r.declared;
    byKey.set(key, e);
  }
  const person = new Map(people.map((p) => [p.id, p]));
  const line = new Map(lines.map((l) => [l.id, l]));
  const rows = [...byKey.values()]
    .map((e): RealisedRow => {
      const p = person.get(e.pathId)!;
      const l = line.get(e.orderLineId)!;
      const cat = regionCategories(e.totals);
      return {
        pathId: e.pathId,
        traineeId: p.trainee_id,
        lastName: p.last_name,
        firstName: p.first_name,
        franceTravailId: p.france_travail_id,
        componentId: l.component_id,
        componentTitle: l.title,
        centre: cat.centre,
        company: cat.company,
        distance: cat.distance,
        selfStudy: cat.selfStudy,
        selfStudyRemote: cat.selfStudyRemote,
        selfStudyCentre: cat.selfStudyCentre,
        total: e.totals.total,
        declared: e.declared,
      };
    })
    .sort((a, b) => a.lastName.localeCompare(b.lastName, "fr") || a.firstName.localeCompare(b.firstName, "fr") || a.componentTitle.localeCompare(b.componentTitle, "fr") || a.pathId.localeCompare(b.pathId));
  return { version: REALISED_EXPORT_VERSION, orderId, orderNumber: order.number, providerId: order.provider_id, month, from: period.from, to: period.to, rows };
}

/** The CSV columns, in this order (minutes, integers): stable across versions; a new column is added at the end. */
export const REALISED_COLUMNS = [
  "version",
  "commande",
  "mois",
  "parcours_id",
  "stagiaire_id",
  "nom",
  "prenom",
  "identifiant_france_travail",
  "composante_id",
  "composante",
  "centre_minutes",
  "entreprise_minutes",
  "distance_minutes",
  "autoformation_minutes",
  "autoformation_distance_minutes",
  "autoformation_centre_minutes",
  "total_minutes",
  "declarees_sans_preuve_minutes",
] as const;

export function realisedRows(e: RealisedExport): Cell[][] {
  return [
    [...REALISED_COLUMNS],
    ...e.rows.map((r) => [
      e.version,
      e.orderNumber,
      e.month,
      r.pathId,
      r.traineeId,
      r.lastName,
      r.firstName,
      r.franceTravailId,
      r.componentId,
      r.componentTitle,
      r.centre,
      r.company,
      r.distance,
      r.selfStudy,
      r.selfStudyRemote,
      r.selfStudyCentre,
      r.total,
      r.declared,
    ]),
  ];
}
