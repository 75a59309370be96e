import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createTestContext, type TestContext } from "../../test/support/app.ts";
import { startTestSmtpServer, type TestSmtpServer } from "../../test/support/smtp.ts";
import { loadConfig } from "../core/config.ts";
import { notify } from "../core/notifications/index.ts";
import { emit } from "../core/outbox.ts";
import { systemClock } from "../core/time.ts";
import { registerOutboxHandler, unregisterOutboxHandler } from "../core/jobs/outbox-worker.ts";
import { startBackgroundJobs } from "./jobs.ts";

const until = async (condition: () => Promise<boolean>, ms = 10_000) => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await condition()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("condition not met in time");
};

describe("background jobs (started by src/main.ts)", () => {
  let t: TestContext;
  let smtp: TestSmtpServer;
  before(async () => {
    t = await createTestContext();
    smtp = await startTestSmtpServer();
  });
  after(async () => {
    await smtp.stop();
    await t.close();
  });

  test("with SMTP_URL the ticks process the outbox and send pending notifications; stop() ends them", async () => {
    let handled = 0;
    registerOutboxHandler("test.tick", async () => {
      handled++;
    });
    const jobs = startBackgroundJobs({ db: t.db, clock: systemClock, config: loadConfig({ SMTP_URL: smtp.url, WORKER_POLL_MS: "50" }), log: () => {} });
    try {
      await t.db.transaction().execute(async (tx) => {
        await emit(tx, "test.tick", {});
        await notify(tx, { to: "tick@example.fr", subject: "Par le worker", body: "Envoyé par la boucle de fond." });
      });
      await until(async () => handled === 1 && smtp.received.length === 1);
    } finally {
      await jobs.stop();
      unregisterOutboxHandler("test.tick");
    }
    assert.equal(smtp.received[0].subject, "Par le worker");
    // Stopped: a new notification stays pending.
    await t.db.transaction().execute((tx) => notify(tx, { to: "apres@example.fr", subject: "Après l'arrêt", body: "." }));
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(smtp.received.length, 1);
  });

  test("without SMTP_URL notifications stay pending (readable at /boite-mail)", async () => {
    const jobs = startBackgroundJobs({ db: t.db, clock: systemClock, config: loadConfig({ WORKER_POLL_MS: "20" }), log: () => {} });
    await new Promise((r) => setTimeout(r, 200));
    await jobs.stop();
    const pending = await t.db.selectFrom("notification").select("subject").where("status", "=", "pending").execute();
    assert.deepEqual(pending.map((p) => p.subject), ["Après l'arrêt"]);
  });
});
