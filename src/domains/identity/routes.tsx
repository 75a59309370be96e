import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { email, PASSWORD_MAX } from "../../core/inputs.ts";
import { z } from "zod";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { login, type LoginResult, logout, sessionCookie } from "../../core/auth/sessions.ts";
import { waitText } from "../../core/auth/throttle.ts";
import { DomainError, TooManyAttempts } from "../../core/errors.ts";
import { clientAddress } from "../../core/http/client.ts";
import type { AppEnv, Ctx } from "../../core/http/context.ts";
import { actorOf, secondsUntil } from "../../core/http/context.ts";
import { PUBLIC_CSRF_FIELD, publicCsrfToken, requirePublicCsrf } from "../../core/http/public-csrf.ts";
import { CsrfField, Field, Layout } from "../../core/pages/layout.tsx";
import { readKeptForm, RESUME_FIELD, ResumePage } from "../../core/pages/resume.tsx";
import { registerAccounts } from "./accounts.tsx";
import { registerPasswords } from "./passwords.tsx";
import { safeNext } from "./redirect.ts";

const LoginInput = z.object({ email: email(), password: z.string().min(1, "Mot de passe requis.").max(PASSWORD_MAX, "Mot de passe trop long.") });

const REFUSED = "Adresse e-mail ou mot de passe incorrect.";
const DEACTIVATED = "Ce compte est désactivé : adressez-vous à la Région pour le réactiver.";
const lockedText = (seconds: number) =>
  `Trop de tentatives de connexion : réessayez dans ${waitText(seconds)}, ou choisissez un nouveau mot de passe avec « Mot de passe oublié ».`;

const NOTICES: Record<string, string> = {
  "nouveau-mot-de-passe": "Votre nouveau mot de passe est enregistré : connectez-vous avec lui.",
};

function LoginPage(props: { c: Ctx; email?: string; error?: string; notice?: string; next?: string; kept?: string }) {
  return (
    <Layout c={props.c} title="Connexion">
      <h1>Connexion</h1>
      {props.error ? (
        <div class="alert error" role="alert">
          <p>{props.error}</p>
        </div>
      ) : null}
      {props.notice ? (
        <p class="alert success" role="status">
          {props.notice}
        </p>
      ) : null}
      <form method="post" action="/connexion" class="narrow">
        <CsrfField c={props.c} />
        <input type="hidden" name={PUBLIC_CSRF_FIELD} value={publicCsrfToken(props.c)} />
        <input type="hidden" name="suite" value={props.next ?? "/"} />
        {props.kept ? <input type="hidden" name={RESUME_FIELD} value={props.kept} /> : null}
        <Field name="email" label="Adresse e-mail" type="email" value={props.email} required attrs={{ autocomplete: "username" }} />
        <Field name="password" label="Mot de passe" type="password" required attrs={{ autocomplete: "current-password" }} />
        <button type="submit">Se connecter</button>
      </form>
      <p>
        <a href="/mot-de-passe-oublie">Mot de passe oublié ?</a>
      </p>
      <p>
        Vous cherchez une formation ? <a href="/catalogue">Consultez le catalogue public des sessions et informations collectives</a>, sans vous connecter.
      </p>
    </Layout>
  );
}

/** The client's address for the lockout (behind TRUSTED_PROXIES only: core/http/client.ts). */
const attempt = (c: Ctx, email: string, password: string): Promise<LoginResult> => {
  const { db, clock, config } = c.get("deps");
  return login(db, clock, config, email, password, clientAddress(c));
};

