import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { sql } from "kysely";
import { createTestContext, type TestContext } from "../../../test/support/app.ts";
import { type AttendanceFixture, attendanceFixture, deviceCookie, insertSlot, SIGNATURE } from "./testing.ts";
import { runEvidenceReportOnce, verifyEvidence } from "./use-cases.ts";
import { insertSignedPeriod } from "../internships/testing.ts";

let t: TestContext;
let f: AttendanceFixture;
let trainer: string;
let cookieA: string;

async function call(method: string, path: string, opts: { cookie?: string; token?: string; body?: unknown } = {}) {
  const headers: Record<string, string> = {};
  if (opts.cookie) headers.cookie = opts.cookie;
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers["content-type"] = "application/json";
  const res = await t.app.request(path, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
  const text = await res.text();
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {}
  return { status: res.status, body };
}
const rowsOf = (slotId: string) => t.db.selectFrom("attendance").selectAll().where("slot_id", "=", slotId).execute();
const [A, B] = [0, 1];

before(async () => {
  t = await createTestContext("2026-03-02T08:30:00Z");
  f = await attendanceFixture(t.db, 2);
  trainer = await t.login(f.trainerEmail);
  cookieA = await deviceCookie(t.db, f, f.trainees[A].traineeId);
});
after(() => t?.close());

describe("trainer's sheet: marks, kiosk, countersignature (CP-ABSENCE-DECLARED, CP-ATTENDANCE-REALISED)", () => {
  test("late minutes: 179 of a 180-min slot realise 1 min, 180 is refused (CP-ATTENDANCE-LATE)", async () => {
    const slotId = await insertSlot(t.db, f);
    const refused = await call("POST", `/api/attendance/slots/${slotId}/marks`, { token: trainer, body: { pathId: f.trainees[A].pathId, status: "late", lateMinutes: 180 } });
    assert.equal(refused.status, 422);
    assert.equal(refused.body.code, "CP-ATTENDANCE-LATE");
    const ok = await call("POST", `/api/attendance/slots/${slotId}/marks`, { token: trainer, body: { pathId: f.trainees[A].pathId, status: "late", lateMinutes: 179 } });
    assert.equal(ok.status, 201);
    assert.equal(ok.body.attendance.realised_minutes, 1);
  });

  test("kiosk signature, excused absence, countersignature closes the sheet and records the silent trainee absent", async () => {
    const g = await attendanceFixture(t.db, 3);
    const tk = await t.login(g.trainerEmail);
    const slotId = await insertSlot(t.db, g);
    const noConfirm = await call("POST", `/api/attendance/slots/${slotId}/kiosk`, { token: tk, body: { pathId: g.trainees[0].pathId, identityConfirmed: false, signature: SIGNATURE } });
    assert.equal(noConfirm.status, 400);
    const kiosk = await call("POST", `/api/attendance/slots/${slotId}/kiosk`, { token: tk, body: { pathId: g.trainees[0].pathId, identityConfirmed: true, signature: SIGNATURE } });
    assert.equal(kiosk.status, 201);
    assert.equal(kiosk.body.attendance.method, "kiosk");
    const excused = await call("POST", `/api/attendance/slots/${slotId}/marks`, { token: tk, body: { pathId: g.trainees[1].pathId, status: "excused", reason: "Rendez-vous France Travail" } });
    assert.equal(excused.body.attendance.realised_minutes, 0);
    const cs = await call("POST", `/api/attendance/slots/${slotId}/countersign`, { token: tk, body: { signature: SIGNATURE } });
    assert.equal(cs.status, 200, JSON.stringify(cs.body));
    assert.equal(cs.body.warnings[0].code, "CP-ABSENCE-DECLARED");
    const rows = await rowsOf(slotId);
    assert.equal(rows.length, 3);
    const silent = rows.find((r) => r.path_id === g.trainees[2].pathId);
    assert.equal(silent?.status, "absent");
    assert.equal(silent?.realised_minutes, 0);
    const slot = await t.db.selectFrom("slot").select("status").where("id", "=", slotId).executeTakeFirstOrThrow();
    assert.equal(slot.status, "closed");
    assert.equal((await call("POST", `/api/attendance/slots/${slotId}/countersign`, { token: tk, body: { signature: SIGNATURE } })).status, 409);
    // Evidence: kiosk, excused, absence, countersignature — chained and intact.
    const kinds = (await t.db.selectFrom("evidence").select("kind").where("slot_id", "=", slotId).orderBy("seq").execute()).map((e) => e.kind);
    assert.deepEqual(kinds, ["signature", "absence", "absence", "countersignature"]);
    assert.deepEqual((await verifyEvidence(t.db, slotId)).broken, []);
  });

  test("a correction on a closed sheet needs a reason, changes the row and appends an entry (the old one stays)", async () => {
    const slotId = await insertSlot(t.db, f);
    await call("POST", `/api/attendance/slots/${slotId}/marks`, { token: trainer, body: { pathId: f.trainees[A].pathId, status: "present" } });
    await call("POST", `/api/attendance/slots/${slotId}/countersign`, { token: trainer, body: { signature: SIGNATURE } });
    const noReason = await call("POST", `/api/attendance/slots/${slotId}/marks`, { token: trainer, body: { pathId: f.trainees[A].pathId, status: "late", lateMinutes: 30 } });
    assert.equal(noReason.status, 422);
    assert.equal(noReason.body.code, "CORRECTION_REASON");
    const fixed = await call("POST", `/api/attendance/slots/${slotId}/marks`, { token: trainer, body: { pathId: f.trainees[A].pathId, status: "late", lateMinutes: 30, reason: "Arrivée à 9 h 30 oubliée" } });
    assert.equal(fixed.status, 200);
    assert.equal(fixed.body.attendance.realised_minutes, 150);
    const entries = await t.db.selectFrom("evidence").selectAll().where("slot_id", "=", slotId).where("path_id", "=", f.trainees[A].pathId).orderBy("seq").execute();
    assert.deepEqual(entries.map((e) => e.kind), ["mark", "correction"]);
    assert.equal(entries[1].reason, "Arrivée à 9 h 30 oubliée");
    assert.equal((entries[0].payload as any).realisedMinutes, 180);
    assert.deepEqual((await verifyEvidence(t.db, slotId)).broken, []);
  });

  test("paper fallback: scan attached, presences entered with method 'paper'", async () => {
    const slotId = await insertSlot(t.db, f);
    const r = await call("POST", `/api/attendance/slots/${slotId}/paper`, {
      token: trainer,
      body: { scan: { filename: "feuille.pdf", contentType: "application/pdf", base64: Buffer.from("%PDF-1.4 feuille").toString("base64") }, entries: [{ pathId: f.trainees[A].pathId, status: "present" }, { pathId: f.trainees[B].pathId, status: "absent" }] },
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const rows = await rowsOf(slotId);
    assert.deepEqual(rows.map((x) => x.method).sort(), ["paper", "paper"]);
    const slot = await t.db.selectFrom("slot").select("paper_attachment_id").where("id", "=", slotId).executeTakeFirstOrThrow();
    assert.ok(slot.paper_attachment_id);
  });

  test("another provider's staff: the sheet is not found, marks and opening too (404, NO-EXISTENCE-LEAK)", async () => {
    const slotId = await insertSlot(t.db, f);
    const g = await attendanceFixture(t.db, 0);
    const other = await t.login(g.fx.adminEmail);
    assert.equal((await call("GET", `/api/attendance/slots/${slotId}`, { token: other })).status, 404);
    const mark = await call("POST", `/api/attendance/slots/${slotId}/marks`, { token: other, body: { pathId: f.trainees[A].pathId, status: "absent" } });
    assert.equal(mark.status, 404);
    const otherTrainer = await t.login(g.trainerEmail);
    assert.equal((await call("POST", `/api/attendance/slots/${slotId}/open`, { token: otherTrainer })).status, 404);
  });
});

describe("self-study (CP-SELFSTUDY-PRESENCE, CP-SELFSTUDY-ASSIST-2H)", () => {
  test("an unsigned self-study slot realises 0; the trainer cannot mark it present; the signed one realises its minutes", async () => {
    const slotId = await insertSlot(t.db, f, { modality: "self_study", status: "planned" });
    const marked = await call("POST", `/api/attendance/slots/${slotId}/marks`, { token: trainer, body: { pathId: f.trainees[B].pathId, status: "present" } });
    assert.equal(marked.status, 422);
    assert.equal(marked.body.code, "CP-SELFSTUDY-PRESENCE");
    const signed = await call("POST", `/api/attendance/slots/${slotId}/self-study`, { cookie: cookieA, body: { deliverable: "Fiche de vocabulaire (20 termes)", signature: SIGNATURE, clientId: "selfstudy-0001" } });
    assert.equal(signed.status, 201, JSON.stringify(signed.body));
    assert.equal(signed.body.attendance.realised_minutes, 180);
    assert.equal(signed.body.attendance.method, "self_study");
    await call("POST", `/api/attendance/slots/${slotId}/countersign`, { token: trainer, body: { signature: SIGNATURE } });
    const unsigned = (await rowsOf(slotId)).find((r) => r.path_id === f.trainees[B].pathId);
    assert.equal(unsigned?.status, "absent");
    assert.equal(unsigned?.realised_minutes, 0);
  });

  test("help answered in exactly 2 h is not flagged; 2 h 00 min 01 s is", async () => {
    const slotId = await insertSlot(t.db, f, { modality: "self_study" });
    t.clock.set("2026-03-02T08:00:00Z");
    const h1 = await call("POST", `/api/attendance/slots/${slotId}/help`, { cookie: cookieA, body: { question: "Je ne comprends pas l'exercice 3" } });
    const h2 = await call("POST", `/api/attendance/slots/${slotId}/help`, { cookie: cookieA, body: { question: "Où déposer la fiche ?" } });
    assert.equal(h1.status, 201);
    t.clock.set("2026-03-02T10:00:00Z");
    const a1 = await call("POST", `/api/attendance/help/${h1.body.id}/answer`, { token: trainer, body: { answer: "Voir la page 12." } });
    assert.equal(a1.body.violation, null);
    t.clock.set("2026-03-02T10:00:01Z");
    const a2 = await call("POST", `/api/attendance/help/${h2.body.id}/answer`, { token: trainer, body: { answer: "Sur l'espace partagé." } });
    assert.equal(a2.body.violation.code, "CP-SELFSTUDY-ASSIST-2H");
    const list = await call("GET", `/api/attendance/help?slotId=${slotId}`, { token: trainer });
    assert.deepEqual(list.body.map((h: any) => h.violation?.code ?? null).sort(), ["CP-SELFSTUDY-ASSIST-2H", null]);
    t.clock.set("2026-03-02T08:30:00Z");
  });
});

describe("links: remote signing and tutor attestation", () => {
  test("a remote link signs once within the window (method 'remote'); a tutor link attests company hours (method 'tutor')", async () => {
    const slotId = await insertSlot(t.db, f, { modality: "distance" });
    const link = await call("POST", `/api/attendance/slots/${slotId}/links`, { token: trainer, body: { pathId: f.trainees[A].pathId, purpose: "remote" } });
    assert.equal(link.status, 201);
    const token = new URL(link.body.url).pathname.split("/").pop();
    const signed = await call("POST", `/api/attendance/links/${token}/sign`, { body: { signature: SIGNATURE } });
    assert.equal(signed.status, 201, JSON.stringify(signed.body));
    assert.equal(signed.body.attendance.method, "remote");
    assert.equal((await call("POST", `/api/attendance/links/${token}/sign`, { body: { signature: SIGNATURE } })).status, 410);

    const late = await call("POST", `/api/attendance/slots/${slotId}/links`, { token: trainer, body: { pathId: f.trainees[B].pathId, purpose: "remote" } });
    const lateToken = new URL(late.body.url).pathname.split("/").pop();
    t.clock.set("2026-03-02T11:00:01Z");
    assert.equal((await call("POST", `/api/attendance/links/${lateToken}/sign`, { body: { signature: SIGNATURE } })).status, 410);
    t.clock.set("2026-03-02T08:30:00Z");

    const wrong = await call("POST", `/api/attendance/slots/${slotId}/links`, { token: trainer, body: { pathId: f.trainees[A].pathId, purpose: "tutor" } });
    assert.equal(wrong.body.code, "CP-ATTENDANCE-METHOD");
    await insertSignedPeriod(t.db, f.fx.providerId, f.trainees[A].pathId); // CP-INTERNSHIP-AGREEMENT
    const company = await insertSlot(t.db, f, { modality: "company", startsAt: "2026-03-02T07:00:00Z", endsAt: "2026-03-02T15:00:00Z", start: "08:00", end: "16:00" });
    const tl = await call("POST", `/api/attendance/slots/${company}/links`, { token: trainer, body: { pathId: f.trainees[A].pathId, purpose: "tutor" } });
    const tutorToken = new URL(tl.body.url).pathname.split("/").pop();
    t.clock.set("2026-03-03T09:00:00Z");
    const page = await t.app.request(`/lien/${tutorToken}`);
    assert.equal(page.status, 200);
    const attested = await t.app.request(`/lien/${tutorToken}`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ signature: SIGNATURE, present: "1", signerName: "Mme Tutrice" }) });
    assert.equal(attested.status, 200);
    const row = (await rowsOf(company))[0];
    assert.equal(row.method, "tutor");
    assert.equal(row.realised_minutes, 480);
    t.clock.set("2026-03-02T08:30:00Z");
  });
});

