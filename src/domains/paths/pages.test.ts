// The path screens over HTTP, as a browser uses them (forms, cookie session, CSRF, htmx fragment).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createTestContext, type PageSession, type TestContext } from "../../../test/support/app.ts";
import { createOrderFixture, standardModules, type OrderFixture } from "../../../test/support/fixtures.ts";

describe("path pages: register, position, build under the rules, validate", () => {
  let t: TestContext;
  let f: OrderFixture;
  let other: OrderFixture;
  let staff: PageSession;
  let pathId: string;

  before(async () => {
    t = await createTestContext();
    f = await createOrderFixture(t.db);
    other = await createOrderFixture(t.db);
    staff = await t.pageSession(f.adminEmail);
  });
  after(() => t.close());

  const modulesForm = (overrides: Record<string, string> = {}) => {
    const form: Record<string, string> = { entryDate: "2026-03-02", plannedExitDate: "2026-06-30", siteId: f.siteId };
    for (const m of standardModules) {
      form[`status_${f.moduleIds[m.title]}`] = "follow";
      form[`minutes_${f.moduleIds[m.title]}`] = `${m.minutes / 60}`;
    }
    // Standard modules total 190 h; positioning 10 h below makes exactly 200 h.
    return { ...form, ...overrides };
  };

  test("registering a trainee through the form keeps what was typed when refused (bad France Travail id)", async () => {
    const form = {
      lineSite: `${f.orderLineId}|${f.siteId}`,
      entryDate: "2026-03-02",
      plannedExitDate: "2026-06-30",
      firstName: "Inès",
      lastName: "Garcia",
      birthDate: "1994-05-12",
      franceTravailId: "12AB",
      jobSeekerRegistered: "1",
      pedagogicalReferentId: f.referentId,
    };
    const refused = await staff.post("/stagiaires/nouveau", form);
    assert.equal(refused.status, 422);
    assert.match(refused.html, /Identifiant France Travail invalide/);
    assert.match(refused.html, /value="Garcia"/, "the name typed is kept");
    const ok = await staff.post("/stagiaires/nouveau", { ...form, franceTravailId: "1234567a" });
    assert.equal(ok.status, 303);
    pathId = /\/parcours\/([0-9a-f-]{36})/.exec(ok.location ?? "")![1];
    const page = await staff.get(`/parcours/${pathId}`);
    assert.match(page.html, /Inès Garcia/);
    assert.match(page.html, /1234567A/, "France Travail id normalised to upper case");
  });

  test("validating without positioning is refused with CP-POSITIONING", async () => {
    const res = await staff.post(`/parcours/${pathId}/valider`, {});
    assert.equal(res.status, 422);
    assert.match(res.html, /CP-POSITIONING/);
  });

  test("positioning of 10 h is recorded", async () => {
    const res = await staff.post(`/parcours/${pathId}/positionnement`, {
      minutes: "10",
      evaluations: "Test écrit CECRL, entretien oral",
      restitutionOn: "2026-03-03",
      priorLearning: "A2 acquis",
      competences: "Compréhension orale",
      recommendedMinutes: "190",
      recommendedMethods: "Présentiel et tutorat",
    });
    assert.equal(res.status, 303);
  });

  test("CP-PATH-MAX-200H: 200 h 01 min is refused on save with the French message, the live check says the same, 200 h saves", async () => {
    const tooLong = modulesForm({ [`minutes_${f.moduleIds["Anglais général"]}`]: "100h01" });
    const live = await staff.post(`/parcours/${pathId}/verifier`, tooLong, { "hx-request": "true" });
    assert.equal(live.status, 200);
    assert.match(live.html, /CP-PATH-MAX-200H/);
    assert.doesNotMatch(live.html, /<html/, "the live check returns a fragment only");
    const refused = await staff.post(`/parcours/${pathId}/construire`, tooLong);
    assert.equal(refused.status, 422);
    assert.match(refused.html, /ne peut pas dépasser 200 h/);
    assert.match(refused.html, /CCTP §II\.1, §3\.1\.2/);
    assert.match(refused.html, /value="100h01"/, "the hours typed are kept");
    const fixed = await staff.post(`/parcours/${pathId}/construire`, modulesForm());
    assert.equal(fixed.status, 303);
    const page = await staff.get(`/parcours/${pathId}`);
    assert.match(page.html, /data-total="total">200 h</);
  });

  test("validation (entry) succeeds; a readjustment then needs its reason (CP-PATH-READJUST)", async () => {
    assert.equal((await staff.post(`/parcours/${pathId}/valider`, {})).status, 303);
    const noReason = await staff.post(`/parcours/${pathId}/construire`, modulesForm({ [`minutes_${f.moduleIds["Anglais général"]}`]: "90" }));
    assert.equal(noReason.status, 422);
    assert.match(noReason.html, /CP-PATH-READJUST/);
    const withReason = await staff.post(`/parcours/${pathId}/construire`, modulesForm({ [`minutes_${f.moduleIds["Anglais général"]}`]: "90", reason: "Progrès rapides à l'évaluation intermédiaire" }));
    assert.equal(withReason.status, 303);
    const page = await staff.get(`/parcours/${pathId}`);
    assert.match(page.html, /Progrès rapides/);
  });

  test("CP-DEPOSIT-MAX-200: 200 € passes, one more cent is refused", async () => {
    assert.equal((await staff.post(`/parcours/${pathId}/caution`, { material: "Ordinateur portable", amount: "200", takenOn: "2026-03-02" })).status, 303);
    const refused = await staff.post(`/parcours/${pathId}/caution`, { material: "Casque", amount: "0,01", takenOn: "2026-03-02" });
    assert.equal(refused.status, 422);
    assert.match(refused.html, /CP-DEPOSIT-MAX-200/);
  });

  test("another provider's staff cannot open the path (404) nor post to it", async () => {
    const intruder = await t.pageSession(other.adminEmail);
    assert.equal((await intruder.get(`/parcours/${pathId}`)).status, 404);
    assert.equal((await intruder.post(`/parcours/${pathId}/construire`, modulesForm())).status, 404);
    const list = await intruder.get("/stagiaires");
    assert.doesNotMatch(list.html, /Garcia/);
  });
});
