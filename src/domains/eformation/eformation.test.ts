// E-formation end to end through the pages and use cases (CP-EFORM-TYPICAL-WEEK, CP-EFORM-SYNC-MIN).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createTestContext, type PageSession, type TestContext } from "../../../test/support/app.ts";
import { createOrderFixture, type OrderFixture } from "../../../test/support/fixtures.ts";
import type { Actor } from "../../core/auth/actor.ts";
import { DomainError } from "../../core/errors.ts";
import { actorOf } from "../paths/testing.ts";
import * as uc from "./use-cases.ts";

describe("e-formation: typical week and the lot's minimum synchronous share", () => {
  let t: TestContext;
  let fx: OrderFixture;
  let other: OrderFixture;
  let admin: Actor;
  let region: Actor;
  let provider: PageSession;
  let regionPage: PageSession;

  before(async () => {
    t = await createTestContext();
    fx = await createOrderFixture(t.db, { eFormation: true });
    other = await createOrderFixture(t.db, { eFormation: true, lotId: fx.lotId });
    admin = await actorOf(t.db, fx.adminEmail);
    region = await actorOf(t.db, fx.regionEmail);
    provider = await t.pageSession(fx.adminEmail);
    regionPage = await t.pageSession(fx.regionEmail);
  });
  after(() => t.close());

  test("CP-EFORM-SYNC-MIN: the Region sets the lot's minimum on its page; a provider may not; 101 % is refused in French", async () => {
    const refused = await provider.post(`/eformation/lots/${fx.lotId}`, { [`min-${fx.lotId}`]: "50" });
    assert.equal(refused.status, 403);
    const bad = await regionPage.post(`/eformation/lots/${fx.lotId}`, { [`min-${fx.lotId}`]: "101" });
    assert.equal(bad.status, 422);
    assert.match(bad.html, /entre 0 et 100/);
    const ok = await regionPage.post(`/eformation/lots/${fx.lotId}`, { [`min-${fx.lotId}`]: "60" });
    assert.equal(ok.status, 303);
    const page = await regionPage.get("/eformation/lots");
    assert.match(page.html, /value="60"/);
  });

  test("CP-EFORM-TYPICAL-WEEK, CP-EFORM-SYNC-MIN: the provider's typical week exactly at 60 % passes, one minute under is refused next to the field", async () => {
    // 10 h tutorat + 6 h 40 self-study = 16 h 40 = 1 000 min: 600 synchronous is exactly 60 %.
    const ok = await provider.post(`/eformation/composantes/${fx.componentId}/semaine-type`, { tutorat: "10h", selfStudy: "6h40", gatherings: "0" });
    assert.equal(ok.status, 303, ok.html);
    const row = await t.db.selectFrom("eformation_week").selectAll().where("component_id", "=", fx.componentId).executeTakeFirstOrThrow();
    assert.deepEqual([row.tutorat_minutes, row.self_study_minutes, row.gathering_minutes], [600, 400, 0]);
    const under = await provider.post(`/eformation/composantes/${fx.componentId}/semaine-type`, { tutorat: "9h59", selfStudy: "6h41", gatherings: "0" });
    assert.equal(under.status, 422);
    assert.match(under.html, /CP-EFORM-SYNC-MIN/);
    assert.match(under.html, /aria-invalid="true"/);
    const kept = await t.db.selectFrom("eformation_week").select("tutorat_minutes").where("component_id", "=", fx.componentId).executeTakeFirstOrThrow();
    assert.equal(kept.tutorat_minutes, 600);
    const unreadable = await provider.post(`/eformation/composantes/${fx.componentId}/semaine-type`, { tutorat: "beaucoup", selfStudy: "1h", gatherings: "0" });
    assert.equal(unreadable.status, 422);
    assert.match(unreadable.html, /Tutorat/);
  });

  test("CP-EFORM-SYNC-MIN: a minimum raised after the week was declared shows the week as below it; the Region reads the component", async () => {
    await uc.setLotSyncMin(t.db, region, t.clock, fx.lotId, { syncMinPercent: 61 });
    const page = await regionPage.get(`/eformation/composantes/${fx.componentId}`);
    assert.equal(page.status, 200);
    assert.match(page.html, /CP-EFORM-SYNC-MIN/);
    await uc.setLotSyncMin(t.db, region, t.clock, fx.lotId, { syncMinPercent: 60 });
  });

  test("CP-EFORM-SYNC-MIN: a path whose plan falls below the lot's minimum is warned on the component's page", async () => {
    const traineeId = crypto.randomUUID();
    await t.db.insertInto("trainee").values({ id: traineeId, provider_id: fx.providerId, first_name: "Inès", last_name: "Roux", birth_date: "1990-01-01" }).execute();
    const pathId = crypto.randomUUID();
    await t.db.insertInto("path").values({ id: pathId, trainee_id: traineeId, order_id: fx.orderId, order_line_id: fx.orderLineId, provider_id: fx.providerId, site_id: fx.siteId, entry_date: "2026-04-01", planned_exit_date: "2026-07-01", updated_at: new Date() }).execute();
    await t.db.insertInto("path_item").values([
      { id: crypto.randomUUID(), path_id: pathId, label: "Tutorat", modality: "distance", planned_minutes: 599, position: 0 },
      { id: crypto.randomUUID(), path_id: pathId, label: "Autoformation", modality: "self_study", self_study_location: "remote", planned_minutes: 401, position: 1 },
    ]).execute();
    const page = await provider.get(`/eformation/composantes/${fx.componentId}`);
    assert.match(page.html, /Inès Roux : le temps synchrone prévu au parcours/);
    await t.db.updateTable("path_item").set({ planned_minutes: 600 }).where("path_id", "=", pathId).where("modality", "=", "distance").execute();
    await t.db.updateTable("path_item").set({ planned_minutes: 400 }).where("path_id", "=", pathId).where("modality", "=", "self_study").execute();
    const fine = await provider.get(`/eformation/composantes/${fx.componentId}`);
    assert.match(fine.html, /tous atteignent la part synchrone minimale/);
  });

  test("another provider's component answers as an unknown one; a component outside e-formation is not found here", async () => {
    await assert.rejects(uc.getComponent(t.db, admin, other.componentId), (e: unknown) => e instanceof DomainError && e.status === 404);
    const plain = await createOrderFixture(t.db, {});
    await assert.rejects(uc.getComponent(t.db, region, plain.componentId), (e: unknown) => e instanceof DomainError && e.status === 404);
    const page = await provider.get(`/eformation/composantes/${other.componentId}`);
    const unknown = await provider.get("/eformation/composantes/3f1d2c3b-0000-4000-8000-00000000dead");
    assert.equal(page.status, 404);
    assert.equal(page.html.replaceAll(other.componentId, "X"), unknown.html.replaceAll("3f1d2c3b-0000-4000-8000-00000000dead", "X"));
  });
});
