import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { yearOf } from "../core/time.ts";
import { PRESCRIBER_ORGANISATIONS } from "./organisations.ts";
import { COMPANY_MAX_MINUTES, PATH_MAX_MINUTES } from "../core/scheme.ts";
import { buildDemoRows } from "./seed.ts";

const ctx = (year: number) => ({
  year,
  passwordHash: "hash",
  prescriberOrganisationIds: Object.fromEntries(PRESCRIBER_ORGANISATIONS.map((name, i) => [name, `00000000-0000-4000-8000-00000000000${i}`])),
});

describe("demo rows (pure builder)", () => {
  test("deterministic: the same year gives exactly the same rows", () => {
    assert.deepEqual(buildDemoRows(ctx(2026)), buildDemoRows(ctx(2026)));
  });

  // The demo must stay valid next year and after (leap years, weekdays shift).
  for (const year of [2026, 2027, 2028, 2029, 2030, 2031, 2032]) {
    test(`year ${year}: CP-ENTRY-YEAR-N, CP-PATH-WITHIN-ORDER, CP-PATH-MAX-200H, CP-COMPANY-MAX-70H hold`, () => {
      const rows = buildDemoRows(ctx(year));
      const orders = new Map(rows.order.map((o) => [o.id, o]));
      assert.ok(rows.path.length >= 55);
      for (const p of rows.path) {
        const order = orders.get(p.order_id)!;
        assert.equal(yearOf(p.entry_date), year);
        assert.ok(p.entry_date >= order.planned_start && p.planned_exit_date <= order.planned_end);
        assert.ok(p.entry_date <= p.planned_exit_date);
        if (p.actual_exit_date) assert.ok(p.entry_date <= p.actual_exit_date && p.actual_exit_date <= p.planned_exit_date);
        const items = rows.path_item.filter((i) => i.path_id === p.id);
        const positioning = rows.positioning.find((x) => x.path_id === p.id)!;
        const total = positioning.minutes + items.reduce((s, i) => s + i.planned_minutes, 0);
        const company = items.filter((i) => i.modality === "company").reduce((s, i) => s + i.planned_minutes, 0);
        assert.ok(total <= PATH_MAX_MINUTES, `${total} minutes`);
        assert.ok(company <= COMPANY_MAX_MINUTES);
      }
      assert.ok(rows.order.every((o) => o.number.startsWith(`BC-${year}-`)));
    });
  }
});
