// Editing a period through the API (PUT) and the page: the change is saved, the agreement's version moves.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createTestContext, type TestContext } from "../../../test/support/app.ts";
import { createOrderFixture, type OrderFixture } from "../../../test/support/fixtures.ts";
import { validatedPath } from "../schedule/testing.ts";
import { companyAndTutor, periodBody } from "./testing.ts";

describe("internships: updating a period", () => {
  let t: TestContext;
  let f: OrderFixture;
  let admin: string;

  before(async () => {
    t = await createTestContext("2026-03-01T09:00:00Z");
    f = await createOrderFixture(t.db);
    admin = await t.login(f.adminEmail);
  });
  after(() => t?.close());

  test("CP-INTERNSHIP-AGREEMENT: PUT /api/periods/{id} saves the change (pathId optional) and a new agreement version", async () => {
    const p = await validatedPath(t.db, f, { firstName: "Ugo", lastName: "Modif", company: 600, agreement: false });
    const { companyId, tutorId, admin: staff } = await companyAndTutor(t.db, f);
    const body = periodBody(p.pathId, { companyId, tutorId, trainerId: staff.userId });
    const created = await t.api("POST", "/api/periods", admin, body);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const id = created.body.id as string;
    const { pathId: _omit, ...withoutPath } = body;
    const put = await t.api("PUT", `/api/periods/${id}`, admin, { ...withoutPath, timetable: "Du mardi au samedi, 8 h – 12 h" });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    const row = await t.db.selectFrom("company_period").select(["timetable", "agreement_version"]).where("id", "=", id).executeTakeFirstOrThrow();
    assert.deepEqual([row.timetable, row.agreement_version], ["Du mardi au samedi, 8 h – 12 h", 2]);
    const again = await t.api("PUT", `/api/periods/${id}`, admin, { ...body, timetable: "Du mardi au samedi, 8 h – 12 h" });
    assert.equal(again.status, 200, JSON.stringify(again.body));
    const got = await t.api("GET", `/api/periods/${id}`, admin);
    assert.equal(got.body.period.timetable, "Du mardi au samedi, 8 h – 12 h");
    const bad = await t.api("PUT", `/api/periods/${id}`, admin, { ...withoutPath, endDate: "2026-01-01" });
    assert.equal(bad.status, 400, "end before start: a 4xx problem");
  });

  test("CP-INTERNSHIP-AGREEMENT: the period page's edit form saves the change", async () => {
    const p = await validatedPath(t.db, f, { firstName: "Léa", lastName: "Page", company: 600, agreement: false });
    const { companyId, tutorId, admin: staff } = await companyAndTutor(t.db, f);
    const created = await t.api("POST", "/api/periods", admin, periodBody(p.pathId, { companyId, tutorId, trainerId: staff.userId }));
    const id = created.body.id as string;
    const page = await t.pageSession(f.adminEmail);
    const form = { companyId, tutorId, followUpTrainerId: staff.userId, place: "region", country: "", workAddress: "3 rue des Fleurs", startDate: "2026-03-02", endDate: "2026-06-30", plannedHours: "10 h", weeklyHours: "35 h", timetable: "Lundi 9 h – 12 h", precontactOn: "2026-02-20", precontactNotes: "", nature: "Application", objectives: "Pratiquer", pedagogicalObjectives: "Accueil", positionHeld: "Vendeur", followUpModalities: "Une visite", outsideOpening: "0", centreContact: "" };
    const saved = await page.post(`/periodes/${id}`, form);
    assert.equal(saved.status, 303, saved.html.slice(0, 2000));
    const row = await t.db.selectFrom("company_period").select(["timetable"]).where("id", "=", id).executeTakeFirstOrThrow();
    assert.equal(row.timetable, "Lundi 9 h – 12 h");
  });
});
