import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { planSplit, syncMin, syncPercent, typicalWeek } from "./rules.ts";

describe("e-formation rules", () => {
  test("CP-EFORM-TYPICAL-WEEK: a week with some teaching and at most 168 h passes; empty, negative, fractional or longer than a week is refused", () => {
    assert.equal(typicalWeek({ tutorat: 840, selfStudy: 600, gatherings: 0 }), undefined);
    assert.equal(typicalWeek({ tutorat: 0, selfStudy: 0, gatherings: 0 })?.code, "CP-EFORM-TYPICAL-WEEK");
    assert.equal(typicalWeek({ tutorat: -1, selfStudy: 600, gatherings: 0 })?.code, "CP-EFORM-TYPICAL-WEEK");
    assert.equal(typicalWeek({ tutorat: 1.5, selfStudy: 600, gatherings: 0 })?.code, "CP-EFORM-TYPICAL-WEEK");
    assert.equal(typicalWeek({ tutorat: 10_080, selfStudy: 0, gatherings: 0 }), undefined);
    assert.equal(typicalWeek({ tutorat: 10_080, selfStudy: 1, gatherings: 0 })?.code, "CP-EFORM-TYPICAL-WEEK");
  });

  test("CP-EFORM-SYNC-MIN: on the typical week, exactly at the lot's minimum passes, one synchronous minute under is refused (error)", () => {
    // 60 % of 1 000 min = 600 min synchronous (tutorat + gatherings).
    assert.equal(syncMin({ tutorat: 500, selfStudy: 400, gatherings: 100 }, 60, "week"), undefined);
    const under = syncMin({ tutorat: 499, selfStudy: 401, gatherings: 100 }, 60, "week");
    assert.equal(under?.code, "CP-EFORM-SYNC-MIN");
    assert.equal(under?.severity, "error");
    assert.equal(under?.details?.neededMinutes, 600);
  });

  test("CP-EFORM-SYNC-MIN: on a path's plan it is a warning; no minimum set for the lot judges nothing; compared on minutes, not rounded percents", () => {
    const w = syncMin({ tutorat: 0, selfStudy: 1, gatherings: 0 }, 50, "plan", "Inès Roux");
    assert.equal(w?.severity, "warning");
    assert.match(w?.message ?? "", /Inès Roux/);
    assert.equal(syncMin({ tutorat: 0, selfStudy: 1, gatherings: 0 }, null, "week"), undefined);
    // 2 of 3 minutes is 66.67 %: a 67 % minimum is not reached although the rounded share would say 67.
    assert.equal(syncMin({ tutorat: 2, selfStudy: 1, gatherings: 0 }, 67, "week")?.code, "CP-EFORM-SYNC-MIN");
    assert.equal(syncMin({ tutorat: 2, selfStudy: 1, gatherings: 0 }, 66, "week"), undefined);
    assert.equal(syncPercent({ tutorat: 2, selfStudy: 1, gatherings: 0 }), 66);
    assert.equal(syncMin({ tutorat: 0, selfStudy: 0, gatherings: 0 }, 100, "week"), undefined);
  });

  test("CP-EFORM-SYNC-MIN: a plan's split counts distance as tutorat, gatherings and centre as synchronous, leaves out company time and exempted items", () => {
    const split = planSplit([
      { modality: "distance", minutes: 600 },
      { modality: "self_study", minutes: 300 },
      { modality: "gathering", minutes: 60 },
      { modality: "centre", minutes: 40 },
      { modality: "company", minutes: 2000 },
      { modality: "distance", minutes: 999, exempted: true },
    ]);
    assert.deepEqual(split, { tutorat: 600, selfStudy: 300, gatherings: 100 });
  });
});
