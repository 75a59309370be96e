import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Modality } from "../../core/db/schema.ts";
import type { RuleResult } from "../../core/rules.ts";
import { evaluatePath, type PathFacts } from "./evaluate.ts";
import * as r from "./rules.ts";
import { planTotals, zeroTotals, type PlanItem } from "./totals.ts";

const item = (modality: Modality, plannedMinutes: number, extra: Partial<PlanItem> = {}): PlanItem => ({
  moduleId: null,
  label: modality,
  modality,
  selfStudyLocation: modality === "self_study" ? "centre" : null,
  plannedMinutes,
  exempted: false,
  ...extra,
});
const remoteSelfStudy = (m: number) => item("self_study", m, { selfStudyLocation: "remote" });
const exempted = (modality: Modality, m: number) => item(modality, m, { exempted: true, exemptionReason: "acquis au positionnement" });

function passes(result: RuleResult) {
  assert.equal(result, undefined, result?.message);
}
function fails(result: RuleResult, code: string, severity: "error" | "warning" = "error") {
  assert.ok(result, `expected ${code}`);
  assert.equal(result.code, code);
  assert.equal(result.severity, severity);
  assert.ok(result.article.startsWith("CCTP"));
  assert.ok(result.message.length > 20);
}

const normal: r.ComponentFacts = { eFormation: false, hybridStatus: "approved" };
const eForm: r.ComponentFacts = { eFormation: true, hybridStatus: "none" };
const order: r.OrderFacts = { plannedStart: "2026-02-01", plannedEnd: "2027-06-30", frameworkEnd: "2027-12-31", orderedTotalMinutes: 60_000 };

describe("CP-PATH-MAX-200H: 200 h in every modality, positioning included", () => {
  test("CP-PATH-MAX-200H 12 000 min passes, 12 001 fails (positioning counted)", () => {
    passes(r.pathMax200h(planTotals([item("centre", 11_400)], 600)));
    const over = r.pathMax200h(planTotals([item("centre", 11_401)], 600));
    fails(over, "CP-PATH-MAX-200H");
    assert.match(over!.message, /200 h 01 min/);
    assert.match(over!.message, /prévu/);
  });

  test("CP-PATH-MAX-200H every modality counts: company, distance, self-study, gathering", () => {
    const base = [item("centre", 3000), item("company", 4200), item("distance", 1800), remoteSelfStudy(600), item("self_study", 600), item("gathering", 1680)];
    passes(r.pathMax200h(planTotals(base, 120)));
    for (const extra of ["company", "distance", "self_study", "gathering", "centre"] as Modality[]) {
      fails(r.pathMax200h(planTotals([...base, item(extra, 1)], 120)), "CP-PATH-MAX-200H");
    }
    fails(r.pathMax200h(planTotals(base, 121)), "CP-PATH-MAX-200H");
  });

  test("CP-PATH-MAX-200H exempted items are not counted", () => {
    passes(r.pathMax200h(planTotals([item("centre", 12_000), exempted("centre", 840)], null)));
  });

  test("CP-PATH-MAX-200H realised variant: 12 000 realised passes, 12 001 fails", () => {
    passes(r.pathMax200h(planTotals([item("centre", 12_000)], null), "realised"));
    const over = r.pathMax200h(planTotals([item("centre", 11_881)], 120), "realised");
    fails(over, "CP-PATH-MAX-200H");
    assert.match(over!.message, /réalisé/);
  });
});

describe("CP-COMPANY-MAX-70H: all company periods of a path", () => {
  test("CP-COMPANY-MAX-70H 4 200 min over several periods passes, 4 201 fails", () => {
    passes(r.companyMax70h(planTotals([item("company", 2100), item("company", 2100), item("centre", 5000)], 120)));
    fails(r.companyMax70h(planTotals([item("company", 2100), item("company", 2101)], null)), "CP-COMPANY-MAX-70H");
  });

  test("CP-COMPANY-MAX-70H an exempted company period does not count", () => {
    passes(r.companyMax70h(planTotals([item("company", 4200), exempted("company", 600)], null)));
  });
});

