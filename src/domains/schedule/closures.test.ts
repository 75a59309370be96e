// CP-CLOSURE-MAX-2W through the API and the page: the run of consecutive closed days of a site
// (closures that touch or overlap, however many) is judged, not each closure alone (§12.9).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createTestContext, type TestContext } from "../../../test/support/app.ts";
import { usingPostgres } from "../../../test/support/db.ts";
import { createOrderFixture, type OrderFixture } from "../../../test/support/fixtures.ts";

describe(`CP-CLOSURE-MAX-2W: closures as runs (${usingPostgres ? "PostgreSQL" : "PGlite"})`, () => {
  let t: TestContext;
  let f: OrderFixture;
  let admin: string;

  before(async () => {
    t = await createTestContext("2026-03-01T09:00:00Z");
    f = await createOrderFixture(t.db);
    admin = await t.login(f.adminEmail);
  });
  after(() => t?.close());

  const close = (startDate: string, endDate: string, siteId = f.siteId) => t.api("POST", "/api/site-closures", admin, { siteId, startDate, endDate, reason: "Fermeture" });

  test("CP-CLOSURE-MAX-2W: three touching closures totalling 14 days pass, a fourth day touching them fails", async () => {
    assert.equal((await close("2026-08-01", "2026-08-05")).status, 201);
    assert.equal((await close("2026-08-11", "2026-08-14")).status, 201, "not touching yet: 6–10 August open");
    assert.equal((await close("2026-08-06", "2026-08-10")).status, 201, "joins both: 1–14 August, 14 days");
    const fifteenth = await close("2026-08-15", "2026-08-15");
    assert.equal(fifteenth.status, 422);
    assert.equal(fifteenth.body.code, "CP-CLOSURE-MAX-2W");
    assert.match(fifteenth.body.detail, /les 3 fermetures qu'elle touche ou chevauche, de proche en proche, le site serait fermé du 01\/08\/2026 au 15\/08\/2026, soit 15/);
    const before = await close("2026-07-31", "2026-07-31");
    assert.equal(before.body.code, "CP-CLOSURE-MAX-2W", "the day before the run as well");
    assert.equal((await close("2026-08-16", "2026-08-16")).status, 201, "a one-day gap starts another run");
  });

  test("CP-CLOSURE-MAX-2W: overlapping closures merge — their common days count once", async () => {
    assert.equal((await close("2026-10-01", "2026-10-10")).status, 201);
    assert.equal((await close("2026-10-05", "2026-10-12")).status, 201, "1–12 October, 12 days");
    assert.equal((await close("2026-10-08", "2026-10-14")).status, 201, "1–14 October, 14 days");
    assert.equal((await close("2026-10-02", "2026-10-15")).body.code, "CP-CLOSURE-MAX-2W", "1–15 October, 15 days");
  });

  test("CP-CLOSURE-MAX-2W: runs are per site — another site of the provider closed the same days is its own run", async () => {
    const other = crypto.randomUUID();
    await t.db.insertInto("site").values({ id: other, provider_id: f.providerId, name: "Site annexe", address: "3 rue du Test", postcode: "31000", commune: "Toulouse", departement_code: "31" }).execute();
    assert.equal((await close("2026-08-15", "2026-08-15", other)).status, 201);
  });

  test("CP-CLOSURE-MAX-2W on the page: the refusal names the rule and keeps what was typed", async () => {
    const staff = await t.pageSession(f.adminEmail);
    const res = await staff.post("/planning/fermetures", { siteId: f.siteId, startDate: "2026-10-15", endDate: "2026-10-15", reason: "Pont" });
    assert.equal(res.status, 422);
    assert.match(res.html, /CP-CLOSURE-MAX-2W/);
    assert.match(res.html, /du 01\/10\/2026 au 15\/10\/2026, soit 15/);
    assert.match(res.html, /value="2026-10-15"/);
    assert.match(res.html, /value="Pont"/);
  });
});
