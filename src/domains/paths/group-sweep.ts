// CP-GROUP-MAX-20 for every path of an order at once (the order's consumption, its findings, an order
// edit): each path is judged on its group — everyone else on its component at its site — with its own
// plan in it. Judging each path by sorting the whole group again costs n × n log n; here each group's
// days are swept once into a tree of day counts, and each path takes its stored span out, puts its plan
// in, reads the busiest day and puts things back: n log n for the order. Same answer as groupPeak
// (rules.ts) on the same spans: the first day when the most spans overlap, exit day included.
import { groupPeak, type GroupPeak } from "./rules.ts";

export interface Span {
  entryDate: string;
  plannedExitDate: string;
}

/** Counts per day over a sorted list of days, with range add and the first day of the maximum. */
class DayTree {
  private readonly size: number;
  private readonly max: Int32Array;
  private readonly add: Int32Array;
  private readonly at: Int32Array;

  constructor(private readonly days: string[]) {
    this.size = Math.max(1, days.length);
    this.max = new Int32Array(4 * this.size);
    this.add = new Int32Array(4 * this.size);
    this.at = new Int32Array(4 * this.size);
    this.build(1, 0, this.size - 1);
  }

  private build(node: number, lo: number, hi: number) {
    this.at[node] = lo;
    if (lo === hi) return;
    const mid = (lo + hi) >> 1;
    this.build(2 * node, lo, mid);
    this.build(2 * node + 1, mid + 1, hi);
  }

  /** Index of the first day ≥ `day`. */
  private lowerBound(day: string) {
    let lo = 0;
    let hi = this.days.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.days[mid] < day) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Adds `delta` on every day of the span (entry and exit days included). */
  addSpan(span: Span, delta: number) {
    const from = this.lowerBound(span.entryDate);
    let to = this.lowerBound(span.plannedExitDate);
    if (to >= this.days.length || this.days[to] !== span.plannedExitDate) to--;
    if (from <= to) this.update(1, 0, this.size - 1, from, to, delta);
  }

  private update(node: number, lo: number, hi: number, from: number, to: number, delta: number) {
    if (to < lo || hi < from) return;
    if (from <= lo && hi <= to) {
      this.add[node] += delta;
      this.max[node] += delta;
      return;
    }
    const mid = (lo + hi) >> 1;
    this.update(2 * node, lo, mid, from, to, delta);
    this.update(2 * node + 1, mid + 1, hi, from, to, delta);
    const [l, r] = [2 * node, 2 * node + 1];
    // Ties go left: the first day of the maximum.
    const left = this.max[l] >= this.max[r];
    this.max[node] = this.add[node] + (left ? this.max[l] : this.max[r]);
    this.at[node] = left ? this.at[l] : this.at[r];
  }

  peak(): GroupPeak {
    const peak = this.max[1];
    return peak > 0 ? { peak, day: this.days[this.at[1]] } : { peak: 0, day: "" };
  }
}

/**
 * One group (a component at a site): `members` are everyone in its room, keyed (a path's id); `peakWith`
 * answers groupPeak(members without `key`, plus `plan`) for each path of the order.
 */
export class GroupSweep {
  private readonly tree: DayTree | undefined;
  private readonly byKey = new Map<string, Span>();

  /** `plans`: the spans that will be asked about, so that their entry days are in the tree. */
  constructor(
    private readonly members: (Span & { key: string })[],
    plans: Span[],
  ) {
    for (const m of members) this.byKey.set(m.key, m);
    // An exit before its entry counts negatively in the sweep of groupPeak: such a group is judged as it is.
    const inverted = [...members, ...plans].some((s) => s.plannedExitDate < s.entryDate);
    if (inverted) return;
    // The busiest day is always somebody's entry day.
    const days = [...new Set([...members.map((m) => m.entryDate), ...plans.map((p) => p.entryDate)])].sort();
    this.tree = new DayTree(days);
    for (const m of members) this.tree.addSpan(m, 1);
  }

  peakWith(key: string, plan: Span): GroupPeak {
    if (!this.tree) return groupPeak([...this.members.filter((m) => m.key !== key), plan]);
    const stored = this.byKey.get(key);
    if (stored) this.tree.addSpan(stored, -1);
    this.tree.addSpan(plan, 1);
    const peak = this.tree.peak();
    this.tree.addSpan(plan, -1);
    if (stored) this.tree.addSpan(stored, 1);
    return peak;
  }
}
