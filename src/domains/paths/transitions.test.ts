// The path's declared workflow (PATH_TRANSITIONS) and the one function that applies it.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Actor } from "../../core/auth/actor.ts";
import type { PathStatus } from "../../core/db/schema.ts";
import { DomainError } from "../../core/errors.ts";
import { judgeTransition, nextStatuses } from "../../core/workflow.ts";
import { createTestContext, type TestContext } from "../../../test/support/app.ts";
import { usingPostgres } from "../../../test/support/db.ts";
import { createOrderFixture, type OrderFixture } from "../../../test/support/fixtures.ts";
import { PATH_TRANSITIONS } from "./rules.ts";
import { actorFor, actorOf, mod, plan, position, refused, register } from "./testing.ts";
import { exitPath, savePlan, validatePath } from "./use-cases.ts";

const ALL: PathStatus[] = ["draft", "validated", "closed", "dropped"];
const facts = { entryDate: "2026-03-02", actualExitDate: "2026-06-30", reason: "Reprise d'emploi", traineeEmail: "camille@example.org" };

describe("path workflow table (pure)", () => {
  test("allowed moves: draft → validated | dropped; validated → closed | dropped; closed and dropped are final", () => {
    assert.deepEqual(nextStatuses(PATH_TRANSITIONS, "draft").sort(), ["dropped", "validated"]);
    assert.deepEqual(nextStatuses(PATH_TRANSITIONS, "validated").sort(), ["closed", "dropped"]);
    assert.deepEqual(nextStatuses(PATH_TRANSITIONS, "closed"), []);
    assert.deepEqual(nextStatuses(PATH_TRANSITIONS, "dropped"), []);
  });

  test("every move the table does not list is refused as a status refusal", () => {
    const allowed = new Set(["draft>validated", "draft>dropped", "validated>closed", "validated>dropped"]);
    for (const from of ALL) {
      for (const to of ALL) {
        const verdict = judgeTransition(PATH_TRANSITIONS, from, to, "provider_admin", facts);
        assert.equal(verdict.ok, allowed.has(`${from}>${to}`), `${from} → ${to}`);
        if (!allowed.has(`${from}>${to}`)) assert.equal(!verdict.ok && verdict.kind, "status", `${from} → ${to}`);
      }
    }
  });

  test("only the provider's administrative and pedagogical staff move a path", () => {
    for (const role of ["trainer", "region_officer", "prescriber", "trainee"] as const) {
      const verdict = judgeTransition(PATH_TRANSITIONS, "validated", "closed", role, facts);
      assert.equal(!verdict.ok && verdict.kind, "role", role);
    }
    assert.equal(judgeTransition(PATH_TRANSITIONS, "validated", "closed", "pedagogical_referent", facts).ok, true);
  });

  test("guards: an exit on the entry day passes, the day before is refused; a drop-out needs its reason", () => {
    assert.equal(judgeTransition(PATH_TRANSITIONS, "validated", "closed", "provider_admin", { entryDate: "2026-03-02", actualExitDate: "2026-03-02", traineeEmail: "camille@example.org" }).ok, true);
    const early = judgeTransition(PATH_TRANSITIONS, "validated", "closed", "provider_admin", { entryDate: "2026-03-02", actualExitDate: "2026-03-01", traineeEmail: "camille@example.org" });
    assert.deepEqual(!early.ok && early.kind === "guard" ? early.violations.map((v) => v.field) : [], ["actualExitDate"]);
    const silent = judgeTransition(PATH_TRANSITIONS, "validated", "dropped", "provider_admin", { entryDate: "2026-03-02", actualExitDate: "2026-04-01", reason: "  ", traineeEmail: "camille@example.org" });
    assert.deepEqual(!silent.ok && silent.kind === "guard" ? silent.violations.map((v) => v.field) : [], ["exitReason"]);
  });

  test("CP-SURVEY-NOTICE: an exit from training without a valid e-mail is refused; a draft dropped before entry needs none", () => {
    const exit = (traineeEmail: string | null, from: PathStatus = "validated") =>
      judgeTransition(PATH_TRANSITIONS, from, "closed", "provider_admin", { entryDate: "2026-03-02", actualExitDate: "2026-06-30", from, traineeEmail });
    for (const bad of [null, "", "camille@", "pas une adresse"]) {
      const v = exit(bad);
      assert.deepEqual(!v.ok && v.kind === "guard" ? v.violations.map((x) => x.code) : [], ["CP-SURVEY-NOTICE"], String(bad));
      assert.match(!v.ok && v.kind === "guard" ? v.violations[0].message : "", /adresse e-mail/);
    }
    assert.equal(exit("camille@example.org").ok, true);
    const cancelled = judgeTransition(PATH_TRANSITIONS, "draft", "dropped", "provider_admin", { entryDate: "2026-03-02", actualExitDate: "2026-03-02", from: "draft", reason: "Jamais venu", traineeEmail: null });
    assert.equal(cancelled.ok, true);
  });

  test("the exit reason fits the status: employment closes, exclusion drops, not the other way", () => {
    const f = { entryDate: "2026-03-02", actualExitDate: "2026-06-30", traineeEmail: "c@example.org", reason: "x" };
    assert.equal(judgeTransition(PATH_TRANSITIONS, "validated", "closed", "provider_admin", { ...f, exitReason: "employment" }).ok, true);
    assert.equal(judgeTransition(PATH_TRANSITIONS, "validated", "dropped", "provider_admin", { ...f, exitReason: "exclusion" }).ok, true);
    const wrong = judgeTransition(PATH_TRANSITIONS, "validated", "closed", "provider_admin", { ...f, exitReason: "dropout" });
    assert.deepEqual(!wrong.ok && wrong.kind === "guard" ? wrong.violations.map((v) => v.code) : [], ["PATH_EXIT_REASON"]);
  });
});

