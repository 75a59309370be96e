// Evidence covers the whole proof (npm run verify-evidence, /preuves): every field a signature's
// proof rests on — who, slot, method, device, the drawing's hash, signed_at, realised and late
// minutes — and what proves a paper presence (its scan, the countersignature) is reported when
// changed in SQL, on the fact or on its evidence entry.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type RawBuilder, sql } from "kysely";
import { createTestContext, type TestContext } from "../../../test/support/app.ts";
import { newId } from "../../core/time.ts";
import { chainHash, evidenceRow } from "./evidence.ts";
import { makeCode } from "./qr.ts";
import { attendanceSettings } from "./settings.ts";
import { type AttendanceFixture, attendanceFixture, deviceCookie, insertSlot, SIGNATURE } from "./testing.ts";
import { verifyProofs } from "./use-cases.ts";
import { sqlSuspects } from "./verify.ts";

let t: TestContext;
let f: AttendanceFixture;
let trainer: string;
let cookie: string;
let n = 0;

async function call(method: string, path: string, opts: { cookie?: string; token?: string; body?: unknown } = {}) {
  const headers: Record<string, string> = { "user-agent": "Téléphone de test", "x-forwarded-for": "198.51.100.7" };
  if (opts.cookie) headers.cookie = opts.cookie;
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers["content-type"] = "application/json";
  const res = await t.app.request(path, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
  return { status: res.status, body: await res.json().catch(() => null) };
}

/** A sheet with the trainee's QR signature from their phone, countersigned by the trainer. */
async function signedSheet(): Promise<{ slotId: string; pathId: string }> {
  const pathId = f.trainees[0].pathId;
  const slotId = await insertSlot(t.db, f, { pathIds: [pathId] });
  const code = makeCode(attendanceSettings().secret, slotId, new Date("2026-03-02T08:30:00Z"));
  const signed = await call("POST", "/api/attendance/sign", { cookie, body: { slotId, code, signature: SIGNATURE, clientId: `verify-client-${++n}` } });
  assert.equal(signed.status, 201, JSON.stringify(signed.body));
  assert.equal((await call("POST", `/api/attendance/slots/${slotId}/countersign`, { token: trainer, body: { signature: SIGNATURE } })).status, 200);
  assert.deepEqual((await verifyProofs(t.db, slotId)).broken, [], "clean before tampering");
  assert.deepEqual(await sqlSuspects(t.db, slotId), { links: 0, facts: 0 }, "the SQL pass finds the clean sheet sound");
  return { slotId, pathId };
}

/** A paper sheet: presence entered from paper, scan attached (unless `scan: false`), countersigned. */
async function paperSheet(scan = true): Promise<{ slotId: string; pathId: string }> {
  const pathId = f.trainees[0].pathId;
  const slotId = await insertSlot(t.db, f, { pathIds: [pathId] });
  const file = { filename: "feuille.pdf", contentType: "application/pdf", base64: Buffer.from("%PDF-1.4 feuille signée").toString("base64") };
  const r = await call("POST", `/api/attendance/slots/${slotId}/paper`, { token: trainer, body: { ...(scan ? { scan: file } : {}), entries: [{ pathId, status: "present" }] } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal((await call("POST", `/api/attendance/slots/${slotId}/countersign`, { token: trainer, body: { signature: SIGNATURE } })).status, 200);
  assert.deepEqual((await verifyProofs(t.db, slotId)).broken, [], "clean before tampering");
  return { slotId, pathId };
}

const signatureEntry = (slotId: string) => sql`slot_id = ${slotId} and kind = 'signature'`;

before(async () => {
  t = await createTestContext("2026-03-02T08:30:00Z");
  f = await attendanceFixture(t.db, 2);
  trainer = await t.login(f.trainerEmail);
  cookie = await deviceCookie(t.db, f, f.trainees[0].traineeId);
});
after(() => t?.close());

describe("evidence covers the whole proof (CP-ATTENDANCE, npm run verify-evidence)", () => {
  const attendanceTampers: [string, (s: { slotId: string; pathId: string }) => RawBuilder<unknown>, RegExp][] = [
    ["who recorded it (recorded_by)", (s) => sql`update attendance set recorded_by = ${f.trainerId} where slot_id = ${s.slotId}`, /recordedBy/],
    ["whose presence it is (path)", (s) => sql`update attendance set path_id = ${f.trainees[1].pathId} where slot_id = ${s.slotId}`, /absente de la feuille/],
    ["the slot (the row moved to another sheet)", () => sql`select 1`, /absente de la feuille/],
    ["the method", (s) => sql`update attendance set method = 'kiosk' where slot_id = ${s.slotId}`, /method/],
    ["the drawing", (s) => sql`update attendance set signature = '<svg xmlns="http://www.w3.org/2000/svg"><path d="M0 0"/></svg>' where slot_id = ${s.slotId}`, /signatureSha256/],
    ["signed_at", (s) => sql`update attendance set signed_at = signed_at + interval '1 minute' where slot_id = ${s.slotId}`, /signedAt/],
    ["realised minutes", (s) => sql`update attendance set realised_minutes = 179 where slot_id = ${s.slotId}`, /realisedMinutes/],
    ["late minutes", (s) => sql`update attendance set status = 'late', late_minutes = 1 where slot_id = ${s.slotId}`, /status, lateMinutes/],
    ["the status", (s) => sql`update attendance set status = 'excused', realised_minutes = 0 where slot_id = ${s.slotId}`, /status, realisedMinutes/],
    ["the client id", (s) => sql`update attendance set client_id = 'autre-client-0001' where slot_id = ${s.slotId}`, /clientId/],
  ];
  for (const [field, tamper, expected] of attendanceTampers) {
    test(`CP-ATTENDANCE evidence: ${field}, changed on the attendance row in SQL, is reported`, async () => {
      const s = await signedSheet();
      if (field.startsWith("the slot")) {
        const other = await insertSlot(t.db, f, { pathIds: [] });
        await sql`update attendance set slot_id = ${other} where slot_id = ${s.slotId}`.execute(t.db);
        const moved = await verifyProofs(t.db, other);
        assert.ok(moved.broken.some((b) => /sans aucune preuve/.test(b.problem)), JSON.stringify(moved.broken));
      } else await tamper(s).execute(t.db);
      const report = await verifyProofs(t.db, s.slotId);
      assert.ok(report.broken.some((b) => b.slotId === s.slotId && expected.test(b.problem)), JSON.stringify(report.broken));
    });
  }

  const evidenceTampers: [string, (slotId: string) => RawBuilder<unknown>][] = [
    ["who signed (actor)", (slotId) => sql`update evidence set actor_id = ${newId()} where ${signatureEntry(slotId)}`],
    ["the signer's role", (slotId) => sql`update evidence set actor_role = 'trainer' where ${signatureEntry(slotId)}`],
    ["the device (user agent)", (slotId) => sql`update evidence set user_agent = 'Autre téléphone' where ${signatureEntry(slotId)}`],
    ["the device session", (slotId) => sql`update evidence set payload = jsonb_set(payload, '{deviceId}', to_jsonb(${newId()}::text)) where ${signatureEntry(slotId)}`],
    ["the IP address", (slotId) => sql`update evidence set ip = '203.0.113.9' where ${signatureEntry(slotId)}`],
    ["the method", (slotId) => sql`update evidence set method = 'kiosk' where ${signatureEntry(slotId)}`],
    ["the time", (slotId) => sql`update evidence set at = at + interval '1 second' where ${signatureEntry(slotId)}`],
    ["the kind", (slotId) => sql`update evidence set kind = 'attestation' where ${signatureEntry(slotId)}`],
    ["the reason", (slotId) => sql`update evidence set reason = 'Ajout' where ${signatureEntry(slotId)}`],
    ["the path", (slotId) => sql`update evidence set path_id = ${f.trainees[1].pathId} where ${signatureEntry(slotId)}`],
    ["the drawing's hash", (slotId) => sql`update evidence set payload = jsonb_set(payload, '{signatureSha256}', '"00"') where ${signatureEntry(slotId)}`],
    ["the version (downgrade to the old formula)", (slotId) => sql`update evidence set hash_version = 1 where ${signatureEntry(slotId)}`],
  ];
  for (const [field, tamper] of evidenceTampers) {
    test(`CP-ATTENDANCE evidence: ${field}, changed on the signature's evidence entry in SQL, breaks its link`, async () => {
      const s = await signedSheet();
      await tamper(s.slotId).execute(t.db);
      const report = await verifyProofs(t.db, s.slotId);
      assert.ok(report.broken.some((b) => b.slotId === s.slotId && b.seq === 1 && /empreinte|contenu modifié/.test(b.problem)), JSON.stringify(report.broken));
    });
  }

  const sheetTampers: [string, (slotId: string) => RawBuilder<unknown>, RegExp][] = [
    ["countersignature's drawing", (slotId) => sql`update countersignature set signature = 'autre signature de formateur' where slot_id = ${slotId}`, /contresignature différente de sa preuve \(signature\)/],
    ["countersignature's time", (slotId) => sql`update countersignature set signed_at = signed_at - interval '1 day' where slot_id = ${slotId}`, /signedAt/],
    ["countersignature's trainer", (slotId) => sql`update countersignature set trainer_id = ${f.fx.referentId} where slot_id = ${slotId}`, /trainerId/],
    ["countersignature (deleted)", (slotId) => sql`delete from countersignature where slot_id = ${slotId}`, /contresignature prouvée par ce maillon mais absente/],
  ];
  for (const [what, tamper, expected] of sheetTampers) {
    test(`CP-ATTENDANCE evidence: the ${what}, changed in SQL, is reported`, async () => {
      const s = await signedSheet();
      await tamper(s.slotId).execute(t.db);
      const report = await verifyProofs(t.db, s.slotId);
      assert.ok(report.broken.some((b) => expected.test(b.problem)), JSON.stringify(report.broken));
    });
  }

  test("CP-ATTENDANCE-REALISED evidence: a paper scan changed, detached or slipped under a sheet in SQL is reported (it is what proves paper presences)", async () => {
    const changed = await paperSheet();
    await sql`update attachment set bytes = ${Buffer.from("%PDF-1.4 autre feuille")} where id = (select paper_attachment_id from slot where id = ${changed.slotId})`.execute(t.db);
    assert.ok((await verifyProofs(t.db, changed.slotId)).broken.some((b) => /scannée différente de sa preuve \(sha256\)/.test(b.problem)));
    const detached = await paperSheet();
    await sql`update slot set paper_attachment_id = null where id = ${detached.slotId}`.execute(t.db);
    assert.ok((await verifyProofs(t.db, detached.slotId)).broken.some((b) => /détachée/.test(b.problem)));
    // A sheet entered from paper without its scan: its presences are only declared; a scan slipped in by SQL is reported.
    const declared = await paperSheet(false);
    await sql`update slot set paper_attachment_id = (select paper_attachment_id from slot where id = ${changed.slotId}) where id = ${declared.slotId}`.execute(t.db);
    assert.ok((await verifyProofs(t.db, declared.slotId)).broken.some((b) => /scannée sans preuve/.test(b.problem)));
  });

  test("CP-ATTENDANCE evidence: version 1 links (written before) still verify with their formula; new links are version 3: every column, the IP and device through the subject's salt", async () => {
    const s = await signedSheet();
    const rows = await t.db.selectFrom("evidence").selectAll().where("slot_id", "=", s.slotId).orderBy("seq").execute();
    assert.deepEqual(rows.map((r) => r.hash_version), [3, 3]);
    // A chain written by the old code: rebuild this sheet's links with the version 1 formula.
    let prev: string | null = null;
    for (const r of rows) {
      const hash = chainHash(prev, r.payload_hash, r.seq, new Date(r.at));
      await sql`update evidence set hash_version = 1, prev_hash = ${prev}, hash = ${hash} where id = ${r.id}`.execute(t.db);
      prev = hash;
    }
    assert.deepEqual((await verifyProofs(t.db, s.slotId)).broken, []);
    const salt = Buffer.alloc(32, 7);
    const v3 = evidenceRow(undefined, { slotId: s.slotId, kind: "mark", actorId: null, actorRole: "trainer", at: new Date("2026-03-02T08:00:00Z"), payload: { a: 1 } }, salt);
    const other = evidenceRow(undefined, { slotId: s.slotId, kind: "mark", actorId: null, actorRole: "trainer", at: new Date("2026-03-02T08:00:00Z"), payload: { a: 1 }, userAgent: "autre" }, salt);
    assert.notEqual(v3.hash, other.hash, "the device is hashed (through the salt)");
    const otherSalt = evidenceRow(undefined, { slotId: s.slotId, kind: "mark", actorId: null, actorRole: "trainer", at: new Date("2026-03-02T08:00:00Z"), payload: { a: 1 } }, Buffer.alloc(32, 8));
    assert.notEqual(v3.personal_digest, otherSalt.personal_digest, "the digest depends on the salt");
  });

  test("CP-ATTENDANCE evidence: a sheet of every kind of act verifies clean — trainer's mark completed by a kiosk signature, kiosk, countersignature, correction after closing", async () => {
    const [a, b] = f.trainees;
    const slotId = await insertSlot(t.db, f);
    await call("POST", `/api/attendance/slots/${slotId}/marks`, { token: trainer, body: { pathId: b.pathId, status: "late", lateMinutes: 10 } });
    await call("POST", `/api/attendance/slots/${slotId}/kiosk`, { token: trainer, body: { pathId: b.pathId, identityConfirmed: true, signature: SIGNATURE } });
    await call("POST", `/api/attendance/slots/${slotId}/kiosk`, { token: trainer, body: { pathId: a.pathId, identityConfirmed: true, signature: SIGNATURE } });
    await call("POST", `/api/attendance/slots/${slotId}/countersign`, { token: trainer, body: { signature: SIGNATURE } });
    await call("POST", `/api/attendance/slots/${slotId}/marks`, { token: trainer, body: { pathId: a.pathId, status: "late", lateMinutes: 5, reason: "Retard oublié" } });
    const kinds = (await t.db.selectFrom("evidence").select("kind").where("slot_id", "=", slotId).orderBy("seq").execute()).map((e) => e.kind);
    assert.deepEqual(kinds, ["mark", "signature", "signature", "countersignature", "correction"]);
    assert.deepEqual((await verifyProofs(t.db, slotId)).broken, []);
    // The hashes are recomputed in SQL first: a sound sheet of every kind of act is found sound there (nothing left to JavaScript).
    assert.deepEqual(await sqlSuspects(t.db, slotId), { links: 0, facts: 0 });
  });

  test("CP-ATTENDANCE evidence: a key added to a signature's payload, or a payload value retyped, in SQL breaks its link", async () => {
    const added = await signedSheet();
    await sql`update evidence set payload = payload || '{"note": "ajout"}'::jsonb where ${signatureEntry(added.slotId)}`.execute(t.db);
    const retyped = await signedSheet();
    await sql`update evidence set payload = jsonb_set(payload, '{realisedMinutes}', '"180"') where ${signatureEntry(retyped.slotId)}`.execute(t.db);
    for (const s of [added, retyped]) {
      const report = await verifyProofs(t.db, s.slotId);
      assert.ok(report.broken.some((b) => b.seq === 1 && /contenu modifié/.test(b.problem)), JSON.stringify(report.broken));
    }
  });

  test("CP-ATTENDANCE evidence: the whole database verified in chunks of a few rows reports exactly what one chunk reports (every tampering of this file)", async () => {
    const whole = await verifyProofs(t.db);
    assert.ok(whole.broken.length >= 20, JSON.stringify(whole.broken.length));
    const chunked = await verifyProofs(t.db, undefined, { chunkRows: 3 });
    assert.deepEqual(chunked, whole);
  });
});

// Boundaries of the SQL filter (docs/adr/0043): the cheap paths must hand on to the exact ones, never accept.
describe("evidence verified in SQL: the cheap paths and their boundaries (docs/adr/0043)", () => {
  test("CP-ATTENDANCE evidence: a reason with characters JSON escapes (quotes, backslash) verifies clean in SQL, and its tampering is reported", async () => {
    const [a] = f.trainees;
    const slotId = await insertSlot(t.db, f, { pathIds: [a.pathId] });
    const reason = 'Retard "oublié" \\ noté après coup';
    assert.ok((await call("POST", `/api/attendance/slots/${slotId}/marks`, { token: trainer, body: { pathId: a.pathId, status: "present" } })).status < 300);
    const r = await call("POST", `/api/attendance/slots/${slotId}/marks`, { token: trainer, body: { pathId: a.pathId, status: "late", lateMinutes: 5, reason } });
    assert.ok(r.status < 300, JSON.stringify(r.body));
    assert.equal((await t.db.selectFrom("evidence").select("reason").where("slot_id", "=", slotId).where("seq", "=", 2).executeTakeFirstOrThrow()).reason, reason);
    assert.deepEqual((await verifyProofs(t.db, slotId)).broken, []);
    assert.deepEqual(await sqlSuspects(t.db, slotId), { links: 0, facts: 0 }, "the escaped text is printed exactly in SQL");
    await sql`update evidence set reason = ${reason.replace('"oublié"', '"oubliée"')} where slot_id = ${slotId} and seq = 2`.execute(t.db);
    assert.ok((await verifyProofs(t.db, slotId)).broken.some((b) => b.seq === 2 && /empreinte/.test(b.problem)));
  });

  test("CP-ATTENDANCE evidence: a proof's field retyped (a number as a string) is reported against the attendance row, not only on the chain", async () => {
    const s = await signedSheet();
    await sql`update evidence set payload = jsonb_set(payload, '{lateMinutes}', '"0"') where ${signatureEntry(s.slotId)}`.execute(t.db);
    const report = await verifyProofs(t.db, s.slotId);
    assert.ok(report.broken.some((b) => /différente de la dernière preuve enregistrée \(lateMinutes\)/.test(b.problem)), JSON.stringify(report.broken));
    assert.ok(report.broken.some((b) => b.seq === 1 && /contenu modifié/.test(b.problem)), JSON.stringify(report.broken));
  });

  test("CP-ATTENDANCE evidence: the parallel run over many chunks reports what the one-slot runs report, in the same order", async () => {
    const whole = await verifyProofs(t.db, undefined, { chunkRows: 2 });
    const slots = await t.db.selectFrom("slot").select("id").orderBy("id").execute();
    const perSlot = await Promise.all(slots.map((s) => verifyProofs(t.db, s.id)));
    assert.equal(whole.entries, perSlot.reduce((n, r) => n + r.entries, 0));
    assert.deepEqual(
      [...whole.broken].sort((x, y) => `${x.slotId}${x.seq}${x.problem}`.localeCompare(`${y.slotId}${y.seq}${y.problem}`)),
      perSlot.flatMap((r) => r.broken).sort((x, y) => `${x.slotId}${x.seq}${x.problem}`.localeCompare(`${y.slotId}${y.seq}${y.problem}`)),
    );
  });
});
