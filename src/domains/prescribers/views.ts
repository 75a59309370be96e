// The prescribers' list as a read model other domains join (a candidacy names its prescriber).
import { readModel } from "../../core/db/read-model.ts";

export const prescriberOrganisationRows = () => readModel.selectFrom("prescriber_organisation").selectAll();
