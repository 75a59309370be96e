// Runs every path rule on the facts loaded for one path (pure): the same list feeds the live
// check fragment, the refusal on save and the order's warning list.
import { check, type Violation } from "../../core/rules.ts";
import * as r from "./rules.ts";
import { consumedTotals, planTotals, type PlanItem, type Totals } from "./totals.ts";

export interface PathFacts {
  component: r.ComponentFacts & { hasDigitalModules: boolean };
  order: r.OrderFacts;
  /** Self-study budget of the order for this path's kind (e-formation or not), others' use included. */
  selfStudy: r.SelfStudyBudget;
  /** Consumption (minutes) of the order's other paths. */
  orderConsumedByOthers: number;
  /** Other paths of the same component at the same site (CP-GROUP-MAX-20). */
  groupSpans: { entryDate: string; plannedExitDate: string }[];
  plan: { entryDate: string; plannedExitDate: string; items: PlanItem[]; positioningMinutes: number | null };
  realised: Totals;
  finished: boolean;
  /** Present when the path is being validated (entry) or already is. */
  entry?: { positioning: r.PositioningFacts | undefined; referentId: string | null; jobSeekerRegistered: boolean };
}

export interface PathEvaluation {
  planned: Totals;
  consumed: Totals;
  violations: Violation[];
}

export function evaluatePath(f: PathFacts): PathEvaluation {
  const planned = planTotals(f.plan.items, f.plan.positioningMinutes);
  const consumed = consumedTotals(planned, f.realised, f.finished);
  const violations = check(
    r.pathMax200h(planned, "planned"),
    r.pathMax200h(f.realised, "realised"),
    r.companyMax70h(planned),
    r.hybridApproved(f.component, planned),
    r.distanceMax50(f.component, planned),
    // Re-checked on realised hours (ledger): signed distance can exceed what was planned.
    f.realised.total > 0 ? r.distanceMax50(f.component, f.realised, "realised") : undefined,
    r.selfStudyBudget(f.selfStudy, consumed.selfStudy),
    r.entryYearN(f.order, f.plan.entryDate),
    r.pathWithinOrder(f.order, f.plan.entryDate, f.plan.plannedExitDate),
    r.orderFungible(f.order, f.orderConsumedByOthers, consumed.total),
    r.groupMax20([...f.groupSpans, { entryDate: f.plan.entryDate, plannedExitDate: f.plan.plannedExitDate }]),
    r.treExemption(f.plan.items),
    r.digitalUsage(f.plan.items, f.component.hasDigitalModules),
    r.positioningDuration(f.plan.positioningMinutes),
    f.entry
      ? [
          r.positioningRecorded(f.entry.positioning),
          r.positioningDeliverable(f.entry.positioning),
          r.pedagogicalReferentAssigned(f.entry.referentId),
          r.eligiblePublic(f.entry.jobSeekerRegistered, "entry"),
        ]
      : [],
  );
  // Errors first, then warnings, each in rule order.
  violations.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === "error" ? -1 : 1));
  return { planned, consumed, violations };
}
