// Issue 14's access-site journey (CP-EFORM-SITES): the Region sets up an access site; a provider books
// seats for a week of distance slots and moves one trainee back home; the site's day shows who comes
// and the PCs left, and an arrival is pointed (Chromium + axe).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type BrowserTest, checkA11y, loginAs, skipWithoutChromium, startBrowserTest } from "../support/browser.ts";
import { createOrderFixture, type OrderFixture } from "../support/fixtures.ts";
import { slotFor, traineePath } from "../../src/domains/access-sites/testing.ts";

const WEEK = ["2026-03-16", "2026-03-17", "2026-03-18", "2026-03-19", "2026-03-20"];
const fr = (d: string) => d.split("-").reverse().join("/");

describe("browser: access sites — the Region's site, a week of seats, back home, the site's day (Chromium + axe)", { skip: skipWithoutChromium() }, () => {
  let b: BrowserTest;
  let f: OrderFixture;
  let ines: { pathId: string };
  let theo: { pathId: string };

  before(async () => {
    b = await startBrowserTest(); // Tuesday 10 March 2026, 10:00 in Paris
    f = await createOrderFixture(b.db, { hybrid: "approved" });
    ines = await traineePath(b.db, f, { lastName: "Marty" });
    theo = await traineePath(b.db, f, { lastName: "Vidal" });
    for (const d of WEEK) await slotFor(b.db, f, [ines.pathId, theo.pathId], d, "09:00", "12:30");
    await slotFor(b.db, f, [ines.pathId], "2026-03-10", "14:00", "17:00"); // this afternoon
  });
  after(() => b?.close());

  test("CP-EFORM-SITES: the Region opens an access site with its rooms", async () => {
    const page = await b.newPage();
    await loginAs(page, f.regionEmail);
    await page.getByRole("navigation", { name: "Navigation principale" }).getByRole("link", { name: "Sites d'accès" }).click();
    await checkA11y(page, "/sites-acces");
    await page.getByLabel("Nom du site").fill("Site e-formation de Figeac");
    await page.getByLabel("Adresse").fill("2 boulevard Juskiewenski");
    await page.getByLabel("Code postal").fill("46100");
    await page.getByLabel(/^Commune/).fill("Figeac");
    await page.getByLabel("Code INSEE de la commune").fill("31102");
    await page.getByLabel("Département (code)").fill("46");
    await page.getByLabel("Contact sur place").fill("Sophie Delmas");
    await page.getByLabel("Nom de la salle 1").fill("Salle Célé");
    await page.getByLabel("Nombre de PC de la salle 1").fill("4");
    await page.getByRole("button", { name: "Ouvrir le site" }).click();
    await page.getByText(/n'est pas une commune du département 46/).first().waitFor();
    await checkA11y(page, "/sites-acces (refus)");
    await page.getByLabel("Code INSEE de la commune").fill("46102");
    await page.getByRole("button", { name: "Ouvrir le site" }).click();
    await page.getByRole("heading", { level: 1, name: /Site e-formation de Figeac/ }).waitFor();
    await checkA11y(page, "/sites-acces/:id");
  });

  test("CP-EFORM-SITES: the provider books a week of distance slots for two trainees, then moves one back home from Wednesday", async () => {
    const page = await b.newPage();
    await loginAs(page, f.adminEmail);
    for (const p of [ines, theo]) {
      await page.goto(`/parcours/${p.pathId}/site-acces`);
      await checkA11y(page, "/parcours/:id/site-acces");
      await page.getByLabel(/Site d'accès et salle/).selectOption({ label: "Site e-formation de Figeac (Figeac, 46) — Salle Célé, 4 PC" });
      for (const d of WEEK) await page.getByLabel(`${fr(d)} 09:00–12:30`).check();
      if (p === ines) await page.getByLabel(`${fr("2026-03-10")} 14:00–17:00`).check();
      await page.getByRole("button", { name: "Réserver les créneaux cochés" }).click();
      await page.getByText("Places réservées.").waitFor();
    }
    assert.equal(await page.getByText(/Salle Célé, PC 2/).count(), 5, "the second trainee sits at PC 2 all week");
    await page.getByLabel("À partir du").fill("2026-03-18");
    await page.getByRole("button", { name: "Repositionner à domicile" }).click();
    await page.getByText(/repositionné·e à domicile/).waitFor();
    assert.equal(await page.getByRole("cell", { name: "À domicile" }).count(), 3);
    await checkA11y(page, "/parcours/:id/site-acces (domicile)");
  });

  test("CP-EFORM-SITES: the site's day — who comes, which room, PCs left; an arrival pointed; printable", async () => {
    const page = await b.newPage();
    await loginAs(page, f.regionEmail);
    await page.goto("/sites-acces");
    await page.getByRole("link", { name: "Journée de Site e-formation de Figeac" }).click();
    await page.getByRole("heading", { level: 1, name: /journée du 10\/03\/2026/ }).waitFor();
    await checkA11y(page, "/sites-acces/:id/jour");
    assert.ok(await page.getByRole("button", { name: "Imprimer" }).isVisible());
    await page.getByRole("button", { name: /Arrivée de MARTY Inès/ }).click();
    await page.getByText("Arrivée enregistrée.").waitFor();
    assert.ok(await page.getByText("Arrivé·e", { exact: true }).first().isVisible());
    await page.getByLabel("Jour").fill("2026-03-18");
    await page.getByRole("button", { name: "Afficher" }).click();
    await page.getByRole("heading", { level: 1, name: /journée du 18\/03\/2026/ }).waitFor();
    const left = page.getByRole("table", { name: "PC restants — Salle Célé" });
    assert.deepEqual(await left.getByRole("cell").allTextContents(), ["09:00–12:30", "1", "3"]);
    assert.equal(await page.getByRole("cell", { name: "VIDAL Inès" }).count(), 0, "the second trainee went home from the 18th");
    await checkA11y(page, "/sites-acces/:id/jour (18/03)");
  });
});
