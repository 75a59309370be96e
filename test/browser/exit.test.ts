// Issue 12's browser journey (Chromium + axe): a trainer records a mock exam and an exam result; the
// provider exits a trainee and downloads the skills certificate; the prescriber reads the synthesis;
// the trainee answers the satisfaction questionnaire and downloads a badge; the Region sees the
// overdue follow-ups.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createUser } from "../support/app.ts";
import { type BrowserTest, browserClock, checkA11y, loginAs, skipWithoutChromium, startBrowserTest } from "../support/browser.ts";
import { createOrderFixture, type OrderFixture } from "../support/fixtures.ts";
import { actorFor, actorOf, mod, plan, position, register } from "../../src/domains/paths/testing.ts";
import { savePlan, validatePath } from "../../src/domains/paths/use-cases.ts";
import { createSessionRow } from "../../src/domains/recruitment/testing.ts";
import { addCertification, addHabilitation, registerExam } from "../../src/domains/exit/exams.ts";
import { issueBadge, recordSoftSkillStep, setSoftSkills, softSkillList } from "../../src/domains/exit/badges.ts";
import { runExitDailyJobs } from "../../src/domains/exit/jobs.ts";
import { exitTrainee } from "../../src/domains/exit/use-cases.ts";
import { loadConfig } from "../../src/core/config.ts";

const PDF = Buffer.from("%PDF-1.4\n% copie corrigée\n");

