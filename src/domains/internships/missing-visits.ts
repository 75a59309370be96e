// CP-INTERNSHIP-VISIT for the Region's compliance board: periods ended without a visit (nor a waiver).
import type { Actor } from "../../core/auth/actor.ts";
import { isProviderStaff } from "../../core/auth/actor.ts";
import type { Db } from "../../core/db/index.ts";
import type { Violation } from "../../core/rules.ts";
import { visitMissing } from "./rules.ts";
import * as store from "./store.ts";

export interface MissingVisit {
  periodId: string;
  pathId: string;
  providerId: string;
  traineeName: string;
  company: string;
  endDate: string;
  violation: Violation;
}

/** Periods still open (preparing or in progress) whose end date is before `today`, with no recorded visit and no waiver. */
export async function missingVisits(db: Db, actor: Actor, today: string, filter: { providerId?: string } = {}): Promise<MissingVisit[]> {
  let q = db
    .selectFrom("company_period as p")
    .innerJoin("company as c", "c.id", "p.company_id")
    .select((eb) => [
      "p.id",
      "p.path_id",
      "p.provider_id",
      "p.status",
      "p.end_date",
      "p.visit_waiver_reason",
      "c.name as company",
      eb.selectFrom("company_visit as v").select((e) => e.fn.countAll<string>().as("n")).whereRef("v.period_id", "=", "p.id").where("v.visited_on", "is not", null).as("visits"),
    ])
    .where("p.status", "in", ["preparing", "in_progress"])
    .where("p.end_date", "<", today)
    .orderBy("p.end_date");
  if (actor.role !== "region_officer") {
    if (!isProviderStaff(actor) || !actor.providerId) return [];
    q = q.where("p.provider_id", "=", actor.providerId);
  } else if (filter.providerId) q = q.where("p.provider_id", "=", filter.providerId);
  const out: MissingVisit[] = [];
  for (const r of await q.execute()) {
    const v = visitMissing({ status: r.status, endDate: r.end_date }, Number(r.visits ?? 0), r.visit_waiver_reason != null, today);
    if (!v) continue;
    const facts = await store.pathFacts(db, r.path_id);
    out.push({ periodId: r.id, pathId: r.path_id, providerId: r.provider_id, traineeName: facts?.name ?? "", company: r.company, endDate: r.end_date, violation: v });
  }
  return out;
}
