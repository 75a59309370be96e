import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { judgeTransition } from "../../core/workflow.ts";
import {
  absenceStreak,
  type AgreementContent,
  agreementHash,
  agreementItems,
  companyOutsideOpening,
  insideOpening,
  internshipAbroad,
  internshipAgreement,
  internshipVisit,
  missingSignatures,
  PERIOD_TRANSITIONS,
  type PeriodFacts,
  periodsWithinPath,
  periodWeekly,
  tutorPrecontact,
  visitWaiverAllowed,
} from "./rules.ts";

const content = (over: Partial<AgreementContent> = {}): AgreementContent => ({
  version: 1,
  provider: { name: "OF", siret: "73282932000074" },
  trainee: { name: "Alice Martin" },
  company: { name: "Boulangerie", siret: "73282932000074", address: "1 rue" },
  tutor: { name: "Paul Tuteur", jobTitle: "Chef" },
  followUpTrainer: "Fanny Formatrice",
  nature: "Stage d'observation",
  objectives: "Découvrir le métier",
  pedagogicalObjectives: "Accueil client",
  positionHeld: "Vendeur",
  place: "region",
  country: null,
  workAddress: "1 rue",
  startDate: "2026-03-09",
  endDate: "2026-03-20",
  plannedMinutes: 600,
  weeklyMinutes: 600,
  timetable: "Lundi–vendredi 9 h–11 h",
  followUpModalities: "Une visite, un appel par semaine",
  outsideOpening: false,
  centreContact: null,
  ...over,
});

