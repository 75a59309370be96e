// The pages of the internships domain, through HTTP: staff prepare a period and its agreement, the
// tutor signs and attests through their link, the PDFs download, the follow-up alerts.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createTestContext, type PageSession, type TestContext } from "../../../test/support/app.ts";
import { createOrderFixture, type OrderFixture } from "../../../test/support/fixtures.ts";
import { validatedPath } from "../schedule/testing.ts";
import { companyAndTutor } from "./testing.ts";

describe("internships pages", () => {
  let t: TestContext;
  let f: OrderFixture;
  let page: PageSession;

  before(async () => {
    t = await createTestContext("2026-03-01T09:00:00Z");
    f = await createOrderFixture(t.db);
    page = await t.pageSession(f.adminEmail);
  });
  after(() => t?.close());

  test("CP-COMPANY-NETWORK, CP-INTERNSHIP-AGREEMENT, CP-INTERNSHIP-REVIEW: a provider prepares a period, sends the agreement; the tutor signs and reviews on the link; the PDF downloads", async () => {
    const p = await validatedPath(t.db, f, { firstName: "Inès", lastName: "Page", company: 600, agreement: false });
    const network = await page.get("/entreprises");
    assert.equal(network.status, 200);
    const badSiret = await page.post("/entreprises", { siret: "12345678901234", name: "Mauvais" });
    assert.equal(badSiret.status, 422);
    const { companyId, tutorId, admin } = await companyAndTutor(t.db, f);
    assert.equal((await page.get(`/entreprises/${companyId}`)).status, 200);
    const form = {
      companyId,
      tutorId,
      followUpTrainerId: admin.userId,
      place: "region",
      startDate: "2026-03-02",
      endDate: "2026-06-30",
      plannedHours: "10 h",
      weeklyHours: "35 h",
      timetable: "Lundi–vendredi 9 h – 12 h",
      precontactOn: "2026-02-25",
      nature: "Application",
      objectives: "Pratiquer",
      pedagogicalObjectives: "Accueil",
      positionHeld: "Vendeur",
      followUpModalities: "Une visite",
      outsideOpening: "0",
    };
    const created = await page.post(`/parcours/${p.pathId}/stages`, form);
    assert.equal(created.status, 303, created.html.slice(0, 500));
    const periodUrl = created.location!;
    assert.equal((await page.post(`${periodUrl}/envoyer`, {})).status, 303);
    const mail = await t.db.selectFrom("notification").select("body_text").where("recipient_email", "=", "tuteur@boulangerie.test").orderBy("created_at", "desc").executeTakeFirstOrThrow();
    const link = new URL(mail.body_text.match(/https?:\/\/\S+\/stage\/\S+/)![0]).pathname;
    const tutorPage = await t.app.request(link);
    assert.equal(tutorPage.status, 200);
    const signed = await t.app.request(`${link}/signer`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ signerName: "Paul Tuteur", accept: "1" }) });
    assert.match(await signed.text(), /votre signature est enregistrée/);
    const review = await t.app.request(`${link}/bilan`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ authorName: "Paul Tuteur", activities: "Vente", skills: "Accueil", progress: "Caisse", appreciation: "Bien" }) });
    assert.match(await review.text(), /bilan est enregistré/);
    assert.equal((await page.post(`${periodUrl}/signer`, {})).status, 303);
    const detail = await page.get(periodUrl);
    assert.match(detail.html, /Signée par le tuteur/);
    const pdf = await page.get(`${periodUrl}/convention.pdf`);
    assert.equal(pdf.status, 200);
    const closeRefused = await page.post(`${periodUrl}/etat`, { status: "closed" });
    assert.equal(closeRefused.status, 422, "not started yet");
    const startRefused = await page.post(`${periodUrl}/etat`, { status: "in_progress" });
    assert.equal(startRefused.status, 422);
    assert.match(startRefused.html, /CP-INTERNSHIP-AGREEMENT/);
  });

  test("CP-REFERENT-FOLLOWUP, CP-WELCOME, CP-CATERING-LODGING-INFO, CP-SOCIAL-PROTECTION-FORMS: barriers logged, drop-out alert recorded; the booklet (catering) and incident forms download", async () => {
    const p = await validatedPath(t.db, f, { firstName: "Jules", lastName: "Suivi" });
    const trainee = await t.db.selectFrom("path").select("trainee_id").where("id", "=", p.pathId).executeTakeFirstOrThrow();
    const url = `/stagiaires/${trainee.trainee_id}/suivi`;
    assert.equal((await page.get(url)).status, 200);
    const logged = await page.post(url, { metOn: "2026-03-05", notes: "Point mensuel", barriers: "mobility", resources: "Aide au permis" });
    assert.match(logged.html, /Mobilité/);
    const alert = await page.post(`/stagiaires/${trainee.trainee_id}/alerte`, { reason: "barrier", details: "Plus de moyen de transport" });
    assert.match(alert.html, /Alerte enregistrée|Alerte envoyée/);
    const declared = await page.post(`/stagiaires/${trainee.trainee_id}/declarations`, { kind: "accident", occurredOn: "2026-03-06", description: "Chute" });
    assert.equal(declared.status, 200);
    const incident = await t.db.selectFrom("work_incident").select("id").where("trainee_id", "=", trainee.trainee_id).executeTakeFirstOrThrow();
    assert.equal((await page.get(`/declarations/${incident.id}/pdf`)).status, 200);
    assert.equal((await page.post("/livret-accueil", { commitments: "Assiduité", catering: "Restaurant d'entreprise, 4 € le repas" })).status, 303);
    assert.equal((await page.get(`/parcours/${p.pathId}/livret.pdf`)).status, 200);
    assert.equal((await page.post(`/parcours/${p.pathId}/livret/remise`, { deliveredOn: "2026-03-02", how: "En main propre" })).status, 303);
    const delivery = await t.db.selectFrom("welcome_delivery").select("booklet_sha256").where("path_id", "=", p.pathId).executeTakeFirstOrThrow();
    assert.match(delivery.booklet_sha256, /^[0-9a-f]{64}$/);
  });
});