describe("evidence: tamper detection (npm run verify-evidence and /preuves)", () => {
  test("an edited evidence row or attendance row is detected; the Region sees it on /preuves, others get 403", async () => {
    const slotId = await insertSlot(t.db, f);
    await call("POST", `/api/attendance/slots/${slotId}/marks`, { token: trainer, body: { pathId: f.trainees[A].pathId, status: "present" } });
    await call("POST", `/api/attendance/slots/${slotId}/marks`, { token: trainer, body: { pathId: f.trainees[B].pathId, status: "absent" } });
    const region = await t.login(f.fx.regionEmail);
    const clean = await call("GET", "/api/attendance/evidence/verify", { token: region });
    assert.equal(clean.status, 200);
    assert.deepEqual(clean.body.broken, []);
    assert.equal((await call("GET", "/api/attendance/evidence/verify", { token: trainer })).status, 403);

    await sql`update evidence set payload = jsonb_set(payload, '{realisedMinutes}', '999') where slot_id = ${slotId} and seq = 1`.execute(t.db);
    const report = await verifyEvidence(t.db, slotId);
    assert.equal(report.broken.length, 1);
    assert.equal(report.broken[0].seq, 1);
    assert.match(report.broken[0].problem, /contenu modifié/);

    await sql`update attendance set realised_minutes = 0, status = 'absent' where slot_id = ${slotId} and path_id = ${f.trainees[A].pathId}`.execute(t.db);
    const all = await call("GET", "/api/attendance/evidence/verify", { token: region });
    assert.ok(all.body.broken.some((b: any) => b.slotId === slotId && /différente de la dernière preuve/.test(b.problem)));
    // The page shows the stored report of the background job: the Region asks for a run, the job runs it.
    const session = await t.pageSession(f.fx.regionEmail);
    assert.equal((await session.post("/preuves/verifier", {})).status, 303);
    assert.match((await session.get("/preuves")).html, /prochaine tâche de fond/);
    assert.equal((await runEvidenceReportOnce(t.db, t.clock))?.status, "done");
    const page = await session.get("/preuves");
    assert.equal(page.status, 200);
    assert.match(page.html, /anomalie/);
    assert.match(page.html, /Relancer la vérification/);
    assert.match(page.html, new RegExp(slotId));
  });
});

