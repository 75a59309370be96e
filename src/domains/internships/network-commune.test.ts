// CP-COMPANY-NETWORK: searching the network by distance from a commune (its known points in the
// network), and by département when no coordinates are known for the commune.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createTestContext, type TestContext } from "../../../test/support/app.ts";
import { createOrderFixture, type OrderFixture } from "../../../test/support/fixtures.ts";
import { actorOf } from "../paths/testing.ts";
import { createCompany, searchCompanies } from "./use-cases.ts";

describe("CP-COMPANY-NETWORK: search by commune", () => {
  let t: TestContext;
  let fx: OrderFixture;
  before(async () => {
    t = await createTestContext("2026-03-01T09:00:00Z");
    fx = await createOrderFixture(t.db);
  });
  after(() => t.close());

  test("CP-COMPANY-NETWORK: distance from a commune's known point, limited by km; a commune without a point falls back to its département", async () => {
    const admin = await actorOf(t.db, fx.adminEmail);
    const add = (siret: string, name: string, commune: string, communeInsee: string, postcode: string, latitude?: number, longitude?: number) =>
      createCompany(t.db, admin, { siret, name, address: "1 place", postcode, commune, communeInsee, sector: "Commerce", romeCodes: ["D1106"], latitude, longitude });
    await add("73282932000025", "Toulouse Centre", "Toulouse", "31555", "31000", 43.6045, 1.4442);
    await add("73282932000033", "Muret", "Muret", "31395", "31600", 43.4614, 1.3269);
    await add("73282932000041", "Montpellier", "Montpellier", "34172", "34000", 43.6108, 3.8767);
    await add("73282932000058", "Colomiers sans point", "Colomiers", "31149", "31770");
    const near = await searchCompanies(t.db, admin, { commune: "Toulouse", km: "25" });
    assert.deepEqual(near.map((c) => [c.name, c.km]), [["Toulouse Centre", 0], ["Muret", 19]]);
    const all = await searchCompanies(t.db, admin, { commune: "31555" });
    assert.deepEqual(all.map((c) => c.name), ["Toulouse Centre", "Muret", "Montpellier"], "sorted by distance; companies without coordinates cannot be placed");
    const fallback = await searchCompanies(t.db, admin, { commune: "31149" });
    assert.deepEqual(fallback.map((c) => [c.name, c.km]).sort(), [["Colomiers sans point", null], ["Muret", null], ["Toulouse Centre", null]]);
    assert.deepEqual(await searchCompanies(t.db, admin, { commune: "Inconnue" }), []);
  });
});
