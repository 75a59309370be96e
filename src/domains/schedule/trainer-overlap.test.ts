// SCHEDULE-TRAINER-OVERLAP through the API and the pages: a trainer leads one slot at a time
// (creating, editing, recording a replacement, generating a week).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createTestContext, createUser, type TestContext } from "../../../test/support/app.ts";
import { createOrderFixture, type OrderFixture } from "../../../test/support/fixtures.ts";
import { centreSlot, validatedPath } from "./testing.ts";

type Week = { id: string; date: string; startTime: string; endTime: string; startsAt: string; endsAt: string; trainerId: string | null; status: string }[];

describe("SCHEDULE-TRAINER-OVERLAP: a trainer is never booked on two overlapping slots", () => {
  let t: TestContext;
  let f: OrderFixture;
  let admin: string;
  let a: string;
  let b: string;
  let c: string;
  let fanny: string;
  let remi: string;
  let sarah: string;

  before(async () => {
    t = await createTestContext("2026-03-01T09:00:00Z");
    f = await createOrderFixture(t.db);
    a = (await validatedPath(t.db, f, { firstName: "Alice", lastName: "Martin" })).pathId;
    b = (await validatedPath(t.db, f, { firstName: "Bruno", lastName: "Petit" })).pathId;
    c = (await validatedPath(t.db, f, { firstName: "Chloé", lastName: "Durand" })).pathId;
    fanny = await createUser(t.db, { email: "fanny@organisme.test", role: "trainer", providerId: f.providerId, fullName: "Fanny Formatrice" });
    remi = await createUser(t.db, { email: "remi@organisme.test", role: "trainer", providerId: f.providerId, fullName: "Rémi Remplaçant" });
    sarah = await createUser(t.db, { email: "sarah@organisme.test", role: "trainer", providerId: f.providerId, fullName: "Sarah Suppléante" });
    admin = await t.login(f.adminEmail);
  });
  after(() => t.close());

  const create = (pathIds: string[], date: string, start: string, end: string, over: Record<string, unknown> = {}) => t.api("POST", "/api/slots", admin, centreSlot(f, pathIds, date, start, end, over));
  const fields = (pathIds: string[], date: string, start: string, end: string, trainerId: string) => ({ pathIds, moduleId: f.moduleIds["Anglais général"], siteId: f.siteId, date, startTime: start, endTime: end, modality: "centre", trainerId });

  test("SCHEDULE-TRAINER-OVERLAP: touching slots pass (9:00–12:00 then 12:00–13:00, same trainer, other trainees)", async () => {
    const morning = await create([a], "2026-03-02", "09:00", "12:00", { trainerId: fanny });
    assert.equal(morning.status, 201, JSON.stringify(morning.body));
    const noon = await create([b], "2026-03-02", "12:00", "13:00", { trainerId: fanny });
    assert.equal(noon.status, 201, JSON.stringify(noon.body));
  });

  test("SCHEDULE-TRAINER-OVERLAP: one minute of overlap is refused (422) with a message naming the other slot; nothing is written", async () => {
    const before = (await t.db.selectFrom("slot").select("id").execute()).length;
    const early = await create([c], "2026-03-02", "08:00", "09:01", { trainerId: fanny });
    assert.equal(early.status, 422);
    assert.equal(early.body.code, "SCHEDULE-TRAINER-OVERLAP");
    assert.match(early.headers.get("content-type") ?? "", /application\/problem\+json/);
    assert.match(early.body.detail, /^Fanny Formatrice anime déjà un créneau le lundi 2 mars de 9 h à 12 h \(Anglais général, commande [^)]+\)/);
    assert.equal(early.body.violations[0].field, "trainerId");
    const late = await create([c], "2026-03-02", "12:59", "14:00", { trainerId: fanny });
    assert.equal(late.body.code, "SCHEDULE-TRAINER-OVERLAP");
    assert.match(late.body.detail, /de 12 h à 13 h/);
    assert.equal((await t.db.selectFrom("slot").select("id").execute()).length, before);
  });

  test("SCHEDULE-TRAINER-OVERLAP: a distance slot counts too (the trainer cannot be in two places)", async () => {
    const remote = await t.api("POST", "/api/slots", admin, {
      orderLineId: f.orderLineId,
      pathIds: [c],
      moduleId: f.moduleIds["Anglais à distance (tutorat)"],
      date: "2026-03-02",
      startTime: "10:00",
      endTime: "11:00",
      modality: "distance",
      virtualRoomUrl: "https://classe.example/anglais",
      trainerId: fanny,
    });
    assert.equal(remote.status, 422);
    assert.equal(remote.body.code, "SCHEDULE-TRAINER-OVERLAP");
  });

  test("SCHEDULE-TRAINER-OVERLAP: a cancelled slot does not block its hours", async () => {
    const week = (await t.api("GET", `/api/slots?week=2026-W10&trainerId=${fanny}`, admin)).body.slots as Week;
    const noon = week.find((s) => s.startTime === "12:00")!;
    assert.equal((await t.api("POST", `/api/slots/${noon.id}/cancel`, admin, { reason: "Report" })).status, 200);
    const again = await create([c], "2026-03-02", "12:00", "13:00", { trainerId: fanny });
    assert.equal(again.status, 201, JSON.stringify(again.body));
  });

  test("SCHEDULE-TRAINER-OVERLAP: another trainer at the same time is fine, and so is a slot with no trainer yet", async () => {
    const other = await create([b], "2026-03-02", "09:00", "12:00", { trainerId: remi });
    assert.equal(other.status, 201, JSON.stringify(other.body));
    const none = await create([c], "2026-03-02", "09:00", "12:00");
    assert.equal(none.status, 201, JSON.stringify(none.body));
  });

  test("SCHEDULE-TRAINER-OVERLAP: editing a slot does not conflict with itself, but moving it onto another of the trainer's slots does", async () => {
    const week = (await t.api("GET", `/api/slots?week=2026-W10&trainerId=${fanny}`, admin)).body.slots as Week;
    const morning = week.find((s) => s.startTime === "09:00" && s.status === "planned")!;
    const shifted = await t.api("PUT", `/api/slots/${morning.id}`, admin, fields([a], "2026-03-02", "09:30", "12:00", fanny));
    assert.equal(shifted.status, 200, JSON.stringify(shifted.body));
    const longer = await t.api("PUT", `/api/slots/${morning.id}`, admin, fields([a], "2026-03-02", "09:30", "12:01", fanny));
    assert.equal(longer.status, 422);
    assert.equal(longer.body.code, "SCHEDULE-TRAINER-OVERLAP");
    assert.match(longer.body.detail, /de 12 h à 13 h/);
    // Giving Rémi's 9:00–12:00 slot to Fanny while she teaches 9:30–12:00.
    const remis = (await t.api("GET", `/api/slots?week=2026-W10&trainerId=${remi}`, admin)).body.slots as Week;
    const swapped = await t.api("PUT", `/api/slots/${remis[0].id}`, admin, fields([b], "2026-03-02", "09:00", "12:00", fanny));
    assert.equal(swapped.body.code, "SCHEDULE-TRAINER-OVERLAP");
  });

  test("SCHEDULE-TRAINER-OVERLAP: a replacement trainer busy at that time is refused; once recorded, the replacement's slot blocks them, not the absent trainer", async () => {
    const slot = await create([a], "2026-03-03", "14:00", "15:00", { trainerId: remi });
    assert.equal(slot.status, 201, JSON.stringify(slot.body));
    assert.equal((await create([b], "2026-03-03", "14:30", "15:30", { trainerId: fanny })).status, 201);
    assert.equal((await t.api("POST", `/api/slots/${slot.body.id}/cancel`, admin, { reason: "Formateur malade", trainerAbsence: true })).status, 200);
    const busy = await t.api("POST", `/api/slots/${slot.body.id}/replacement`, admin, { replacementTrainerId: fanny });
    assert.equal(busy.status, 422);
    assert.equal(busy.body.code, "SCHEDULE-TRAINER-OVERLAP");
    assert.match(busy.body.detail, /mardi 3 mars de 14 h 30 à 15 h 30/);
    assert.equal((await t.api("GET", `/api/slots/${slot.body.id}`, admin)).body.status, "cancelled", "still cancelled");
    const replaced = await t.api("POST", `/api/slots/${slot.body.id}/replacement`, admin, { replacementTrainerId: sarah });
    assert.equal(replaced.status, 200, JSON.stringify(replaced.body));
    // Sarah now leads 14:00–15:00: she cannot be booked then; Rémi, absent, can.
    assert.equal((await create([c], "2026-03-03", "14:59", "16:00", { trainerId: sarah })).body.code, "SCHEDULE-TRAINER-OVERLAP");
    assert.equal((await create([c], "2026-03-03", "14:00", "15:00", { trainerId: remi })).status, 201);
    // Editing the replaced slot judges Sarah's hours, without the slot itself.
    const edited = await t.api("PUT", `/api/slots/${slot.body.id}`, admin, fields([a], "2026-03-03", "14:00", "14:45", remi));
    assert.equal(edited.status, 200, JSON.stringify(edited.body));
  });

  test("SCHEDULE-TRAINER-OVERLAP: the generator skips and lists the half-days the chosen trainer already teaches, and generates the rest", async () => {
    // Tuesday 17 March, 10:00–11:00: Fanny already teaches Alice alone.
    assert.equal((await create([a], "2026-03-17", "10:00", "11:00", { trainerId: fanny })).status, 201);
    const res = await t.api("POST", "/api/slots/generate", admin, { orderLineId: f.orderLineId, week: "2026-W12", trainerId: fanny });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const clashes = (res.body.skipped as { date: string; reason: string; code?: string }[]).filter((s) => s.code === "SCHEDULE-TRAINER-OVERLAP");
    assert.equal(clashes.length, 1, JSON.stringify(res.body.skipped));
    assert.equal(clashes[0].date, "2026-03-17");
    assert.match(clashes[0].reason, /^mardi 17 mars matin : Fanny Formatrice anime déjà un créneau le mardi 17 mars de 10 h à 11 h \(Anglais général/);
    assert.equal(res.body.created.length, 9, "the 9 other half-days of the week");
    const week = ((await t.api("GET", `/api/slots?week=2026-W12&trainerId=${fanny}`, admin)).body.slots as Week).filter((s) => s.status !== "cancelled");
    assert.equal(week.length, 10);
    for (const x of week) {
      for (const y of week) if (x.id !== y.id) assert.ok(!(x.startsAt < y.endsAt && y.startsAt < x.endsAt), `${x.date} ${x.startTime} overlaps ${y.startTime}`);
    }
  });

  test("SCHEDULE-TRAINER-OVERLAP: the generator page lists the skipped half-day and keeps what was entered", async () => {
    assert.equal((await create([a], "2026-03-23", "14:00", "15:00", { trainerId: remi })).status, 201);
    const staff = await t.pageSession(f.adminEmail);
    const page = await staff.post("/planning/generer", { orderLineId: f.orderLineId, week: "2026-W13", trainerId: remi, siteId: "" });
    assert.equal(page.status, 200);
    assert.match(page.html, /<li data-code="SCHEDULE-TRAINER-OVERLAP">lundi 23 mars après-midi : Rémi Remplaçant anime déjà un créneau le lundi 23 mars de 14 h à 15 h/);
    assert.match(page.html, /9 créneau\(x\) créé\(s\)/);
    assert.match(page.html, new RegExp(`<option value="${remi}" selected="">Rémi Remplaçant</option>`), "the trainer stays chosen");
    assert.match(page.html, /id="f-week" name="week" type="week" value="2026-W13"/, "the week stays");
  });

  test("SCHEDULE-TRAINER-OVERLAP: the slot's edit page refuses with the message next to the trainer and keeps what was typed", async () => {
    const staff = await t.pageSession(f.adminEmail);
    const slot = await create([c], "2026-03-04", "09:00", "12:00", { trainerId: remi });
    assert.equal((await create([a], "2026-03-04", "13:30", "17:00", { trainerId: fanny })).status, 201);
    const form = { pathIds: c, moduleId: f.moduleIds["Anglais général"], modality: "centre", date: "2026-03-04", startTime: "14:00", endTime: "16:15", siteId: f.siteId, trainerId: fanny, place: "Salle Garonne", virtualRoomUrl: "" };
    const refused = await staff.post(`/planning/creneaux/${slot.body.id}`, form);
    assert.equal(refused.status, 422);
    assert.match(refused.html, /role="alert"/);
    assert.match(refused.html, /Le créneau n(&#39;|')a pas été modifié/);
    assert.match(refused.html, /<li data-code="SCHEDULE-TRAINER-OVERLAP"><a href="#f-trainerId">Fanny Formatrice anime déjà un créneau le mercredi 4 mars de 13 h 30 à 17 h/);
    assert.match(refused.html, /id="f-trainerId-err"/, "the message sits next to the trainer field");
    assert.match(refused.html, /name="startTime"[^>]*value="14:00"|value="14:00"[^>]*name="startTime"/, "typed start kept");
    assert.match(refused.html, /value="16:15"/, "typed end kept");
    assert.match(refused.html, /value="Salle Garonne"/, "typed place kept");
    assert.match(refused.html, new RegExp(`<option value="${fanny}" selected="">Fanny Formatrice</option>`), "typed trainer kept");
    const unchanged = (await t.api("GET", `/api/slots/${slot.body.id}`, admin)).body;
    assert.equal(unchanged.startTime, "09:00");
    assert.equal(unchanged.trainerId, remi);
    // The new-slot form too.
    const fresh = await staff.post("/planning/creneaux/nouveau", { ...form, orderLineId: f.orderLineId, pathIds: b });
    assert.equal(fresh.status, 422);
    assert.match(fresh.html, /Le créneau n(&#39;|')a pas été créé/);
    assert.match(fresh.html, /SCHEDULE-TRAINER-OVERLAP/);
    assert.match(fresh.html, /value="Salle Garonne"/);
  });
});
