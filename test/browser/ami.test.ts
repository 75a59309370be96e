// Issue 15's browser journey (Chromium + axe): the Region publishes the modernisation call; a provider
// drafts, comes back, is refused at 9,99 %, submits and downloads its receipt; the Region ranks and
// retains and designates the expert; the expert records the plan; the committee approves part of it;
// mission 2 shows only the approved actions.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createUser } from "../support/app.ts";
import { type BrowserTest, checkA11y, loginAs, skipWithoutChromium, startBrowserTest } from "../support/browser.ts";
import { createOrderFixture, type OrderFixture } from "../support/fixtures.ts";
import type { Actor } from "../../src/core/auth/actor.ts";
import { SEED_EXPERTS } from "../../src/domains/ami/rules.ts";
import * as ami from "../../src/domains/ami/use-cases.ts";

describe("browser: the modernisation call (AMI), from the call to mission 2 (Chromium + axe)", { skip: skipWithoutChromium() }, () => {
  let b: BrowserTest;
  let f: OrderFixture;
  let callUrl = "";
  let applicationUrl = "";
  const expertEmail = "consultant@bizness.test";

  before(async () => {
    b = await startBrowserTest();
    f = await createOrderFixture(b.db);
    const regionUser = await b.db.selectFrom("app_user").select(["id", "email"]).where("email", "=", f.regionEmail).executeTakeFirstOrThrow();
    const region: Actor = { userId: regionUser.id, role: "region_officer", fullName: "Région", email: regionUser.email, providerId: null, prescriberOrganisationId: null, traineeId: null };
    const experts: Record<string, string> = {};
    for (const name of new Set([...SEED_EXPERTS[1], ...SEED_EXPERTS[2]])) experts[name] = (await ami.createExpertProvider(b.db, region, { name })).id;
    const expertId = await createUser(b.db, { email: expertEmail, role: "expert", fullName: "Camille Consultante" });
    await b.db.insertInto("ami_expert_member").values({ user_id: expertId, expert_provider_id: experts.BIZNESS }).execute();
  });
  after(() => b?.close());

  test("the Region publishes the call with its lots, experts and Paris deadline", async () => {
    const page = await b.newPage();
    await loginAs(page, f.regionEmail);
    await page.getByRole("navigation", { name: "Navigation principale" }).getByRole("link", { name: "AMI modernisation" }).click();
    await checkA11y(page, "/ami (Région)");
    await page.getByRole("link", { name: "Publier un appel" }).click();
    await checkA11y(page, "/ami/appels/nouveau");
    await page.getByLabel("Date limite de dépôt").fill("2026-04-30");
    await page.getByLabel("Heure limite (heure de Paris)").fill("12:00");
    await page.getByLabel("Fin de la mission 2 au plus tard").fill("2026-12-31");
    await page.getByLabel("Texte de l'appel").fill("Le plan régional de modernisation vise à accélérer les transformations du système de formation.");
    await page.getByRole("button", { name: "Publier l'appel" }).click();
    await page.getByRole("heading", { level: 1, name: "Modernisation de l'appareil de formation" }).waitFor();
    callUrl = new URL(page.url()).pathname;
    assert.match((await page.locator("dd").first().textContent()) ?? "", /30\/04\/2026 à 12:00/);
    assert.match((await page.getByRole("table", { name: /Lots et prestataires/ }).textContent()) ?? "", /BIZNESS, LAET'S MIND, MASKOTT/);
    await checkA11y(page, "/ami/appels/:id (Région)");
  });

  test("a provider drafts, comes back, is refused at 9,99 % with its typing kept, submits and downloads its receipt", async () => {
    assert.ok(callUrl);
    const page = await b.newPage();
    await loginAs(page, f.adminEmail);
    await page.goto(callUrl);
    await checkA11y(page, "/ami/appels/:id (organisme)");
    await page.getByRole("button", { name: "Commencer une candidature" }).click();
    await page.getByRole("heading", { level: 1, name: /Candidature/ }).waitFor();
    await checkA11y(page, "/ami/candidatures/:id/modifier");
    await page.getByLabel("a — Évolution des métiers de la formation").fill("Refonte des référentiels en blocs de compétences.");
    await page.getByRole("button", { name: "Enregistrer le brouillon" }).click();
    await page.getByRole("status").filter({ hasText: "Brouillon enregistré" }).waitFor();

    // Comes back later through the AMI page.
    await page.goto("/ami");
    await page.getByRole("table", { name: "Candidatures" }).getByRole("link").first().click();
    applicationUrl = new URL(page.url()).pathname;
    await page.getByRole("link", { name: "Compléter et déposer la candidature" }).click();
    assert.equal(await page.getByLabel("a — Évolution des métiers de la formation").inputValue(), "Refonte des référentiels en blocs de compétences.");
    await page.getByLabel("Membre 1 : nom").fill("Jeanne Martin");
    await page.getByLabel("Membre 1 : fonction").fill("Formatrice");
    await page.getByLabel("Membre 1 : engagement").fill("2 jours par mois");
    await page.getByLabel("Chef de projet", { exact: true }).fill("Jeanne Martin");
    await page.getByLabel(/Part d'un ETP/).fill("9,99");
    await page.getByLabel(/Site de référence/).selectOption({ index: 1 });
    await page.getByLabel("Demandeurs d'emploi peu ou pas qualifiés").check();
    await page.getByLabel("Actions de formation liées à la transition écologique et énergétique").fill("Préparation aux métiers de la rénovation énergétique.");
    await page.getByLabel("Non, jamais").check();
    await page.getByRole("button", { name: "Enregistrer et déposer" }).click();
    const alert = page.getByRole("alert").filter({ hasText: "AMI-COMMITMENT-10PCT" }).first();
    await alert.waitFor();
    assert.match((await alert.textContent()) ?? "", /9,99 %.*10 % au moins/);
    assert.equal(await page.getByLabel(/Part d'un ETP/).inputValue(), "9,99", "what was typed is kept");
    await checkA11y(page, "refusal on /ami/candidatures/:id/deposer");

    await page.getByLabel(/Part d'un ETP/).fill("10");
    await page.getByRole("button", { name: "Enregistrer et déposer" }).click();
    await page.getByRole("heading", { level: 1, name: /Candidature d(e |’|')/ }).waitFor();
    assert.match((await page.locator("h1 .badge").textContent()) ?? "", /Déposée/);
    const download = page.waitForEvent("download");
    await page.getByRole("link", { name: "Télécharger le récapitulatif (PDF)" }).click();
    assert.equal((await download).suggestedFilename(), "ami-recapitulatif.pdf");
    await checkA11y(page, "/ami/candidatures/:id (déposée)");
  });

  test("the Region ranks, retains and designates the expert of the lot", async () => {
    const page = await b.newPage();
    await loginAs(page, f.regionEmail);
    await page.goto(callUrl);
    const ranking = page.getByRole("table", { name: /Par priorité/ });
    assert.match((await ranking.textContent()) ?? "", /jamais accompagné/);
    await checkA11y(page, "/ami/appels/:id ranking");
    await ranking.getByRole("link").first().click();
    await page.getByLabel("Décision").selectOption("retained");
    await page.getByRole("button", { name: "Enregistrer la décision" }).click();
    await page.getByRole("status").filter({ hasText: "Enregistré" }).waitFor();
    await page.getByLabel(/Prestataire expert du Lot 1/).selectOption({ label: "BIZNESS" });
    await page.getByRole("button", { name: "Désigner et ouvrir la mission 1" }).click();
    await page.getByRole("heading", { level: 2, name: /Mission 1/ }).waitFor();
    await checkA11y(page, "/ami/candidatures/:id (mission 1, Région)");
  });

  test("the expert records the diagnostic and the plan; the committee approves part; mission 2 shows only the approved actions", async () => {
    const page = await b.newPage();
    await loginAs(page, expertEmail);
    await page.goto(applicationUrl);
    await page.locator("#f-diagnostic").fill("Une équipe prête, peu d'outils numériques.");
    await page.getByRole("button", { name: "Enregistrer le diagnostic" }).click();
    await page.getByRole("status").filter({ hasText: "Enregistré" }).waitFor();
    for (const [title, days] of [
      ["Plateforme d'apprentissage", "3"],
      ["Casques de réalité virtuelle", "1,5"],
    ]) {
      await page.locator("#f-title").fill(title);
      await page.getByLabel("Membre 1", { exact: true }).selectOption("Jeanne Martin");
      await page.getByLabel("Jours du membre 1").fill(days);
      await page.getByRole("button", { name: "Ajouter l'action" }).click();
      await page.getByRole("status").filter({ hasText: "Enregistré" }).waitFor();
    }
    assert.match((await page.getByRole("table", { name: /Plan d'actions co-construit/ }).textContent()) ?? "", /Jeanne Martin : 1,5 j/);
    await checkA11y(page, "/ami/candidatures/:id (mission 1, expert)");

    const region = await b.newPage();
    await loginAs(region, f.regionEmail);
    await region.goto(applicationUrl);
    await region.getByLabel(/Plateforme d'apprentissage/).check();
    await region.getByRole("button", { name: "Enregistrer la décision et ouvrir la mission 2" }).click();
    await region.getByRole("heading", { level: 2, name: /Mission 2/ }).waitFor();
    const m2 = region.getByRole("table", { name: "Actions approuvées par le comité" });
    const text = (await m2.textContent()) ?? "";
    assert.match(text, /Plateforme d'apprentissage/);
    assert.doesNotMatch(text, /Casques de réalité virtuelle/);
    await checkA11y(region, "/ami/candidatures/:id (mission 2)");
  });
});
