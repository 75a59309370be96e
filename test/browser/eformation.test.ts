// Issue 14's e-formation journeys in Chromium with axe: the provider declares its virtual-class tool
// (CP-WEBCONF) and the Region accepts it; the gatherings page; the 15-day checkpoint postpones the
// session (path, slot and access-site seat follow); the individual protocol is generated, signed by
// the provider in the app and by the trainee through the personal link (CP-PROTOCOL).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type BrowserTest, checkA11y, loginAs, skipWithoutChromium, startBrowserTest } from "../support/browser.ts";
import { createOrderFixture, type OrderFixture } from "../support/fixtures.ts";
import { TEST_PASSWORD } from "../support/app.ts";
import { newId } from "../../src/core/time.ts";
import { siteBody, slotFor, traineePath } from "../../src/domains/access-sites/testing.ts";

describe("browser: e-formation — tools, gatherings, the 15-day checkpoint, the protocol (Chromium + axe)", { skip: skipWithoutChromium() }, () => {
  let b: BrowserTest;
  let f: OrderFixture;
  let componentId: string;
  let sessionId: string;
  let pathId: string;
  let slotId: string;

  const api = async (method: string, path: string, token: string | undefined, body?: unknown) => {
    const res = await fetch(`${b.baseUrl}${path}`, { method, headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, body: await res.json() };
  };
  const tokenOf = async (email: string) => (await api("POST", "/api/auth/login", undefined, { email, password: TEST_PASSWORD })).body.token as string;

  before(async () => {
    b = await startBrowserTest(); // Tuesday 10 March 2026, 10:00 in Paris: day 15 before 25 March
    f = await createOrderFixture(b.db, { eFormation: true });
    componentId = (await b.db.selectFrom("order_line").select("component_id").where("id", "=", f.orderLineId).executeTakeFirstOrThrow()).component_id;
    sessionId = newId();
    await b.db.insertInto("session").values({ id: sessionId, provider_id: f.providerId, order_line_id: f.orderLineId, site_id: null, start_date: "2026-03-25", end_date: "2026-06-30", places: 16 }).execute();
    const p = await traineePath(b.db, f, { lastName: "Roux" });
    pathId = p.pathId;
    await b.db.updateTable("trainee").set({ email: "ines.roux@exemple.fr" }).where("id", "=", p.traineeId).execute();
    await b.db.updateTable("path").set({ entry_date: "2026-03-25" }).where("id", "=", pathId).execute();
    await b.db
      .insertInto("path_item")
      .values([
        { id: newId(), path_id: pathId, label: "Classes virtuelles", modality: "distance", planned_minutes: 6000, position: 1 },
        { id: newId(), path_id: pathId, label: "Journée d'accueil", modality: "gathering", planned_minutes: 420, position: 2 },
      ])
      .execute();
    const candidateId = newId();
    await b.db.insertInto("candidate").values({ id: candidateId, first_name: "Inès", last_name: "Roux", birth_date: "1990-01-01", residence_departement_code: "46" }).execute();
    await b.db.insertInto("candidacy").values({ id: newId(), candidate_id: candidateId, session_id: sessionId, provider_id: f.providerId, origin: "paper", status: "entered", path_id: pathId, created_at: new Date("2026-02-01T00:00:00Z"), updated_at: new Date("2026-02-01T00:00:00Z") }).execute();
    slotId = await slotFor(b.db, f, [pathId], "2026-03-26", "09:00", "12:00");
    const region = await tokenOf(f.regionEmail);
    const site = await api("POST", "/api/access-sites", region, siteBody("Site e-formation de Cahors", { "Salle Lot": 4 }));
    assert.equal(site.status, 201, JSON.stringify(site.body));
    const booked = await api("POST", "/api/seat-bookings", await tokenOf(f.adminEmail), { pathId, roomId: site.body.rooms[0].id, slotIds: [slotId] });
    assert.equal(booked.status, 201, JSON.stringify(booked.body));
  });
  after(() => b?.close());

  test("CP-WEBCONF: the provider declares its tool with the capability checklist; a missing one is refused; the Region accepts", async () => {
    const page = await b.newPage();
    await loginAs(page, f.adminEmail);
    await page.goto(`/eformation/composantes/${componentId}`);
    await checkA11y(page, "/eformation/composantes/:id");
    await page.getByLabel("Outil de classe virtuelle").fill("Visio Classe");
    for (const cap of ["Audio et vidéo pour 16 personnes au moins", "Partage d'écran", "Prise en main à distance", "Transfert de fichiers"]) await page.getByLabel(cap).check();
    await page.getByLabel("Le Moodle de la Région").check();
    await page.getByRole("button", { name: "Envoyer la déclaration à la Région" }).click();
    await page.getByRole("alert").getByText(/doit offrir : tableau blanc/).waitFor();
    await checkA11y(page, "/eformation/composantes/:id (refus)");
    assert.ok(await page.getByLabel("Partage d'écran").isChecked(), "the boxes stay as ticked");
    await page.getByLabel("Tableau blanc").check();
    await page.getByRole("button", { name: "Envoyer la déclaration à la Région" }).click();
    await page.getByText("Déclaration d'outils envoyée à la Région.").waitFor();

    const region = await b.newPage();
    await loginAs(region, f.regionEmail);
    await region.goto("/eformation");
    await region.getByRole("cell", { name: "À examiner" }).waitFor(); // the home's list shows what awaits review
    await region.goto(`/eformation/composantes/${componentId}`);
    await region.getByText("À examiner").waitFor();
    await checkA11y(region, "/eformation/composantes/:id (Région)");
    await region.getByRole("button", { name: "Accepter les outils" }).click();
    await region.getByText("Outils acceptés.").waitFor();
    assert.ok(await region.getByText("Acceptée", { exact: true }).isVisible());
  });

  test("CP-EFORM-GATHERINGS: the gatherings page passes axe for the provider (with a welcome day and its deliveries) and the Region", async () => {
    const page = await b.newPage();
    await loginAs(page, f.adminEmail);
    await page.goto(`/eformation/sessions/${sessionId}`);
    await page.getByRole("link", { name: "Regroupements, journée d'accueil et remises" }).click();
    await checkA11y(page, "/eformation/sessions/:id/regroupements");
    await page.getByLabel("Type").selectOption({ label: "Journée d'accueil" });
    await page.getByLabel("Date").first().fill("2026-03-25");
    await page.getByLabel("Lieu").first().fill("Maison de la Région, Cahors");
    await page.getByRole("button", { name: "Enregistrer le regroupement" }).click();
    await page.getByText("Enregistré.").waitFor();
    await checkA11y(page, "/eformation/sessions/:id/regroupements (journée d'accueil)");
    const boxes = page.getByRole("checkbox", { name: /Roux/ });
    assert.equal(await boxes.count(), 3, "contract, calendar, learning materials");
    for (let i = 0; i < 3; i++) await boxes.nth(i).check();
    await page.getByRole("button", { name: /Enregistrer les remises de .*Roux/ }).click();
    await page.getByText("Enregistré.").waitFor();
    assert.equal(await page.getByRole("checkbox", { name: /remis —.*Roux/ }).count(), 3, "each delivery recorded");
    const region = await b.newPage();
    await loginAs(region, f.regionEmail);
    await region.goto(`/eformation/sessions/${sessionId}/regroupements`);
    await checkA11y(region, "/eformation/sessions/:id/regroupements (Région)");
  });

  test("CP-EFORM-CHECKPOINT-15D: the Region postpones the session a week; path, slot and access-site seat follow", async () => {
    const page = await b.newPage();
    await loginAs(page, f.regionEmail);
    await page.goto(`/eformation/sessions/${sessionId}`);
    await page.getByRole("link", { name: "Point d'étape avec la Région" }).click();
    await page.getByRole("heading", { level: 1, name: /Point d'étape à 15 jours/ }).waitFor();
    await checkA11y(page, "/eformation/sessions/:id/point-15-jours");
    await page.getByLabel("Reporter la session").check();
    await page.getByLabel("Nouvelle date de début (report)").fill("2026-04-01");
    await page.getByLabel("Nouvelle date de fin (report)").fill("2026-07-07");
    await page.getByRole("button", { name: "Enregistrer la décision" }).click();
    await page.getByRole("alert").getByText(/Motif/).first().waitFor();
    await checkA11y(page, "/eformation/sessions/:id/point-15-jours (refus)");
    await page.getByLabel("Reporter la session").check();
    await page.getByLabel("Motif (obligatoire pour un report)").fill("Effectif insuffisant au 25 mars");
    await page.getByRole("button", { name: "Enregistrer la décision" }).click();
    await page.getByText(/Session reportée/).waitFor();
    await page.getByText(/reportée du 25\/03\/2026 au 01\/04\/2026/).waitFor();
    await checkA11y(page, "/eformation/sessions/:id/point-15-jours (reportée)");

    const provider = await b.newPage();
    await loginAs(provider, f.adminEmail);
    await provider.goto(`/parcours/${pathId}/site-acces`);
    await provider.getByRole("cell", { name: /Site e-formation de Cahors — Salle Lot, PC 1/ }).waitFor();
    assert.ok(await provider.getByRole("cell", { name: /02\/04\/2026/ }).first().isVisible(), "the slot of 26 March moved to 2 April with its seat");
    assert.equal(await provider.getByRole("cell", { name: /26\/03\/2026/ }).count(), 0);
  });

  test("CP-PROTOCOL: generated from the path page, signed by the provider, then by the trainee through the personal link", async () => {
    const page = await b.newPage();
    await loginAs(page, f.adminEmail);
    await page.goto(`/parcours/${pathId}`);
    await page.getByRole("link", { name: /Protocole individuel de formation e-formation/ }).click();
    await checkA11y(page, "/eformation/parcours/:id/protocole");
    await page.getByRole("button", { name: "Générer le protocole" }).click();
    await page.getByText(/Nouveau lien personnel envoyé/).waitFor();
    await checkA11y(page, "/eformation/parcours/:id/protocole (généré)");
    await page.getByRole("button", { name: "Signer pour l'organisme" }).click();
    await page.getByText("Signé par l'organisme").first().waitFor();

    const mail = await b.db.selectFrom("notification").select("body_text").where("recipient_email", "=", "ines.roux@exemple.fr").where("subject", "like", "%protocole%").orderBy("next_attempt_at", "desc").executeTakeFirstOrThrow();
    const link = /https?:\/\/\S+\/protocole\/\S+/.exec(mail.body_text)?.[0];
    assert.ok(link, "the trainee's mail carries the personal link");
    const trainee = await b.newPage();
    await trainee.goto(new URL(link).pathname);
    await trainee.getByRole("heading", { level: 1, name: "Votre protocole individuel de formation" }).waitFor();
    await checkA11y(trainee, "/protocole/:token");
    await trainee.getByLabel("Votre nom").fill("Inès Roux");
    await trainee.getByLabel("J'ai lu le protocole et je le signe").check();
    await trainee.getByRole("button", { name: "Signer le protocole" }).click();
    await trainee.getByText(/Signé par les deux parties/).first().waitFor();
    await checkA11y(trainee, "/protocole/:token (signé)");
    await page.reload();
    await page.getByText("Signé par les deux parties").first().waitFor();
  });
});
