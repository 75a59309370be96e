import { after, before, beforeEach, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createTestContext, type TestContext } from "../../../test/support/app.ts";
import { usingPostgres } from "../../../test/support/db.ts";
import { startTestSmtpServer, type TestSmtpServer } from "../../../test/support/smtp.ts";
import { notificationsFor, notify } from "./index.ts";
import { createMailTransport, messageIdFor, runSenderOnce } from "./sender.ts";

const FROM = "Compétences Plus <ne-pas-repondre@competences-plus.test>";
const quiet = { from: FROM, log: () => {} };

describe("notifications: written in the caller's transaction, sent once over real SMTP", () => {
  let t: TestContext;
  let smtp: TestSmtpServer;
  before(async () => {
    t = await createTestContext("2026-03-02T09:00:00Z");
    smtp = await startTestSmtpServer();
  });
  after(async () => {
    await smtp.stop();
    await t.close();
  });
  beforeEach(async () => {
    // Each test starts with an empty queue and mailbox.
    await t.db.deleteFrom("notification").execute();
    smtp.received.length = 0;
    t.clock.set("2026-03-02T09:00:00Z");
  });

  test("a notification written in a transaction that rolls back is never sent", async () => {
    await assert.rejects(
      t.db.transaction().execute(async (tx) => {
        await notify(tx, { to: "candidat@example.fr", subject: "Décision", body: "Vous êtes retenu." });
        throw new Error("the command fails after notify()");
      }),
    );
    const result = await runSenderOnce(t.db, t.clock, createMailTransport(smtp.url), quiet);
    assert.deepEqual(result, { sent: 0, retried: 0, failed: 0 });
    assert.equal(smtp.received.length, 0);
    assert.equal((await t.db.selectFrom("notification").select("id").execute()).length, 0);
  });

  test("committed → sent once to the SMTP server, with a Message-ID derived from the notification id", async () => {
    const entityId = "7f1f0b9e-3a52-4a8e-9a43-0e0f6b0c1a01";
    const id = await t.db.transaction().execute((tx) =>
      notify(tx, {
        to: "prescripteur@example.fr",
        subject: "Candidature de Zoé Étienne : retenue",
        body: "Bonjour,\nla candidature est retenue pour la session du 16/03/2026.\nCordialement",
        entity: "candidacy",
        entityId,
      }),
    );
    const result = await runSenderOnce(t.db, t.clock, createMailTransport(smtp.url), quiet);
    assert.deepEqual(result, { sent: 1, retried: 0, failed: 0 });
    assert.equal(smtp.received.length, 1);
    const mail = smtp.received[0];
    assert.deepEqual(mail.to, ["prescripteur@example.fr"]);
    assert.equal(mail.from, "ne-pas-repondre@competences-plus.test");
    assert.equal(mail.subject, "Candidature de Zoé Étienne : retenue");
    assert.match(mail.text, /la candidature est retenue pour la session du 16\/03\/2026/);
    assert.equal(mail.messageId, messageIdFor(id, FROM));
    assert.ok(mail.messageId.includes(id));

    const [row] = await notificationsFor(t.db, "candidacy", entityId);
    assert.equal(row.id, id);
    assert.equal(row.status, "sent");
    assert.equal(row.sentAt?.toISOString(), "2026-03-02T09:00:00.000Z");
  });

  test("the sender run twice sends once", async () => {
    await t.db.transaction().execute((tx) => notify(tx, { to: "a@example.fr", subject: "Une fois", body: "Un seul envoi." }));
    const transport = createMailTransport(smtp.url);
    assert.equal((await runSenderOnce(t.db, t.clock, transport, quiet)).sent, 1);
    assert.equal((await runSenderOnce(t.db, t.clock, transport, quiet)).sent, 0);
    t.clock.set("2026-03-09T09:00:00Z");
    assert.equal((await runSenderOnce(t.db, t.clock, transport, quiet)).sent, 0);
    assert.equal(smtp.received.length, 1);
  });

  test("SMTP down → retried after the backoff, sent once when the server is back", async () => {
    await smtp.stop();
    try {
      await t.db.transaction().execute((tx) => notify(tx, { to: "b@example.fr", subject: "Réessai", body: "Envoyé plus tard." }));
      const first = await runSenderOnce(t.db, t.clock, createMailTransport(smtp.url), { ...quiet, baseDelayMs: 60_000 });
      assert.deepEqual(first, { sent: 0, retried: 1, failed: 0 });
      const row = await t.db.selectFrom("notification").selectAll().executeTakeFirstOrThrow();
      assert.equal(row.status, "pending");
      assert.equal(row.attempts, 1);
      assert.ok(row.last_error);
      assert.equal(row.next_attempt_at.toISOString(), "2026-03-02T09:01:00.000Z");
    } finally {
      await smtp.start();
    }
    // Back up, but the backoff is not over: one second before it, nothing is tried.
    t.clock.set("2026-03-02T09:00:59Z");
    assert.deepEqual(await runSenderOnce(t.db, t.clock, createMailTransport(smtp.url), quiet), { sent: 0, retried: 0, failed: 0 });
    t.clock.set("2026-03-02T09:01:00Z");
    assert.equal((await runSenderOnce(t.db, t.clock, createMailTransport(smtp.url), quiet)).sent, 1);
    assert.equal((await runSenderOnce(t.db, t.clock, createMailTransport(smtp.url), quiet)).sent, 0);
    assert.equal(smtp.received.length, 1);
    const row = await t.db.selectFrom("notification").selectAll().executeTakeFirstOrThrow();
    assert.equal(row.status, "sent");
    assert.equal(row.attempts, 2);
    assert.equal(row.last_error, null);
  });

  test("after MAIL_MAX_ATTEMPTS refusals the notification is marked failed and no longer tried", async () => {
    await smtp.stop();
    try {
      await t.db.transaction().execute((tx) => notify(tx, { to: "c@example.fr", subject: "Échec", body: "Jamais envoyé." }));
      const options = { ...quiet, maxAttempts: 2, baseDelayMs: 1000 };
      assert.deepEqual(await runSenderOnce(t.db, t.clock, createMailTransport(smtp.url), options), { sent: 0, retried: 1, failed: 0 });
      t.clock.set("2026-03-02T09:00:01Z");
      assert.deepEqual(await runSenderOnce(t.db, t.clock, createMailTransport(smtp.url), options), { sent: 0, retried: 0, failed: 1 });
    } finally {
      await smtp.start();
    }
    t.clock.set("2026-03-03T09:00:00Z");
    assert.equal((await runSenderOnce(t.db, t.clock, createMailTransport(smtp.url), quiet)).sent, 0);
    const row = await t.db.selectFrom("notification").selectAll().executeTakeFirstOrThrow();
    assert.equal(row.status, "failed");
    assert.equal(row.attempts, 2);
    assert.equal(smtp.received.length, 0);
  });

  test("process restart between commit and send: a fresh sender (new transport) sends the pending row once", async () => {
    const id = await t.db.transaction().execute((tx) => notify(tx, { to: "d@example.fr", subject: "Redémarrage", body: "Après redémarrage." }));
    // The old process had claimed the row and died before sending: its transaction never commits.
    await assert.rejects(
      t.db.transaction().execute(async (tx) => {
        await tx.selectFrom("notification").select("id").where("id", "=", id).forUpdate().skipLocked().executeTakeFirstOrThrow();
        throw new Error("process killed");
      }),
    );
    const fresh = createMailTransport(smtp.url);
    assert.equal((await runSenderOnce(t.db, t.clock, fresh, quiet)).sent, 1);
    assert.equal((await runSenderOnce(t.db, t.clock, createMailTransport(smtp.url), quiet)).sent, 0);
    assert.equal(smtp.received.length, 1);
    assert.equal(smtp.received[0].messageId, messageIdFor(id, FROM));
  });

  test(
    "two senders at once never send one notification twice",
    { skip: usingPostgres ? false : "PostgreSQL seulement : PGlite sert une connexion à la fois (pas de SKIP LOCKED concurrent)" },
    async () => {
      await t.db.transaction().execute(async (tx) => {
        for (let i = 0; i < 30; i++) await notify(tx, { to: `p${i}@example.fr`, subject: `Message ${i}`, body: "Concurrence." });
      });
      const [a, b] = await Promise.all([
        runSenderOnce(t.db, t.clock, createMailTransport(smtp.url), quiet),
        runSenderOnce(t.db, t.clock, createMailTransport(smtp.url), quiet),
      ]);
      assert.equal(a.sent + b.sent, 30);
      assert.equal(smtp.received.length, 30);
      assert.equal(new Set(smtp.received.map((m) => m.messageId)).size, 30);
    },
  );
});
