import { test } from "node:test";
import assert from "node:assert/strict";
import { dateTimeFr, de, longDateFr, monthFr, timeFr, weekFr } from "./french.ts";

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
