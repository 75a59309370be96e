import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { canonicalJson, chainHash } from "./evidence.ts";
import { makeCode, readCode } from "./qr.ts";
import { absenceDeclared, assistWithin2h, attendanceWindow, lateWithinSlot, methodFitsModality, qrCodeValid, realisedMinutes, selfStudyPresence } from "./rules.ts";

const slot = { starts_at: new Date("2026-03-02T08:00:00Z"), ends_at: new Date("2026-03-02T11:00:00Z") };
const at = (iso: string) => new Date(iso);
const secret = Buffer.from("secret-de-test");

describe("CP-ATTENDANCE window (starts_at − 15 min … ends_at, to the second)", () => {
  test("CP-ATTENDANCE-WINDOW: 15 min before the start passes, one second earlier fails", () => {
    assert.equal(attendanceWindow(slot, at("2026-03-02T07:45:00Z"), 15), undefined);
    assert.equal(attendanceWindow(slot, at("2026-03-02T07:44:59Z"), 15)?.code, "CP-ATTENDANCE-WINDOW");
  });
  test("CP-ATTENDANCE-WINDOW: the end instant passes, one second later fails", () => {
    assert.equal(attendanceWindow(slot, at("2026-03-02T11:00:00Z"), 15), undefined);
    assert.equal(attendanceWindow(slot, at("2026-03-02T11:00:01Z"), 15)?.code, "CP-ATTENDANCE-WINDOW");
  });
});

describe("CP-ATTENDANCE QR codes (HMAC, age)", () => {
  const issued = at("2026-03-02T08:10:00Z");
  const code = makeCode(secret, "slot-a", issued);
  test("a genuine code carries its issue time", () => {
    assert.equal(readCode(secret, "slot-a", code)?.toISOString(), issued.toISOString());
  });
  test("CP-ATTENDANCE-QR-INVALID: forged, for another slot, under another secret, or garbled", () => {
    const flipped = code.slice(0, -2) + (code.at(-2) === "A" ? "B" : "A") + code.at(-1);
    assert.equal(readCode(secret, "slot-a", flipped), undefined);
    assert.equal(readCode(secret, "slot-b", code), undefined);
    assert.equal(readCode(Buffer.from("autre"), "slot-a", code), undefined);
    assert.equal(readCode(secret, "slot-a", "pas un code !"), undefined);
    assert.equal(qrCodeValid(undefined, issued, 60)?.code, "CP-ATTENDANCE-QR-INVALID");
  });
  test("CP-ATTENDANCE-QR-EXPIRED: 60 s old passes, 61 s fails", () => {
    assert.equal(qrCodeValid(issued, new Date(issued.getTime() + 60_000), 60), undefined);
    assert.equal(qrCodeValid(issued, new Date(issued.getTime() + 61_000), 60)?.code, "CP-ATTENDANCE-QR-EXPIRED");
  });
  test("CP-ATTENDANCE-QR-INVALID: a code dated after the signature beyond the clock drift", () => {
    assert.equal(qrCodeValid(issued, new Date(issued.getTime() - 120_000), 60, 120), undefined);
    assert.equal(qrCodeValid(issued, new Date(issued.getTime() - 121_000), 60, 120)?.code, "CP-ATTENDANCE-QR-INVALID");
  });
});

describe("CP-ATTENDANCE-REALISED and lateness", () => {
  test("present = slot minutes; late = minutes − late; absent and excused = 0", () => {
    assert.equal(realisedMinutes("present", 180, 0), 180);
    assert.equal(realisedMinutes("late", 180, 25), 155);
    assert.equal(realisedMinutes("absent", 180, 0), 0);
    assert.equal(realisedMinutes("excused", 180, 0), 0);
  });
  test("CP-ATTENDANCE-LATE: 1 … minutes − 1 pass; 0 and the whole slot fail", () => {
    assert.equal(lateWithinSlot("late", 1, 180), undefined);
    assert.equal(lateWithinSlot("late", 179, 180), undefined);
    assert.equal(lateWithinSlot("late", 180, 180)?.code, "CP-ATTENDANCE-LATE");
    assert.equal(lateWithinSlot("late", 0, 180)?.code, "CP-ATTENDANCE-LATE");
    assert.equal(lateWithinSlot("present", 5, 180)?.code, "CP-ATTENDANCE-LATE");
  });
  test("CP-ATTENDANCE-METHOD: a tutor attests company slots only; remote links serve distance", () => {
    assert.equal(methodFitsModality("tutor", "company"), undefined);
    assert.equal(methodFitsModality("tutor", "centre")?.code, "CP-ATTENDANCE-METHOD");
    assert.equal(methodFitsModality("remote", "distance"), undefined);
    assert.equal(methodFitsModality("qr", "company")?.code, "CP-ATTENDANCE-METHOD");
  });
});

describe("CP-SELFSTUDY-PRESENCE, CP-ABSENCE-DECLARED, CP-SELFSTUDY-ASSIST-2H", () => {
  test("CP-SELFSTUDY-PRESENCE: a trainer cannot mark a self-study presence; an absence is fine", () => {
    assert.equal(selfStudyPresence("self_study", "present", "trainer")?.code, "CP-SELFSTUDY-PRESENCE");
    assert.equal(selfStudyPresence("self_study", "absent", "trainer"), undefined);
    assert.equal(selfStudyPresence("self_study", "present", "self_study"), undefined);
    assert.equal(selfStudyPresence("centre", "present", "trainer"), undefined);
  });
  test("CP-ABSENCE-DECLARED: lists the expected trainees without a row", () => {
    assert.deepEqual(absenceDeclared(["a", "b", "c"], ["b"])?.details?.missing, ["a", "c"]);
    assert.equal(absenceDeclared(["a"], ["a"]), undefined);
  });
  test("CP-SELFSTUDY-ASSIST-2H: answered in exactly 2 h passes, 2 h 00 min 01 s is flagged", () => {
    const asked = at("2026-03-02T08:00:00Z");
    assert.equal(assistWithin2h(asked, at("2026-03-02T10:00:00Z"), at("2026-03-02T12:00:00Z")), undefined);
    const v = assistWithin2h(asked, at("2026-03-02T10:00:01Z"), at("2026-03-02T12:00:00Z"));
    assert.equal(v?.code, "CP-SELFSTUDY-ASSIST-2H");
    assert.equal(v?.severity, "warning");
  });
  test("CP-SELFSTUDY-ASSIST-2H: a request still waiting after 2 h 00 min 01 s is flagged", () => {
    const asked = at("2026-03-02T08:00:00Z");
    assert.equal(assistWithin2h(asked, null, at("2026-03-02T10:00:00Z")), undefined);
    assert.equal(assistWithin2h(asked, null, at("2026-03-02T10:00:01Z"))?.code, "CP-SELFSTUDY-ASSIST-2H");
  });
});

describe("evidence hashing", () => {
  test("canonical JSON ignores key order (jsonb reorders keys)", () => {
    assert.equal(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: null } }), canonicalJson({ a: { c: null, d: [1, { y: 2, z: 1 }] }, b: 1 }));
  });
  test("the chain hash covers the previous hash, the payload hash, the seq and the instant", () => {
    const t = at("2026-03-02T08:00:00.123Z");
    const h = chainHash("p", "x", 1, t);
    assert.notEqual(h, chainHash(null, "x", 1, t));
    assert.notEqual(h, chainHash("p", "y", 1, t));
    assert.notEqual(h, chainHash("p", "x", 2, t));
    assert.notEqual(h, chainHash("p", "x", 1, at("2026-03-02T08:00:00.124Z")));
  });
});