describe("internships rules", () => {
  test("CP-INTERNSHIP-AGREEMENT: the third signature completes the agreement, the second does not", () => {
    const h = agreementHash(content());
    const two = [
      { party: "trainee" as const, content_hash: h },
      { party: "tutor" as const, content_hash: h },
    ];
    assert.deepEqual(missingSignatures(h, two), ["provider"]);
    assert.equal(internshipAgreement(missingSignatures(h, two), "schedule")?.code, "CP-INTERNSHIP-AGREEMENT");
    const three = [...two, { party: "provider" as const, content_hash: h }];
    assert.deepEqual(missingSignatures(h, three), []);
    assert.equal(internshipAgreement(missingSignatures(h, three), "schedule"), undefined);
  });

  test("CP-INTERNSHIP-AGREEMENT: a signature of an earlier version does not count once the agreement is edited", () => {
    const before = agreementHash(content());
    const after = agreementHash(content({ timetable: "Lundi–jeudi 9 h–12 h" }));
    assert.notEqual(before, after);
    const sigs = ["trainee", "tutor", "provider"].map((party) => ({ party: party as "trainee", content_hash: before }));
    assert.deepEqual(missingSignatures(after, sigs), ["trainee", "tutor", "provider"]);
  });

  test("CP-INTERNSHIP-AGREEMENT: the hash does not depend on key order", () => {
    const a = content();
    const b = Object.fromEntries(Object.entries(a).reverse()) as unknown as AgreementContent;
    assert.equal(agreementHash(a), agreementHash(b));
  });

  test("CP-INTERNSHIP-AGREEMENT: every listed item is required before signature", () => {
    assert.deepEqual(agreementItems(content()), []);
    const v = agreementItems(content({ positionHeld: " ", followUpTrainer: null }));
    assert.deepEqual(v.map((x) => x.field).sort(), ["followUpTrainerId", "positionHeld"]);
    assert.ok(v.every((x) => x.code === "CP-INTERNSHIP-AGREEMENT"));
  });

  test("CP-COMPANY-MAX-70H: 70 h cumulative over two periods passes, 70 h 01 min fails", () => {
    assert.deepEqual(periodsWithinPath([2100, 2100], 4200), []);
    const over = periodsWithinPath([2100, 2101], 4201);
    assert.equal(over[0]?.code, "CP-COMPANY-MAX-70H");
  });

  test("periods stay within the path's planned company hours (readjust first): equal passes, one minute over fails", () => {
    assert.deepEqual(periodsWithinPath([300, 300], 600), []);
    assert.equal(periodsWithinPath([300, 301], 600)[0]?.code, "INTERNSHIP-OVER-PLAN");
  });

  test("CP-WEEKLY-LEGAL: 35 h a week in a period passes, 35 h 01 min fails", () => {
    assert.deepEqual(periodWeekly(2100, "2026-03-09", "Alice"), []);
    assert.equal(periodWeekly(2101, "2026-03-09", "Alice")[0]?.code, "CP-WEEKLY-LEGAL");
  });

  test("CP-TUTOR-PRECONTACT: a warning without recorded contact, none with one", () => {
    assert.equal(tutorPrecontact(null)?.severity, "warning");
    assert.equal(tutorPrecontact(null)?.code, "CP-TUTOR-PRECONTACT");
    assert.equal(tutorPrecontact("2026-03-01"), undefined);
  });

  test("CP-INTERNSHIP-ABROAD: abroad without both certificates refused; with both, or in France, passes", () => {
    assert.equal(internshipAbroad("abroad", { civilLiability: true, socialCover: false })?.code, "CP-INTERNSHIP-ABROAD");
    assert.equal(internshipAbroad("abroad", { civilLiability: false, socialCover: false })?.code, "CP-INTERNSHIP-ABROAD");
    assert.equal(internshipAbroad("abroad", { civilLiability: true, socialCover: true }), undefined);
    assert.equal(internshipAbroad("france", { civilLiability: false, socialCover: false }), undefined);
  });

  test("CP-INTERNSHIP-VISIT: closing without a visit refused; one visit or a waiver passes; waiver only abroad", () => {
    assert.equal(internshipVisit(0, false)?.code, "CP-INTERNSHIP-VISIT");
    assert.equal(internshipVisit(1, false), undefined);
    assert.equal(internshipVisit(0, true), undefined);
    assert.equal(visitWaiverAllowed("region")?.code, "CP-INTERNSHIP-VISIT");
    assert.equal(visitWaiverAllowed("abroad"), undefined);
  });

  test("CP-COMPANY-OUTSIDE-OPENING: 08:00–18:00 on a weekday is inside; 17:00–18:01 or Saturday needs the agreement and a contact", () => {
    assert.equal(insideOpening(1, "08:00", "18:00"), true);
    assert.equal(insideOpening(1, "17:00", "18:01"), false);
    assert.equal(insideOpening(6, "09:00", "12:00"), false);
    assert.equal(companyOutsideOpening(false, { outsideOpening: false, centreContact: null }, "2026-03-14")?.code, "CP-COMPANY-OUTSIDE-OPENING");
    assert.equal(companyOutsideOpening(false, { outsideOpening: true, centreContact: " " }, "2026-03-14")?.code, "CP-COMPANY-OUTSIDE-OPENING");
    assert.equal(companyOutsideOpening(false, { outsideOpening: true, centreContact: "Accueil 05 61 00 00 00" }, "2026-03-14"), undefined);
    assert.equal(companyOutsideOpening(true, { outsideOpening: false, centreContact: null }, "2026-03-09"), undefined);
  });

  test("CP-REFERENT-FOLLOWUP: three absences in a row raise the alert, two do not", () => {
    assert.equal(absenceStreak(["absent", "absent", "absent", "present"]), true);
    assert.equal(absenceStreak(["absent", "absent", "present"]), false);
    assert.equal(absenceStreak(["absent", "absent"]), false);
  });

  test("period transitions: start needs the three signatures (and the certificates abroad); close needs a visit", () => {
    const facts = (over: Partial<PeriodFacts> = {}): PeriodFacts => ({ missing: [], place: "region", certificates: { civilLiability: false, socialCover: false }, visitsDone: 0, waiver: false, ...over });
    assert.deepEqual(judgeTransition(PERIOD_TRANSITIONS, "preparing", "in_progress", "provider_admin", facts()), { ok: true });
    const unsigned = judgeTransition(PERIOD_TRANSITIONS, "preparing", "in_progress", "provider_admin", facts({ missing: ["provider"] }));
    assert.equal(unsigned.ok || unsigned.kind === "guard" ? (unsigned.ok ? "" : unsigned.violations[0].code) : "", "CP-INTERNSHIP-AGREEMENT");
    const abroad = judgeTransition(PERIOD_TRANSITIONS, "preparing", "in_progress", "provider_admin", facts({ place: "abroad" }));
    assert.equal(!abroad.ok && abroad.kind === "guard" && abroad.violations[0].code, "CP-INTERNSHIP-ABROAD");
    const close = judgeTransition(PERIOD_TRANSITIONS, "in_progress", "closed", "provider_admin", facts());
    assert.equal(!close.ok && close.kind === "guard" && close.violations[0].code, "CP-INTERNSHIP-VISIT");
    assert.deepEqual(judgeTransition(PERIOD_TRANSITIONS, "in_progress", "closed", "provider_admin", facts({ visitsDone: 1 })), { ok: true });
    assert.equal(judgeTransition(PERIOD_TRANSITIONS, "in_progress", "closed", "trainer", facts({ visitsDone: 1 })).ok, false);
  });
});
