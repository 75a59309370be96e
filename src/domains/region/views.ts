// The Region's reference data as read models other domains join (providers, their referents,
// lots, départements), never the tables themselves.
import { readModel } from "../../core/db/read-model.ts";

export const providerRows = () => readModel.selectFrom("provider").selectAll();
export const providerReferentRows = () => readModel.selectFrom("provider_referent").selectAll();
export const lotRows = () => readModel.selectFrom("lot").selectAll();
export const departementRows = () => readModel.selectFrom("departement").selectAll();
