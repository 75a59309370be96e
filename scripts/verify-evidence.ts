// npm run verify-evidence: re-computes every attendance evidence chain (DATABASE_URL, or the
// embedded database under DATA_DIR — stop the server first: the embedded data dir is locked) and
// checks each attendance row, countersignature and paper scan against its last proof, field by
// field. Exit code 1 when anything is broken.
import { loadConfig } from "../src/core/config.ts";
import { openDatabase } from "../src/core/db/index.ts";
import { printEvidenceReport } from "./evidence-report.ts";
import { migrateToLatest } from "../src/core/db/migrate.ts";

const config = loadConfig();
const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 2 });
try {
  await migrateToLatest(database.db); // the stored reports' table, on a database from before it
  if (!(await printEvidenceReport(database.db))) process.exitCode = 1;
} finally {
  await database.close();
}
