// Read models the recruitment domain publishes (ADR 0011): other domains join these, never its tables.
import { readModel } from "../../core/db/read-model.ts";

/** Candidacies (the internships domain finds the prescriber to alert of a drop-out risk). */
/** CP-EFORM-REGIONAL-RECRUIT: each candidacy's session, status and the candidate's département of residence. */
export const candidacyDepartementRows = () =>
  readModel
    .selectFrom("candidacy")
    .innerJoin("candidate", "candidate.id", "candidacy.candidate_id")
    .select(["candidacy.session_id", "candidacy.status", "candidacy.path_id", "candidate.residence_departement_code"]);
export const candidacyRows = () => readModel.selectFrom("candidacy").select(["id", "path_id", "provider_id", "prescriber_user_id", "prescriber_organisation_id", "candidate_id", "status", "session_id"]);
/** A candidacy's decision and when it last moved (the prescriber's home lists the decisions received). */
export const candidacyDecisionRows = () => readModel.selectFrom("candidacy").select(["id", "path_id", "provider_id", "prescriber_organisation_id", "candidate_id", "session_id", "status", "updated_at"]);
/** Candidates' names only. */
export const candidateNameRows = () => readModel.selectFrom("candidate").select(["id", "first_name", "last_name"]);
