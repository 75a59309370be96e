// A form posted after the session expired keeps what was typed (issue 10, point 2): the sign-in page
// carries the posted fields (text only, no password nor token, size-limited) and, once signed in, a
// page sends them again to the same-origin form URL with the new session's CSRF token, on a click.
import { PUBLIC_CSRF_FIELD, publicCsrfToken } from "../http/public-csrf.ts";
import type { Ctx } from "../http/context.ts";
import { Field, Layout } from "./layout.tsx";

export const RESUME_FIELD = "reprise";
/** The kept form, as JSON, at most this long (a larger one is not kept). */
export const RESUME_MAX = 16 * 1024;
const NAME = /^[A-Za-z0-9_.\-[\]]{1,100}$/;
const SECRET = /^_csrf|password|mot-de-passe|motdepasse|token|jeton/i;

export type KeptForm = [string, string][];

/** The text fields of a posted form worth keeping, or undefined when none (or too large). */
export function keepForm(body: Record<string, unknown>): string | undefined {
  const kept: KeptForm = [];
  for (const [name, value] of Object.entries(body)) {
    if (!NAME.test(name) || SECRET.test(name)) continue;
    for (const v of Array.isArray(value) ? value : [value]) if (typeof v === "string") kept.push([name, v]);
  }
  const json = JSON.stringify(kept);
  return kept.length > 0 && json.length <= RESUME_MAX ? json : undefined;
}

/** The kept form read back from the sign-in form (anything malformed is dropped). */
export function readKeptForm(raw: unknown): KeptForm | undefined {
  if (typeof raw !== "string" || raw.length === 0 || raw.length > RESUME_MAX) return undefined;
  try {
    const parsed: unknown = JSON.parse(raw);
    if (!Array.isArray(parsed)) return undefined;
    const ok = parsed.filter((p): p is [string, string] => Array.isArray(p) && p.length === 2 && typeof p[0] === "string" && typeof p[1] === "string" && NAME.test(p[0]) && !SECRET.test(p[0]));
    return ok.length > 0 ? ok : undefined;
  } catch {
    return undefined;
  }
}

/** The sign-in page shown instead of the refused post: it keeps the form. */
export function ExpiredPage(props: { c: Ctx; next: string; kept: string }) {
  return (
    <Layout c={props.c} title="Session expirée">
      <h1>Votre session a expiré</h1>
      <p class="alert warning" role="alert">
        Votre saisie n'est pas perdue : reconnectez-vous, puis renvoyez-la d'un clic.
      </p>
      <form method="post" action="/connexion" class="narrow">
        <input type="hidden" name={PUBLIC_CSRF_FIELD} value={publicCsrfToken(props.c)} />
        <input type="hidden" name="suite" value={props.next} />
        <input type="hidden" name={RESUME_FIELD} value={props.kept} />
        <Field name="email" label="Adresse e-mail" type="email" required attrs={{ autocomplete: "username" }} />
        <Field name="password" label="Mot de passe" type="password" required attrs={{ autocomplete: "current-password" }} />
        <button type="submit">Se connecter</button>
      </form>
    </Layout>
  );
}

/** After sign-in: the kept form, sent again to where it was going. */
export function ResumePage(props: { c: Ctx; action: string; kept: KeptForm; csrf: string }) {
  return (
    <Layout c={props.c} title="Reprendre votre saisie">
      <h1>Reprendre votre saisie</h1>
      <p>Vous êtes reconnecté·e. Le formulaire que vous aviez envoyé a été conservé : renvoyez-le pour l'enregistrer.</p>
      <form method="post" action={props.action}>
        <input type="hidden" name="_csrf" value={props.csrf} />
        {props.kept.map(([name, value]) => (
          <input type="hidden" name={name} value={value} />
        ))}
        <button type="submit" autofocus>
          Renvoyer le formulaire
        </button>
      </form>
      <p>
        <a href="/">Abandonner et aller à l'accueil</a>
      </p>
    </Layout>
  );
}
