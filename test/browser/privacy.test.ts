// Issue 9 point 9's browser journey: a trainee opens « Mes données » and downloads their archive;
// provider staff read the trainee's path (audited); the Region finds the trainee, sees who read the
// record, and erases them on request — the page then shows the pseudonym.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createUser } from "../support/app.ts";
import { type BrowserTest, checkA11y, loginAs, skipWithoutChromium, startBrowserTest } from "../support/browser.ts";
import { createOrderFixture, type OrderFixture } from "../support/fixtures.ts";
import { actorOf, register } from "../../src/domains/paths/testing.ts";

describe("browser: personal data — Mes données, audited reads, erasure by the Region (Chromium + axe)", { skip: skipWithoutChromium() }, () => {
  let b: BrowserTest;
  let f: OrderFixture;
  let trainee: { traineeId: string; pathId: string };

  before(async () => {
    b = await startBrowserTest();
    f = await createOrderFixture(b.db);
    trainee = await register(b.db, await actorOf(b.db, f.adminEmail), f, { firstName: "Léonie", lastName: "Brassens-Navarre", email: "leonie.bn@exemple.fr" });
    await createUser(b.db, { email: "leonie.bn@exemple.fr", role: "trainee", traineeId: trainee.traineeId, fullName: "Léonie Brassens-Navarre" });
  });
  after(() => b?.close());

  test("the trainee reads Mes données; the provider's read is listed; the Region erases the trainee", async () => {
    const staff = await b.newPage();
    await loginAs(staff, f.adminEmail);
    await staff.goto(`${b.baseUrl}/parcours/${trainee.pathId}`);
    await staff.getByRole("heading", { level: 1, name: /Léonie Brassens-Navarre/ }).waitFor();

    const me = await b.newPage();
    await loginAs(me, "leonie.bn@exemple.fr");
    await me.goto(`${b.baseUrl}/mon-compte`);
    await me.getByRole("link", { name: "Mes données personnelles" }).click();
    await me.getByRole("heading", { level: 1, name: "Mes données personnelles" }).waitFor();
    await checkA11y(me, "/mes-donnees");
    assert.match((await me.locator("table").textContent()) ?? "", /Lecture : parcours/);
    const archive = await me.request.get(`${b.baseUrl}/mes-donnees/archive.json`);
    assert.equal(archive.status(), 200);
    assert.equal((await archive.json()).trainee.trainee.last_name, "Brassens-Navarre");

    const region = await b.newPage();
    await loginAs(region, f.regionEmail);
    await region.getByRole("navigation", { name: "Navigation principale" }).getByRole("link", { name: "Données personnelles" }).click();
    await region.getByLabel("Nom, adresse e-mail ou identifiant France Travail").fill("Brassens");
    await region.getByRole("button", { name: "Rechercher" }).click();
    await checkA11y(region, "/rgpd?q=");
    await region.getByRole("link", { name: "Léonie Brassens-Navarre" }).first().click();
    await region.getByRole("heading", { level: 1, name: /Léonie Brassens-Navarre/ }).waitFor();
    await checkA11y(region, "/rgpd/stagiaires/:id");
    await region.getByLabel(/Motif et référence de la demande/).fill("Courrier du 3 mars 2026");
    await region.getByLabel("Je confirme l'effacement définitif des données de cette personne.").check();
    await region.getByRole("button", { name: "Effacer" }).click();
    await region.getByRole("status").filter({ hasText: "Données effacées" }).waitFor();
    await region.getByRole("heading", { level: 1, name: /Personne effacée/ }).waitFor();
    assert.match((await region.locator("main").textContent()) ?? "", /à la demande de la personne : Courrier du 3 mars 2026/);
  });
});
