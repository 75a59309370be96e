// The exit capability's read models: what other domains (the Region's dashboard) may read of exits,
// follow-ups, exam registrations and satisfaction answers, as Kysely subqueries they join, never the
// tables themselves. Satisfaction answers carry no path (anonymous): only their provider and component.
import { readModel } from "../../core/db/read-model.ts";

/**
 * One row per exited path: its reason (completed, employment, other_training, dropout, exclusion), and its VAE
 * (CP-KPI-VAE: engaged, result full / partial / none or null until the jury decided, the decision's date).
 */
export const pathExitRows = () => readModel.selectFrom("path_exit").select(["path_id", "reason", "recorded_at", "vae_engaged", "vae_result", "vae_decided_on"]);
/** The situation recorded at exit, 3 and 6 months (milestone exit / m3 / m6), with the targeted sector. */
export const followUpRows = () => readModel.selectFrom("follow_up").select(["path_id", "milestone", "situation", "in_target_sector"]);
/** Every exam registration with its result (null until recorded; passed / partial / failed / absent). */
export const examRegistrationRows = () => readModel.selectFrom("exam_registration").select(["id", "path_id", "certification_id", "second_session", "result"]);
/** The satisfaction survey's answers: Likert 1–5 per question id in `answers`, by provider and component. */
export const satisfactionAnswerRows = () => readModel.selectFrom("satisfaction_answer").select(["id", "provider_id", "component_id", "answers", "answered_on"]);
