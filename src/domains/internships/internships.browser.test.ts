// Browser journey (Chromium + axe), issue 11: a provider prepares a period and its agreement; the trainee
// and the tutor sign on their phones (390 px) through their personal links; a company slot is scheduled
// and the tutor attests it from their link; the visit and the reviews are recorded; the period closes;
// the signed agreement PDF downloads.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Page } from "playwright-core";
import { createUser } from "../../../test/support/app.ts";
import { type BrowserTest, BROWSER_TODAY, checkA11y, loginAs, PHONE, skipWithoutChromium, startBrowserTest } from "../../../test/support/browser.ts";
import { createOrderFixture, type OrderFixture } from "../../../test/support/fixtures.ts";
import { addDays } from "../../core/time.ts";
import { actorOf } from "../paths/testing.ts";
import { validatedPath } from "../schedule/testing.ts";
import { createSlot } from "../schedule/use-cases.ts";
import { companyAndTutor } from "./testing.ts";

async function draw(page: Page, selector: string) {
  const canvas = page.locator(selector);
  await canvas.scrollIntoViewIfNeeded();
  const box = await canvas.boundingBox();
  assert.ok(box, "signature canvas visible");
  await page.mouse.move(box.x + 20, box.y + 40);
  await page.mouse.down();
  for (let i = 1; i <= 12; i++) await page.mouse.move(box.x + 20 + i * 20, box.y + 40 + (i % 2 ? 50 : 0), { steps: 2 });
  await page.mouse.up();
}

const noHorizontalScroll = async (page: Page) => {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= PHONE.width + 1, `no horizontal scroll on a phone (${width}px)`);
};

