// The Region's and the provider's offer pages in Chromium: forms by label, htmx live checks, axe.
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { after, before, describe, test } from "node:test";
import { createUser } from "../../../test/support/app.ts";
import { type BrowserTest, checkA11y, loginAs, PHONE, skipWithoutChromium, startBrowserTest } from "../../../test/support/browser.ts";
import { newId } from "../../core/time.ts";

/** axe, plus unique ids: two forms on one page must not share a label's target. */
async function checkPage(page: Page, label: string) {
  await checkA11y(page, label);
  const duplicates = await page.evaluate(() => {
    const ids = [...document.querySelectorAll("[id]")].map((e) => e.id);
    return ids.filter((id, i) => ids.indexOf(id) !== i);
  });
  assert.deepEqual(duplicates, [], `duplicate ids on ${label}`);
}

describe("browser: lots, providers, sites, components (Chromium + axe)", { skip: skipWithoutChromium() }, () => {
  let b: BrowserTest;
  before(async () => {
    b = await startBrowserTest();
    for (const [code, name] of [["31", "Haute-Garonne"], ["81", "Tarn"], ["34", "Hérault"]]) {
      await b.db.insertInto("departement").values({ code, name }).onConflict((oc) => oc.doNothing()).execute();
    }
    await createUser(b.db, { email: "region@region.test", role: "region_officer", fullName: "Claire Région" });
  });
  after(() => b?.close());

  test("the Region creates a lot and a provider through the forms, pages axe clean", async () => {
    const page = await b.newPage();
    await loginAs(page, "region@region.test");
    await page.goto("/lots/nouveau");
    await checkPage(page, "/lots/nouveau");
    await page.getByLabel("Code du lot").fill("LOT-1");
    await page.getByLabel("Nom du lot").fill("Ouest Occitanie");
    await page.getByLabel("Fin de l'accord-cadre").fill("2027-12-31");
    await page.getByLabel("31 — Haute-Garonne").check();
    await page.getByLabel("81 — Tarn").check();
    await page.getByLabel("Intitulé (ligne 1)").fill("Anglais professionnel");
    await page.getByRole("button", { name: "Enregistrer le lot" }).click();
    await page.getByText("Le lot a été enregistré.").waitFor();
    await page.goto("/lots");
    await checkPage(page, "/lots");

    await page.goto("/organismes/nouveau");
    await page.getByLabel("Raison sociale").fill("Formations du Midi");
    await page.getByLabel("SIRET").fill("73282932000075");
    await page.getByRole("button", { name: "Enregistrer l'organisme" }).click();
    // Once in the error summary (a link to the field), once next to the field.
    await page.locator("#f-siret-err").getByText("clé de contrôle incorrecte").waitFor();
    await page.getByRole("link", { name: /clé de contrôle incorrecte/ }).waitFor();
    await checkPage(page, "/organismes/nouveau (erreur)");
    await page.getByLabel("SIRET").fill("732 829 320 00074");
    await page.getByRole("button", { name: "Enregistrer l'organisme" }).click();
    await page.getByText("L'organisme a été enregistré.").waitFor();
    assert.ok(await page.locator('[data-code="CP-QUALIOPI"]').count());
    await checkPage(page, "/organismes/:id");
    await page.getByLabel("Nom et prénom").last().fill("Paul Admin");
    await page.getByLabel("Courriel (identifiant de connexion)").fill("admin@midi.test");
    await page.getByLabel("Rôle").selectOption("provider_admin");
    await page.getByLabel("Mot de passe initial").fill("un-mot-de-passe-solide");
    await page.getByRole("button", { name: "Créer le compte" }).click();
    await page.getByText("Le compte a été créé.").waitFor();
    await page.goto("/organismes");
    await checkPage(page, "/organismes");
  });

  test("the provider declares a site and a component; the checks update live as it types", async () => {
    const page = await b.newPage();
    await loginAs(page, "admin@midi.test", "un-mot-de-passe-solide");
    await page.goto("/organisme");
    await checkPage(page, "/organisme");
    await page.goto("/offre/sites");
    await page.getByLabel("Nom du site").fill("Toulouse Compans");
    await page.getByLabel("Adresse").fill("5 rue du Caffarelli");
    await page.getByLabel("Code postal").fill("31000");
    await page.getByLabel("Commune").fill("Toulouse");
    await page.getByLabel("Département").selectOption("31");
    await page.getByRole("button", { name: "Ajouter le site" }).click();
    await page.getByText("Le site a été enregistré.").waitFor();
    await checkPage(page, "/offre/sites");

    await page.goto("/offre/composantes/nouvelle");
    await page.getByRole("combobox", { name: /^Lot/ }).selectOption({ label: "LOT-1 — Ouest Occitanie (31, 81)" });
    await page.getByLabel("Intitulé de la composante").fill("Bureautique — Word, Excel");
    await page.getByLabel(/Toulouse Compans/).check();
    await page.getByRole("button", { name: "Créer la composante" }).click();
    await page.getByRole("heading", { level: 1, name: "Bureautique — Word, Excel" }).waitFor();
    const checks = page.locator("#checks");
    assert.match((await checks.textContent()) ?? "", /usages du numérique/);
    await checkPage(page, "/offre/composantes/:id");

    // htmx: picking the digital subcategory in its list refreshes the panel before saving.
    await page.getByLabel("Sous-catégorie").selectOption({ label: "Numérique et logiciels" });
    await page.waitForFunction(() => !document.querySelector("#checks")?.textContent?.includes("usages du numérique"));
    assert.match((await page.locator("#checks").textContent()) ?? "", /soft skills/);

    await page.getByLabel("Intitulé du module").fill("Techniques de recherche d'emploi");
    await page.getByLabel("Durée").fill("14h");
    await page.getByLabel("Contenu transverse").selectOption("job_search");
    await page.getByRole("button", { name: "Ajouter le module" }).click();
    await page.getByRole("cell", { name: "14 h", exact: true }).waitFor();
    await page.goto("/offre");
    await checkPage(page, "/offre (organisme)");
  });

  test("the Region's review list and the pages fit a phone", async () => {
    const page = await b.newPage({ viewport: PHONE });
    await loginAs(page, "region@region.test");
    await page.goto("/offre?statut=tous");
    await page.getByRole("link", { name: "Bureautique — Word, Excel" }).waitFor();
    await checkPage(page, "/offre (Région, téléphone)");
    await page.getByRole("link", { name: "Bureautique — Word, Excel" }).click();
    await page.getByRole("heading", { level: 2, name: "Vérifier" }).waitFor();
    await checkPage(page, "/offre/composantes/:id (Région, téléphone)");
    const res = await page.goto(`/lots/${newId()}`);
    assert.equal(res?.status(), 404);
  });
});
