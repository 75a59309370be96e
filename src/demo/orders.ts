// The Region's orders of year Y (CP-ORDER-CONTENT): 2–3 lines each, sites from the offer.
import type { PathStatus } from "../core/db/schema.ts";
import type { DemoComponent } from "./offer.ts";
import type { DemoOrganisations, LotKey, ProviderKey } from "./organisations.ts";
import type { Rng } from "./random.ts";
import { type DemoRows, hours } from "./rows.ts";

export interface LineSpec {
  component: string;
  sites: string[];
  headcount: number;
  centreHours: number;
  companyHours: number;
  /** The paths seeded on this line, in entry order (earliest first). */
  paths: PathStatus[];
  /** Days between two successive entries (CP-PERIODIC-ENTRY). */
  entryEvery: number;
  /** Days after the order's planned start before the first entry. */
  firstEntryAfter: number;
  /** Trainees entering together on each entry date (1 unless said). */
  cohortSize?: number;
}

interface OrderSpec {
  provider: ProviderKey;
  lot: LotKey;
  /** The provider's head-office département and its order sequence: BC-Y-031-001. */
  departement: string;
  sequence: number;
  start: (y: number) => string;
  end: (y: number) => string;
  unitPriceCents: number;
  lines: LineSpec[];
}

const repeat = (status: PathStatus, count: number): PathStatus[] => Array.from({ length: count }, () => status);

const ORDERS: OrderSpec[] = [
  {
    provider: "garonne",
    lot: "lot1",
    departement: "031",
    sequence: 1,
    start: (y) => `${y}-01-15`,
    end: (y) => `${y}-12-31`,
    unitPriceCents: 1250,
    lines: [
      { component: "garonne.english", sites: ["albi"], headcount: 8, centreHours: 165, companyHours: 0, paths: ["closed", "closed", "dropped", "validated", "validated", "draft"], entryEvery: 21, firstEntryAfter: 4 },
      // CP-GROUP-MAX-20 (warning on purpose): 21 trainees of this component in Toulouse share the same days.
      { component: "garonne.office", sites: ["toulouse"], headcount: 24, centreHours: 155, companyHours: 35, paths: ["closed", ...repeat("validated", 20)], entryEvery: 7, firstEntryAfter: 45, cohortSize: 6 },
      { component: "garonne.forklift", sites: ["montauban"], headcount: 10, centreHours: 130, companyHours: 49, paths: ["closed", "dropped", "validated", "validated", "draft"], entryEvery: 28, firstEntryAfter: 18 },
    ],
  },
  {
    provider: "imc",
    lot: "lot2",
    departement: "034",
    sequence: 1,
    start: (y) => `${y}-02-01`,
    end: (y) => `${y + 1}-06-30`,
    unitPriceCents: 1350,
    lines: [
      { component: "imc.office", sites: ["montpellier", "nimes"], headcount: 10, centreHours: 155, companyHours: 21, paths: ["closed", "closed", "validated", "validated", "validated", "draft"], entryEvery: 35, firstEntryAfter: 1 },
      { component: "imc.civilService", sites: ["nimes", "perpignan"], headcount: 8, centreHours: 155, companyHours: 0, paths: ["closed", "dropped", "validated", "validated", "validated", "draft"], entryEvery: 28, firstEntryAfter: 8 },
      { component: "imc.englishEFormation", sites: ["montpellier"], headcount: 8, centreHours: 150, companyHours: 0, paths: ["dropped", "validated", "validated", "validated", "draft"], entryEvery: 42, firstEntryAfter: 29 },
    ],
  },
  {
    provider: "tremplin",
    lot: "lot1",
    departement: "065",
    sequence: 1,
    start: (y) => `${y}-03-01`,
    end: (y) => `${y}-12-31`,
    unitPriceCents: 1150,
    lines: [
      { component: "tremplin.electrical", sites: ["tarbes"], headcount: 6, centreHours: 145, companyHours: 35, paths: ["closed", "validated", "validated", "draft"], entryEvery: 42, firstEntryAfter: 7 },
      { component: "tremplin.careAssistant", sites: ["tarbes", "auch"], headcount: 6, centreHours: 160, companyHours: 0, paths: ["dropped", "validated", "validated", "validated"], entryEvery: 35, firstEntryAfter: 14 },
    ],
  },
  {
    provider: "tremplin",
    lot: "lot2",
    departement: "065",
    sequence: 2,
    start: (y) => `${y}-02-15`,
    end: (y) => `${y + 1}-06-30`,
    unitPriceCents: 1450,
    lines: [
      { component: "tremplin.english", sites: ["carcassonne"], headcount: 5, centreHours: 165, companyHours: 0, paths: ["closed", "validated", "draft"], entryEvery: 49, firstEntryAfter: 15 },
      { component: "tremplin.forklift", sites: ["rodez"], headcount: 4, centreHours: 130, companyHours: 49, paths: ["validated", "validated"], entryEvery: 56, firstEntryAfter: 22 },
    ],
  },
];

export interface DemoLine {
  key: string;
  id: string;
  orderId: string;
  providerKey: ProviderKey;
  plannedStart: string;
  plannedEnd: string;
  component: DemoComponent;
  siteIds: string[];
  spec: LineSpec;
}

export function buildOrders(rows: DemoRows, rng: Rng, orgs: DemoOrganisations, components: Record<string, DemoComponent>, year: number): DemoLine[] {
  const lines: DemoLine[] = [];
  for (const o of ORDERS) {
    const orderId = rng.uuid();
    const plannedStart = o.start(year);
    const plannedEnd = o.end(year);
    rows.order.push({
      id: orderId,
      number: `BC-${year}-${o.departement}-${String(o.sequence).padStart(3, "0")}`,
      lot_id: orgs.lotIds[o.lot],
      provider_id: orgs.providers[o.provider].providerId,
      planned_start: plannedStart,
      planned_end: plannedEnd,
      headcount: o.lines.reduce((sum, l) => sum + l.headcount, 0),
      unit_price_cents: o.unitPriceCents,
      created_by: orgs.regionUserId,
    });
    for (const spec of o.lines) {
      const id = rng.uuid();
      const component = components[spec.component];
      rows.order_line.push({
        id,
        order_id: orderId,
        component_id: component.id,
        headcount: spec.headcount,
        average_path_centre_minutes: hours(spec.centreHours),
        average_path_company_minutes: hours(spec.companyHours),
      });
      const siteIds = spec.sites.map((s) => orgs.sites[s].id);
      for (const site_id of siteIds) rows.order_line_site.push({ order_line_id: id, site_id });
      lines.push({ key: spec.component, id, orderId, providerKey: o.provider, plannedStart, plannedEnd, component, siteIds, spec });
    }
  }
  return lines;
}