describe("CP-DISTANCE-MAX-50: remote ≤ 50 % of the path's centre minutes", () => {
  // centre minutes = positioning 600 + in person 1 200 + distance 1 800 = 3 600; remote 1 800 = exactly 50 %.
  test("CP-DISTANCE-MAX-50 exactly 50 % passes (positioning in the base), one more distance minute fails", () => {
    passes(r.distanceMax50(normal, planTotals([item("centre", 1200), item("distance", 1800)], 600)));
    const over = r.distanceMax50(normal, planTotals([item("centre", 1200), item("distance", 1801)], 600));
    fails(over, "CP-DISTANCE-MAX-50");
    assert.deepEqual(over!.details, { remote: 1801, centreMinutes: 3601 });
  });

  test("CP-DISTANCE-MAX-50 without positioning in the base the same plan fails", () => {
    fails(r.distanceMax50(normal, planTotals([item("centre", 1200), item("distance", 1800)], null)), "CP-DISTANCE-MAX-50");
  });

  test("CP-DISTANCE-MAX-50 remote self-study counts in the numerator", () => {
    passes(r.distanceMax50(normal, planTotals([item("centre", 1200), item("distance", 1200), remoteSelfStudy(600)], 600)));
    fails(r.distanceMax50(normal, planTotals([item("centre", 1200), item("distance", 1200), remoteSelfStudy(601)], 600)), "CP-DISTANCE-MAX-50");
  });

  test("CP-DISTANCE-MAX-50 centre self-study is not remote (it only widens the base)", () => {
    passes(r.distanceMax50(normal, planTotals([item("centre", 1200), item("distance", 1801), item("self_study", 1)], 600)));
  });

  test("CP-DISTANCE-MAX-50 company minutes are not in the base", () => {
    fails(r.distanceMax50(normal, planTotals([item("centre", 1200), item("distance", 1801), item("company", 4200)], 600)), "CP-DISTANCE-MAX-50");
  });

  test("CP-DISTANCE-MAX-50 gatherings are centre minutes", () => {
    passes(r.distanceMax50(normal, planTotals([item("gathering", 1), item("distance", 1801), item("centre", 1200)], 600)));
  });

  test("CP-DISTANCE-MAX-50 e-formation is exempt (distance by nature)", () => {
    passes(r.distanceMax50(eForm, planTotals([item("distance", 6000), remoteSelfStudy(3000)], 120)));
  });
});

describe("CP-HYBRID-APPROVED: distance only on a component whose hybrid modality is approved", () => {
  const withDistance = planTotals([item("centre", 3000), item("distance", 600)], 120);
  for (const hybridStatus of ["none", "requested", "refused"] as const) {
    test(`CP-HYBRID-APPROVED distance on a component with hybrid '${hybridStatus}' fails`, () => {
      fails(r.hybridApproved({ eFormation: false, hybridStatus }, withDistance), "CP-HYBRID-APPROVED");
    });
  }
  test("CP-HYBRID-APPROVED distance on an approved hybrid component passes", () => {
    passes(r.hybridApproved({ eFormation: false, hybridStatus: "approved" }, withDistance));
  });
  test("CP-HYBRID-APPROVED e-formation passes without a hybrid approval", () => {
    passes(r.hybridApproved({ eFormation: true, hybridStatus: "none" }, withDistance));
  });
  test("CP-HYBRID-APPROVED a path without distance passes whatever the component", () => {
    passes(r.hybridApproved({ eFormation: false, hybridStatus: "refused" }, planTotals([item("centre", 3000), remoteSelfStudy(600)], 120)));
  });
});

