// The path builder: modules followed, exempted or left out, hours per module, a company period,
// dates — with the rule checks refreshed live by htmx as the user types (no page reload).
import { de } from "../../../core/french.ts";
import type { Ctx } from "../../../core/http/context.ts";
import { CsrfField, Layout, ViolationList } from "../../../core/pages/layout.tsx";
import type { Violation } from "../../../core/rules.ts";
import { formatMinutes } from "../../../core/rules.ts";
import { formatDateFr } from "../../../core/time.ts";
import type { PathEvaluation } from "../evaluate.ts";
import type { PathDetail } from "../queries.ts";
import { modalityLabels, StatusBadge, TotalsTable } from "./labels.tsx";
import type { FormBody, PlanFormErrors } from "./form.ts";
import { Table } from "../../../core/pages/table.tsx";

const v = (body: FormBody, k: string) => (typeof body[k] === "string" ? (body[k] as string) : "");

/** The live panel: totals and violations (swapped by htmx into #verifications). */
export function ChecksPanel(props: { evaluation?: PathEvaluation; extra?: Violation[] }) {
  const violations = [...(props.extra ?? []), ...(props.evaluation?.violations ?? [])];
  return (
    <section id="verifications" aria-labelledby="verif-title" class="card">
      <h2 id="verif-title">Vérification des règles</h2>
      <ViolationList violations={violations} title="Le parcours ne peut pas être enregistré" ok={!!props.evaluation} />
      {props.evaluation ? <TotalsTable planned={props.evaluation.planned} caption="Heures prévues par modalité" /> : null}
    </section>
  );
}

