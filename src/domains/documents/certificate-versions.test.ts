// CP-CERTIFICATE-OF-COMPLETION (issue 10 point 5, documents without mistakes): the period is clamped
// to the path's dates; one certificate in force per period, a second only as a replacement with a
// reason (version n+1, the old one still verifiable); mailed to the trainee once per click.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createTestContext, type TestContext } from "../../../test/support/app.ts";
import { createOrderFixture, type OrderFixture } from "../../../test/support/fixtures.ts";
import { startTestSmtpServer, type TestSmtpServer } from "../../../test/support/smtp.ts";
import { runSenderOnce, createMailTransport } from "../../core/notifications/sender.ts";
import { addAttendance, addSlot } from "../ledger/testing.ts";
import { actorOf, register } from "../paths/testing.ts";

describe("certificates of completion: clamped period, versions, mail", () => {
  let t: TestContext;
  let fx: OrderFixture;
  let token: string;
  let smtp: TestSmtpServer;
  before(async () => {
    t = await createTestContext("2026-04-15T09:00:00Z");
    fx = await createOrderFixture(t.db);
    token = await t.login(fx.adminEmail);
    smtp = await startTestSmtpServer();
  });
  after(async () => {
    await smtp.stop();
    await t.close();
  });

  /** A validated path entered on 2026-03-02 (planned exit 2026-06-30), 3 h 30 proved on 2026-03-02. */
  const validatedPath = async () => {
    const { pathId } = await register(t.db, await actorOf(t.db, fx.adminEmail), fx);
    await t.db.updateTable("path").set({ status: "validated" }).where("id", "=", pathId).execute();
    const s = await addSlot(t.db, { providerId: fx.providerId, orderLineId: fx.orderLineId, date: "2026-03-02", modality: "centre", pathIds: [pathId], minutes: 210 });
    await addAttendance(t.db, { slotId: s, pathId, minutes: 210 });
    return pathId;
  };

  test("CP-CERTIFICATE-OF-COMPLETION period: starting one day before entry is clamped to the entry date; after today, to today; with an exit, to the exit", async () => {
    const pathId = await validatedPath();
    const res = await t.api("POST", `/api/paths/${pathId}/certificates`, token, { from: "2026-03-01", to: "2026-12-31" });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.periodStart, "2026-03-02", "one day before entry → the entry date");
    assert.equal(res.body.periodEnd, "2026-04-15", "no exit yet: not after today");
    assert.deepEqual(res.body.content.period, { from: "2026-03-02", to: "2026-04-15" }, "the certified content says the clamped period");
    assert.equal(res.body.content.minutes.total, 210);
    // On the entry day itself nothing moves.
    const exact = await t.api("POST", `/api/paths/${pathId}/certificates`, token, { from: "2026-03-02", to: "2026-03-02" });
    assert.deepEqual([exact.body.periodStart, exact.body.periodEnd], ["2026-03-02", "2026-03-02"]);
    await t.db.updateTable("path").set({ actual_exit_date: "2026-03-20" }).where("id", "=", pathId).execute();
    const exited = await t.api("POST", `/api/paths/${pathId}/certificates`, token, { from: "2026-03-10", to: "2026-04-30" });
    assert.equal(exited.body.periodEnd, "2026-03-20", "after an exit: not after the actual exit");
    const outside = await t.api("POST", `/api/paths/${pathId}/certificates`, token, { from: "2026-01-01", to: "2026-02-28" });
    assert.equal(outside.status, 409);
    assert.equal(outside.body.code, "CP-CERTIFICATE-OF-COMPLETION");
    assert.match(outside.body.detail, /aucun jour du parcours, qui va du 02\/03\/2026 au 20\/03\/2026/);
  });

  test("CP-CERTIFICATE-OF-COMPLETION once per period: a second certificate is refused (409), a replacement needs its reason and becomes version 2; the first stays verifiable as replaced", async () => {
    const pathId = await validatedPath();
    const first = await t.api("POST", `/api/paths/${pathId}/certificates`, token, { from: "2026-03-01", to: "2026-03-31" });
    assert.equal(first.body.version, 1);
    // Same period once clamped (3/02–3/31): refused, naming the rule and the version in force.
    const again = await t.api("POST", `/api/paths/${pathId}/certificates`, token, { from: "2026-03-02", to: "2026-03-31" });
    assert.equal(again.status, 409);
    assert.equal(again.body.code, "CP-CERTIFICATE-OF-COMPLETION");
    assert.match(again.body.detail, /déjà en vigueur pour ce parcours et cette période \(du 02\/03\/2026 au 31\/03\/2026, version 1\)/);
    const noReason = await t.api("POST", `/api/paths/${pathId}/certificates`, token, { from: "2026-03-02", to: "2026-03-31", replaces: first.body.id });
    assert.equal(noReason.status, 422);
    assert.match(noReason.body.detail, /motif du remplacement/);
    const tooLong = await t.api("POST", `/api/paths/${pathId}/certificates`, token, { from: "2026-03-02", to: "2026-03-31", replaces: first.body.id, reason: "x".repeat(501) });
    assert.ok(tooLong.status === 400 || tooLong.status === 422, `max length: ${tooLong.status}`);
    const second = await t.api("POST", `/api/paths/${pathId}/certificates`, token, { from: "2026-03-02", to: "2026-03-31", replaces: first.body.id, reason: "Signature du 2 mars régularisée" });
    assert.equal(second.status, 201, JSON.stringify(second.body));
    assert.equal(second.body.version, 2);
    assert.equal(second.body.replacesId, first.body.id);
    assert.equal(second.body.content.replaces.reason, "Signature du 2 mars régularisée");
    // The replaced one cannot be replaced again.
    const stale = await t.api("POST", `/api/paths/${pathId}/certificates`, token, { replaces: first.body.id, reason: "encore" });
    assert.equal(stale.status, 409);
    const list = (await t.api("GET", `/api/paths/${pathId}/certificates`, token)).body;
    assert.deepEqual(
      list.map((c: { version: number; replacedBy: string | null }) => [c.version, c.replacedBy]),
      [
        [2, null],
        [1, second.body.id],
      ],
    );
    const check = await t.api("GET", `/api/certificates/verify/${first.body.verificationCode}`);
    assert.equal(check.body.genuine, true);
    assert.equal(check.body.intact, true);
    assert.equal(check.body.replacement.version, 2);
    const page = await t.app.request(`/verifier/${first.body.verificationCode}`);
    assert.match(await page.text(), /remplacé par la version 2/);
    assert.equal((await t.api("GET", `/api/certificates/verify/${second.body.verificationCode}`)).body.replacement, null);
  });

  test("CP-CERTIFICATE-OF-COMPLETION once per period, page: the refusal opens on the error summary, keeps the input, and the history shows both versions", async () => {
    const pathId = await validatedPath();
    const page = await t.pageSession(fx.adminEmail);
    assert.equal((await page.post(`/parcours/${pathId}/certificats`, { from: "2026-03-01", to: "2026-03-31" })).status, 303);
    const refused = await page.post(`/parcours/${pathId}/certificats`, { from: "2026-03-02", to: "2026-03-31", replaces: "", reason: "" });
    assert.equal(refused.status, 422);
    assert.match(refused.html, /class="alert error error-summary"/);
    assert.match(refused.html, /href="#f-replaces"/);
    assert.match(refused.html, /déjà en vigueur pour ce parcours et cette période/);
    assert.match(refused.html, /name="from"[^>]*value="2026-03-02"|value="2026-03-02"[^>]*name="from"/);
    const [v1] = (await t.api("GET", `/api/paths/${pathId}/certificates`, token)).body;
    const missing = await page.post(`/parcours/${pathId}/certificats`, { from: "2026-03-02", to: "2026-03-31", replaces: v1.id, reason: "" });
    assert.equal(missing.status, 422);
    assert.match(missing.html, new RegExp(`<option value="${v1.id}" selected`), "the chosen certificate stays selected");
    const ok = await page.post(`/parcours/${pathId}/certificats`, { from: "2026-03-02", to: "2026-03-31", replaces: v1.id, reason: "Heures du 2 mars corrigées" });
    assert.equal(ok.status, 303);
    const history = (await page.get(`/parcours/${pathId}/certificats`)).html;
    assert.match(history, /Remplacé par la version 2/);
    assert.match(history, /remplace la version 1 : Heures du 2 mars corrigées/);
    assert.match(history, /En vigueur/);
  });

  test("certificates mailed to the trainee: one mail per key (real SMTP), the link opens the PDF; a replaced one is not sent; another provider 404", async () => {
    const pathId = await validatedPath();
    const trainee = await t.db.selectFrom("path").innerJoin("trainee", "trainee.id", "path.trainee_id").select(["trainee.id", "trainee.email"]).where("path.id", "=", pathId).executeTakeFirstOrThrow();
    await t.db.updateTable("trainee").set({ email: "ines.roux@stagiaire.test" }).where("id", "=", trainee.id).execute();
    const cert = (await t.api("POST", `/api/paths/${pathId}/certificates`, token, {})).body;
    const send = (key: string, tok = token) => t.app.request(`/api/certificates/${cert.id}/mail`, { method: "POST", headers: { authorization: `Bearer ${tok}`, "idempotency-key": key } });
    const a = await send("clic-numero-1");
    assert.equal(a.status, 202);
    const again = await send("clic-numero-1");
    assert.equal(again.status, 202);
    assert.equal((await again.json()).repeated, true, "same key: nothing new");
    const before = smtp.received.length;
    await runSenderOnce(t.db, t.clock, createMailTransport(smtp.url));
    const mails = smtp.received.slice(before).filter((m) => m.to.includes("ines.roux@stagiaire.test"));
    assert.equal(mails.length, 1, "one click, one mail");
    assert.match(mails[0].subject, /Votre certificat de réalisation/);
    const link = /(https?:\/\/\S+\/verifier\/[A-Za-z0-9_-]+\/pdf)/.exec(mails[0].text)?.[1];
    assert.ok(link, mails[0].text);
    const pdf = await t.app.request(new URL(link).pathname);
    assert.equal(pdf.status, 200);
    assert.equal(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString(), "%PDF-");
    assert.equal((await send("clic-numero-2")).status, 202, "another click, another mail");
    assert.equal((await send("x")).status, 400, "a malformed key is refused");
    const other = await createOrderFixture(t.db);
    assert.equal((await send("clic-numero-3", await t.login(other.adminEmail))).status, 404);
    // The page's button: a double submit of the same form sends once.
    const page = await t.pageSession(fx.adminEmail);
    const html = (await page.get(`/parcours/${pathId}/certificats`)).html;
    assert.match(html, /Envoyer par courriel/);
    const key = /name="key" value="([^"]+)"/.exec(html)![1];
    assert.equal((await page.post(`/certificats/${cert.id}/envoyer`, { key })).status, 303);
    assert.equal((await page.post(`/certificats/${cert.id}/envoyer`, { key })).status, 303);
    const rows = await t.db.selectFrom("notification").select("id").where("entity", "=", "certificate").where("entity_id", "=", cert.id).execute();
    assert.equal(rows.length, 3, "keys 1, 2 and the page's key: three mails");
    assert.match((await page.get(`/parcours/${pathId}/certificats`)).html, /Envoyé par courriel le/);
    await t.api("POST", `/api/paths/${pathId}/certificates`, token, { replaces: cert.id, reason: "Correction" });
    assert.equal((await send("clic-numero-4")).status, 409, "a replaced certificate is not sent");
  });
});
