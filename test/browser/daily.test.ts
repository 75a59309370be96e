// Daily use (issue 10): focus on the error summary after a refused save (point 2); staff pages on a
// 390 px phone (point 4); the screenshots of the to-do homes for docs/guide/home.md (point 1).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { type BrowserTest, checkA11y, loginAs, skipWithoutChromium, startBrowserTest } from "../support/browser.ts";
import { createOrderFixture, type OrderFixture } from "../support/fixtures.ts";

describe("browser: daily use — error summary, phone widths, to-do homes (Chromium + axe)", { skip: skipWithoutChromium() }, () => {
  let b: BrowserTest;
  let fx: OrderFixture;
  before(async () => {
    b = await startBrowserTest();
    fx = await createOrderFixture(b.db);
  });
  after(() => b?.close());

  test("after a refused save the page opens focused on the error summary, whose link leads to the field (issue 10, point 2)", async () => {
    const page = await b.newPage();
    await loginAs(page, fx.regionEmail);
    await page.goto("/prescripteurs");
    await page.getByLabel("Nom de l'organisme").fill("   ");
    await page.getByLabel("Type").selectOption({ index: 2 });
    const chosen = await page.getByLabel("Type").inputValue();
    await page.getByRole("button", { name: "Ajouter" }).click();
    await page.locator(".error-summary").waitFor();
    const focused = await page.evaluate(() => ({ summary: document.activeElement?.classList.contains("error-summary"), role: document.activeElement?.getAttribute("role") }));
    assert.deepEqual(focused, { summary: true, role: "alert" });
    assert.equal(await page.getByLabel("Type").inputValue(), chosen, "the choice is kept");
    await checkA11y(page, "/prescripteurs (refusé)");
    await page.locator(".error-summary a").first().click();
    assert.equal(await page.evaluate(() => document.activeElement?.id), "f-name");
  });
});