describe("path transitions: lock, conditional update, transition log", () => {
  let t: TestContext;
  let fx: OrderFixture;
  let admin: Actor;

  before(async () => {
    t = await createTestContext();
    fx = await createOrderFixture(t.db);
    admin = await actorOf(t.db, fx.adminEmail);
  });
  after(() => t.close());

  async function validatedPath() {
    const { pathId } = await register(t.db, admin, fx);
    await position(t.db, admin, pathId);
    await savePlan(t.db, admin, pathId, plan([mod(fx.moduleIds["Anglais général"], "centre", 6000)]));
    await validatePath(t.db, admin, pathId);
    return pathId;
  }
  const log = (pathId: string) =>
    t.db.selectFrom("transition_log").select(["from_status", "to_status", "reason", "actor_id"]).where("entity", "=", "path").where("entity_id", "=", pathId).orderBy("id").execute();

  test("one transition log row per change: registration, validation, exit — each with who and why", async () => {
    const pathId = await validatedPath();
    await exitPath(t.db, admin, pathId, { status: "dropped", actualExitDate: "2026-04-15", reason: "Reprise d'emploi" });
    assert.deepEqual(await log(pathId), [
      { from_status: null, to_status: "draft", reason: null, actor_id: admin.userId },
      { from_status: "draft", to_status: "validated", reason: null, actor_id: admin.userId },
      { from_status: "validated", to_status: "dropped", reason: "Reprise d'emploi", actor_id: admin.userId },
    ]);
    const row = await t.db.selectFrom("path").select(["status", "actual_exit_date"]).where("id", "=", pathId).executeTakeFirstOrThrow();
    assert.deepEqual(row, { status: "dropped", actual_exit_date: "2026-04-15" });
  });

  test("refused moves: 409 TRANSITION in French (a finished path, a draft closed), 422 on a guard, nothing logged", async () => {
    const pathId = await validatedPath();
    await exitPath(t.db, admin, pathId, { status: "closed", actualExitDate: "2026-06-30" });
    const again = await refused(exitPath(t.db, admin, pathId, { status: "dropped", actualExitDate: "2026-06-30", reason: "x" }), 409, "TRANSITION");
    assert.match(again.detail, /Un parcours « Clôturé — sorti » ne peut pas passer à « Abandon » \(étapes possibles depuis « Clôturé — sorti » : aucune\)/);
    const { pathId: draft } = await register(t.db, admin, fx);
    await refused(exitPath(t.db, admin, draft, { status: "closed", actualExitDate: "2026-06-30" }), 409, "TRANSITION");
    await refused(exitPath(t.db, admin, draft, { status: "dropped", actualExitDate: "2026-03-01", reason: "Jamais venu" }), 422, "PATH_EXIT_DATE");
    await refused(exitPath(t.db, admin, draft, { status: "dropped", actualExitDate: "2026-03-02" }), 422, "PATH_DROP_REASON");
    assert.equal((await log(draft)).length, 1, "only the registration");
  });

  test("another provider's staff cannot move the path (404), a trainer of the provider cannot (403)", async () => {
    const pathId = await validatedPath();
    const other = await createOrderFixture(t.db);
    await refused(exitPath(t.db, await actorOf(t.db, other.adminEmail), pathId, { status: "closed", actualExitDate: "2026-06-30" }), 404, "NOT_FOUND");
    const trainer = await actorFor(t.db, `formateur-${pathId}@organisme.test`, "trainer", fx.providerId);
    await refused(exitPath(t.db, trainer, pathId, { status: "closed", actualExitDate: "2026-06-30" }), 403, "FORBIDDEN");
  });
});

const pgOnly = usingPostgres ? false : "PostgreSQL only (set DATABASE_URL): PGlite runs one query at a time, so two exits never overlap.";

describe("a path exited twice at once (PostgreSQL)", { skip: pgOnly }, () => {
  let t: TestContext;
  before(async () => {
    t = await createTestContext();
  });
  after(() => t?.close());

  test("two exits at once end with one: one succeeds, the other gets 409 TRANSITION, one transition logged", async () => {
    const fx = await createOrderFixture(t.db);
    const admin = await actorOf(t.db, fx.adminEmail);
    for (let round = 0; round < 5; round++) {
      const { pathId } = await register(t.db, admin, fx);
      await position(t.db, admin, pathId);
      await savePlan(t.db, admin, pathId, plan([mod(fx.moduleIds["Anglais général"], "centre", 6000)]));
      await validatePath(t.db, admin, pathId);
      const results = await Promise.allSettled([
        exitPath(t.db, admin, pathId, { status: "closed", actualExitDate: "2026-06-30" }),
        exitPath(t.db, admin, pathId, { status: "dropped", actualExitDate: "2026-05-04", reason: "Déménagement" }),
      ]);
      const outcome = results.map((r) => (r.status === "fulfilled" ? "ok" : r.reason instanceof DomainError ? r.reason.code : String(r.reason))).sort();
      assert.deepEqual(outcome, ["TRANSITION", "ok"], `round ${round}`);
      const exits = await t.db.selectFrom("transition_log").select("to_status").where("entity", "=", "path").where("entity_id", "=", pathId).where("from_status", "=", "validated").execute();
      assert.equal(exits.length, 1, `round ${round}: one exit logged`);
    }
  });
});
