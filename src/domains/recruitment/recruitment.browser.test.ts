import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { addDays } from "../../core/time.ts";
import { type BrowserTest, checkA11y, loginAs, PHONE, skipWithoutChromium, startBrowserTest, BROWSER_TODAY } from "../../../test/support/browser.ts";
import { createOrderFixture, type OrderFixture } from "../../../test/support/fixtures.ts";
import { createPrescriber, createSessionRow } from "./testing.ts";

describe("browser: a prescriber prescribes; the provider invites, selects and enters; the prescriber sees the decision and the mail (Chromium + axe)", { skip: skipWithoutChromium() }, () => {
  let b: BrowserTest;
  let f: OrderFixture;
  let prescriberEmail: string;
  // The server's clock reads BROWSER_TODAY (test/support/browser.ts): dates are relative to it.
  const today = BROWSER_TODAY;
  const start = addDays(today, 1);
  const end = addDays(today, 2) > `${today.slice(0, 4)}-12-31` ? addDays(today, 2) : `${today.slice(0, 4)}-12-31`;
  before(async () => {
    b = await startBrowserTest();
    f = await createOrderFixture(b.db, { plannedStart: today, plannedEnd: end, frameworkEnd: addDays(end, 365) });
    await createSessionRow(b.db, f, { start_date: start, end_date: end });
    prescriberEmail = await createPrescriber(b.db);
  });
  after(() => b?.close());

  test("CP-CANDIDACY-DECISION: the whole journey in the browser", async () => {
    const presc = await b.newPage({ viewport: PHONE });
    await loginAs(presc, prescriberEmail);
    await presc.goto("/prescriptions/nouvelle");
    await checkA11y(presc, "/prescriptions/nouvelle");
    await presc.locator("#f-sessionId").selectOption({ index: 1 });
    await presc.locator("#f-lastName").fill("Navarro");
    await presc.locator("#f-firstName").fill("Lucie");
    await presc.locator("#f-birthDate").fill("1996-06-21");
    await presc.getByLabel("Adresse e-mail").fill("lucie.navarro@exemple.test");
    await presc.getByLabel("Identifiant France Travail").fill("7654321X");
    await presc.getByLabel("Inscrit·e comme demandeur·se d'emploi à France Travail").check();
    await presc.locator("#f-project").fill("Devenir secrétaire médicale");
    await presc.getByRole("button", { name: "Envoyer la prescription" }).click();
    await presc.waitForURL(/\/candidatures\/[0-9a-f-]{36}\?ok=prescrite$/);
    const candidacyUrl = new URL(presc.url()).pathname;
    await checkA11y(presc, "/candidatures/:id (prescripteur)");

    const org = await b.newPage();
    await loginAs(org, f.adminEmail);
    await org.goto("/candidatures");
    await checkA11y(org, "/candidatures");
    await org.getByRole("link", { name: "NAVARRO Lucie" }).click();
    await org.getByRole("button", { name: "Inviter à l'information collective" }).click();
    await org.waitForURL(/\?ok=1$/);
    await org.locator("#f-summonedFor").fill(start);
    await org.getByRole("button", { name: "Convoquer à la sélection" }).click();
    await org.waitForURL(/\?ok=1$/);
    await checkA11y(org, "/candidatures/:id (organisme)");
    await org.getByLabel("Note de sélection (0–100)").fill("74");
    await org.getByRole("button", { name: "Retenir", exact: true }).click();
    await org.waitForURL(/\?ok=1$/);
    await org.getByLabel("Référent·e pédagogique").selectOption(f.referentId);
    await org.getByRole("button", { name: "Faire entrer en formation" }).click();
    await org.waitForURL(/\/parcours\/[0-9a-f-]{36}\?inscrit=1$/);
    await org.getByRole("heading", { level: 1 }).filter({ hasText: "Lucie" }).waitFor();

    await presc.goto("/prescriptions");
    await presc.getByRole("row", { name: /NAVARRO Lucie/ }).getByText("Entrée en formation").waitFor();
    await checkA11y(presc, "/prescriptions");
    await presc.goto(candidacyUrl);
    const mail = presc.locator("details", { hasText: `à ${prescriberEmail} — Entrée en formation` });
    await mail.locator("summary").click();
    assert.match((await mail.textContent()) ?? "", /entrée en formation/);
    await checkA11y(presc, "/candidatures/:id (décision vue par le prescripteur)");
  });

  test("CP-PRESCRIPTION-MODES: a visitor applies to an e-formation session on a phone and confirms from the mail; every page axe clean", async () => {
    const ef = await createOrderFixture(b.db, { eFormation: true, plannedStart: today, plannedEnd: end, frameworkEnd: addDays(end, 365) });
    const efSession = await createSessionRow(b.db, ef, { start_date: start, end_date: end, site: false });
    const page = await b.newPage({ viewport: PHONE });
    await page.goto(`/candidater/${efSession}`);
    await checkA11y(page, "/candidater/:id");
    await page.locator("#f-lastName").fill("Durand");
    await page.locator("#f-firstName").fill("Élodie");
    await page.locator("#f-birthDate").fill("1994-04-12");
    await page.getByLabel("Adresse e-mail").fill("elodie.durand@exemple.test");
    await page.locator("#f-project").fill("Me former à distance");
    await page.getByRole("button", { name: "Envoyer ma candidature" }).click();
    await page.waitForURL(/\?ok=envoye$/);
    await page.getByRole("status").waitFor();
    await checkA11y(page, "/candidater/:id (lien envoyé)");
    const mail = await b.db.selectFrom("notification").select("body_text").where("recipient_email", "=", "elodie.durand@exemple.test").executeTakeFirstOrThrow();
    const link = /https?:\/\/[^\s]+\/candidature\/confirmer\/[A-Za-z0-9_-]{43}/.exec(mail.body_text)?.[0] ?? "";
    assert.ok(link.startsWith(b.baseUrl), link);
    await page.goto(link);
    await checkA11y(page, "/candidature/confirmer/:token");
    await page.getByRole("button", { name: "Confirmer ma candidature" }).click();
    await page.waitForURL(/\?ok=confirmee$/);
    assert.match((await page.getByRole("status").textContent()) ?? "", /confirmée et transmise/);
    await checkA11y(page, "/candidater/:id (confirmée)");
  });
});
