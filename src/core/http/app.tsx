import { OpenAPIHono } from "@hono/zod-openapi";
import { ruleIdsInSmallPrint } from "./rule-ids.ts";
import { getCookie } from "hono/cookie";
import { actorForSession, sessionCookie } from "../auth/sessions.ts";
import { databaseAnswers } from "../db/index.ts";
import { DomainError, toDomainError, TooManyAttempts } from "../errors.ts";
import "../inputs.ts"; // zod speaks French before any route parses anything
import { ErrorPage } from "../pages/layout.tsx";
import { ExpiredPage, keepForm } from "../pages/resume.tsx";
import { assets } from "./assets.ts";
import type { AppEnv, Ctx, Deps } from "./context.ts";
import { type BodyBound, invalidApiInput, limitBodies } from "./body.ts";
import { securityHeaders } from "./headers.ts";

function problemResponse(error: DomainError, instance: string) {
  return new Response(JSON.stringify(error.toProblem(instance)), {
    status: error.status,
    headers: { "content-type": "application/problem+json; charset=utf-8" },
  });
}

/**
 * The HTTP shell every domain plugs into: context, caller, CSRF, static files, errors. `register`
 * adds the routes (the composition root, src/app/, passes them: core never imports a domain).
 */
export function createApp(deps: Deps, register: (app: OpenAPIHono<AppEnv>) => void, uploads: BodyBound[] = []) {
  const app = new OpenAPIHono<AppEnv>({
    // Invalid API input: RFC 9457 body listing each field with a French message.
    defaultHook: (result, c) => {
      if (!result.success) return problemResponse(invalidApiInput(result.error), c.req.path);
    },
  });

  // Security headers wrap everything, errors and refusals included.
  app.use("*", securityHeaders(deps.config));
  app.use("*", ruleIdsInSmallPrint()); // rule IDs inside French texts in small print (issue 10, point 3)
  // Then: nothing reads a body (not even the CSRF check below) before its size is bounded.
  app.use("*", limitBodies(uploads));
  app.use("*", async (c, next) => {
    c.set("deps", deps);
    const bearer = c.req.header("authorization")?.match(/^Bearer (.+)$/)?.[1];
    const sessionId = bearer ?? getCookie(c, sessionCookie(deps.config));
    if (sessionId) {
      const found = await actorForSession(deps.db, deps.clock, sessionId, deps.config.sessionIdleMinutes);
      if (found) {
        c.set("actor", found.actor);
        c.set("csrfToken", found.csrfToken);
        c.set("sessionToken", sessionId);
        // CSRF: a cookie-authenticated write must echo the session's token (form field or header).
        if (!bearer && !["GET", "HEAD", "OPTIONS"].includes(c.req.method)) {
          const header = c.req.header("x-csrf-token");
          let sent = header;
          if (!sent && (c.req.header("content-type") ?? "").match(/form/)) {
            const body = await c.req.parseBody({ all: true });
            sent = typeof body._csrf === "string" ? body._csrf : undefined;
          }
          if (sent !== found.csrfToken) {
            throw new DomainError("CSRF", 403, "Le formulaire a expiré : rechargez la page et recommencez.");
          }
        }
      }
    }
    await next();
  });

  // Static assets (assets.ts, ADR 0028): fingerprinted names cached for good, brotli/gzip by Accept-Encoding.
  const staticFile = (c: Ctx, name: string) =>
    assets.serve(name, { acceptEncoding: c.req.header("accept-encoding"), ifNoneMatch: c.req.header("if-none-match") }) ?? c.notFound();
  app.get("/static/:name", (c) => staticFile(c, c.req.param("name")));
  // Pages without the <link rel="icon"> (a PDF, a feed opened in a tab) still get an icon, not a 404 in the console.
  app.get("/favicon.ico", (c) => c.redirect(assets.url("favicon.svg"), 301));
  // Browser islands bundled by scripts/build-islands.mjs (npm run build:islands) into public/islands/.
  app.get("/static/islands/:name", (c) => staticFile(c, `islands/${c.req.param("name")}`));
  // For the load balancer: a process whose database is away is taken out of rotation (503) until it returns.
  app.get("/health", async (c) =>
    (await databaseAnswers(deps.db)) ? c.json({ status: "ok", database: "ok" }) : c.json({ status: "unavailable", database: "unavailable" }, 503),
  );

  register(app);

  app.doc31("/api/openapi.json", {
    openapi: "3.1.0",
    info: { title: "Compétences Plus — API", version: "0.1.0", description: "API JSON de la plateforme Compétences Plus (Région Occitanie). Authentification : `POST /api/auth/login` renvoie un jeton à passer en `Authorization: Bearer`. Erreurs : `application/problem+json` dont `code` est l'identifiant de la règle." },
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "bearer", { type: "http", scheme: "bearer" });

  app.onError(async (error, c) => {
    const domain = toDomainError(error);
    const isApi = c.req.path.startsWith("/api/");
    if (!domain) {
      console.error(error);
      const e = new DomainError("INTERNAL", 500, "Une erreur inattendue est survenue. Rien n'a été enregistré.");
      return isApi ? problemResponse(e, c.req.path) : c.html(<ErrorPage c={c} error={e} />, 500);
    }
    if (domain instanceof TooManyAttempts) c.header("retry-after", String(domain.retryAfterSeconds));
    if (isApi) {
      const res = problemResponse(domain, c.req.path);
      if (domain instanceof TooManyAttempts) res.headers.set("retry-after", String(domain.retryAfterSeconds));
      return res;
    }
    // (A signed-in caller refused by a signer-only route is not an expired session, nor is a request without a session cookie.)
    const expiredSession = !c.get("actor") && !!getCookie(c, sessionCookie(deps.config));
    if (domain.status === 401 && expiredSession && c.req.method === "POST" && /urlencoded|multipart/.test(c.req.header("content-type") ?? "")) {
      // Session expired under a form: sign in again without losing what was typed (core/pages/resume.tsx).
      const kept = keepForm((await c.req.parseBody({ all: true }).catch(() => ({}))) as Record<string, unknown>);
      if (kept) {
        c.header("cache-control", "no-store");
        return c.html(<ExpiredPage c={c} next={c.req.path} kept={kept} />, 401);
      }
    }
    if (domain.status === 401) return c.redirect(`/connexion?suite=${encodeURIComponent(c.req.path)}`);
    return c.html(<ErrorPage c={c} error={domain} />, domain.status as 400);
  });
  // A refused form re-renders at the URL it was posted to; reloading it or coming back to it there
  // (a GET) must not be a 404 (issue 10, point 2): the page of the object it belongs to is one step up.
  let postOnly: RegExp[] | undefined;
  const isFormAction = (path: string) => {
    postOnly ??= app.routes
      .filter((r) => r.method === "POST" && !r.path.startsWith("/api/") && r.path !== "/*")
      .map((r) => new RegExp(`^${r.path.split("/").map((seg) => (seg.startsWith(":") ? "[^/]+" : seg === "*" ? ".*" : seg.replace(/[.+?^${}()|[\]\\*]/g, "\\$&"))).join("/")}$`));
    return postOnly.some((re) => re.test(path));
  };
  app.notFound((c) => {
    if (c.req.method === "GET" && !c.req.path.startsWith("/api/") && isFormAction(c.req.path)) {
      return c.redirect(c.req.path.replace(/\/[^/]*\/?$/, "") || "/", 303);
    }
    const e = new DomainError("NOT_FOUND", 404, "Cette page n'existe pas.");
    return c.req.path.startsWith("/api/") ? problemResponse(e, c.req.path) : c.html(<ErrorPage c={c} error={e} />, 404);
  });
  return app;
}

