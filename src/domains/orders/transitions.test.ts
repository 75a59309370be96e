// The order's declared workflow (ORDER_TRANSITIONS) and the one function that applies it.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { judgeTransition, nextStatuses } from "../../core/workflow.ts";
import { createTestContext, type TestContext } from "../../../test/support/app.ts";
import { createOrderFixture } from "../../../test/support/fixtures.ts";
import { actorOf, register } from "../paths/testing.ts";
import { ORDER_TRANSITIONS } from "./rules.ts";

describe("order workflow table (pure)", () => {
  test("issued → closed is the only move; a closed order stays closed", () => {
    assert.deepEqual(nextStatuses(ORDER_TRANSITIONS, "issued"), ["closed"]);
    assert.deepEqual(nextStatuses(ORDER_TRANSITIONS, "closed"), []);
    assert.equal(judgeTransition(ORDER_TRANSITIONS, "issued", "closed", "region_officer", {}).ok, true);
    const twice = judgeTransition(ORDER_TRANSITIONS, "closed", "closed", "region_officer", {});
    assert.equal(!twice.ok && twice.kind, "status");
    const back = judgeTransition(ORDER_TRANSITIONS, "closed", "issued", "region_officer", {});
    assert.equal(!back.ok && back.kind, "status");
  });

  test("only the Region closes an order", () => {
    for (const role of ["provider_admin", "pedagogical_referent", "trainer", "prescriber", "trainee"] as const) {
      const verdict = judgeTransition(ORDER_TRANSITIONS, "issued", "closed", role, {});
      assert.equal(!verdict.ok && verdict.kind, "role", role);
    }
  });

  test("ORDER_PATHS_RUNNING guard: no path running passes, one draft or one validated refuses (409)", () => {
    assert.equal(judgeTransition(ORDER_TRANSITIONS, "issued", "closed", "region_officer", { running: { draft: 0, validated: 0 } }).ok, true);
    for (const running of [{ draft: 1, validated: 0 }, { draft: 0, validated: 1 }]) {
      const verdict = judgeTransition(ORDER_TRANSITIONS, "issued", "closed", "region_officer", { running });
      assert.ok(!verdict.ok && verdict.kind === "guard" && verdict.status === 409 && verdict.violations[0].code === "ORDER_PATHS_RUNNING", JSON.stringify(running));
    }
  });
});

describe("order transitions: lock, conditional update, transition log", () => {
  let t: TestContext;
  before(async () => {
    t = await createTestContext("2027-01-10T09:00:00Z");
  });
  after(() => t.close());

  test("closing writes one transition row (issued → closed, by whom); a refused close writes none", async () => {
    const fx = await createOrderFixture(t.db);
    const region = await t.login(fx.regionEmail);
    const regionId = (await actorOf(t.db, fx.regionEmail)).userId;
    const { pathId } = await register(t.db, await actorOf(t.db, fx.adminEmail), fx);
    const running = await t.api("POST", `/api/orders/${fx.orderId}/close`, region);
    assert.equal(running.status, 409);
    assert.equal(running.body.code, "ORDER_PATHS_RUNNING");
    await t.db.deleteFrom("path").where("id", "=", pathId).execute();
    assert.equal((await t.api("POST", `/api/orders/${fx.orderId}/close`, region)).status, 200);
    const again = await t.api("POST", `/api/orders/${fx.orderId}/close`, region);
    assert.equal(again.status, 409);
    assert.equal(again.body.code, "ORDER_CLOSED");
    assert.match(again.body.detail, /déjà close/);
    const rows = await t.db.selectFrom("transition_log").select(["from_status", "to_status", "actor_id"]).where("entity", "=", "order").where("entity_id", "=", fx.orderId).execute();
    assert.deepEqual(rows, [{ from_status: "issued", to_status: "closed", actor_id: regionId }]);
  });
});