export function BuilderPage(props: {
  c: Ctx;
  detail: PathDetail;
  body: FormBody;
  evaluation?: PathEvaluation;
  formErrors?: PlanFormErrors;
  violations?: Violation[];
  saved?: boolean;
}) {
  const { detail, body } = props;
  const h = detail.head;
  const errors = props.formErrors ?? {};
  const fieldError = (name: string) => errors[name] ?? props.violations?.find((x) => x.field === name && x.severity === "error")?.message;
  const readjusting = h.status === "validated";
  return (
    <Layout c={props.c} title={`Parcours ${de(`${h.first_name} ${h.last_name}`)}`} wide>
      <p>
        <a href={`/parcours/${h.id}`}>← Retour au parcours</a>
      </p>
      <h1>
        Construire le parcours {de(`${h.first_name} ${h.last_name}`)} <StatusBadge status={h.status} />
      </h1>
      <p class="muted">
        {h.component_title} — commande {h.order_number} (du {formatDateFr(h.planned_start)} au {formatDateFr(h.planned_end)}) —
        {h.e_formation ? " composante Occitanie e-formation" : h.hybrid_status === "approved" ? " modalité hybride acceptée" : " modalité hybride non acceptée"}
      </p>
      {props.saved ? (
        <div class="alert success" role="status">
          <p>Parcours enregistré.</p>
        </div>
      ) : null}
      <div class="builder">
        <form
          method="post"
          action={`/parcours/${h.id}/construire`}
          id="builder"
          hx-post={`/parcours/${h.id}/verifier`}
          hx-trigger="input changed delay:400ms, change"
          hx-target="#verifications"
          hx-swap="outerHTML"
        >
          <CsrfField c={props.c} />
          <fieldset>
            <legend>Dates et lieu</legend>
            <div class="grid">
              <div class={fieldError("entryDate") ? "field has-error" : "field"}>
                <label for="f-entryDate">Date d'entrée (premier jour, positionnement compris)</label>
                <input type="date" id="f-entryDate" name="entryDate" value={v(body, "entryDate")} required aria-describedby={fieldError("entryDate") ? "f-entryDate-err" : undefined} />
                {fieldError("entryDate") ? <p class="field-error" id="f-entryDate-err">{fieldError("entryDate")}</p> : null}
              </div>
              <div class={fieldError("plannedExitDate") ? "field has-error" : "field"}>
                <label for="f-plannedExitDate">Date de sortie prévue</label>
                <input type="date" id="f-plannedExitDate" name="plannedExitDate" value={v(body, "plannedExitDate")} required aria-describedby={fieldError("plannedExitDate") ? "f-plannedExitDate-err" : undefined} />
                {fieldError("plannedExitDate") ? <p class="field-error" id="f-plannedExitDate-err">{fieldError("plannedExitDate")}</p> : null}
              </div>
              <div class="field">
                <label for="f-siteId">Site de réalisation</label>
                <select id="f-siteId" name="siteId">
                  {detail.sites.map((s) => (
                    <option value={s.id} selected={s.id === v(body, "siteId")}>
                      {s.name} ({s.commune})
                    </option>
                  ))}
                </select>
              </div>
            </div>
          </fieldset>
          <Table label="Modules de la composante">
            <caption>Modules de la composante</caption>
            <thead>
              <tr>
                <th scope="col">Module</th>
                <th scope="col">Modalité</th>
                <th scope="col">Dans le parcours</th>
                <th scope="col">Heures prévues</th>
                <th scope="col">Motif de dispense / lieu</th>
              </tr>
            </thead>
            <tbody>
              {detail.modules.map((m) => {
                const status = v(body, `status_${m.id}`) || "skip";
                const minErr = errors[`minutes_${m.id}`];
                const reasonErr = errors[`reason_${m.id}`];
                return (
                  <tr>
                    <th scope="row">
                      {m.title}
                      <br />
                      <span class="muted">{formatMinutes(m.minutes)} au programme</span>
                    </th>
                    <td>{modalityLabels[m.modality]}</td>
                    <td>
                      <label class="visually-hidden" for={`status_${m.id}`}>
                        {`Statut du module ${m.title}`}
                      </label>
                      <select id={`status_${m.id}`} name={`status_${m.id}`}>
                        <option value="follow" selected={status === "follow"}>Suivi</option>
                        <option value="exempt" selected={status === "exempt"}>Dispensé (positionnement)</option>
                        <option value="skip" selected={status === "skip"}>Non retenu</option>
                      </select>
                    </td>
                    <td>
                      <label class="visually-hidden" for={`minutes_${m.id}`}>
                        {`Heures prévues pour ${m.title}`}
                      </label>
                      <input
                        id={`minutes_${m.id}`}
                        name={`minutes_${m.id}`}
                        value={v(body, `minutes_${m.id}`)}
                        size={6}
                        inputmode="text"
                        aria-invalid={minErr ? "true" : undefined}
                        aria-describedby={minErr ? `minutes_${m.id}-err` : undefined}
                      />
                      {minErr ? <p class="field-error" id={`minutes_${m.id}-err`}>{minErr}</p> : null}
                    </td>
                    <td>
                      {m.modality === "self_study" ? (
                        <>
                          <label for={`location_${m.id}`}>Lieu de l'autoformation</label>
                          <select id={`location_${m.id}`} name={`location_${m.id}`}>
                            <option value="centre" selected={v(body, `location_${m.id}`) !== "remote"}>Au centre</option>
                            <option value="remote" selected={v(body, `location_${m.id}`) === "remote"}>À distance</option>
                          </select>
                        </>
                      ) : null}
                      <label class="visually-hidden" for={`reason_${m.id}`}>
                        {`Motif de dispense pour ${m.title}`}
                      </label>
                      <input
                        id={`reason_${m.id}`}
                        name={`reason_${m.id}`}
                        value={v(body, `reason_${m.id}`)}
                        placeholder="Motif si dispensé"
                        aria-invalid={reasonErr ? "true" : undefined}
                        aria-describedby={reasonErr ? `reason_${m.id}-err` : undefined}
                      />
                      {reasonErr ? <p class="field-error" id={`reason_${m.id}-err`}>{reasonErr}</p> : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </Table>
          <fieldset>
            <legend>Période en entreprise (facultative, 70 h au plus)</legend>
            <div class="grid">
              <div class={errors.company_minutes ? "field has-error" : "field"}>
                <label for="f-company_minutes">Heures en entreprise</label>
                <p class="hint" id="f-company_minutes-hint">Exemples : 35, 70h, 52h30. Laisser vide si aucune.</p>
                <input id="f-company_minutes" name="company_minutes" value={v(body, "company_minutes")} aria-describedby={errors.company_minutes ? "f-company_minutes-hint f-company_minutes-err" : "f-company_minutes-hint"} />
                {errors.company_minutes ? <p class="field-error" id="f-company_minutes-err">{errors.company_minutes}</p> : null}
              </div>
              <div class="field">
                <label for="f-company_label">Intitulé (entreprise, poste)</label>
                <input id="f-company_label" name="company_label" value={v(body, "company_label")} />
              </div>
            </div>
          </fieldset>
          {readjusting ? (
            <div class={fieldError("reason") ? "field has-error" : "field"}>
              <label for="f-reason">Motif du réajustement (obligatoire, parcours validé)</label>
              <textarea id="f-reason" name="reason" required aria-describedby={fieldError("reason") ? "f-reason-err" : undefined}>{v(body, "reason") || (props.c.req.query("motif") ?? "").slice(0, 500)}</textarea>
              {fieldError("reason") ? <p class="field-error" id="f-reason-err">{fieldError("reason")}</p> : null}
            </div>
          ) : null}
          <div class="actions">
            <button type="submit">{readjusting ? "Enregistrer le réajustement" : "Enregistrer le parcours"}</button>
            <a href={`/parcours/${h.id}`}>Annuler</a>
          </div>
        </form>
        <div class="builder-checks">
          <ChecksPanel evaluation={props.evaluation} extra={props.violations?.filter((x) => !props.evaluation?.violations.includes(x))} />
        </div>
      </div>
    </Layout>
  );
}