describe("evidence: each new link checks its parent as it is written", () => {
  test("a tampered last link is recorded when the next entry chains to it; the entry is written all the same", async () => {
    const slotId = await insertSlot(t.db, f);
    await call("POST", `/api/attendance/slots/${slotId}/marks`, { token: trainer, body: { pathId: f.trainees[A].pathId, status: "present" } });
    const clean = await call("POST", `/api/attendance/slots/${slotId}/marks`, { token: trainer, body: { pathId: f.trainees[B].pathId, status: "absent" } });
    assert.equal(clean.status, 201, JSON.stringify(clean.body));
    assert.equal((await t.db.selectFrom("evidence_alert").selectAll().where("slot_id", "=", slotId).execute()).length, 0);
    await sql`update evidence set ip = '203.0.113.9' where slot_id = ${slotId} and seq = 2`.execute(t.db);
    await call("POST", `/api/attendance/slots/${slotId}/marks`, { token: trainer, body: { pathId: f.trainees[B].pathId, status: "present" } });
    const alerts = await t.db.selectFrom("evidence_alert").selectAll().where("slot_id", "=", slotId).execute();
    assert.equal(alerts.length, 1);
    assert.equal(alerts[0].seq, 2);
    assert.match(alerts[0].problem, /empreinte (du maillon incorrecte|salée ne correspond plus)/);
    assert.equal((await t.db.selectFrom("evidence").select("seq").where("slot_id", "=", slotId).execute()).length, 3, "the correction is proved all the same");
    const page = await (await t.pageSession(f.fx.regionEmail)).get("/preuves");
    assert.match(page.html, /relevée\(s\) à l/);
    assert.match(page.html, new RegExp(slotId));
  });
});

describe("pages", () => {
  test("/emargement lists today's slots of the trainer; the sheet shows the QR (SVG) and the live list", async () => {
    const slotId = await insertSlot(t.db, f);
    const s = await t.pageSession(f.trainerEmail);
    const list = await s.get("/emargement");
    assert.equal(list.status, 200);
    assert.match(list.html, new RegExp(`/emargement/${slotId}`));
    const sheet = await s.get(`/emargement/${slotId}`);
    assert.match(sheet.html, /<svg/);
    assert.match(sheet.html, /every 3s/);
    const marked = await s.post(`/emargement/${slotId}/marquer`, { pathId: f.trainees[B].pathId, status: "late", lateMinutes: "500" });
    assert.equal(marked.status, 422);
    assert.match(marked.html, /CP-ATTENDANCE-REALISED/);
    const ok = await s.post(`/emargement/${slotId}/marquer`, { pathId: f.trainees[B].pathId, status: "late", lateMinutes: "10" });
    assert.equal(ok.status, 303);
  });
});
