// The sessions' read model other domains join (recruitment reads the session a candidacy is for).
import { readModel } from "../../core/db/read-model.ts";

export const sessionRows = () => readModel.selectFrom("session").selectAll();