describe("browser: a company period from preparation to the signed agreement (Chromium + axe)", { skip: skipWithoutChromium() }, () => {
  let b: BrowserTest;
  let f: OrderFixture;
  let pathId: string;
  const today = BROWSER_TODAY;

  before(async () => {
    b = await startBrowserTest();
    f = await createOrderFixture(b.db, { plannedStart: addDays(today, -10), plannedEnd: addDays(today, 200), frameworkEnd: addDays(today, 400) });
    const p = await validatedPath(b.db, f, { firstName: "Inès", lastName: "Stage", company: 600, agreement: false, entryDate: today, plannedExitDate: addDays(today, 100) });
    pathId = p.pathId;
    await companyAndTutor(b.db, f);
    await b.db.updateTable("trainee").set({ email: "ines.stage@exemple.fr" }).where("id", "=", p.traineeId).execute();
    await createUser(b.db, { email: "ines.stage@exemple.fr", role: "trainee", traineeId: p.traineeId, fullName: "Inès Stage" });
  });
  after(() => b?.close());

  const linkFor = async (email: string) => {
    const mail = await b.db.selectFrom("notification").select("body_text").where("recipient_email", "=", email).where("subject", "like", "%convention%").orderBy("created_at", "desc").executeTakeFirstOrThrow();
    return new URL(mail.body_text.match(/https?:\/\/\S+\/stage\/\S+/)![0]).pathname;
  };

  test("CP-INTERNSHIP-AGREEMENT, CP-INTERNSHIP-VISIT, CP-INTERNSHIP-REVIEW: prepare, sign on phones, attest a company slot, visit, reviews, close, PDF", { timeout: 180_000 }, async () => {
    // 1. The provider prepares the period and its agreement.
    const staff = await b.newPage();
    await loginAs(staff, f.adminEmail);
    await staff.goto(`/parcours/${pathId}`);
    await staff.getByRole("link", { name: /Périodes en entreprise, conventions/ }).click();
    await staff.waitForURL(/\/stages$/);
    await checkA11y(staff, "/parcours/:id/stages");
    const form = staff.locator(`form[action="/parcours/${pathId}/stages"]`);
    await form.getByLabel("Entreprise d'accueil").selectOption({ label: "Boulangerie Dupont" });
    await form.getByLabel("Tuteur ou tutrice").selectOption({ index: 1 });
    await form.getByLabel("Formateur·rice de suivi").selectOption({ index: 1 });
    await form.getByLabel("Début").fill(today);
    await form.getByLabel("Fin").fill(addDays(today, 60));
    await form.getByLabel("Heures prévues (ex. 35 h)").fill("10 h");
    await form.getByLabel("Heures par semaine au plus (35 h maximum)").fill("35 h");
    await form.getByLabel("Planning (jours et horaires)").fill("Du lundi au vendredi, 8 h – 12 h");
    await form.getByLabel("Contact préalable avec le tuteur (date)").fill(addDays(today, -3));
    await form.getByLabel("Nature de la période").fill("Période d'application");
    await form.getByLabel("Objectifs", { exact: true }).fill("Mettre en pratique");
    await form.getByLabel("Objectifs pédagogiques").fill("Accueil de la clientèle");
    await form.getByLabel("Poste occupé").fill("Vendeuse");
    await form.getByLabel("Modalités de suivi (nombre, fréquence, nature)").fill("Une visite, un appel par semaine");
    await form.getByRole("button", { name: "Créer la période" }).click();
    await staff.waitForURL(/\/periodes\/[0-9a-f-]{36}$/);
    const periodUrl = new URL(staff.url()).pathname;
    await checkA11y(staff, "/periodes/:id (préparation)");
    await staff.getByRole("button", { name: "Envoyer à la signature" }).click();
    await staff.getByRole("button", { name: "Renvoyer les liens de signature" }).waitFor();

    // 2. The trainee and the tutor sign on their phones through their personal links.
    for (const [email, name] of [["ines.stage@exemple.fr", "Inès Stage"], ["tuteur@boulangerie.test", "Paul Tuteur"]] as const) {
      const phone = await b.newPage({ viewport: PHONE });
      await phone.goto(await linkFor(email));
      await checkA11y(phone, `/stage/:token (${name}, à signer)`);
      await noHorizontalScroll(phone);
      await phone.getByLabel("Votre nom").first().fill(name);
      await phone.getByLabel("J'ai lu la convention et je la signe").check();
      await phone.getByRole("button", { name: "Signer la convention" }).click();
      await phone.getByText(/votre signature est enregistrée/).waitFor();
      await checkA11y(phone, `/stage/:token (${name}, signé)`);
    }
    await staff.reload();
    await staff.getByRole("button", { name: "Signer pour l'organisme" }).click();
    await staff.getByText(/Signée par l'organisme de formation/).waitFor();
    await staff.getByRole("button", { name: "Commencer la période" }).click();
    await staff.getByRole("button", { name: "Clôturer la période" }).waitFor();

    // 3. A company slot is scheduled (now allowed: three signatures) and the tutor attests it from their link.
    const admin = await actorOf(b.db, f.adminEmail);
    const slot = await createSlot(b.db, admin, { orderLineId: f.orderLineId, pathIds: [pathId], date: today, startTime: "08:00", endTime: "09:30", modality: "company", place: "Boulangerie Dupont", holidayOverride: false });
    assert.ok(slot.id);
    const tutor = await b.newPage({ viewport: PHONE });
    await tutor.goto(await linkFor("tuteur@boulangerie.test"));
    await tutor.getByRole("button", { name: "Attester ce créneau" }).click();
    await tutor.waitForURL(/\/lien\//);
    await checkA11y(tutor, "/lien/:token (tuteur)");
    await tutor.getByLabel("Votre nom (tuteur·rice)").fill("Paul Tuteur");
    await draw(tutor, "canvas");
    await tutor.getByRole("button", { name: "Attester et signer" }).click();
    await tutor.getByText(/enregistr/).first().waitFor();
    const attendance = await b.db.selectFrom("attendance").select(["status"]).where("slot_id", "=", slot.id).where("path_id", "=", pathId).executeTakeFirstOrThrow();
    assert.equal(attendance.status, "present");

    // 4. The tutor's review through the link; the visit and the referent's review by staff; closing.
    await tutor.goto(await linkFor("tuteur@boulangerie.test"));
    const review = tutor.locator('form[action$="/bilan"]');
    await review.getByLabel("Votre nom").fill("Paul Tuteur");
    await review.getByLabel("Activités réalisées").fill("Vente, mise en rayon");
    await review.getByLabel("Compétences acquises").fill("Accueil client");
    await review.getByLabel("Appréciation de l'entreprise").fill("Très bien");
    await review.getByRole("button", { name: "Envoyer le bilan" }).click();
    await tutor.getByText(/bilan est enregistré/).waitFor();
    await noHorizontalScroll(tutor);

    await staff.goto(periodUrl);
    const visit = staff.locator(`form[action="${periodUrl}/visites"]`);
    await visit.getByLabel("Date de la visite faite").fill(today);
    await visit.getByLabel("Personnes rencontrées").fill("Le tuteur et la stagiaire");
    await visit.getByLabel("Observations").fill("Bonne intégration");
    await visit.getByRole("button", { name: "Enregistrer la visite" }).click();
    await staff.getByText(/Visite du/).waitFor();
    const referent = staff.locator(`form[action="${periodUrl}/bilan"]`);
    await referent.getByLabel("Compétences acquises").fill("Encaissement");
    await referent.getByRole("button", { name: "Enregistrer le bilan du formateur" }).click();
    await staff.getByRole("link", { name: /Réajuster le parcours/ }).waitFor();
    await staff.getByRole("button", { name: "Clôturer la période" }).click();
    await staff.getByText("Clôturée", { exact: false }).first().waitFor();
    await checkA11y(staff, "/periodes/:id (clôturée)");

    // 5. The signed agreement PDF downloads.
    const pdf = await staff.request.get(`${periodUrl}/convention.pdf`);
    assert.equal(pdf.status(), 200);
    assert.equal(pdf.headers()["content-type"], "application/pdf");
    assert.equal((await pdf.body()).subarray(0, 4).toString("latin1"), "%PDF");
    const period = await b.db.selectFrom("company_period").select("status").where("path_id", "=", pathId).executeTakeFirstOrThrow();
    assert.equal(period.status, "closed");
  });
});
