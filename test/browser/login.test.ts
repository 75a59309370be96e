import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { createUser } from "../support/app.ts";
import { type BrowserTest, checkA11y, loginAs, PHONE, skipWithoutChromium, startBrowserTest } from "../support/browser.ts";

const EMAIL = "claire.martin@region.example.fr";

/** True when the page scrolls sideways: content wider than the viewport. */
const overflowsHorizontally = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);

describe("browser: login, home page, skip link, logout (Chromium + axe)", { skip: skipWithoutChromium() }, () => {
  let b: BrowserTest;
  before(async () => {
    b = await startBrowserTest();
    await createUser(b.db, { email: EMAIL, role: "region_officer", fullName: "Claire Martin" });
  });
  after(() => b?.close());

  test("the login page is labelled, in French and axe clean", async () => {
    const page = await b.newPage();
    await page.goto("/connexion");
    assert.equal(await page.getAttribute("html", "lang"), "fr");
    assert.equal(await page.getByRole("heading", { level: 1 }).textContent(), "Connexion");
    await page.getByLabel("Adresse e-mail").waitFor();
    await page.getByLabel("Mot de passe").waitFor();
    await checkA11y(page, "/connexion");
  });

  test("a user logs in through the form, sees « Bonjour … », reaches the skip link by keyboard, logs out", async () => {
    const page = await b.newPage();
    // Asked for a protected page while logged out: the login page, then back to the home page.
    await page.goto("/");
    assert.equal(new URL(page.url()).pathname, "/connexion");
    await loginAs(page, EMAIL);
    assert.equal(new URL(page.url()).pathname, "/");
    assert.equal(await page.getByRole("heading", { level: 1 }).textContent(), "Bonjour Claire Martin");
    await page.getByRole("navigation", { name: "Navigation principale" }).waitFor();
    await checkA11y(page, "/ (accueil)");

    // The first Tab lands on the visible skip link; Enter moves focus to the main content.
    await page.keyboard.press("Tab");
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      const box = el.getBoundingClientRect();
      return { text: el.textContent?.trim(), href: el.getAttribute("href"), onScreen: box.left >= 0 && box.top >= 0 };
    });
    assert.deepEqual(focused, { text: "Aller au contenu", href: "#contenu", onScreen: true });
    await page.keyboard.press("Enter");
    assert.equal(await page.evaluate(() => document.activeElement?.id), "contenu");

    // Logging out by keyboard too: focus the button, press Enter.
    const logout = page.getByRole("button", { name: "Se déconnecter" });
    await logout.focus();
    await Promise.all([page.waitForURL((url) => url.pathname === "/connexion"), page.keyboard.press("Enter")]);
    await page.goto("/");
    assert.equal(new URL(page.url()).pathname, "/connexion", "the session has ended");
  });

  test("a wrong password shows the French error, keeps the e-mail, and stays axe clean", async () => {
    const page = await b.newPage();
    await page.goto("/connexion");
    await page.getByLabel("Adresse e-mail").fill(EMAIL);
    await page.getByLabel("Mot de passe").fill("pas-le-bon");
    await page.getByRole("button", { name: "Se connecter" }).click();
    const alert = page.getByRole("alert");
    await alert.waitFor();
    assert.equal((await alert.textContent())?.trim(), "Adresse e-mail ou mot de passe incorrect.");
    assert.equal(await page.getByLabel("Adresse e-mail").inputValue(), EMAIL);
    assert.equal(await page.getByLabel("Mot de passe").inputValue(), "", "a password is never sent back");
    await checkA11y(page, "/connexion (erreur)");
  });

  test("on a phone (390×844) the login and home pages fit the screen and are axe clean", async () => {
    const page = await b.newPage({ viewport: PHONE });
    await page.goto("/connexion");
    assert.equal(await overflowsHorizontally(page), false, "/connexion scrolls sideways on a phone");
    await checkA11y(page, "/connexion (téléphone)");
    await loginAs(page, EMAIL);
    assert.equal(await page.getByRole("heading", { level: 1 }).textContent(), "Bonjour Claire Martin");
    assert.equal(await overflowsHorizontally(page), false, "/ scrolls sideways on a phone");
    await page.getByRole("button", { name: "Se déconnecter" }).waitFor();
    await checkA11y(page, "/ (accueil, téléphone)");
  });

  test("a forgotten password: ask for a link, open it from the mail, choose a new password, log in with it (axe clean)", async () => {
    const email = "oubli.navigateur@region.example.fr";
    await createUser(b.db, { email, role: "region_officer", fullName: "Léa Oubli" });
    const page = await b.newPage();
    await page.goto("/connexion");
    await page.getByRole("link", { name: "Mot de passe oublié ?" }).click();
    await page.getByLabel("Adresse e-mail").fill(email);
    await checkA11y(page, "/mot-de-passe-oublie");
    await page.getByRole("button", { name: "Recevoir un lien" }).click();
    await page.getByRole("status").waitFor();
    assert.match((await page.getByRole("status").textContent()) ?? "", /Si un compte actif correspond à cette adresse/);
    await checkA11y(page, "/mot-de-passe-oublie (envoyé)");
    const mail = await b.db.selectFrom("notification").select("body_text").where("recipient_email", "=", email).executeTakeFirstOrThrow();
    const path = /\/mot-de-passe\/nouveau\/[A-Za-z0-9_-]{43}/.exec(mail.body_text)?.[0] ?? "";
    assert.equal((await page.goto(path))?.status(), 200);
    await page.getByLabel(/^Nouveau mot de passe(?! \(confirmation\))/).fill("une phrase de passe neuve");
    await page.getByLabel("Nouveau mot de passe (confirmation)").fill("une phrase de passe neuve");
    await checkA11y(page, "/mot-de-passe/nouveau/:token");
    await page.getByRole("button", { name: "Enregistrer mon mot de passe" }).click();
    await page.waitForURL((url) => url.pathname === "/connexion");
    await page.getByRole("status").waitFor();
    await loginAs(page, email, "une phrase de passe neuve");
    assert.equal(await page.getByRole("heading", { level: 1 }).textContent(), "Bonjour Léa Oubli");
  });

  test("« Mon compte » shows the password form; the Region's « Comptes » page deactivates an account (axe clean)", async () => {
    const page = await b.newPage();
    await loginAs(page, EMAIL);
    await page.getByRole("link", { name: "Mon compte" }).click();
    await page.getByRole("heading", { name: "Changer mon mot de passe" }).waitFor();
    await checkA11y(page, "/mon-compte");
    await page.getByRole("link", { name: "Comptes" }).click();
    await page.getByLabel("Nom ou adresse e-mail").fill("oubli.navigateur");
    await page.getByRole("button", { name: "Rechercher" }).click();
    await checkA11y(page, "/comptes");
    await page.getByRole("button", { name: "Désactiver le compte de Léa Oubli" }).click();
    await page.getByRole("status").waitFor();
    assert.match((await page.getByRole("status").textContent()) ?? "", /Compte désactivé/);
    await checkA11y(page, "/comptes (désactivé)");
  });
});
