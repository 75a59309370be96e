// CP-WELCOME: the booklet's typical week, drawn from the path's schedule.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createTestContext, type TestContext } from "../../../test/support/app.ts";
import { createOrderFixture, type OrderFixture } from "../../../test/support/fixtures.ts";
import { addSlot } from "../ledger/testing.ts";
import { actorOf, register } from "../paths/testing.ts";
import { bookletPdf } from "./pdf.ts";
import { typicalWeek } from "./rules.ts";

const s = (slot_date: string, start_time: string, end_time: string, modality = "centre") => ({ slot_date, start_time, end_time, modality });

describe("CP-WELCOME: typical week", () => {
  test("CP-WELCOME: the fullest week of the schedule gives the typical week, day by day; the first of equal weeks wins", () => {
    const week = typicalWeek([
      s("2026-03-02", "09:00:00", "12:00:00"), // week of 2 March: 3 h
      s("2026-03-09", "09:00:00", "12:30:00"), // week of 9 March: 3.5 h + 3 h + 3 h
      s("2026-03-09", "13:30:00", "16:30:00"),
      s("2026-03-12", "09:00:00", "12:00:00", "company"),
      s("2026-03-16", "09:00:00", "12:30:00"), // week of 16 March: 9.5 h as well, comes later
      s("2026-03-17", "09:00:00", "12:00:00"),
      s("2026-03-18", "09:00:00", "12:00:00"),
    ]);
    assert.equal(week?.monday, "2026-03-09");
    assert.deepEqual(week?.days, [
      { day: "lundi", slots: [{ start: "09:00", end: "12:30", modality: "centre" }, { start: "13:30", end: "16:30", modality: "centre" }] },
      { day: "jeudi", slots: [{ start: "09:00", end: "12:00", modality: "company" }] },
    ]);
    assert.equal(typicalWeek([]), null, "nothing scheduled: no typical week");
  });

  describe("in the booklet", () => {
    let t: TestContext;
    let fx: OrderFixture;
    before(async () => {
      t = await createTestContext("2026-03-01T09:00:00Z");
      fx = await createOrderFixture(t.db);
    });
    after(() => t.close());

    test("CP-WELCOME: the booklet prints the typical week from the schedule, or says it is not planned yet", async () => {
      const admin = await actorOf(t.db, fx.adminEmail);
      const { pathId } = await register(t.db, admin, fx);
      const textOf = async () => {
        const raw = (await bookletPdf(t.db, admin, pathId, new Date("2026-03-01T09:00:00Z"), { compress: false })).pdf.toString("latin1");
        return [...raw.matchAll(/<([0-9a-f]+)>/g)].map((m) => Buffer.from(m[1], "hex").toString("latin1")).join("") + raw;
      };
      assert.match(await textOf(), /pas encore planifi/);
      await addSlot(t.db, { providerId: fx.providerId, orderLineId: fx.orderLineId, date: "2026-03-10", modality: "centre", pathIds: [pathId] });
      const text = await textOf();
      assert.match(text, /Semaine type/);
      assert.match(text, /Mardi : 09:00/);
    });
  });
});
