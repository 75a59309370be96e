// Lists that scale (issue 10, point 7; ADR 0030), as a person uses them in Chromium: search, sort and
// filter by keyboard in the GET form, the criteria kept in the URL and shown again in the inputs, the
// « Page suivante » link carrying them, the certificates list and its export link; axe on every page.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { loadDemoIfEmpty } from "../../src/demo/seed.ts";
import { TEST_PASSWORD } from "../support/app.ts";
import { type BrowserTest, checkA11y, loginAs, skipWithoutChromium, startBrowserTest } from "../support/browser.ts";

const DEMO = "demo.competences-plus.fr";

describe("browser: lists — search, sort, filters in the URL, next page, keyboard (Chromium + axe)", { skip: skipWithoutChromium() }, () => {
  let b: BrowserTest;
  before(async () => {
    b = await startBrowserTest();
    await loadDemoIfEmpty(b.db, { now: b.clock.now(), password: TEST_PASSWORD });
  });
  after(() => b?.close());

  /** What the browser's console shows a newcomer: warnings, errors and uncaught exceptions (issue 10, point 10). */
  const consoleOf = (page: import("playwright-core").Page) => {
    const seen: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "warning" || m.type() === "error") seen.push(`${m.type()}: ${m.text()} (${m.location().url})`);
    });
    page.on("pageerror", (e) => seen.push(`exception: ${e.message}`));
    return seen;
  };

  test("trainees: sort and filter chosen by keyboard stay in the URL and the inputs; « Page suivante » keeps them and shows other rows", { timeout: 180_000 }, async () => {
    const page = await b.newPage();
    const console = consoleOf(page);
    await loginAs(page, `direction.garonne@${DEMO}`);
    await page.goto("/stagiaires?limit=2");
    await checkA11y(page, "/stagiaires");
    const form = page.getByRole("form", { name: "Rechercher et filtrer les stagiaires" });
    // Keyboard only: focus the sort list, pick by arrow keys, then the status, then Enter in the search box.
    await form.getByLabel("Trier par").focus();
    await form.getByLabel("Trier par").selectOption("entry_desc");
    await form.getByLabel("Statut").selectOption("validated");
    await form.getByLabel(/^Nom, identifiant/).focus();
    await Promise.all([page.waitForURL((u) => u.searchParams.get("sort") === "entry_desc"), page.keyboard.press("Enter")]);
    const url = new URL(page.url());
    assert.equal(url.searchParams.get("status"), "validated");
    assert.equal(await form.getByLabel("Trier par").inputValue(), "entry_desc", "the sort is shown again");
    assert.equal(await form.getByLabel("Statut").inputValue(), "validated", "the filter is shown again");
    const statuses = await page.locator("table tbody tr td:last-child").allTextContents();
    assert.ok(statuses.length > 0 && statuses.every((s) => /en formation/.test(s)), statuses.join(" | "));

    // The next page, with a page of 2: the link keeps every criterion and shows other rows.
    await page.goto(`/stagiaires?${new URLSearchParams({ status: "validated", sort: "entry_desc", limit: "2" })}`);
    const first = await page.locator("table tbody th").allTextContents();
    assert.equal(first.length, 2);
    const next = page.getByRole("link", { name: "Page suivante" });
    await next.focus();
    await Promise.all([page.waitForURL((u) => u.searchParams.has("after")), page.keyboard.press("Enter")]);
    const u2 = new URL(page.url());
    assert.deepEqual([u2.searchParams.get("status"), u2.searchParams.get("sort"), u2.searchParams.get("limit")], ["validated", "entry_desc", "2"]);
    const second = await page.locator("table tbody th").allTextContents();
    assert.ok(second.length > 0);
    assert.deepEqual(second.filter((n) => first.includes(n)), [], "no row repeated from page 1");
    await page.getByRole("link", { name: "Première page" }).waitFor();
    await checkA11y(page, "/stagiaires (page suivante)");

    // A search that finds nothing says so; the term stays in the box.
    await page.goto("/stagiaires");
    await form.getByLabel(/^Nom, identifiant/).fill("personne-introuvable");
    await Promise.all([page.waitForURL((u) => u.searchParams.get("q") === "personne-introuvable"), form.getByLabel(/^Nom, identifiant/).press("Enter")]);
    await page.getByText("Aucun parcours ne correspond.").waitFor();
    assert.equal(await form.getByLabel(/^Nom, identifiant/).inputValue(), "personne-introuvable");
    assert.deepEqual(console, [], "the console stays quiet (no warning a newcomer would read as an error)");
  });

  test("certificates: a certificate issued from its path appears in /certificats, found by the trainee's name, filtered « en vigueur », with its PDF and the export of the criteria", { timeout: 180_000 }, async () => {
    const page = await b.newPage();
    const console = consoleOf(page);
    await loginAs(page, `direction.garonne@${DEMO}`);
    const path = await b.db
      .selectFrom("path")
      .innerJoin("provider", "provider.id", "path.provider_id")
      .innerJoin("trainee", "trainee.id", "path.trainee_id")
      .select(["path.id", "trainee.last_name"])
      .where("path.status", "!=", "draft")
      .where("provider.name", "like", "%Garonne%")
      // The demo's exited trainees already hold a certificate over their whole path (src/demo/exit.ts).
      .where((eb) => eb.not(eb.exists(eb.selectFrom("certificate").select("certificate.id").whereRef("certificate.path_id", "=", "path.id"))))
      .orderBy("path.entry_date")
      .executeTakeFirstOrThrow();
    await page.goto(`/parcours/${path.id}/certificats`);
    await Promise.all([page.waitForURL((u) => u.searchParams.get("ok") === "1"), page.getByRole("button", { name: /Émettre le certificat/ }).click()]);
    await page.goto("/documents");
    await page.getByRole("link", { name: "Tous les certificats émis" }).click();
    await page.waitForURL((u) => u.pathname === "/certificats");
    await checkA11y(page, "/certificats");
    const form = page.getByRole("form", { name: "Rechercher et filtrer les certificats" });
    await form.getByLabel(/^Stagiaire, commande/).fill(path.last_name.toLowerCase());
    await form.getByLabel("État").selectOption("in_force");
    await Promise.all([page.waitForURL((u) => u.searchParams.get("state") === "in_force"), form.getByRole("button", { name: "Appliquer" }).click()]);
    assert.equal(new URL(page.url()).searchParams.get("q"), path.last_name.toLowerCase());
    const rows = page.locator("table tbody tr");
    assert.ok((await rows.count()) >= 1);
    assert.match((await rows.first().textContent()) ?? "", new RegExp(path.last_name.toUpperCase()));
    assert.match((await rows.first().textContent()) ?? "", /en vigueur/);
    const exportHref = await page.getByRole("link", { name: "Exporter ces critères en CSV" }).getAttribute("href");
    assert.match(exportHref ?? "", /^\/certificats\/export\.csv\?.*state=in_force/);
    const csv = await page.request.get(exportHref!);
    assert.equal(csv.status(), 200);
    assert.match(await csv.text(), new RegExp(path.last_name));
    await checkA11y(page, "/certificats (filtré)");
    assert.deepEqual(console, [], "the console stays quiet (no warning a newcomer would read as an error)");
  });
});
