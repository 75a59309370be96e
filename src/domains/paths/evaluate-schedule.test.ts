// evaluateSchedule: the path rules on what the schedule would hold (docs/adr/0009), pure, at their
// boundaries. The API tests (schedule/plan.test.ts) reach what a plan within its caps allows; these
// cover the caps a plan saved before them could still break.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Modality } from "../../core/db/schema.ts";
import { evaluatePath, evaluateSchedule, type PathFacts } from "./evaluate.ts";
import * as r from "./rules.ts";
import { planTotals, type PlanItem, zeroTotals } from "./totals.ts";

const item = (modality: Modality, plannedMinutes: number, location: "remote" | "centre" | null = modality === "self_study" ? "centre" : null): PlanItem => ({
  moduleId: null,
  label: modality,
  modality,
  selfStudyLocation: location,
  plannedMinutes,
  exempted: false,
});

const facts = (items: PlanItem[], over: Partial<PathFacts> = {}): PathFacts => ({
  component: { eFormation: false, hybridStatus: "approved", hasDigitalModules: false },
  order: { plannedStart: "2026-02-01", plannedEnd: "2026-12-31", frameworkEnd: "2027-12-31", orderedTotalMinutes: 120_000 },
  selfStudy: { eFormation: false, orderedCentreMinutes: 90_000, consumedByOthers: 0 },
  orderConsumedByOthers: 0,
  groupSpans: [],
  plan: { entryDate: "2026-03-02", plannedExitDate: "2026-06-30", items, positioningMinutes: 240 },
  realised: zeroTotals(),
  finished: false,
  ...over,
});
const schedule = (items: PlanItem[]) => ({ trainee: "Camille Martin", scheduled: planTotals(items, null), slot: planTotals(items.slice(-1), null) });
const errors = (f: PathFacts) => evaluatePath(f).violations.filter((v) => v.severity === "error");
const codes = (f: PathFacts, items: PlanItem[]) => evaluateSchedule(f, schedule(items)).map((v) => v.code);

describe("evaluateSchedule: the schedule answers to the plan", () => {
  test("CP-PATH-READJUST: each modality within its plan passes to the minute; one minute more fails, per modality", () => {
    const plan = [item("centre", 6000), item("company", 600), item("self_study", 600)];
    assert.deepEqual(codes(facts(plan), plan), []);
    assert.deepEqual(codes(facts(plan), [item("centre", 6000), item("company", 601)]), ["CP-PATH-READJUST"]);
    const [v] = evaluateSchedule(facts(plan), schedule([item("centre", 6001)]));
    assert.equal(v.details?.modality, "inPerson");
    assert.match(v.message, /^Camille Martin : ce créneau porterait le planning en présentiel à 100 h 01 min/);
  });

  test("CP-COMPANY-MAX-70H on the schedule: a plan of 70 h scheduled in full passes; 70 h 01 min scheduled breaks the cap as well as the plan", () => {
    const plan = [item("centre", 6000), item("company", 4200)];
    assert.deepEqual(codes(facts(plan), plan), []);
    assert.deepEqual(codes(facts(plan), [item("company", 4201)]), ["CP-PATH-READJUST", "CP-COMPANY-MAX-70H"]);
    // A plan saved above the cap before it was enforced: every slot on the path shows the breach.
    assert.deepEqual(codes(facts([item("centre", 6000), item("company", 4800)]), [item("company", 60)]), ["CP-COMPANY-MAX-70H"]);
  });

  test("CP-PATH-MAX-200H on the schedule: the larger of planned and scheduled per modality, positioning included", () => {
    const plan = [item("centre", 11_760)];
    assert.deepEqual(codes(facts(plan), plan), [], "240 + 11 760 = 200 h");
    const v = evaluateSchedule(facts(plan), schedule([item("centre", 11_760), item("gathering", 1)]));
    assert.deepEqual(v.map((x) => x.code), ["CP-PATH-READJUST", "CP-PATH-MAX-200H"]);
    assert.match(v[1].message, /Le parcours planifié totalise 200 h 01 min/);
  });

  test("CP-SELFSTUDY-MAX-20 on the schedule: the order's budget counts the path's scheduled self-study when above its plan", () => {
    // 20 % of 10 000 ordered centre minutes = 2 000; others hold 1 400, the path plans 600.
    const budget = { eFormation: false, orderedCentreMinutes: 10_000, consumedByOthers: 1400 };
    const plan = [item("centre", 6000), item("self_study", 600)];
    assert.deepEqual(codes(facts(plan, { selfStudy: budget }), plan), []);
    assert.deepEqual(codes(facts(plan, { selfStudy: budget }), [item("self_study", 601)]), ["CP-PATH-READJUST", "CP-SELFSTUDY-MAX-20"]);
    assert.deepEqual(codes(facts(plan, { selfStudy: { ...budget, eFormation: true, orderedCentreMinutes: 4000 } }), [item("self_study", 601)]), ["CP-PATH-READJUST", "CP-EFORM-SELFSTUDY-MAX-50"]);
  });

  test("CP-DISTANCE-MAX-50 and CP-HYBRID-APPROVED on the schedule: remote self-study counts; distance needs the accepted hybrid modality", () => {
    // Centre minutes 240 + 2 000 + 600 + 1 200 = 4 040 with 1 200 self-study planned in centre… all scheduled remote: 2 × 1 800 ≤ 4 040.
    const plan = [item("centre", 2000), item("distance", 600), item("self_study", 1200)];
    assert.deepEqual(codes(facts(plan), [item("distance", 600), item("self_study", 1200, "remote")]), []);
    const tight = [item("centre", 1559), item("distance", 600), item("self_study", 1200)];
    assert.deepEqual(codes(facts(tight), [item("distance", 600), item("self_study", 1200, "remote")]), ["CP-DISTANCE-MAX-50"]);
    const refused = facts(plan, { component: { eFormation: false, hybridStatus: "refused", hasDigitalModules: false } });
    assert.deepEqual(codes(refused, [item("distance", 60)]), ["CP-HYBRID-APPROVED"]);
    assert.deepEqual(codes(refused, [item("centre", 60)]), [], "only a distance slot is concerned");
  });
});

