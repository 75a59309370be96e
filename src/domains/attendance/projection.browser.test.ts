// Attendance at 9:00 (issue 10 point 6), in Chromium with axe: the QR code projected full screen
// (Fullscreen API, and its no-JS page), « non signé » until the trainer decides, a countersignature
// without drawing that keeps the pad and says what to do, and the keyboard alternative to drawing
// (typed name + explicit consent) accepted as a signature with its method recorded.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { after, before, describe, test } from "node:test";
import { type BrowserTest, checkA11y, DESKTOP, loginAs, skipWithoutChromium, startBrowserTest } from "../../../test/support/browser.ts";
import { type AttendanceFixture, attendanceFixture, insertSlot } from "./testing.ts";
import { signatureMethodOf } from "./typed-signature.ts";
import { verifyProofs } from "./use-cases.ts";

const parisHm = (d: Date) => new Intl.DateTimeFormat("fr-FR", { timeZone: "Europe/Paris", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(d);
const parisDay = (d: Date) => new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Paris" }).format(d);

describe("browser: QR full screen, « non signé », typed signatures (Chromium + axe)", { skip: skipWithoutChromium() }, () => {
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
    slotId = await insertSlot(b.db, f, { status: "open", date: parisDay(start), start: parisHm(start), end: parisHm(end), startsAt: start.toISOString(), endsAt: end.toISOString() });
  });
  after(() => b?.close());

  test("the QR code is projected full screen (Fullscreen API) and its page refreshes itself without JavaScript", async () => {
    const trainer = await b.newPage({ viewport: DESKTOP });
    await loginAs(trainer, f.trainerEmail);
    await trainer.goto(`/emargement/${slotId}`);
    await trainer.getByRole("link", { name: "Projeter le QR code en plein écran" }).click();
    await trainer.waitForURL(/\/projection$/);
    await trainer.locator("#projection #qr svg").waitFor();
    await checkA11y(trainer, "/emargement/:id/projection");
    const button = trainer.getByRole("button", { name: "Plein écran" });
    await button.click();
    await trainer.waitForFunction(() => document.fullscreenElement?.id === "projection");
    await trainer.getByRole("button", { name: "Quitter le plein écran" }).click();
    await trainer.waitForFunction(() => document.fullscreenElement === null);

    const noJs = await b.newPage({ viewport: DESKTOP, javaScriptEnabled: false });
    await loginAs(noJs, f.trainerEmail);
    await noJs.goto(`/emargement/${slotId}/projection`);
    await noJs.locator("#qr svg").waitFor();
    assert.match(await noJs.content(), /<noscript><meta http-equiv="refresh" content="\d+"/);
    assert.equal(await noJs.locator("[data-fullscreen]").isVisible(), false, "no dead button without JavaScript");
  });

  test("unsigned trainees are « non signé »; countersigning without drawing keeps the pad; typed signatures are accepted with their method", async () => {
    const trainer = await b.newPage({ viewport: DESKTOP });
    await loginAs(trainer, f.trainerEmail);
    await trainer.goto(`/emargement/${slotId}`);
    const second = trainer.locator(`tr[data-path="${f.trainees[1].pathId}"]`);
    await second.getByText("non signé", { exact: true }).waitFor();
    assert.equal(await second.locator("select[name=status]").inputValue(), "", "no decision is preselected (not « absent » by default)");

    // Kiosk, keyboard only: the first trainee types their name and ticks the consent box.
    const kiosk = trainer.locator("#kiosque-titre ~ form");
    await kiosk.locator("select[name=pathId]").selectOption(f.trainees[0].pathId);
    await kiosk.getByLabel("J'ai vérifié l'identité de cette personne").check();
    await kiosk.getByLabel("Nom complet tapé (signature au clavier)").fill("Camille Stagiaire");
    await kiosk.getByLabel(/Je signe en tapant mon nom/).check();
    await kiosk.getByRole("button", { name: "Enregistrer la signature" }).click();
    await trainer.waitForURL(/ok=kiosque/);
    const row = await b.db.selectFrom("attendance").select(["status", "method", "signature"]).where("slot_id", "=", slotId).where("path_id", "=", f.trainees[0].pathId).executeTakeFirstOrThrow();
    assert.equal(row.status, "present");
    assert.equal(row.method, "kiosk");
    assert.equal(signatureMethodOf(row.signature), "typed");
    assert.match(row.signature ?? "", /Camille Stagiaire/);

    // Countersigning without drawing: the pad stays, the message says what to do.
    const counter = trainer.locator("#contresign-titre ~ form");
    await counter.getByRole("button", { name: "Contresigner la feuille" }).click();
    await counter.getByText(/Signature manquante : signez dans le cadre/).waitFor();
    assert.equal(await counter.locator("canvas").count(), 1, "the pad is still there");
    await checkA11y(trainer, "/emargement/:id (contresignature manquante)");
    await counter.getByLabel("Nom complet tapé (signature au clavier)").fill("Paul Formateur");
    await counter.getByRole("button", { name: "Contresigner la feuille" }).click();
    await counter.getByText(/Cochez la case « Je signe en tapant mon nom »/).waitFor();
    await counter.getByLabel(/Je signe en tapant mon nom/).check();
    await counter.getByRole("button", { name: "Contresigner la feuille" }).click();
    await trainer.getByText("Feuille contresignée et close.").waitFor();
    const cs = await b.db.selectFrom("countersignature").select("signature").where("slot_id", "=", slotId).executeTakeFirstOrThrow();
    assert.equal(signatureMethodOf(cs.signature), "typed");
    // The evidence still verifies: the typed signature is hashed like a drawn one.
    assert.deepEqual((await verifyProofs(b.db)).broken, []);
  });
});
