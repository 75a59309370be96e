// The compliance board's lines from the exit and company-period capabilities (issue 13): visits missing
// (CP-INTERNSHIP-VISIT), follow-ups overdue (CP-EXIT-FOLLOWUP), habilitations expiring (CP-HABILITATION),
// each at its boundary day, naming its rule and article and linking to the object.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Actor } from "../../core/auth/actor.ts";
import { createTestContext, type TestContext } from "../../../test/support/app.ts";
import { createOrderFixture, type OrderFixture } from "../../../test/support/fixtures.ts";
import { addCertification, addHabilitation } from "../exit/exams.ts";
import { followUpLate, followUpSchedule } from "../exit/rules.ts";
import { visitMissing } from "../internships/rules.ts";
import { insertSignedPeriod } from "../internships/testing.ts";
import { actorOf, mod, plan, position, register } from "../paths/testing.ts";
import { exitPath, savePlan, validatePath } from "../paths/use-cases.ts";
import type { ComplianceLine } from "./compliance.ts";

describe("compliance board rules at their boundary", () => {
  test("CP-INTERNSHIP-VISIT: a period ending on 14 April without a visit does not warn on the 14th, warns on the 15th; a visit, a waiver or a closed period never warn", () => {
    const p = { status: "in_progress" as const, endDate: "2026-04-14" };
    assert.equal(visitMissing(p, 0, false, "2026-04-14"), undefined);
    const v = visitMissing(p, 0, false, "2026-04-15");
    assert.equal(v?.code, "CP-INTERNSHIP-VISIT");
    assert.equal(v?.severity, "warning");
    assert.equal(v?.article, "CCTP §3.1.5.3");
    assert.equal(visitMissing(p, 1, false, "2026-04-15"), undefined);
    assert.equal(visitMissing(p, 0, true, "2026-04-15"), undefined);
    assert.equal(visitMissing({ ...p, status: "closed" }, 0, false, "2026-04-15"), undefined);
    assert.equal(visitMissing({ ...p, status: "cancelled" }, 0, false, "2026-04-15"), undefined);
  });

  test("CP-EXIT-FOLLOWUP: the situation at exit due within 30 days is not late on its due date, late the day after; a recorded one never", () => {
    const [atExit] = followUpSchedule("2026-03-01", 30, "2026-03-31", new Set());
    assert.equal(atExit.dueBy, "2026-03-31");
    assert.equal(followUpLate(atExit, "2026-03-31"), undefined);
    const [late] = followUpSchedule("2026-03-01", 30, "2026-04-01", new Set());
    const v = followUpLate(late, "2026-04-01");
    assert.equal(v?.code, "CP-EXIT-FOLLOWUP");
    assert.equal(v?.article, "CCTP §6.1.4");
    const [done] = followUpSchedule("2026-03-01", 30, "2026-04-01", new Set(["exit"]));
    assert.equal(followUpLate(done, "2026-04-01"), undefined);
  });
});

describe("compliance board: visits, follow-ups and habilitations across providers", () => {
  let t: TestContext;
  let fx: OrderFixture;
  let admin: Actor;
  let region: string;
  let endedPeriod: string;
  let pathId: string;

  before(async () => {
    t = await createTestContext("2026-04-15T09:00:00Z");
    fx = await createOrderFixture(t.db);
    admin = await actorOf(t.db, fx.adminEmail);
    region = await t.login(fx.regionEmail);
    const entered = async (lastName: string) => {
      const { pathId } = await register(t.db, admin, fx, { lastName });
      await position(t.db, admin, pathId, 240);
      await savePlan(t.db, admin, pathId, plan([mod(fx.moduleIds["Anglais général"], "centre", 1760)]));
      await validatePath(t.db, admin, pathId);
      return pathId;
    };
    pathId = await entered("Suivi");
    // Exited on 10 March: the situation at exit was due by 9 April (30 days), late on 15 April.
    await exitPath(t.db, admin, pathId, { status: "closed", actualExitDate: "2026-03-10" });
    const other = await entered("Stage");
    endedPeriod = await insertSignedPeriod(t.db, fx.providerId, other, "2026-03-02", "2026-04-14"); // ended yesterday, no visit
    await insertSignedPeriod(t.db, fx.providerId, other, "2026-04-15", "2026-04-15"); // ends today: not yet
    const certificationId = await addCertification(t.db, admin, { componentId: fx.componentId, code: "RNCP37274", title: "Agent de propreté", skillBlocks: ["B1"] });
    await addHabilitation(t.db, admin, t.clock, certificationId, { certifier: "Ministère du Travail", reference: "H-1", validFrom: "2026-01-01", validUntil: "2026-06-14" }); // 60 days ahead
  });
  after(() => t.close());

  const board = async (rule: string) => (await t.api("GET", `/api/compliance?rule=${rule}&providerId=${fx.providerId}`, region)).body as ComplianceLine[];

  test("CP-INTERNSHIP-VISIT: the period ended yesterday without a visit is listed, linked to its page; the one ending today is not", async () => {
    const lines = await board("CP-INTERNSHIP-VISIT");
    assert.equal(lines.length, 1);
    assert.equal(lines[0].href, `/periodes/${endedPeriod}`);
    assert.equal(lines[0].article, "CCTP §3.1.5.3");
    assert.equal(lines[0].since, "2026-04-14");
  });

  test("CP-EXIT-FOLLOWUP: the situation at exit past its due date is listed, linked to the path's summary", async () => {
    const lines = await board("CP-EXIT-FOLLOWUP");
    assert.equal(lines.length, 1);
    assert.equal(lines[0].href, `/parcours/${pathId}/bilan`);
    assert.equal(lines[0].since, "2026-04-09");
    assert.equal(lines[0].article, "CCTP §6.1.4");
  });

  test("CP-HABILITATION: a habilitation ending in 60 days is listed with a link to the component's certifications; on the page too", async () => {
    const lines = await board("CP-HABILITATION");
    assert.equal(lines.length, 1);
    assert.equal(lines[0].href, `/offre/composantes/${fx.componentId}/certifications`);
    assert.equal(lines[0].since, "2026-06-14");
    const page = await (await t.pageSession(fx.regionEmail)).get("/conformite?rule=CP-HABILITATION");
    assert.match(page.html, /CP-HABILITATION/);
    assert.doesNotMatch(page.html, /pas encore de données/);
  });
});
