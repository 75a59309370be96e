import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createTestContext, createUser, type TestContext } from "../../../test/support/app.ts";
import { makeCode } from "./qr.ts";
import { attendanceSettings } from "./settings.ts";
import { type AttendanceFixture, attendanceFixture, deviceCookie, insertSlot, SIGNATURE } from "./testing.ts";

let t: TestContext;
let f: AttendanceFixture;
let cookieA: string;
let cookieB: string;
let trainerToken: string;

/** A JSON call with an optional device cookie or bearer token. */
async function call(method: string, path: string, opts: { cookie?: string; token?: string; body?: unknown } = {}) {
  const headers: Record<string, string> = { "user-agent": "test-phone" };
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

const code = (slotId: string, iso: string) => makeCode(attendanceSettings().secret, slotId, new Date(iso));
let n = 0;
const sign = (slotId: string, cookie: string, c: string, extra: Record<string, unknown> = {}) =>
  call("POST", "/api/attendance/sign", { cookie, body: { slotId, code: c, signature: SIGNATURE, clientId: `client-${++n}-abcdef`, ...extra } });

before(async () => {
  t = await createTestContext("2026-03-02T08:30:00Z");
  f = await attendanceFixture(t.db, 2);
  cookieA = await deviceCookie(t.db, f, f.trainees[0].traineeId);
  cookieB = await deviceCookie(t.db, f, f.trainees[1].traineeId);
  trainerToken = await t.login(f.trainerEmail);
});
after(() => t?.close());

describe("QR signing from a device-bound session (CP-ATTENDANCE)", () => {
  test("the trainer opens a planned slot and gets a rotating code; the trainee signs once (201), retries give the same row (200)", async () => {
    const slotId = await insertSlot(t.db, f, { status: "planned" });
    assert.equal((await call("GET", `/api/attendance/slots/${slotId}/qr`, { token: trainerToken })).status, 409);
    assert.equal((await call("POST", `/api/attendance/slots/${slotId}/open`, { token: trainerToken })).status, 204);
    const qr = await call("GET", `/api/attendance/slots/${slotId}/qr`, { token: trainerToken });
    assert.equal(qr.status, 200);
    assert.match(qr.body.url, new RegExp(`/signer/${slotId}\\?c=`));
    const body = { slotId, code: qr.body.code, signature: SIGNATURE, clientId: "retry-client-0001" };
    const first = await call("POST", "/api/attendance/sign", { cookie: cookieA, body });
    assert.equal(first.status, 201, JSON.stringify(first.body));
    assert.equal(first.body.attendance.method, "qr");
    assert.equal(first.body.attendance.realised_minutes, 180);
    const again = await call("POST", "/api/attendance/sign", { cookie: cookieA, body });
    assert.equal(again.status, 200);
    assert.equal(again.body.attendance.id, first.body.attendance.id);
    const otherClient = await call("POST", "/api/attendance/sign", { cookie: cookieA, body: { ...body, clientId: "retry-client-0002" } });
    assert.equal(otherClient.status, 200);
    assert.equal(otherClient.body.created, false);
    const rows = await t.db.selectFrom("attendance").select("id").where("slot_id", "=", slotId).execute();
    assert.equal(rows.length, 1);
    const evidence = await t.db.selectFrom("evidence").selectAll().where("slot_id", "=", slotId).execute();
    assert.equal(evidence.length, 1);
    assert.equal(evidence[0].user_agent, "test-phone");
  });

  test("CP-ATTENDANCE-QR-EXPIRED: a code 60 s old passes, 61 s old fails", async () => {
    const slotId = await insertSlot(t.db, f);
    t.clock.set("2026-03-02T08:31:00Z");
    assert.equal((await sign(slotId, cookieA, code(slotId, "2026-03-02T08:30:00Z"))).status, 201);
    t.clock.set("2026-03-02T08:31:01Z");
    const late = await sign(slotId, cookieB, code(slotId, "2026-03-02T08:30:00Z"));
    assert.equal(late.status, 422);
    assert.equal(late.body.code, "CP-ATTENDANCE-QR-EXPIRED");
    t.clock.set("2026-03-02T08:30:00Z");
  });

  test("CP-ATTENDANCE-QR-INVALID: a forged code and another slot's code are refused", async () => {
    const slotId = await insertSlot(t.db, f);
    const other = await insertSlot(t.db, f);
    const genuine = code(slotId, "2026-03-02T08:30:00Z");
    const forged = genuine.slice(0, -3) + (genuine.at(-3) === "x" ? "y" : "x") + genuine.slice(-2);
    assert.equal((await sign(slotId, cookieA, forged)).body.code, "CP-ATTENDANCE-QR-INVALID");
    assert.equal((await sign(slotId, cookieA, code(other, "2026-03-02T08:30:00Z"))).body.code, "CP-ATTENDANCE-QR-INVALID");
  });

  test("CP-ATTENDANCE-WINDOW: opens 15 min before the start and closes at the end, to the second", async () => {
    const edges: [string, number][] = [
      ["2026-03-02T07:44:59Z", 422],
      ["2026-03-02T07:45:00Z", 201],
      ["2026-03-02T11:00:00Z", 201],
      ["2026-03-02T11:00:01Z", 422],
    ];
    for (const [now, status] of edges) {
      const slotId = await insertSlot(t.db, f, { pathIds: [f.trainees[0].pathId] });
      t.clock.set(now);
      const r = await sign(slotId, cookieA, code(slotId, now));
      assert.equal(r.status, status, `${now}: ${JSON.stringify(r.body)}`);
      if (status === 422) assert.equal(r.body.code, "CP-ATTENDANCE-WINDOW");
    }
    t.clock.set("2026-03-02T08:30:00Z");
  });

  test("a trainee not expected on the slot, or someone else's device, cannot sign (403); no device → 401", async () => {
    const slotId = await insertSlot(t.db, f, { pathIds: [f.trainees[0].pathId] });
    const c = code(slotId, "2026-03-02T08:30:00Z");
    const r = await sign(slotId, cookieB, c);
    assert.equal(r.status, 403);
    assert.equal(r.body.code, "CP-ATTENDANCE-NOT-EXPECTED");
    assert.equal((await sign(slotId, "cp_device=inconnu", c)).status, 401);
    assert.equal((await sign(slotId, "", c)).status, 401);
  });

  test("a planned (not opened) slot refuses live signatures", async () => {
    const slotId = await insertSlot(t.db, f, { status: "planned" });
    const r = await sign(slotId, cookieA, code(slotId, "2026-03-02T08:30:00Z"));
    assert.equal(r.body.code, "CP-ATTENDANCE-SLOT-STATUS");
  });

  test("offline queue: a signature drawn inside the window with a then-valid code is accepted once, hours later", async () => {
    const slotId = await insertSlot(t.db, f);
    t.clock.set("2026-03-02T14:00:00Z"); // received after the slot's end
    const c = code(slotId, "2026-03-02T08:40:00Z");
    const body = { slotId, code: c, signature: SIGNATURE, clientId: "queued-client-0001", signedAt: "2026-03-02T08:41:00Z" };
    const ok = await call("POST", "/api/attendance/sign", { cookie: cookieA, body });
    assert.equal(ok.status, 201, JSON.stringify(ok.body));
    assert.equal(new Date(ok.body.attendance.signed_at).toISOString(), "2026-03-02T08:41:00.000Z");
    assert.equal((await call("POST", "/api/attendance/sign", { cookie: cookieA, body })).status, 200);
    // The code was 61 s old when the queued signature was drawn.
    const stale = await call("POST", "/api/attendance/sign", { cookie: cookieB, body: { ...body, clientId: "queued-client-0002", signedAt: "2026-03-02T08:41:01Z" } });
    assert.equal(stale.body.code, "CP-ATTENDANCE-QR-EXPIRED");
    // A signedAt after the window is refused, whatever the code.
    const outside = await call("POST", "/api/attendance/sign", { cookie: cookieB, body: { ...body, code: code(slotId, "2026-03-02T11:00:30Z"), clientId: "queued-client-0003", signedAt: "2026-03-02T11:00:31Z" } });
    assert.equal(outside.body.code, "CP-ATTENDANCE-WINDOW");
    // A signedAt in the future (beyond the tolerated drift) is refused.
    const future = await call("POST", "/api/attendance/sign", { cookie: cookieB, body: { ...body, clientId: "queued-client-0004", signedAt: "2026-03-02T15:00:00Z" } });
    assert.equal(future.body.code, "CP-ATTENDANCE-WINDOW");
    t.clock.set("2026-03-02T08:30:00Z");
  });

  test("CP-ATTENDANCE (signed in time): a queued signature received 72 h after it was drawn passes, 72 h 00 min 01 s later is refused; the code's issue and the receipt are stored", async () => {
    const slotId = await insertSlot(t.db, f);
    const drawn = { slotId, code: code(slotId, "2026-03-02T08:40:00Z"), signature: SIGNATURE, signedAt: "2026-03-02T08:40:30Z" };
    t.clock.set("2026-03-05T08:40:31Z"); // 72 h 00 min 01 s after it was drawn
    const late = await call("POST", "/api/attendance/sign", { cookie: cookieB, body: { ...drawn, clientId: "queued-late-0001" } });
    assert.equal(late.status, 422, JSON.stringify(late.body));
    assert.equal(late.body.code, "CP-ATTENDANCE-QUEUE-DELAY");
    assert.match(late.body.detail ?? JSON.stringify(late.body), /trop tard/);
    t.clock.set("2026-03-05T08:40:30Z"); // exactly 72 h
    const ok = await call("POST", "/api/attendance/sign", { cookie: cookieA, body: { ...drawn, clientId: "queued-late-0002" } });
    assert.equal(ok.status, 201, JSON.stringify(ok.body));
    const row = await t.db.selectFrom("attendance").select(["signed_at", "received_at", "code_issued_at"]).where("id", "=", ok.body.attendance.id).executeTakeFirstOrThrow();
    assert.equal(new Date(row.signed_at!).toISOString(), "2026-03-02T08:40:30.000Z");
    assert.equal(new Date(row.received_at).toISOString(), "2026-03-05T08:40:30.000Z");
    assert.equal(new Date(row.code_issued_at!).toISOString(), "2026-03-02T08:40:00.000Z");
    t.clock.set("2026-03-02T08:30:00Z");
  });

  test("a trainee whose account the Region deactivated can no longer sign from their registered phone (401), alone or in a group; reactivated, it signs again", async () => {
    const userId = await createUser(t.db, { email: "stagiaire-desactive@exemple.fr", role: "trainee", traineeId: f.trainees[1].traineeId });
    const phone = await deviceCookie(t.db, f, f.trainees[1].traineeId);
    const slotId = await insertSlot(t.db, f);
    await t.db.updateTable("app_user").set({ active: false }).where("id", "=", userId).execute();
    const c = code(slotId, "2026-03-02T08:30:00Z");
    const [refused, other] = await Promise.all([sign(slotId, phone, c), sign(slotId, cookieA, c)]);
    assert.equal(refused.status, 401, JSON.stringify(refused.body));
    assert.equal(other.status, 201, "the rest of the room signs");
    await t.db.updateTable("app_user").set({ active: true }).where("id", "=", userId).execute();
    assert.equal((await sign(slotId, phone, c)).status, 201);
  });

  test("the same client id on another slot is a conflict (409)", async () => {
    const s1 = await insertSlot(t.db, f);
    const s2 = await insertSlot(t.db, f);
    const body = { code: "", signature: SIGNATURE, clientId: "shared-client-0001" };
    assert.equal((await call("POST", "/api/attendance/sign", { cookie: cookieA, body: { ...body, slotId: s1, code: code(s1, "2026-03-02T08:30:00Z") } })).status, 201);
    const r = await call("POST", "/api/attendance/sign", { cookie: cookieA, body: { ...body, slotId: s2, code: code(s2, "2026-03-02T08:30:00Z") } });
    assert.equal(r.status, 409);
  });
});

describe("device-bound sessions", () => {
  test("an enrolment link works once; a revoked device can no longer sign", async () => {
    const admin = await t.login(f.fx.adminEmail);
    const enrol = await call("POST", "/api/attendance/devices", { token: admin, body: { traineeId: f.trainees[0].traineeId, label: "Android" } });
    assert.equal(enrol.status, 201);
    const path = new URL(enrol.body.url).pathname;
    const claim = await t.app.request(path, { method: "POST" });
    assert.equal(claim.status, 303);
    const setCookie = claim.headers.get("set-cookie") ?? "";
    assert.match(setCookie, /cp_device=.+HttpOnly/i);
    assert.match(setCookie, /SameSite=Lax/i);
    const cookie = setCookie.split(";")[0];
    assert.equal((await t.app.request(path, { method: "POST" })).status, 410);
    const slotId = await insertSlot(t.db, f);
    const page = await t.app.request(`/signer/${slotId}?c=${code(slotId, "2026-03-02T08:30:00Z")}`, { headers: { cookie } });
    assert.equal(page.status, 200);
    assert.match(await page.text(), /Signer ma présence/);
    assert.equal((await call("DELETE", `/api/attendance/devices/${enrol.body.id}`, { token: admin })).status, 204);
    assert.equal((await sign(slotId, cookie, code(slotId, "2026-03-02T08:30:00Z"))).status, 401);
  });

  test("another provider cannot enrol or revoke this provider's trainees (404)", async () => {
    const g = await attendanceFixture(t.db, 0);
    const other = await t.login(g.fx.adminEmail);
    assert.equal((await call("POST", "/api/attendance/devices", { token: other, body: { traineeId: f.trainees[0].traineeId } })).status, 404);
  });
});
