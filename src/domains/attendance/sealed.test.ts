// Sealed slots (docs/adr/0047): a routine run re-verifies in full only the sheets written, changed or
// deleted since their seal, and reports exactly what a complete run reports; a complete run ignores the
// seals; the periodic run is complete once a week.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type RawBuilder, sql } from "kysely";
import { createTestContext, type TestContext } from "../../../test/support/app.ts";
import { makeCode } from "./qr.ts";
import { attendanceSettings } from "./settings.ts";
import { type AttendanceFixture, attendanceFixture, deviceCookie, insertSlot, SIGNATURE } from "./testing.ts";
import { EVIDENCE_COMPLETE_EVERY_MS, EVIDENCE_REPORT_EVERY_MS, evidenceReportState, requestEvidenceReport, requestPeriodicEvidenceReport, runEvidenceReportOnce } from "./evidence-reports.ts";
import { verifyAndSeal } from "./sealed.ts";
import { verifyProofs, type ChainReport } from "./verify.ts";

let t: TestContext;
let f: AttendanceFixture;
let trainer: string;
let cookies: string[];
let n = 0;

async function call(method: string, path: string, o: { cookie?: string; token?: string; body?: unknown } = {}) {
  const headers: Record<string, string> = { "user-agent": "Téléphone de test", "x-forwarded-for": "198.51.100.7", "content-type": "application/json" };
  if (o.cookie) headers.cookie = o.cookie;
  if (o.token) headers.authorization = `Bearer ${o.token}`;
  const res = await t.app.request(path, { method, headers, body: o.body === undefined ? undefined : JSON.stringify(o.body) });
  return { status: res.status, body: await res.json().catch(() => null) };
}

/** A sheet signed from a trainee's phone (the first, or `trainee`) and countersigned; with `paper`, a paper presence with its scan instead. */
async function sheet(o: { paper?: boolean; trainee?: number } = {}): Promise<string> {
  const pathId = f.trainees[o.trainee ?? 0].pathId;
  const slotId = await insertSlot(t.db, f, { pathIds: [pathId] });
  if (o.paper) {
    const scan = { filename: "feuille.pdf", contentType: "application/pdf", base64: Buffer.from(`%PDF-1.4 feuille ${++n}`).toString("base64") };
    assert.equal((await call("POST", `/api/attendance/slots/${slotId}/paper`, { token: trainer, body: { scan, entries: [{ pathId, status: "present" }] } })).status, 200);
  } else {
    const code = makeCode(attendanceSettings().secret, slotId, new Date("2026-03-02T08:30:00Z"));
    assert.equal((await call("POST", "/api/attendance/sign", { cookie: cookies[o.trainee ?? 0], body: { slotId, code, signature: SIGNATURE, clientId: `sealed-client-${++n}` } })).status, 201);
  }
  assert.equal((await call("POST", `/api/attendance/slots/${slotId}/countersign`, { token: trainer, body: { signature: SIGNATURE } })).status, 200);
  return slotId;
}

const sorted = (r: ChainReport) => [...r.broken].sort((x, y) => `${x.slotId}${x.seq}${x.problem}`.localeCompare(`${y.slotId}${y.seq}${y.problem}`));
const now = () => t.clock.now();

before(async () => {
  t = await createTestContext("2026-03-02T08:30:00Z");
  f = await attendanceFixture(t.db, 2);
  trainer = await t.login(f.trainerEmail);
  cookies = [await deviceCookie(t.db, f, f.trainees[0].traineeId), await deviceCookie(t.db, f, f.trainees[1].traineeId)];
});
after(() => t?.close());

