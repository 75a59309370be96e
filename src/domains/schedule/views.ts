// The schedule's read models other domains join (slots and who is expected in them).
import { readModel } from "../../core/db/read-model.ts";

export const slotRows = () => readModel.selectFrom("slot").selectAll();
export const slotTraineeRows = () => readModel.selectFrom("slot_trainee").selectAll();
