import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { checkpointOpen, planSplit, type SoftwareFacts, softwareFiveWeeks, syncMin, syncPercent, typicalWeek } from "./rules.ts";

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

  // A session starting on Monday 11 May 2026: software due by 6 April (day 35 before), licences by 26 April (day 15 before).
  const start = "2026-05-11";
  const sent = (over: Partial<SoftwareFacts> = {}): SoftwareFacts => ({ name: "GanttProject", submittedOn: "2026-04-01", status: "submitted", decidedOn: null, licencesProvided: false, ...over });
  const codes = (f: Parameters<typeof softwareFiveWeeks>[0]) => softwareFiveWeeks(f).map((v) => `${v?.code} ${v?.severity}`);

  test("CP-EFORM-SOFTWARE-5W: nothing sent on day 35 before the start is still on time; on day 34 it is warned; declared without software, never", () => {
    assert.deepEqual(codes({ start, today: "2026-04-06", noSoftware: false, software: [] }), []);
    assert.deepEqual(codes({ start, today: "2026-04-07", noSoftware: false, software: [] }), ["CP-EFORM-SOFTWARE-5W warning"]);
    assert.deepEqual(codes({ start, today: "2026-04-07", noSoftware: true, software: [] }), []);
    assert.deepEqual(codes({ start, today: "2026-04-07", noSoftware: false, software: [sent({ status: "refused", decidedOn: "2026-04-03" })] }), ["CP-EFORM-SOFTWARE-5W warning"]);
  });

  test("CP-EFORM-SOFTWARE-5W: a software sent on day 35 before is on time, sent on day 34 it is late", () => {
    assert.deepEqual(codes({ start, today: "2026-04-08", noSoftware: false, software: [sent({ submittedOn: "2026-04-06" })] }), []);
    const late = softwareFiveWeeks({ start, today: "2026-04-08", noSoftware: false, software: [sent({ submittedOn: "2026-04-07" })] });
    assert.equal(late.length, 1);
    assert.match(late[0]?.message ?? "", /après le 06\/04\/2026/);
  });

  test("CP-EFORM-SOFTWARE-5W: the Region validates with licences by day 15 before: pending on day 15 passes, on day 14 warned; validated on day 14 warned; validated without licences warned", () => {
    assert.deepEqual(codes({ start, today: "2026-04-26", noSoftware: false, software: [sent()] }), []);
    assert.deepEqual(codes({ start, today: "2026-04-27", noSoftware: false, software: [sent()] }), ["CP-EFORM-SOFTWARE-5W warning"]);
    assert.deepEqual(codes({ start, today: "2026-04-30", noSoftware: false, software: [sent({ status: "validated", decidedOn: "2026-04-26", licencesProvided: true })] }), []);
    assert.deepEqual(codes({ start, today: "2026-04-30", noSoftware: false, software: [sent({ status: "validated", decidedOn: "2026-04-27", licencesProvided: true })] }), ["CP-EFORM-SOFTWARE-5W warning"]);
    assert.deepEqual(codes({ start, today: "2026-04-27", noSoftware: false, software: [sent({ status: "validated", decidedOn: "2026-04-20", licencesProvided: false })] }), ["CP-EFORM-SOFTWARE-5W warning"]);
  });

  test("CP-EFORM-CHECKPOINT-15D: the checkpoint opens on day 15 before the start (day 16: not yet) and closes when the session starts", () => {
    assert.equal(checkpointOpen(start, "2026-04-25")?.code, "CP-EFORM-CHECKPOINT-15D");
    assert.equal(checkpointOpen(start, "2026-04-26"), undefined);
    assert.equal(checkpointOpen(start, "2026-05-10"), undefined);
    assert.equal(checkpointOpen(start, "2026-05-11")?.code, "CP-EFORM-CHECKPOINT-15D");
  });
});
