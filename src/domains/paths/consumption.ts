// Order consumption (CP-ORDER-FUNGIBLE, CP-KPI-ORGANISATION) and the facts each path is judged on.
import type { Violation } from "../../core/rules.ts";
import { evaluatePath, type PathFacts } from "./evaluate.ts";
import type { OrderContext, PathRow } from "./store.ts";
import { addTotals, consumedTotals, planTotals, zeroTotals, type PlanItem, type Totals } from "./totals.ts";

/** Drafts are not commitments yet: they enter the order's consumption when validated (and are re-checked then). */
export const countsInOrder = (p: Pick<PathRow, "status">) => p.status !== "draft";
const finished = (p: Pick<PathRow, "status">) => p.status === "closed" || p.status === "dropped";

export function orderedMinutes(ctx: OrderContext, eFormation?: boolean) {
  let centre = 0;
  let company = 0;
  for (const l of ctx.lines) {
    if (eFormation !== undefined && l.eFormation !== eFormation) continue;
    centre += l.headcount * l.centreMinutes;
    company += l.headcount * l.companyMinutes;
  }
  return { centre, company, total: centre + company };
}

function consumedOf(p: PathRow, realised: Map<string, Totals>): Totals {
  return consumedTotals(planTotals(p.items, p.positioning?.minutes ?? null), realised.get(p.id) ?? zeroTotals(), finished(p));
}

export interface PlanDraft {
  pathId: string | null;
  orderLineId: string;
  siteId: string;
  status: PathRow["status"];
  entryDate: string;
  plannedExitDate: string;
  items: PlanItem[];
  positioningMinutes: number | null;
  positioning?: PathRow["positioning"];
  referentId?: string | null;
  jobSeekerRegistered?: boolean;
}

/** The facts to judge `draft` (new or edited) against the rest of its order. */
export function factsFor(ctx: OrderContext, realised: Map<string, Totals>, draft: PlanDraft, forEntry: boolean): PathFacts {
  const line = ctx.lines.find((l) => l.id === draft.orderLineId);
  if (!line) throw new Error(`order line ${draft.orderLineId} not in order ${ctx.id}`);
  const lineKind = new Map(ctx.lines.map((l) => [l.id, l.eFormation]));
  const others = ctx.paths.filter((p) => p.id !== draft.pathId);
  let consumedByOthers = 0;
  let selfStudyByOthers = 0;
  for (const p of others) {
    if (!countsInOrder(p)) continue;
    const c = consumedOf(p, realised);
    consumedByOthers += c.total;
    if (lineKind.get(p.orderLineId) === line.eFormation) selfStudyByOthers += c.selfStudy;
  }
  const groupSpans = others
    // A dropped or closed path ran until its actual exit: it shares the days before it.
    .filter((p) => p.siteId === draft.siteId && ctx.lines.find((l) => l.id === p.orderLineId)?.componentId === line.componentId)
    .map((p) => ({ entryDate: p.entryDate, plannedExitDate: p.actualExitDate ?? p.plannedExitDate }));
  return {
    component: { eFormation: line.eFormation, hybridStatus: line.hybridStatus, hasDigitalModules: line.hasDigitalModules },
    order: { plannedStart: ctx.plannedStart, plannedEnd: ctx.plannedEnd, frameworkEnd: ctx.frameworkEnd, orderedTotalMinutes: orderedMinutes(ctx).total },
    selfStudy: { eFormation: line.eFormation, orderedCentreMinutes: orderedMinutes(ctx, line.eFormation).centre, consumedByOthers: selfStudyByOthers },
    orderConsumedByOthers: consumedByOthers,
    groupSpans,
    plan: { entryDate: draft.entryDate, plannedExitDate: draft.plannedExitDate, items: draft.items, positioningMinutes: draft.positioningMinutes },
    realised: (draft.pathId && realised.get(draft.pathId)) || zeroTotals(),
    finished: draft.status === "closed" || draft.status === "dropped",
    entry: forEntry
      ? { positioning: draft.positioning, referentId: draft.referentId ?? null, jobSeekerRegistered: draft.jobSeekerRegistered ?? false }
      : undefined,
  };
}

export const draftOf = (p: PathRow): PlanDraft => ({
  pathId: p.id,
  orderLineId: p.orderLineId,
  siteId: p.siteId,
  status: p.status,
  entryDate: p.entryDate,
  plannedExitDate: p.plannedExitDate,
  items: p.items,
  positioningMinutes: p.positioning?.minutes ?? null,
  positioning: p.positioning,
  referentId: p.referentId,
  jobSeekerRegistered: p.jobSeekerRegistered,
});

export interface LineConsumption {
  orderLineId: string;
  componentTitle: string;
  eFormation: boolean;
  ordered: { centre: number; company: number; total: number };
  planned: Totals;
  realised: Totals;
  consumed: Totals;
  paths: Record<PathRow["status"], number>;
}

export interface OrderConsumption {
  lines: LineConsumption[];
  ordered: { centre: number; company: number; total: number };
  planned: Totals;
  realised: Totals;
  consumed: Totals;
  /** Compliance findings of every path of the order (errors can exist when data predates a rule). */
  findings: { pathId: string; traineeName: string; status: PathRow["status"]; violation: Violation }[];
}

export function orderConsumption(ctx: OrderContext, realised: Map<string, Totals>): OrderConsumption {
  const lines: LineConsumption[] = ctx.lines.map((l) => ({
    orderLineId: l.id,
    componentTitle: l.componentTitle,
    eFormation: l.eFormation,
    ordered: { centre: l.headcount * l.centreMinutes, company: l.headcount * l.companyMinutes, total: l.headcount * (l.centreMinutes + l.companyMinutes) },
    planned: zeroTotals(),
    realised: zeroTotals(),
    consumed: zeroTotals(),
    paths: { draft: 0, validated: 0, closed: 0, dropped: 0 },
  }));
  const byId = new Map(lines.map((l) => [l.orderLineId, l]));
  const findings: OrderConsumption["findings"] = [];
  for (const p of ctx.paths) {
    const line = byId.get(p.orderLineId)!;
    line.paths[p.status]++;
    const evaluation = evaluatePath(factsFor(ctx, realised, draftOf(p), p.status !== "draft"));
    for (const v of evaluation.violations) findings.push({ pathId: p.id, traineeName: p.traineeName, status: p.status, violation: v });
    if (!countsInOrder(p)) continue;
    if (!finished(p)) line.planned = addTotals(line.planned, evaluation.planned);
    line.realised = addTotals(line.realised, realised.get(p.id) ?? zeroTotals());
    line.consumed = addTotals(line.consumed, evaluation.consumed);
  }
  const sum = (f: (l: LineConsumption) => Totals) => lines.map(f).reduce(addTotals, zeroTotals());
  return { lines, ordered: orderedMinutes(ctx), planned: sum((l) => l.planned), realised: sum((l) => l.realised), consumed: sum((l) => l.consumed), findings };
}
