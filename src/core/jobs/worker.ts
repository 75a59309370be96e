// Background jobs of the server process: the outbox worker and, when SMTP_URL is set, the mail sender.
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

  async function tick() {
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
  schedule();

  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
      transport?.close();
    },
  };
}
