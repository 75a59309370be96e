// Background jobs of the server process: the outbox worker, the certificate batches left by a stopped
// process (taken up at startup and on every tick) and, when SMTP_URL is set, the mail sender.
import { resumeCertificateBatches, stopCertificateBatches } from "../../domains/documents/use-cases.ts";
import type { Config } from "../config.ts";
import type { Db } from "../db/index.ts";
import { createMailTransport, runSenderOnce } from "../notifications/sender.ts";
import type { Clock } from "../time.ts";
import { consoleLog, type JobLog } from "./backoff.ts";
import { runOutboxOnce } from "./outbox-worker.ts";

export interface BackgroundJobs {
  /** Waits for the running tick to finish, then stops (called on shutdown before the database closes). */
  stop(): Promise<void>;
}

export function startBackgroundJobs(deps: { db: Db; clock: Clock; config: Config; log?: JobLog }): BackgroundJobs {
  const { db, clock, config } = deps;
  const log = deps.log ?? consoleLog;
  const transport = config.smtpUrl ? createMailTransport(config.smtpUrl) : undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let batches: Promise<void> | undefined;

  // Batches run beside the ticks (one can take minutes): at most one resumer at a time.
  const resumeBatches = () => {
    if (batches || stopped) return;
    batches = resumeCertificateBatches(db, clock, { log, shouldStop: () => stopped })
      .then(() => undefined)
      .catch((error) => log(`lots de documents : ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => (batches = undefined));
  };

  async function tick() {
    resumeBatches();
    try {
      await runOutboxOnce(db, clock, { log });
    } catch (error) {
      log(`outbox : ${error instanceof Error ? error.message : String(error)}`);
    }
    if (!transport) return; // no SMTP: notifications stay readable at /boite-mail
    try {
      await runSenderOnce(db, clock, transport, { from: config.mailFrom, maxAttempts: config.mailMaxAttempts, log });
    } catch (error) {
      log(`mail : ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  // A chain of timeouts, not an interval: a slow tick never overlaps the next one.
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = tick().finally(schedule);
    }, config.workerPollMs);
  };
  resumeBatches(); // at startup: batches whose runner died with the previous process
  schedule();

  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
      await stopCertificateBatches(); // each runner ends its current certificate and gives its batch back
      await batches;
      transport?.close();
    },
  };
}
