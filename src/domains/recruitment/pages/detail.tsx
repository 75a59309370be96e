// One candidacy: candidate, origin, slip, history, messages sent, and the steps the caller may take.
import { dateTimeFr, de } from "../../../core/french.ts";
import type { Ctx } from "../../../core/http/context.ts";
import { CsrfField, Field, Layout, Select, ViolationList, errorFor } from "../../../core/pages/layout.tsx";
import type { Violation } from "../../../core/rules.ts";
import { formatDateFr, parisDate } from "../../../core/time.ts";
import type { CandidacyDetail } from "../queries.ts";
import { continuationDeadline, originLabels, schemeLabels, statusLabels } from "../rules.ts";
import { StatusBadge } from "./lists.tsx";
import { Table } from "../../../core/pages/table.tsx";


export function CandidacyPage(props: { c: Ctx; d: CandidacyDetail; violations?: Violation[]; body?: Record<string, string>; notice?: string; warnings?: Violation[] }) {
  const { row: r } = props.d;
  const vs = props.violations ?? [];
  const b = props.body ?? {};
  return (
    <Layout c={props.c} title={`Candidature ${de(`${r.first_name} ${r.last_name}`)}`} wide>
      <h1>
        Candidature {de(`${r.first_name} ${r.last_name}`)} <StatusBadge status={r.status} />
      </h1>
      {props.notice ? (
        <p class="alert success" role="status">
          {props.notice}
        </p>
      ) : null}
      {vs.length ? <ViolationList violations={vs} title="La décision n'est pas enregistrée" /> : null}
      {props.d.flags.length || props.warnings?.length ? <ViolationList violations={[...props.d.flags, ...(props.warnings ?? [])]} /> : null}
      {props.d.alerts.length ? (
        <section class="alert warning" aria-labelledby="dropout-h" data-rule="CP-REFERENT-FOLLOWUP">
          <h2 id="dropout-h">Alerte de risque de décrochage</h2>
          <ul>
            {props.d.alerts.map((a) => (
              <li>
                {formatDateFr(parisDate(a.raised_at))} — {a.reason === "absences" ? "absences répétées" : "freins périphériques"} : {a.details}
              </li>
            ))}
          </ul>
          <p>Prenez contact avec l'organisme de formation pour mobiliser les aides utiles.</p>
        </section>
      ) : null}
      {r.path_id && props.d.canDecide ? (
        <p>
          <a class="button" href={`/parcours/${r.path_id}`}>
            Ouvrir le parcours (positionnement, construction)
          </a>
        </p>
      ) : null}
      <div class="cards">
        <section class="card" aria-labelledby="cand-h">
          <h2 id="cand-h">Candidat·e</h2>
          <p>
            Né·e le {formatDateFr(r.birth_date)}
            <br />
            {r.email ?? "sans e-mail"} — {r.phone ?? "sans téléphone"}
            <br />
            France Travail : {r.france_travail_id ?? "identifiant non renseigné"} — {r.job_seeker_registered ? "inscrit·e" : "non inscrit·e"}
            <br />
            Diplôme le plus élevé : {r.highest_diploma_level ? `niveau ${r.highest_diploma_level}` : "non renseigné"}
          </p>
          {r.registration_help ? <p>Aide à l'inscription : {r.registration_help}</p> : null}
        </section>
        <section class="card" aria-labelledby="form-h">
          <h2 id="form-h">Formation</h2>
          <p>
            {r.component_title} — {r.provider_name}
            <br />
            Session du {formatDateFr(r.session_start)} au {formatDateFr(r.session_end)} (commande {r.order_number})
            <br />
            {props.d.canDecide ? <a href={`/sessions/${r.session_id}/selection`}>Classement de sélection</a> : null}
          </p>
        </section>
        <section class="card" aria-labelledby="orig-h">
          <h2 id="orig-h">Origine</h2>
          <p>
            {originLabels[r.origin]}
            {r.prescriber_name ? ` — ${r.prescriber_name}` : ""}
          </p>
          {r.project ? <p>Projet : {r.project}</p> : null}
          {r.support_given ? <p>Accompagnement réalisé : {r.support_given}</p> : null}
          {r.attachment_id ? (
            <p>
              <a href={`/candidatures/${r.id}/piece-jointe`}>Formulaire de prescription joint</a>
            </p>
          ) : null}
        </section>
        {r.slip_id ? (
          <section class="card" aria-labelledby="slip-h">
            <h2 id="slip-h">Fiche navette</h2>
            <p>
              De {r.from_provider_name} — {schemeLabels[r.from_scheme as keyof typeof schemeLabels]}
              {r.from_action ? ` (${r.from_action})` : ""}
              <br />
              Saisie par : {r.slip_entered_by_role === "prescriber" ? "le prescripteur" : "un organisme de formation"}
              <br />
              Reçue le {formatDateFr(r.slip_received_on)} — réponse attendue au plus tard le {formatDateFr(continuationDeadline(r.slip_received_on!))}
              <br />
              Réponse :{" "}
              {r.slip_answer === "entry" ? `entrée le ${formatDateFr(r.slip_answer_entry_date)}` : r.slip_answer === "refusal" ? `refus — ${r.slip_answer_reason}` : "en attente"}
              {r.slip_answered_on ? ` (le ${formatDateFr(r.slip_answered_on)})` : ""}
            </p>
          </section>
        ) : null}
        {r.status === "not_retained" ? (
          <section class="card" aria-labelledby="dec-h">
            <h2 id="dec-h">Décision</h2>
            <p>Motif : {r.refusal_reason_label}</p>
            <p>Message au candidat : {r.message_to_candidate}</p>
            <p>Message au prescripteur : {r.message_to_prescriber}</p>
            {r.continuation_justification ? <p>Justification (suite de parcours) : {r.continuation_justification}</p> : null}
          </section>
        ) : null}
      </div>
      {props.d.next.length ? <Actions c={props.c} d={props.d} vs={vs} b={b} /> : null}
      {props.d.canDecide && !r.job_seeker_registered && r.status !== "entered" ? (
        <section aria-labelledby="reg-h">
          <h2 id="reg-h">Inscription à France Travail (CP-ELIGIBLE-PUBLIC)</h2>
          <form method="post" action={`/candidatures/${r.id}/inscription-ft`}>
            <CsrfField c={props.c} />
            <Field name="franceTravailId" label="Identifiant France Travail" value={b.franceTravailId ?? r.france_travail_id} error={errorFor(vs, "franceTravailId")} />
            <Field name="registrationHelp" label="Aide apportée" value={b.registrationHelp ?? r.registration_help} />
            <div class="field">
              <input type="checkbox" id="f-registered" name="jobSeekerRegistered" value="1" />
              <label for="f-registered" class="inline">
                {" "}
                Inscription faite
              </label>
            </div>
            <button type="submit" class="secondary">
              Enregistrer
            </button>
          </form>
        </section>
      ) : null}
      <h2>Historique</h2>
      <Table label="Étapes de la candidature">
        <caption class="visually-hidden">Étapes de la candidature</caption>
        <thead>
          <tr>
            <th scope="col">Date</th>
            <th scope="col">De</th>
            <th scope="col">À</th>
            <th scope="col">Par</th>
            <th scope="col">Motif</th>
          </tr>
        </thead>
        <tbody>
          {props.d.log.map((l) => (
            <tr>
              <td>{dateTimeFr(l.at)}</td>
              <td>{l.from_status ? statusLabels[l.from_status as keyof typeof statusLabels] : "—"}</td>
              <td>{statusLabels[l.to_status as keyof typeof statusLabels]}</td>
              <td>{l.actor_name ?? "Le candidat (en ligne)"}</td>
              <td>{l.reason ?? ""}</td>
            </tr>
          ))}
        </tbody>
      </Table>
      <h2>Messages envoyés</h2>
      {props.d.messages.length ? (
        <ul class="messages">
          {props.d.messages.map((m) => (
            <li>
              <details>
                <summary>
                  {dateTimeFr(m.createdAt)} — à {m.recipientEmail} — {m.subject} <span class="muted">({m.status === "sent" ? "envoyé" : m.status === "failed" ? "échec" : "en attente d'envoi"})</span>
                </summary>
                <pre class="mail-body">{m.body}</pre>
              </details>
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted">Aucun message.</p>
      )}
    </Layout>
  );
}

function Actions(props: { c: Ctx; d: CandidacyDetail; vs: Violation[]; b: Record<string, string> }) {
  const { row: r, next } = props.d;
  const { vs, b } = props;
  const id = r.id;
  const form = (to: string, label: string, children?: unknown, secondary = false) => (
    <form method="post" action={`/candidatures/${id}/etape`} class="card">
      <CsrfField c={props.c} />
      <input type="hidden" name="to" value={to} />
      {children}
      <button type="submit" class={secondary ? "secondary" : undefined}>
        {label}
      </button>
    </form>
  );
  return (
    <section aria-labelledby="act-h">
      <h2 id="act-h">Étapes suivantes</h2>
      <div class="cards">
        {next.includes("invited") ? form("invited", "Inviter à l'information collective") : null}
        {next.includes("summoned")
          ? form("summoned", "Convoquer à la sélection", <Field name="summonedFor" label="Date de la sélection" type="date" value={b.summonedFor} required error={errorFor(vs, "summonedFor")} />)
          : null}
        {next.includes("selected")
          ? form(
              "selected",
              "Retenir",
              <>
                <Field name="assessmentScore" label="Note de sélection (0–100)" type="number" value={b.assessmentScore ?? r.assessment_score} attrs={{ min: 0, max: 100 }} />
                <Field name="entryDate" label="Date d'entrée prévue" type="date" value={b.entryDate ?? r.session_start} />
              </>,
            )
          : null}
        {next.includes("waiting_list") ? form("waiting_list", "Mettre en liste d'attente", undefined, true) : null}
        {next.includes("not_retained")
          ? form(
              "not_retained",
              "Ne pas retenir",
              <>
                <Select name="refusalReasonCode" label="Motif" options={props.d.reasons.map((x) => ({ value: x.code, label: x.label }))} value={b.refusalReasonCode} required emptyLabel="Choisir le motif" error={errorFor(vs, "refusalReasonCode")} />
                <TextArea name="messageToCandidate" label="Message au candidat" value={b.messageToCandidate} error={errorFor(vs, "messageToCandidate")} />
                <TextArea name="messageToPrescriber" label="Message au prescripteur" value={b.messageToPrescriber} error={errorFor(vs, "messageToPrescriber")} />
                {r.origin === "continuation" ? (
                  <TextArea name="continuationJustification" label="Justification écrite (suite de parcours prioritaire, lue par l'organisme précédent, le prescripteur et la Région)" value={b.continuationJustification} error={errorFor(vs, "continuationJustification")} />
                ) : null}
              </>,
              true,
            )
          : null}
        {r.status === "selected" && props.d.canDecide ? (
          <form method="post" action={`/candidatures/${id}/entree`} class="card">
            <CsrfField c={props.c} />
            <p class="hint">Le stagiaire et son parcours sont créés à partir de la candidature : rien n'est ressaisi.</p>
            <Select name="pedagogicalReferentId" label="Référent·e pédagogique" options={props.d.referents.map((x) => ({ value: x.id, label: x.full_name }))} value={b.pedagogicalReferentId} emptyLabel="À désigner" />
            <Field name="entryDate" label="Date d'entrée" type="date" value={b.entryDate ?? r.slip_answer_entry_date ?? r.session_start} required error={errorFor(vs, "entryDate")} />
            <Field name="plannedExitDate" label="Sortie prévue" type="date" value={b.plannedExitDate ?? r.session_end} required error={errorFor(vs, "plannedExitDate")} />
            <button type="submit">Faire entrer en formation</button>
          </form>
        ) : null}
        {next.includes("withdrawn") ? form("withdrawn", "Enregistrer un désistement", <Field name="reason" label="Motif du désistement" value={b.reason} required error={errorFor(vs, "reason")} />, true) : null}
      </div>
    </section>
  );
}

function TextArea(props: { name: string; label: string; value?: string; error?: string }) {
  const id = `f-${props.name}`;
  return (
    <div class={props.error ? "field has-error" : "field"}>
      <label for={id}>{props.label}</label>
      <textarea id={id} name={props.name} rows={3} aria-invalid={props.error ? "true" : undefined} aria-describedby={props.error ? `${id}-err` : undefined}>
        {props.value ?? ""}
      </textarea>
      {props.error ? (
        <p class="field-error" id={`${id}-err`}>
          {props.error}
        </p>
      ) : null}
    </div>
  );
}