describe("CP-SELFSTUDY-MAX-20 / CP-EFORM-SELFSTUDY-MAX-50: an order-wide budget on ordered centre minutes", () => {
  test("CP-SELFSTUDY-MAX-20 20 % to the minute: 1 200 of 6 000 passes, 1 201 fails", () => {
    const budget = { eFormation: false, orderedCentreMinutes: 6000, consumedByOthers: 0 };
    passes(r.selfStudyBudget(budget, 1200));
    const over = r.selfStudyBudget(budget, 1201);
    fails(over, "CP-SELFSTUDY-MAX-20");
    assert.equal(over!.details?.cap, 1200);
  });

  test("CP-SELFSTUDY-MAX-20 no rounding in the provider's favour: 20 % of 6 004 is 1 200.8, so 1 201 fails", () => {
    passes(r.selfStudyBudget({ eFormation: false, orderedCentreMinutes: 6004, consumedByOthers: 0 }, 1200));
    fails(r.selfStudyBudget({ eFormation: false, orderedCentreMinutes: 6004, consumedByOthers: 0 }, 1201), "CP-SELFSTUDY-MAX-20");
    passes(r.selfStudyBudget({ eFormation: false, orderedCentreMinutes: 6005, consumedByOthers: 0 }, 1201));
  });

  test("CP-SELFSTUDY-MAX-20 the other paths' consumption is counted", () => {
    passes(r.selfStudyBudget({ eFormation: false, orderedCentreMinutes: 6000, consumedByOthers: 700 }, 500));
    fails(r.selfStudyBudget({ eFormation: false, orderedCentreMinutes: 6000, consumedByOthers: 700 }, 501), "CP-SELFSTUDY-MAX-20");
  });

  test("CP-EFORM-SELFSTUDY-MAX-50 50 % to the minute, others counted", () => {
    passes(r.selfStudyBudget({ eFormation: true, orderedCentreMinutes: 2001, consumedByOthers: 400 }, 600));
    const over = r.selfStudyBudget({ eFormation: true, orderedCentreMinutes: 2001, consumedByOthers: 400 }, 601);
    fails(over, "CP-EFORM-SELFSTUDY-MAX-50");
    assert.match(over!.message, /e-formation/);
  });
});

describe("CP-ENTRY-YEAR-N and CP-PATH-WITHIN-ORDER: dates", () => {
  test("CP-ENTRY-YEAR-N 31 December of the start year passes, 1 January of the next year fails", () => {
    passes(r.entryYearN(order, "2026-12-31"));
    const next = r.entryYearN(order, "2027-01-01");
    fails(next, "CP-ENTRY-YEAR-N");
    assert.equal(next!.field, "entryDate");
  });

  test("CP-ENTRY-YEAR-N judges the first day, positioning included (§12.6): first module on 4 Jan N+1 after a positioning on 31 Dec N passes, on 1 Jan N+1 fails", () => {
    passes(r.entryYearN(order, "2027-01-04", "2026-12-31"));
    const late = r.entryYearN(order, "2027-01-04", "2027-01-01");
    fails(late, "CP-ENTRY-YEAR-N");
    assert.equal(late!.field, "positioning");
    assert.deepEqual(late!.details, { firstDay: "2027-01-01", entryDate: "2027-01-04", positioningFirstDay: "2027-01-01", year: 2026 });
    // A positioning after the entry changes nothing: the first module is the first day.
    passes(r.entryYearN(order, "2026-12-31", "2027-01-02"));
    fails(r.entryYearN(order, "2027-01-01", "2027-01-02"), "CP-ENTRY-YEAR-N");
    // Positioning on 31 Dec of the year before the order's start is no entry in year N either.
    fails(r.entryYearN(order, "2026-01-05", "2025-12-31"), "CP-ENTRY-YEAR-N");
    assert.equal(r.pathFirstDay("2027-01-04", "2026-12-31"), "2026-12-31");
    assert.equal(r.pathFirstDay("2027-01-04", null), "2027-01-04");
  });

  test("CP-PATH-WITHIN-ORDER planned exit on the order's last day passes, the day after fails", () => {
    passes(r.pathWithinOrder(order, "2026-03-01", "2027-06-30"));
    const late = r.pathWithinOrder(order, "2026-03-01", "2027-07-01");
    fails(late, "CP-PATH-WITHIN-ORDER");
    assert.equal(late!.field, "plannedExitDate");
  });

  test("CP-PATH-WITHIN-ORDER entry on the order's planned start passes, the day before fails", () => {
    passes(r.pathWithinOrder(order, "2026-02-01", "2026-05-01"));
    const early = r.pathWithinOrder(order, "2026-01-31", "2026-05-01");
    fails(early, "CP-PATH-WITHIN-ORDER");
    assert.equal(early!.field, "entryDate");
  });
});

