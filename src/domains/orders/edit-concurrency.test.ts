// An order edit and a path save of the same order cannot cross: both take the order's row lock and
// judge what the other committed (CP-ORDER-FUNGIBLE). The race is real only with several connections.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { DomainError } from "../../core/errors.ts";
import { createTestContext, type TestContext } from "../../../test/support/app.ts";
import { usingPostgres } from "../../../test/support/db.ts";
import { createOrderFixture } from "../../../test/support/fixtures.ts";
import { actorOf, mod, plan, position, register } from "../paths/testing.ts";
import { getOrderConsumption, savePlan, validatePath } from "../paths/use-cases.ts";
import { updateOrder } from "./use-cases.ts";

const skip = usingPostgres ? false : "PostgreSQL only (set DATABASE_URL): PGlite runs one query at a time, so an edit and a save never overlap.";

describe("an order edit and a path save at once (PostgreSQL)", { skip }, () => {
  let t: TestContext;
  before(async () => {
    t = await createTestContext();
  });
  after(() => t?.close());

  const outcome = (results: PromiseSettledResult<unknown>[]) =>
    results.map((r) => (r.status === "fulfilled" ? "ok" : r.reason instanceof DomainError ? r.reason.code : String(r.reason))).sort();

  test("CP-ORDER-FUNGIBLE: shrinking the order while a path grows — each fits alone, not both: exactly one goes through", async () => {
    for (let round = 0; round < 5; round++) {
      // Ordered 6 000; one validated path of 4 000. The edit brings the order to 5 000 (fits 4 000);
      // the readjustment brings the path to 5 500 (fits 6 000). Together: 5 500 > 5 000.
      const fx = await createOrderFixture(t.db, { headcount: 1, centreMinutes: 6000, companyMinutes: 0 });
      const admin = await actorOf(t.db, fx.adminEmail);
      const region = await actorOf(t.db, fx.regionEmail);
      const { pathId } = await register(t.db, admin, fx);
      await position(t.db, admin, pathId, 240);
      await savePlan(t.db, admin, pathId, plan([mod(fx.moduleIds["Anglais général"], "centre", 3760)]));
      await validatePath(t.db, admin, pathId);
      const results = await Promise.allSettled([
        updateOrder(t.db, region, fx.orderId, { lines: [{ componentId: fx.componentId, siteIds: [fx.siteId], headcount: 1, averagePathCentreMinutes: 5000, averagePathCompanyMinutes: 0 }] }),
        savePlan(t.db, admin, pathId, plan([mod(fx.moduleIds["Anglais général"], "centre", 5260)], { reason: "Renforcement" })),
      ]);
      assert.deepEqual(outcome(results), ["CP-ORDER-FUNGIBLE", "ok"], `round ${round}`);
      const c = await getOrderConsumption(t.db, admin, fx.orderId);
      assert.ok(c.consumed.total <= c.ordered.total, `round ${round}: ${c.consumed.total} consumed for ${c.ordered.total} ordered`);
    }
  });
});
