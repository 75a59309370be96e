// CP-INTERNSHIP-AGREEMENT on the attendance side: no company hour is signed before the agreement of
// the period covering it has its three signatures (judged by the internships domain).
import type { Transaction } from "kysely";
import type { DB } from "../../core/db/schema.ts";
import { DomainError } from "../../core/errors.ts";
import { errorsOf } from "../../core/rules.ts";
import { companyHoursGuard } from "../internships/use-cases.ts";
import { pathRows, traineeRows } from "../paths/views.ts";

/** Throws when a presence on a company slot would be recorded without a fully signed agreement. */
export async function requireCompanyAgreement(tx: Transaction<DB>, slot: { modality: string; slot_date: string; start_time: string; end_time: string }, pathId: string, status: string): Promise<void> {
  if (slot.modality !== "company" || status === "absent" || status === "excused") return;
  const t = await tx.selectFrom(pathRows().as("p")).innerJoin(traineeRows().as("t"), "t.id", "p.trainee_id").select(["t.first_name", "t.last_name"]).where("p.id", "=", pathId).executeTakeFirst();
  const v = errorsOf(await companyHoursGuard(tx, [{ id: pathId, name: t ? `${t.first_name} ${t.last_name}` : "" }], { date: slot.slot_date, startTime: slot.start_time.slice(0, 5), endTime: slot.end_time.slice(0, 5) }, "sign"));
  if (v.length) throw DomainError.fromViolations(v.map((x) => ({ ...x, field: undefined })));
}
