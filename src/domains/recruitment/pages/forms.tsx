// Forms of recruitment: prescription (prescriber), paper entry, CSV import, continuation slip, direct registration.
import { PersonalDataNotice } from "../../../core/pages/personal-data-notice.tsx";
import type { Ctx } from "../../../core/http/context.ts";
import { CsrfField, Field, Layout, Select, ViolationList, errorFor } from "../../../core/pages/layout.tsx";
import type { Violation } from "../../../core/rules.ts";
import { formatDateFr } from "../../../core/time.ts";
import { CSV_COLUMNS, type ImportLine } from "../csv-import.ts";
import { schemeLabels } from "../rules.ts";
import { Table } from "../../../core/pages/table.tsx";

export type Body = Record<string, string>;
type SessionChoice = { id: string; start_date: string; title: string; provider_name: string; commune: string | null; e_formation: boolean };
type Org = { id: string; name: string };

const sessionOptions = (sessions: SessionChoice[]) =>
  sessions.map((s) => ({ value: s.id, label: `${s.title} — ${s.provider_name} — ${s.commune ?? "à distance"} — début ${formatDateFr(s.start_date)}` }));

const levelOptions = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => ({ value: String(n), label: `Niveau ${n}` }));

/** The candidate's identity and situation: the same fields on every form (nothing typed twice later). */
export function CandidateFields(props: { b: Body; vs: Violation[]; withHelp?: boolean; self?: boolean }) {
  const { b, vs } = props;
  return (
    <fieldset>
      <legend>{props.self ? "Vous" : "Candidat·e"}</legend>
      <div class="grid">
        <Field name="lastName" label="Nom" value={b.lastName} required error={errorFor(vs, "lastName")} attrs={{ autocomplete: "family-name" }} />
        <Field name="firstName" label="Prénom" value={b.firstName} required error={errorFor(vs, "firstName")} attrs={{ autocomplete: "given-name" }} />
        <Field name="birthDate" label="Date de naissance" type="date" value={b.birthDate} required error={errorFor(vs, "birthDate")} />
        <Field
          name="email"
          label="Adresse e-mail"
          type="email"
          value={b.email}
          required={props.self}
          error={errorFor(vs, "email")}
          hint={props.self ? "Un lien pour confirmer votre candidature y est envoyé ; les décisions aussi." : "Les décisions sont envoyées à cette adresse."}
          attrs={{ autocomplete: "email" }}
        />
        <Field name="phone" label="Téléphone" type="tel" value={b.phone} error={errorFor(vs, "phone")} attrs={{ autocomplete: "tel" }} />
        <Field name="franceTravailId" label="Identifiant France Travail" value={b.franceTravailId} error={errorFor(vs, "franceTravailId")} hint="7 chiffres et 1 chiffre ou lettre, ou 11 chiffres." />
        <Select name="highestDiplomaLevel" label="Niveau du diplôme le plus élevé" options={levelOptions} value={b.highestDiplomaLevel} emptyLabel="Non renseigné" error={errorFor(vs, "highestDiplomaLevel")} />
        <Field
          name="residenceDepartementCode"
          label={props.self ? "Votre département de résidence (code)" : "Département de résidence (code)"}
          value={b.residenceDepartementCode}
          error={errorFor(vs, "residenceDepartementCode")}
          hint="Ex. 46 pour le Lot. Compté par département pour les sessions e-formation, qui recrutent dans toute la région."
          attrs={{ maxlength: 3, autocomplete: "off" }}
        />
      </div>
      <div class="field">
        <input type="checkbox" id="f-jobSeekerRegistered" name="jobSeekerRegistered" value="1" checked={b.jobSeekerRegistered === "1"} />
        <label for="f-jobSeekerRegistered" class="inline">
          {props.self ? " Je suis inscrit·e comme demandeur·se d'emploi à France Travail" : " Inscrit·e comme demandeur·se d'emploi à France Travail"}
        </label>
      </div>
      {props.withHelp ? (
        <Field name="registrationHelp" label="Aide apportée pour l'inscription à France Travail (si non inscrit·e)" value={b.registrationHelp} error={errorFor(vs, "registrationHelp")} hint="CP-ELIGIBLE-PUBLIC : la candidature est reçue, l'entrée attendra l'inscription." />
      ) : null}
      <PersonalDataNotice purpose="P1" />
    </fieldset>
  );
}

