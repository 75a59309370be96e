import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { type BrowserTest, checkA11y, loginAs, PHONE, skipWithoutChromium, startBrowserTest } from "../../../test/support/browser.ts";
import { createOrderFixture, type OrderFixture } from "../../../test/support/fixtures.ts";
import { addAttendance, addSlot } from "../ledger/testing.ts";
import { actorOf, mod, plan, position, register } from "../paths/testing.ts";
import { exitPath, savePlan, validatePath } from "../paths/use-cases.ts";
import { insertPath } from "./test-fixtures.ts";

describe("browser: the Region places an order with live totals; the order page (Chromium + axe)", { skip: skipWithoutChromium() }, () => {
  let b: BrowserTest;
  let f: OrderFixture;
  before(async () => {
    b = await startBrowserTest();
    f = await createOrderFixture(b.db);
    await insertPath(b.db, { providerId: f.providerId, orderId: f.orderId, orderLineId: f.orderLineId, siteId: f.siteId });
  });
  after(() => b?.close());

  test("CP-ORDER-CONTENT: choosing lot and provider, typing a line updates the ordered hours live (htmx), then the order is placed", async () => {
    const page = await b.newPage();
    await loginAs(page, f.regionEmail);
    await page.goto("/commandes/nouvelle");
    await checkA11y(page, "/commandes/nouvelle (choix)");
    await page.getByLabel("Lot").selectOption(f.lotId);
    await page.getByLabel("Organisme de formation").selectOption(f.providerId);
    await page.getByRole("button", { name: "Afficher l'offre acceptée" }).click();
    await page.getByLabel("Numéro du bon de commande").fill("BC-2026-031-777");
    await page.getByLabel("Début prévu").fill("2026-02-01");
    await page.getByLabel("Fin prévue").fill("2026-12-31");
    await page.getByLabel("Effectif prévisionnel (indicatif)").fill("10");
    await page.getByLabel("Prix de l'heure (€)").fill("12,50");
    await page.getByLabel("Commander cette composante").check();
    await page.getByLabel("Effectif de la composante").fill("10");
    await page.getByLabel("Parcours moyen : heures en entreprise").fill("35");
    // 10 × (190 h from the offer + 35 h) = 2 250 h, computed by the server as the user types…
    await page.locator('[data-total="total"]', { hasText: "2250 h" }).waitFor({ timeout: 5000 });
    assert.equal(await page.locator('[data-total="company"]').textContent(), "350 h");
    // …but a 225 h average path is refused on save (CP-PATH-MAX-200H), next to the field, values kept.
    await page.getByRole("button", { name: "Passer la commande" }).click();
    await page.locator(".field-error", { hasText: "CP-PATH-MAX-200H" }).waitFor();
    assert.equal(await page.getByLabel("Numéro du bon de commande").inputValue(), "BC-2026-031-777");
    await checkA11y(page, "/commandes/nouvelle (erreurs)");
    await page.getByLabel("Parcours moyen : heures en entreprise").fill("10");
    await page.locator('[data-total="total"]', { hasText: "2000 h" }).waitFor({ timeout: 5000 });
    await checkA11y(page, "/commandes/nouvelle (formulaire)");
    await page.getByRole("button", { name: "Passer la commande" }).click();
    await page.waitForURL(/\/commandes\/[0-9a-f-]{36}\?enregistre=1$/);
    assert.equal(await page.getByRole("heading", { level: 1 }).textContent(), "Commande BC-2026-031-777 En cours");
    await page.getByRole("status").filter({ hasText: "La commande a été enregistrée." }).waitFor();
    await checkA11y(page, "/commandes/:id (Région)");
    await page.getByRole("link", { name: "Modifier la commande" }).click();
    await page.getByLabel("Prix de l'heure (€)").waitFor();
    assert.equal(await page.getByLabel("Prix de l'heure (€)").inputValue(), "12,50");
    await checkA11y(page, "/commandes/:id/modifier");
  });

  test("the order page: consumption chart as an image with its text, tables, findings; axe clean on desktop and phone", async () => {
    const page = await b.newPage({ viewport: PHONE });
    await loginAs(page, f.adminEmail);
    await page.goto(`/commandes/${f.orderId}`);
    const chart = page.getByRole("img", { name: /^Total de la commande : commandé 2000 h/ });
    await chart.waitFor();
    await page.getByRole("table", { name: "Parcours par statut" }).waitFor();
    await page.getByRole("link", { name: "Inscrire un stagiaire sur cette commande" }).waitFor();
    await checkA11y(page, `/commandes/${f.orderId} (téléphone)`);
    await page.goto("/commandes");
    await checkA11y(page, "/commandes");
  });

  test("CP-SELFSTUDY-MAX-20: the order page lists the paths blocking the close; once they are over it closes with the warning; axe clean", async () => {
    // A path still running (the fixture's draft): the page lists it, linked, and offers no close button.
    const page = await b.newPage();
    await loginAs(page, f.regionEmail);
    await page.goto(`/commandes/${f.orderId}`);
    const blocking = page.locator("#parcours-bloquants");
    await blocking.getByRole("heading", { name: "1 parcours empêche la clôture" }).waitFor();
    assert.equal(await blocking.getByRole("link").count(), 1, "the running path, linked");
    assert.match((await blocking.getByRole("link").getAttribute("href")) ?? "", /^\/parcours\//);
    assert.equal(await page.getByRole("button", { name: "Clôturer la commande" }).count(), 0, "no close button while a path runs");
    await checkA11y(page, "/commandes/:id (clôture bloquée)");

    // An order whose only path realised 2 h 01 min of self-study for 10 h 01 min of centre hours (positioning included, §12.2): closes with the warning.
    const g = await createOrderFixture(b.db, { headcount: 1, centreMinutes: 6000, companyMinutes: 0 });
    const admin = await actorOf(b.db, g.adminEmail);
    const { pathId } = await register(b.db, admin, g);
    await position(b.db, admin, pathId, 240);
    await savePlan(b.db, admin, pathId, plan([mod(g.moduleIds["Anglais général"], "centre", 1000), mod(g.moduleIds["Autoformation guidée"], "self_study", 300)]));
    await validatePath(b.db, admin, pathId);
    for (const [date, modality, minutes] of [["2026-03-10", "centre", 240], ["2026-03-12", "self_study", 121]] as const) {
      const slotId = await addSlot(b.db, { providerId: g.providerId, orderLineId: g.orderLineId, date, modality, minutes, pathIds: [pathId] });
      await addAttendance(b.db, { slotId, pathId, minutes, method: modality === "self_study" ? "self_study" : "qr" });
    }
    await exitPath(b.db, admin, pathId, { status: "closed", actualExitDate: "2026-06-30" });
    const officer = await b.newPage();
    await loginAs(officer, g.regionEmail);
    await officer.goto(`/commandes/${g.orderId}`);
    await officer.getByRole("table", { name: "Autoformation réalisée et plafond à la clôture" }).waitFor();
    await officer.getByLabel(/^Je confirme la clôture définitive/).check();
    await officer.getByRole("button", { name: "Clôturer la commande" }).click();
    await officer.waitForURL(/\?cloturee=1#cloture$/);
    await officer.getByRole("status").filter({ hasText: "La commande a été clôturée. 1 avertissement de conformité a été émis" }).waitFor();
    assert.equal(await officer.locator('#cloture ~ .checks li[data-code="CP-SELFSTUDY-MAX-20"]').count(), 1);
    assert.equal(await officer.getByRole("button", { name: "Clôturer la commande" }).count(), 0);
    await checkA11y(officer, "/commandes/:id (close, avertissement)");
  });
});
