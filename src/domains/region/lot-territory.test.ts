// CP-SITE-IN-LOT on a territory edit: a département leaves a lot only if no site in use there —
// of an accepted component of the lot, or named on an order line of the lot — lies in it.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createTestContext, type TestContext } from "../../../test/support/app.ts";
import { createOrderFixture, type OrderFixture } from "../../../test/support/fixtures.ts";
import { insertComponent, insertSite } from "../orders/test-fixtures.ts";

describe("CP-SITE-IN-LOT: shrinking a lot's territory under sites in use", () => {
  let t: TestContext;
  before(async () => {
    t = await createTestContext();
  });
  after(() => t.close());

  async function lot(fx: OrderFixture) {
    const row = await t.db.selectFrom("lot").selectAll().where("id", "=", fx.lotId).executeTakeFirstOrThrow();
    const region = await t.login(fx.regionEmail);
    const put = (departements: string[]) =>
      t.api("PUT", `/api/lots/${fx.lotId}`, region, { code: row.code, name: row.name, frameworkEnd: row.framework_end, departements, expectedComponents: [] });
    return { put };
  }

  test("CP-SITE-IN-LOT: removing a département where no site is in use passes; removing the one of an accepted component's and an order's site is refused", async () => {
    const fx = await createOrderFixture(t.db); // lot 31 + 81; the site of the accepted component and of the order line is in 31
    const { put } = await lot(fx);
    const kept = await put(["31"]);
    assert.equal(kept.status, 200, JSON.stringify(kept.body));
    assert.deepEqual(kept.body.departements, ["31"]);
    const refused = await put(["81"]);
    assert.equal(refused.status, 422);
    assert.equal(refused.body.code, "CP-SITE-IN-LOT");
    const v = refused.body.violations[0];
    assert.equal(v.field, "departements");
    assert.deepEqual(v.details.siteIds, [fx.siteId]);
    assert.match(v.message, /^Impossible de retirer le département 31 du lot : le site « Site \d+ » \(31\) — composante acceptée « Anglais professionnel \(CECRL B1\) » ; commande BC-\d+ \(« Anglais professionnel \(CECRL B1\) »\) est hors du territoire du lot \(départements 81\)/);
    const after = await t.db.selectFrom("lot_departement").select("departement_code").where("lot_id", "=", fx.lotId).execute();
    assert.deepEqual(after.map((d) => d.departement_code), ["31"], "nothing written");
  });

  test("CP-SITE-IN-LOT: a site named only on an order line holds the territory; a draft component's site does not", async () => {
    const fx = await createOrderFixture(t.db);
    const { put } = await lot(fx);
    // The component leaves the accepted offer; the order line still names its site (in 31).
    await t.db.updateTable("component").set({ offer_status: "submitted" }).where("id", "=", fx.componentId).execute();
    const held = await put(["81"]);
    assert.equal(held.status, 422);
    assert.equal(held.body.code, "CP-SITE-IN-LOT");
    assert.match(held.body.violations[0].message, /commande BC-\d+/);
    assert.doesNotMatch(held.body.violations[0].message, /composante acceptée/);
    // A draft component with a site in 81 does not hold 81.
    const albi = await insertSite(t.db, fx.providerId, "81");
    await insertComponent(t.db, { providerId: fx.providerId, lotId: fx.lotId, siteIds: [albi], title: "Brouillon", status: "draft" });
    assert.equal((await put(["31"])).status, 200);
  });

  test("CP-SITE-IN-LOT: an accepted component's site holds its département even with no order", async () => {
    const fx = await createOrderFixture(t.db);
    const { put } = await lot(fx);
    const albi = await insertSite(t.db, fx.providerId, "81", "Site d'Albi");
    await insertComponent(t.db, { providerId: fx.providerId, lotId: fx.lotId, siteIds: [albi], title: "CACES R489 chariots" });
    const res = await put(["31"]);
    assert.equal(res.status, 422);
    assert.deepEqual(res.body.violations[0].details.siteIds, [albi]);
    assert.match(res.body.detail, /le site « Site d'Albi » \(81\) — composante acceptée « CACES R489 chariots »/);
    // Adding a département is always possible.
    assert.equal((await put(["31", "81", "34"])).status, 200);
  });
});
