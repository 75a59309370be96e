import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createTestContext, type TestContext } from "../../test/support/app.ts";
import { createOrderFixture } from "../../test/support/fixtures.ts";
import { createPrescriber, createSessionRow } from "../domains/recruitment/testing.ts";
import { actorOf, register } from "../domains/paths/testing.ts";
import { loadDemoRecruitment } from "./recruitment.ts";

describe("demo recruitment", () => {
  let t: TestContext;
  before(async () => {
    t = await createTestContext("2026-03-02T09:00:00Z");
  });
  after(() => t.close());

  test("candidacies in every status, prescriptions of both kinds and slips (one overdue: CP-CONTINUATION-4W)", async () => {
    const a = await createOrderFixture(t.db);
    const b = await createOrderFixture(t.db);
    await createSessionRow(t.db, a);
    await createSessionRow(t.db, b, { start_date: "2026-05-01" });
    await createPrescriber(t.db);
    await register(t.db, await actorOf(t.db, a.adminEmail), a);
    const { candidacies } = await t.db.transaction().execute((tx) => loadDemoRecruitment(tx, new Date("2026-03-02T09:00:00Z")));
    assert.equal(candidacies, 11);
    const statuses = new Set((await t.db.selectFrom("candidacy").select("status").execute()).map((r) => r.status));
    assert.deepEqual([...statuses].sort(), ["entered", "invited", "not_retained", "received", "selected", "summoned", "waiting_list", "withdrawn"]);
    const token = await t.login(a.adminEmail);
    const slips = await t.api("GET", "/api/continuation-slips", token);
    assert.equal(slips.body.items.filter((s: { overdue: boolean }) => s.overdue).length, 1);
    assert.equal(slips.body.items.filter((s: { candidacy: { slip_answer: string | null } }) => s.candidacy.slip_answer === "entry").length, 1);
  });
});