describe("browser: evaluation, exit and follow-up (Chromium + axe)", { skip: skipWithoutChromium() }, () => {
  let b: BrowserTest;
  let f: OrderFixture;
  let pathId = "";
  let traineeId = "";
  let satisfactionLink = "";

  before(async () => {
    b = await startBrowserTest({ clock: browserClock("2026-06-20") });
    f = await createOrderFixture(b.db);
    const admin = await actorOf(b.db, f.adminEmail);
    const validated = async () => {
      const { pathId: id } = await register(b.db, admin, f);
      await position(b.db, admin, id);
      await savePlan(b.db, admin, id, plan([mod(f.moduleIds["Anglais général"], "centre", 6000)]));
      await validatePath(b.db, admin, id);
      return id;
    };
    pathId = await validated();
    traineeId = (await b.db.selectFrom("path").select("trainee_id").where("id", "=", pathId).executeTakeFirstOrThrow()).trainee_id;
    await createUser(b.db, { email: "trainee.sortie@example.org", role: "trainee", traineeId });
    await actorFor(b.db, "formatrice.sortie@example.org", "trainer", f.providerId);
    const region = await actorFor(b.db, "region.sortie@example.org", "region_officer");
    const prescriber = await actorFor(b.db, "conseiller.sortie@example.org", "prescriber");
    // The candidacy that led to the path: the prescriber receives the synthesis.
    const candidateId = crypto.randomUUID();
    await b.db.insertInto("candidate").values({ id: candidateId, first_name: "Camille", last_name: "Sortie", birth_date: "1990-05-12", email: null, phone: null, france_travail_id: null, highest_diploma_level: null, created_at: new Date() }).execute();
    const sessionId = await createSessionRow(b.db, f);
    await b.db
      .insertInto("candidacy")
      .values({ id: crypto.randomUUID(), candidate_id: candidateId, session_id: sessionId, provider_id: f.providerId, origin: "dematerialised", prescriber_organisation_id: prescriber.prescriberOrganisationId, prescriber_user_id: prescriber.userId, path_id: pathId, status: "entered", created_at: new Date(), updated_at: new Date() } as never)
      .execute();
    const certificationId = await addCertification(b.db, admin, { componentId: f.componentId, code: "RS5440", title: "Anglais professionnel", skillBlocks: ["Compréhension", "Expression"] });
    await addHabilitation(b.db, admin, b.clock, certificationId, { certifier: "France Compétences", reference: "H-2026", validFrom: "2026-01-01", validUntil: "2027-12-31" });
    await registerExam(b.db, admin, b.clock, pathId, { certificationId, internal: false, sessionOn: "2026-06-15" });
    await setSoftSkills(b.db, region, { year: 2026, titles: ["Travail en équipe", "Communication", "Adaptabilité", "Autonomie", "Organisation", "Persévérance"] });
    const [skill] = await softSkillList(b.db, 2026);
    const trainer = await actorOf(b.db, "formatrice.sortie@example.org");
    for (const step of ["identify", "develop", "evaluate"] as const) await recordSoftSkillStep(b.db, trainer, b.clock, pathId, { softSkillId: skill.id, step, observation: `Étape ${step}`, validated: step === "evaluate" });
    await issueBadge(b.db, trainer, b.clock, loadConfig({}).badgeKeyFile, b.baseUrl, pathId, skill.id);
    // Another trainee who left 100 days ago: their follow-up at exit is late.
    const early = await validated();
    await exitTrainee(b.db, admin, b.clock, b.baseUrl, early, { reason: "dropout", actualExitDate: "2026-03-12", cause: "Déménagement" });
    // 20 June is in the last two weeks of the path (planned exit 30 June): the daily job mails the satisfaction link.
    await runExitDailyJobs(b.db, b.clock, b.baseUrl);
    const mail = await b.db.selectFrom("notification").select("body_text").where("entity_id", "=", pathId).where("subject", "like", "%satisfaction%").executeTakeFirstOrThrow();
    satisfactionLink = /(\/satisfaction\/[A-Za-z0-9_-]+)/.exec(mail.body_text)![1];
  });
  after(() => b?.close());

  test("a trainer records a mock exam with its corrected copy and an exam result", async () => {
    const page = await b.newPage();
    await loginAs(page, "formatrice.sortie@example.org");
    await page.goto(`/parcours/${pathId}/bilan`);
    await checkA11y(page, "/parcours/:id/bilan (formatrice)");
    await page.getByLabel("Épreuve").fill("Examen blanc d'anglais");
    await page.locator("#f-mock-takenOn").fill("2026-06-05");
    await page.locator("#f-mock-score").fill("14");
    await page.locator("#f-mock-outOf").fill("20");
    await page.getByLabel(/Copie corrigée/).setInputFiles({ name: "copie.pdf", mimeType: "application/pdf", buffer: PDF });
    await page.getByRole("button", { name: "Enregistrer l'examen blanc" }).click();
    await page.getByRole("cell", { name: "14/20" }).waitFor();
    await page.getByRole("combobox", { name: /^Résultat/ }).selectOption("partial");
    await page.getByLabel("Compréhension").check();
    await page.getByRole("button", { name: "Enregistrer le résultat" }).click();
    await page.getByRole("cell", { name: /Réussite partielle \(blocs\) : Compréhension/ }).waitFor();
    await checkA11y(page, "/parcours/:id/bilan (après saisie)");
  });

  test("the provider exits the trainee and downloads the skills certificate", async () => {
    const page = await b.newPage();
    await loginAs(page, f.adminEmail);
    await page.goto(`/parcours/${pathId}`);
    await page.getByRole("link", { name: /Évaluation et sortie/ }).click();
    await page.getByLabel("Motif de sortie").selectOption("completed");
    await page.getByLabel("Date de sortie réelle").fill("2026-06-20");
    await page.getByLabel("Plan d'action pour la suite").fill("Seconde session pour le bloc Expression, puis candidatures.");
    await page.getByRole("button", { name: "Enregistrer la sortie" }).click();
    await page.getByText("Avis d'enquêtes envoyé").waitFor();
    await checkA11y(page, "/parcours/:id/bilan (sorti)");
    const download = page.waitForEvent("download");
    await page.getByRole("link", { name: /attestation de compétences \(PDF\)/i }).click();
    const file = await download;
    assert.match(file.suggestedFilename(), /^attestation-competences-.*\.pdf$/);
  });

  test("the prescriber reads the synthesis", async () => {
    const page = await b.newPage();
    await loginAs(page, "conseiller.sortie@example.org");
    await page.getByRole("navigation", { name: "Navigation principale" }).getByRole("link", { name: "Synthèses" }).click();
    await checkA11y(page, "/syntheses");
    await page.getByRole("link", { name: /Camille/ }).first().click();
    await page.getByRole("heading", { level: 1, name: /Synthèse de parcours/ }).waitFor();
    await page.getByText(/Seconde session pour le bloc Expression/).waitFor();
    await checkA11y(page, "/syntheses/:id");
  });

  test("the trainee answers the satisfaction questionnaire and downloads a badge", async () => {
    const link = satisfactionLink;
    const page = await b.newPage();
    await loginAs(page, "trainee.sortie@example.org");
    await page.goto(link);
    await checkA11y(page, "/satisfaction/:token");
    for (const group of await page.locator("fieldset").all()) await group.getByLabel("Plutôt d'accord").check();
    await page.getByLabel("Que faudrait-il améliorer ?").fill("Plus d'oral.");
    await page.getByRole("button", { name: "Envoyer mes réponses" }).click();
    await page.getByText("Merci, votre réponse est enregistrée.").waitFor();
    await page.goto("/mon-parcours");
    await page.getByRole("link", { name: /Mes évaluations/ }).click();
    await checkA11y(page, "/mon-parcours/:id/bilan");
    const download = page.waitForEvent("download");
    await page.getByRole("link", { name: /télécharger \(Open Badges 3.0\)/ }).click();
    assert.match((await download).suggestedFilename(), /^badge-.*\.jwt$/);
    await page.getByRole("link", { name: "vérifier" }).click();
    await page.getByText(/Badge authentique et valide/).waitFor();
    await checkA11y(page, "/badges/:id");
  });

  test("a regional officer sees the overdue follow-ups", async () => {
    const page = await b.newPage();
    await loginAs(page, "region.sortie@example.org");
    await page.getByRole("navigation", { name: "Navigation principale" }).getByRole("link", { name: "Suivis de sortie" }).click();
    await page.getByRole("link", { name: /seulement les suivis en retard/ }).click();
    await page.getByRole("cell", { name: "en retard" }).first().waitFor();
    await checkA11y(page, "/suivis?etat=retard");
  });
});