describe("realised hours answer to the same caps", () => {
  test("CP-COMPANY-MAX-70H on realised hours: 70 h realised passes, 70 h 01 min is shown on the path", () => {
    const plan = [item("centre", 6000), item("company", 4200)];
    assert.deepEqual(errors(facts(plan, { realised: planTotals([item("company", 4200)], null) })), []);
    const v = errors(facts(plan, { realised: planTotals([item("company", 4201)], null) }));
    assert.deepEqual(v.map((x) => x.code), ["CP-COMPANY-MAX-70H"]);
    assert.match(v[0].message, /\(réalisées\) totalisent 70 h 01 min/);
  });

  test("CP-HYBRID-APPROVED on realised hours: distance realised on a component without the accepted hybrid modality is shown", () => {
    const f = facts([item("centre", 6000)], { component: { eFormation: false, hybridStatus: "none", hasDigitalModules: false }, realised: planTotals([item("centre", 600), item("distance", 60)], null) });
    assert.deepEqual(errors(f).map((x) => x.code), ["CP-HYBRID-APPROVED"]);
    assert.equal(r.hybridApproved(f.component, zeroTotals(), "realised"), undefined);
  });
});

describe("CP-GROUP-MAX-20 once slots exist (groupMax20InRoom)", () => {
  const people = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
  test("CP-GROUP-MAX-20 in the room: 20 distinct people at the busiest start pass, 21 warn; touching slots do not overlap; someone in two slots counts once", () => {
    const morning = { start: "09:00", end: "12:00", people: people("a", 10) };
    const late = { start: "10:00", end: "13:00", people: people("b", 9) };
    assert.equal(r.groupMax20InRoom("2026-03-09", { start: "11:00", end: "12:00", people: ["c"] }, [morning, late]), undefined);
    const w = r.groupMax20InRoom("2026-03-09", { start: "11:00", end: "12:00", people: ["c", "d"] }, [morning, late]);
    assert.equal(w?.severity, "warning");
    assert.deepEqual(w?.details, { peak: 21, at: "11:00", max: 20 });
    assert.match(w!.message, /Le 09\/03\/2026 à 11 h, 21 stagiaires distincts/);
    assert.equal(r.groupMax20InRoom("2026-03-09", { start: "12:00", end: "13:00", people: people("e", 11) }, [morning, late]), undefined, "9 + 11 from 12:00");
    assert.equal(r.groupMax20InRoom("2026-03-09", { start: "08:00", end: "10:00", people: [...people("a", 10), ...people("f", 10)] }, [morning]), undefined, "a0…a9 are the same people");
    // The busiest moment is a later start inside the slot.
    assert.equal(r.groupMax20InRoom("2026-03-09", { start: "08:00", end: "11:00", people: ["x"] }, [morning, late, { start: "10:30", end: "11:00", people: ["y"] }])?.details?.at, "10:30");
  });
});
