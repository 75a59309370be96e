// The order-wide sweep of CP-GROUP-MAX-20 answers exactly what groupPeak answers path by path.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { GroupSweep } from "./group-sweep.ts";
import { groupMax20, groupMax20AtPeak, groupPeak } from "./rules.ts";

const day = fc.integer({ min: 0, max: 40 }).map((d) => new Date(Date.UTC(2026, 2, 1 + d)).toISOString().slice(0, 10));
const span = fc.tuple(day, day).map(([a, b]) => (a <= b ? { entryDate: a, plannedExitDate: b } : { entryDate: b, plannedExitDate: a }));

describe("CP-GROUP-MAX-20 swept once per group (group-sweep.ts)", () => {
  it("CP-GROUP-MAX-20: the sweep's peak and day equal groupPeak on the same spans, for every path", () => {
    fc.assert(
      fc.property(fc.array(span, { maxLength: 60 }), fc.array(fc.tuple(fc.nat(80), span), { maxLength: 30 }), (members, asked) => {
        const keyed = members.map((m, i) => ({ ...m, key: `m${i}` }));
        const sweep = new GroupSweep(keyed, asked.map(([, s]) => s));
        for (const [k, plan] of asked) {
          const key = `m${k}`;
          const expected = groupPeak([...keyed.filter((m) => m.key !== key), plan]);
          assert.deepEqual(sweep.peakWith(key, plan), expected);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("CP-GROUP-MAX-20: 20 others and the path pass, 21 warn, through the swept peak", () => {
    const others = Array.from({ length: 21 }, (_, i) => ({ key: `p${i}`, entryDate: "2026-03-01", plannedExitDate: "2026-06-30" }));
    const plan = { entryDate: "2026-03-02", plannedExitDate: "2026-03-31" };
    const sweep = new GroupSweep(others, [plan]);
    assert.equal(groupMax20AtPeak(sweep.peakWith("p0", { ...plan, entryDate: "2026-07-01", plannedExitDate: "2026-07-02" })), undefined);
    const w = groupMax20AtPeak(sweep.peakWith("p0", plan));
    assert.equal(w?.code, "CP-GROUP-MAX-20");
    assert.deepEqual(w, groupMax20([...others.slice(1), plan]));
  });
});
