import type { Child } from "hono/jsx";
import type { Actor } from "../auth/actor.ts";
import { roleLabels } from "../auth/actor.ts";
import type { DomainError } from "../errors.ts";
import { assets } from "../http/assets.ts";
import type { Ctx } from "../http/context.ts";
import type { Violation } from "../rules.ts";
import { LEGAL_PAGES } from "./legal-pages.ts";
import { isRuleId, RuleRef, RuleText } from "./rule-ref.tsx";

interface NavItem {
  href: string;
  label: string;
}

export function navFor(actor: Actor | undefined): NavItem[] {
  if (!actor) return [];
  switch (actor.role) {
    case "region_officer":
      return [
        { href: "/", label: "Accueil" },
        { href: "/lots", label: "Lots" },
        { href: "/organismes", label: "Organismes" },
        { href: "/offre", label: "Offres" },
        { href: "/commandes", label: "Commandes" },
        { href: "/sessions", label: "Sessions" },
        { href: "/prescripteurs", label: "Prescripteurs" },
        { href: "/recrutement/continuations", label: "Suites de parcours" },
        { href: "/documents", label: "Documents" },
        { href: "/preuves", label: "Preuves d'émargement" },
        { href: "/suivis", label: "Suivis de sortie" },
        { href: "/savoir-etre", label: "Savoir-être" },
        { href: "/comptes", label: "Comptes" },
        { href: "/ami", label: "AMI modernisation" },
        { href: "/rgpd", label: "Données personnelles" },
        { href: "/demandes", label: "Demandes" },
        { href: "/tableau-de-bord", label: "Tableau de bord" },
        { href: "/conformite", label: "Conformité" },
        { href: "/sites-acces", label: "Sites d'accès" },
        { href: "/periodes", label: "Périodes en entreprise" },
        { href: "/contributions", label: "Participations interdites" },
        { href: "/equipes-pedagogiques/avis", label: "Équipes pédagogiques" },
        { href: "/eformation", label: "E-formation" },
      ];
    case "provider_admin":
    case "pedagogical_referent":
    case "trainer":
      return [
        { href: "/", label: "Accueil" },
        { href: "/offre", label: "Offre" },
        { href: "/commandes", label: "Commandes" },
        { href: "/sessions", label: "Sessions" },
        { href: "/candidatures", label: "Candidatures" },
        { href: "/stagiaires", label: "Stagiaires" },
        { href: "/documents", label: "Documents" },
        { href: "/planning", label: "Planning" },
        { href: "/emargement", label: "Émargement" },
        { href: "/suivis", label: "Suivis de sortie" },
        { href: "/organisme", label: "Organisme et référents" },
        { href: "/formateurs", label: "Formateurs" },
        { href: "/ami", label: "AMI modernisation" },
        { href: "/demandes", label: "Demandes" },
        { href: "/contributions", label: "Participations interdites" },
        { href: "/tableau-de-bord", label: "Tableau de bord" },
        { href: "/sites-acces", label: "Sites d'accès" },
        { href: "/entreprises", label: "Entreprises" },
        { href: "/periodes", label: "Périodes en entreprise" },
        { href: "/eformation", label: "E-formation" },
      ];
    case "prescriber":
      return [
        { href: "/", label: "Accueil" },
        { href: "/prescriptions", label: "Mes prescriptions" },
        { href: "/continuations", label: "Fiches navettes" },
        { href: "/syntheses", label: "Synthèses" },
      ];
    case "trainee":
      return [
        { href: "/", label: "Accueil" },
        { href: "/mon-parcours", label: "Mon parcours" },
        { href: "/mon-planning", label: "Mon planning" },
        { href: "/signer", label: "Émarger" },
        { href: "/mes-stages", label: "Mes stages" },
      ];
    case "expert":
      return [
        { href: "/", label: "Accueil" },
        { href: "/ami", label: "AMI modernisation" },
      ];
    case "access_site_staff":
      // CP-EFORM-SITES: their own site's day only.
      return actor.accessSiteId
        ? [
            { href: "/", label: "Accueil" },
            { href: `/sites-acces/${actor.accessSiteId}/jour`, label: "Journée du site" },
          ]
        : [{ href: "/", label: "Accueil" }];
    default:
      return [{ href: "/", label: "Accueil" }];
  }
}

function NavList(props: { items: NavItem[]; path: string; class?: string }) {
  const current = (href: string) => (href === "/" ? props.path === "/" : props.path.startsWith(href));
  return (
    <ul class={props.class}>
      {props.items.map((n) => (
        <li>
          <a href={n.href} aria-current={current(n.href) ? "page" : undefined}>
            {n.label}
          </a>
        </li>
      ))}
    </ul>
  );
}

