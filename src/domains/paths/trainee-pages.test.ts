// The trainee record edited from the path screen, and the trainee's own view of their paths.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createTestContext, createUser, type TestContext } from "../../../test/support/app.ts";
import { createOrderFixture, type OrderFixture } from "../../../test/support/fixtures.ts";
import { actorOf, mod, plan, position, register } from "./testing.ts";
import { savePlan } from "./use-cases.ts";

describe("trainee record and trainee view", () => {
  let t: TestContext;
  let f: OrderFixture;
  let mine: { traineeId: string; pathId: string };
  let theirs: { traineeId: string; pathId: string };

  before(async () => {
    t = await createTestContext();
    f = await createOrderFixture(t.db);
    const admin = await actorOf(t.db, f.adminEmail);
    mine = await register(t.db, admin, f, { firstName: "Yasmine", lastName: "Benali", jobSeekerRegistered: false, franceTravailId: "" });
    theirs = await register(t.db, admin, f, { firstName: "Paul", lastName: "Durand" });
    for (const p of [mine, theirs]) {
      await position(t.db, admin, p.pathId);
      await savePlan(t.db, admin, p.pathId, plan([mod(f.moduleIds["Anglais général"], "centre", 6000), mod(f.moduleIds["Techniques de recherche d'emploi"], "centre", 840), mod(f.moduleIds["Usages numériques"], "centre", 600)]));
    }
    await createUser(t.db, { email: "yasmine@exemple.fr", role: "trainee", traineeId: mine.traineeId, fullName: "Yasmine Benali" });
  });
  after(() => t.close());

  test("CP-ELIGIBLE-PUBLIC: entry is refused until the registration is recorded on the trainee record, then accepted", async () => {
    const staff = await t.pageSession(f.adminEmail);
    const refused = await staff.post(`/parcours/${mine.pathId}/valider`, {});
    assert.equal(refused.status, 422);
    assert.match(refused.html, /CP-ELIGIBLE-PUBLIC/);
    const form = { pathId: mine.pathId, firstName: "Yasmine", lastName: "Benali", birthDate: "1990-05-12", franceTravailId: "12345678901", jobSeekerRegistered: "1", pedagogicalReferentId: f.referentId, cvUpdatedOn: "2026-03-01" };
    const bad = await staff.post(`/stagiaires/${mine.traineeId}/modifier`, { ...form, franceTravailId: "123" });
    assert.equal(bad.status, 422);
    assert.match(bad.html, /Identifiant France Travail invalide/);
    assert.match(bad.html, /value="123"/, "what was typed is kept");
    assert.equal((await staff.post(`/stagiaires/${mine.traineeId}/modifier`, form)).status, 303);
    const page = await staff.get(`/parcours/${mine.pathId}`);
    assert.match(page.html, /01\/03\/2026/, "CP-TRE-CV-UPDATE date shown");
    assert.equal((await staff.post(`/parcours/${mine.pathId}/valider`, {})).status, 303);
  });

  test("a trainee sees their own path and modules (and CP-NO-REMUNERATION: the status, no pay), not another trainee's, and no staff screen", async () => {
    const trainee = await t.pageSession("yasmine@exemple.fr");
    const page = await trainee.get("/mon-parcours");
    assert.equal(page.status, 200);
    assert.match(page.html, /Anglais professionnel/);
    assert.match(page.html, /Anglais général/);
    assert.doesNotMatch(page.html, /Durand/);
    // CP-NO-REMUNERATION: no pay, but the status of trainee of vocational training and its social cover.
    assert.match(page.html, /n(?:'|&#39;)ouvre pas droit à une rémunération/);
    assert.match(page.html, /stagiaire de la formation professionnelle/);
    assert.equal((await trainee.get(`/parcours/${theirs.pathId}`)).status, 404);
    assert.equal((await trainee.get(`/parcours/${mine.pathId}`)).status, 404, "the staff screen is not the trainee's");
    assert.equal((await trainee.get("/stagiaires")).status, 403);
  });

  test("staff cannot use the trainee screen", async () => {
    const staff = await t.pageSession(f.adminEmail);
    assert.equal((await staff.get("/mon-parcours")).status, 403);
  });
});