describe("sealed sheets: the routine run re-verifies what changed, and reports what a complete run reports (docs/adr/0047)", () => {
  // Each write in SQL, on its own sealed sheet: what it does, and whether the sheet is then broken.
  // The salt keys every entry of one trainee's path: its sheet is the only one the second trainee signs.
  const writes: [string, (slotId: string) => RawBuilder<unknown>, boolean, number?][] = [
    ["a link's reason", (s) => sql`update evidence set reason = 'Ajout' where slot_id = ${s} and seq = 1`, true],
    ["a link updated to the same values (a new row version, nothing changed)", (s) => sql`update evidence set reason = reason where slot_id = ${s} and seq = 1`, false],
    ["a link deleted", (s) => sql`delete from evidence where slot_id = ${s} and seq = 1`, true],
    ["a link added", (s) => sql`insert into evidence (slot_id, seq, kind, actor_role, at, payload, payload_hash, hash, hash_version) values (${s}, 99, 'mark', 'trainer', now(), '{}', 'x', 'y', 2)`, true],
    ["the realised minutes of a presence", (s) => sql`update attendance set realised_minutes = 179 where slot_id = ${s}`, true],
    ["a presence deleted", (s) => sql`delete from attendance where slot_id = ${s}`, true],
    ["a presence moved to another path", (s) => sql`update attendance set path_id = ${f.trainees[1].pathId} where slot_id = ${s}`, true],
    ["the countersignature's time", (s) => sql`update countersignature set signed_at = signed_at - interval '1 day' where slot_id = ${s}`, true],
    ["the countersignature deleted", (s) => sql`delete from countersignature where slot_id = ${s}`, true],
    ["the signer's salt destroyed", (s) => sql`delete from personal_salt where subject = (select salt_subject from evidence where slot_id = ${s} and seq = 1)`, true, 1],
  ];
  const paperWrites: [string, (slotId: string) => RawBuilder<unknown>, boolean][] = [
    ["a scan's bytes replaced", (s) => sql`update attachment set bytes = ${Buffer.from("%PDF-1.4 autre feuille")} where id = (select paper_attachment_id from slot where id = ${s})`, true],
    ["a scan detached from its sheet", (s) => sql`update slot set paper_attachment_id = null where id = ${s}`, true],
  ];

  test("CP-ATTENDANCE evidence: after a complete run, a routine run re-verifies no sheet and counts every link; each write in SQL since sends its sheet (and only it) to the complete checks", async () => {
    const sheets = [];
    for (const w of writes) sheets.push({ w, slotId: await sheet({ trainee: w[3] }) });
    for (const w of paperWrites) sheets.push({ w, slotId: await sheet({ paper: true }) });
    await sheet(); // untouched
    const complete = await verifyAndSeal(t.db, { complete: true, now: now() });
    assert.deepEqual(complete.broken, []);
    assert.equal(complete.rechecked, sheets.length + 1);
    const routine = await verifyAndSeal(t.db, { complete: false, now: now() });
    assert.deepEqual({ ...routine, rechecked: 0 }, { ...complete, rechecked: 0 });
    assert.equal(routine.rechecked, 0, "nothing written since the seals");

    for (const { w, slotId } of sheets) await w[1](slotId).execute(t.db);
    const afterWrites = await verifyAndSeal(t.db, { complete: false, now: now() });
    assert.equal(afterWrites.rechecked, sheets.length, "every written sheet, not the untouched one");
    assert.deepEqual(sorted(afterWrites), sorted(await verifyProofs(t.db)), "the routine run reports what the complete checks report");
    for (const { w, slotId } of sheets) assert.equal(afterWrites.broken.some((b) => b.slotId === slotId), w[2], `${w[0]}: ${JSON.stringify(afterWrites.broken.filter((b) => b.slotId === slotId))}`);

    // A broken sheet keeps no seal: the next routine run reports it again; a sound one was sealed anew.
    const again = await verifyAndSeal(t.db, { complete: false, now: now() });
    assert.deepEqual(sorted(again), sorted(afterWrites));
    assert.equal(again.rechecked, sheets.filter((s) => s.w[2]).length);
  });

  test("CP-ATTENDANCE evidence: a new signature on a sealed sheet sends it to the complete checks, which find it sound and seal it anew", async () => {
    const slotId = await insertSlot(t.db, f, { pathIds: [f.trainees[0].pathId, f.trainees[1].pathId] });
    assert.equal((await call("POST", `/api/attendance/slots/${slotId}/marks`, { token: trainer, body: { pathId: f.trainees[0].pathId, status: "present" } })).status < 300, true);
    await verifyAndSeal(t.db, { complete: false, now: now() });
    const sealed = await t.db.selectFrom("evidence_seal").select("digest").where("slot_id", "=", slotId).executeTakeFirstOrThrow();
    assert.equal((await call("POST", `/api/attendance/slots/${slotId}/marks`, { token: trainer, body: { pathId: f.trainees[1].pathId, status: "absent" } })).status < 300, true);
    const before = await verifyAndSeal(t.db, { complete: false, now: now() });
    assert.ok(!before.broken.some((b) => b.slotId === slotId));
    const resealed = await t.db.selectFrom("evidence_seal").select("digest").where("slot_id", "=", slotId).executeTakeFirstOrThrow();
    assert.notEqual(resealed.digest, sealed.digest);
    const brokenSheets = new Set(before.broken.map((b) => b.slotId)).size;
    assert.equal((await verifyAndSeal(t.db, { complete: false, now: now() })).rechecked, brokenSheets, "only the broken sheets (no seal) are re-verified");
  });

  test("CP-ATTENDANCE evidence: a seal forged in SQL along with the tampering hides it from the routine run, not from the complete run", async () => {
    const slotId = await sheet();
    await verifyAndSeal(t.db, { complete: false, now: now() });
    await sql`update attendance set realised_minutes = 1 where slot_id = ${slotId}`.execute(t.db);
    // The forger recomputes the slot's digest and writes it as its seal.
    const probe = await verifyAndSeal(t.db, { complete: false, now: now() });
    assert.ok(probe.broken.some((b) => b.slotId === slotId));
    const { slotDigestsSql } = await import("./sealed.ts");
    const [d] = (await slotDigestsSql({ slot: slotId }).execute(t.db)).rows;
    await sql`insert into evidence_seal (slot_id, digest, sealed_at) values (${slotId}, ${d.digest}, now())`.execute(t.db);
    assert.ok(!(await verifyAndSeal(t.db, { complete: false, now: now() })).broken.some((b) => b.slotId === slotId), "the routine run trusts the seal");
    const complete = await verifyAndSeal(t.db, { complete: true, now: now() });
    assert.ok(complete.broken.some((b) => b.slotId === slotId && /realisedMinutes/.test(b.problem)), JSON.stringify(complete.broken));
    assert.equal(await t.db.selectFrom("evidence_seal").select("slot_id").where("slot_id", "=", slotId).executeTakeFirst(), undefined, "the complete run drops the forged seal");
  });

  test("CP-ATTENDANCE evidence: the routine run in chunks of a few rows reports what one chunk reports", async () => {
    await sql`delete from evidence_seal`.execute(t.db);
    const whole = await verifyAndSeal(t.db, { complete: false, now: now() });
    await sql`delete from evidence_seal`.execute(t.db);
    assert.deepEqual(await verifyAndSeal(t.db, { complete: false, now: now(), chunkRows: 3 }), whole);
    assert.deepEqual(await verifyAndSeal(t.db, { complete: false, now: now(), chunkRows: 3 }), await verifyAndSeal(t.db, { complete: false, now: now() }));
  });
});

