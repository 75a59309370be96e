// Order consumption (CP-ORDER-FUNGIBLE, CP-KPI-ORGANISATION) and the facts each path is judged on.
import type { Violation } from "../../core/rules.ts";
import { evaluatePath, type PathFacts } from "./evaluate.ts";
import { GroupSweep } from "./group-sweep.ts";
import type { GroupPeak } from "./rules.ts";
import type { OrderContext, PathRow } from "./store.ts";
import { addTotals, consumedTotals, planTotals, type PlanItem, type Totals, withPositioning, zeroTotals } from "./totals.ts";

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
  /** The positioning's first day (positioning.first_day), the path's first day when earlier than its entry (§12.6). */
  positioningFirstDay?: string | null;
  positioning?: PathRow["positioning"];
  referentId?: string | null;
  jobSeekerRegistered?: boolean;
}

/**
 * What every path of an order is judged against, read once per order: each path's consumption, the
 * order's sums (per kind for the self-study budgets), and the group members by site and component.
 * A path's facts then subtract its own contribution instead of adding up all the others — so judging
 * every path of an order stays linear in its number of paths.
 */
export interface OrderIndex {
  ctx: OrderContext;
  realised: Map<string, Totals>;
  lines: Map<string, OrderContext["lines"][number]>;
  orderedTotal: number;
  orderedCentreByKind: Map<boolean, number>;
  /** Consumption of each path that counts in the order (countsInOrder). */
  consumed: Map<string, { total: number; selfStudy: number; eFormation: boolean | undefined }>;
  consumedTotal: number;
  selfStudyByKind: Map<boolean, number>;
  /** Group members by `${siteId} ${componentId}`. */
  group: Map<string, OrderContext["group"]>;
}

const groupKey = (siteId: string, componentId: string) => `${siteId} ${componentId}`;

export function indexOrder(ctx: OrderContext, realised: Map<string, Totals>): OrderIndex {
  const lines = new Map(ctx.lines.map((l) => [l.id, l]));
  const consumed: OrderIndex["consumed"] = new Map();
  let consumedTotal = 0;
  const selfStudyByKind = new Map<boolean, number>([
    [true, 0],
    [false, 0],
  ]);
  for (const p of ctx.paths) {
    if (!countsInOrder(p)) continue;
    const c = consumedOf(p, realised);
    const eFormation = lines.get(p.orderLineId)?.eFormation;
    consumed.set(p.id, { total: c.total, selfStudy: c.selfStudy, eFormation });
    consumedTotal += c.total;
    if (eFormation !== undefined) selfStudyByKind.set(eFormation, selfStudyByKind.get(eFormation)! + c.selfStudy);
  }
  const group = new Map<string, OrderContext["group"]>();
  for (const m of ctx.group) {
    const k = groupKey(m.siteId, m.componentId);
    const list = group.get(k);
    if (list) list.push(m);
    else group.set(k, [m]);
  }
  return {
    ctx,
    realised,
    lines,
    orderedTotal: orderedMinutes(ctx).total,
    orderedCentreByKind: new Map([
      [true, orderedMinutes(ctx, true).centre],
      [false, orderedMinutes(ctx, false).centre],
    ]),
    consumed,
    consumedTotal,
    selfStudyByKind,
    group,
  };
}

/** The facts to judge `draft` (new or edited) against the rest of its order. */
export function factsFor(ctx: OrderContext, realised: Map<string, Totals>, draft: PlanDraft, forEntry: boolean): PathFacts {
  return factsWith(indexOrder(ctx, realised), draft, forEntry);
}

/**
 * The facts of `draft` on an indexed order. `groupPeak`, when the caller swept the group
 * (group-sweep.ts), replaces the list of the group's spans.
 */
