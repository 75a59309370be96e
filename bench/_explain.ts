import { openDatabase } from "/work/wt/bench/src/core/db/index.ts";
import * as store from "/work/wt/bench/src/domains/kpi/store.ts";
import { performance } from "node:perf_hooks";
const d = await openDatabase({ databaseUrl: process.env.DATABASE_URL!, poolSize: 1 });
const f = JSON.parse(process.env.SCOPE ?? "{}");
for (const [n, fn] of Object.entries({ headcounts: () => store.headcounts(d.db, f, "2026-12-01"), entriesByMonth: () => store.entriesByMonth(d.db, f), planned: () => store.plannedByModality(d.db, f), realised: () => store.realisedByModality(d.db, f), ordered: () => store.orderedMinutes(d.db, f), lengths: () => store.pathLengths(d.db, f), exits: () => store.exitsByReason(d.db, f), exams: () => store.examOutcomes(d.db, f), employment: () => store.employmentOutcomes(d.db, f), satisfaction: () => store.satisfactionOutcomes(d.db, f) })) {
  await fn(); const t = performance.now(); await fn(); console.log(n, (performance.now() - t).toFixed(1));
}
await d.close(); process.exit(0);
