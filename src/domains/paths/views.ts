// The paths' read models other domains join (trainees, their paths, planned items, positioning),
// never the tables themselves.
import { readModel } from "../../core/db/read-model.ts";

export const traineeRows = () => readModel.selectFrom("trainee").selectAll();
export const pathRows = () => readModel.selectFrom("path").selectAll();
export const pathItemRows = () => readModel.selectFrom("path_item").selectAll();
export const positioningRows = () => readModel.selectFrom("positioning").selectAll();
/** Deposits (the home lists those still to refund after an exit). */
export const depositRows = () => readModel.selectFrom("deposit").selectAll();
