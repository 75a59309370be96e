// CSRF for the forms posted before any session exists (login, forgotten password): a double-submit
// token. The page sets a random cookie and puts the same value in the form; the POST must carry
// both, equal. Another site can make a browser post the form, but cannot read nor set the cookie,
// so it cannot log a victim into the attacker's account (login CSRF) nor post in their name.
import { timingSafeEqual } from "node:crypto";
import { getCookie, setCookie } from "hono/cookie";
import { newToken } from "../auth/sessions.ts";
import { DomainError } from "../errors.ts";
import type { Ctx } from "./context.ts";

/** Form field of the pre-session token (the session's own token stays `_csrf`). */
export const PUBLIC_CSRF_FIELD = "_csrf_public";

/** `__Host-` when Secure: the cookie then cannot be set by a sibling sub-domain nor over plain http. */
const cookieName = (c: Ctx) => (c.get("deps").config.secureCookies ? "__Host-cp_form" : "cp_form");

/** The token for this browser (set as a cookie when it has none yet): put it in the form. */
export function publicCsrfToken(c: Ctx): string {
  const name = cookieName(c);
  const current = getCookie(c, name);
  if (current && /^[A-Za-z0-9_-]{43}$/.test(current)) return current;
  const token = newToken();
  setCookie(c, name, token, { httpOnly: true, sameSite: "Lax", secure: c.get("deps").config.secureCookies, path: "/", maxAge: 12 * 3600 });
  return token;
}

/** Refuses (403 CSRF) a form whose pre-session token is missing or differs from the cookie's. */
export function requirePublicCsrf(c: Ctx, sent: unknown): void {
  const cookie = getCookie(c, cookieName(c));
  const a = Buffer.from(typeof sent === "string" ? sent : "");
  const b = Buffer.from(cookie ?? "");
  const ok = a.length > 0 && a.length === b.length && timingSafeEqual(a, b);
  if (!ok) throw new DomainError("CSRF", 403, "Le formulaire a expiré : rechargez la page et recommencez.");
}
