import { OpenAPIHono } from "@hono/zod-openapi";
import { ruleIdsInSmallPrint } from "./rule-ids.ts";
import { getCookie } from "hono/cookie";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { actorForSession, sessionCookie } from "../auth/sessions.ts";
import { databaseAnswers } from "../db/index.ts";
import { DomainError, toDomainError, TooManyAttempts } from "../errors.ts";
import "../inputs.ts"; // zod speaks French before any route parses anything
import { ErrorPage } from "../pages/layout.tsx";
import { ExpiredPage, keepForm } from "../pages/resume.tsx";
import type { AppEnv, Deps } from "./context.ts";
import { type BodyBound, invalidApiInput, limitBodies } from "./body.ts";
import { securityHeaders } from "./headers.ts";

const require = createRequire(import.meta.url);

const publicDir = fileURLToPath(new URL("../../../public/", import.meta.url));
const staticFiles: Record<string, { file: string; type: string }> = {
  "app.css": { file: `${publicDir}app.css`, type: "text/css; charset=utf-8" },
  "htmx.min.js": { file: require.resolve("htmx.org/dist/htmx.min.js"), type: "text/javascript; charset=utf-8" },
  "app.js": { file: `${publicDir}app.js`, type: "text/javascript; charset=utf-8" },
};

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

  app.get("/static/:name", async (c) => {
    const entry = staticFiles[c.req.param("name")];
    if (!entry) return c.notFound();
    return c.body(await readFile(entry.file), 200, { "content-type": entry.type, "cache-control": "public, max-age=3600" });
  });
  // Browser islands bundled by scripts/build-islands.mjs (npm run build:islands) into public/islands/.
  app.get("/static/islands/:name", async (c) => {
    const name = c.req.param("name");
    if (!/^[a-z0-9-]+\.js$/.test(name)) return c.notFound();
    const bytes = await readFile(`${publicDir}islands/${name}`).catch(() => undefined);
    if (!bytes) return c.notFound();
    return c.body(bytes, 200, { "content-type": "text/javascript; charset=utf-8", "cache-control": "no-cache" });
  });
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

