// Read models the internships domain publishes (ADR 0011): other domains join these, never its tables.
import { readModel } from "../../core/db/read-model.ts";

/** Drop-out alerts raised by providers (the prescriber's home lists the recent ones). */
export const dropoutAlertRows = () => readModel.selectFrom("dropout_alert").select(["id", "provider_id", "trainee_id", "reason", "raised_at"]);
