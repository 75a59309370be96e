// Browser: the week calendar (desktop and phone, keyboard) and the trainee's phone schedule, with axe.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createUser } from "../../../test/support/app.ts";
import { type BrowserTest, checkA11y, loginAs, PHONE, skipWithoutChromium, startBrowserTest, BROWSER_TODAY } from "../../../test/support/browser.ts";
import { createOrderFixture, type OrderFixture } from "../../../test/support/fixtures.ts";
import { addDays } from "../../core/time.ts";
import { actorOf } from "../paths/testing.ts";
import { isoWeekOf } from "./calendar.ts";
import { validatedPath } from "./testing.ts";
import { createSlot } from "./use-cases.ts";

describe("browser: week calendar and the trainee's schedule (Chromium + axe)", { skip: skipWithoutChromium() }, () => {
  let b: BrowserTest;
  let f: OrderFixture;
  // The server's clock reads BROWSER_TODAY (test/support/browser.ts): dates are relative to it.
  const today = BROWSER_TODAY;
  const day = addDays(today, 1);

  before(async () => {
    b = await startBrowserTest();
    f = await createOrderFixture(b.db, { plannedStart: today, plannedEnd: addDays(today, 200), frameworkEnd: addDays(today, 400) });
    const p = await validatedPath(b.db, f, { firstName: "Alice", lastName: "Martin", entryDate: today, plannedExitDate: addDays(today, 150) });
    const q = await validatedPath(b.db, f, { firstName: "Bruno", lastName: "Petit", entryDate: today, plannedExitDate: addDays(today, 150) });
    const admin = await actorOf(b.db, f.adminEmail);
    const base = { orderLineId: f.orderLineId, siteId: f.siteId, holidayOverride: true, moduleId: f.moduleIds["Anglais général"] };
    await createSlot(b.db, admin, { ...base, pathIds: [p.pathId, q.pathId], date: day, startTime: "09:00", endTime: "12:30", modality: "centre" });
    await createSlot(b.db, admin, {
      ...base,
      pathIds: [p.pathId],
      moduleId: f.moduleIds["Autoformation guidée"],
      date: day,
      startTime: "13:30",
      endTime: "15:30",
      modality: "self_study",
      selfStudyLocation: "remote",
      siteId: "",
      objectives: "Réviser le présent simple",
      deliverables: "Exercices 1 à 10",
      resources: "Parcours Moodle",
    });
    await createUser(b.db, { email: "alice@exemple.fr", role: "trainee", traineeId: p.traineeId, fullName: "Alice Martin" });
  });
  after(() => b?.close());

  test("the week calendar is a table usable with the keyboard, axe clean on desktop and phone", async () => {
    const page = await b.newPage();
    await loginAs(page, f.adminEmail);
    await page.goto(`/planning?semaine=${isoWeekOf(day)}`);
    await page.getByRole("table", { name: /2 créneau\(x\)/ }).waitFor();
    await checkA11y(page, "/planning (bureau)");
    const link = page.getByRole("link", { name: /Anglais général/ });
    await link.focus();
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/planning\/creneaux\/[0-9a-f-]{36}$/);
    await page.getByRole("heading", { level: 2, name: "Stagiaires (2)" }).waitFor();
    await checkA11y(page, "/planning/creneaux/:id");
    await page.goto(`/planning/creneaux/nouveau?ligne=${f.orderLineId}`);
    await page.getByLabel("Alice").waitFor();
    await checkA11y(page, "/planning/creneaux/nouveau");
    await page.goto("/planning/fermetures");
    await checkA11y(page, "/planning/fermetures");
    await page.goto(`/planning/generer?semaine=${isoWeekOf(day)}`);
    await checkA11y(page, "/planning/generer");

    const phone = await b.newPage({ viewport: PHONE });
    await loginAs(phone, f.adminEmail);
    await phone.goto(`/planning?semaine=${isoWeekOf(day)}`);
    await phone.getByRole("table").waitFor();
    const width = await phone.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= PHONE.width + 1, `no horizontal scroll on a phone (${width}px)`);
    await checkA11y(phone, "/planning (téléphone)");
  });

  test("SCHEDULE-TRAINER-OVERLAP: editing a slot from the week calendar shows the refusal by the trainer field and keeps what was typed", async () => {
    const next = addDays(day, 7);
    const fanny = await createUser(b.db, { email: "fanny@organisme.test", role: "trainer", providerId: f.providerId, fullName: "Fanny Formatrice" });
    const admin = await actorOf(b.db, f.adminEmail);
    const chloe = await validatedPath(b.db, f, { firstName: "Chloé", lastName: "Durand", entryDate: today, plannedExitDate: addDays(today, 150) });
    const david = await validatedPath(b.db, f, { firstName: "David", lastName: "Roux", entryDate: today, plannedExitDate: addDays(today, 150) });
    const base = { orderLineId: f.orderLineId, siteId: f.siteId, holidayOverride: true, moduleId: f.moduleIds["Anglais général"], modality: "centre" as const, date: next, trainerId: fanny };
    await createSlot(b.db, admin, { ...base, pathIds: [chloe.pathId], startTime: "09:00", endTime: "12:30" });
    await createSlot(b.db, admin, { ...base, pathIds: [david.pathId], startTime: "14:00", endTime: "16:00" });

    const page = await b.newPage();
    await loginAs(page, f.adminEmail);
    await page.goto(`/planning?semaine=${isoWeekOf(next)}`);
    const link = page.getByRole("link", { name: /14 h–16 h/ });
    await link.focus();
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/planning\/creneaux\/[0-9a-f-]{36}$/);
    await page.getByLabel("Début").fill("11:00");
    await page.getByLabel("Lieu (salle, entreprise…)").fill("Salle Garonne");
    await page.getByRole("button", { name: "Enregistrer les modifications" }).click();
    const alert = page.getByRole("alert").filter({ hasText: "SCHEDULE-TRAINER-OVERLAP" });
    await alert.waitFor();
    assert.match((await alert.textContent()) ?? "", /Fanny Formatrice anime déjà un créneau .* de 9 h à 12 h 30/);
    assert.equal(await page.getByLabel("Début").inputValue(), "11:00", "the typed start is kept");
    assert.equal(await page.getByLabel("Fin").inputValue(), "16:00");
    assert.equal(await page.getByLabel("Lieu (salle, entreprise…)").inputValue(), "Salle Garonne", "the typed place is kept");
    const trainer = page.getByLabel("Formateur·rice");
    assert.equal(await trainer.getAttribute("aria-invalid"), "true");
    assert.match((await page.locator(`#${await trainer.getAttribute("aria-describedby")}`).textContent()) ?? "", /SCHEDULE-TRAINER-OVERLAP/, "the message is tied to the trainer field");
    await checkA11y(page, "/planning/creneaux/:id (refus SCHEDULE-TRAINER-OVERLAP)");
    // Fixing the time (touching the morning slot) is accepted.
    await page.getByLabel("Début").fill("12:30");
    await page.getByRole("button", { name: "Enregistrer les modifications" }).click();
    await page.getByRole("status").filter({ hasText: "Enregistré." }).waitFor();
    await page.getByRole("heading", { level: 1, name: /12 h 30–16 h/ }).waitFor();
  });

  test("the trainee's schedule on a phone: day by day, self-study spelled out, a big button for the calendar link", async () => {
    const page = await b.newPage({ viewport: PHONE });
    await loginAs(page, "alice@exemple.fr");
    await page.goto("/mon-planning");
    await page.getByRole("heading", { level: 1, name: "Mon planning" }).waitFor();
    assert.equal(await page.locator("li.my-slot").count(), 2);
    await page.getByText("Autoformation à distance").waitFor();
    await page.getByText("Réviser le présent simple").waitFor();
    await checkA11y(page, "/mon-planning (téléphone)");
    const button = page.getByRole("button", { name: "Recevoir mon lien d'agenda (.ics)" });
    const box = await button.boundingBox();
    assert.ok(box && box.height >= 44, "a big touch target");
    await button.click();
    await page.getByRole("status").getByRole("link", { name: /\.ics$/ }).waitFor();
    await checkA11y(page, "/mon-planning (lien d'agenda)");
  });
});
