// Background jobs of the server process: the outbox worker, the certificate batches left by a stopped
// process (taken up at startup and on every tick) and, when SMTP_URL is set, the mail sender.
import { resumeCertificateBatches, stopCertificateBatches } from "../domains/documents/use-cases.ts";
import type { Config } from "../core/config.ts";
import type { Db } from "../core/db/index.ts";
import { createMailTransport, runSenderOnce } from "../core/notifications/sender.ts";
import type { Clock } from "../core/time.ts";
import { consoleLog, type JobLog } from "../core/jobs/backoff.ts";
import { runOutboxOnce } from "../core/jobs/outbox-worker.ts";
import { parisDate } from "../core/time.ts";
import { runExitDailyJobs } from "../domains/exit/jobs.ts";
import { requestPeriodicEvidenceReport, runEvidenceReportOnce } from "../domains/attendance/use-cases.ts";
import { analyzeIfDue } from "../core/db/analyze.ts";
import { runPurge } from "./privacy/compose.ts";
import { performance } from "node:perf_hooks";
import { judgeStaleOrders } from "../domains/paths/use-cases.ts";

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

  // A tick that fails (the database away) is retried at the next one; the same failure is logged
  // once, not every few seconds for the length of an outage.
  const lastFailure = new Map<string, string>();
  async function guarded(name: string, run: () => Promise<unknown>) {
    try {
      await run();
      lastFailure.delete(name);
    } catch (error) {
      const message = `${name} : ${error instanceof Error ? error.message : String(error)}`;
      if (lastFailure.get(name) !== message) log(message);
      lastFailure.set(name, message);
    }
  }

  // Once per Paris day: follow-up reminders, satisfaction links, the Region's surveys (exit domain).
  let dailyDone = "";

  // The evidence verification (minutes on a large region) runs beside the ticks too, one at a time.
  let evidence: Promise<void> | undefined;
  const verifyEvidenceInBackground = () => {
    if (evidence || stopped) return;
    evidence = requestPeriodicEvidenceReport(db, clock)
      .then(() => runEvidenceReportOnce(db, clock))
      .then(() => undefined)
      .catch((error) => log(`vérification des preuves : ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => (evidence = undefined));
  };

  // The purge of expired and past-retention personal data (docs/privacy.md), every purgeEveryMinutes.
  let nextPurge = 0;
  async function tick() {
    resumeBatches();
    verifyEvidenceInBackground();
    await guarded("analyze", () => analyzeIfDue(db, clock));
    const today = parisDate(clock.now());
    if (dailyDone !== today) {
      await guarded("exit", async () => {
        await runExitDailyJobs(db, clock, config.publicUrl);
        dailyDone = today;
      });
    }
    await guarded("outbox", () => runOutboxOnce(db, clock, { log }));
    // Orders whose inputs changed are judged again, for at most a second of each tick (docs/adr/0042): the compliance
    // board then reads them as stored. Real elapsed time, not the injected clock (a fixed clock would never end the loop).
    await guarded("constats", async () => {
      const until = performance.now() + 1000;
      while (performance.now() < until && (await judgeStaleOrders(db, 5)) > 0);
    });
    if (clock.now().getTime() >= nextPurge) {
      nextPurge = clock.now().getTime() + config.purgeEveryMinutes * 60_000;
      await guarded("purge", () => runPurge(db, clock, config));
    }
    if (!transport) return; // no SMTP: notifications stay readable at /boite-mail
    await guarded("mail", () => runSenderOnce(db, clock, transport, { from: config.mailFrom, maxAttempts: config.mailMaxAttempts, log }));
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
      await evidence;
      transport?.close();
    },
  };
}
