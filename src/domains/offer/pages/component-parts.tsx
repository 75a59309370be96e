// Smaller blocks of the component page: read-only details, decisions, hybrid request, history.
import type { Ctx } from "../../../core/http/context.ts";
import { CsrfField } from "../../../core/pages/layout.tsx";
import { formatDateFr, parisDate } from "../../../core/time.ts";
import type { Component, Site } from "../use-cases.ts";
import { categoryLabels, hybridStatusLabels, offerStatusLabels } from "./labels.tsx";
import { Table } from "../../../core/pages/table.tsx";
import { subcategoryLabel } from "../rules.ts";

export function ReadOnlyDetails(props: { component: Component; sites: Site[] }) {
  const c = props.component;
  const row = (label: string, value: string) => (
    <div>
      <dt>{label}</dt>
      <dd class="pre-line">{value || "—"}</dd>
    </div>
  );
  return (
    <>
      <dl class="grid">
        {row("Catégorie", categoryLabels[c.category])}
        {row("Sous-catégorie", subcategoryLabel(c.subcategory))}
        {row("Certification visée", c.certification_code ?? "")}
        {row("Niveau (cadre 2019)", c.level_2019 === null ? "" : String(c.level_2019))}
        {row("Occitanie e-formation", c.e_formation ? "Oui" : "Non")}
        {row("Hors liste", c.off_list ? "Oui" : "Non")}
      </dl>
      <dl>
        {row("Prérequis", c.prerequisites)}
        {row("Contenu", c.content)}
        {row("Objectifs", c.purpose)}
      </dl>
      <h3>Sites de réalisation</h3>
      <ul>
        {props.sites.length === 0 ? <li>Aucun site.</li> : null}
        {props.sites.map((s) => (
          <li>
            {s.name} — {s.address}, {s.postcode} {s.commune} ({s.departement_code}){s.accessible ? "" : " — non accessible PMR"}
          </li>
        ))}
      </ul>
    </>
  );
}

/** Accept or refuse, with a reason (required to refuse). */
export function DecisionForm(props: { c: Ctx; action: string; legend: string; accept: string; refuse: string; prefix: string }) {
  const id = (s: string) => `${props.prefix}-${s}`;
  return (
    <form method="post" action={props.action}>
      <CsrfField c={props.c} />
      <fieldset>
        <legend>{props.legend}</legend>
        <div>
          <input type="radio" id={id("accept")} name="decision" value={props.accept} required /> <label for={id("accept")}>Accepter</label>
        </div>
        <div>
          <input type="radio" id={id("refuse")} name="decision" value={props.refuse} /> <label for={id("refuse")}>Refuser</label>
        </div>
        <div class="field">
          <label for={id("reason")}>Motif (obligatoire en cas de refus)</label>
          <textarea id={id("reason")} name="reason"></textarea>
        </div>
      </fieldset>
      <div class="actions">
        <button type="submit">Enregistrer la décision</button>
      </div>
    </form>
  );
}

export function HybridRequestForm(props: { c: Ctx; action: string; value: string; error?: string }) {
  return (
    <form method="post" action={props.action}>
      <CsrfField c={props.c} />
      <div class={props.error ? "field has-error" : "field"}>
        <label for="f-organisation">Organisation de la formation à distance</label>
        <p class="hint" id="f-organisation-hint">
          Méthodes, ressources, plateforme et outil de web-conférence, et comment les formateurs maîtrisent ces outils.
        </p>
        <textarea id="f-organisation" name="organisation" required aria-describedby="f-organisation-hint" aria-invalid={props.error ? "true" : undefined}>
          {props.value}
        </textarea>
        {props.error ? <p class="field-error">{props.error}</p> : null}
      </div>
      <div class="actions">
        <button type="submit">Demander la modalité hybride à la Région</button>
      </div>
    </form>
  );
}

export function HistoryTable(props: {
  history: { entity: string; from_status: string | null; to_status: string; reason: string | null; at: unknown; full_name: string | null }[];
}) {
  if (props.history.length === 0) return null;
  const label = (entity: string, s: string | null) => (s === null ? "—" : ((entity === "component" ? offerStatusLabels : hybridStatusLabels)[s] ?? s));
  return (
    <section aria-labelledby="history-title">
      <h2 id="history-title">Historique</h2>
      <Table label="Changements de statut de la composante">
        <caption>Changements de statut de la composante</caption>
        <thead>
          <tr>
            <th scope="col">Date</th>
            <th scope="col">Objet</th>
            <th scope="col">De</th>
            <th scope="col">Vers</th>
            <th scope="col">Par</th>
            <th scope="col">Motif</th>
          </tr>
        </thead>
        <tbody>
          {props.history.map((h) => (
            <tr>
              <td>{formatDateFr(parisDate(new Date(h.at as string)))}</td>
              <td>{h.entity === "component" ? "Offre" : "Modalité hybride"}</td>
              <td>{label(h.entity, h.from_status)}</td>
              <td>{label(h.entity, h.to_status)}</td>
              <td>{h.full_name ?? "—"}</td>
              <td>{h.reason ?? "—"}</td>
            </tr>
          ))}
        </tbody>
      </Table>
    </section>
  );
}
