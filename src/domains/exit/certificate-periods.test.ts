// CP-SKILLS-CERTIFICATE lists the path's company periods (company, dates, hours realised from the
// ledger within each period) when they exist, and says nothing of them when there are none.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createTestContext, type TestContext } from "../../../test/support/app.ts";
import { createOrderFixture, type OrderFixture } from "../../../test/support/fixtures.ts";
import { insertSignedPeriod } from "../internships/testing.ts";
import { addAttendance, addSlot } from "../ledger/testing.ts";
import { actorOf, register } from "../paths/testing.ts";
import { skillsCertificateFacts, skillsCertificatePdf } from "./certificate.ts";

const textOf = async (facts: Awaited<ReturnType<typeof skillsCertificateFacts>>) => {
  const raw = (await skillsCertificatePdf(facts, { compress: false })).toString("latin1");
  return [...raw.matchAll(/<([0-9a-f]+)>/g)].map((m) => Buffer.from(m[1], "hex").toString("latin1")).join("");
};

describe("skills certificate: company periods", () => {
  let t: TestContext;
  let fx: OrderFixture;
  before(async () => {
    t = await createTestContext("2026-06-30T15:00:00Z");
    fx = await createOrderFixture(t.db);
  });
  after(() => t.close());

  test("CP-SKILLS-CERTIFICATE: each company period is listed with its company, dates and the hours realised within it; a cancelled one is not", async () => {
    const admin = await actorOf(t.db, fx.adminEmail);
    const { pathId } = await register(t.db, admin, fx);
    const periodId = await insertSignedPeriod(t.db, fx.providerId, pathId, "2026-03-09", "2026-03-20");
    const cancelled = await insertSignedPeriod(t.db, fx.providerId, pathId, "2026-04-06", "2026-04-10");
    await t.db.updateTable("company_period").set({ status: "cancelled" }).where("id", "=", cancelled).execute();
    const inside = await addSlot(t.db, { providerId: fx.providerId, orderLineId: fx.orderLineId, date: "2026-03-13", modality: "company", pathIds: [pathId], minutes: 420 });
    await addAttendance(t.db, { slotId: inside, pathId, minutes: 420 });
    const outside = await addSlot(t.db, { providerId: fx.providerId, orderLineId: fx.orderLineId, date: "2026-03-23", modality: "company", pathIds: [pathId], minutes: 180 });
    await addAttendance(t.db, { slotId: outside, pathId, minutes: 180 });
    await t.db.updateTable("path").set({ actual_exit_date: "2026-06-30" }).where("id", "=", pathId).execute();
    const facts = await skillsCertificateFacts(t.db, admin, pathId);
    assert.deepEqual(
      facts.companyPeriods.map((p) => [p.id, p.company_name, p.start_date, p.end_date, p.realised_minutes]),
      [[periodId, "Entreprise de test", "2026-03-09", "2026-03-20", 420]],
      "the slot of 23 March is outside the period; the cancelled period is left out",
    );
    const text = await textOf(facts);
    assert.match(text, /Périodes en entreprise/);
    assert.match(text, /Entreprise de test, du 09\/03\/2026 au 20\/03\/2026 : 7 h réalisées/);
  });

  test("CP-SKILLS-CERTIFICATE: without a company period, the certificate has no such section", async () => {
    const admin = await actorOf(t.db, fx.adminEmail);
    const { pathId } = await register(t.db, admin, fx);
    await t.db.updateTable("path").set({ actual_exit_date: "2026-06-30" }).where("id", "=", pathId).execute();
    const facts = await skillsCertificateFacts(t.db, admin, pathId);
    assert.deepEqual(facts.companyPeriods, []);
    assert.doesNotMatch(await textOf(facts), /Périodes en entreprise/);
  });
});
