// Read models the recruitment domain publishes (ADR 0011): other domains join these, never its tables.
import { readModel } from "../../core/db/read-model.ts";

/** Candidacies (the internships domain finds the prescriber to alert of a drop-out risk). */
export const candidacyRows = () => readModel.selectFrom("candidacy").select(["id", "path_id", "provider_id", "prescriber_user_id", "prescriber_organisation_id", "candidate_id", "status", "session_id"]);
