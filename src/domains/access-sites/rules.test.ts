import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { attendanceRecordable, homeFromAllowed, pcsLeft, seatBookable, traineesPerDepartement, type BookingFacts } from "./rules.ts";

const facts = (over: { slot?: Partial<BookingFacts["slot"]>; path?: Partial<BookingFacts["path"]>; site?: Partial<BookingFacts["site"]>; now?: Date } = {}): BookingFacts => ({
  slot: { modality: "distance", status: "planned", startsAt: new Date("2026-03-09T08:00:00Z"), eFormation: true, hybridStatus: "none", label: "du 09/03/2026 09:00–12:30", ...over.slot },
  path: { status: "validated", onSlot: true, recommendsAccessSite: true, traineeName: "Inès Distance", ...over.path },
  site: { active: true, name: "Site de Cahors", ...over.site },
  now: over.now ?? new Date("2026-03-06T08:00:00Z"),
});

describe("rules: CP-EFORM-SITES", () => {
  test("CP-EFORM-SITES: a distance slot of an e-formation or approved hybrid component, recommended by the positioning, is bookable", () => {
    assert.deepEqual(seatBookable(facts()), []);
    assert.deepEqual(seatBookable(facts({ slot: { eFormation: false, hybridStatus: "approved" } })), []);
  });

  test("CP-EFORM-SITES: refused for a centre slot, a plain component, a positioning without the recommendation, a closed site", () => {
    assert.equal(seatBookable(facts({ slot: { modality: "centre" } }))[0].code, "CP-EFORM-SITES");
    assert.equal(seatBookable(facts({ slot: { eFormation: false, hybridStatus: "requested" } })).length, 1);
    assert.equal(seatBookable(facts({ path: { recommendsAccessSite: null } })).length, 1);
    assert.equal(seatBookable(facts({ path: { recommendsAccessSite: false } }))[0].field, "pathId");
    assert.equal(seatBookable(facts({ site: { active: false } }))[0].field, "roomId");
    assert.equal(seatBookable(facts({ path: { onSlot: false } })).length, 1);
  });

  test("CP-EFORM-SITES: booked until the slot's start — one millisecond before passes, at the start it is refused", () => {
    const startsAt = new Date("2026-03-09T08:00:00Z");
    assert.deepEqual(seatBookable(facts({ now: new Date(startsAt.getTime() - 1) })), []);
    assert.match(seatBookable(facts({ now: startsAt }))[0].message, /a commencé/);
  });

  test("CP-EFORM-SITES: moved home from today passes, from yesterday is refused", () => {
    assert.equal(homeFromAllowed("2026-03-06", "2026-03-06"), undefined);
    assert.equal(homeFromAllowed("2026-03-05", "2026-03-06")?.code, "CP-EFORM-SITES");
  });

  test("CP-EFORM-SITES: a no-show from the slot's start on its day; an arrival on its day; never on a cancelled booking", () => {
    const start = new Date("2026-03-09T08:00:00Z");
    assert.equal(attendanceRecordable("no_show", "2026-03-09", "2026-03-09", start, start, "booked"), undefined);
    assert.ok(attendanceRecordable("no_show", "2026-03-09", "2026-03-09", start, new Date(start.getTime() - 1), "booked"));
    assert.equal(attendanceRecordable("arrived", "2026-03-09", "2026-03-09", start, new Date(start.getTime() - 3_600_000), "booked"), undefined);
    assert.ok(attendanceRecordable("arrived", "2026-03-09", "2026-03-08", start, start, "booked"));
    assert.ok(attendanceRecordable("arrived", "2026-03-09", "2026-03-09", start, start, "cancelled"));
    assert.equal(pcsLeft(4, 4), 0);
    assert.equal(pcsLeft(4, 3), 1);
  });
});

describe("rules: CP-EFORM-REGIONAL-RECRUIT", () => {
  test("CP-EFORM-REGIONAL-RECRUIT: trainees counted per département of residence, by code, the unknown ones last", () => {
    const rows = [
      { departementCode: "46", departementName: "Lot" },
      { departementCode: null, departementName: null },
      { departementCode: "12", departementName: "Aveyron" },
      { departementCode: "46", departementName: "Lot" },
    ];
    assert.deepEqual(
      traineesPerDepartement(rows).map((d) => `${d.code ?? "?"} ${d.trainees}`),
      ["12 1", "46 2", "? 1"],
    );
  });
});
