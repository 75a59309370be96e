import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createMailTransport, runSenderOnce } from "../../core/notifications/sender.ts";
import { createTestContext, type TestContext } from "../../../test/support/app.ts";
import { createOrderFixture, type OrderFixture } from "../../../test/support/fixtures.ts";
import { startTestSmtpServer, type TestSmtpServer } from "../../../test/support/smtp.ts";
import { candidate, createPrescriber, createSessionRow, FT_TOULOUSE } from "./testing.ts";

const quiet = { from: "Compétences Plus <ne-pas-repondre@competences-plus.test>", log: () => {} };

describe("CP-CANDIDACY-DECISION: a decision sends exactly the right mails, once, over real SMTP", () => {
  let t: TestContext;
  let smtp: TestSmtpServer;
  let a: OrderFixture;
  let b: OrderFixture;
  let prescriberEmail: string;
  before(async () => {
    t = await createTestContext("2026-03-02T09:00:00Z");
    smtp = await startTestSmtpServer();
    a = await createOrderFixture(t.db);
    b = await createOrderFixture(t.db);
    prescriberEmail = await createPrescriber(t.db, FT_TOULOUSE);
  });
  after(async () => {
    await smtp.stop();
    await t.close();
  });

  test("refusing a continuation candidate mails the candidate, the prescriber and provider 1 — once, even when the sender runs again or restarts", async () => {
    const session = await createSessionRow(t.db, a);
    const [tokA, tokB] = [await t.login(a.adminEmail), await t.login(b.adminEmail)];
    const slip = await t.api("POST", "/api/continuation-slips", tokB, { sessionId: session, fromScheme: "prf_prequalifying", prescriberOrganisationId: FT_TOULOUSE, ...candidate({ email: "zoe.candidate@exemple.test", firstName: "Zoé" }) });
    assert.equal(slip.status, 201);
    assert.equal((await t.api("POST", `/api/candidacies/${slip.body.id}/transitions`, tokA, { to: "summoned", summonedFor: "2026-03-09" })).status, 200);
    // Flush what earlier steps wrote, then watch the decision alone.
    await runSenderOnce(t.db, t.clock, createMailTransport(smtp.url), quiet);
    smtp.received.length = 0;

    const decision = await t.api("POST", `/api/candidacies/${slip.body.id}/transitions`, tokA, {
      to: "not_retained",
      refusalReasonCode: "session_full",
      messageToCandidate: "Nous vous proposons la session de septembre.",
      messageToPrescriber: "Session complète ; proposition faite pour septembre.",
      continuationJustification: "Les douze places étaient attribuées avant la réception de la fiche.",
    });
    assert.equal(decision.status, 200, JSON.stringify(decision.body));
    assert.equal(smtp.received.length, 0, "nothing leaves before the sender runs (written to the outbox with the decision)");

    const first = await runSenderOnce(t.db, t.clock, createMailTransport(smtp.url), quiet);
    assert.equal(first.sent, 3);
    await runSenderOnce(t.db, t.clock, createMailTransport(smtp.url), quiet); // retried job
    await runSenderOnce(t.db, t.clock, createMailTransport(smtp.url), quiet); // "restarted process": a fresh transport
    const to = smtp.received.map((m) => m.to.join(",")).sort();
    assert.deepEqual(to, [b.adminEmail, prescriberEmail, "zoe.candidate@exemple.test"].sort());
    const byTo = (addr: string) => smtp.received.find((m) => m.to.includes(addr))!;
    assert.match(byTo("zoe.candidate@exemple.test").text, /Nous vous proposons la session de septembre/);
    assert.doesNotMatch(byTo("zoe.candidate@exemple.test").text, /places étaient attribuées/, "the justification is not the candidate's message");
    assert.match(byTo(prescriberEmail).text, /Session complète ; proposition faite/);
    assert.match(byTo(prescriberEmail).text, /douze places/);
    assert.match(byTo(b.adminEmail).subject, /^Suite de parcours — Candidature non retenue/);
    assert.match(byTo(b.adminEmail).text, /douze places/);
    assert.equal(new Set(smtp.received.map((m) => m.messageId)).size, 3);
  });
});