export function registerIdentity(app: OpenAPIHono<AppEnv>) {
  app.get("/connexion", (c) => {
    c.header("cache-control", "no-store");
    return c.html(<LoginPage c={c} next={safeNext(c.req.query("suite"))} notice={NOTICES[c.req.query("info") ?? ""]} />);
  });

  app.post("/connexion", async (c) => {
    const body = await c.req.parseBody();
    const { clock, config } = c.get("deps");
    const next = safeNext(body.suite);
    const typed = String(body.email ?? "");
    const keptForm = readKeptForm(body[RESUME_FIELD]);
    const kept = keptForm ? JSON.stringify(keptForm) : undefined;
    c.header("cache-control", "no-store");
    try {
      requirePublicCsrf(c, body[PUBLIC_CSRF_FIELD]);
    } catch (e) {
      return c.html(<LoginPage c={c} email={typed} next={next} kept={kept} error={(e as DomainError).detail} />, 403);
    }
    const parsed = LoginInput.safeParse(body);
    const result: LoginResult = parsed.success ? await attempt(c, parsed.data.email, parsed.data.password) : { kind: "refused" };
    if (result.kind === "locked") {
      c.header("retry-after", String(result.retryAfterSeconds));
      return c.html(<LoginPage c={c} email={typed} next={next} kept={kept} error={lockedText(result.retryAfterSeconds)} />, 429);
    }
    if (result.kind === "deactivated") return c.html(<LoginPage c={c} email={typed} next={next} kept={kept} error={DEACTIVATED} />, 403);
    if (result.kind === "refused") return c.html(<LoginPage c={c} email={typed} next={next} kept={kept} error={REFUSED} />, 401);
    setCookie(c, sessionCookie(config), result.session.sessionId, {
      httpOnly: true,
      sameSite: "Lax",
      secure: config.secureCookies,
      path: "/",
      maxAge: secondsUntil(result.session.expires, clock.now()),
    });
    if (keptForm && next !== "/") return c.html(<ResumePage c={c} action={next} kept={keptForm} csrf={result.session.csrfToken} />);
    return c.redirect(next, 303);
  });

  app.post("/deconnexion", async (c) => {
    const { db, config } = c.get("deps");
    const token = getCookie(c, sessionCookie(config));
    if (token) await logout(db, token);
    deleteCookie(c, sessionCookie(config), { path: "/", secure: config.secureCookies });
    return c.redirect("/connexion", 303);
  });

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/auth/login",
      tags: ["Authentification"],
      summary: "Ouvrir une session et obtenir un jeton Bearer",
      description: `Après LOGIN_MAX_FAILURES échecs pour une adresse (ou trop d'échecs depuis une même adresse IP) dans la fenêtre LOGIN_LOCK_MINUTES, la connexion est refusée (429, en-tête Retry-After) sans vérifier le mot de passe.`,
      request: { body: { content: { "application/json": { schema: LoginInput } }, required: true } },
      responses: {
        200: {
          description: "Session ouverte",
          content: { "application/json": { schema: z.object({ token: z.string(), expiresAt: z.string() }) } },
        },
        401: { description: "Identifiants incorrects" },
        403: { description: "Compte désactivé" },
        429: { description: "Trop de tentatives : réessayer après Retry-After secondes" },
      },
    }),
    async (c) => {
      const { email, password } = c.req.valid("json");
      const result = await attempt(c, email, password);
      if (result.kind === "locked") throw new TooManyAttempts("LOGIN_LOCKED", lockedText(result.retryAfterSeconds), result.retryAfterSeconds);
      if (result.kind === "deactivated") throw new DomainError("ACCOUNT_DEACTIVATED", 403, DEACTIVATED);
      if (result.kind === "refused") throw new DomainError("INVALID_CREDENTIALS", 401, REFUSED);
      return c.json({ token: result.session.sessionId, expiresAt: result.session.expires.toISOString() }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/me",
      tags: ["Authentification"],
      summary: "L'utilisateur connecté",
      security: [{ bearer: [] }],
      responses: { 200: { description: "Utilisateur", content: { "application/json": { schema: z.object({ userId: z.string(), role: z.string(), fullName: z.string(), providerId: z.string().nullable() }) } } } },
    }),
    (c) => {
      const a = actorOf(c);
      return c.json({ userId: a.userId, role: a.role, fullName: a.fullName, providerId: a.providerId }, 200);
    },
  );

  registerPasswords(app);
  registerAccounts(app);
}
