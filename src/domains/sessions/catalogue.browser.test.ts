import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Actor } from "../../core/auth/actor.ts";
import { addDays } from "../../core/time.ts";
import { type BrowserTest, checkA11y, loginAs, PHONE, skipWithoutChromium, startBrowserTest, BROWSER_TODAY } from "../../../test/support/browser.ts";
import { createOrderFixture, type OrderFixture } from "../../../test/support/fixtures.ts";
import { createMeeting, createSession } from "./use-cases.ts";
import { completeContent } from "./testing.ts";

describe("browser: the public catalogue on a phone and the provider's sessions page (Chromium + axe)", { skip: skipWithoutChromium() }, () => {
  let b: BrowserTest;
  let f: OrderFixture;
  // The server's clock reads BROWSER_TODAY (test/support/browser.ts): dates are relative to it.
  const today = BROWSER_TODAY;
  before(async () => {
    b = await startBrowserTest();
    f = await createOrderFixture(b.db, { plannedStart: addDays(today, -30), plannedEnd: addDays(today, 300) });
    await b.db.updateTable("component").set({ prerequisites: "Savoir lire et écrire.", purpose: "Communiquer en anglais au travail." }).where("id", "=", f.componentId).execute();
    const admin = await b.db.selectFrom("app_user").selectAll().where("email", "=", f.adminEmail).executeTakeFirstOrThrow();
    const actor: Actor = { userId: admin.id, role: "provider_admin", fullName: admin.full_name, email: admin.email, providerId: f.providerId, prescriberOrganisationId: null, traineeId: null };
    await createSession(b.db, actor, { orderLineId: f.orderLineId, siteId: f.siteId, startDate: addDays(today, 14), endDate: addDays(today, 120), places: 12, recruitmentOpen: true }, { publishAt: b.clock.now() });
    await createMeeting(
      b.db,
      actor,
      { orderLineId: f.orderLineId, siteId: null, remoteUrl: "https://visio.example.org/info", meetingDate: addDays(today, 7), startTime: "09:30", endTime: "11:00", content: completeContent() },
      { publishAt: b.clock.now() },
    );
  });
  after(() => b?.close());

  test("a visitor finds the catalogue from the login page, filters it and opens a session; axe clean", async () => {
    const page = await b.newPage({ viewport: PHONE });
    await page.goto("/connexion");
    await page.getByRole("link", { name: /catalogue public/ }).click();
    await page.getByRole("heading", { level: 1, name: "Formations Compétences Plus à venir" }).waitFor();
    await checkA11y(page, "/catalogue (téléphone)");
    await page.getByLabel("Département").selectOption("81");
    await page.getByRole("button", { name: "Afficher" }).click();
    await page.getByText("Aucune session ne correspond à ces critères.").waitFor();
    await page.getByLabel("Département").selectOption("31");
    await page.getByRole("button", { name: "Afficher" }).click();
    await page.getByRole("link", { name: "Anglais professionnel (CECRL B1)", exact: true }).click();
    await page.getByRole("heading", { level: 1, name: "Anglais professionnel (CECRL B1)" }).waitFor();
    assert.ok(await page.getByText("Savoir lire et écrire.").isVisible());
    await page.getByRole("link", { name: "lien de la visioconférence" }).waitFor();
    await checkA11y(page, "/catalogue/sessions/:id (téléphone)");
  });

  test("provider staff: sessions page and meeting form are accessible", async () => {
    const page = await b.newPage();
    await loginAs(page, f.adminEmail);
    await page.goto("/sessions");
    await page.getByRole("table", { name: /Sessions/ }).waitFor();
    await checkA11y(page, "/sessions");
    await page.getByRole("link", { name: "Nouvelle information collective" }).click();
    await page.getByLabel("Programme").waitFor();
    await checkA11y(page, "/informations-collectives/nouvelle");
    await page.goto("/sessions/nouvelle");
    await checkA11y(page, "/sessions/nouvelle");
  });
});
