// Request helpers shared by the attendance API and pages: who is signing, and from where.
import { getCookie } from "hono/cookie";
import { clientAddress, publicUrl } from "../../core/http/client.ts";
import type { Ctx } from "../../core/http/context.ts";
import { DEVICE_COOKIE, deviceNotRegistered, deviceTrainee } from "./access.ts";
import type { SignerClaim } from "./qr-signing.ts";
import type { RequestMeta, Signer } from "./signing.ts";

/** Who signs from where, for the evidence: X-Forwarded-For counts only from TRUSTED_PROXIES (core/http/client.ts). */
export function requestMeta(c: Ctx): RequestMeta {
  return { ip: clientAddress(c), userAgent: c.req.header("user-agent") ?? null };
}

/** The trainee signing: the phone's device-bound session first, else a logged-in trainee; else 401. */
export async function signerOf(c: Ctx): Promise<Signer & { name?: string }> {
  const { db, clock } = c.get("deps");
  const device = await deviceTrainee(db, clock.now(), getCookie(c, DEVICE_COOKIE));
  if (device) return { traineeId: device.trainee_id, userId: null, via: "device", deviceId: device.id, name: `${device.first_name} ${device.last_name}` };
  const actor = c.get("actor");
  if (actor?.role === "trainee" && actor.traineeId) return { traineeId: actor.traineeId, userId: actor.userId, via: "login", name: actor.fullName };
  throw deviceNotRegistered();
}

/**
 * The signer of a QR signature without a query: with a device cookie, its token is checked by the
 * signing transaction itself (one query for a whole group of signatures), falling back to a
 * logged-in trainee as signerOf does; without one, the logged-in trainee or 401.
 */
export function signerClaimOf(c: Ctx): Signer | SignerClaim {
  const token = getCookie(c, DEVICE_COOKIE);
  const actor = c.get("actor");
  const login: Signer | undefined = actor?.role === "trainee" && actor.traineeId ? { traineeId: actor.traineeId, userId: actor.userId, via: "login" } : undefined;
  if (token) return { deviceToken: token, login };
  if (login) return login;
  throw deviceNotRegistered();
}

/** Base of the links and QR codes: PUBLIC_URL (config), never the request's Host header. */
export const baseUrl = (c: Ctx) => publicUrl(c);