describe("the stored runs: routine each day, complete once a week (docs/adr/0047)", () => {
  test("CP-ATTENDANCE evidence: the periodic request is complete when no complete run was asked for 7 days, routine otherwise (boundary: 7 days to the millisecond)", async () => {
    await sql`delete from evidence_report`.execute(t.db);
    const at = (ms: number) => new Date(Date.parse("2026-03-10T00:00:00Z") + ms).toISOString();
    t.clock.set(at(0));
    await requestPeriodicEvidenceReport(t.db, t.clock);
    const first = await runEvidenceReportOnce(t.db, t.clock);
    assert.equal(first?.complete, true, "no run ever: complete");
    t.clock.set(at(EVIDENCE_REPORT_EVERY_MS + 1));
    await requestPeriodicEvidenceReport(t.db, t.clock);
    const second = await runEvidenceReportOnce(t.db, t.clock);
    assert.equal(second?.complete, false, "a complete run asked a day ago: routine");
    // The complete run was asked at 0: it counts until 7 days minus a millisecond, not at 7 days.
    await sql`delete from evidence_report where id <> ${first!.id}`.execute(t.db);
    t.clock.set(at(EVIDENCE_COMPLETE_EVERY_MS - 1));
    await requestPeriodicEvidenceReport(t.db, t.clock);
    assert.equal((await runEvidenceReportOnce(t.db, t.clock))?.complete, false, "7 days minus 1 ms after the complete run: routine");
    await sql`delete from evidence_report where id <> ${first!.id}`.execute(t.db);
    t.clock.set(at(EVIDENCE_COMPLETE_EVERY_MS));
    await requestPeriodicEvidenceReport(t.db, t.clock);
    assert.equal((await runEvidenceReportOnce(t.db, t.clock))?.complete, true, "7 days after the complete run: complete");
    t.clock.set("2026-03-02T08:30:00Z");
  });

  test("CP-ATTENDANCE evidence: asking a complete run while a routine one waits makes the waiting run complete; the page and the script say which run it was", async () => {
    await sql`delete from evidence_report`.execute(t.db);
    t.clock.set("2026-03-20T08:00:00Z");
    const id = await requestEvidenceReport(t.db, t.clock, null);
    assert.equal(await requestEvidenceReport(t.db, t.clock, null, { complete: true }), id);
    const run = await runEvidenceReportOnce(t.db, t.clock);
    assert.equal(run?.complete, true);
    const session = await t.pageSession(f.fx.regionEmail);
    t.clock.set("2026-03-20T09:00:00Z");
    assert.equal((await session.post("/preuves/verifier", {})).status, 303);
    assert.equal((await runEvidenceReportOnce(t.db, t.clock))?.complete, false, "the first button: a routine run");
    let page = await session.get("/preuves");
    assert.match(page.html, /Vérification courante terminée/);
    assert.match(page.html, /recalculée\(s\) en entier/);
    t.clock.set("2026-03-20T10:00:00Z");
    assert.equal((await session.post("/preuves/verifier", { complete: "1" })).status, 303);
    assert.equal((await runEvidenceReportOnce(t.db, t.clock))?.complete, true, "the second button: a complete run");
    page = await session.get("/preuves");
    assert.match(page.html, /Vérification complète terminée/);
    assert.ok((await evidenceReportState(t.db)).last?.complete);
  });
});