/** The dev/demo mailbox (/boite-mail) is linked from the header whenever it exists (DEV_MAILBOX, no SMTP). */
function mailboxOn(c: Ctx): boolean {
  const config = (c.get("deps") as { config?: { devMailbox?: boolean; smtpUrl?: string } } | undefined)?.config;
  return Boolean(config?.devMailbox && !config.smtpUrl);
}

/** htmx without its injected <style> (its rules are in app.css) nor eval: the CSP allows neither. */
const HTMX_CONFIG = JSON.stringify({ includeIndicatorStyles: false, allowEval: false });

export function Layout(props: { c: Ctx; title: string; children: Child; wide?: boolean }) {
  const actor = props.c.get("actor");
  const csrf = props.c.get("csrfToken");
  const path = props.c.req.path;
  const nav = navFor(actor);
  return (
    <html lang="fr">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} — Compétences Plus`}</title>
        <meta name="htmx-config" content={HTMX_CONFIG} />
        <link rel="icon" type="image/svg+xml" href={assets.url("favicon.svg")} />
        <link rel="stylesheet" href={assets.url("app.css")} />
        <script src={assets.url("htmx.min.js")} defer></script>
        <script src={assets.url("app.js")} defer></script>
      </head>
      <body hx-headers={csrf ? JSON.stringify({ "x-csrf-token": csrf }) : undefined}>
        <a class="skip" href="#contenu">
          Aller au contenu
        </a>
        <header class="site-header">
          <div class="brand">
            <a href="/">Compétences Plus</a>
            <span class="brand-sub">Région Occitanie — PRF 2023–2026</span>
          </div>
          {actor ? (
            <div class="who">
              <span>
                {actor.fullName} <span class="muted">({roleLabels[actor.role]})</span>
              </span>
              <a href="/mon-compte">Mon compte</a>
              {mailboxOn(props.c) ? <a href="/boite-mail">Boîte mail (démo)</a> : null}
              <form method="post" action="/deconnexion">
                <input type="hidden" name="_csrf" value={csrf ?? ""} />
                <button type="submit" class="link">
                  Se déconnecter
                </button>
              </form>
            </div>
          ) : null}
        </header>
        {nav.length > 0 ? (
          // The full list on a wide screen; under 40 rem the same list folds into a « Menu » <details>,
          // which opens without JavaScript. Only one of the two is displayed (the other is display:none,
          // so neither screen readers nor the keyboard meet the links twice).
          <nav aria-label="Navigation principale" class="main-nav">
            <NavList items={nav} path={path} class="nav-wide" />
            <details class="nav-menu">
              <summary>Menu</summary>
              <NavList items={nav} path={path} />
            </details>
          </nav>
        ) : null}
        <main id="contenu" class={props.wide ? "wide" : undefined} tabindex={-1}>
          {props.children}
        </main>
        <footer class="site-footer">
          <p>Plateforme Compétences Plus — dispositif financé par la Région Occitanie, sans cofinancement FSE.</p>
          <ul class="footer-links">
            {LEGAL_PAGES.map((l) => (
              <li>
                <a href={l.href}>{l.label}</a>
              </li>
            ))}
          </ul>
        </footer>
      </body>
    </html>
  );
}

export function ErrorPage(props: { c: Ctx; error: DomainError }) {
  return (
    <Layout c={props.c} title="Erreur">
      <h1>{props.error.status === 404 ? "Page introuvable" : props.error.status === 403 ? "Accès refusé" : "Erreur"}</h1>
      <p role="alert">{props.error.detail}</p>
      <p>
        <a href="/">Retour à l'accueil</a>
      </p>
    </Layout>
  );
}

/** Each violation once (two checks may raise the same one). */
const once = (vs: Violation[]) => {
  const seen = new Set<string>();
  return vs.filter((v) => {
    const key = `${v.severity}|${v.code}|${v.field ?? ""}|${v.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
};

/** The id of a form field's control (Field, Select and the pages' own controls use `f-<name>`). */
export const fieldId = (name: string) => `f-${name}`;

/**
 * The violations of a rule check, errors first. Errors open as an error summary (issue 10, point 2):
 * announced (role=alert), focused when the page loads (autofocus on a tabindex=-1 box, plus
 * public/app.js for older browsers), each item a link to its field when it has one; the message is
 * also shown next to the field. « Toutes les règles… sont respectées » only when the caller says the
 * list is a complete check (`ok`), never on an empty form nor beside a refusal. `id` marks a live
 * panel (swapped by htmx): it is never focused.
 */
export function ViolationList(props: { violations: Violation[]; id?: string; title?: string; ok?: boolean }) {
  const all = once(props.violations);
  const errors = all.filter((v) => v.severity === "error");
  const warnings = all.filter((v) => v.severity === "warning");
  return (
    <div id={props.id} class="checks" aria-live={props.id ? "polite" : undefined}>
      {props.ok && errors.length === 0 && warnings.length === 0 ? <p class="ok">Toutes les règles du dispositif sont respectées.</p> : null}
      {errors.length > 0 ? (
        <div class="alert error error-summary" role="alert" tabindex={-1} autofocus={props.id ? undefined : true}>
          <h2>{props.title ?? "Règles non respectées"}</h2>
          <ul>
            {errors.map((v) => (
              <li data-code={v.code}>
                {v.field ? (
                  <a href={`#${fieldId(v.field)}`}>
                    <RuleText text={v.message} />
                  </a>
                ) : isRuleId(v.code) ? (
                  <>
                    <RuleRef code={v.code} strong /> — <RuleText text={v.message} />
                  </>
                ) : (
                  <RuleText text={v.message} />
                )}{" "}
                {v.article ? <span class="article">({v.article})</span> : null}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {warnings.length > 0 ? (
        <div class="alert warning">
          <h2>Avertissements de conformité</h2>
          <ul>
            {warnings.map((v) => (
              <li data-code={v.code}>
                {isRuleId(v.code) ? (
                  <>
                    <RuleRef code={v.code} strong /> —{" "}
                  </>
                ) : null}
                <RuleText text={v.message} /> {v.article ? <span class="article">({v.article})</span> : null}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}

/** The id of a field's control: `f-<name>`, or `f-<form>-<name>` when several forms share a page. */
const controlId = (props: { form?: string; name: string }) => (props.form ? `f-${props.form}-${props.name}` : fieldId(props.name));

/** A labelled form field with its error (if any) tied to it for screen readers. */
export function Field(props: {
  /** Several forms on one page: each control's id carries its form's prefix. */
  form?: string;
  name: string;
  label: string;
  value?: string | number | null;
  type?: string;
  required?: boolean;
  hint?: string;
  error?: string;
  attrs?: Record<string, string | number | boolean | undefined>;
}) {
  const id = controlId(props);
  const describedBy = [props.hint ? `${id}-hint` : "", props.error ? `${id}-err` : ""].filter(Boolean).join(" ");
  return (
    <div class={props.error ? "field has-error" : "field"}>
      <label for={id}>
        {props.label}
        {props.required ? <span aria-hidden="true"> *</span> : null}
      </label>
      {props.hint ? (
        <p class="hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      ) : null}
      <input
        id={id}
        name={props.name}
        type={props.type ?? "text"}
        value={props.value ?? ""}
        required={props.required}
        aria-invalid={props.error ? "true" : undefined}
        aria-describedby={describedBy || undefined}
        {...(props.attrs ?? {})}
      />
      {props.error ? (
        <p class="field-error" id={`${id}-err`}>
          {props.error}
        </p>
      ) : null}
    </div>
  );
}

export function Select(props: {
  /** Several forms on one page: each control's id carries its form's prefix. */
  form?: string;
  name: string;
  label: string;
  options: { value: string; label: string }[];
  value?: string | null;
  required?: boolean;
  error?: string;
  emptyLabel?: string;
  attrs?: Record<string, string | number | boolean | undefined>;
}) {
  const id = controlId(props);
  return (
    <div class={props.error ? "field has-error" : "field"}>
      <label for={id}>
        {props.label}
        {props.required ? <span aria-hidden="true"> *</span> : null}
      </label>
      <select
        id={id}
        name={props.name}
        required={props.required}
        aria-invalid={props.error ? "true" : undefined}
        aria-describedby={props.error ? `${id}-err` : undefined}
        {...(props.attrs ?? {})}
      >
        {props.emptyLabel !== undefined ? <option value="">{props.emptyLabel}</option> : null}
        {props.options.map((o) => (
          <option value={o.value} selected={o.value === props.value}>
            {o.label}
          </option>
        ))}
      </select>
      {props.error ? (
        <p class="field-error" id={`${id}-err`}>
          {props.error}
        </p>
      ) : null}
    </div>
  );
}

export function CsrfField(props: { c: Ctx }) {
  return <input type="hidden" name="_csrf" value={props.c.get("csrfToken") ?? ""} />;
}

/** The first violation message for a field, to show next to it. */
export const errorFor = (violations: Violation[], field: string) =>
  violations.find((v) => v.field === field && v.severity === "error")?.message;