describe("CP-ORDER-FUNGIBLE: consumption ≤ the order's total ordered minutes", () => {
  test("CP-ORDER-FUNGIBLE consumption exactly equal to the ordered total passes, one minute more fails", () => {
    passes(r.orderFungible(order, 50_000, 10_000));
    const over = r.orderFungible(order, 50_000, 10_001);
    fails(over, "CP-ORDER-FUNGIBLE");
    assert.deepEqual(over!.details, { used: 60_001, ordered: 60_000 });
  });
});

describe("CP-GROUP-MAX-20 (warning): simultaneous trainees of one component at one site", () => {
  const spans = (n: number, entryDate: string, plannedExitDate: string) => Array.from({ length: n }, () => ({ entryDate, plannedExitDate }));

  test("CP-GROUP-MAX-20 20 overlapping paths pass, 21 warn", () => {
    passes(r.groupMax20(spans(20, "2026-03-01", "2026-06-30")));
    const w = r.groupMax20(spans(21, "2026-03-01", "2026-06-30"));
    fails(w, "CP-GROUP-MAX-20", "warning");
    assert.deepEqual(w!.details, { peak: 21, day: "2026-03-01" });
  });

  test("CP-GROUP-MAX-20 paths that do not overlap are not counted together", () => {
    passes(r.groupMax20([...spans(20, "2026-03-01", "2026-04-30"), ...spans(20, "2026-05-01", "2026-06-30")]));
  });

  test("CP-GROUP-MAX-20 the exit day still counts: a path entering on another's exit day overlaps it", () => {
    const w = r.groupMax20([...spans(20, "2026-03-01", "2026-04-30"), { entryDate: "2026-04-30", plannedExitDate: "2026-06-30" }]);
    fails(w, "CP-GROUP-MAX-20", "warning");
    assert.equal(w!.details?.day, "2026-04-30");
    assert.match(w!.message, /30\/04\/2026/);
  });

  test("CP-GROUP-MAX-20 one-day paths on the same day overlap", () => {
    fails(r.groupMax20(spans(21, "2026-03-01", "2026-03-01")), "CP-GROUP-MAX-20", "warning");
    passes(r.groupMax20([...spans(20, "2026-03-01", "2026-03-01"), { entryDate: "2026-03-02", plannedExitDate: "2026-03-02" }]));
  });
});

