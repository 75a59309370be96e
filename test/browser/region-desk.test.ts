// Issue 13's browser journey: a provider files new bank details with its RIB; the regional officer
// accepts them, filters the dashboard and exports it, and works the compliance board (Chromium + axe).
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { type BrowserTest, checkA11y, loginAs, skipWithoutChromium, startBrowserTest } from "../support/browser.ts";
import { createOrderFixture, type OrderFixture } from "../support/fixtures.ts";
import { runEvidenceReportOnce } from "../../src/domains/attendance/use-cases.ts";

describe("browser: the Region's desk — change request, dashboard, compliance board (Chromium + axe)", { skip: skipWithoutChromium() }, () => {
  let b: BrowserTest;
  let f: OrderFixture;
  let requestUrl = "";

  before(async () => {
    b = await startBrowserTest();
    f = await createOrderFixture(b.db);
  });
  after(() => b?.close());

  test("a provider files new bank details with the RIB attached (an IBAN off its checksum is refused first)", async () => {
    const page = await b.newPage();
    await loginAs(page, f.adminEmail);
    await page.getByRole("navigation", { name: "Navigation principale" }).getByRole("link", { name: "Demandes", exact: true }).click();
    await checkA11y(page, "/demandes");
    await page.getByRole("link", { name: "Nouvelle demande" }).click();
    await page.getByLabel("Objet de la demande").selectOption("bank_details");
    await page.getByRole("button", { name: "Choisir" }).click();
    await checkA11y(page, "/demandes/nouvelle?type=bank_details");
    await page.getByLabel("IBAN").fill("FR76 3000 6000 0112 3456 7890 188");
    await page.getByLabel("BIC").fill("AGRIFRPP");
    await page.getByLabel("Titulaire du compte").fill("Organisme de test");
    await page.getByLabel(/Motif de la demande/).fill("Changement de banque");
    const rib = join(tmpdir(), "rib-test.pdf");
    writeFileSync(rib, "%PDF-1.4\n% RIB\n%%EOF\n");
    await page.getByLabel(/Pièces justificatives/).setInputFiles(rib);
    await page.getByRole("button", { name: "Déposer la demande" }).click();
    await page.getByText(/clé de contrôle incorrecte/).first().waitFor();
    await checkA11y(page, "/demandes/nouvelle (refus)");
    await page.getByLabel("IBAN").fill("FR76 3000 6000 0112 3456 7890 189");
    await page.getByLabel(/Pièces justificatives/).setInputFiles(rib);
    await page.getByRole("button", { name: "Déposer la demande" }).click();
    await page.getByRole("heading", { level: 1, name: /Coordonnées bancaires/ }).waitFor();
    requestUrl = new URL(page.url()).pathname;
    assert.match((await page.content()) ?? "", /rib-test\.pdf/);
    await checkA11y(page, "/demandes/:id");
  });

  test("the regional officer accepts the bank-details change", async () => {
    const page = await b.newPage();
    await loginAs(page, f.regionEmail);
    await page.goto(`${b.baseUrl}/demandes?statut=filed`);
    await page.getByRole("link", { name: /^DM-/ }).first().click();
    await checkA11y(page, "/demandes/:id (Région)");
    await page.getByLabel(/Accepter/).check();
    await page.getByRole("button", { name: "Enregistrer la décision" }).click();
    await page.getByText("Acceptée", { exact: true }).waitFor();
    assert.equal(new URL(page.url()).pathname, requestUrl);
    const provider = await b.db.selectFrom("provider").select("iban").where("id", "=", f.providerId).executeTakeFirstOrThrow();
    assert.equal(provider.iban, "FR7630006000011234567890189");
  });

  test("the officer filters the dashboard, reads figures with their base, exports it, and works the compliance board", async () => {
    const page = await b.newPage();
    await loginAs(page, f.regionEmail);
    await page.getByRole("navigation", { name: "Navigation principale" }).getByRole("link", { name: "Tableau de bord" }).click();
    await checkA11y(page, "/tableau-de-bord");
    await page.getByLabel("Année des commandes").selectOption("2026");
    await page.getByLabel("Catégorie").selectOption("transverse");
    await page.getByRole("button", { name: "Filtrer" }).click();
    await page.getByRole("heading", { name: /Organisation et effectifs/ }).waitFor();
    assert.match(page.url(), /year=2026/);
    await page.getByRole("row", { name: /Taux de validation VAE totale.*masqué \(moins de 5 personnes\)/ }).waitFor();
    await checkA11y(page, "/tableau-de-bord?year=2026");
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Exporter en CSV (Excel)" }).click()]);
    assert.equal(download.suggestedFilename(), "tableau-de-bord.csv");

    await page.getByRole("navigation", { name: "Navigation principale" }).getByRole("link", { name: "Conformité" }).click();
    await checkA11y(page, "/conformite");
    await page.getByLabel("Règle").selectOption("CP-QUALIOPI");
    await page.getByRole("button", { name: "Filtrer" }).click();
    await page.getByRole("cell", { name: "CP-QUALIOPI" }).first().waitFor();
    await page.getByRole("columnheader", { name: "Organisme" }).getByRole("link").click();
    assert.match(page.url(), /sort=provider/);
    await checkA11y(page, "/conformite?sort=provider");
  });

  test("the officer asks for a complete evidence verification from the keyboard; the background run's report says which run it was (docs/adr/0047)", async () => {
    const page = await b.newPage();
    await loginAs(page, f.regionEmail);
    await page.goto(`${b.baseUrl}/preuves`);
    await checkA11y(page, "/preuves");
    await page.getByRole("button", { name: "Lancer une vérification complète" }).focus();
    await page.keyboard.press("Enter");
    await page.getByRole("status").filter({ hasText: /prochaine tâche de fond/ }).waitFor();
    await checkA11y(page, "/preuves (demandée)");
    assert.equal((await runEvidenceReportOnce(b.db, b.clock))?.complete, true);
    await page.reload();
    await page.getByText(/Vérification complète terminée/).waitFor();
    await page.getByRole("button", { name: "Relancer la vérification" }).click();
    assert.equal((await runEvidenceReportOnce(b.db, b.clock))?.complete, false);
    await page.reload();
    await page.getByText(/Vérification courante terminée/).waitFor();
    await checkA11y(page, "/preuves (rapport)");
  });
});
