import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { formatEuros, formatMinutes, parseDuration } from "./rules.ts";

describe("durations and money as people read and type them", () => {
  test("formatMinutes", () => {
    assert.equal(formatMinutes(12000), "200 h");
    assert.equal(formatMinutes(12001), "200 h 01 min");
    assert.equal(formatMinutes(1), "1 min");
    assert.equal(formatMinutes(0), "0 h");
    assert.equal(formatMinutes(-90), "-1 h 30 min");
  });
  test("parseDuration accepts 14, 14h, 3h30, 3:30, 45min and refuses the rest", () => {
    assert.equal(parseDuration("14"), 840);
    assert.equal(parseDuration("14h"), 840);
    assert.equal(parseDuration("3h30"), 210);
    assert.equal(parseDuration("3 h 30"), 210);
    assert.equal(parseDuration("3:30"), 210);
    assert.equal(parseDuration("100h01"), 6001);
    assert.equal(parseDuration("45min"), 45);
    assert.equal(parseDuration("3h60"), undefined);
    assert.equal(parseDuration("trois"), undefined);
    assert.equal(parseDuration(""), undefined);
  });
  test("formatEuros uses the French format", () => {
    assert.match(formatEuros(20000), /^200,00\s€$/);
    assert.match(formatEuros(1), /^0,01\s€$/);
  });
});