function ProjectFields(props: { b: Body; vs: Violation[] }) {
  return (
    <>
      <div class={errorFor(props.vs, "project") ? "field has-error" : "field"}>
        <label for="f-project">Projet du candidat *</label>
        <textarea id="f-project" name="project" rows={3} required aria-invalid={errorFor(props.vs, "project") ? "true" : undefined}>
          {props.b.project ?? ""}
        </textarea>
        {errorFor(props.vs, "project") ? <p class="field-error">{errorFor(props.vs, "project")}</p> : null}
      </div>
      <div class="field">
        <label for="f-supportGiven">Accompagnement déjà réalisé</label>
        <textarea id="f-supportGiven" name="supportGiven" rows={3}>
          {props.b.supportGiven ?? ""}
        </textarea>
      </div>
    </>
  );
}

export function PrescriptionFormPage(props: { c: Ctx; sessions: SessionChoice[]; b: Body; violations?: Violation[] }) {
  const vs = props.violations ?? [];
  return (
    <Layout c={props.c} title="Nouvelle prescription">
      <h1>Prescrire un candidat</h1>
      <p>Sessions publiées dont le recrutement est ouvert. Aucun formulaire papier n'est à envoyer : l'organisme reçoit la prescription ici.</p>
      {vs.length ? <ViolationList violations={vs} title="La prescription n'est pas enregistrée" /> : null}
      <form method="post" action="/prescriptions/nouvelle">
        <CsrfField c={props.c} />
        <Select name="sessionId" label="Session" options={sessionOptions(props.sessions)} value={props.b.sessionId} required emptyLabel="Choisir une session" error={errorFor(vs, "sessionId")} />
        <CandidateFields b={props.b} vs={vs} withHelp />
        <ProjectFields b={props.b} vs={vs} />
        <button type="submit">Envoyer la prescription</button>
      </form>
    </Layout>
  );
}

export function PaperFormPage(props: { c: Ctx; sessions: SessionChoice[]; organisations: Org[]; b: Body; violations?: Violation[] }) {
  const vs = props.violations ?? [];
  return (
    <Layout c={props.c} title="Saisir une prescription papier">
      <h1>Saisir une prescription reçue par courrier ou e-mail</h1>
      {vs.length ? <ViolationList violations={vs} title="La prescription n'est pas enregistrée" /> : null}
      <form method="post" action="/candidatures/nouvelle" enctype="multipart/form-data">
        <CsrfField c={props.c} />
        <Select name="sessionId" label="Session" options={sessionOptions(props.sessions)} value={props.b.sessionId} required emptyLabel="Choisir une session" error={errorFor(vs, "sessionId")} />
        <Select name="prescriberOrganisationId" label="Organisme prescripteur (liste des prescripteurs habilités)" options={props.organisations.map((o) => ({ value: o.id, label: o.name }))} value={props.b.prescriberOrganisationId} required emptyLabel="Choisir l'organisme" error={errorFor(vs, "prescriberOrganisationId")} />
        <CandidateFields b={props.b} vs={vs} withHelp />
        <ProjectFields b={props.b} vs={vs} />
        <div class={errorFor(vs, "attachment") ? "field has-error" : "field"}>
          <label for="f-attachment">Formulaire de prescription (PDF, JPEG ou PNG, 10 Mo au plus)</label>
          <input id="f-attachment" type="file" name="attachment" accept="application/pdf,image/jpeg,image/png" aria-describedby={errorFor(vs, "attachment") ? "f-attachment-err" : undefined} />
          {errorFor(vs, "attachment") ? (
            <p class="field-error" id="f-attachment-err">
              {errorFor(vs, "attachment")}
            </p>
          ) : null}
        </div>
        <button type="submit">Enregistrer la prescription</button>
      </form>
    </Layout>
  );
}

