import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { DomainError } from "../../core/errors.ts";
import { createTestContext, type TestContext } from "../../../test/support/app.ts";
import { createOrderFixture } from "../../../test/support/fixtures.ts";
import { actorOf, mod, plan, position, register } from "./testing.ts";
import { getOrderConsumption, savePlan, validatePath } from "./use-cases.ts";

// Order-wide limits hold when two people save or validate paths of one order at the same time.
describe("order-wide limits under concurrent writers", () => {
  let t: TestContext;
  before(async () => {
    t = await createTestContext();
  });
  after(() => t.close());

  /** An order of 6 000 min and `n` draft paths of 4 000 min each (240 positioning + 3 760 planned). */
  async function setup(n: number, planned = 3760) {
    const fx = await createOrderFixture(t.db, { headcount: 1, centreMinutes: 6000, companyMinutes: 0 });
    const admin = await actorOf(t.db, fx.adminEmail);
    const items = (minutes: number) => [mod(fx.moduleIds["Anglais général"], "centre", minutes)];
    const paths: string[] = [];
    for (let i = 0; i < n; i++) {
      const { pathId } = await register(t.db, admin, fx);
      await position(t.db, admin, pathId, 240);
      await savePlan(t.db, admin, pathId, plan(items(planned)));
      paths.push(pathId);
    }
    return { fx, admin, paths, items };
  }

  const outcome = (results: PromiseSettledResult<unknown>[]) =>
    results.map((r) => (r.status === "fulfilled" ? "ok" : r.reason instanceof DomainError ? r.reason.code : String(r.reason))).sort();

  test("CP-ORDER-FUNGIBLE two paths validated at once cannot both take the order beyond its total", async () => {
    const { fx, admin, paths } = await setup(2);
    const results = await Promise.allSettled(paths.map((p) => validatePath(t.db, admin, p)));
    assert.deepEqual(outcome(results), ["CP-ORDER-FUNGIBLE", "ok"]);
    assert.equal((await getOrderConsumption(t.db, admin, fx.orderId)).consumed.total, 4000);
  });

  test("CP-ORDER-FUNGIBLE two validated paths readjusted at once cannot both take the order beyond its total", async () => {
    // two paths of 2 000 min; each may grow to 3 500 alone (5 500), not both (7 000)
    const { fx, admin, paths, items } = await setup(2, 1760);
    for (const p of paths) await validatePath(t.db, admin, p);
    const results = await Promise.allSettled(paths.map((p) => savePlan(t.db, admin, p, plan(items(3260), { reason: "Renforcement" }))));
    assert.deepEqual(outcome(results), ["CP-ORDER-FUNGIBLE", "ok"]);
    assert.equal((await getOrderConsumption(t.db, admin, fx.orderId)).consumed.total, 5500);
  });
});