describe("CP-TRE-MIN-14H / CP-TRANSVERSE-CONTENT: path warnings", () => {
  const tre = (planned: number, extra: Partial<PlanItem> = {}) => item("centre", planned, { contentTag: "job_search", moduleMinutes: 840, ...extra });
  const digital = (planned: number, extra: Partial<PlanItem> = {}) => item("centre", planned, { contentTag: "digital", moduleMinutes: 600, ...extra });

  test("CP-TRE-MIN-14H the full TRE module passes", () => {
    passes(r.treExemption([tre(840)]));
  });
  test("CP-TRE-MIN-14H TRE shortened by one minute warns", () => {
    fails(r.treExemption([tre(839)]), "CP-TRE-MIN-14H", "warning");
  });
  test("CP-TRE-MIN-14H TRE exempted warns", () => {
    fails(r.treExemption([tre(0, { exempted: true, exemptionReason: "déjà fait" })]), "CP-TRE-MIN-14H", "warning");
  });
  test("CP-TRE-MIN-14H TRE missing from the path warns", () => {
    const w = r.treExemption([item("centre", 3000)]);
    fails(w, "CP-TRE-MIN-14H", "warning");
    assert.match(w!.message, /ne comporte pas/);
  });

  test("CP-TRANSVERSE-CONTENT digital usage planned passes", () => {
    passes(r.digitalUsage([digital(600)], true));
  });
  test("CP-TRANSVERSE-CONTENT digital usage absent warns", () => {
    fails(r.digitalUsage([item("centre", 3000)], true), "CP-TRANSVERSE-CONTENT", "warning");
  });
  test("CP-TRANSVERSE-CONTENT digital usage exempted with a reason passes, without a reason warns", () => {
    passes(r.digitalUsage([digital(0, { exempted: true, exemptionReason: "PIX niveau 3" })], true));
    fails(r.digitalUsage([digital(0, { exempted: true, exemptionReason: null })], true), "CP-TRANSVERSE-CONTENT", "warning");
  });
  test("CP-TRANSVERSE-CONTENT a component without digital modules (digital sub-category) does not warn", () => {
    passes(r.digitalUsage([item("centre", 3000)], false));
  });
});

describe("CP-POSITIONING / CP-POSITIONING-2-14H / CP-REFERENTS / CP-ELIGIBLE-PUBLIC", () => {
  const positioning: r.PositioningFacts = {
    minutes: 240,
    firstDay: "2026-03-03",
    restitutionOn: "2026-03-03",
    priorLearning: "A2 en anglais",
    competences: "Compréhension orale",
    recommendedMinutes: 9000,
    recommendedMethods: "Présentiel et autoformation",
  };

  test("CP-POSITIONING-2-14H 120 and 840 min pass, 119 and 841 warn", () => {
    passes(r.positioningDuration(120));
    passes(r.positioningDuration(840));
    fails(r.positioningDuration(119), "CP-POSITIONING-2-14H", "warning");
    fails(r.positioningDuration(841), "CP-POSITIONING-2-14H", "warning");
    passes(r.positioningDuration(null));
  });

  test("CP-POSITIONING no positioning or no restitution is an error; a recorded restitution passes", () => {
    fails(r.positioningRecorded(undefined), "CP-POSITIONING");
    fails(r.positioningRecorded({ ...positioning, restitutionOn: null }), "CP-POSITIONING");
    passes(r.positioningRecorded(positioning));
  });

  test("CP-POSITIONING an incomplete deliverable is a warning", () => {
    passes(r.positioningDeliverable(positioning));
    passes(r.positioningDeliverable(undefined));
    for (const missing of ["priorLearning", "competences", "recommendedMinutes", "recommendedMethods"] as const) {
      fails(r.positioningDeliverable({ ...positioning, [missing]: null }), "CP-POSITIONING", "warning");
    }
  });

  test("CP-REFERENTS no pedagogical referent is an error", () => {
    fails(r.pedagogicalReferentAssigned(null), "CP-REFERENTS");
    passes(r.pedagogicalReferentAssigned("5b7c2b0e-0000-4000-8000-000000000000"));
  });

  test("CP-ELIGIBLE-PUBLIC a warning at registration, an error at entry", () => {
    fails(r.eligiblePublic(false, "registration"), "CP-ELIGIBLE-PUBLIC", "warning");
    fails(r.eligiblePublic(false, "entry"), "CP-ELIGIBLE-PUBLIC", "error");
    passes(r.eligiblePublic(true, "entry"));
  });
});

