// The exit domain's own tables: queries shared by its use cases, pages and documents.
import { sql } from "kysely";
import type { FollowUpMilestone, VaeResult } from "../../core/db/schema.ts";
import { transitionLogRows } from "../../core/outbox.ts";
import { pathRealised, type PathRealised } from "../ledger/use-cases.ts";
import { pathHeads, type PathHead, type Q } from "./access.ts";
import { companyPeriodRows } from "../internships/views.ts";

export async function followUpDeadlineDays(db: Q): Promise<number> {
  const row = await db.selectFrom("exit_setting").select("followup_deadline_days").where("id", "=", 1).executeTakeFirst();
  return row?.followup_deadline_days ?? 30;
}

/**
 * Paths that left training: closed ones, and dropped ones that had entered (a registration dropped
 * as a draft never started). Their follow-ups count from the actual exit date.
 */
export function exitedPaths(db: Q) {
  return pathHeads(db)
    .leftJoin("path_exit as x", "x.path_id", "p.id")
    .select(["x.reason as exit_reason", "x.cause as exit_cause"])
    .where("p.actual_exit_date", "is not", null)
    .where((eb) =>
      eb.or([
        eb("p.status", "=", "closed"),
        eb("x.path_id", "is not", null),
        eb.exists(
          eb
            .selectFrom(transitionLogRows().as("tl"))
            .select("tl.entity_id")
            .whereRef("tl.entity_id", "=", "p.id")
            .where("tl.entity", "=", "path")
            .where("tl.from_status", "=", "validated")
            .where("tl.to_status", "=", "dropped"),
        ),
      ]),
    );
}

export async function recordedMilestones(db: Q, pathIds: string[]): Promise<Map<string, Set<FollowUpMilestone>>> {
  const map = new Map(pathIds.map((id) => [id, new Set<FollowUpMilestone>()]));
  if (!pathIds.length) return map;
  // One array parameter, not one per path: the compliance board asks for every exited path of the region
  // (141 812 in bench/region-generate.ts), past PostgreSQL's 65 535 parameters of a statement.
  const rows = await db.selectFrom("follow_up").select(["path_id", "milestone"]).where(sql<boolean>`path_id = any(${pathIds}::uuid[])`).execute();
  for (const r of rows) map.get(r.path_id)?.add(r.milestone);
  return map;
}

export interface PathSummary {
  head: PathHead;
  exit: { reason: string; cause: string | null; action_plan: string; email: string; recorded_at: Date; vae_engaged: boolean; vae_result: VaeResult | null; vae_decided_on: string | null } | undefined;
  realised: PathRealised;
  exams: { id: string; code: string; title: string; session_on: string; internal: boolean; second_session: boolean; result: string | null; passed_blocks: string[]; skill_blocks: string[]; trainee_fee_cents: number | null; second_session_help: string | null }[];
  mockExams: { id: string; title: string; taken_on: string; score: number; out_of: number; comment: string; corrected_copy_id: string | null }[];
  catchups: { id: string; minutes: number; start_on: string; end_on: string; content: string }[];
  softSkills: { soft_skill_id: string; title: string; step: string; observation: string; validated: boolean; recorded_at: Date }[];
  badges: { id: string; soft_skill_id: string; title: string; issued_at: Date; revoked_at: Date | null }[];
  followUps: { milestone: FollowUpMilestone; situation: string; contract_type: string | null; rome_code: string | null; in_target_sector: boolean | null; note: string; recorded_at: Date }[];
  /** CP-SKILLS-CERTIFICATE: company periods with the hours realised within them (empty when none). */
  companyPeriods: { id: string; company_name: string; start_date: string; end_date: string; planned_minutes: number; realised_minutes: number; tutor_appreciation: string | null; tutor_skills: string | null }[];
}

/** Everything the skills certificate, the synthesis and the pages say about one path (caller checked access). */
export async function pathSummary(db: Q, head: PathHead): Promise<PathSummary> {
  const id = head.id;
  const [exit, realised, exams, mockExams, catchups, softSkills, badges, followUps] = await Promise.all([
    db.selectFrom("path_exit").select(["reason", "cause", "action_plan", "email", "recorded_at", "vae_engaged", "vae_result", "vae_decided_on"]).where("path_id", "=", id).executeTakeFirst(),
    pathRealised(db, id),
    db
      .selectFrom("exam_registration as r")
      .innerJoin("certification as c", "c.id", "r.certification_id")
      .select(["r.id", "c.code", "c.title", "r.session_on", "r.internal", "r.second_session", "r.result", "r.passed_blocks", "c.skill_blocks", "r.trainee_fee_cents", "r.second_session_help"])
      .where("r.path_id", "=", id)
      .orderBy("r.session_on")
      .orderBy("r.created_at")
      .execute(),
    db.selectFrom("mock_exam").select(["id", "title", "taken_on", "score", "out_of", "comment", "corrected_copy_id"]).where("path_id", "=", id).orderBy("taken_on").execute(),
    db.selectFrom("catchup").select(["id", "minutes", "start_on", "end_on", "content"]).where("path_id", "=", id).orderBy("start_on").execute(),
    db
      .selectFrom("soft_skill_step as s")
      .innerJoin("soft_skill as k", "k.id", "s.soft_skill_id")
      .select(["s.soft_skill_id", "k.title", "s.step", "s.observation", "s.validated", "s.recorded_at"])
      .where("s.path_id", "=", id)
      .orderBy("k.position")
      .orderBy("s.recorded_at")
      .execute(),
    db
      .selectFrom("badge as b")
      .innerJoin("soft_skill as k", "k.id", "b.soft_skill_id")
      .select(["b.id", "b.soft_skill_id", "k.title", "b.issued_at", "b.revoked_at"])
      .where("b.path_id", "=", id)
      .orderBy("b.issued_at")
      .execute(),
    db.selectFrom("follow_up").select(["milestone", "situation", "contract_type", "rome_code", "in_target_sector", "note", "recorded_at"]).where("path_id", "=", id).execute(),
  ]);
  return { head, exit, realised, exams, mockExams, catchups, softSkills, badges, followUps, companyPeriods: await companyPeriodsOf(db, id) };
}

/** CP-SKILLS-CERTIFICATE: the path's company periods (not cancelled), with the company hours the ledger proves within each. */
export async function companyPeriodsOf(db: Q, pathId: string) {
  const rows = await db.selectFrom(companyPeriodRows().as("cp")).selectAll().where("cp.path_id", "=", pathId).where("cp.status", "!=", "cancelled").orderBy("cp.start_date").execute();
  const out = [];
  for (const p of rows) out.push({ ...p, realised_minutes: (await pathRealised(db, pathId, { from: p.start_date, to: p.end_date })).totals.company });
  return out;
}

/** Catch-up minutes already planned on a path (CP-CATCHUP: they count in its 200 h). */
export async function catchupMinutes(db: Q, pathId: string): Promise<number> {
  const r = await db.selectFrom("catchup").select(sql<number>`coalesce(sum(minutes), 0)::int`.as("m")).where("path_id", "=", pathId).executeTakeFirstOrThrow();
  return Number(r.m);
}
