import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createUser } from "../../../test/support/app.ts";
import { type BrowserTest, checkA11y, loginAs, PHONE, skipWithoutChromium, startBrowserTest } from "../../../test/support/browser.ts";
import { newId } from "../../core/time.ts";

describe("browser: the Region withdraws a prescriber's authorisation; the mailbox shows the providers' mail (Chromium + axe)", { skip: skipWithoutChromium() }, () => {
  let b: BrowserTest;
  before(async () => {
    b = await startBrowserTest();
    const providerId = newId();
    await b.db.insertInto("provider").values({ id: providerId, name: "Organisme Navigateur", siret: "73282932000074" }).execute();
    await createUser(b.db, { email: "region-nav@example.fr", role: "region_officer", fullName: "Claire Région" });
    await createUser(b.db, { email: "admin-nav@example.fr", role: "provider_admin", providerId, fullName: "Alice Admin" });
  });
  after(() => b?.close());

  test("CP-PRESCRIBERS: list → organisation → withdraw; the provider admin reads the mail in their /boite-mail", async () => {
    const page = await b.newPage();
    await loginAs(page, "region-nav@example.fr");
    await page.goto("/prescripteurs");
    await checkA11y(page, "/prescripteurs");
    await page.getByRole("link", { name: "PLIE Est Héraultais" }).click();
    await checkA11y(page, "/prescripteurs/:id");
    await page.getByRole("button", { name: "Retirer l'habilitation" }).click();
    await page.getByText("Habilitation retirée").first().waitFor();
    assert.ok(await page.getByRole("cell", { name: "admin-nav@example.fr" }).isVisible());
    // The provider's admin reads the mail addressed to them (the dev mailbox shows each person their own).
    await page.context().clearCookies();
    await loginAs(page, "admin-nav@example.fr");
    await page.setViewportSize(PHONE);
    await page.goto("/boite-mail");
    await checkA11y(page, "/boite-mail");
    assert.ok(await page.getByText(/retrait de l'habilitation de « PLIE Est Héraultais »/).isVisible());
  });
});
