// `npx tsx bench/growth.ts`: how the order-wide judgement grows with the order (issue 16, point 1).
// Synthetic orders of 20 / 200 / 1 000 paths on one component at 4 sites (plus as many paths of other
// orders in the same rooms), judged in memory — the JavaScript that assembles an order's consumption
// and findings, the part that was quadratic. Beside it, the path-by-path judgement (factsFor per path,
// each re-reading the whole order: what orderConsumption did before). JSON on stdout; never in npm test.
import { performance } from "node:perf_hooks";
import { evaluatePath } from "../src/domains/paths/evaluate.ts";
import { draftOf, factsFor, orderConsumption } from "../src/domains/paths/consumption.ts";
import type { OrderContext, PathRow } from "../src/domains/paths/store.ts";
import type { PlanItem } from "../src/domains/paths/totals.ts";
import { type Totals, zeroTotals } from "../src/domains/paths/totals.ts";

const SIZES = (process.env.BENCH_SIZES ?? "20,200,1000").split(",").map(Number);
const day = (d: number) => new Date(Date.UTC(2026, 0, 1 + d)).toISOString().slice(0, 10);

function order(n: number): { ctx: OrderContext; realised: Map<string, Totals> } {
  const sites = ["s1", "s2", "s3", "s4"];
  const paths: PathRow[] = Array.from({ length: n }, (_, i) => ({
    id: `p${i}`,
    traineeId: `t${i}`,
    traineeName: `Stagiaire ${i}`,
    orderLineId: "l1",
    siteId: sites[i % 4],
    status: i % 10 === 0 ? "draft" : i % 7 === 0 ? "closed" : "validated",
    entryDate: day((i * 3) % 300),
    plannedExitDate: day(((i * 3) % 300) + 60),
    actualExitDate: null,
    items: <PlanItem[]>[
      { moduleId: null, label: "Présentiel", modality: "centre", selfStudyLocation: null, plannedMinutes: 6000, exempted: false },
      { moduleId: null, label: "Autoformation", modality: "self_study", selfStudyLocation: "centre", plannedMinutes: 600, exempted: false },
    ],
    positioning: { minutes: 240, firstDay: day((i * 3) % 300), restitutionOn: day((i * 3) % 300), priorLearning: "x", competences: "x", recommendedMinutes: 6000, recommendedMethods: "x" },
    referentId: "r",
    jobSeekerRegistered: true,
  }));
  const others = Array.from({ length: n }, (_, i) => ({ key: `o${i}`, componentId: "c1", siteId: sites[i % 4], entryDate: day((i * 5) % 300), exitDate: day(((i * 5) % 300) + 45) }));
  const ctx: OrderContext = {
    id: "o",
    number: "2026-001",
    providerId: "pr",
    providerName: "Organisme",
    lotId: "lot",
    lotName: "Lot",
    plannedStart: "2026-01-01",
    plannedEnd: "2027-06-30",
    frameworkEnd: "2027-12-31",
    unitPriceCents: 1000,
    headcount: n,
    lines: [{ id: "l1", componentId: "c1", componentTitle: "Composante", eFormation: false, hybridStatus: "none", hasDigitalModules: false, headcount: n, centreMinutes: 7000, companyMinutes: 0, siteIds: sites }],
    paths,
    group: [...paths.map((p) => ({ key: p.id, componentId: "c1", siteId: p.siteId, entryDate: p.entryDate, exitDate: p.plannedExitDate })), ...others],
  };
  const realised = new Map(paths.filter((_, i) => i % 3 === 0).map((p) => [p.id, { ...zeroTotals(), inPerson: 600, centreMinutes: 600, total: 600 }]));
  return { ctx, realised };
}

function time(fn: () => unknown, runs: number) {
  fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return +samples[Math.floor(samples.length / 2)].toFixed(3);
}

const rows = SIZES.map((n) => {
  const { ctx, realised } = order(n);
  const linear = time(() => orderConsumption(ctx, realised), n >= 1000 ? 15 : 40);
  const pathByPath = time(() => ctx.paths.map((p) => evaluatePath(factsFor(ctx, realised, draftOf(p), p.status !== "draft"))), n >= 1000 ? 3 : 10);
  return { paths: n, order_consumption_ms: linear, path_by_path_ms: pathByPath, ratio: +(pathByPath / linear).toFixed(1) };
});
const exponent = (a: number, b: number, na: number, nb: number) => +(Math.log(b / a) / Math.log(nb / na)).toFixed(2);
const growth = rows.slice(1).map((r, i) => ({
  from: rows[i].paths,
  to: r.paths,
  order_consumption: exponent(rows[i].order_consumption_ms, r.order_consumption_ms, rows[i].paths, r.paths),
  path_by_path: exponent(rows[i].path_by_path_ms, r.path_by_path_ms, rows[i].paths, r.paths),
}));
console.log(JSON.stringify({ bench: "order-consumption (in memory)", node: process.version, rows, growth_exponent: growth }, null, 2));
