// The attendance evidence report printed by `npm run verify-evidence` and after `npm run restore`:
// a verification run is requested, run here (or, when a server on the same PostgreSQL already runs
// one, awaited) and stored like the background job's — /preuves shows the same report.
import type { Db } from "../src/core/db/index.ts";
import { systemClock } from "../src/core/time.ts";
import { evidenceReport, requestEvidenceReport, runEvidenceReportOnce } from "../src/domains/attendance/use-cases.ts";

/** Re-computes every evidence chain and checks each attendance row, countersignature and scan against its proof; true when intact. */
export async function printEvidenceReport(db: Db, o: { complete?: boolean } = {}): Promise<boolean> {
  const id = await requestEvidenceReport(db, systemClock, null, o);
  let stored = await evidenceReport(db, id);
  while (stored && (stored.status === "pending" || stored.status === "running")) {
    if (!(await runEvidenceReportOnce(db, systemClock))) await new Promise((r) => setTimeout(r, 1000));
    stored = await evidenceReport(db, id);
  }
  if (!stored || stored.status === "failed" || !stored.report) {
    console.log(`La vérification des preuves a échoué : ${stored?.error ?? "rapport introuvable"}`);
    return false;
  }
  const report = stored.report;
  const broken = report.broken;
  console.log(`Vérification des preuves d'émargement — ${stored.finishedAt?.toISOString()} (UTC), rapport ${stored.id}`);
  console.log(
    `Vérification ${stored.complete ? "complète" : "courante"} : ${report.entries} entrées, ${report.slots} feuilles` +
      (stored.complete ? "." : `, dont ${stored.rechecked ?? 0} recalculée(s) en entier (les autres sont inchangées depuis leur scellement).`),
  );
  if (broken.length === 0) {
    console.log("Toutes les chaînes sont intactes.");
    return true;
  }
  console.log(`${broken.length} anomalie(s) :`);
  for (const b of broken) console.log(`- créneau ${b.slotId}${b.seq ? `, maillon ${b.seq} (id ${b.id})` : ""} : ${b.problem}`);
  return false;
}
