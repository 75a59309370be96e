// Pages and API of passwords: « Mon compte » (change, the current password required), « Mot de passe
// oublié » (a link by mail, same answer for every address) and the reset link's page.
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { ChangePasswordInput, changePassword, PASSWORD_MIN, requestPasswordReset, resetLinkUsable, resetPassword } from "../../core/auth/passwords.ts";
import { roleLabels } from "../../core/auth/actor.ts";
import { DomainError } from "../../core/errors.ts";
import { clientAddress } from "../../core/http/client.ts";
import type { AppEnv, Ctx } from "../../core/http/context.ts";
import { actorOf, depsOf } from "../../core/http/context.ts";
import { PUBLIC_CSRF_FIELD, publicCsrfToken, requirePublicCsrf } from "../../core/http/public-csrf.ts";
import { type FormBody, attempt, formBody, str } from "../../core/pages/forms.ts";
import { CsrfField, errorFor, Field, Layout } from "../../core/pages/layout.tsx";
import { email } from "../../core/inputs.ts";
import type { Violation } from "../../core/rules.ts";

const HINT = `${PASSWORD_MIN} caractères au moins ; une phrase de plusieurs mots est plus sûre et plus facile à retenir.`;
const MISMATCH: Violation = { code: "VALIDATION", severity: "error", message: "Les deux saisies du nouveau mot de passe diffèrent.", article: "", field: "newPasswordConfirm" };

function Errors(props: { violations: Violation[]; fields: string[] }) {
  const general = props.violations.filter((v) => !v.field || !props.fields.includes(v.field));
  return general.length ? (
    <div class="alert error" role="alert">
      {general.map((v) => (
        <p>{v.message}</p>
      ))}
    </div>
  ) : null;
}

function AccountPage(props: { c: Ctx; violations?: Violation[]; done?: boolean }) {
  const a = actorOf(props.c);
  const vs = props.violations ?? [];
  return (
    <Layout c={props.c} title="Mon compte">
      <h1>Mon compte</h1>
      <dl>
        <dt>Nom</dt>
        <dd>{a.fullName}</dd>
        <dt>Adresse e-mail</dt>
        <dd>{a.email}</dd>
        <dt>Rôle</dt>
        <dd>{roleLabels[a.role]}</dd>
      </dl>
      <p>
        <a href="/mes-donnees">Mes données personnelles</a> : les télécharger, voir qui a consulté mon dossier.
      </p>
      <h2>Changer mon mot de passe</h2>
      {props.done ? (
        <p class="alert success" role="status">
          Votre mot de passe est modifié. Vos autres sessions ont été fermées.
        </p>
      ) : null}
      <Errors violations={vs} fields={["currentPassword", "newPassword", "newPasswordConfirm"]} />
      <form method="post" action="/mon-compte/mot-de-passe" class="narrow">
        <CsrfField c={props.c} />
        <Field name="currentPassword" label="Mot de passe actuel" type="password" required error={errorFor(vs, "currentPassword")} attrs={{ autocomplete: "current-password" }} />
        <Field name="newPassword" label="Nouveau mot de passe" type="password" required hint={HINT} error={errorFor(vs, "newPassword")} attrs={{ autocomplete: "new-password", minlength: PASSWORD_MIN }} />
        <Field name="newPasswordConfirm" label="Nouveau mot de passe (confirmation)" type="password" required error={errorFor(vs, "newPasswordConfirm")} attrs={{ autocomplete: "new-password" }} />
        <button type="submit">Changer mon mot de passe</button>
      </form>
    </Layout>
  );
}

const SENT = (minutes: number) =>
  `Si un compte actif correspond à cette adresse, un lien pour choisir un nouveau mot de passe vient de lui être envoyé. Il est valable ${minutes} minutes et ne sert qu'une fois.`;

function ForgotPage(props: { c: Ctx; email?: string; violations?: Violation[]; sent?: boolean }) {
  const vs = props.violations ?? [];
  return (
    <Layout c={props.c} title="Mot de passe oublié">
      <h1>Mot de passe oublié</h1>
      {props.sent ? (
        <p class="alert success" role="status">
          {SENT(depsOf(props.c).config.passwordResetMinutes)}
        </p>
      ) : (
        <p>Indiquez l'adresse e-mail de votre compte : vous recevrez un lien pour choisir un nouveau mot de passe.</p>
      )}
      <Errors violations={vs} fields={["email"]} />
      <form method="post" action="/mot-de-passe-oublie" class="narrow">
        <CsrfField c={props.c} />
        <input type="hidden" name={PUBLIC_CSRF_FIELD} value={publicCsrfToken(props.c)} />
        <Field name="email" label="Adresse e-mail" type="email" value={props.email} required error={errorFor(vs, "email")} attrs={{ autocomplete: "username" }} />
        <button type="submit">Recevoir un lien</button>
      </form>
      <p>
        <a href="/connexion">Retour à la connexion</a>
      </p>
    </Layout>
  );
}

