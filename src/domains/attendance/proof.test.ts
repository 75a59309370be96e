// Only proofs realise hours (CP-ATTENDANCE-REALISED, CP-BILLING-REALISED, CP-EFORM-BILLING,
// CP-CERTIFICATE-OF-COMPLETION): a trainer's mark is a declared presence until the trainee's
// signature, or the paper sheet's scan countersigned by the trainer, arrives.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createTestContext, type TestContext } from "../../../test/support/app.ts";
import { addLine, register } from "../paths/testing.ts";
import { makeCode } from "./qr.ts";
import { attendanceSettings } from "./settings.ts";
import { type AttendanceFixture, attendanceFixture, deviceCookie, insertSlot, SIGNATURE } from "./testing.ts";
import { verifyProofs } from "./use-cases.ts";
import { actorOf } from "../paths/testing.ts";

let t: TestContext;
let f: AttendanceFixture;
let trainer: string;
let admin: string;

async function call(method: string, path: string, opts: { cookie?: string; token?: string; body?: unknown } = {}) {
  const headers: Record<string, string> = { "user-agent": "test-proof" };
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

const realised = async (pathId: string) => (await call("GET", `/api/paths/${pathId}/realised`, { token: admin })).body;
const billing = async (orderId: string, month = "2026-03") => (await call("GET", `/api/orders/${orderId}/billing?month=${month}`, { token: admin })).body;
// A later certificate for the same period replaces the one in force, with its reason (CP-CERTIFICATE-OF-COMPLETION).
const inForce = new Map<string, string>();
const certificate = async (pathId: string) => {
  const prior = inForce.get(pathId);
  const body = { from: "2026-03-01", to: "2026-03-31", ...(prior ? { replaces: prior, reason: "Preuves reçues depuis" } : {}) };
  const res = await call("POST", `/api/paths/${pathId}/certificates`, { token: admin, body });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  inForce.set(pathId, res.body.id);
  return res.body;
};
const validate = (pathIds: string[]) => t.db.updateTable("path").set({ status: "validated" }).where("id", "in", pathIds).execute();
const mark = (slotId: string, pathId: string, status: "present" | "late", lateMinutes = 0) =>
  call("POST", `/api/attendance/slots/${slotId}/marks`, { token: trainer, body: { pathId, status, lateMinutes } });
const scan = { filename: "feuille.pdf", contentType: "application/pdf", base64: Buffer.from("%PDF-1.4 feuille signée").toString("base64") };

before(async () => {
  t = await createTestContext("2026-03-02T08:30:00Z");
  f = await attendanceFixture(t.db, 2);
  trainer = await t.login(f.trainerEmail);
  admin = await t.login(f.fx.adminEmail);
  await validate(f.trainees.map((x) => x.pathId));
});
after(() => t?.close());

describe("only proofs realise hours (CP-ATTENDANCE-REALISED)", () => {
  test("CP-ATTENDANCE-REALISED: a trainer's mark is declared — not in the ledger, the certificate (CP-CERTIFICATE-OF-COMPLETION) nor the bill (CP-BILLING-REALISED); the trainee's signature realises it", async () => {
    const [a, b] = f.trainees;
    const slotId = await insertSlot(t.db, f); // 2 March, 09:00–12:00 (180 min), open
    assert.equal((await mark(slotId, a.pathId, "present")).status, 201);
    assert.equal((await mark(slotId, b.pathId, "late", 30)).status, 201);

    const before = await realised(a.pathId);
    assert.equal(before.totals.total, 0, "a declared presence is not realised");
    assert.equal(before.declared, 180);
    const bill = await billing(f.fx.orderId);
    assert.equal(bill.realisedMinutes, 0, "a declared presence is not billed");
    assert.equal(bill.lines[0].declaredMinutes, 180 + 150);
    assert.equal((await certificate(a.pathId)).content.minutes.total, 0, "a declared presence is not certified");
    const sheet = await (await t.pageSession(f.trainerEmail)).get(`/emargement/${slotId}`);
    assert.match(sheet.html, /déclarée, preuve en attente/);
    const own = await (await t.pageSession(f.fx.adminEmail)).get(`/parcours/${a.pathId}`);
    assert.match(own.html, /déclarées, preuve en attente/);

    // The proof arrives: the kiosk signature for A, a QR signature from B's phone.
    const kiosk = await call("POST", `/api/attendance/slots/${slotId}/kiosk`, { token: trainer, body: { pathId: a.pathId, identityConfirmed: true, signature: SIGNATURE } });
    assert.equal(kiosk.status, 201, JSON.stringify(kiosk.body));
    assert.equal(kiosk.body.attendance.method, "kiosk");
    const cookieB = await deviceCookie(t.db, f, b.traineeId);
    const signerPage = await t.app.request(`/signer/${slotId}`, { headers: { cookie: cookieB } });
    assert.match(await signerPage.text(), /Présence déclarée par votre formateur·rice, preuve en attente/);
    const code = makeCode(attendanceSettings().secret, slotId, new Date("2026-03-02T08:30:00Z"));
    const qr = await call("POST", "/api/attendance/sign", { cookie: cookieB, body: { slotId, code, signature: SIGNATURE, clientId: "proof-client-0001" } });
    assert.equal(qr.status, 201, JSON.stringify(qr.body));
    assert.equal(qr.body.attendance.status, "late", "the trainer's lateness stays");
    assert.equal(qr.body.attendance.realised_minutes, 150);
    const retry = await call("POST", "/api/attendance/sign", { cookie: cookieB, body: { slotId, code, signature: SIGNATURE, clientId: "proof-client-0001" } });
    assert.equal(retry.status, 200, "a retry is a no-op once proved");

    const after = await realised(a.pathId);
    assert.equal(after.totals.total, 180);
    assert.equal(after.declared, 0);
    assert.equal((await realised(b.pathId)).totals.total, 150);
    assert.equal((await billing(f.fx.orderId)).realisedMinutes, 180 + 150);
    assert.equal((await certificate(a.pathId)).content.minutes.total, 180);
    const kinds = (await t.db.selectFrom("evidence").select("kind").where("slot_id", "=", slotId).orderBy("seq").execute()).map((e) => e.kind);
    assert.deepEqual(kinds, ["mark", "mark", "signature", "signature"]);
    assert.deepEqual((await verifyProofs(t.db, slotId)).broken, []);
  });

  test("CP-ATTENDANCE-REALISED (paper fallback): paper entries realise only once the scan is attached AND the trainer countersigned, in either order", async () => {
    const [a, b] = f.trainees;
    // Sheet 1: entries without a scan, countersigned → still declared (with a warning); the scan arrives → realised.
    const s1 = await insertSlot(t.db, f, { date: "2026-03-03", startsAt: "2026-03-03T08:00:00Z", endsAt: "2026-03-03T11:00:00Z" });
    assert.equal((await call("POST", `/api/attendance/slots/${s1}/paper`, { token: trainer, body: { entries: [{ pathId: a.pathId, status: "present" }, { pathId: b.pathId, status: "present" }] } })).status, 200);
    const cs = await call("POST", `/api/attendance/slots/${s1}/countersign`, { token: trainer, body: { signature: SIGNATURE } });
    assert.equal(cs.status, 200);
    assert.deepEqual(cs.body.warnings.map((w: any) => [w.code, w.details.declared]), [["CP-ATTENDANCE-REALISED", 2]]);
    const day = async (pathId: string, date: string) => (await call("GET", `/api/paths/${pathId}/realised?from=${date}&to=${date}`, { token: admin })).body;
    assert.equal((await day(a.pathId, "2026-03-03")).totals.total, 0);
    assert.equal((await day(a.pathId, "2026-03-03")).declared, 180);
    assert.equal((await call("POST", `/api/attendance/slots/${s1}/paper`, { token: trainer, body: { scan, entries: [{ pathId: a.pathId, status: "present" }] } })).status, 200);
    assert.equal((await day(a.pathId, "2026-03-03")).totals.total, 180);
    assert.equal((await day(b.pathId, "2026-03-03")).totals.total, 180);

    // Sheet 2: the scan first, not countersigned → declared; the countersignature → realised, no warning.
    const s2 = await insertSlot(t.db, f, { date: "2026-03-04", startsAt: "2026-03-04T08:00:00Z", endsAt: "2026-03-04T11:00:00Z" });
    await call("POST", `/api/attendance/slots/${s2}/paper`, { token: trainer, body: { scan, entries: [{ pathId: a.pathId, status: "present" }, { pathId: b.pathId, status: "late", lateMinutes: 20 }] } });
    assert.equal((await day(b.pathId, "2026-03-04")).totals.total, 0);
    assert.equal((await day(b.pathId, "2026-03-04")).declared, 160);
    const cs2 = await call("POST", `/api/attendance/slots/${s2}/countersign`, { token: trainer, body: { signature: SIGNATURE } });
    assert.deepEqual(cs2.body.warnings, []);
    assert.equal((await day(b.pathId, "2026-03-04")).totals.total, 160);
    const pdf = await call("GET", `/api/attendance-sheets/${s2}/pdf`, { token: admin });
    assert.equal(pdf.status, 200);

    // Sheet 3: the trainer marked A present, then enters the paper sheet: the mark becomes a paper row, proved by scan + countersignature.
    const s3 = await insertSlot(t.db, f, { date: "2026-03-06", startsAt: "2026-03-06T08:00:00Z", endsAt: "2026-03-06T11:00:00Z" });
    await mark(s3, a.pathId, "present");
    await call("POST", `/api/attendance/slots/${s3}/paper`, { token: trainer, body: { scan, entries: [{ pathId: a.pathId, status: "present" }] } });
    await call("POST", `/api/attendance/slots/${s3}/countersign`, { token: trainer, body: { signature: SIGNATURE } });
    assert.equal((await day(a.pathId, "2026-03-06")).totals.total, 180);
    assert.deepEqual((await verifyProofs(t.db, s3)).broken, []);
  });

  test("CP-EFORM-BILLING: a synchronous hour only marked by the trainer is not a group-hour; the trainee's signature makes it one", async () => {
    const adminActor = await actorOf(t.db, f.fx.adminEmail);
    const ef = await addLine(t.db, f.fx, { eFormation: true, headcount: 10, centreMinutes: 6000 });
    const p = await register(t.db, adminActor, f.fx, { orderLineId: ef.orderLineId });
    await validate([p.pathId]);
    const slotId = await insertSlot(t.db, f, { modality: "distance", date: "2026-03-05", startsAt: "2026-03-05T08:00:00Z", endsAt: "2026-03-05T10:00:00Z", start: "09:00", end: "11:00", pathIds: [p.pathId] });
    await t.db.updateTable("slot").set({ order_line_id: ef.orderLineId, site_id: null }).where("id", "=", slotId).execute();
    const line = async () => (await billing(f.fx.orderId)).lines.find((l: any) => l.orderLineId === ef.orderLineId);
    t.clock.set("2026-03-05T08:10:00Z");
    await mark(slotId, p.pathId, "present");
    assert.equal((await line()).groupMinutes, 0, "nobody signed: not billable");
    assert.equal((await line()).declaredMinutes, 120);
    const link = await call("POST", `/api/attendance/slots/${slotId}/links`, { token: trainer, body: { pathId: p.pathId, purpose: "remote" } });
    const token = new URL(link.body.url).pathname.split("/").pop();
    const signed = await call("POST", `/api/attendance/links/${token}/sign`, { body: { signature: SIGNATURE } });
    assert.equal(signed.status, 201, JSON.stringify(signed.body));
    assert.equal((await line()).groupMinutes, 120);
    assert.equal((await line()).basisMinutes, 120);
    t.clock.set("2026-03-02T08:30:00Z");
  });
});
