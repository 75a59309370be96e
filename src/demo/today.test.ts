import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { sql } from "kysely";
import { createTestDatabase } from "../../test/support/db.ts";
import { myDay, verifyProofs } from "../domains/attendance/use-cases.ts";
import { TRAINEE_EMAIL } from "./organisations.ts";
import { loadDemoIfEmpty } from "./seed.ts";

// The demo can be tried any day: whatever the date, a trainer has a slot open now or within the
// hour and the demo trainee something to sign; no trainer leads two slots at once.
const DAYS = [
  { what: "a Sunday in August (summer time)", now: new Date("2026-08-16T08:10:00Z") },
  { what: "a Monday in February (winter time)", now: new Date("2027-02-01T14:50:00Z") },
];

for (const day of DAYS) {
  describe(`demo tried on ${day.what}`, () => {
    test("a trainer's slot is open now or within the hour, the demo trainee has it to sign, SCHEDULE-TRAINER-OVERLAP holds, proofs verify", async () => {
      const database = await createTestDatabase();
      try {
        const db = database.db;
        const result = await loadDemoIfEmpty(db, { now: day.now });
        assert.equal(result.loaded, true);
        const soon = new Date(day.now.getTime() + 60 * 60_000);
        const slots = await db
          .selectFrom("slot as s")
          .innerJoin("app_user as u", "u.id", "s.trainer_id")
          .select(["s.id", "s.status", "s.starts_at", "s.ends_at", "u.role", "u.email"])
          .where("s.status", "in", ["planned", "open"])
          .where("s.starts_at", "<=", soon)
          .where("s.ends_at", ">", day.now)
          .execute();
        assert.ok(slots.some((s) => s.role === "trainer"), `no trainer's slot open now or within the hour: ${JSON.stringify(slots)}`);

        const trainee = await db.selectFrom("app_user").select("trainee_id").where("email", "=", TRAINEE_EMAIL).executeTakeFirstOrThrow();
        const mine = await myDay(db, trainee.trainee_id as string, day.now);
        const toSign = mine.filter((s) => s.status === "open" && !s.recorded);
        assert.ok(toSign.length >= 1, `the demo trainee has nothing to sign: ${JSON.stringify(mine)}`);
        const signed = await db.selectFrom("attendance").select("id").where("slot_id", "in", toSign.map((s) => s.id)).where("path_id", "in", db.selectFrom("path").select("id").where("trainee_id", "=", trainee.trainee_id as string)).execute();
        assert.equal(signed.length, 0);

        // SCHEDULE-TRAINER-OVERLAP over the whole demo: no person leads two slots that overlap.
        const overlaps = await sql<{ n: number }>`
          select count(*)::int as n from slot a join slot b
            on a.id < b.id and coalesce(a.replacement_trainer_id, a.trainer_id) = coalesce(b.replacement_trainer_id, b.trainer_id)
           and a.starts_at < b.ends_at and b.starts_at < a.ends_at
           and a.status <> 'cancelled' and b.status <> 'cancelled'`.execute(db);
        assert.equal(overlaps.rows[0].n, 0, "SCHEDULE-TRAINER-OVERLAP: a demo trainer leads two slots at once");

        const report = await verifyProofs(db);
        assert.deepEqual(report.broken, []);
      } finally {
        await database.close();
      }
    });
  });
}

describe("printed demo logins", () => {
  test("each account says its role as the README's table names it (roleLabels)", async () => {
    const { roleLabels } = await import("../core/auth/actor.ts");
    const { demoLogins } = await import("./organisations.ts");
    const { AMI_LOGINS } = await import("./ami.ts");
    const { ACCESS_SITE_LOGINS } = await import("./access-sites.ts");
    const labels = Object.values(roleLabels).map((l) => l.replace(" (organisme)", ""));
    for (const l of [...demoLogins(), ...AMI_LOGINS, ...ACCESS_SITE_LOGINS]) assert.ok(labels.some((label) => l.role === label || l.role.startsWith(`${label} — `)), l.role);
    assert.ok(demoLogins().some((l) => l.role === "Formateur·rice — Garonne"));
  });
});
