// The exit domain's daily work, run by src/app/jobs.ts once per Paris day: follow-up reminders
// (CP-EXIT-FOLLOWUP), satisfaction links (CP-SATISFACTION), the Region's surveys (CP-REGION-SURVEYS).
import type { Db } from "../../core/db/index.ts";
import type { Clock } from "../../core/time.ts";
import { sendRegionSurveys, sendSatisfactionLinks } from "./surveys.ts";
import { runFollowUpReminders } from "./use-cases.ts";

export async function runExitDailyJobs(db: Db, clock: Clock, baseUrl: string) {
  return {
    reminders: await runFollowUpReminders(db, clock, baseUrl),
    satisfaction: await sendSatisfactionLinks(db, clock, baseUrl),
    surveys: await sendRegionSurveys(db, clock, baseUrl),
  };
}
