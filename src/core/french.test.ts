import { test } from "node:test";
import assert from "node:assert/strict";
import { dateTimeFr, dateTimeSecondsFr, de, longDateFr, longDateTimeFr, monthFr, timeFr, timeSecondsFr, weekFr } from "./french.ts";

test("de(): elision before a vowel or h, « de » otherwise (issue 10, point 3)", () => {
  assert.equal(`candidature ${de("Inès Roux")}`, "candidature d'Inès Roux");
  assert.equal(de("Élodie Martin"), "d'Élodie Martin");
  assert.equal(de("Hugo Blanc"), "d'Hugo Blanc");
  assert.equal(de("Paul Durand"), "de Paul Durand");
});

test("dates and periods in French words, months in lower case, times in Paris", () => {
  assert.equal(weekFr("2026-11-30"), "semaine du 30 novembre 2026");
  assert.equal(`relevé de ${monthFr("2026-03")}`, "relevé de mars 2026");
  assert.equal(longDateFr("2026-08-01"), "1er août 2026");
  assert.equal(timeFr("2026-11-30T23:26:00Z"), "00:26"); // winter: UTC+1
  assert.equal(dateTimeFr("2026-07-01T22:30:00Z"), "02/07/2026 00:30"); // summer: UTC+2
});

test("to the second and in words, in Paris across the DST changes (29 March and 25 October 2026)", () => {
  // Spring forward: 01:59:59 UTC+1, then 03:00:00 UTC+2 — 02:xx never shows.
  assert.equal(dateTimeSecondsFr(new Date("2026-03-29T00:59:59Z")), "29/03/2026 01:59:59");
  assert.equal(dateTimeSecondsFr("2026-03-29T01:00:00Z"), "29/03/2026 03:00:00");
  assert.equal(timeSecondsFr("2026-03-29T01:00:07Z"), "03:00:07");
  // Fall back: 02:30 is lived twice, once at UTC+2 then at UTC+1.
  assert.equal(timeSecondsFr("2026-10-25T00:30:00Z"), "02:30:00");
  assert.equal(timeSecondsFr("2026-10-25T01:30:00Z"), "02:30:00");
  assert.equal(longDateTimeFr("2026-10-25T00:30:00Z"), "25 octobre 2026 à 02:30");
  assert.equal(longDateTimeFr("2026-12-31T23:30:00Z"), "1 janvier 2027 à 00:30", "the Paris day, not the UTC one");
  // The same text as the hand-written calls they replace.
  for (const iso of ["2026-03-29T00:59:59Z", "2026-10-25T01:30:00Z", "2026-07-01T22:30:05Z"]) {
    assert.equal(dateTimeSecondsFr(iso), new Date(iso).toLocaleString("fr-FR", { timeZone: "Europe/Paris" }));
  }
});
