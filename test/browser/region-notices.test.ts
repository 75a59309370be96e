// Issue 13's browser journeys beyond the desk's change requests (Chromium + axe):
// - CP-CONTRIBUTION-RECOVERY: the Region records a forbidden contribution and requires the refund; the provider,
//   from the mail it received, uploads the refund's proof; the Region sees the proof kept and records a recovery claim.
// - CP-TRAINER-CHANGE: a provider records a trainer with a CV and changes an order's teaching team; the Region
//   reads the notice with the CV it carried and acknowledges it. The provider moves the order's site: the Region
//   receives a site-change notice saying what changed.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { actorOf, register } from "../../src/domains/paths/testing.ts";
import { type BrowserTest, checkA11y, loginAs, skipWithoutChromium, startBrowserTest } from "../support/browser.ts";
import { createOrderFixture, type OrderFixture } from "../support/fixtures.ts";

const pdf = (name: string, text: string) => {
  const path = join(tmpdir(), name);
  writeFileSync(path, `%PDF-1.4\n% ${text}\n%%EOF\n`);
  return path;
};
const nav = (page: import("playwright-core").Page) => page.getByRole("navigation", { name: "Navigation principale" });

describe("browser: forbidden contribution and teaching-team notice, Region and provider (Chromium + axe)", { skip: skipWithoutChromium() }, () => {
  let b: BrowserTest;
  let f: OrderFixture;
  let traineeId = "";

  before(async () => {
    b = await startBrowserTest();
    f = await createOrderFixture(b.db);
    const { pathId } = await register(b.db, await actorOf(b.db, f.adminEmail), f, { lastName: "Payeur", firstName: "Paul" });
    traineeId = (await b.db.selectFrom("path").select("trainee_id").where("id", "=", pathId).executeTakeFirstOrThrow()).trainee_id;
  });
  after(() => b?.close());

  test("CP-CONTRIBUTION-RECOVERY: the Region records a finding and requires the refund by a date", async () => {
    const page = await b.newPage();
    await loginAs(page, f.regionEmail);
    await nav(page).getByRole("link", { name: "Participations interdites" }).click();
    await checkA11y(page, "/contributions");
    await page.getByRole("link", { name: "Enregistrer un constat" }).click();
    const provider = await b.db.selectFrom("provider").select("name").where("id", "=", f.providerId).executeTakeFirstOrThrow();
    await page.getByLabel("Organisme concerné").selectOption({ label: provider.name });
    await page.getByRole("button", { name: "Choisir cet organisme" }).click();
    await page.getByRole("heading", { name: `Constat chez ${provider.name}` }).waitFor();
    await checkA11y(page, "/contributions/nouveau?organisme=");
    await page.getByRole("combobox", { name: /^Stagiaire/ }).selectOption(traineeId);
    await page.getByLabel("Date du constat").fill("2026-03-09");
    await page.getByLabel(/Montant payé par le stagiaire/).fill("150,00");
    await page.getByLabel(/Ce qui a été payé/).fill("Frais de dossier de 150 € demandés à l'inscription");
    // A refund required before the finding is refused, in French, on the field.
    await page.getByLabel("Remboursement exigé au plus tard le").fill("2026-03-01");
    await page.getByRole("button", { name: "Enregistrer le constat" }).click();
    await page.getByText("Le remboursement ne peut pas être exigé avant le constat.").first().waitFor();
    await checkA11y(page, "/contributions/nouveau (refus)");
    await page.getByLabel("Remboursement exigé au plus tard le").fill("2026-03-31");
    await page.getByRole("button", { name: "Enregistrer le constat" }).click();
    await page.getByRole("heading", { level: 1, name: /Constat du 09\/03\/2026 — Paul Payeur/ }).waitFor();
    await page.getByText("Remboursement exigé au plus tard le 31/03/2026").waitFor();
    await checkA11y(page, "/contributions/:id (Région)");
  });

  test("CP-CONTRIBUTION-RECOVERY: the provider follows its mail and uploads the refund's proof", async () => {
    const mail = await b.db.selectFrom("notification").select("body_text").where("recipient_email", "=", f.adminEmail).where("subject", "like", "Participation interdite%").executeTakeFirstOrThrow();
    const link = /https?:\/\/\S+\/contributions\/[0-9a-f-]{36}/.exec(mail.body_text ?? "")?.[0];
    assert.ok(link, "the mail to the provider links to the finding");
    const page = await b.newPage();
    await loginAs(page, f.adminEmail);
    await page.goto(new URL(link).pathname);
    await page.getByRole("heading", { level: 1, name: /Constat du 09\/03\/2026/ }).waitFor();
    await checkA11y(page, "/contributions/:id (organisme)");
    // The provider cannot raise a recovery claim: only the Region can.
    assert.equal(await page.getByRole("button", { name: "Enregistrer le titre de recette" }).count(), 0);
    await page.getByLabel("Date du remboursement").fill("2026-03-10");
    await page.getByLabel(/Preuve/).setInputFiles(pdf("virement-remboursement.pdf", "virement"));
    await page.getByRole("button", { name: "Enregistrer le remboursement" }).click();
    await page.getByText("Remboursé le 10/03/2026").waitFor();
    await page.getByRole("link", { name: "preuve du remboursement" }).waitFor();
    await checkA11y(page, "/contributions/:id (remboursé)");
  });

  test("CP-CONTRIBUTION-RECOVERY: the Region sees the refund with its proof kept, and records a recovery claim", async () => {
    const page = await b.newPage();
    await loginAs(page, f.regionEmail);
    await page.goto("/contributions");
    await page.getByRole("row", { name: /Paul Payeur.*150,00.*Remboursé le 10\/03\/2026/ }).waitFor();
    await page.getByRole("link", { name: "09/03/2026" }).click();
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "preuve du remboursement" }).click()]);
    assert.equal(download.suggestedFilename(), "virement-remboursement.pdf");
    await page.getByLabel("Montant (euros)").fill("50");
    await page.getByLabel("Date du titre").fill("2026-03-10");
    await page.getByRole("button", { name: "Enregistrer le titre de recette" }).click();
    await page.getByText(/50,00.*émis le 10\/03\/2026/).waitFor();
    await checkA11y(page, "/contributions/:id (titre de recette)");
  });

  test("CP-TRAINER-CHANGE: the provider records a trainer with a CV and changes the order's teaching team", async () => {
    const page = await b.newPage();
    await loginAs(page, f.adminEmail);
    await nav(page).getByRole("link", { name: "Formateurs", exact: true }).click();
    await checkA11y(page, "/formateurs");
    await page.getByLabel("Nom et prénom").fill("Aïcha Benali");
    await page.getByLabel(/Qualifications/).fill("Titre professionnel FPA, 6 ans de FLE");
    await page.getByLabel(/^CV/).setInputFiles(pdf("cv-aicha-benali.pdf", "CV"));
    await page.getByRole("button", { name: "Ajouter le formateur" }).click();
    await page.getByText("Le formateur a été enregistré.").waitFor();
    await page.getByRole("link", { name: "CV de Aïcha Benali" }).waitFor();
    await checkA11y(page, "/formateurs (enregistré)");

    await page.goto(`/commandes/${f.orderId}`);
    await page.getByRole("link", { name: "Équipe pédagogique" }).click();
    await page.getByRole("heading", { level: 1, name: /Équipe pédagogique de la commande/ }).waitFor();
    await checkA11y(page, "/commandes/:id/equipe");
    await page.getByLabel("Aïcha Benali").check();
    await page.getByLabel("Motif du changement").fill("Renfort de l'équipe pour le module FLE");
    await page.getByRole("button", { name: "Notifier le changement à la Région" }).click();
    await page.getByText("Le changement a été notifié à la Région avec les CV des nouveaux formateurs.").waitFor();
    await page.getByRole("cell", { name: "Aïcha Benali" }).waitFor();
    await page.getByRole("cell", { name: "À prendre en compte" }).waitFor();
    await checkA11y(page, "/commandes/:id/equipe (avis)");
  });

  test("CP-TRAINER-CHANGE: the Region reads the notice with the new trainer's CV and acknowledges it", async () => {
    const page = await b.newPage();
    await loginAs(page, f.regionEmail);
    await nav(page).getByRole("link", { name: "Équipes pédagogiques" }).click();
    await checkA11y(page, "/equipes-pedagogiques/avis");
    await page.getByRole("link", { name: "Voir les avis à prendre en compte" }).click();
    await page.getByRole("link", { name: /^EP-/ }).first().click();
    await page.getByRole("heading", { level: 1, name: /Changement d'équipe pédagogique — avis EP-/ }).waitFor();
    await page.getByText("Renfort de l'équipe pour le module FLE").waitFor();
    await checkA11y(page, "/equipes-pedagogiques/avis/:id");
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "CV de Aïcha Benali" }).click()]);
    assert.equal(download.suggestedFilename(), "cv-aicha-benali.pdf");
    await page.getByRole("button", { name: "Accuser réception de l'avis" }).click();
    await page.getByText("Avis pris en compte.").waitFor();
    assert.equal(await page.getByRole("button", { name: "Accuser réception de l'avis" }).count(), 0);
    await checkA11y(page, "/equipes-pedagogiques/avis/:id (pris en compte)");
  });

  test("CP-TRAINER-CHANGE: the provider changes the address of the order's site; the Region reads the site-change notice", async () => {
    const page = await b.newPage();
    await loginAs(page, f.adminEmail);
    await page.goto(`/offre/sites/${f.siteId}`);
    await page.getByLabel("Adresse").fill("12 allée Jean Jaurès");
    await page.getByRole("button", { name: /Enregistrer/ }).click();
    await page.getByText(/Le changement a été notifié à la Région \(CP-TRAINER-CHANGE\) : 1 avis/).waitFor();
    await checkA11y(page, "/offre/sites (avis de changement de site)");

    const region = await b.newPage();
    await loginAs(region, f.regionEmail);
    await region.goto("/equipes-pedagogiques/avis?ouverts=1");
    await region.getByRole("row", { name: /Changement de site/ }).getByRole("link", { name: /^EP-/ }).click();
    await region.getByRole("heading", { level: 1, name: /Changement de site — avis EP-/ }).waitFor();
    await region.getByText(/adresse : 1 rue du Test → 12 allée Jean Jaurès/).waitFor();
    await checkA11y(region, "/equipes-pedagogiques/avis/:id (site)");
    await region.getByRole("button", { name: "Accuser réception de l'avis" }).click();
    await region.getByText("Avis pris en compte.").waitFor();
  });
});
