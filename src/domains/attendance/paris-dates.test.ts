// Dates shown are Paris dates (issue 10 point 5): a countersignature at 00:26 in Paris (23:26 UTC
// the day before) is the next day's, on the sheet page and on its PDF.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createTestContext, type TestContext } from "../../../test/support/app.ts";
import { actorOf } from "../paths/testing.ts";
import { type AttendanceFixture, attendanceFixture, insertSlot, SIGNATURE } from "./testing.ts";
import { countersign } from "./sheet.ts";
import { sheetData } from "../documents/store.ts";
import { sheetPdf } from "../documents/sheet.ts";

let t: TestContext;
let f: AttendanceFixture;
before(async () => {
  t = await createTestContext("2026-03-02T08:30:00Z");
  f = await attendanceFixture(t.db, 1);
});
after(() => t?.close());

describe("Paris dates on sheets and countersignatures", () => {
  test("countersigned at 23:26 UTC on 2 March = 00:26 in Paris on 3 March: the sheet says 03/03/2026", async () => {
    const slotId = await insertSlot(t.db, f);
    const trainer = await actorOf(t.db, f.trainerEmail);
    await countersign(t.db, trainer, new Date("2026-03-02T23:26:00Z"), { ip: "192.0.2.1", userAgent: "test" }, slotId, SIGNATURE);
    t.clock.set("2026-03-03T08:00:00Z");
    const token = await t.login(f.trainerEmail);
    const res = await t.app.request(`/emargement/${slotId}`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.match(html, /Feuille contresignée par [^<]* le 03\/03\/2026 à 00:26/);
    assert.doesNotMatch(html, /contresignée par [^<]* le 02\/03\/2026/);
    // The sheet's PDF says the same Paris date and time.
    const raw = (await sheetPdf((await sheetData(t.db, slotId))!, { compress: false })).toString("latin1");
    const text = [...raw.matchAll(/<([0-9a-f]+)>/g)].map((m) => Buffer.from(m[1], "hex").toString("latin1")).join("");
    assert.match(text, /contre-signé le 03\/03\/2026 00:26/);
    assert.doesNotMatch(text, /contre-signé le 02\/03\/2026/);
  });
});
