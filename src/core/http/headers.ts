// Security headers on every answer (pages, API, static files, errors). The Content-Security-Policy
// has no 'unsafe-inline': pages carry no inline script, style attribute nor event handler (app.css
// classes instead; htmx's own injected <style> is turned off by the layout's htmx-config). A
// per-response nonce is there for an element that truly must be inline: `<script nonce={c.get("cspNonce")}>`.
import { randomBytes } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import type { Config } from "../config.ts";
import type { AppEnv } from "./context.ts";

export function contentSecurityPolicy(nonce: string, tls: boolean): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self'",
    "connect-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(tls ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

export function securityHeaders(config: Pick<Config, "publicUrl">): MiddlewareHandler<AppEnv> {
  // HSTS only when the platform is served over TLS: on http://localhost it would be ignored at
  // best, and would pin a developer's browser to https for localhost at worst.
  const tls = config.publicUrl.startsWith("https://");
  return async (c, next) => {
    const nonce = randomBytes(16).toString("base64");
    c.set("cspNonce", nonce);
    await next();
    const h = c.res.headers;
    h.set("content-security-policy", contentSecurityPolicy(nonce, tls));
    h.set("x-content-type-options", "nosniff");
    h.set("referrer-policy", "same-origin"); // secret tokens in URLs (signing, reset links) never leave the site
    h.set("x-frame-options", "DENY"); // frame-ancestors for browsers that predate CSP 2
    h.set("cross-origin-opener-policy", "same-origin");
    if (tls) h.set("strict-transport-security", "max-age=31536000");
  };
}
