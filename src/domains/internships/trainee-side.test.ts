// The trainee's side (« Mes stages ») and the prescriber's view of a drop-out alert, through HTTP.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createTestContext, createUser, type TestContext } from "../../../test/support/app.ts";
import { createOrderFixture, type OrderFixture } from "../../../test/support/fixtures.ts";
import { candidate, createPrescriber, createSessionRow, FT_TOULOUSE } from "../recruitment/testing.ts";
import { validatedPath } from "../schedule/testing.ts";
import { companyAndTutor, periodBody } from "./testing.ts";

describe("internships: the trainee's side and the prescriber's alert", () => {
  let t: TestContext;
  let f: OrderFixture;
  let admin: string;

  before(async () => {
    t = await createTestContext("2026-03-01T09:00:00Z");
    f = await createOrderFixture(t.db);
    admin = await t.login(f.adminEmail);
  });
  after(() => t?.close());

  test("CP-COMPANY-NETWORK, CP-INTERNSHIP-AGREEMENT, CP-INTERNSHIP-REVIEW: shared companies, the period, signing and the trainee's review in « Mes stages »; another trainee gets 404", async () => {
    const p = await validatedPath(t.db, f, { firstName: "Nina", lastName: "Stage", company: 600, agreement: false });
    const traineeId = (await t.db.selectFrom("path").select("trainee_id").where("id", "=", p.pathId).executeTakeFirstOrThrow()).trainee_id;
    await createUser(t.db, { email: "nina@exemple.test", role: "trainee", traineeId, fullName: "Nina Stage" });
    const { companyId, tutorId, admin: staff } = await companyAndTutor(t.db, f);
    const staffPage = await t.pageSession(f.adminEmail);
    const network = await staffPage.get("/entreprises?rome=D1102");
    assert.match(network.html, /Partager cette liste/);
    const shared = await staffPage.post("/entreprises/partage", { traineeId, companyIds: companyId, note: "À contacter cette semaine" });
    assert.equal(shared.status, 303, shared.html.slice(0, 800));
    const created = await t.api("POST", "/api/periods", admin, periodBody(p.pathId, { companyId, tutorId, trainerId: staff.userId }));
    const id = created.body.id as string;
    await t.api("POST", `/api/periods/${id}/send`, admin);

    const me = await t.pageSession("nina@exemple.test");
    const mine = await me.get("/mes-stages");
    assert.equal(mine.status, 200);
    assert.match(mine.html, /Boulangerie Dupont/);
    assert.match(mine.html, /À contacter cette semaine/);
    assert.match(mine.html, /Signer la convention/);
    assert.match((await me.get("/mon-parcours")).html, /href="\/mes-stages"/);
    assert.equal((await me.post(`/periodes/${id}/signer`, {})).status, 303);
    const sigs = await t.db.selectFrom("agreement_signature").select(["party", "method"]).where("period_id", "=", id).execute();
    assert.deepEqual(sigs, [{ party: "trainee", method: "app" }]);
    assert.doesNotMatch((await me.get("/mes-stages")).html, /Signer la convention/);
    const pdf = await me.get(`/periodes/${id}/convention.pdf`);
    assert.equal(pdf.status, 200);

    await t.db.updateTable("company_period").set({ status: "in_progress" }).where("id", "=", id).execute();
    const reviewed = await me.post(`/periodes/${id}/bilan-stagiaire`, { authorName: "Nina Stage", activities: "Vente", skills: "Accueil", progress: "Caisse", appreciation: "Très formateur" });
    assert.match(reviewed.html, /Votre bilan est enregistré/);
    const review = await t.db.selectFrom("internship_review").select(["party", "appreciation"]).where("period_id", "=", id).executeTakeFirstOrThrow();
    assert.deepEqual(review, { party: "trainee", appreciation: "Très formateur" });

    // Someone else's period answers like an unknown one.
    const other = await validatedPath(t.db, f, { firstName: "Omar", lastName: "Autre" });
    const otherTrainee = (await t.db.selectFrom("path").select("trainee_id").where("id", "=", other.pathId).executeTakeFirstOrThrow()).trainee_id;
    await createUser(t.db, { email: "omar@exemple.test", role: "trainee", traineeId: otherTrainee });
    const omar = await t.pageSession("omar@exemple.test");
    assert.equal((await omar.post(`/periodes/${id}/bilan-stagiaire`, { authorName: "Omar" })).status, 404);
    assert.doesNotMatch((await omar.get("/mes-stages")).html, /Boulangerie Dupont/);
  });

  test("CP-REFERENT-FOLLOWUP: a drop-out alert shows on the prescriber's candidacy page", async () => {
    const session = await createSessionRow(t.db, f);
    const prescriberEmail = await createPrescriber(t.db, FT_TOULOUSE);
    const presc = await t.login(prescriberEmail);
    const pr = await t.api("POST", "/api/prescriptions", presc, { sessionId: session, ...candidate({ lastName: "Alerte" }) });
    assert.equal(pr.status, 201, JSON.stringify(pr.body));
    const cid = pr.body.id as string;
    await t.api("POST", `/api/candidacies/${cid}/transitions`, admin, { to: "summoned", summonedFor: "2026-03-10" });
    await t.api("POST", `/api/candidacies/${cid}/transitions`, admin, { to: "selected", assessmentScore: 60 });
    const entry = await t.api("POST", `/api/candidacies/${cid}/entry`, admin, { pedagogicalReferentId: f.referentId, entryDate: "2026-04-01", plannedExitDate: "2026-06-30" });
    assert.equal(entry.status, 201, JSON.stringify(entry.body));
    const page = await t.pageSession(prescriberEmail);
    assert.doesNotMatch((await page.get(`/candidatures/${cid}`)).html, /risque de décrochage/);
    const traineeId = (await t.db.selectFrom("path").select("trainee_id").where("id", "=", entry.body.pathId).executeTakeFirstOrThrow()).trainee_id;
    const alert = await t.api("POST", "/api/dropout-alerts", admin, { traineeId, reason: "barrier", details: "Plus de moyen de transport depuis lundi" });
    assert.equal(alert.status, 201, JSON.stringify(alert.body));
    assert.equal(alert.body.notified, true);
    const seen = await page.get(`/candidatures/${cid}`);
    assert.match(seen.html, /Alerte de risque de décrochage/);
    assert.match(seen.html, /Plus de moyen de transport depuis lundi/);
  });
});
