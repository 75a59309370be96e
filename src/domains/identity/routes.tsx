import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { login, logout, SESSION_COOKIE } from "../../core/auth/sessions.ts";
import { type Actor, roleLabels } from "../../core/auth/actor.ts";
import { DomainError } from "../../core/errors.ts";
import type { AppEnv, Ctx } from "../../core/http/context.ts";
import { actorOf } from "../../core/http/context.ts";
import { Field, Layout, navFor } from "../../core/pages/layout.tsx";

const LoginInput = z.object({ email: z.string().email("Adresse e-mail invalide."), password: z.string().min(1, "Mot de passe requis.") });

/** Only same-site relative paths: never bounce a user to another host after login. */
const safeNext = (next: unknown) => (typeof next === "string" && /^\/(?!\/)/.test(next) ? next : "/");

function LoginPage(props: { c: Ctx; email?: string; error?: string; next?: string }) {
  return (
    <Layout c={props.c} title="Connexion">
      <h1>Connexion</h1>
      {props.error ? (
        <div class="alert error" role="alert">
          <p>{props.error}</p>
        </div>
      ) : null}
      <form method="post" action="/connexion" class="narrow">
        <input type="hidden" name="suite" value={props.next ?? "/"} />
        <Field name="email" label="Adresse e-mail" type="email" value={props.email} required attrs={{ autocomplete: "username" }} />
        <Field name="password" label="Mot de passe" type="password" required attrs={{ autocomplete: "current-password" }} />
        <button type="submit">Se connecter</button>
      </form>
      <p>
        Vous cherchez une formation ? <a href="/catalogue">Consultez le catalogue public des sessions et informations collectives</a>, sans vous connecter.
      </p>
    </Layout>
  );
}

export function registerIdentity(app: OpenAPIHono<AppEnv>) {
  app.get("/connexion", (c) => c.html(<LoginPage c={c} next={safeNext(c.req.query("suite"))} />));

  app.post("/connexion", async (c) => {
    const body = await c.req.parseBody();
    const { db, clock, config } = c.get("deps");
    const parsed = LoginInput.safeParse(body);
    const next = safeNext(body.suite);
    const session = parsed.success ? await login(db, clock, parsed.data.email, parsed.data.password, config.sessionDays) : undefined;
    if (!session) {
      return c.html(
        <LoginPage c={c} email={String(body.email ?? "")} next={next} error="Adresse e-mail ou mot de passe incorrect." />,
        401,
      );
    }
    setCookie(c, SESSION_COOKIE, session.sessionId, {
      httpOnly: true,
      sameSite: "Lax",
      secure: config.secureCookies,
      path: "/",
      expires: session.expires,
    });
    return c.redirect(next, 303);
  });

  app.post("/deconnexion", async (c) => {
    const id = getCookie(c, SESSION_COOKIE);
    if (id) await logout(c.get("deps").db, id);
    deleteCookie(c, SESSION_COOKIE, { path: "/" });
    return c.redirect("/connexion", 303);
  });

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/auth/login",
      tags: ["Authentification"],
      summary: "Ouvrir une session et obtenir un jeton Bearer",
      request: { body: { content: { "application/json": { schema: LoginInput } }, required: true } },
      responses: {
        200: {
          description: "Session ouverte",
          content: { "application/json": { schema: z.object({ token: z.string(), expiresAt: z.string() }) } },
        },
        401: { description: "Identifiants incorrects" },
      },
    }),
    async (c) => {
      const { email, password } = c.req.valid("json");
      const { db, clock, config } = c.get("deps");
      const session = await login(db, clock, email, password, config.sessionDays);
      if (!session) throw new DomainError("INVALID_CREDENTIALS", 401, "Adresse e-mail ou mot de passe incorrect.");
      return c.json({ token: session.sessionId, expiresAt: session.expires.toISOString() }, 200);
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

  app.get("/", (c) => {
    const actor = c.get("actor");
    if (!actor) return c.redirect("/connexion");
    return c.html(
      <Layout c={c} title="Accueil">
        <h1>Bonjour {actor.fullName}</h1>
        <p>Vous êtes connecté·e en tant que {roleLabels[actor.role]}.</p>
        <HomeLinks actor={actor} />
      </Layout>,
    );
  });
}

/** The home page lists the caller's screens: the same list as the main navigation, never a copy. */
function HomeLinks(props: { actor: Actor }) {
  const items = navFor(props.actor).filter((n) => n.href !== "/");
  return (
    <nav aria-label="Vos espaces">
      <ul>
        {items.map((n) => (
          <li>
            <a href={n.href}>{n.label}</a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
