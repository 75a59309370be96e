// CP-WEBCONF on the component page (/eformation/composantes/:id): the provider's form for its
// virtual-class tool (the rule's capability checklist) and learning platform; the Region's review
// (accept, or refuse with its reason). The routes live with the component page (pages.tsx).
import type { Ctx } from "../../core/http/context.ts";
import { actorOf } from "../../core/http/context.ts";
import { type FormBody, str, strs } from "../../core/pages/forms.ts";
import { CsrfField, errorFor, Field, ViolationList } from "../../core/pages/layout.tsx";
import type { Violation } from "../../core/rules.ts";
import { dateTimeFr } from "../../core/french.ts";
import { WEBCONF_CAPABILITIES, type WebconfCapability, webconfWording } from "./rules.ts";
import type { DB } from "../../core/db/schema.ts";
import type { Selectable } from "kysely";

export type Webconf = Selectable<DB["eformation_webconf"]>;
export type WebconfFailed = { form: "declare" | "decide"; values: FormBody; violations: Violation[] };

const CAPS = Object.keys(WEBCONF_CAPABILITIES) as WebconfCapability[];

/** The form's body → the JSON input of declareWebconf (unchecked boxes are false: the rule names each missing one). */
export function webconfInput(body: FormBody) {
  const caps = strs(body, "capabilities");
  const platform = str(body, "platform");
  return {
    toolName: str(body, "toolName"),
    ...Object.fromEntries(CAPS.map((k) => [k, caps.includes(k)])),
    platform,
    platformName: platform === "own" ? str(body, "platformName") || undefined : undefined,
    platformUrl: platform === "own" ? str(body, "platformUrl") || undefined : undefined,
  };
}

/** A missing capability's violation points at its checkbox (f-cap-…); the rest keep their field. */
const capsField = (vs: Violation[]) => vs.map((v) => (v.field && (CAPS as string[]).includes(v.field) ? { ...v, field: `cap-${v.field}` } : v));

export function WebconfSection(props: { c: Ctx; componentId: string; providerId: string; webconf: Webconf | null; writer: boolean; failed?: WebconfFailed }) {
  const { c, webconf: w, writer, failed } = props;
  const actor = actorOf(c);
  const isRegion = actor.role === "region_officer";
  const declare = failed?.form === "declare" ? failed : undefined;
  const decide = failed?.form === "decide" ? failed : undefined;
  const dv = declare ? capsField(declare.violations) : [];
  const capErrors = dv.filter((v) => v.field?.startsWith("cap-")).map((v) => v.message);
  const checked = (k: WebconfCapability) => (declare ? strs(declare.values, "capabilities").includes(k) : w ? w[k] : false);
  const platform = declare ? str(declare.values, "platform") : (w?.platform ?? "region_moodle");
  const base = `/eformation/composantes/${props.componentId}/outils`;
  return (
    <section aria-labelledby="webconf-title">
      <h2 id="webconf-title">Classe virtuelle et plateforme d'apprentissage (CP-WEBCONF)</h2>
      {!w ? (
        <p>Aucune déclaration d'outils pour l'instant.</p>
      ) : (
        <>
          <dl class="facts">
            <dt>Outil de classe virtuelle</dt>
            <dd>{w.tool_name}</dd>
            <dt>Plateforme d'apprentissage</dt>
            <dd>
              {w.platform === "region_moodle" ? (
                "Moodle de la Région"
              ) : (
                <>
                  {w.platform_name} — <a href={w.platform_url ?? "#"} rel="noopener noreferrer">{w.platform_url}</a>
                </>
              )}
            </dd>
            <dt>Examen par la Région</dt>
            <dd>
              <strong>{webconfWording.labels[w.status]}</strong>
              {w.region_reason ? ` — motif : ${w.region_reason}` : ""}
              {w.decided_at ? ` (le ${dateTimeFr(new Date(w.decided_at))})` : ` (déclarée le ${dateTimeFr(new Date(w.submitted_at))})`}
            </dd>
          </dl>
          <ul aria-label="Capacités de l'outil déclaré">
            {CAPS.map((k) => (
              <li>
                {WEBCONF_CAPABILITIES[k]} : {w[k] ? "oui" : <strong>non</strong>}
              </li>
            ))}
          </ul>
        </>
      )}
      {isRegion && w?.status === "submitted" ? (
        <form method="post" action={`${base}/decision`}>
          <h3>Examiner la déclaration</h3>
          <CsrfField c={c} />
          {decide ? <ViolationList violations={decide.violations} title="La décision n'a pas été enregistrée" /> : null}
          <div class={decide && errorFor(decide.violations, "reason") ? "field has-error" : "field"}>
            <label for="f-reason">Motif (obligatoire pour un refus)</label>
            <textarea id="f-reason" name="reason" rows={2} maxlength={2000}>
              {decide ? str(decide.values, "reason") : ""}
            </textarea>
            {decide && errorFor(decide.violations, "reason") ? <p class="field-error">{errorFor(decide.violations, "reason")}</p> : null}
          </div>
          <button type="submit" name="decision" value="accepted">
            Accepter les outils
          </button>{" "}
          <button type="submit" name="decision" value="refused">
            Refuser les outils
          </button>
        </form>
      ) : null}
      {writer ? (
        <form method="post" action={base}>
          <h3>{w ? "Modifier la déclaration (retourne à l'examen de la Région)" : "Déclarer les outils"}</h3>
          <CsrfField c={c} />
          {declare ? <ViolationList violations={dv} title="La déclaration n'a pas été enregistrée" /> : null}
          <Field name="toolName" label="Outil de classe virtuelle" value={declare ? str(declare.values, "toolName") : (w?.tool_name ?? "")} required attrs={{ maxlength: 200 }} error={errorFor(dv, "toolName")} />
          <fieldset aria-describedby={capErrors.length ? "f-capabilities-err" : undefined}>
            <legend>Capacités de l'outil (toutes exigées)</legend>
            {CAPS.map((k) => (
              <div>
                <input type="checkbox" id={`f-cap-${k}`} name="capabilities" value={k} checked={checked(k)} />
                <label for={`f-cap-${k}`}>{WEBCONF_CAPABILITIES[k]}</label>
              </div>
            ))}
            {capErrors.length ? (
              <p class="field-error" id="f-capabilities-err">
                {capErrors.join(" ")}
              </p>
            ) : null}
          </fieldset>
          <fieldset>
            <legend>Plateforme d'apprentissage</legend>
            <div>
              <input type="radio" id="f-platform-moodle" name="platform" value="region_moodle" checked={platform === "region_moodle"} />
              <label for="f-platform-moodle">Le Moodle de la Région</label>
            </div>
            <div>
              <input type="radio" id="f-platform-own" name="platform" value="own" checked={platform === "own"} />
              <label for="f-platform-own">Notre propre plateforme</label>
            </div>
          </fieldset>
          <Field name="platformName" label="Nom de votre plateforme" value={declare ? str(declare.values, "platformName") : (w?.platform_name ?? "")} hint="Si vous utilisez votre propre plateforme." attrs={{ maxlength: 200 }} error={errorFor(dv, "platformName")} />
          <Field name="platformUrl" label="Adresse de votre plateforme" type="url" value={declare ? str(declare.values, "platformUrl") : (w?.platform_url ?? "")} hint="https://…" attrs={{ maxlength: 500 }} error={errorFor(dv, "platformUrl")} />
          <button type="submit">Envoyer la déclaration à la Région</button>
        </form>
      ) : null}
    </section>
  );
}
