import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { addDays, parisDate } from "../../core/time.ts";
import { type BrowserTest, checkA11y, loginAs, PHONE, skipWithoutChromium, startBrowserTest } from "../../../test/support/browser.ts";
import { createOrderFixture, type OrderFixture } from "../../../test/support/fixtures.ts";
import { createPrescriber, createSessionRow } from "./testing.ts";

describe("browser: a prescriber prescribes; the provider invites, selects and enters; the prescriber sees the decision and the mail (Chromium + axe)", { skip: skipWithoutChromium() }, () => {
  let b: BrowserTest;
  let f: OrderFixture;
  let prescriberEmail: string;
  // The browser runs on the real clock: dates relative to today (same calendar year for CP-ENTRY-YEAR-N).
  const today = parisDate(new Date());
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
});
