// The stored evidence verification through the JSON API (what /preuves does with its two buttons):
// the Region asks the background job for a run and reads the stored report back.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { sql } from "kysely";
import { createTestContext, type TestContext } from "../../../test/support/app.ts";
import { type AttendanceFixture, attendanceFixture, insertSlot } from "./testing.ts";
import { runEvidenceReportOnce } from "./use-cases.ts";

let t: TestContext;
let f: AttendanceFixture;
let trainer: string;
let region: string;

const REPORTS = "/api/attendance/evidence/reports";
const LATEST = "/api/attendance/evidence/reports/latest";
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** A sheet with two marks written through the API (two chained links). */
async function markedSheet(): Promise<string> {
  const slotId = await insertSlot(t.db, f);
  for (const [i, status] of [[0, "present"], [1, "absent"]] as const) {
    const res = await t.api("POST", `/api/attendance/slots/${slotId}/marks`, trainer, { pathId: f.trainees[i].pathId, status });
    assert.equal(res.status, 201, JSON.stringify(res.body));
  }
  return slotId;
}

before(async () => {
  t = await createTestContext("2026-03-02T08:30:00Z");
  f = await attendanceFixture(t.db, 2);
  trainer = await t.login(f.trainerEmail);
  region = await t.login(f.fx.regionEmail);
});
after(() => t?.close());

describe("stored evidence verification through the API (POST /api/attendance/evidence/reports, GET …/latest)", () => {
  test("CP-ATTENDANCE evidence: the Region asks for a run (202), the latest state shows it open, then finished with its report; a trainer gets 403", async () => {
    await markedSheet();
    const empty = await t.api("GET", LATEST, region);
    assert.equal(empty.status, 200);
    assert.deepEqual(empty.body, { last: null, open: null, alerts: [] });

    const asked = await t.api("POST", REPORTS, region);
    assert.equal(asked.status, 202, JSON.stringify(asked.body));
    assert.equal(typeof asked.body.id, "string");
    // A run already waiting answers instead; a complete request makes the waiting routine run complete.
    const again = await t.api("POST", REPORTS, region, { complete: true });
    assert.equal(again.status, 202);
    assert.equal(again.body.id, asked.body.id);

    for (const [method, path] of [["POST", REPORTS], ["GET", LATEST]]) {
      const refused = await t.api(method, path, trainer, method === "POST" ? {} : undefined);
      assert.equal(refused.status, 403, `${method} ${path}`);
      assert.match(refused.headers.get("content-type") ?? "", /application\/problem\+json/);
    }
    assert.equal((await t.api("GET", LATEST)).status, 401);

    const waiting = await t.api("GET", LATEST, region);
    assert.equal(waiting.status, 200);
    assert.equal(waiting.body.last, null);
    assert.equal(waiting.body.open.id, asked.body.id);
    assert.equal(waiting.body.open.status, "pending");
    assert.equal(waiting.body.open.complete, true);
    assert.match(waiting.body.open.requestedAt, ISO);
    assert.equal(waiting.body.open.startedAt, null);
    assert.equal(waiting.body.open.broken, null, "no report before the run");

    t.clock.set("2026-03-02T08:31:00Z");
    assert.equal((await runEvidenceReportOnce(t.db, t.clock))?.status, "done");
    const done = await t.api("GET", LATEST, region);
    assert.equal(done.body.open, null);
    const last = done.body.last;
    assert.equal(last.id, asked.body.id);
    assert.equal(last.status, "done");
    assert.equal(last.complete, true);
    assert.equal(last.finishedAt, "2026-03-02T08:31:00.000Z");
    assert.match(last.startedAt, ISO);
    assert.ok(last.slots >= 1 && last.entries >= 2, JSON.stringify(last));
    assert.equal(last.rechecked, last.slots, "a complete run re-verifies every sheet");
    assert.deepEqual(last.broken, []);
    assert.equal(last.error, null);

    // After the run, a new request is a new run: routine by default, and it re-verifies no sealed sheet.
    t.clock.set("2026-03-02T08:32:00Z");
    const routine = await t.api("POST", REPORTS, region);
    assert.equal(routine.status, 202);
    assert.notEqual(routine.body.id, asked.body.id);
    await runEvidenceReportOnce(t.db, t.clock);
    const second = (await t.api("GET", LATEST, region)).body.last;
    assert.equal(second.id, routine.body.id);
    assert.equal(second.complete, false);
    assert.equal(second.rechecked, 0, "nothing written since the seals");
  });

  test("CP-ATTENDANCE evidence: a row tampered in SQL appears in `broken` after a complete run; a tampered last link is an alert as soon as the next link is written", async () => {
    const slotId = await markedSheet();
    await sql`update attendance set realised_minutes = 0, status = 'absent' where slot_id = ${slotId} and path_id = ${f.trainees[0].pathId}`.execute(t.db);
    t.clock.set("2026-03-02T08:33:00Z");
    const asked = await t.api("POST", REPORTS, region, { complete: true });
    assert.equal(asked.status, 202);
    await runEvidenceReportOnce(t.db, t.clock);
    const last = (await t.api("GET", LATEST, region)).body.last;
    assert.equal(last.id, asked.body.id);
    assert.equal(last.complete, true);
    assert.ok(
      last.broken.some((b: { slotId: string; problem: string }) => b.slotId === slotId && /différente de la dernière preuve/.test(b.problem)),
      JSON.stringify(last.broken),
    );

    const other = await markedSheet();
    await sql`update evidence set ip = '203.0.113.9' where slot_id = ${other} and seq = 2`.execute(t.db);
    assert.equal((await t.api("POST", `/api/attendance/slots/${other}/marks`, trainer, { pathId: f.trainees[1].pathId, status: "present" })).status, 200);
    const { alerts } = (await t.api("GET", LATEST, region)).body;
    const alert = alerts.find((a: { slotId: string }) => a.slotId === other);
    assert.ok(alert, JSON.stringify(alerts));
    assert.equal(alert.seq, 2);
    assert.match(alert.detectedAt, ISO);
  });

  test("CP-ATTENDANCE evidence: a malformed request body is a 400 problem naming the field, never a 500; no run is asked", async () => {
    await sql`delete from evidence_report`.execute(t.db);
    const bad = await t.api("POST", REPORTS, region, { complete: "oui" });
    assert.equal(bad.status, 400, JSON.stringify(bad.body));
    assert.match(bad.headers.get("content-type") ?? "", /application\/problem\+json/);
    assert.equal(bad.body.code, "VALIDATION");
    assert.ok(bad.body.violations.some((v: { field: string }) => v.field === "complete"), JSON.stringify(bad.body));
    const unreadable = await t.app.request(REPORTS, { method: "POST", headers: { authorization: `Bearer ${region}`, "content-type": "application/json" }, body: "pas du json" });
    assert.equal(unreadable.status, 400);
    assert.match(unreadable.headers.get("content-type") ?? "", /application\/problem\+json/);
    assert.equal((await t.api("GET", LATEST, region)).body.open, null);
  });
});
