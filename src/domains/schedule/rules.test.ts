// The schedule's pure rules and calendar arithmetic, at their boundaries.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { easterSunday, holidayOn, isoWeekOf, mondayOf, mondayOfIsoWeek, parisInstant, publicHolidays } from "./calendar.ts";
import { buildIcs, foldLine } from "./ics.ts";
import { closureMax2w, noInterruption, notOnClosedSite, publicHoliday, selfStudyDefined, type TrainerBooking, trainerFree, weeklyLegal } from "./rules.ts";

describe("CP-CLOSURE-MAX-2W", () => {
  const span = (start_date: string, end_date: string) => ({ start_date, end_date });
  const alone = (from: string, to: string) => closureMax2w([], span(from, to));
  test("CP-CLOSURE-MAX-2W: 14 consecutive calendar days pass, 15 fail", () => {
    assert.equal(alone("2026-04-13", "2026-04-26"), undefined);
    const v = alone("2026-04-13", "2026-04-27");
    assert.equal(v?.code, "CP-CLOSURE-MAX-2W");
    assert.equal(v?.severity, "error");
    assert.match(v!.message, /15/);
  });
  test("CP-CLOSURE-MAX-2W: public holidays inside count (Easter Monday 2026 within 14 days still passes, 15 fails)", () => {
    assert.equal(alone("2026-03-30", "2026-04-12"), undefined);
    assert.equal(alone("2026-03-30", "2026-04-13")?.code, "CP-CLOSURE-MAX-2W");
  });
  test("CP-CLOSURE-MAX-2W: a one-day closure passes; an end before the start fails", () => {
    assert.equal(alone("2026-05-04", "2026-05-04"), undefined);
    assert.equal(alone("2026-05-04", "2026-05-03")?.code, "CP-CLOSURE-MAX-2W");
  });
  test("CP-CLOSURE-MAX-2W: three touching closures are one run — 14 days in all pass, 15 fail, whichever is recorded last", () => {
    // 1–5 and 6–10 August recorded; 11–14 makes 14 days, 11–15 makes 15.
    const recorded = [span("2026-08-01", "2026-08-05"), span("2026-08-06", "2026-08-10")];
    assert.equal(closureMax2w(recorded, span("2026-08-11", "2026-08-14")), undefined);
    const v = closureMax2w(recorded, span("2026-08-11", "2026-08-15"));
    assert.equal(v?.code, "CP-CLOSURE-MAX-2W");
    assert.deepEqual(v?.details, { days: 15, max: 14, start: "2026-08-01", end: "2026-08-15", joined: 2 });
    assert.match(v!.message, /les 2 fermetures qu'elle touche ou chevauche, de proche en proche, le site serait fermé du 01\/08\/2026 au 15\/08\/2026, soit 15/);
    // The middle one recorded last joins both neighbours; the far one chains through the middle.
    assert.equal(closureMax2w([span("2026-08-01", "2026-08-05"), span("2026-08-11", "2026-08-14")], span("2026-08-06", "2026-08-10")), undefined);
    assert.equal(closureMax2w([span("2026-08-01", "2026-08-05"), span("2026-08-11", "2026-08-15")], span("2026-08-06", "2026-08-10"))?.details?.days, 15);
    assert.equal(closureMax2w([span("2026-08-06", "2026-08-10"), span("2026-08-11", "2026-08-15")], span("2026-08-01", "2026-08-05"))?.details?.days, 15);
  });
  test("CP-CLOSURE-MAX-2W: overlapping closures merge (days counted once); a one-day gap separates two runs", () => {
    assert.equal(closureMax2w([span("2026-08-01", "2026-08-10"), span("2026-08-05", "2026-08-12")], span("2026-08-08", "2026-08-14")), undefined, "1–14 August, 14 days");
    assert.equal(closureMax2w([span("2026-08-01", "2026-08-10"), span("2026-08-05", "2026-08-12")], span("2026-08-08", "2026-08-15"))?.details?.days, 15);
    assert.equal(closureMax2w([span("2026-08-01", "2026-08-14")], span("2026-08-16", "2026-08-29")), undefined, "15 August open: two runs of 14 days");
  });
  test("CP-CLOSURE-MAX-2W: no slot on a closed site day, first and last day included", () => {
    const closures = [{ start_date: "2026-04-13", end_date: "2026-04-26", reason: "Travaux" }];
    assert.equal(notOnClosedSite("2026-04-12", closures), undefined);
    assert.equal(notOnClosedSite("2026-04-13", closures)?.code, "CP-CLOSURE-MAX-2W");
    assert.equal(notOnClosedSite("2026-04-26", closures)?.code, "CP-CLOSURE-MAX-2W");
    assert.equal(notOnClosedSite("2026-04-27", closures), undefined);
  });
});

describe("CP-WEEKLY-LEGAL", () => {
  const week = { monday: "2026-03-09", trainee: "Camille Martin" };
  test("CP-WEEKLY-LEGAL: 35 h in company in a week pass, 35 h 01 fail (hard)", () => {
    assert.deepEqual(weeklyLegal({ ...week, company: 2100, total: 2100 }), []);
    const [v] = weeklyLegal({ ...week, company: 2101, total: 2101 });
    assert.equal(v.code, "CP-WEEKLY-LEGAL");
    assert.equal(v.severity, "error");
    assert.match(v.message, /35 h 01 min/);
  });
  test("CP-WEEKLY-LEGAL: centre + company above 35 h is a warning, exactly 35 h is not", () => {
    assert.deepEqual(weeklyLegal({ ...week, company: 600, total: 2100 }), []);
    const [v] = weeklyLegal({ ...week, company: 600, total: 2101 });
    assert.equal(v.code, "CP-WEEKLY-LEGAL");
    assert.equal(v.severity, "warning");
  });
  test("CP-WEEKLY-LEGAL: weeks run Monday to Sunday (a Sunday and the next Monday are in different weeks)", () => {
    assert.equal(mondayOf("2026-03-15"), "2026-03-09");
    assert.equal(mondayOf("2026-03-16"), "2026-03-16");
    assert.equal(isoWeekOf("2026-03-15"), "2026-W11");
    assert.equal(isoWeekOf("2026-03-16"), "2026-W12");
  });
});

describe("public holidays", () => {
  test("Easter is computed (2024, 2025, 2026, 2027) and its holidays follow", () => {
    assert.equal(easterSunday(2024), "2024-03-31");
    assert.equal(easterSunday(2025), "2025-04-20");
    assert.equal(easterSunday(2026), "2026-04-05");
    assert.equal(easterSunday(2027), "2027-03-28");
    const h = publicHolidays(2026);
    assert.equal(h.get("2026-04-06"), "Lundi de Pâques");
    assert.equal(h.get("2026-05-14"), "Ascension");
    assert.equal(h.get("2026-05-25"), "Lundi de Pentecôte");
    assert.equal(h.size, 11);
    assert.equal(holidayOn("2026-07-14"), "Fête nationale");
    assert.equal(holidayOn("2026-07-15"), undefined);
  });
  test("a slot on a public holiday is refused without override, accepted with it", () => {
    assert.equal(publicHoliday("2026-04-06", false)?.field, "holidayOverride");
    assert.equal(publicHoliday("2026-04-06", true), undefined);
    assert.equal(publicHoliday("2026-04-07", false), undefined);
  });
});

describe("CP-SELFSTUDY-DEFINED and CP-NO-INTERRUPTION", () => {
  test("CP-SELFSTUDY-DEFINED: objectives, deliverables, resources and location are all required", () => {
    const full = { modality: "self_study" as const, objectives: "Lire", deliverables: "Fiche", resources: "Moodle", selfStudyLocation: "remote" };
    assert.deepEqual(selfStudyDefined(full), []);
    assert.deepEqual(selfStudyDefined({ ...full, resources: " " }).map((v) => `${v.code}:${v.field}`), ["CP-SELFSTUDY-DEFINED:resources"]);
    assert.equal(selfStudyDefined({ modality: "self_study" }).length, 4);
    assert.deepEqual(selfStudyDefined({ modality: "centre" }), []);
  });
  test("CP-NO-INTERRUPTION: warns on a slot cancelled for the trainer's absence until a replacement is recorded", () => {
    assert.equal(noInterruption({ date: "2026-03-10", cancelled_for_trainer_absence: true, replacement_trainer_id: null })?.severity, "warning");
    assert.equal(noInterruption({ date: "2026-03-10", cancelled_for_trainer_absence: true, replacement_trainer_id: "x" }), undefined);
    assert.equal(noInterruption({ date: "2026-03-10", cancelled_for_trainer_absence: false, replacement_trainer_id: null }), undefined);
  });
});

describe("Europe/Paris times and ISO weeks", () => {
  test("starts_at is right on both DST days of 2026 and around them", () => {
    assert.equal(parisInstant("2026-03-28", "09:00").toISOString(), "2026-03-28T08:00:00.000Z");
    assert.equal(parisInstant("2026-03-29", "01:30").toISOString(), "2026-03-29T00:30:00.000Z");
    assert.equal(parisInstant("2026-03-29", "09:00").toISOString(), "2026-03-29T07:00:00.000Z");
    assert.equal(parisInstant("2026-03-30", "09:00").toISOString(), "2026-03-30T07:00:00.000Z");
    assert.equal(parisInstant("2026-10-25", "01:00").toISOString(), "2026-10-24T23:00:00.000Z");
    assert.equal(parisInstant("2026-10-25", "09:00").toISOString(), "2026-10-25T08:00:00.000Z");
    assert.equal(parisInstant("2026-10-24", "17:00").toISOString(), "2026-10-24T15:00:00.000Z");
  });
  test("ISO weeks: week 1 holds the 4th of January; 2026-W53 exists, 2025-W53 does not", () => {
    assert.equal(mondayOfIsoWeek("2026-W01"), "2025-12-29");
    assert.equal(mondayOfIsoWeek("2026-W10"), "2026-03-02");
    assert.equal(mondayOfIsoWeek("2026-W53"), "2026-12-28");
    assert.equal(mondayOfIsoWeek("2025-W53"), undefined);
    assert.equal(mondayOfIsoWeek("2026-10"), undefined);
    assert.equal(isoWeekOf("2027-01-01"), "2026-W53");
  });
});

describe("iCalendar (RFC 5545)", () => {
  test("lines are folded at 75 octets without splitting a UTF-8 character", () => {
    const line = `SUMMARY:${"é".repeat(100)}`;
    const folded = foldLine(line);
    for (const l of folded.split("\r\n")) assert.ok(Buffer.byteLength(l, "utf8") <= 75, l);
    assert.equal(folded.split("\r\n").map((l, i) => (i === 0 ? l : l.slice(1))).join(""), line);
    assert.equal(foldLine("SHORT:x"), "SHORT:x");
  });
  test("a feed has CRLF lines, UTC times, UID, DTSTAMP, escaped text", () => {
    const ics = buildIcs("Mon planning", [{ uid: "a@b", start: new Date("2026-03-30T07:00:00Z"), end: new Date("2026-03-30T10:30:00Z"), summary: "En centre — Anglais, oral; niveau B1", location: "Site, 1 rue" }], new Date("2026-03-01T10:00:00Z"));
    assert.ok(ics.endsWith("END:VCALENDAR\r\n"));
    assert.ok(!/[^\r]\n/.test(ics), "every line ends with CRLF");
    assert.match(ics, /\r\nDTSTART:20260330T070000Z\r\n/);
    assert.match(ics, /\r\nDTEND:20260330T103000Z\r\n/);
    assert.match(ics, /\r\nDTSTAMP:20260301T100000Z\r\n/);
    assert.match(ics, /\r\nUID:a@b\r\n/);
    assert.match(ics, /SUMMARY:En centre — Anglais\\, oral\\; niveau B1/);
    assert.match(ics, /LOCATION:Site\\, 1 rue/);
  });
});

describe("SCHEDULE-TRAINER-OVERLAP", () => {
  const booking = (start: string, end: string, date = "2026-03-02"): TrainerBooking => ({
    id: "s1",
    slot_date: date,
    start_time: `${start}:00`,
    end_time: `${end}:00`,
    starts_at: parisInstant(date, start),
    ends_at: parisInstant(date, end),
    title: "Anglais général",
    order_number: "C-1",
  });
  const at = (start: string, end: string, date = "2026-03-02") => ({ startsAt: parisInstant(date, start), endsAt: parisInstant(date, end) });

  test("SCHEDULE-TRAINER-OVERLAP: touching ends pass on both sides (9:00–12:00 then 12:00–13:00, 8:00–9:00 before)", () => {
    assert.equal(trainerFree("Fanny", at("12:00", "13:00"), [booking("09:00", "12:00")]), undefined);
    assert.equal(trainerFree("Fanny", at("08:00", "09:00"), [booking("09:00", "12:00")]), undefined);
    assert.equal(trainerFree("Fanny", at("09:00", "12:00"), []), undefined);
  });
  test("SCHEDULE-TRAINER-OVERLAP: one minute of overlap fails at either end, and inside or around the other slot; the message names it", () => {
    const v = trainerFree("Fanny Formatrice", at("11:59", "13:00"), [booking("09:00", "12:00")]);
    assert.equal(v?.code, "SCHEDULE-TRAINER-OVERLAP");
    assert.equal(v?.severity, "error");
    assert.equal(v?.field, "trainerId");
    assert.equal(v?.message, "Fanny Formatrice anime déjà un créneau le lundi 2 mars de 9 h à 12 h (Anglais général, commande C-1) : une même personne ne peut pas animer deux créneaux qui se chevauchent. Choisissez un autre horaire ou un·e autre formateur·rice (SCHEDULE-TRAINER-OVERLAP).");
    assert.equal(trainerFree("Fanny", at("08:00", "09:01"), [booking("09:00", "12:00")])?.code, "SCHEDULE-TRAINER-OVERLAP");
    assert.equal(trainerFree("Fanny", at("10:00", "10:30"), [booking("09:00", "12:00")])?.code, "SCHEDULE-TRAINER-OVERLAP");
    assert.equal(trainerFree("Fanny", at("08:00", "13:00"), [booking("09:00", "12:00")])?.code, "SCHEDULE-TRAINER-OVERLAP");
  });
  test("SCHEDULE-TRAINER-OVERLAP: the same hours on another day pass", () => {
    assert.equal(trainerFree("Fanny", at("09:00", "12:00", "2026-03-03"), [booking("09:00", "12:00")]), undefined);
  });
});