export function factsWith(index: OrderIndex, draft: PlanDraft, forEntry: boolean, groupPeak?: GroupPeak): PathFacts {
  const { ctx, realised } = index;
  const line = index.lines.get(draft.orderLineId);
  if (!line) throw new Error(`order line ${draft.orderLineId} not in order ${ctx.id}`);
  const own = draft.pathId ? index.consumed.get(draft.pathId) : undefined;
  const consumedByOthers = index.consumedTotal - (own?.total ?? 0);
  const selfStudyByOthers = index.selfStudyByKind.get(line.eFormation)! - (own && own.eFormation === line.eFormation ? own.selfStudy : 0);
  // Everyone on the component at the site, from every order and funder (abandoned drafts left out by
  // the loader); a dropped or closed path until its actual exit.
  const groupSpans = groupPeak
    ? []
    : (index.group.get(groupKey(draft.siteId, line.componentId)) ?? []).filter((m) => m.key !== draft.pathId).map((m) => ({ entryDate: m.entryDate, plannedExitDate: m.exitDate }));
  return {
    component: { eFormation: line.eFormation, hybridStatus: line.hybridStatus, hasDigitalModules: line.hasDigitalModules },
    order: { plannedStart: ctx.plannedStart, plannedEnd: ctx.plannedEnd, frameworkEnd: ctx.frameworkEnd, orderedTotalMinutes: index.orderedTotal },
    selfStudy: { eFormation: line.eFormation, orderedCentreMinutes: index.orderedCentreByKind.get(line.eFormation)!, consumedByOthers: selfStudyByOthers },
    orderConsumedByOthers: consumedByOthers,
    groupSpans,
    groupPeak,
    plan: {
      entryDate: draft.entryDate,
      plannedExitDate: draft.plannedExitDate,
      items: draft.items,
      positioningMinutes: draft.positioningMinutes,
      positioningFirstDay: draft.positioningFirstDay ?? null,
    },
    realised: withPositioning((draft.pathId && realised.get(draft.pathId)) || zeroTotals(), draft.positioningMinutes),
    finished: draft.status === "closed" || draft.status === "dropped",
    entry: forEntry
      ? { positioning: draft.positioning, referentId: draft.referentId ?? null, jobSeekerRegistered: draft.jobSeekerRegistered ?? false }
      : undefined,
  };
}

/** The facts of every path of the order as stored, each computed once (the group swept by site and component). */
export function storedPathFacts(index: OrderIndex, forEntry: (p: PathRow) => boolean = (p) => p.status !== "draft"): Map<string, PathFacts> {
  const paths = index.ctx.paths;
  const byGroup = new Map<string, PathRow[]>();
  for (const p of paths) {
    const line = index.lines.get(p.orderLineId);
    if (!line) continue;
    const k = groupKey(p.siteId, line.componentId);
    const list = byGroup.get(k);
    if (list) list.push(p);
    else byGroup.set(k, [p]);
  }
  const out = new Map<string, PathFacts>();
  for (const [k, members] of byGroup) {
    const sweep = new GroupSweep(
      (index.group.get(k) ?? []).map((m) => ({ key: m.key, entryDate: m.entryDate, plannedExitDate: m.exitDate })),
      members.map((p) => ({ entryDate: p.entryDate, plannedExitDate: p.plannedExitDate })),
    );
    for (const p of members) {
      const peak = sweep.peakWith(p.id, { entryDate: p.entryDate, plannedExitDate: p.plannedExitDate });
      out.set(p.id, factsWith(index, draftOf(p), forEntry(p), peak));
    }
  }
  return out;
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
  positioningFirstDay: p.positioning?.firstDay ?? null,
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
  const facts = storedPathFacts(indexOrder(ctx, realised));
  for (const p of ctx.paths) {
    const line = byId.get(p.orderLineId)!;
    line.paths[p.status]++;
    const evaluation = evaluatePath(facts.get(p.id)!);
    for (const v of evaluation.violations) findings.push({ pathId: p.id, traineeName: p.traineeName, status: p.status, violation: v });
    if (!countsInOrder(p)) continue;
    if (!finished(p)) line.planned = addTotals(line.planned, evaluation.planned);
    line.realised = addTotals(line.realised, realised.get(p.id) ?? zeroTotals());
    line.consumed = addTotals(line.consumed, evaluation.consumed);
  }
  const sum = (f: (l: LineConsumption) => Totals) => lines.map(f).reduce(addTotals, zeroTotals());
  return { lines, ordered: orderedMinutes(ctx), planned: sum((l) => l.planned), realised: sum((l) => l.realised), consumed: sum((l) => l.consumed), findings };
}
