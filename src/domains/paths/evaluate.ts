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
  /**
   * The group's busiest day with this path's plan in it, when the order-wide sweep computed it
   * (group-sweep.ts): then `groupSpans` is left empty.
   */
  groupPeak?: r.GroupPeak;
  plan: { entryDate: string; plannedExitDate: string; items: PlanItem[]; positioningMinutes: number | null; positioningFirstDay?: string | null };
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
    // Realised hours answer to the same caps (docs/adr/0009): a breach shows on the path and in the order's findings.
    r.companyMax70h(f.realised, "realised"),
    r.hybridApproved(f.component, planned),
    r.hybridApproved(f.component, f.realised, "realised"),
    r.distanceMax50(f.component, planned),
    // Re-checked on realised hours (ledger): signed distance can exceed what was planned.
    f.realised.total > 0 ? r.distanceMax50(f.component, f.realised, "realised") : undefined,
    r.selfStudyBudget(f.selfStudy, consumed.selfStudy),
    r.entryYearN(f.order, f.plan.entryDate, f.plan.positioningFirstDay),
    r.pathWithinOrder(f.order, f.plan.entryDate, f.plan.plannedExitDate),
    r.orderFungible(f.order, f.orderConsumedByOthers, consumed.total),
    f.groupPeak ? r.groupMax20AtPeak(f.groupPeak) : r.groupMax20([...f.groupSpans, { entryDate: f.plan.entryDate, plannedExitDate: f.plan.plannedExitDate }]),
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

/** What the schedule would hold for one path once a slot is written (docs/adr/0009). */
export interface ScheduledFigures {
  trainee: string;
  /** Minutes on the path's schedule by modality, the slot being written included. */
  scheduled: Totals;
  /** The slot alone. */
  slot: Totals;
}

/**
 * The schedule answers to the plan: the path's scheduled minutes stay within its plan in each
 * modality (CP-PATH-READJUST), and the path as the schedule would leave it — the larger of planned
 * and scheduled in each modality — stays within the caps (CP-PATH-MAX-200H, CP-COMPANY-MAX-70H,
 * CP-DISTANCE-MAX-50, the order's self-study budget); distance goes only on an accepted hybrid
 * component (CP-HYBRID-APPROVED). The same rule functions as the plan, on other figures.
 */
export function evaluateSchedule(f: PathFacts, s: ScheduledFigures): Violation[] {
  const planned = planTotals(f.plan.items, f.plan.positioningMinutes);
  const projected = consumedTotals(planned, s.scheduled, false);
  const violations = check(
    r.scheduleWithinPlan(planned, s.scheduled, "slot", s.trainee),
    r.pathMax200h(projected, "scheduled"),
    r.companyMax70h(projected, "scheduled"),
    r.hybridApproved(f.component, s.slot, "scheduled"),
    r.distanceMax50(f.component, projected, "scheduled"),
    r.selfStudyBudget(f.selfStudy, consumedTotals(projected, f.realised, f.finished).selfStudy),
  );
  // The plan-level messages do not name the trainee: a group slot says whose path breaks.
  return violations.map((v) => (v.code === "CP-PATH-READJUST" ? v : { ...v, message: `${s.trainee} : ${v.message}` }));
}
