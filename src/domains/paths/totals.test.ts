import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import type { Modality } from "../../core/db/schema.ts";
import { addTotals, consumedTotals, planTotals, zeroTotals, type PlanItem, type Totals } from "./totals.ts";

const item = (modality: Modality, plannedMinutes: number, extra: Partial<PlanItem> = {}): PlanItem => ({
  moduleId: null,
  label: modality,
  modality,
  selfStudyLocation: modality === "self_study" ? "centre" : null,
  plannedMinutes,
  exempted: false,
  ...extra,
});

describe("paths totals: how minutes add up (docs/requirements.md §12)", () => {
  test("§12.1/§12.2 every modality and positioning count; centre minutes = all non-company", () => {
    const t = planTotals(
      [
        item("centre", 1000),
        item("distance", 200),
        item("self_study", 300, { selfStudyLocation: "remote" }),
        item("self_study", 50, { selfStudyLocation: "centre" }),
        item("gathering", 70),
        item("company", 900),
        item("company", 100),
      ],
      120,
    );
    assert.deepEqual(t, {
      total: 2740,
      company: 1000,
      centreMinutes: 1740,
      inPerson: 1000,
      distance: 200,
      selfStudy: 350,
      selfStudyRemote: 300,
      gathering: 70,
      positioning: 120,
    });
  });

  test("exempted items are not counted, even if minutes were left on them", () => {
    const t = planTotals([item("centre", 600), item("centre", 840, { exempted: true, exemptionReason: "acquis" })], null);
    assert.equal(t.total, 600);
    assert.equal(t.positioning, 0);
  });

  test("an empty plan with no positioning totals zero", () => {
    assert.deepEqual(planTotals([], null), zeroTotals());
  });

  test("addTotals adds every field", () => {
    const a = planTotals([item("centre", 10), item("company", 5)], 3);
    const b = planTotals([item("self_study", 7, { selfStudyLocation: "remote" })], 2);
    const s = addTotals(a, b);
    assert.equal(s.total, a.total + b.total);
    assert.equal(s.selfStudyRemote, 7);
    assert.equal(s.positioning, 5);
  });

  test("CP-ORDER-FUNGIBLE consumption: a running path counts planned hours not yet realised", () => {
    const planned = planTotals([item("centre", 6000), item("company", 1200)], 600);
    const realised = planTotals([item("centre", 2000)], 600);
    assert.equal(consumedTotals(planned, realised, false).total, 7800);
  });

  test("CP-ORDER-FUNGIBLE consumption: a closed or dropped path counts only what it realised", () => {
    const planned = planTotals([item("centre", 6000)], 600);
    const realised = planTotals([item("centre", 2000)], 600);
    assert.equal(consumedTotals(planned, realised, true).total, 2600);
    assert.equal(consumedTotals(planned, zeroTotals(), true).total, 0);
  });

  test("CP-ORDER-FUNGIBLE consumption: hours realised beyond the plan in another modality still count, and parts add up to the total", () => {
    const planned = planTotals([item("centre", 6000)], 600);
    const realised = planTotals([item("centre", 1000), item("company", 700)], 600);
    const c = consumedTotals(planned, realised, false);
    assert.equal(c.company, 700);
    assert.equal(c.centreMinutes, 6600);
    assert.equal(c.total, 7300);
  });

  const modality = fc.constantFrom<Modality>("centre", "company", "distance", "self_study", "gathering");
  const planItem = fc
    .record({
      modality,
      plannedMinutes: fc.integer({ min: 0, max: 6000 }),
      exempted: fc.boolean(),
      remote: fc.boolean(),
    })
    .map(({ modality, plannedMinutes, exempted, remote }) =>
      item(modality, plannedMinutes, {
        exempted,
        exemptionReason: exempted ? "dispense" : null,
        selfStudyLocation: modality === "self_study" ? (remote ? "remote" : "centre") : null,
      }),
    );
  const positioning = fc.option(fc.integer({ min: 1, max: 2000 }), { nil: null });

  test("property: total = non-exempt planned minutes + positioning, and centreMinutes + company = total", () => {
    fc.assert(
      fc.property(fc.array(planItem, { maxLength: 30 }), positioning, (items, pos) => {
        const t = planTotals(items, pos);
        const sum = items.filter((i) => !i.exempted).reduce((s, i) => s + i.plannedMinutes, 0);
        assert.equal(t.total, sum + (pos ?? 0));
        assert.equal(t.centreMinutes + t.company, t.total);
        assert.equal(t.centreMinutes, t.positioning + t.inPerson + t.distance + t.selfStudy + t.gathering);
        assert.ok(t.selfStudyRemote <= t.selfStudy);
      }),
      { numRuns: 500 },
    );
  });

  test("property: consumption of a running path is at least its plan and its realised hours, and its parts add up", () => {
    const totals = fc.tuple(fc.array(planItem, { maxLength: 15 }), positioning).map(([items, pos]) => planTotals(items, pos));
    fc.assert(
      fc.property(totals, totals, (planned: Totals, realised: Totals) => {
        const c = consumedTotals(planned, realised, false);
        assert.ok(c.total >= planned.total && c.total >= realised.total);
        assert.equal(c.centreMinutes + c.company, c.total);
        assert.equal(c.centreMinutes, c.positioning + c.inPerson + c.distance + c.selfStudy + c.gathering);
      }),
      { numRuns: 300 },
    );
  });
});
