// Browser journey on a phone-sized screen: the trainer opens a slot and shows the QR code, the
// trainee enrols the phone, opens the QR URL, draws a signature; the trainer sees it live and countersigns.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { after, before, describe, test } from "node:test";
import type { Page } from "playwright-core";
import { type BrowserTest, checkA11y, loginAs, PHONE, skipWithoutChromium, startBrowserTest } from "../../../test/support/browser.ts";
import { actorOf } from "../paths/testing.ts";
import { type AttendanceFixture, attendanceFixture, insertSlot } from "./testing.ts";
import { enrolDevice } from "./use-cases.ts";

const parisHm = (d: Date) => new Intl.DateTimeFormat("fr-FR", { timeZone: "Europe/Paris", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(d);
const parisDay = (d: Date) => new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Paris" }).format(d);

/** Draws a stroke across the canvas with mouse moves (what signature_pad listens to). */
async function draw(page: Page, selector: string) {
  const canvas = page.locator(selector);
  await canvas.scrollIntoViewIfNeeded();
  const box = await canvas.boundingBox();
  assert.ok(box, "signature canvas visible");
  await page.mouse.move(box.x + 20, box.y + 40);
  await page.mouse.down();
  for (let i = 1; i <= 12; i++) await page.mouse.move(box.x + 20 + i * 20, box.y + 40 + (i % 2 ? 50 : 0), { steps: 2 });
  await page.mouse.up();
}

describe("browser: QR signing journey on a phone (Chromium + axe)", { skip: skipWithoutChromium() }, () => {
  let b: BrowserTest;
  let f: AttendanceFixture;
  let slotId: string;
  before(async () => {
    execFileSync("node", ["scripts/build-islands.mjs"], { stdio: "inherit", timeout: 60_000 });
    b = await startBrowserTest();
    f = await attendanceFixture(b.db, 2);
    const now = b.clock.now();
    const start = new Date(now.getTime() - 10 * 60_000);
    const end = new Date(now.getTime() + 110 * 60_000);
    slotId = await insertSlot(b.db, f, { status: "planned", date: parisDay(start), start: parisHm(start), end: parisHm(end), startsAt: start.toISOString(), endsAt: end.toISOString() });
  });
  after(() => b?.close());

  test("trainer opens the slot, trainee scans and signs, trainer countersigns", async () => {
    const trainer = await b.newPage({ viewport: PHONE });
    await loginAs(trainer, f.trainerEmail);
    await trainer.goto(`/emargement/${slotId}`);
    await checkA11y(trainer, "/emargement/:id (planifié)");
    await trainer.getByRole("button", { name: "Ouvrir l'émargement et afficher le QR code" }).click();
    await trainer.waitForURL(/ok=ouvert/);
    await trainer.locator("#qr svg").waitFor();
    await checkA11y(trainer, "/emargement/:id (ouvert, QR)");
    const qrUrl = await trainer.locator("a[data-qr-url]").getAttribute("href");
    assert.ok(qrUrl);

    // The phone is enrolled once through the link given by the provider.
    const admin = await actorOf(b.db, f.fx.adminEmail);
    const { token } = await enrolDevice(b.db, admin, b.clock.now(), f.trainees[0].traineeId, "Téléphone de test");
    const phone = await b.newPage({ viewport: PHONE });
    await phone.goto(`/appareil/${token}`);
    await checkA11y(phone, "/appareil/:token");
    await phone.getByRole("button", { name: "Enregistrer ce téléphone" }).click();
    await phone.waitForURL(/\/signer$/);
    await checkA11y(phone, "/signer");

    await phone.goto(qrUrl);
    await checkA11y(phone, "/signer/:id?c=…");
    await phone.getByRole("button", { name: "Signer ma présence" }).click();
    await phone.getByText(/Signature manquante : signez dans le cadre/).waitFor();
    await draw(phone, "canvas");
    await phone.getByRole("button", { name: "Signer ma présence" }).click();
    await phone.getByText("Votre présence est enregistrée").waitFor();
    await checkA11y(phone, "/signer/:id (signé)");

    // The trainer's list refreshes itself every 3 s.
    await trainer.locator(`tr[data-path="${f.trainees[0].pathId}"]`).getByText("QR code").waitFor({ timeout: 10_000 });
    await draw(trainer, "#contresign-titre ~ form canvas");
    await trainer.getByRole("button", { name: "Contresigner la feuille" }).click();
    await trainer.getByText("Feuille contresignée et close.").waitFor();
    await checkA11y(trainer, "/emargement/:id (clos)");

    const rows = await b.db.selectFrom("attendance").select(["path_id", "status", "method"]).where("slot_id", "=", slotId).execute();
    assert.deepEqual(rows.map((r) => `${r.method}:${r.status}`).sort(), ["qr:present", "trainer:absent"]);
    const signature = await b.db.selectFrom("attendance").select("signature").where("method", "=", "qr").where("slot_id", "=", slotId).executeTakeFirstOrThrow();
    assert.match(signature.signature ?? "", /<svg/);
  });
});
