// npm run verify-evidence: re-computes the attendance evidence chains (DATABASE_URL, or the
// embedded database under DATA_DIR — stop the server first: the embedded data dir is locked) and
// checks each attendance row, countersignature and paper scan against its last proof, field by
// field: the sheets written, changed or deleted since their seal (a routine run, docs/adr/0047), or
// every sheet with `-- --complete`. Exit code 1 when anything is broken.
import { loadConfig } from "../src/core/config.ts";
import { openDatabase } from "../src/core/db/index.ts";
import { printEvidenceReport } from "./evidence-report.ts";
import { migrateToLatest } from "../src/core/db/migrate.ts";

const config = loadConfig();
const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 2 });
try {
  await migrateToLatest(database.db); // the stored reports' table, on a database from before it
  if (!(await printEvidenceReport(database.db, { complete: process.argv.includes("--complete") }))) process.exitCode = 1;
} finally {
  await database.close();
}
