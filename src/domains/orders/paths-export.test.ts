// An order's paths exported as CSV for French Excel (BOM, ';', decimal comma), from the order page.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createTestContext, type TestContext } from "../../../test/support/app.ts";
import { createOrderFixture, type OrderFixture } from "../../../test/support/fixtures.ts";
import { actorOf, mod, plan, position, register } from "../paths/testing.ts";
import { savePlan, validatePath } from "../paths/use-cases.ts";

describe("order page: the paths as CSV (Excel-FR)", () => {
  let t: TestContext;
  let fx: OrderFixture;
  let other: OrderFixture;
  before(async () => {
    t = await createTestContext("2026-03-02T09:00:00Z");
    fx = await createOrderFixture(t.db);
    other = await createOrderFixture(t.db);
    const admin = await actorOf(t.db, fx.adminEmail);
    const { pathId } = await register(t.db, admin, fx, { lastName: "Exporté" });
    await position(t.db, admin, pathId, 240);
    await savePlan(t.db, admin, pathId, plan([mod(fx.moduleIds["Anglais général"], "centre", 1770)]));
    await validatePath(t.db, admin, pathId);
  });
  after(() => t.close());

  test("UTF-8 BOM, ';' separator, hours with a decimal comma; linked from the order page; another provider gets 404", async () => {
    const s = await t.pageSession(fx.adminEmail);
    const page = await s.get(`/commandes/${fx.orderId}`);
    assert.match(page.html, new RegExp(`/commandes/${fx.orderId}/parcours.csv`));
    const res = await t.app.request(`/commandes/${fx.orderId}/parcours.csv`, { headers: { authorization: `Bearer ${await t.login(fx.adminEmail)}` } });
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /text\/csv/);
    const bytes = new Uint8Array(await res.arrayBuffer());
    assert.deepEqual([...bytes.slice(0, 3)], [0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes.slice(3));
    const [head, row] = text.split("\r\n");
    assert.equal(head, "Stagiaire;Composante;État;Entrée;Sortie prévue;Sortie réelle;Heures prévues;Heures réalisées;Identifiant du parcours");
    assert.match(row, /Exporté;/);
    assert.match(row, /;33,5;4;/, "240 + 1 770 min = 33,5 h planned; realised: the recorded positioning, 4 h");
    const theirs = await t.app.request(`/commandes/${fx.orderId}/parcours.csv`, { headers: { authorization: `Bearer ${await t.login(other.adminEmail)}` } });
    assert.equal(theirs.status, 404);
  });
});
