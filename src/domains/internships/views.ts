// Read models the internships domain publishes (ADR 0011): other domains join these, never its tables.
import { readModel } from "../../core/db/read-model.ts";

/** Drop-out alerts (CP-REFERENT-FOLLOWUP): the recruitment domain shows them on the prescriber's candidacy page, the prescriber's home lists the recent ones. */
export const dropoutAlertRows = () => readModel.selectFrom("dropout_alert").select(["id", "provider_id", "trainee_id", "reason", "details", "raised_at"]);

/** Company periods with their host company (the exit domain lists them on the skills certificate). */
export const companyPeriodRows = () =>
  readModel
    .selectFrom("company_period as cp")
    .innerJoin("company as co", "co.id", "cp.company_id")
    .leftJoin("internship_review as tr", (j) => j.onRef("tr.period_id", "=", "cp.id").on("tr.party", "=", "tutor"))
    .select(["cp.id", "cp.path_id", "cp.status", "cp.start_date", "cp.end_date", "cp.planned_minutes", "co.name as company_name", "tr.appreciation as tutor_appreciation", "tr.skills as tutor_skills"]);