function ResetPage(props: { c: Ctx; token: string; usable: boolean; violations?: Violation[] }) {
  const vs = props.violations ?? [];
  return (
    <Layout c={props.c} title="Nouveau mot de passe">
      <h1>Choisir un nouveau mot de passe</h1>
      {props.usable ? (
        <>
          <Errors violations={vs} fields={["newPassword", "newPasswordConfirm"]} />
          <form method="post" action={`/mot-de-passe/nouveau/${props.token}`} class="narrow">
            <CsrfField c={props.c} />
            <Field name="newPassword" label="Nouveau mot de passe" type="password" required hint={HINT} error={errorFor(vs, "newPassword")} attrs={{ autocomplete: "new-password", minlength: PASSWORD_MIN }} />
            <Field name="newPasswordConfirm" label="Nouveau mot de passe (confirmation)" type="password" required error={errorFor(vs, "newPasswordConfirm")} attrs={{ autocomplete: "new-password" }} />
            <button type="submit">Enregistrer mon mot de passe</button>
          </form>
        </>
      ) : (
        <div class="alert error" role="alert">
          <p>Ce lien de réinitialisation n'est plus valable (déjà utilisé, remplacé ou expiré).</p>
          <p>
            <a href="/mot-de-passe-oublie">Demander un nouveau lien</a>
          </p>
        </div>
      )}
    </Layout>
  );
}

const confirmed = (b: FormBody) => str(b, "newPassword") === str(b, "newPasswordConfirm");
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export function registerPasswords(app: OpenAPIHono<AppEnv>) {
  app.get("/mon-compte", (c) => c.html(<AccountPage c={c} done={c.req.query("ok") === "1"} />));

  app.post("/mon-compte/mot-de-passe", async (c) => {
    const actor = actorOf(c);
    const { db, clock, config } = depsOf(c);
    const b = await formBody(c);
    if (!confirmed(b)) return c.html(<AccountPage c={c} violations={[MISMATCH]} />, 422);
    const r = await attempt(async () => {
      const input = ChangePasswordInput.safeParse({ currentPassword: str(b, "currentPassword"), newPassword: str(b, "newPassword") });
      if (!input.success) throw DomainError.fromViolations(input.error.issues.map((i) => ({ code: "VALIDATION", severity: "error", message: i.message, article: "", field: String(i.path[0]) })));
      await changePassword(db, clock, config, actor, c.get("sessionToken"), input.data);
    });
    if (!r.ok) return c.html(<AccountPage c={c} violations={r.violations} />, 422);
    return c.redirect("/mon-compte?ok=1", 303);
  });

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/me/password",
      tags: ["Authentification"],
      summary: "Changer son mot de passe (le mot de passe actuel est requis ; les autres sessions sont fermées)",
      security: [{ bearer: [] }],
      request: { body: { content: { "application/json": { schema: ChangePasswordInput } }, required: true } },
      responses: { 204: { description: "Mot de passe changé" }, 422: { description: "Mot de passe actuel incorrect ou nouveau mot de passe refusé" }, 429: { description: "Trop de tentatives" } },
    }),
    async (c) => {
      const { db, clock, config } = depsOf(c);
      await changePassword(db, clock, config, actorOf(c), c.get("sessionToken"), c.req.valid("json"));
      return c.body(null, 204);
    },
  );

  app.get("/mot-de-passe-oublie", (c) => {
    c.header("cache-control", "no-store");
    return c.html(<ForgotPage c={c} />);
  });

  app.post("/mot-de-passe-oublie", async (c) => {
    const { db, clock, config } = depsOf(c);
    const b = await formBody(c);
    const typed = str(b, "email");
    c.header("cache-control", "no-store");
    const r = await attempt(async () => {
      requirePublicCsrf(c, str(b, PUBLIC_CSRF_FIELD));
      const address = email().safeParse(typed);
      if (!address.success) throw DomainError.fromViolations([{ code: "VALIDATION", severity: "error", message: "Adresse e-mail invalide.", article: "", field: "email" }]);
      await requestPasswordReset(db, clock, config, address.data, clientAddress(c));
    });
    if (!r.ok) return c.html(<ForgotPage c={c} email={typed} violations={r.violations} />, 422);
    return c.html(<ForgotPage c={c} sent />);
  });

  app.get("/mot-de-passe/nouveau/:token", async (c) => {
    const token = c.req.param("token");
    const { db, clock } = depsOf(c);
    const usable = TOKEN.test(token) && (await resetLinkUsable(db, clock, token));
    c.header("cache-control", "no-store");
    return c.html(<ResetPage c={c} token={token} usable={usable} />, usable ? 200 : 410);
  });

  app.post("/mot-de-passe/nouveau/:token", async (c) => {
    const token = c.req.param("token");
    const { db, clock, config } = depsOf(c);
    const b = await formBody(c);
    if (!TOKEN.test(token)) return c.html(<ResetPage c={c} token={token} usable={false} />, 410);
    if (!confirmed(b)) return c.html(<ResetPage c={c} token={token} usable violations={[MISMATCH]} />, 422);
    try {
      const r = await attempt(() => resetPassword(db, clock, config, token, str(b, "newPassword")));
      if (!r.ok) return c.html(<ResetPage c={c} token={token} usable violations={r.violations} />, 422);
    } catch (e) {
      if (e instanceof DomainError && e.code === "RESET_LINK_INVALID") return c.html(<ResetPage c={c} token={token} usable={false} />, 410);
      throw e;
    }
    return c.redirect("/connexion?info=nouveau-mot-de-passe", 303);
  });
}
