// POST /api/attendance/sign over a real TCP socket: its body is read from Node's stream
// (core/http/body.ts), a path app.request() never takes.
import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { serve } from "@hono/node-server";
import { createTestContext, type TestContext } from "../../../test/support/app.ts";
import { makeCode } from "./qr.ts";
import { attendanceSettings } from "./settings.ts";
import { type AttendanceFixture, attendanceFixture, deviceCookie, insertSlot, SIGNATURE } from "./testing.ts";

let t: TestContext;
let f: AttendanceFixture;
let cookie: string;
let server: ReturnType<typeof serve>;
let base: string;

before(async () => {
  t = await createTestContext("2026-03-02T08:30:00Z");
  f = await attendanceFixture(t.db, 1);
  cookie = await deviceCookie(t.db, f, f.trainees[0].traineeId);
  server = serve({ fetch: t.app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise((r) => server.once("listening", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  server?.close();
  await t?.close();
});

const post = (body: string, headers: Record<string, string> = {}) =>
  fetch(`${base}/api/attendance/sign`, { method: "POST", headers: { "content-type": "application/json", cookie, ...headers }, body });

describe("CP-ATTENDANCE signing over HTTP (body read from the socket)", () => {
  test("CP-ATTENDANCE a phone signs (201) and gets its row back without the drawn signature; the retry answers 200", async () => {
    const slotId = await insertSlot(t.db, f);
    const body = JSON.stringify({ slotId, code: makeCode(attendanceSettings().secret, slotId, new Date("2026-03-02T08:30:00Z")), signature: SIGNATURE, clientId: "socket-client-0001" });
    const first = await post(body);
    const json = (await first.json()) as { attendance: Record<string, unknown>; created: boolean };
    assert.equal(first.status, 201, JSON.stringify(json));
    assert.equal(json.created, true);
    assert.equal(json.attendance.status, "present");
    assert.equal("signature" in json.attendance, false);
    const stored = await t.db.selectFrom("attendance").select("signature").where("id", "=", String(json.attendance.id)).executeTakeFirstOrThrow();
    assert.equal(stored.signature, SIGNATURE);
    assert.equal((await post(body)).status, 200);
  });

  test("invalid input is a 400 VALIDATION problem naming the field; unreadable JSON and a non-JSON body too", async () => {
    const bad = await post(JSON.stringify({ slotId: "pas-un-uuid", code: "x", signature: SIGNATURE, clientId: "socket-client-0002" }));
    assert.equal(bad.status, 400);
    const problem = (await bad.json()) as { code: string; violations?: { field: string }[] };
    assert.equal(problem.code, "VALIDATION");
    assert.ok(JSON.stringify(problem).includes("slotId"));
    assert.equal((await post("{pas du json")).status, 400);
    assert.equal((await post("slotId=1", { "content-type": "application/x-www-form-urlencoded" })).status, 400);
  });

  test("a body over the limit (a signature of 300 kB + the other fields) is refused with 413, nothing written", async () => {
    const slotId = await insertSlot(t.db, f);
    const res = await post(JSON.stringify({ slotId, code: "x", signature: "a".repeat(330_000), clientId: "socket-client-0003" }));
    assert.equal(res.status, 413);
    assert.equal((await t.db.selectFrom("attendance").select("id").where("slot_id", "=", slotId).execute()).length, 0);
  });
});
