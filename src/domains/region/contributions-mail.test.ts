// CP-CONTRIBUTION-RECOVERY (CCTP §2.5): a finding recorded by the Region mails the provider's administrative
// referent, once, over a real SMTP server (the mail is written with the finding and sent after commit).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createMailTransport, runSenderOnce } from "../../core/notifications/sender.ts";
import { createTestContext, type TestContext } from "../../../test/support/app.ts";
import { createOrderFixture, type OrderFixture } from "../../../test/support/fixtures.ts";
import { startTestSmtpServer, type TestSmtpServer } from "../../../test/support/smtp.ts";
import { actorOf, register } from "../paths/testing.ts";

const quiet = { from: "Compétences Plus <ne-pas-repondre@competences-plus.test>", log: () => {} };

describe("CP-CONTRIBUTION-RECOVERY: the provider is mailed the finding", () => {
  let t: TestContext;
  let smtp: TestSmtpServer;
  let fx: OrderFixture;
  let other: OrderFixture;
  before(async () => {
    t = await createTestContext("2026-03-30T09:00:00Z");
    smtp = await startTestSmtpServer();
    fx = await createOrderFixture(t.db);
    other = await createOrderFixture(t.db);
  });
  after(async () => {
    await smtp.stop();
    await t.close();
  });

  test("CP-CONTRIBUTION-RECOVERY: recording a finding mails the provider's administrative referent (not another provider), once", async () => {
    const { pathId } = await register(t.db, await actorOf(t.db, fx.adminEmail), fx, { lastName: "Payeur" });
    const traineeId = (await t.db.selectFrom("path").select("trainee_id").where("id", "=", pathId).executeTakeFirstOrThrow()).trainee_id;
    await runSenderOnce(t.db, t.clock, createMailTransport(smtp.url), quiet);
    smtp.received.length = 0;
    const region = await t.login(fx.regionEmail);
    const refused = await t.api("POST", "/api/contribution-findings", region, { traineeId, foundOn: "2026-03-16", amountCents: 15000, description: "x", refundDueOn: "2026-03-01" });
    assert.equal(refused.status, 400);
    const r = await t.api("POST", "/api/contribution-findings", region, { traineeId, foundOn: "2026-03-16", amountCents: 15000, description: "Frais de dossier demandés à l'inscription", refundDueOn: "2026-04-15" });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(smtp.received.length, 0, "nothing leaves before the sender runs");
    await runSenderOnce(t.db, t.clock, createMailTransport(smtp.url), quiet);
    await runSenderOnce(t.db, t.clock, createMailTransport(smtp.url), quiet);
    assert.deepEqual(smtp.received.map((m) => m.to.join(",")), [fx.adminEmail], "the refused finding wrote no mail; another provider is not told");
    assert.ok(!smtp.received.some((m) => m.to.includes(other.adminEmail)));
    const mail = smtp.received[0];
    assert.match(mail.subject, /Participation interdite constatée — remboursement exigé avant le 15\/04\/2026/);
    assert.match(mail.text, /150,00\s€/);
    assert.match(mail.text, /Frais de dossier/);
    assert.match(mail.text, new RegExp(`/contributions/${r.body.id}`));
    assert.match(mail.text, /CP-CONTRIBUTION-RECOVERY/);
  });
});
