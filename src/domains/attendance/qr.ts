// Rotating QR codes: base64url(4-byte issue time in Unix seconds ‖ first 16 bytes of
// HMAC-SHA256(secret, "slotId:time")). The time travels in the code so that a signature queued
// offline can be checked later against the moment the code was shown.
import { createHmac, timingSafeEqual } from "node:crypto";

const MAC_BYTES = 16;

const mac = (secret: Buffer, slotId: string, seconds: number) =>
  createHmac("sha256", secret).update(`${slotId}:${seconds}`).digest().subarray(0, MAC_BYTES);

export function makeCode(secret: Buffer, slotId: string, at: Date): string {
  const seconds = Math.floor(at.getTime() / 1000);
  const time = Buffer.alloc(4);
  time.writeUInt32BE(seconds);
  return Buffer.concat([time, mac(secret, slotId, seconds)]).toString("base64url");
}

/** The code's issue instant when its HMAC is genuine for this slot; undefined when forged or garbled. */
export function readCode(secret: Buffer, slotId: string, code: string): Date | undefined {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(code)) return undefined;
  const raw = Buffer.from(code, "base64url");
  if (raw.length !== 4 + MAC_BYTES) return undefined;
  const seconds = raw.readUInt32BE(0);
  // Constant-time comparison: no timing oracle on how many bytes matched.
  if (!timingSafeEqual(raw.subarray(4), mac(secret, slotId, seconds))) return undefined;
  return new Date(seconds * 1000);
}
