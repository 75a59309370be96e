// Attendance's read models other domains join (signed presences, the evidence chain, countersignatures).
import { readModel } from "../../core/db/read-model.ts";

export const attendanceRows = () => readModel.selectFrom("attendance").selectAll();
export const evidenceRows = () => readModel.selectFrom("evidence").selectAll();
export const countersignatureRows = () => readModel.selectFrom("countersignature").selectAll();
