// SCHEDULE-TRAINER-OVERLAP under concurrent writers. The races are real on PostgreSQL (several
// connections); PGlite serialises every query on one connection, so there the same outcomes are only
// the sequential ones — the assertions hold on both.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createTestContext, createUser, type TestContext } from "../../../test/support/app.ts";
import { usingPostgres } from "../../../test/support/db.ts";
import { createOrderFixture, type OrderFixture } from "../../../test/support/fixtures.ts";
import { centreSlot, validatedPath } from "./testing.ts";

type Week = { id: string; date: string; startTime: string; startsAt: string; endsAt: string; status: string }[];

describe(`SCHEDULE-TRAINER-OVERLAP under concurrent writers (${usingPostgres ? "PostgreSQL" : "PGlite, serialised"})`, () => {
  let t: TestContext;
  let f: OrderFixture;
  let admin: string;
  let paths: string[];
  let fanny: string;
  let remi: string;
  let sarah: string;

  before(async () => {
    t = await createTestContext("2026-03-01T09:00:00Z");
    f = await createOrderFixture(t.db);
    paths = [];
    for (const name of ["Alice", "Bruno", "Chloé", "David", "Emma", "Farid"]) paths.push((await validatedPath(t.db, f, { firstName: name, lastName: "Test" })).pathId);
    fanny = await createUser(t.db, { email: "fanny@organisme.test", role: "trainer", providerId: f.providerId, fullName: "Fanny Formatrice" });
    remi = await createUser(t.db, { email: "remi@organisme.test", role: "trainer", providerId: f.providerId, fullName: "Rémi Remplaçant" });
    sarah = await createUser(t.db, { email: "sarah@organisme.test", role: "trainer", providerId: f.providerId, fullName: "Sarah Suppléante" });
    admin = await t.login(f.adminEmail);
  });
  after(() => t?.close());

  const statuses = (results: { status: number; body: { code?: string } }[]) => results.map((r) => (r.status === 201 || r.status === 200 ? "ok" : `${r.status} ${r.body.code}`)).sort();
  const fannysWeek = async (week: string) => ((await t.api("GET", `/api/slots?week=${week}&trainerId=${fanny}`, admin)).body.slots as Week).filter((s) => s.status !== "cancelled");
  const noOverlap = (slots: Week) => {
    for (const x of slots) for (const y of slots) if (x.id !== y.id) assert.ok(!(x.startsAt < y.endsAt && y.startsAt < x.endsAt), `${x.date} ${x.startTime} and ${y.startTime} overlap`);
  };

  test("SCHEDULE-TRAINER-OVERLAP: six overlapping slots for one trainer created at once (six trainees) → exactly one created", async () => {
    const results = await Promise.all(paths.map((p, i) => t.api("POST", "/api/slots", admin, centreSlot(f, [p], "2026-03-02", `09:${String(i * 5).padStart(2, "0")}`, "11:00", { trainerId: fanny }))));
    assert.deepEqual(statuses(results), ["422 SCHEDULE-TRAINER-OVERLAP", "422 SCHEDULE-TRAINER-OVERLAP", "422 SCHEDULE-TRAINER-OVERLAP", "422 SCHEDULE-TRAINER-OVERLAP", "422 SCHEDULE-TRAINER-OVERLAP", "ok"]);
    assert.equal((await fannysWeek("2026-W10")).length, 1);
  });

  test("SCHEDULE-TRAINER-OVERLAP: a creation, an edit and a replacement giving the trainer the same hour at once → exactly one succeeds", async () => {
    const day = "2026-03-03";
    const remis = await t.api("POST", "/api/slots", admin, centreSlot(f, [paths[0]], day, "14:00", "15:00", { trainerId: remi }));
    const sarahs = await t.api("POST", "/api/slots", admin, centreSlot(f, [paths[1]], day, "16:00", "17:00", { trainerId: sarah }));
    assert.equal((await t.api("POST", `/api/slots/${remis.body.id}/cancel`, admin, { reason: "Formateur malade", trainerAbsence: true })).status, 200);
    const edit = { pathIds: [paths[1]], moduleId: f.moduleIds["Anglais général"], siteId: f.siteId, date: day, startTime: "14:30", endTime: "15:30", modality: "centre", trainerId: fanny };
    const results = await Promise.all([
      t.api("POST", "/api/slots", admin, centreSlot(f, [paths[2]], day, "14:15", "15:15", { trainerId: fanny })),
      t.api("PUT", `/api/slots/${sarahs.body.id}`, admin, edit),
      t.api("POST", `/api/slots/${remis.body.id}/replacement`, admin, { replacementTrainerId: fanny }),
    ]);
    assert.deepEqual(statuses(results), ["422 SCHEDULE-TRAINER-OVERLAP", "422 SCHEDULE-TRAINER-OVERLAP", "ok"]);
    const week = (await fannysWeek("2026-W10")).filter((s) => s.date === day);
    assert.equal(week.length, 1);
  });

  test("SCHEDULE-TRAINER-OVERLAP: generating a week for a trainer while slots are typed for them → no overlap, no deadlock, every refusal named", async () => {
    const typed = ["2026-03-09", "2026-03-10", "2026-03-11"].map((d, i) => t.api("POST", "/api/slots", admin, centreSlot(f, [paths[3 + i]], d, "10:00", "11:00", { trainerId: fanny })));
    const generated = t.api("POST", "/api/slots/generate", admin, { orderLineId: f.orderLineId, week: "2026-W11", trainerId: fanny });
    const results = await Promise.all([...typed, generated]);
    for (const r of results) assert.ok(r.status === 201 || (r.status === 422 && r.body.code === "SCHEDULE-TRAINER-OVERLAP"), JSON.stringify(r.body));
    const gen = results[3].body as { created: string[]; skipped: { code?: string }[] };
    const typedOk = results.slice(0, 3).filter((r) => r.status === 201).length;
    assert.equal(gen.skipped.filter((s) => s.code === "SCHEDULE-TRAINER-OVERLAP").length, typedOk, "a half-day skipped for each typed slot that came first");
    assert.equal(gen.created.length + typedOk, 10, "each morning Mon–Wed taken by one or the other, the rest generated");
    const week = await fannysWeek("2026-W11");
    assert.equal(week.length, 10);
    noOverlap(week);
  });
});
