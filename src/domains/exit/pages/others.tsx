// The exit domain's other pages: follow-ups (provider, Region), the Region's soft-skill list and
// deadline, a component's certifications, the trainee's and the prescriber's views, the public badge
// verification, the satisfaction questionnaire and the Region's survey.
import type { Child } from "hono/jsx";
import type { Ctx } from "../../../core/http/context.ts";
import { CsrfField, Field, Layout, Select, ViolationList } from "../../../core/pages/layout.tsx";
import { formatMinutes, type Violation } from "../../../core/rules.ts";
import { formatDateFr, parisDate } from "../../../core/time.ts";
import type { Verification } from "../badges.ts";
import * as r from "../rules.ts";
import type { PathSummary } from "../store.ts";
import type { FollowUpRow } from "../use-cases.ts";
import { Area, errOf } from "./parts.tsx";
import { Table } from "../../../core/pages/table.tsx";

const stateLabel: Record<r.FollowUpState, string> = { done: "renseigné", upcoming: "à venir", due: "à renseigner", late: "en retard" };

export interface Alerts {
  habilitations: { violation: Violation; certification: { code: string; component_title: string } }[];
  satisfaction: { count: number; averages: { label: string; count: number; average: number | null }[] };
}

export function FollowUpsPage(p: { c: Ctx; rows: FollowUpRow[]; late: boolean; isRegion: boolean; deadline: number; violations?: Violation[]; alerts: Alerts }) {
  return (
    <Layout c={p.c} title="Suivis de sortie">
      <h1>Suivis de sortie à 3 et 6 mois</h1>
      <p>
        Chaque situation (à la sortie, à 3 mois, à 6 mois après la sortie réelle) se renseigne dans un délai de <strong>{p.deadline} jour(s)</strong> fixé par la Région (CP-EXIT-FOLLOWUP).
      </p>
      <nav aria-label="Filtre">
        {p.late ? <a href="/suivis">Voir tous les suivis à renseigner</a> : <a href="/suivis?etat=retard">Voir seulement les suivis en retard</a>}
      </nav>
      <Table label="Suivis de sortie">
        <caption>{p.late ? "Suivis en retard" : "Suivis à renseigner et en retard"}</caption>
        <thead>
          <tr>
            <th scope="col">Stagiaire</th>
            {p.isRegion ? <th scope="col">Organisme</th> : null}
            <th scope="col">Sortie</th>
            <th scope="col">Étape</th>
            <th scope="col">Au plus tard le</th>
            <th scope="col">État</th>
          </tr>
        </thead>
        <tbody>
          {p.rows.map((f) => (
            <tr>
              <th scope="row">{p.isRegion ? f.traineeName : <a href={`/parcours/${f.pathId}/bilan#fu-title`}>{f.traineeName}</a>}</th>
              {p.isRegion ? <td>{f.providerName}</td> : null}
              <td>{formatDateFr(f.actualExitDate)}</td>
              <td>{r.milestoneLabels[f.milestone]}</td>
              <td>{formatDateFr(f.dueBy)}</td>
              <td>
                <span class={f.state === "late" ? "badge danger" : "badge"}>{stateLabel[f.state]}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </Table>
      {p.rows.length === 0 ? <p>Aucun suivi dans cette liste.</p> : null}
      <h2>Habilitations qui expirent dans les 60 jours (CP-HABILITATION)</h2>
      {p.alerts.habilitations.length ? (
        <ul>
          {p.alerts.habilitations.map((a) => (
            <li>
              {a.certification.component_title} : {a.violation.message}
            </li>
          ))}
        </ul>
      ) : (
        <p>Aucune.</p>
      )}
      <h2>Satisfaction des stagiaires (CP-SATISFACTION, réponses anonymes)</h2>
      <p>{p.alerts.satisfaction.count} réponse(s).</p>
      {p.alerts.satisfaction.count ? (
        <Table label="Moyenne par affirmation">
          <caption>Moyenne par affirmation (1 : pas du tout d'accord — 5 : tout à fait d'accord)</caption>
          <thead>
            <tr>
              <th scope="col">Affirmation</th>
              <th scope="col" class="num">Moyenne</th>
            </tr>
          </thead>
          <tbody>
            {p.alerts.satisfaction.averages.map((a) => (
              <tr>
                <th scope="row">{a.label}</th>
                <td class="num">{a.average === null ? "—" : String(a.average).replace(".", ",")}</td>
              </tr>
            ))}
          </tbody>
        </Table>
      ) : null}
      {p.isRegion ? (
        <form method="post" action="/suivis/delai">
          <CsrfField c={p.c} />
          <h2>Délai de saisie des suivis</h2>
          {p.violations ? <ViolationList violations={p.violations} title="Réglage refusé" /> : null}
          <Field form="set" name="days" label="Délai en jours après chaque étape" type="number" required value={p.deadline} attrs={{ min: 0, max: 365 }} error={errOf(p.violations, "followupDeadlineDays")} />
          <button type="submit">Enregistrer le délai</button>
        </form>
      ) : null}
    </Layout>
  );
}

export function SoftSkillsPage(p: {
  c: Ctx;
  year: number;
  list: { position: number; title: string }[];
  violations?: Violation[];
  kpis: { wave: number; sent: number; answered: number; employment: number; training: number }[];
  questions: { kind: string; label: string }[];
}) {
  const likert = p.questions.filter((q) => q.kind === "likert");
  return (
    <Layout c={p.c} title="Savoir-être de la Région">
      <h1>Savoir-être : la liste de la Région ({p.year})</h1>
      <p>Les six savoir-être prioritaires de l'année, que les organismes identifient, développent, évaluent et valorisent (badges) chez chaque stagiaire (CP-SOFT-SKILLS).</p>
      <form method="post" action="/savoir-etre">
        <CsrfField c={p.c} />
        {p.violations ? <ViolationList violations={p.violations} title="Liste refusée" /> : null}
        <Field form="ss" name="year" label="Année" type="number" required value={p.year} />
        {[1, 2, 3, 4, 5, 6].map((i) => (
          <Field form="ss" name={`title${i}`} label={`Savoir-être n° ${i}`} required value={p.list.find((s) => s.position === i)?.title ?? ""} />
        ))}
        <button type="submit">Enregistrer la liste</button>
      </form>
      <form method="post" action="/savoir-etre/questionnaire">
        <CsrfField c={p.c} />
        <h2>Questionnaire de satisfaction (CP-SATISFACTION)</h2>
        <p class="hint">Des affirmations notées de 1 à 5 (laisser vide pour en retirer) et une question ouverte.</p>
        {[0, 1, 2, 3, 4, 5].map((i) => (
          <Field form="sq" name={`likert${i}`} label={`Affirmation ${i + 1}`} value={likert[i]?.label ?? ""} />
        ))}
        <Field form="sq" name="text" label="Question ouverte" required value={p.questions.find((q) => q.kind === "text")?.label ?? ""} />
        <button type="submit" class="secondary">
          Enregistrer le questionnaire
        </button>
      </form>
      <h2>Enquêtes de la Région à 6 et 18 mois (CP-REGION-SURVEYS)</h2>
      <Table label="Envois et réponses">
        <caption>Envois et réponses</caption>
        <thead>
          <tr>
            <th scope="col">Vague</th>
            <th scope="col" class="num">Envoyées</th>
            <th scope="col" class="num">Réponses</th>
            <th scope="col" class="num">En emploi</th>
            <th scope="col" class="num">En formation</th>
          </tr>
        </thead>
        <tbody>
          {p.kpis.map((k) => (
            <tr>
              <th scope="row">{k.wave} mois</th>
              <td class="num">{k.sent}</td>
              <td class="num">{k.answered}</td>
              <td class="num">{k.employment}</td>
              <td class="num">{k.training}</td>
            </tr>
          ))}
        </tbody>
      </Table>
    </Layout>
  );
}

export function CertificationsPage(p: {
  c: Ctx;
  component: { id: string; title: string };
  certs: { id: string; code: string; title: string; skill_blocks: string[]; habilitations: { certifier: string; reference: string; valid_from: string; valid_until: string; attachment_id: string | null }[] }[];
  exams: { label: string; kind: string; exam_on: string }[];
  canWrite: boolean;
  refused?: { section: string; violations: Violation[] };
}) {
  const vs = (s: string) => (p.refused?.section === s ? p.refused.violations : undefined);
  return (
    <Layout c={p.c} title={`Certifications — ${p.component.title}`}>
      <p>
        <a href={`/offre/composantes/${p.component.id}`}>← {p.component.title}</a>
      </p>
      <h1>Certifications visées et habilitations</h1>
      {p.certs.map((c) => (
        <section aria-labelledby={`cert-${c.id}`} class="card">
          <h2 id={`cert-${c.id}`}>
            {c.code} — {c.title}
          </h2>
          <p>Blocs de compétences : {c.skill_blocks.length ? c.skill_blocks.join(" ; ") : "—"}</p>
          <ul>
            {c.habilitations.map((h) => (
              <li>
                Habilitation {h.reference} ({h.certifier}) du {formatDateFr(h.valid_from)} au {formatDateFr(h.valid_until)}
                {h.attachment_id ? " — document déposé" : ""}
              </li>
            ))}
          </ul>
          {c.habilitations.length === 0 ? <p>Aucune habilitation : l'inscription aux examens est impossible (CP-HABILITATION).</p> : null}
          {p.canWrite ? (
            <form method="post" action={`/offre/composantes/${p.component.id}/certifications/${c.id}/habilitation`} enctype="multipart/form-data">
              <CsrfField c={p.c} />
              {vs(`hab-${c.id}`) ? <ViolationList violations={vs(`hab-${c.id}`)!} title="Habilitation refusée" /> : null}
              <div class="grid">
                <Field form={`hab-${c.id}`} name="certifier" label="Certificateur" required />
                <Field form={`hab-${c.id}`} name="reference" label="Référence" required />
                <Field form={`hab-${c.id}`} name="validFrom" label="Valide du" type="date" required />
                <Field form={`hab-${c.id}`} name="validUntil" label="au" type="date" required />
              </div>
              <Field form={`hab-${c.id}`} name="document" label="Document (PDF)" type="file" attrs={{ accept: "application/pdf,image/jpeg,image/png" }} />
              <button type="submit" class="secondary">
                Déposer l'habilitation
              </button>
            </form>
          ) : null}
        </section>
      ))}
      {p.canWrite ? (
        <form method="post" action={`/offre/composantes/${p.component.id}/certifications`}>
          <CsrfField c={p.c} />
          <h2>Ajouter une certification visée</h2>
          {vs("cert") ? <ViolationList violations={vs("cert")!} title="Certification refusée" /> : null}
          <div class="grid">
            <Field form="cert" name="code" label="Code RNCP ou RS" required hint="Ex. RNCP37274 ou RS5440" error={errOf(vs("cert"), "code")} />
            <Field form="cert" name="title" label="Intitulé" required error={errOf(vs("cert"), "title")} />
          </div>
          <Area form="cert" name="skillBlocks" label="Blocs de compétences (un par ligne)" />
          <button type="submit">Ajouter</button>
        </form>
      ) : null}
      <h2>Épreuves et sélections visées (CP-PREP-EXAM-DATES)</h2>
      <ul>
        {p.exams.map((e) => (
          <li>
            {e.label} ({e.kind === "written" ? "écrit" : e.kind === "oral" ? "oral" : "sélection"}) le {formatDateFr(e.exam_on)}
          </li>
        ))}
      </ul>
      {p.canWrite ? (
        <form method="post" action={`/offre/composantes/${p.component.id}/epreuves`}>
          <CsrfField c={p.c} />
          <div class="grid">
            <Field form="ex" name="label" label="Épreuve ou sélection" required />
            <Select form="ex" name="kind" label="Type" options={[{ value: "written", label: "Écrit" }, { value: "oral", label: "Oral" }, { value: "selection", label: "Sélection" }]} />
            <Field form="ex" name="examOn" label="Date" type="date" required />
          </div>
          <button type="submit" class="secondary">
            Ajouter l'épreuve
          </button>
        </form>
      ) : null}
    </Layout>
  );
}

/** The facts of a path after exit, as the trainee, the prescriber and the Region read them. */
export function Summary(p: { s: PathSummary; children?: Child }) {
  const h = p.s.head;
  const t = p.s.realised.totals;
  return (
    <>
      <p>
        {h.component_title} chez {h.provider_name} — du {formatDateFr(h.entry_date)} au {formatDateFr(h.actual_exit_date ?? h.planned_exit_date)}
      </p>
      {p.s.exit ? (
        <p>
          Sortie : <strong>{r.exitReasonLabels[p.s.exit.reason as keyof typeof r.exitReasonLabels]}</strong>
          {p.s.exit.cause ? ` — ${p.s.exit.cause}` : ""}
        </p>
      ) : null}
      <p>
        Durée réalisée : {formatMinutes(t.total)} (centre {formatMinutes(t.inPerson)}, distance {formatMinutes(t.distance)}, autoformation {formatMinutes(t.selfStudy)}, entreprise {formatMinutes(t.company)}).
      </p>
      <h2>Examens</h2>
      {p.s.exams.length ? (
        <ul>
          {p.s.exams.map((e) => (
            <li>
              {e.code} {e.title} ({formatDateFr(e.session_on)}) : {e.result ? r.resultLabels[e.result as keyof typeof r.resultLabels] : "résultat attendu"}
              {e.passed_blocks.length ? ` — ${e.passed_blocks.join(", ")}` : ""}
            </li>
          ))}
        </ul>
      ) : (
        <p>Aucun examen.</p>
      )}
      {p.children}
      {p.s.exit?.action_plan ? (
        <>
          <h2>Plan d'action pour la suite</h2>
          <p>{p.s.exit.action_plan}</p>
        </>
      ) : null}
    </>
  );
}

export function TraineeBilanPage(p: { c: Ctx; s: PathSummary }) {
  const h = p.s.head;
  return (
    <Layout c={p.c} title="Mes évaluations et mon attestation">
      <h1>Mes évaluations, badges et attestation</h1>
      <Summary s={p.s}>
        <h2>Examens blancs</h2>
        {p.s.mockExams.length ? (
          <ul>
            {p.s.mockExams.map((m) => (
              <li>
                {m.title} ({formatDateFr(m.taken_on)}) : {m.score}/{m.out_of}
                {m.corrected_copy_id ? (
                  <>
                    {" — "}
                    <a href={`/mon-parcours/${h.id}/examens-blancs/${m.id}/copie`}>ma copie corrigée</a>
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        ) : (
          <p>Aucun examen blanc.</p>
        )}
        <h2>Mes badges</h2>
        {p.s.badges.length ? (
          <ul>
            {p.s.badges.map((b) => (
              <li>
                {b.title} {b.revoked_at ? "(révoqué)" : ""} — <a href={`/badges/${b.id}/credential.jwt`} download>télécharger (Open Badges 3.0)</a> — <a href={`/badges/${b.id}/ob2.json`} download>export Open Badges 2.0 (Moodle)</a> — <a href={`/badges/${b.id}`}>vérifier</a>
              </li>
            ))}
          </ul>
        ) : (
          <p>Aucun badge pour l'instant.</p>
        )}
      </Summary>
      {h.actual_exit_date ? (
        <p>
          <a href={`/mon-parcours/${h.id}/attestation-competences.pdf`}>Télécharger mon attestation de compétences (PDF)</a>
        </p>
      ) : null}
    </Layout>
  );
}

export function SynthesisPage(p: { c: Ctx; s: PathSummary }) {
  const h = p.s.head;
  return (
    <Layout c={p.c} title={`Synthèse — ${h.first_name} ${h.last_name}`}>
      <h1>
        Synthèse de parcours — {h.first_name} {h.last_name}
      </h1>
      <Summary s={p.s} />
      {h.actual_exit_date ? (
        <p>
          <a href={`/syntheses/${h.id}/attestation-competences.pdf`}>Attestation de compétences (PDF)</a>
        </p>
      ) : null}
      <p>
        <a class="button" href="/prescriptions/nouvelle">
          Reprendre l'accompagnement : nouvelle prescription
        </a>
      </p>
    </Layout>
  );
}

export function SynthesesPage(p: { c: Ctx; rows: { id: string; first_name: string; last_name: string; component_title: string; actual_exit_date: string | null }[] }) {
  return (
    <Layout c={p.c} title="Synthèses de parcours">
      <h1>Synthèses de parcours</h1>
      <p>Les personnes que votre organisme a prescrites et qui sont sorties de formation (CP-PRESCRIBER-SYNTHESIS).</p>
      {p.rows.length ? (
        <ul>
          {p.rows.map((x) => (
            <li>
              <a href={`/syntheses/${x.id}`}>
                {x.first_name} {x.last_name}
              </a>{" "}
              — {x.component_title}, sortie le {formatDateFr(x.actual_exit_date)}
            </li>
          ))}
        </ul>
      ) : (
        <p>Aucune synthèse pour l'instant.</p>
      )}
    </Layout>
  );
}

export function BadgePage(p: { c: Ctx; badgeId: string; v: Verification }) {
  const cred = p.v.credential as { name?: string; issuer?: { name?: string }; validFrom?: string; credentialSubject?: { achievement?: { description?: string } } } | undefined;
  return (
    <Layout c={p.c} title="Vérification d'un badge">
      <h1>Vérification d'un badge numérique</h1>
      {!p.v.found ? (
        <p role="alert">Aucun badge ne porte cet identifiant.</p>
      ) : (
        <>
          <p class={p.v.signatureValid && !p.v.revoked ? "alert success" : "alert error"} role="status">
            {!p.v.signatureValid ? "Signature invalide : ce badge a été modifié." : p.v.revoked ? `Badge révoqué le ${formatDateFr(p.v.revokedAt ? parisDate(p.v.revokedAt) : null)}.` : "Badge authentique et valide : signature vérifiée, non révoqué."}
          </p>
          {cred ? (
            <dl>
              <dt>Badge</dt>
              <dd>{cred.name}</dd>
              <dt>Émetteur</dt>
              <dd>{cred.issuer?.name}</dd>
              <dt>Délivré le</dt>
              <dd>{formatDateFr(cred.validFrom?.slice(0, 10))}</dd>
              <dt>Description</dt>
              <dd>{cred.credentialSubject?.achievement?.description}</dd>
            </dl>
          ) : null}
          <p>
            Format Open Badges 3.0 (VC-JWT signé Ed25519) : <a href={`/badges/${p.badgeId}/credential.jwt`}>le badge</a>, <a href="/badges/cle.json">la clé publique</a>, <a href="/badges/statut">la liste de révocation</a>.
          </p>
          <form method="post" action={`/badges/${p.badgeId}`}>
            <CsrfField c={p.c} />
            <Area form="verify" name="jwt" label="Vérifier un badge reçu (coller le contenu du fichier .jwt)" />
            <button type="submit" class="secondary">
              Vérifier
            </button>
          </form>
        </>
      )}
    </Layout>
  );
}

export function SatisfactionPage(p: { c: Ctx; token: string; form: { answered: boolean; componentTitle: string; providerName: string; questions: { id: string; kind: string; label: string }[] }; violations?: Violation[]; thanks?: boolean }) {
  const scale = ["Pas du tout d'accord", "Plutôt pas d'accord", "Sans avis", "Plutôt d'accord", "Tout à fait d'accord"];
  return (
    <Layout c={p.c} title="Questionnaire de satisfaction">
      <h1>Votre avis sur la formation</h1>
      <p>
        {p.form.componentTitle} — {p.form.providerName}. Vos réponses sont anonymes pour l'organisme : il ne voit que des moyennes.
      </p>
      {p.thanks || p.form.answered ? (
        <p class="alert success" role="status">
          Merci, votre réponse est enregistrée.
        </p>
      ) : (
        <form method="post" action={`/satisfaction/${p.token}`}>
          <CsrfField c={p.c} />
          {p.violations ? <ViolationList violations={p.violations} title="Questionnaire incomplet" /> : null}
          {p.form.questions.map((q) =>
            q.kind === "likert" ? (
              <fieldset>
                <legend>{q.label}</legend>
                {scale.map((label, i) => (
                  <div class="field radio">
                    <input type="radio" id={`q-${q.id}-${i + 1}`} name={`q-${q.id}`} value={String(i + 1)} required />
                    <label for={`q-${q.id}-${i + 1}`}>{label}</label>
                  </div>
                ))}
              </fieldset>
            ) : (
              <Area form="sat" name="comment" label={q.label} />
            ),
          )}
          <button type="submit">Envoyer mes réponses</button>
        </form>
      )}
    </Layout>
  );
}

export function SurveyPage(p: { c: Ctx; token: string; form: { wave: number; answered: boolean; unsubscribed: boolean; componentTitle: string }; violations?: Violation[]; message?: string }) {
  return (
    <Layout c={p.c} title="Enquête de la Région">
      <h1>Enquête de la Région Occitanie — {p.form.wave} mois après votre formation</h1>
      {p.message ? (
        <p class="alert success" role="status">
          {p.message}
        </p>
      ) : p.form.answered ? (
        <p class="alert success" role="status">
          Merci, votre réponse est enregistrée.
        </p>
      ) : (
        <form method="post" action={`/enquete/${p.token}`}>
          <CsrfField c={p.c} />
          <p>Formation suivie : {p.form.componentTitle}.</p>
          {p.violations ? <ViolationList violations={p.violations} title="Réponse incomplète" /> : null}
          <Select form="sv" name="situation" label="Votre situation aujourd'hui" required emptyLabel="Choisir…" options={[{ value: "employment", label: "En emploi" }, { value: "training", label: "En formation" }, { value: "job_seeking", label: "En recherche d'emploi" }, { value: "other", label: "Autre" }]} />
          <Select form="sv" name="satisfaction" label="Satisfaction envers la formation (1 à 5)" required options={["1", "2", "3", "4", "5"].map((x) => ({ value: x, label: x }))} value="4" />
          <Area form="sv" name="comment" label="Un commentaire ?" />
          <button type="submit">Envoyer</button>
        </form>
      )}
      {p.form.unsubscribed ? (
        <p>Vous ne recevrez plus d'enquête.</p>
      ) : (
        <form method="post" action={`/enquete/${p.token}/desinscription`}>
          <CsrfField c={p.c} />
          <button type="submit" class="secondary">
            Ne plus recevoir d'enquête
          </button>
        </form>
      )}
    </Layout>
  );
}
