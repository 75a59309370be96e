// The schedule through the JSON API: rules at their boundaries, DST, closures, access scoping.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createTestContext, createUser, type TestContext } from "../../../test/support/app.ts";
import { createOrderFixture, type OrderFixture } from "../../../test/support/fixtures.ts";
import { centreSlot, validatedPath } from "./testing.ts";
import { getSlot, slotsOfPath } from "./use-cases.ts";

describe("schedule API", () => {
  let t: TestContext;
  let f: OrderFixture;
  let other: OrderFixture;
  let admin: string;
  let otherAdmin: string;
  let a: { pathId: string; traineeId: string };
  let b: { pathId: string; traineeId: string };
  let trainerId: string;
  let replacementId: string;

  before(async () => {
    t = await createTestContext("2026-03-01T09:00:00Z");
    f = await createOrderFixture(t.db);
    other = await createOrderFixture(t.db);
    a = await validatedPath(t.db, f, { firstName: "Alice", lastName: "Martin" });
    b = await validatedPath(t.db, f, { firstName: "Bruno", lastName: "Petit", company: 4200 });
    trainerId = await createUser(t.db, { email: "formatrice@organisme.test", role: "trainer", providerId: f.providerId, fullName: "Fanny Formatrice" });
    replacementId = await createUser(t.db, { email: "remplacant@organisme.test", role: "trainer", providerId: f.providerId, fullName: "Rémi Remplaçant" });
    admin = await t.login(f.adminEmail);
    otherAdmin = await t.login(other.adminEmail);
  });
  after(() => t.close());

  test("a group slot is created; starts_at/ends_at are the Europe/Paris times in UTC; other domains read it with getSlot and slotsOfPath", async () => {
    const res = await t.api("POST", "/api/slots", admin, centreSlot(f, [a.pathId, b.pathId], "2026-03-02", "09:00", "12:30", { trainerId }));
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const slot = await getSlot(t.db, res.body.id);
    assert.equal(slot?.startsAt.toISOString(), "2026-03-02T08:00:00.000Z");
    assert.equal(slot?.endsAt.toISOString(), "2026-03-02T11:30:00.000Z");
    assert.equal(slot?.minutes, 210);
    assert.deepEqual(slot?.trainees.map((x) => x.lastName), ["Martin", "Petit"]);
    assert.equal(slot?.trainerName, "Fanny Formatrice");
    assert.equal(slot?.moduleTitle, "Anglais général");
    assert.equal((await slotsOfPath(t.db, a.pathId)).length, 1);
  });

  test("DST: a slot on the Monday after the spring change starts at 07:00 UTC, the Friday before at 08:00 UTC", async () => {
    const before = await t.api("POST", "/api/slots", admin, centreSlot(f, [a.pathId], "2026-03-27", "09:00", "10:00"));
    const afterDst = await t.api("POST", "/api/slots", admin, centreSlot(f, [a.pathId], "2026-03-30", "09:00", "10:00"));
    const onDst = await t.api("POST", "/api/slots", admin, centreSlot(f, [a.pathId], "2026-03-29", "09:00", "10:00"));
    assert.equal((await t.api("GET", `/api/slots/${before.body.id}`, admin)).body.startsAt, "2026-03-27T08:00:00.000Z");
    assert.equal((await t.api("GET", `/api/slots/${afterDst.body.id}`, admin)).body.startsAt, "2026-03-30T07:00:00.000Z");
    assert.equal((await t.api("GET", `/api/slots/${onDst.body.id}`, admin)).body.startsAt, "2026-03-29T07:00:00.000Z");
  });

  test("a trainee is in one slot at a time (SLOT-OVERLAP); touching slots pass", async () => {
    const clash = await t.api("POST", "/api/slots", admin, centreSlot(f, [b.pathId], "2026-03-02", "12:00", "13:00"));
    assert.equal(clash.status, 422);
    assert.equal(clash.body.code, "SLOT-OVERLAP");
    const touching = await t.api("POST", "/api/slots", admin, centreSlot(f, [b.pathId], "2026-03-02", "12:30", "13:00"));
    assert.equal(touching.status, 201, JSON.stringify(touching.body));
  });

  test("public holiday: Easter Monday 2026 is refused without override, accepted with it", async () => {
    const refused = await t.api("POST", "/api/slots", admin, centreSlot(f, [a.pathId], "2026-04-06"));
    assert.equal(refused.status, 422);
    assert.equal(refused.body.code, "PUBLIC-HOLIDAY");
    assert.match(refused.body.detail, /Lundi de Pâques/);
    const kept = await t.api("POST", "/api/slots", admin, centreSlot(f, [a.pathId], "2026-04-06", "09:00", "12:30", { holidayOverride: true }));
    assert.equal(kept.status, 201, JSON.stringify(kept.body));
  });

  test("CP-WEEKLY-LEGAL: 35 h of company in a Monday–Sunday week pass, 35 h 01 fail; the next Monday is another week", async () => {
    const company = (date: string, start: string, end: string) => ({ orderLineId: f.orderLineId, pathIds: [b.pathId], date, startTime: start, endTime: end, modality: "company", place: "Boulangerie Dupont" });
    for (const d of ["2026-03-09", "2026-03-10", "2026-03-11", "2026-03-12", "2026-03-13"]) {
      const r = await t.api("POST", "/api/slots", admin, company(d, "09:00", "16:00"));
      assert.equal(r.status, 201, JSON.stringify(r.body));
    }
    const sunday = await t.api("POST", "/api/slots", admin, company("2026-03-15", "10:00", "10:01"));
    assert.equal(sunday.status, 422);
    assert.equal(sunday.body.code, "CP-WEEKLY-LEGAL");
    assert.match(sunday.body.detail, /35 h 01 min/);
    const monday = await t.api("POST", "/api/slots", admin, company("2026-03-16", "10:00", "10:01"));
    assert.equal(monday.status, 201, "Monday 16 March starts a new week");
    // Centre hours on top of 35 h of company: a warning, not a refusal.
    const centre = await t.api("POST", "/api/slots", admin, centreSlot(f, [b.pathId], "2026-03-14", "09:00", "09:01"));
    assert.equal(centre.status, 201);
    assert.deepEqual(centre.body.warnings.map((v: { code: string; severity: string }) => `${v.code}/${v.severity}`), ["CP-WEEKLY-LEGAL/warning"]);
  });

  test("CP-WEEKLY-LEGAL: editing a slot judges the week without counting the slot twice", async () => {
    const week = await t.api("GET", "/api/slots?week=2026-W11", admin);
    const friday = week.body.slots.find((s: { date: string; modality: string }) => s.date === "2026-03-13" && s.modality === "company");
    const body = { pathIds: [b.pathId], date: "2026-03-13", startTime: "09:00", endTime: "16:00", modality: "company", place: "Boulangerie Dupont" };
    assert.equal((await t.api("PUT", `/api/slots/${friday.id}`, admin, body)).status, 200);
    const longer = await t.api("PUT", `/api/slots/${friday.id}`, admin, { ...body, endTime: "16:01" });
    assert.equal(longer.body.code, "CP-WEEKLY-LEGAL");
  });

  test("CP-SELFSTUDY-DEFINED: a self-study slot needs objectives, deliverables and resources; it shows as self-study", async () => {
    const base = { orderLineId: f.orderLineId, pathIds: [a.pathId], moduleId: f.moduleIds["Autoformation guidée"], date: "2026-03-03", startTime: "14:00", endTime: "16:00", modality: "self_study", selfStudyLocation: "remote", objectives: "Réviser le présent simple", deliverables: "Exercices 1 à 10" };
    const refused = await t.api("POST", "/api/slots", admin, base);
    assert.equal(refused.status, 422);
    assert.equal(refused.body.code, "CP-SELFSTUDY-DEFINED");
    assert.equal(refused.body.violations[0].field, "resources");
    const ok = await t.api("POST", "/api/slots", admin, { ...base, resources: "Parcours Moodle « Anglais B1 »" });
    assert.equal(ok.status, 201);
    const slot = (await t.api("GET", `/api/slots/${ok.body.id}`, admin)).body;
    assert.equal(slot.modality, "self_study");
    assert.equal(slot.selfStudyLocation, "remote");
    assert.equal(slot.resources, "Parcours Moodle « Anglais B1 »");
  });

  test("a slot lies within each trainee's path and only on validated paths of the slot's order line", async () => {
    const early = await t.api("POST", "/api/slots", admin, centreSlot(f, [a.pathId], "2026-03-01"));
    assert.equal(early.body.code, "SLOT-TRAINEE");
    const late = await t.api("POST", "/api/slots", admin, centreSlot(f, [a.pathId], "2026-07-01"));
    assert.equal(late.body.code, "SLOT-TRAINEE");
    const last = await t.api("POST", "/api/slots", admin, centreSlot(f, [a.pathId], "2026-06-30"));
    assert.equal(last.status, 201, "the planned exit day is inside the path");
    const draft = await t.api("POST", "/api/trainees", admin, { firstName: "Dora", lastName: "Brouillon", birthDate: "1990-01-01", jobSeekerRegistered: true, orderLineId: f.orderLineId, siteId: f.siteId, entryDate: "2026-03-02", plannedExitDate: "2026-06-30" });
    const onDraft = await t.api("POST", "/api/slots", admin, centreSlot(f, [draft.body.pathId], "2026-03-04"));
    assert.equal(onDraft.body.code, "SLOT-TRAINEE");
    assert.match(onDraft.body.detail, /n'est pas validé/);
  });

  test("CP-CLOSURE-MAX-2W: 14 days pass, 15 fail (API and database CHECK); a closure touching another counts as one; no slot on a closed day", async () => {
    const fourteen = await t.api("POST", "/api/site-closures", admin, { siteId: f.siteId, startDate: "2026-04-13", endDate: "2026-04-26", reason: "Travaux" });
    assert.equal(fourteen.status, 201, JSON.stringify(fourteen.body));
    const fifteen = await t.api("POST", "/api/site-closures", admin, { siteId: f.siteId, startDate: "2026-08-03", endDate: "2026-08-17", reason: "Été" });
    assert.equal(fifteen.status, 422);
    assert.equal(fifteen.body.code, "CP-CLOSURE-MAX-2W");
    const adjacent = await t.api("POST", "/api/site-closures", admin, { siteId: f.siteId, startDate: "2026-04-27", endDate: "2026-04-27", reason: "Pont" });
    assert.equal(adjacent.body.code, "CP-CLOSURE-MAX-2W", "13–26 April + 27 April = 15 consecutive days");
    await assert.rejects(
      t.db.insertInto("site_closure").values({ id: crypto.randomUUID(), site_id: f.siteId, start_date: "2026-09-01", end_date: "2026-09-15", reason: "direct" }).execute(),
      /cp_closure_max_2w/,
    );
    const onClosed = await t.api("POST", "/api/slots", admin, centreSlot(f, [a.pathId], "2026-04-20"));
    assert.equal(onClosed.status, 422);
    assert.equal(onClosed.body.code, "CP-CLOSURE-MAX-2W");
    assert.equal((await t.api("POST", "/api/slots", admin, centreSlot(f, [a.pathId], "2026-04-27"))).status, 201);
    // A closure over planned slots is refused until they are moved.
    const overSlots = await t.api("POST", "/api/site-closures", admin, { siteId: f.siteId, startDate: "2026-03-02", endDate: "2026-03-03", reason: "Grève" });
    assert.equal(overSlots.status, 409);
    const list = await t.api("GET", "/api/site-closures", admin);
    assert.deepEqual(list.body.map((c: { start_date: string }) => c.start_date), ["2026-04-13"]);
  });

  test("CP-NO-INTERRUPTION: cancelling for the trainer's absence warns until a replacement trainer is recorded", async () => {
    const created = await t.api("POST", "/api/slots", admin, centreSlot(f, [a.pathId], "2026-03-05", "09:00", "12:30", { trainerId }));
    const cancelled = await t.api("POST", `/api/slots/${created.body.id}/cancel`, admin, { reason: "Formatrice malade", trainerAbsence: true });
    assert.equal(cancelled.status, 200);
    assert.deepEqual(cancelled.body.warnings.map((v: { code: string }) => v.code), ["CP-NO-INTERRUPTION"]);
    const shown = (await t.api("GET", `/api/slots/${created.body.id}`, admin)).body;
    assert.equal(shown.status, "cancelled");
    assert.equal(shown.cancelledForTrainerAbsence, true);
    assert.equal(shown.warnings[0].code, "CP-NO-INTERRUPTION");
    const replaced = await t.api("POST", `/api/slots/${created.body.id}/replacement`, admin, { replacementTrainerId: replacementId });
    assert.equal(replaced.status, 200, JSON.stringify(replaced.body));
    const after = (await t.api("GET", `/api/slots/${created.body.id}`, admin)).body;
    assert.deepEqual(after.warnings, []);
    assert.equal(after.status, "planned");
    assert.equal(after.trainerId, replacementId);
    assert.equal(after.trainerName, "Rémi Remplaçant");
    assert.equal(after.originalTrainerId, trainerId);
    // An ordinary cancellation raises nothing and takes no replacement.
    const plain = await t.api("POST", "/api/slots", admin, centreSlot(f, [a.pathId], "2026-03-06"));
    const c2 = await t.api("POST", `/api/slots/${plain.body.id}/cancel`, admin, { reason: "Report" });
    assert.deepEqual(c2.body.warnings, []);
    assert.equal((await t.api("POST", `/api/slots/${plain.body.id}/replacement`, admin, { replacementTrainerId: replacementId })).status, 409);
    assert.equal((await t.api("PUT", `/api/slots/${plain.body.id}`, admin, { pathIds: [a.pathId], date: "2026-03-06", startTime: "09:00", endTime: "10:00", modality: "centre", siteId: f.siteId })).status, 409);
  });

  test("access: another provider neither sees nor edits the slots; it cannot schedule on the line; the Region sees all", async () => {
    const mine = (await t.api("GET", "/api/slots?week=2026-W10", admin)).body.slots;
    assert.ok(mine.length > 0);
    const id = mine[0].id;
    assert.equal((await t.api("GET", `/api/slots/${id}`, otherAdmin)).status, 404);
    assert.equal((await t.api("PUT", `/api/slots/${id}`, otherAdmin, { pathIds: [a.pathId], date: "2026-03-02", startTime: "09:00", endTime: "10:00", modality: "centre", siteId: f.siteId })).status, 404);
    assert.equal((await t.api("POST", `/api/slots/${id}/cancel`, otherAdmin, { reason: "x" })).status, 404);
    assert.equal((await t.api("DELETE", `/api/slots/${id}`, otherAdmin)).status, 404);
    assert.deepEqual((await t.api("GET", "/api/slots?week=2026-W10", otherAdmin)).body.slots, []);
    assert.equal((await t.api("POST", "/api/slots", otherAdmin, centreSlot(f, [a.pathId], "2026-03-04"))).status, 403);
    assert.equal((await t.api("POST", "/api/site-closures", otherAdmin, { siteId: f.siteId, startDate: "2026-05-04", endDate: "2026-05-05", reason: "x" })).status, 404);
    const region = await t.login(f.regionEmail);
    assert.equal((await t.api("GET", "/api/slots?week=2026-W10", region)).body.slots.length, mine.length);
    assert.equal((await t.api("POST", "/api/slots", region, centreSlot(f, [a.pathId], "2026-03-04"))).status, 403, "the Region reads, the provider schedules");
    const trainer = await t.login("formatrice@organisme.test");
    assert.equal((await t.api("GET", `/api/slots/${id}`, trainer)).status, 200);
    assert.equal((await t.api("POST", "/api/slots", trainer, centreSlot(f, [a.pathId], "2026-03-04"))).status, 403);
  });

  test("NO-EXISTENCE-LEAK: a slot naming another provider's path is refused exactly as an unknown path, without its trainee's name or schedule", async () => {
    const own = await validatedPath(t.db, other, { firstName: "Olga", lastName: "Autre" });
    const foreign = await t.api("POST", "/api/slots", otherAdmin, centreSlot(other, [own.pathId, a.pathId], "2026-03-05", "09:00", "10:00"));
    const unknown = await t.api("POST", "/api/slots", otherAdmin, centreSlot(other, [own.pathId, "3f1d2c3b-0000-4000-8000-00000000dead"], "2026-03-05", "09:00", "10:00"));
    assert.equal(foreign.status, 404, JSON.stringify(foreign.body));
    assert.deepEqual(foreign.body, unknown.body);
    assert.doesNotMatch(JSON.stringify(foreign.body), /Alice|Martin|2026-03-02/);
    const page = await t.pageSession(other.adminEmail);
    const { status, html } = await page.post("/planning/creneaux/nouveau", { orderLineId: other.orderLineId, pathIds: a.pathId, date: "2026-03-05", startTime: "09:00", endTime: "10:00", modality: "centre", siteId: other.siteId });
    assert.ok(status >= 400, `the form refuses it (${status})`);
    assert.doesNotMatch(html, /Alice|Martin/);
  });

  test("a trainee reads their own slots, not another trainee's, and not the week list", async () => {
    await createUser(t.db, { email: "alice@exemple.fr", role: "trainee", traineeId: a.traineeId });
    const alice = await t.login("alice@exemple.fr");
    const week = (await t.api("GET", "/api/slots?week=2026-W10", admin)).body.slots as { id: string; trainees: { pathId: string }[] }[];
    const hers = week.find((s) => s.trainees.some((x) => x.pathId === a.pathId))!;
    const notHers = week.find((s) => s.trainees.every((x) => x.pathId !== a.pathId))!;
    assert.equal((await t.api("GET", `/api/slots/${hers.id}`, alice)).status, 200);
    assert.equal((await t.api("GET", `/api/slots/${notHers.id}`, alice)).status, 404);
    assert.equal((await t.api("GET", "/api/slots?week=2026-W10", alice)).status, 403);
  });

  test("a planned slot without attendance is deleted; the API is described in OpenAPI", async () => {
    const created = await t.api("POST", "/api/slots", admin, centreSlot(f, [a.pathId], "2026-03-04", "14:00", "15:00"));
    assert.equal((await t.api("DELETE", `/api/slots/${created.body.id}`, admin)).status, 204);
    assert.equal((await t.api("GET", `/api/slots/${created.body.id}`, admin)).status, 404);
    // Read from the registry that /api/openapi.json is generated from (the document needs every domain's schemas to convert).
    const routes = t.app.openAPIRegistry.definitions.flatMap((d) => (d.type === "route" ? [`${d.route.method} ${d.route.path}`] : []));
    for (const r of ["get /api/slots", "post /api/slots", "post /api/slots/generate", "put /api/slots/{id}", "post /api/slots/{id}/cancel", "post /api/slots/{id}/replacement", "post /api/site-closures"]) assert.ok(routes.includes(r), r);
  });
});
