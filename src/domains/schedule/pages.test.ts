// The schedule's pages (forms without JS), the generator, the trainee's schedule and the .ics feed.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createTestContext, createUser, type TestContext } from "../../../test/support/app.ts";
import { createOrderFixture, type OrderFixture } from "../../../test/support/fixtures.ts";
import { centreSlot, validatedPath } from "./testing.ts";

describe("schedule pages, generator and iCalendar feed", () => {
  let t: TestContext;
  let f: OrderFixture;
  let a: { pathId: string; traineeId: string };
  let b: { pathId: string; traineeId: string };
  let late: { pathId: string; traineeId: string };

  before(async () => {
    t = await createTestContext("2026-03-01T09:00:00Z");
    f = await createOrderFixture(t.db);
    a = await validatedPath(t.db, f, { firstName: "Alice", lastName: "Martin" });
    b = await validatedPath(t.db, f, { firstName: "Bruno", lastName: "Petit" });
    late = await validatedPath(t.db, f, { firstName: "Chloé", lastName: "Tardive", entryDate: "2026-04-08" });
    await createUser(t.db, { email: "alice@exemple.fr", role: "trainee", traineeId: a.traineeId, fullName: "Alice Martin" });
    await createUser(t.db, { email: "chloe@exemple.fr", role: "trainee", traineeId: late.traineeId, fullName: "Chloé Tardive" });
  });
  after(() => t.close());

  test("the generator lays half-day group slots Monday–Friday, skips Easter Monday and a closed day, and leaves self-study to plan by hand", async () => {
    const admin = await t.login(f.adminEmail);
    assert.equal((await t.api("POST", "/api/site-closures", admin, { siteId: f.siteId, startDate: "2026-04-10", endDate: "2026-04-10", reason: "Inventaire" })).status, 201);
    const res = await t.api("POST", "/api/slots/generate", admin, { orderLineId: f.orderLineId, week: "2026-W15" });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    // Tue 7 → Thu 9 April, morning and afternoon: 6 slots (Mon = Easter Monday, Fri = closure).
    assert.equal(res.body.created.length, 6);
    assert.deepEqual(res.body.skipped.map((s: { date: string }) => s.date), ["2026-04-06", "2026-04-10"]);
    assert.match(res.body.skipped[0].reason, /Lundi de Pâques/);
    const week = (await t.api("GET", "/api/slots?week=2026-W15", admin)).body.slots as { date: string; startTime: string; endTime: string; trainees: { lastName: string }[]; moduleTitle: string }[];
    assert.deepEqual(
      week.map((s) => `${s.date} ${s.startTime}-${s.endTime} ${s.trainees.length}`),
      ["2026-04-07 09:00-12:30 2", "2026-04-07 13:30-17:00 2", "2026-04-08 09:00-12:30 3", "2026-04-08 13:30-17:00 3", "2026-04-09 09:00-12:30 3", "2026-04-09 13:30-17:00 3"],
      "Chloé joins on her entry day, 8 April",
    );
    assert.ok(week.every((s) => s.moduleTitle === "Anglais général"), "the first module of the component first");
    assert.ok(res.body.leftToPlan.some((l: { label: string; why: string }) => l.label === "Autoformation guidée" && /autoformation/.test(l.why)));
    // Generating the same week again adds nothing: the half-days are taken.
    const again = await t.api("POST", "/api/slots/generate", admin, { orderLineId: f.orderLineId, week: "2026-W15" });
    assert.equal(again.body.created.length, 0);
  });

  test("the generator never schedules more than planned: a short remaining need gives a shorter slot", async () => {
    const admin = await t.login(f.adminEmail);
    // Bruno needs 4 560 min of general English: schedule all but 60 min by hand on his own.
    const done = (await t.api("GET", "/api/slots?week=2026-W15", admin)).body.slots.filter((s: { trainees: { pathId: string }[] }) => s.trainees.some((x) => x.pathId === b.pathId)).length * 210;
    let left = 4560 - done - 60;
    let day = "2026-05-04";
    while (left > 0) {
      const minutes = Math.min(left, 420);
      const end = `${String(9 + Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
      const r = await t.api("POST", "/api/slots", admin, centreSlot(f, [b.pathId], day, "09:00", end, { holidayOverride: true }));
      assert.equal(r.status, 201, `${day} ${JSON.stringify(r.body)}`);
      left -= minutes;
      day = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
      if (new Date(`${day}T00:00:00Z`).getUTCDay() === 6) day = new Date(Date.parse(`${day}T00:00:00Z`) + 2 * 86_400_000).toISOString().slice(0, 10);
    }
    const res = await t.api("POST", "/api/slots/generate", admin, { orderLineId: f.orderLineId, week: "2026-W16" });
    const slots = (await t.api("GET", "/api/slots?week=2026-W16", admin)).body.slots as { date: string; startTime: string; endTime: string; trainees: { pathId: string }[] }[];
    const first = slots.find((s) => s.date === "2026-04-13" && s.startTime === "09:00")!;
    assert.equal(first.endTime, "10:00", "the group slot lasts Bruno's last 60 min");
    assert.equal(first.trainees.length, 3);
    assert.ok(res.body.created.length > 1);
  });

  test("the week calendar: a table with days, slots, holidays and closures; filters by site and trainer; forms create and refuse with messages", async () => {
    const staff = await t.pageSession(f.adminEmail);
    const page = await staff.get("/planning?semaine=2026-W15");
    assert.equal(page.status, 200);
    assert.match(page.html, /<caption>\s*Semaine 2026-W15 : 6 créneau\(x\)/);
    assert.match(page.html, /<th scope="row">lundi 6 avril<span class="badge submitted">Férié : Lundi de Pâques/);
    assert.match(page.html, /fermé \(Inventaire\)/);
    assert.match(page.html, /Anglais général/);
    assert.match((await staff.get(`/planning?semaine=2026-W15&site=${f.siteId}`)).html, /6 créneau\(x\)/);
    assert.match((await staff.get(`/planning?semaine=2026-W15&formateur=${f.referentId}`)).html, /0 créneau\(x\)/, "no slot led by the referent");
    // CP-ORDER-FROM-OFFER: a site of the provider that the line does not use is not offered.
    await t.db.insertInto("site").values({ id: "00000000-0000-4000-8000-00000000517e", provider_id: f.providerId, name: "Site hors commande", address: "2 rue du Test", postcode: "31000", commune: "Toulouse", departement_code: "31" }).execute();
    const form = await staff.get(`/planning/creneaux/nouveau?ligne=${f.orderLineId}`);
    assert.match(form.html, /Alice/);
    assert.match(form.html, new RegExp(`<option value="${f.siteId}"`));
    assert.doesNotMatch(form.html, /Site hors commande/);
    const body = { orderLineId: f.orderLineId, pathIds: a.pathId, moduleId: "", modality: "centre", date: "2026-05-01", startTime: "09:00", endTime: "12:00", siteId: f.siteId, trainerId: "" };
    const refused = await staff.post("/planning/creneaux/nouveau", body);
    assert.equal(refused.status, 422);
    assert.match(refused.html, /Fête du Travail/);
    assert.match(refused.html, /value="2026-05-01"/, "what was typed is kept");
    const created = await staff.post("/planning/creneaux/nouveau", { ...body, holidayOverride: "1" });
    assert.equal(created.status, 303);
    const detail = await staff.get(created.location!);
    assert.match(detail.html, /vendredi 1 mai/);
    const cancelled = await staff.post(`${created.location!.split("?")[0]}/annuler`, { reason: "Formateur absent", trainerAbsence: "1" });
    assert.equal(cancelled.status, 303);
    const warned = await staff.get(created.location!.split("?")[0]);
    assert.match(warned.html, /CP-NO-INTERRUPTION/);
    assert.match((await staff.get("/planning?semaine=2026-W18")).html, /CP-NO-INTERRUPTION/);
    const closures = await staff.post("/planning/fermetures", { siteId: f.siteId, startDate: "2026-07-01", endDate: "2026-07-15", reason: "Été" });
    assert.equal(closures.status, 422);
    assert.match(closures.html, /CP-CLOSURE-MAX-2W/);
  });

  test("the trainee's schedule: own slots day by day, self-study spelled out; staff pages are closed to trainees", async () => {
    const admin = await t.login(f.adminEmail);
    const ss = await t.api("POST", "/api/slots", admin, {
      orderLineId: f.orderLineId,
      pathIds: [a.pathId],
      moduleId: f.moduleIds["Autoformation guidée"],
      date: "2026-03-03",
      startTime: "14:00",
      endTime: "16:00",
      modality: "self_study",
      selfStudyLocation: "remote",
      objectives: "Réviser le présent simple",
      deliverables: "Exercices 1 à 10",
      resources: "Moodle",
    });
    assert.equal(ss.status, 201);
    await t.api("POST", "/api/slots", admin, centreSlot(f, [b.pathId], "2026-03-02"));
    const alice = await t.pageSession("alice@exemple.fr");
    const page = await alice.get("/mon-planning");
    assert.equal(page.status, 200);
    assert.match(page.html, /mardi 3 mars/);
    assert.match(page.html, /Autoformation à distance/);
    assert.match(page.html, /Réviser le présent simple/);
    assert.doesNotMatch(page.html, /lundi 2 mars/, "Bruno's slot is not hers");
    assert.equal((await alice.get("/planning")).status, 403);
    assert.equal((await alice.get(`/planning/creneaux/${ss.body.id}`)).status, 302);
    const staff = await t.pageSession(f.adminEmail);
    assert.equal((await staff.get("/mon-planning")).status, 403);
  });

  test("the iCalendar feed: secret link, RFC 5545 content (CRLF, UTC DTSTART, UID, DTSTAMP, folding), own slots only; a new link revokes the old", async () => {
    const alice = await t.pageSession("alice@exemple.fr");
    const issued = await alice.post("/mon-planning/agenda", {});
    const url = /href="(http[^"]+\.ics)"/.exec(issued.html)?.[1];
    assert.ok(url, "the link is shown once");
    const path = new URL(url).pathname;
    const res = await t.app.request(path);
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /^text\/calendar/);
    const ics = await res.text();
    assert.ok(ics.startsWith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:"));
    assert.ok(ics.endsWith("END:VCALENDAR\r\n"));
    assert.ok(!/[^\r]\n/.test(ics), "CRLF only");
    for (const line of ics.split("\r\n")) assert.ok(Buffer.byteLength(line) <= 75, `folded: ${line}`);
    const unfolded = ics.replace(/\r\n /g, "");
    assert.match(unfolded, /DTSTART:20260303T130000Z\r\nDTEND:20260303T150000Z/, "14:00–16:00 Paris on 3 March");
    assert.match(unfolded, /SUMMARY:Autoformation — Autoformation guidée/);
    assert.match(unfolded, /DTSTAMP:20260301T090000Z/);
    assert.match(unfolded, /UID:[0-9a-f-]{36}@competences-plus/);
    assert.match(unfolded, /LOCATION:Site \d+\\, 1 rue du Test\\, Toulouse/);
    assert.equal((unfolded.match(/BEGIN:VEVENT/g) ?? []).length, (unfolded.match(/END:VEVENT/g) ?? []).length);
    const hers = (await t.db.selectFrom("slot_trainee").select("slot_id").where("path_id", "=", a.pathId).execute()).length;
    assert.equal((unfolded.match(/BEGIN:VEVENT/g) ?? []).length, hers);
    assert.doesNotMatch(unfolded, /Petit/);
    const stored = await t.db.selectFrom("trainee_calendar_token").select("token_hash").where("trainee_id", "=", a.traineeId).executeTakeFirstOrThrow();
    assert.notEqual(stored.token_hash, path.slice("/planning/".length, -4), "only a hash is stored");
    await alice.post("/mon-planning/agenda", {});
    assert.equal((await t.app.request(path)).status, 404, "the old link stops working");
    assert.equal((await t.app.request("/planning/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.ics")).status, 404);
  });
});
