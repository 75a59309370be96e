// The demo's e-formation access sites (CP-EFORM-SITES) and multi-département group (CP-EFORM-REGIONAL-RECRUIT).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createTestDatabase } from "../../test/support/db.ts";
import type { Database } from "../core/db/index.ts";
import { loadDemoIfEmpty } from "./seed.ts";

describe("demo: access sites and the e-formation group", () => {
  let database: Database;
  before(async () => {
    database = await createTestDatabase(1);
    await loadDemoIfEmpty(database.db, { now: new Date("2026-11-22T10:00:00Z"), password: "demo-password-test" });
  });
  after(() => database?.close());

  test("CP-EFORM-SITES: three access sites; seats booked at two of them for the e-formation order, one trainee moved home", async () => {
    const db = database.db;
    assert.equal((await db.selectFrom("access_site").select("id").execute()).length, 3);
    const bookings = await db.selectFrom("seat_booking").select(["access_site_id", "status", "cancel_reason"]).execute();
    assert.equal(new Set(bookings.map((b) => b.access_site_id)).size, 2);
    assert.ok(bookings.some((b) => b.cancel_reason === "home"));
  });

  test("CP-EFORM-SITES: the Cahors site's staff account (printed in the demo logins) belongs to the Cahors site, which has bookings", async () => {
    const db = database.db;
    const { SITE_STAFF_EMAIL } = await import("./access-sites.ts");
    const u = await db.selectFrom("app_user").innerJoin("access_site as s", "s.id", "app_user.access_site_id").select(["app_user.role", "s.commune", "s.id"]).where("email", "=", SITE_STAFF_EMAIL).executeTakeFirstOrThrow();
    assert.deepEqual([u.role, u.commune], ["access_site_staff", "Cahors"]);
    assert.ok((await db.selectFrom("seat_booking").select("id").where("access_site_id", "=", u.id).execute()).length > 0);
    const { logins } = await loadDemoIfEmpty(db, { password: "demo-password-test" });
    assert.ok(logins.some((l) => l.email === SITE_STAFF_EMAIL));
  });

  test("CP-EFORM-REGIONAL-RECRUIT: the e-formation session's trainees come from several départements", async () => {
    const rows = await database.db
      .selectFrom("candidacy as ca")
      .innerJoin("candidate as cd", "cd.id", "ca.candidate_id")
      .innerJoin("session as s", "s.id", "ca.session_id")
      .innerJoin("order_line as ol", "ol.id", "s.order_line_id")
      .innerJoin("component as c", "c.id", "ol.component_id")
      .select("cd.residence_departement_code")
      .where("c.e_formation", "=", true)
      .where("ca.status", "=", "entered")
      .execute();
    assert.ok(new Set(rows.map((r) => r.residence_departement_code)).size >= 3);
  });

  test("CP-EFORM-WELCOME-DAY, CP-WEBCONF, CP-PROTOCOL: a welcome day with its deliveries (one missing), the tools accepted, a protocol signed by both parties", async () => {
    const db = database.db;
    const welcome = await db.selectFrom("eformation_gathering").select("id").where("kind", "=", "welcome_day").execute();
    assert.equal(welcome.length, 1);
    const deliveries = await db.selectFrom("eformation_delivery").select(["path_id", "item"]).where("gathering_id", "=", welcome[0].id).execute();
    const paths = new Set(deliveries.map((d) => d.path_id));
    assert.ok(paths.size >= 2);
    assert.equal(deliveries.length, paths.size * 3 - 1, "every trainee received everything but one set of materials");
    assert.equal((await db.selectFrom("eformation_webconf").select("status").executeTakeFirstOrThrow()).status, "accepted");
    const signatures = await db.selectFrom("eformation_protocol_signature").select("party").execute();
    assert.deepEqual(signatures.map((s) => s.party).sort(), ["provider", "trainee"]);
  });
});