describe("CP-DEPOSIT-MAX-200 / CP-FREE-OF-CHARGE", () => {
  test("CP-DEPOSIT-MAX-200 200,00 € in total passes, 200,01 € fails", () => {
    passes(r.depositMax200(15_000, 5_000));
    const over = r.depositMax200(15_000, 5_001);
    fails(over, "CP-DEPOSIT-MAX-200");
    assert.match(over!.message, /200,01\s€/);
  });

  test("CP-FREE-OF-CHARGE a deposit without lent material is refused", () => {
    fails(r.depositIsForMaterial("   "), "CP-FREE-OF-CHARGE");
    passes(r.depositIsForMaterial("Ordinateur portable"));
  });

  test("CP-DEPOSIT-MAX-200 an unsettled deposit at exit is a warning", () => {
    passes(r.depositSettledAtExit(0));
    fails(r.depositSettledAtExit(1), "CP-DEPOSIT-MAX-200", "warning");
  });
});

describe("evaluatePath: every rule on one path's facts", () => {
  const facts = (over: Partial<PathFacts> = {}): PathFacts => ({
    component: { ...normal, hasDigitalModules: false },
    order,
    selfStudy: { eFormation: false, orderedCentreMinutes: 60_000, consumedByOthers: 0 },
    orderConsumedByOthers: 0,
    groupSpans: [],
    plan: { entryDate: "2026-03-02", plannedExitDate: "2026-06-30", items: [item("centre", 6000, { contentTag: "job_search", moduleMinutes: 840 })], positioningMinutes: 240 },
    realised: zeroTotals(),
    finished: false,
    ...over,
  });

  test("a compliant plan has no violation", () => {
    const e = evaluatePath(facts());
    assert.deepEqual(e.violations, []);
    assert.equal(e.planned.total, 6240);
    assert.equal(e.consumed.total, 6240);
  });

  test("CP-PATH-MAX-200H realised variant: realised hours above 200 h are an error even when the plan is within", () => {
    const e = evaluatePath(facts({ realised: planTotals([item("centre", 12_001)], null) }));
    assert.deepEqual(
      e.violations.filter((v) => v.code === "CP-PATH-MAX-200H").map((v) => v.message.includes("réalisé")),
      [true],
    );
  });

  test("CP-ORDER-FUNGIBLE a finished path consumes only its realised hours", () => {
    const e = evaluatePath(facts({ finished: true, orderConsumedByOthers: 60_000 }));
    assert.equal(e.consumed.total, 0);
    assert.ok(!e.violations.some((v) => v.code === "CP-ORDER-FUNGIBLE"));
    const running = evaluatePath(facts({ orderConsumedByOthers: 60_000 - 6239 }));
    assert.equal(running.violations[0].code, "CP-ORDER-FUNGIBLE");
  });

  test("CP-GROUP-MAX-20 the path itself is counted with the other 20", () => {
    const groupSpans = Array.from({ length: 20 }, () => ({ entryDate: "2026-06-30", plannedExitDate: "2026-08-31" }));
    const e = evaluatePath(facts({ groupSpans }));
    assert.deepEqual(
      e.violations.map((v) => v.code),
      ["CP-GROUP-MAX-20"],
    );
  });

  test("errors come before warnings; entry rules only when validating", () => {
    const plan = { entryDate: "2026-03-02", plannedExitDate: "2027-07-01", items: [item("centre", 100)], positioningMinutes: 60 };
    const draft = evaluatePath(facts({ plan }));
    assert.deepEqual(
      draft.violations.map((v) => [v.code, v.severity]),
      [
        ["CP-PATH-WITHIN-ORDER", "error"],
        ["CP-TRE-MIN-14H", "warning"],
        ["CP-POSITIONING-2-14H", "warning"],
      ],
    );
    const entry = evaluatePath(facts({ plan, entry: { positioning: undefined, referentId: null, jobSeekerRegistered: false } }));
    assert.deepEqual(
      entry.violations.filter((v) => v.severity === "error").map((v) => v.code),
      ["CP-PATH-WITHIN-ORDER", "CP-POSITIONING", "CP-REFERENTS", "CP-ELIGIBLE-PUBLIC"],
    );
  });
});
