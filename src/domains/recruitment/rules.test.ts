import assert from "node:assert/strict";
import { describe, test } from "node:test";
import * as rules from "./rules.ts";

describe("recruitment rules", () => {
  test("CP-CONTINUATION-4W: answered on day 28 after receipt is on time, day 29 is late", () => {
    assert.equal(rules.continuationDeadline("2026-03-02"), "2026-03-30");
    assert.equal(rules.continuation4w("2026-03-02", "2026-03-30", "2026-04-15"), undefined);
    const late = rules.continuation4w("2026-03-02", "2026-03-31", "2026-04-15");
    assert.equal(late?.code, "CP-CONTINUATION-4W");
    assert.equal(late?.severity, "warning");
    assert.equal(late?.details?.lateDays, 1);
  });

  test("CP-CONTINUATION-4W: an unanswered slip is overdue from day 29, not on day 28", () => {
    assert.equal(rules.continuation4w("2026-03-02", null, "2026-03-30"), undefined);
    assert.equal(rules.continuation4w("2026-03-02", null, "2026-03-31")?.code, "CP-CONTINUATION-4W");
    // Across a month end and the spring DST change: calendar days, not 24-hour blocks.
    assert.equal(rules.continuationDeadline("2026-03-10"), "2026-04-07");
  });

  test("CP-CONTINUATION-ROUTES: PRF pre-qualifying and both Qualif'Pro schemes pass, anything else is refused", () => {
    for (const s of rules.CONTINUATION_SCHEMES) assert.equal(rules.continuationRoutes(s), undefined);
    const v = rules.continuationRoutes("other");
    assert.equal(v?.code, "CP-CONTINUATION-ROUTES");
    assert.equal(v?.severity, "error");
  });

  test("CP-CONTINUATION-PRIORITY: refusing a continuation needs a written justification", () => {
    assert.equal(rules.continuationRefusalJustified("continuation", undefined)?.code, "CP-CONTINUATION-PRIORITY");
    assert.equal(rules.continuationRefusalJustified("continuation", "   ")?.code, "CP-CONTINUATION-PRIORITY");
    assert.equal(rules.continuationRefusalJustified("continuation", "Prérequis non atteints au test écrit."), undefined);
    assert.equal(rules.continuationRefusalJustified("dematerialised", undefined), undefined);
  });

  test("CP-CONTINUATION-PRIORITY: ranking by score, continuation first among equals, then earliest received", () => {
    const item = (id: string, origin: "continuation" | "dematerialised" | "paper", score: number | null, at: string) => ({ id, origin, assessmentScore: score, receivedAt: at });
    const ranked = rules.rankForSelection([
      item("paper-70-early", "paper", 70, "2026-03-01T08:00:00Z"),
      item("demat-80", "dematerialised", 80, "2026-03-01T09:00:00Z"),
      item("cont-70-late", "continuation", 70, "2026-03-05T08:00:00Z"),
      item("none", "continuation", null, "2026-02-01T08:00:00Z"),
      item("cont-69", "continuation", 69, "2026-02-01T08:00:00Z"),
      item("demat-70-late", "dematerialised", 70, "2026-03-06T08:00:00Z"),
    ]);
    assert.deepEqual(
      ranked.map((r) => r.id),
      ["demat-80", "cont-70-late", "paper-70-early", "demat-70-late", "cont-69", "none"],
    );
  });

  test("CP-PREP-PRIORITY: a diploma above the targeted exam's level is flagged for specific preparations only", () => {
    assert.equal(rules.prepPriority("specific_preparation", 4, 4), undefined);
    assert.equal(rules.prepPriority("specific_preparation", 4, 5)?.code, "CP-PREP-PRIORITY");
    assert.equal(rules.prepPriority("specific_preparation", 4, 5)?.severity, "warning");
    assert.equal(rules.prepPriority("transverse", 4, 7), undefined);
    assert.equal(rules.prepPriority("specific_preparation", null, 7), undefined);
  });

  test("CP-ELIGIBLE-PUBLIC: warning at candidacy, error at entry", () => {
    assert.equal(rules.eligiblePublic(false, "candidacy")?.severity, "warning");
    assert.equal(rules.eligiblePublic(false, "entry")?.severity, "error");
    assert.equal(rules.eligiblePublic(true, "entry"), undefined);
  });

  test("CP-PRESCRIPTION-MODES: direct registration only for e-formation", () => {
    assert.equal(rules.directRegistrationAllowed(true), undefined);
    assert.equal(rules.directRegistrationAllowed(false)?.code, "CP-PRESCRIPTION-MODES");
  });

  test("recruitment period: last day open, the day after closed; continuations pass when closed (CP-CONTINUATION-SLIP)", () => {
    const s = { publishedAt: "2026-01-01", recruitmentOpen: true, recruitmentStart: "2026-03-01", recruitmentEnd: "2026-03-20", endDate: "2026-06-30" };
    assert.equal(rules.recruitmentOpen(s, "dematerialised", "2026-03-20"), undefined);
    assert.equal(rules.recruitmentOpen(s, "dematerialised", "2026-03-21")?.code, "RECRUITMENT_CLOSED");
    assert.equal(rules.recruitmentOpen(s, "paper", "2026-02-28")?.code, "RECRUITMENT_CLOSED");
    assert.equal(rules.recruitmentOpen({ ...s, recruitmentOpen: false }, "continuation", "2026-04-01"), undefined);
    assert.equal(rules.recruitmentOpen({ ...s, publishedAt: null }, "dematerialised", "2026-03-10")?.code, "RECRUITMENT_CLOSED");
  });

  test("CP-CANDIDACY-DECISION: the transition table refuses undeclared moves and unauthorised roles", () => {
    const f = { origin: "paper" as const, jobSeekerRegistered: true };
    assert.deepEqual(rules.candidacyDecision("received", "invited", "provider_admin", f), []);
    assert.equal(rules.candidacyDecision("received", "selected", "provider_admin", f)[0].code, "CP-CANDIDACY-DECISION");
    assert.equal(rules.candidacyDecision("entered", "withdrawn", "provider_admin", { ...f, reason: "x" })[0].code, "CP-CANDIDACY-DECISION");
    assert.equal(rules.candidacyDecision("received", "invited", "prescriber", f)[0].code, "FORBIDDEN");
    assert.deepEqual(rules.candidacyDecision("summoned", "withdrawn", "prescriber", { ...f, reason: "A trouvé un emploi" }), []);
    assert.equal(rules.candidacyDecision("received", "summoned", "provider_admin", f)[0].field, "summonedFor");
    const refusal = rules.candidacyDecision("summoned", "not_retained", "provider_admin", { ...f, origin: "continuation", refusalReasonCode: "other", messageToCandidate: "a", messageToPrescriber: "b" });
    assert.deepEqual(
      refusal.map((v) => v.code),
      ["CP-CONTINUATION-PRIORITY"],
    );
    assert.equal(rules.candidacyDecision("selected", "entered", "provider_admin", { ...f, jobSeekerRegistered: false })[0].code, "CP-ELIGIBLE-PUBLIC");
    assert.deepEqual(rules.nextStatuses("selected"), ["entered", "withdrawn"]);
  });
});