export function ImportPage(props: { c: Ctx; sessions: SessionChoice[]; sessionId?: string; report?: ImportLine[]; error?: string }) {
  const created = props.report?.filter((l) => l.status === "created").length ?? 0;
  return (
    <Layout c={props.c} title="Importer des prescriptions" wide>
      <h1>Importer des prescriptions (CSV)</h1>
      <p>
        Fichier CSV encodé en UTF-8 (avec ou sans BOM), séparateur point-virgule, une ligne d'en-tête :<br />
        <code>{CSV_COLUMNS.join(";")}</code>
      </p>
      <p class="hint">Dates au format JJ/MM/AAAA ; inscrit_france_travail : oui ou non ; niveau_diplome : 1 à 8 ou vide ; organisme_prescripteur : le nom tel qu'il figure dans la liste des prescripteurs habilités. Chaque ligne est créée entièrement ou refusée avec son motif.</p>
      {props.error ? (
        <div class="alert error" role="alert">
          <p>{props.error}</p>
        </div>
      ) : null}
      <form method="post" action="/candidatures/import" enctype="multipart/form-data">
        <CsrfField c={props.c} />
        <Select name="sessionId" label="Session" options={sessionOptions(props.sessions)} value={props.sessionId} required emptyLabel="Choisir une session" />
        <div class="field">
          <label for="f-file">Fichier CSV *</label>
          <input id="f-file" type="file" name="file" accept=".csv,text/csv" required />
        </div>
        <button type="submit">Importer</button>
      </form>
      {props.report ? (
        <Table label="Compte rendu de l'import">
          <caption>
            Compte rendu : {created} créée(s), {props.report.length - created} refusée(s)
          </caption>
          <thead>
            <tr>
              <th scope="col">Ligne</th>
              <th scope="col">Candidat</th>
              <th scope="col">Résultat</th>
              <th scope="col">Détail</th>
            </tr>
          </thead>
          <tbody>
            {props.report.map((l) => (
              <tr data-status={l.status}>
                <td class="num">{l.line}</td>
                <td>{l.candidacyId ? <a href={`/candidatures/${l.candidacyId}`}>{l.name}</a> : l.name}</td>
                <td>{l.status === "created" ? <span class="badge validated">Créée</span> : <span class="badge refused">Refusée</span>}</td>
                <td>{l.messages.join(" ")}</td>
              </tr>
            ))}
          </tbody>
        </Table>
      ) : null}
    </Layout>
  );
}

export function SlipFormPage(props: { c: Ctx; sessions: SessionChoice[]; organisations: Org[]; b: Body; violations?: Violation[]; isPrescriber: boolean }) {
  const vs = props.violations ?? [];
  return (
    <Layout c={props.c} title="Transmettre une fiche navette">
      <h1>Fiche navette (suite de parcours)</h1>
      <p>La fiche va à l'organisme de la formation suivante et au prescripteur. L'organisme destinataire convoque le candidat à la sélection, même hors période de recrutement, et répond sous 28 jours (CP-CONTINUATION-SLIP, CP-CONTINUATION-4W).</p>
      {vs.length ? <ViolationList violations={vs} title="La fiche navette n'est pas enregistrée" /> : null}
      <form method="post" action="/continuations/nouvelle">
        <CsrfField c={props.c} />
        <Select name="sessionId" label="Session de la formation suivante" options={sessionOptions(props.sessions)} value={props.b.sessionId} required emptyLabel="Choisir une session" error={errorFor(vs, "sessionId")} />
        <Select name="fromScheme" label="Dispositif de la formation précédente" options={[...Object.entries(schemeLabels).map(([value, label]) => ({ value, label })), { value: "other", label: "Autre dispositif (pas une suite de parcours)" }]} value={props.b.fromScheme} required emptyLabel="Choisir" error={errorFor(vs, "fromScheme")} />
        <Field name="fromProviderName" label="Organisme de la formation précédente (si vous n'en êtes pas)" value={props.b.fromProviderName} error={errorFor(vs, "fromProviderName")} />
        <Field name="fromAction" label="Formation suivie" value={props.b.fromAction} />
        {props.isPrescriber ? null : (
          <Select name="prescriberOrganisationId" label="Prescripteur" options={props.organisations.map((o) => ({ value: o.id, label: o.name }))} value={props.b.prescriberOrganisationId} required emptyLabel="Choisir l'organisme" error={errorFor(vs, "prescriberOrganisationId")} />
        )}
        <Field name="receivedOn" label="Date de réception (si vous êtes l'organisme destinataire et saisissez une fiche reçue)" type="date" value={props.b.receivedOn} error={errorFor(vs, "receivedOn")} />
        <CandidateFields b={props.b} vs={vs} withHelp />
        <ProjectFields b={props.b} vs={vs} />
        <button type="submit">Transmettre la fiche navette</button>
      </form>
    </Layout>
  );
}
