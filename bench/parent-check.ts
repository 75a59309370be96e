// `DATA_DIR=… npx tsx bench/parent-check.ts` (server stopped): what checkParentLink adds to a signature,
// on an embedded database holding the demo (or more): lastLink alone vs lastLink + the parent check.
import { performance } from "node:perf_hooks";
import { openDatabase } from "../src/core/db/index.ts";
import { checkParentLink, lastLink } from "../src/domains/attendance/evidence.ts";
const database = await openDatabase({ dataDir: process.env.DATA_DIR ?? "data" });
const slots = await database.db.selectFrom("evidence").select("slot_id").distinct().limit(50).execute();
const med = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const withCheck: number[] = [];
const without: number[] = [];
for (let round = 0; round < 6; round++) {
  for (const { slot_id } of slots) {
    await database.db.transaction().execute(async (tx) => {
      let t0 = performance.now();
      const last = await lastLink(tx, slot_id);
      without.push(performance.now() - t0);
      t0 = performance.now();
      await lastLink(tx, slot_id);
      await checkParentLink(tx, slot_id, last, new Date());
      withCheck.push(performance.now() - t0);
    });
  }
}
console.log(JSON.stringify({ slots: slots.length, lastLink_p50_ms: +med(without).toFixed(3), lastLink_plus_check_p50_ms: +med(withCheck).toFixed(3), alerts: (await database.db.selectFrom("evidence_alert").select("id").execute()).length }));
await database.close();
