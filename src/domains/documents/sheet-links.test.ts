// Issue 10 point 5: every slot links to its attendance sheet PDF, past slots included (staff
// schedule: the week and the slot's page), and the link gives the PDF.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createTestContext, type TestContext } from "../../../test/support/app.ts";
import { createOrderFixture } from "../../../test/support/fixtures.ts";
import { addAttendance, addSlot } from "../ledger/testing.ts";
import { actorOf, register } from "../paths/testing.ts";

describe("attendance sheet links on the schedule", () => {
  let t: TestContext;
  before(async () => {
    t = await createTestContext("2026-03-20T09:00:00Z");
  });
  after(() => t.close());

  test("issue 10 point 5: a past slot links to its sheet PDF from the week and from its page; the PDF downloads", async () => {
    const fx = await createOrderFixture(t.db);
    const { pathId } = await register(t.db, await actorOf(t.db, fx.adminEmail), fx);
    const slotId = await addSlot(t.db, { providerId: fx.providerId, orderLineId: fx.orderLineId, date: "2026-03-10", modality: "centre", pathIds: [pathId] });
    await addAttendance(t.db, { slotId, pathId, minutes: 210 });
    const page = await t.pageSession(fx.adminEmail);
    const week = await page.get("/planning?semaine=2026-W11");
    assert.equal(week.status, 200);
    assert.match(week.html, new RegExp(`href="/documents/feuilles/${slotId}/pdf"`), "the past slot's card links to its sheet");
    const slot = await page.get(`/planning/creneaux/${slotId}`);
    assert.match(slot.html, new RegExp(`href="/documents/feuilles/${slotId}/pdf"`));
    const pdf = await page.get(`/documents/feuilles/${slotId}/pdf`);
    assert.equal(pdf.status, 200);
  });
});
