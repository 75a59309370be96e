// Helpers shared by the schedule's tests (test-only: nothing in src imports this).
import type { Db } from "../../core/db/index.ts";
import type { OrderFixture } from "../../../test/support/fixtures.ts";
import type { PlanInput } from "../paths/schema.ts";
import { actorOf, company, mod, plan, position, register } from "../paths/testing.ts";
import { savePlan, validatePath } from "../paths/use-cases.ts";
import { signedPeriod } from "../internships/testing.ts";

/**
 * A validated path (2 March → 30 June 2026) with 100 h of centre modules and 10 h of self-study,
 * plus `company` minutes in company; `items` replaces the whole plan.
 */
export async function validatedPath(
  db: Db,
  fx: OrderFixture,
  over: { firstName?: string; lastName?: string; entryDate?: string; plannedExitDate?: string; orderLineId?: string; siteId?: string; company?: number; items?: PlanInput["items"]; agreement?: boolean } = {},
) {
  const admin = await actorOf(db, fx.adminEmail);
  const { company: companyMinutes, items, ...registration } = over;
  const p = await register(db, admin, fx, registration);
  await position(db, admin, p.pathId);
  const m = fx.moduleIds;
  await savePlan(
    db,
    admin,
    p.pathId,
    plan(
      items ?? [
        mod(m["Anglais général"], "centre", 4560),
        mod(m["Techniques de recherche d'emploi"], "centre", 840),
        mod(m["Usages numériques"], "centre", 600),
        mod(m["Autoformation guidée"], "self_study", 600),
        ...(companyMinutes ? [company(companyMinutes)] : []),
      ],
      { entryDate: over.entryDate ?? "2026-03-02", plannedExitDate: over.plannedExitDate ?? "2026-06-30" },
    ),
  );
  await validatePath(db, admin, p.pathId);
  // Company hours need a period with a signed agreement (CP-INTERNSHIP-AGREEMENT): one over the whole
  // path, providing for hours outside the centre's opening (CP-COMPANY-OUTSIDE-OPENING) so weekends stay testable.
  if (companyMinutes && over.agreement !== false) await signedPeriod(db, fx, p.pathId, { plannedMinutes: companyMinutes, startDate: over.entryDate ?? "2026-03-02", endDate: over.plannedExitDate ?? "2026-06-30", outsideOpening: true, centreContact: "Accueil du centre, 05 61 00 00 00" });
  return p;
}

/** A centre slot body for the API. */
export const centreSlot = (fx: OrderFixture, pathIds: string[], date: string, startTime = "09:00", endTime = "12:30", over: Record<string, unknown> = {}) => ({
  orderLineId: fx.orderLineId,
  pathIds,
  moduleId: fx.moduleIds["Anglais général"],
  siteId: fx.siteId,
  date,
  startTime,
  endTime,
  modality: "centre",
  ...over,
});
