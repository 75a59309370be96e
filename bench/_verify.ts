import { performance } from "node:perf_hooks";
import { openDatabase } from "../src/core/db/index.ts";
import { verifyEvidence, verifyFactsAgainstEvidence } from "../src/domains/attendance/verify.ts";
import { analyze, orderWithAttendance } from "./growth-data.ts";
const d = await openDatabase({ databaseUrl: process.env.DATABASE_URL!, poolSize: 2 });
const n = Number((await d.pool.query("select count(*) from attendance")).rows[0].count);
if (n === 0) { await orderWithAttendance(d.db); await analyze(d.db); }
for (let i = 0; i < 2; i++) {
  let t = performance.now(); const r = await verifyEvidence(d.db); console.log("chains", (performance.now() - t).toFixed(0), r.entries, r.broken.length);
  t = performance.now(); const b = await verifyFactsAgainstEvidence(d.db); console.log("facts", (performance.now() - t).toFixed(0), b.length);
}
await d.close(); process.exit(0);
