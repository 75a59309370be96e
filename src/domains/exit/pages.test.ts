// The exit domain's pages and links over HTTP: exit form, certificate PDF, trainee and prescriber
// views, follow-ups for the Region, satisfaction and survey links (daily job), public badge page.
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { Actor } from "../../core/auth/actor.ts";
import { createTestContext, createUser, type TestContext } from "../../../test/support/app.ts";
import { createOrderFixture, type OrderFixture } from "../../../test/support/fixtures.ts";
import { actorFor, actorOf, mod, plan, position, register } from "../paths/testing.ts";
import { savePlan, validatePath } from "../paths/use-cases.ts";
import { skillsCertificateFacts, skillsCertificatePdf } from "./certificate.ts";
import { runExitDailyJobs } from "./jobs.ts";

describe("exit pages", () => {
  let t: TestContext;
  let fx: OrderFixture;
  let admin: Actor;
  let pathId: string;
  let traineeId: string;

  before(async () => {
    t = await createTestContext("2026-06-20T09:00:00Z", { badgeKeyFile: join(mkdtempSync(join(tmpdir(), "cp-badge-")), "k.pem"), publicUrl: "https://cp.example" });
    fx = await createOrderFixture(t.db);
    admin = await actorOf(t.db, fx.adminEmail);
    const r = await register(t.db, admin, fx);
    pathId = r.pathId;
    traineeId = (await t.db.selectFrom("path").select("trainee_id").where("id", "=", pathId).executeTakeFirstOrThrow()).trainee_id;
    await position(t.db, admin, pathId);
    await savePlan(t.db, admin, pathId, plan([mod(fx.moduleIds["Anglais général"], "centre", 6000)]));
    await validatePath(t.db, admin, pathId);
  });
  after(() => t.close());

  const mails = (pathId: string) => t.db.selectFrom("notification").select(["subject", "body_text", "recipient_email"]).where("entity_id", "=", pathId).execute();

  test("CP-SATISFACTION: the daily job sends the link in the last two weeks (not before), once; the answer is kept without the path", async () => {
    t.clock.set("2026-06-16T09:00:00Z"); // 15 days before 30 June
    await runExitDailyJobs(t.db, t.clock, "https://cp.example");
    assert.equal((await mails(pathId)).filter((m) => /satisfaction/.test(m.subject)).length, 0);
    t.clock.set("2026-06-17T09:00:00Z"); // 14 days: the window opens
    await runExitDailyJobs(t.db, t.clock, "https://cp.example");
    await runExitDailyJobs(t.db, t.clock, "https://cp.example");
    const links = (await mails(pathId)).filter((m) => /satisfaction/.test(m.subject));
    assert.equal(links.length, 1);
    const token = /\/satisfaction\/([A-Za-z0-9_-]+)/.exec(links[0].body_text)![1];
    const page = await t.app.request(`/satisfaction/${token}`);
    assert.equal(page.status, 200);
    const html = await page.text();
    const ids = [...html.matchAll(/name="(q-[0-9a-f-]+)"/g)].map((m) => m[1]);
    const form = new URLSearchParams(Object.fromEntries([...new Set(ids)].map((q) => [q, "4"])));
    form.set("comment", "Très bien");
    const answer = await t.app.request(`/satisfaction/${token}`, { method: "POST", body: form, headers: { "content-type": "application/x-www-form-urlencoded" } });
    assert.match(await answer.text(), /Merci/);
    const stored = await t.db.selectFrom("satisfaction_answer").selectAll().execute();
    assert.equal(stored.length, 1);
    assert.equal("path_id" in stored[0], false);
    assert.equal((await t.app.request("/satisfaction/inconnu")).status, 404);
  });

  test("the provider exits the trainee through the page; CP-SURVEY-NOTICE refusal shown in French; the certificate PDF downloads", async () => {
    t.clock.set("2026-06-30T15:00:00Z");
    const page = await t.pageSession(fx.adminEmail);
    assert.equal((await page.get(`/parcours/${pathId}/bilan`)).status, 200);
    await t.db.updateTable("trainee").set({ email: null }).where("id", "=", traineeId).execute();
    const refused = await page.post(`/parcours/${pathId}/bilan/sortie`, { reason: "completed", actualExitDate: "2026-06-30", actionPlan: "Recherche d'emploi accompagnée" });
    assert.equal(refused.status, 422);
    assert.match(refused.html, /CP-SURVEY-NOTICE/);
    assert.match(refused.html, /renseignez-la sur sa fiche/);
    await t.db.updateTable("trainee").set({ email: "camille.sortie@example.org" }).where("id", "=", traineeId).execute();
    const done = await page.post(`/parcours/${pathId}/bilan/sortie`, { reason: "completed", actualExitDate: "2026-06-30", actionPlan: "Recherche d'emploi accompagnée" });
    assert.equal(done.status, 303, done.html.slice(0, 500));
    const bilan = await page.get(`/parcours/${pathId}/bilan`);
    assert.match(bilan.html, /Parcours terminé/);
    assert.match(bilan.html, /Suivi à la sortie, à 3 et à 6 mois/);
    const pdf = await t.app.request(`/parcours/${pathId}/attestation-competences.pdf`, { headers: { cookie: "" } });
    assert.notEqual(pdf.status, 200, "anonymous: no certificate");
    const facts = await skillsCertificateFacts(t.db, admin, pathId);
    const raw = (await skillsCertificatePdf(facts, { compress: false })).toString("latin1");
    const text = [...raw.matchAll(/<([0-9a-f]+)>/g)].map((m) => Buffer.from(m[1], "hex").toString("latin1")).join("");
    assert.match(text, /Attestation de comp/);
    assert.match(text, /Cachet et signature/);
    assert.match(text, /Plan d'action/);
  });

  test("the trainee reads their bilan and downloads the certificate; another trainee gets 404", async () => {
    await createUser(t.db, { email: "camille.bilan@example.org", role: "trainee", traineeId });
    const me = await t.pageSession("camille.bilan@example.org");
    const bilan = await me.get(`/mon-parcours/${pathId}/bilan`);
    assert.equal(bilan.status, 200);
    assert.match(bilan.html, /attestation de compétences/);
    const pdf = await me.get(`/mon-parcours/${pathId}/attestation-competences.pdf`);
    assert.equal(pdf.status, 200);
    const other = await register(t.db, admin, fx);
    const otherTrainee = (await t.db.selectFrom("path").select("trainee_id").where("id", "=", other.pathId).executeTakeFirstOrThrow()).trainee_id;
    await createUser(t.db, { email: "autre.bilan@example.org", role: "trainee", traineeId: otherTrainee });
    assert.equal((await (await t.pageSession("autre.bilan@example.org")).get(`/mon-parcours/${pathId}/bilan`)).status, 404);
  });

  test("CP-EXIT-FOLLOWUP: the Region sees overdue follow-ups; CP-REGION-SURVEYS: the 6-month survey by personal link, unsubscribe honoured", async () => {
    const region = await actorFor(t.db, "region.pages@example.org", "region_officer");
    void region;
    t.clock.set("2026-10-15T09:00:00Z"); // the 3-month follow-up (28 Sept + 30 days = 28 Oct) is due, the exit one (30 July) late
    const page = await t.pageSession("region.pages@example.org");
    const late = await page.get("/suivis?etat=retard");
    assert.equal(late.status, 200);
    assert.match(late.html, /en retard/);
    assert.match(late.html, /À la sortie/);
    t.clock.set("2026-12-28T09:00:00Z"); // 181 days after exit
    await runExitDailyJobs(t.db, t.clock, "https://cp.example");
    const survey = (await mails(pathId)).find((m) => /6 mois après/.test(m.subject));
    assert.ok(survey);
    const token = /\/enquete\/([A-Za-z0-9_-]+)\n/.exec(survey.body_text)![1];
    const answered = await t.app.request(`/enquete/${token}`, { method: "POST", body: new URLSearchParams({ situation: "employment", satisfaction: "5" }), headers: { "content-type": "application/x-www-form-urlencoded" } });
    assert.match(await answered.text(), /Merci/);
    await t.app.request(`/enquete/${token}/desinscription`, { method: "POST" });
    t.clock.set("2027-12-24T09:00:00Z"); // 18 months
    await runExitDailyJobs(t.db, t.clock, "https://cp.example");
    assert.equal((await mails(pathId)).filter((m) => /18 mois après/.test(m.subject)).length, 0, "unsubscribed: no 18-month survey");
    const kpis = await (await t.pageSession("region.pages@example.org")).get("/savoir-etre");
    assert.match(kpis.html, /6 mois/);
  });
});
