// npm run verify-evidence: re-computes every attendance evidence chain (DATABASE_URL, or the
// embedded database under DATA_DIR — stop the server first: the embedded data dir is locked) and
// checks each attendance row against its last proof. Exit code 1 when anything is broken.
import { loadConfig } from "../src/core/config.ts";
import { openDatabase } from "../src/core/db/index.ts";
import { verifyAttendanceAgainstEvidence, verifyEvidence } from "../src/domains/attendance/use-cases.ts";

const config = loadConfig();
const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 2 });
try {
  const report = await verifyEvidence(database.db);
  const rows = await verifyAttendanceAgainstEvidence(database.db);
  const broken = [...report.broken, ...rows];
  const at = new Date();
  console.log(`Vérification des preuves d'émargement — ${at.toISOString()} (UTC)`);
  console.log(`${report.entries} entrées, ${report.slots} feuilles.`);
  if (broken.length === 0) {
    console.log("Toutes les chaînes sont intactes.");
  } else {
    console.log(`${broken.length} anomalie(s) :`);
    for (const b of broken) console.log(`- créneau ${b.slotId}${b.seq ? `, maillon ${b.seq} (id ${b.id})` : ""} : ${b.problem}`);
    process.exitCode = 1;
  }
} finally {
  await database.close();
}
