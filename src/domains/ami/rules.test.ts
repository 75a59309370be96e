import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { judgeTransition } from "../../core/workflow.ts";
import type { RuleResult, Violation } from "../../core/rules.ts";
import * as r from "./rules.ts";

function passes(result: RuleResult | Violation[]) {
  const list = Array.isArray(result) ? result : result ? [result] : [];
  assert.deepEqual(list.map((v) => v.message), []);
}
function fails(result: RuleResult | Violation[], code: string, severity: "error" | "warning" = "error") {
  const v = Array.isArray(result) ? result[0] : result;
  assert.ok(v, `expected ${code}`);
  assert.equal(v.code, code);
  assert.equal(v.severity, severity);
  assert.ok(v.article.startsWith("AMI"));
  assert.ok(v.message.includes(code), "the French message names its rule");
}

describe("AMI rules (REQUIREMENTS §11)", () => {
  test("AMI-COMMITMENT-10PCT: 10 % passes, 9,99 % fails, nothing stated fails", () => {
    passes(r.commitment10pct(r.parsePercent("10")!));
    passes(r.commitment10pct(1000));
    fails(r.commitment10pct(r.parsePercent("9,99")!), "AMI-COMMITMENT-10PCT");
    assert.equal(r.parsePercent("9,99"), 999);
    assert.equal(r.parsePercent("9.99 %"), 999);
    assert.equal(r.parsePercent("12,5"), 1250);
    assert.equal(r.parsePercent("100,01"), undefined);
    assert.equal(r.parsePercent("dix"), undefined);
    fails(r.commitment10pct(null), "AMI-COMMITMENT-10PCT");
    assert.match(r.commitment10pct(999)!.message, /9,99 %/);
  });

  test("AMI-SITES: multi-site, three implementation sites pass, four fail; single-site has one site", () => {
    passes(r.sites("multi", "R", ["A", "B", "C"]));
    passes(r.sites("multi", "R", ["R"]));
    fails(r.sites("multi", "R", ["A", "B", "C", "D"]), "AMI-SITES");
    fails(r.sites("multi", "R", []), "AMI-SITES");
    fails(r.sites("multi", "R", ["A", "A"]), "AMI-SITES");
    fails(r.sites("multi", null, ["A"]), "AMI-SITES");
    passes(r.sites("single", "R", []));
    passes(r.sites("single", "R", ["R"]));
    fails(r.sites("single", "R", ["A"]), "AMI-SITES");
  });

  test("AMI-ONE-PER-LOT: a second open application on the same lot is refused", () => {
    passes(r.onePerLot(0, 1, null));
    fails(r.onePerLot(1, 1, null), "AMI-ONE-PER-LOT");
    assert.match(r.onePerLot(1, 2, "Réseau Sud")!.message, /Réseau Sud.*lot 2/);
  });

  test("AMI-CALL-DEADLINE: 12:00:00 Paris passes, 12:00:01 fails (to the second, milliseconds ignored)", () => {
    const deadline = new Date("2024-02-20T11:00:00Z"); // 12:00 in Paris (winter time)
    passes(r.callDeadline(new Date("2024-02-20T11:00:00.000Z"), deadline, "20/02/2024 à 12:00"));
    passes(r.callDeadline(new Date("2024-02-20T11:00:00.999Z"), deadline, "20/02/2024 à 12:00"));
    fails(r.callDeadline(new Date("2024-02-20T11:00:01.000Z"), deadline, "20/02/2024 à 12:00"), "AMI-CALL-DEADLINE");
  });

  test("AMI-ELIGIBLE: registered by the Region or holding an order of the PRF year; else refused", () => {
    passes(r.eligible({ registered: true, holdsOrderOfYear: false, prfYear: 2023 }));
    passes(r.eligible({ registered: false, holdsOrderOfYear: true, prfYear: 2023 }));
    fails(r.eligible({ registered: false, holdsOrderOfYear: false, prfYear: 2023 }), "AMI-ELIGIBLE");
  });

  test("AMI-AXES and AMI-APPLICATION-CONTENT: at least one axis; lead, team and prior accompaniment stated", () => {
    const needs = { professions: "", digitalisation: "", pedagogy: "", phases: "" };
    fails(r.axes(needs), "AMI-AXES");
    passes(r.axes({ ...needs, pedagogy: "Refonte des maquettes" }));
    const ok = { team: [{ name: "A", role: "formatrice", commitment: "2 j/mois" }], projectLeadName: "B", targetPublics: [], ecologicalActions: "", priorAccompaniment: false };
    passes(r.applicationContent(ok));
    fails(r.applicationContent({ ...ok, team: [] }), "AMI-APPLICATION-CONTENT");
    fails(r.applicationContent({ ...ok, priorAccompaniment: null }), "AMI-APPLICATION-CONTENT");
  });

  test("AMI-LOTS: the seed's lots partition their départements; a département in two lots is refused", () => {
    passes(r.lotsPartition(r.SEED_LOTS.map((l) => ({ number: l.number, departements: [...l.departements] }))));
    fails(r.lotsPartition([{ number: 1, departements: ["31"] }, { number: 2, departements: ["31"] }]), "AMI-LOTS");
    fails(r.lotsPartition([]), "AMI-LOTS");
    assert.equal(r.lotOfDepartement(r.SEED_LOTS, "31")?.number, 1);
    assert.equal(r.lotOfDepartement(r.SEED_LOTS, "34")?.number, 2);
    fails(r.referenceSiteInALot("75", false), "AMI-LOTS");
  });

  test("AMI-EXPERT-IN-LOT: an expert of the lot passes, another fails, and the expert never changes", () => {
    passes(r.expertInLot("biz", ["biz", "mask"], null));
    fails(r.expertInLot("kawa", ["biz", "mask"], null), "AMI-EXPERT-IN-LOT");
    passes(r.expertInLot("biz", ["biz", "mask"], "biz"));
    fails(r.expertInLot("mask", ["biz", "mask"], "biz"), "AMI-EXPERT-IN-LOT");
  });

  test("AMI-RECEIPT: valid one year, to the day before the anniversary", () => {
    assert.equal(r.validUntil("2024-02-20"), "2025-02-19");
    assert.equal(r.validUntil("2024-02-29"), "2025-02-28");
  });

  test("AMI-PRIORITY: never accompanied, ecological training, PIC publics, then involvement; overrides move a line", () => {
    const base = { priorAccompaniment: true, ecologicalActions: "", targetPublics: [] as string[], leadShareBp: 1000, teamSize: 1, submittedAt: new Date("2024-01-01"), overridePosition: null as number | null };
    const apps = [
      { ...base, id: "old" },
      { ...base, id: "new", priorAccompaniment: false },
      { ...base, id: "green", priorAccompaniment: false, ecologicalActions: "Rénovation énergétique" },
      { ...base, id: "involved", leadShareBp: 2000 },
    ];
    const ranked = r.rank(apps);
    assert.deepEqual(ranked.map((a) => a.id), ["green", "new", "involved", "old"]);
    assert.ok(ranked[0].reasons.some((x) => x.includes("transition écologique")));
    const moved = r.rank(apps.map((a) => (a.id === "old" ? { ...a, overridePosition: 1 } : a)));
    assert.deepEqual(moved.map((a) => a.id), ["old", "green", "new", "involved"]);
    assert.equal(moved[0].computedPosition, 4);
    fails(r.overrideReason(" "), "AMI-PRIORITY");
  });

  test("AMI-SELECTION: mission 1 opens only for a retained application with its expert; refusal needs a reason", () => {
    assert.deepEqual(judgeTransition(r.TRANSITIONS, "submitted", "mission_1", "region_officer", { expertAssigned: true }), { ok: false, kind: "status" });
    assert.equal(judgeTransition(r.TRANSITIONS, "retained", "mission_1", "region_officer", { expertAssigned: false }).ok, false);
    assert.equal(judgeTransition(r.TRANSITIONS, "retained", "mission_1", "region_officer", { expertAssigned: true }).ok, true);
    assert.equal(judgeTransition(r.TRANSITIONS, "submitted", "not_retained", "region_officer", {}).ok, false);
    assert.deepEqual(judgeTransition(r.TRANSITIONS, "draft", "submitted", "trainer", {}), { ok: false, kind: "role" });
  });

  test("AMI-COMMITTEE: approves all or part of a non-empty plan, at a past or present date", () => {
    passes(r.committeeDecision(["a", "b"], ["a"], "2024-03-01", "2024-03-01"));
    passes(r.committeeDecision(["a", "b"], [], "2024-03-01", "2024-03-01"));
    fails(r.committeeDecision([], [], "2024-03-01", "2024-03-01"), "AMI-COMMITTEE");
    fails(r.committeeDecision(["a"], ["z"], "2024-03-01", "2024-03-01"), "AMI-COMMITTEE");
    fails(r.committeeDecision(["a"], ["a"], "2024-03-02", "2024-03-01"), "AMI-COMMITTEE");
  });

  test("AMI-M2-APPROVED-ONLY: only after the decision, only approved actions", () => {
    passes(r.m2ApprovedOnly(true, true));
    fails(r.m2ApprovedOnly(false, true), "AMI-M2-APPROVED-ONLY");
    fails(r.m2ApprovedOnly(true, false), "AMI-M2-APPROVED-ONLY");
    assert.equal(judgeTransition(r.TRANSITIONS, "mission_1", "mission_2", "region_officer", { committeeDecided: true, approvedActions: 0 }).ok, false);
  });

  test("AMI-DEADLINE-M2: the latest end day passes with a warning, the day after fails; 31 days before is quiet", () => {
    fails(r.deadlineM2("2024-06-30", "2024-06-30"), "AMI-DEADLINE-M2", "warning");
    fails(r.deadlineM2("2024-05-31", "2024-06-30"), "AMI-DEADLINE-M2", "warning");
    passes(r.deadlineM2("2024-05-30", "2024-06-30"));
    fails(r.deadlineM2("2024-07-01", "2024-06-30"), "AMI-DEADLINE-M2");
  });

  test("AMI-TRANSFER and AMI-MISSIONS: multi-site needs the transfer kit; mission 2 productions belong to the organisation", () => {
    fails(r.transfer(true, false), "AMI-TRANSFER");
    passes(r.transfer(true, true));
    passes(r.transfer(false, false));
    assert.equal(r.deliverableOwner("m2_production"), "provider");
    assert.equal(r.deliverableOwner("transfer_kit"), "expert");
  });

  test("AMI-CALL: mission 2's latest end follows the deadline", () => {
    passes(r.callDates("2024-02-20", "2024-06-30"));
    fails(r.callDates("2024-06-30", "2024-06-30"), "AMI-CALL");
  });

  test("half-days of commitment", () => {
    assert.equal(r.parseDays("1,5"), 3);
    assert.equal(r.parseDays("2"), 4);
    assert.equal(r.parseDays("1,3"), undefined);
    assert.equal(r.formatDays(3), "1,5 j");
  });
});
