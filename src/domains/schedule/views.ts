// The schedule's read models other domains join (slots and who is expected in them).
import { readModel } from "../../core/db/read-model.ts";

export const slotRows = () => readModel.selectFrom("slot").selectAll();
export const slotTraineeRows = () => readModel.selectFrom("slot_trainee").selectAll();
/** Trainees other funders pay for, recorded on a group (the paths' group count reads them: CP-GROUP-MAX-20). */
export const otherFundedTraineeRows = () => readModel.selectFrom("other_funded_trainee").selectAll();
