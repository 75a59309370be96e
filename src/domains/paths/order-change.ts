// An order edit re-judged on every path of the order (CP-ORDER-FUNGIBLE, CP-ENTRY-YEAR-N,
// CP-PATH-WITHIN-ORDER, CP-SELFSTUDY-MAX-20, CP-EFORM-SELFSTUDY-MAX-50): the same evaluatePath on the
// same facts (factsFor, through orderConsumption), on the order as it is and as the edit would leave
// it; only the errors the edit creates are returned (docs/adr/0010).
import type { Transaction } from "kysely";
import type { DB } from "../../core/db/schema.ts";
import { notFound } from "../../core/errors.ts";
import type { Violation } from "../../core/rules.ts";
import { type OrderConsumption, orderConsumption } from "./consumption.ts";
import { realisedByPath } from "./realised.ts";
import { loadOrderContext } from "./group.ts";
import { componentLineFacts, type LineContext, type OrderContext } from "./store.ts";
import type { Totals } from "./totals.ts";
import { orderRows } from "../orders/views.ts";

type Tx = Transaction<DB>;

export interface ProposedOrderLine {
  componentId: string;
  headcount: number;
  centreMinutes: number;
  companyMinutes: number;
  siteIds: string[];
}

/** The order as the edit would leave it; a line is matched to the current one by its component. */
export interface ProposedOrder {
  plannedStart: string;
  plannedEnd: string;
  lines: ProposedOrderLine[];
}

/** One path the edit would put in error, with the rule's violation (its message gives the figures). */
export type BrokenPath = OrderConsumption["findings"][number];

/**
 * The errors `proposed` would create on the order's paths. Takes the order's row lock (the caller
 * normally holds it already): path saves take it too, so an edit and a save never cross. Paths of a
 * line the edit removes are left out (the orders domain refuses removing a line with paths).
 */
export async function judgeOrderChange(tx: Tx, orderId: string, proposed: ProposedOrder): Promise<BrokenPath[]> {
  await tx.selectFrom(orderRows().as("order")).select("id").where("id", "=", orderId).forUpdate().execute();
  const ctx = await loadOrderContext(tx, orderId);
  if (!ctx) throw notFound("Commande");
  const lines = await proposedLines(tx, ctx, proposed.lines);
  const kept = new Set(lines.map((l) => l.id));
  const after: OrderContext = { ...ctx, plannedStart: proposed.plannedStart, plannedEnd: proposed.plannedEnd, lines, paths: ctx.paths.filter((p) => kept.has(p.orderLineId)) };
  const realised = await realisedByPath(tx, ctx.paths.map((p) => p.id));
  const before = errorsOf(ctx, realised);
  return errorsOf(after, realised).filter((f) => !before.some((b) => sameBreach(b, f) && excess(f.violation) <= excess(b.violation)));
}

const errorsOf = (ctx: OrderContext, realised: Map<string, Totals>) => orderConsumption(ctx, realised).findings.filter((f) => f.violation.severity === "error");

const sameBreach = (a: BrokenPath, b: BrokenPath) => a.pathId === b.pathId && a.violation.code === b.violation.code && a.violation.field === b.violation.field;

/**
 * How far a figure rule is over its limit (minutes), so that an edit deepening a breach that already
 * existed counts as breaking it again; 0 for rules without figures (dates).
 */
function excess(v: Violation): number {
  const used = v.details?.used;
  const limit = v.details?.ordered ?? v.details?.cap;
  return typeof used === "number" && typeof limit === "number" ? used - limit : 0;
}

async function proposedLines(tx: Tx, ctx: OrderContext, proposed: ProposedOrderLine[]): Promise<LineContext[]> {
  const added = proposed.filter((l) => !ctx.lines.some((c) => c.componentId === l.componentId)).map((l) => l.componentId);
  const facts = new Map((await componentLineFacts(tx, added)).map((c) => [c.id, c]));
  return proposed.map((l) => {
    const figures = { headcount: l.headcount, centreMinutes: l.centreMinutes, companyMinutes: l.companyMinutes, siteIds: l.siteIds };
    const current = ctx.lines.find((c) => c.componentId === l.componentId);
    if (current) return { ...current, ...figures };
    const c = facts.get(l.componentId);
    if (!c) throw notFound("Composante");
    // A new line has no path yet: only its kind (e-formation or not) and its figures count.
    return {
      id: `new:${l.componentId}`,
      componentId: l.componentId,
      componentTitle: c.title,
      eFormation: c.e_formation,
      hybridStatus: c.hybrid_status,
      hasDigitalModules: Boolean(c.has_digital),
      ...figures,
    };
  });
}
