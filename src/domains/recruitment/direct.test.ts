// Security issue, point 6: the public registration form cannot be used to mail anyone repeatedly.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createTestContext, type TestContext } from "../../../test/support/app.ts";
import { createOrderFixture, type OrderFixture } from "../../../test/support/fixtures.ts";
import { candidate, createSessionRow } from "./testing.ts";

describe("CP-PRESCRIPTION-MODES: direct e-formation registration, confirmed by mail before it reaches the provider", () => {
  let t: TestContext;
  let ef: OrderFixture;
  let session: string;
  before(async () => {
    t = await createTestContext("2026-03-02T09:00:00Z", { publicUrl: "https://competences-plus.example" });
    ef = await createOrderFixture(t.db, { eFormation: true });
    session = await createSessionRow(t.db, ef, { site: false });
  });
  after(() => t.close());

  const register = (over: Record<string, unknown> = {}) => t.api("POST", `/api/public/sessions/${session}/registrations`, undefined, candidate(over));
  const candidacies = async () => Number((await t.db.selectFrom("candidacy").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
  const mailsTo = (email: string) => t.db.selectFrom("notification").select(["subject", "body_text", "entity"]).where("recipient_email", "=", email).orderBy("created_at").execute();
  const providerMails = () => t.db.selectFrom("notification").select("id").where("recipient_email", "=", ef.adminEmail).execute();
  const tokenIn = (body: string) => /\/candidature\/confirmer\/([A-Za-z0-9_-]{43})/.exec(body)?.[1] ?? "";

  test("CP-PRESCRIPTION-MODES: nothing reaches the provider before confirmation; the link (PUBLIC_URL) creates the candidacy once", async () => {
    t.clock.set("2026-03-02T09:00:00Z");
    const before = await candidacies();
    const providerBefore = (await providerMails()).length;
    const sent = await register({ email: "ines@exemple.test", lastName: "Confirmée", project: "Voir https://spam.example et gagner" });
    assert.equal(sent.status, 202, JSON.stringify(sent.body));
    assert.equal(sent.body.status, "pending");
    assert.equal(await candidacies(), before, "no candidacy yet");
    assert.equal((await providerMails()).length, providerBefore, "the provider is not mailed yet");
    const [mail] = await mailsTo("ines@exemple.test");
    assert.match(mail.subject, /^Confirmez votre candidature/);
    assert.ok(mail.body_text.startsWith("Bonjour Inès Confirmée,"));
    assert.match(mail.body_text, /https:\/\/competences-plus\.example\/candidature\/confirmer\//);
    assert.doesNotMatch(mail.body_text, /spam\.example|0601020304|1234567A/, "no other typed text than the name");
    const token = tokenIn(mail.body_text);

    // Opening the link (a mail scanner does) confirms nothing: the page asks for a click.
    const page = await t.app.request(`/candidature/confirmer/${token}`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /Confirmer ma candidature/);
    assert.equal(await candidacies(), before);

    const confirmed = await t.app.request(`/candidature/confirmer/${token}`, { method: "POST", body: new URLSearchParams({}), headers: { "content-type": "application/x-www-form-urlencoded" } });
    assert.equal(confirmed.status, 303);
    assert.equal(confirmed.headers.get("location"), `/candidater/${session}?ok=confirmee`);
    assert.equal(await candidacies(), before + 1);
    const row = await t.db.selectFrom("candidacy as c").innerJoin("candidate as p", "p.id", "c.candidate_id").select(["c.origin", "p.last_name", "p.email"]).where("p.last_name", "=", "Confirmée").executeTakeFirstOrThrow();
    assert.deepEqual(row, { origin: "direct_eformation", last_name: "Confirmée", email: "ines@exemple.test" });
    assert.ok((await providerMails()).length > providerBefore, "now the provider is told");
    assert.ok((await mailsTo("ines@exemple.test")).some((m) => /^Candidature reçue/.test(m.subject)));

    const again = await t.api("POST", `/api/public/registrations/${token}/confirm`);
    assert.equal(again.status, 410, "the link works once");
    assert.equal(again.body.code, "REGISTRATION_LINK_INVALID");
    assert.equal(await candidacies(), before + 1);
  });

  test("CP-PRESCRIPTION-MODES: the link expires after 48 hours (47 h 59 works, 48 h does not)", async () => {
    t.clock.set("2026-03-03T09:00:00Z");
    await register({ email: "tardive@exemple.test", lastName: "Tardive" });
    await register({ email: "ponctuelle@exemple.test", lastName: "Ponctuelle" });
    const late = tokenIn((await mailsTo("tardive@exemple.test"))[0].body_text);
    const onTime = tokenIn((await mailsTo("ponctuelle@exemple.test"))[0].body_text);
    t.clock.set("2026-03-05T08:59:59Z");
    assert.equal((await t.api("POST", `/api/public/registrations/${onTime}/confirm`)).status, 201);
    t.clock.set("2026-03-05T09:00:00Z");
    assert.equal((await t.api("POST", `/api/public/registrations/${late}/confirm`)).status, 410);
    assert.equal((await t.app.request(`/candidature/confirmer/${late}`)).status, 410);
  });

  test("CP-PRESCRIPTION-MODES: the address is required; a name is letters, spaces, hyphens and apostrophes only", async () => {
    t.clock.set("2026-03-06T09:00:00Z");
    const noMail = await register({ email: "" });
    assert.equal(noMail.status, 400);
    assert.equal(noMail.body.violations[0].field, "email");
    const link = await register({ firstName: "Cliquez sur https://spam.example" });
    assert.equal(link.status, 400);
    assert.match(link.body.violations[0].message, /firstName : Prénom : lettres, espaces, traits d'union et apostrophes seulement/);
    assert.equal((await register({ firstName: "Anne-Sophie", lastName: "N’Diaye d'Arc" })).status, 202);
  });

  test("CP-PRESCRIPTION-MODES: one address gets at most 5 confirmation mails a day, whoever sends; the answer does not change", async () => {
    t.clock.set("2026-03-07T09:00:00Z");
    for (let i = 0; i < 7; i++) {
      if (i === 5) t.clock.set("2026-03-07T10:00:01Z"); // another hour: the per-sender limit is not what stops it
      assert.equal((await register({ email: "victime@exemple.test", lastName: "Victime" })).status, 202, `request ${i + 1}`);
    }
    assert.equal((await mailsTo("victime@exemple.test")).length, 5);
    t.clock.set("2026-03-08T09:00:01Z");
    await register({ email: "victime@exemple.test", lastName: "Victime" });
    assert.equal((await mailsTo("victime@exemple.test")).length, 6, "a day later, one more");
  });

  test("CP-PRESCRIPTION-MODES: one client address sends at most 10 registrations an hour (the 11th is 429 with Retry-After)", async () => {
    t.clock.set("2026-03-09T09:00:00Z");
    for (let i = 1; i <= 10; i++) assert.equal((await register({ email: `personne${i}@exemple.test` })).status, 202, `request ${i}`);
    const eleventh = await register({ email: "personne11@exemple.test" });
    assert.equal(eleventh.status, 429);
    assert.equal(eleventh.body.code, "TOO_MANY_REQUESTS");
    assert.equal(eleventh.headers.get("retry-after"), "3600");
    assert.equal((await mailsTo("personne11@exemple.test")).length, 0);
    t.clock.set("2026-03-09T10:00:00Z");
    assert.equal((await register({ email: "personne11@exemple.test" })).status, 202);
  });

  test("CP-PRESCRIPTION-MODES: the page: sent notice, then the confirmation page and the confirmed notice", async () => {
    t.clock.set("2026-03-10T09:00:00Z");
    const form = new URLSearchParams({ lastName: "Page", firstName: "Léa", birthDate: "1990-01-01", email: "lea.page@exemple.test", project: "Reprendre une formation", jobSeekerRegistered: "1" });
    const sent = await t.app.request(`/candidater/${session}`, { method: "POST", body: form, headers: { "content-type": "application/x-www-form-urlencoded" } });
    assert.equal(sent.status, 303);
    assert.equal(sent.headers.get("location"), `/candidater/${session}?ok=envoye`);
    assert.match(await (await t.app.request(sent.headers.get("location")!)).text(), /un lien de confirmation vient d&#39;être envoyé/);
    const bad = await t.app.request(`/candidater/${session}`, { method: "POST", body: new URLSearchParams({ ...Object.fromEntries(form), email: "" }), headers: { "content-type": "application/x-www-form-urlencoded" } });
    assert.equal(bad.status, 422);
    assert.match(await bad.text(), /Adresse e-mail invalide : nous y envoyons le lien/);
  });
});
