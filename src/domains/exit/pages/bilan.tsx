// The provider's « Évaluation et sortie » page of a path: mock exams, exams and catch-up, soft skills
// and badges, the exit with its reason, the follow-ups, the skills certificate.
import { de } from "../../../core/french.ts";
import type { Ctx } from "../../../core/http/context.ts";
import { CsrfField, Field, Layout, Select, ViolationList } from "../../../core/pages/layout.tsx";
import { formatEuros, formatMinutes, type Violation } from "../../../core/rules.ts";
import { formatDateFr, parisDate } from "../../../core/time.ts";
import type { PathSummary } from "../store.ts";
import type { FollowUpRow } from "../use-cases.ts";
import * as r from "../rules.ts";
import { Area, Check, errOf, options } from "./parts.tsx";
import { Table } from "../../../core/pages/table.tsx";

export interface BilanProps {
  c: Ctx;
  s: PathSummary;
  canWrite: boolean;
  canRecord: boolean;
  certifications: { id: string; code: string; title: string; skill_blocks: string[] }[];
  softSkills: { id: string; title: string; position: number }[];
  followUps: FollowUpRow[];
  satisfaction: { sent_on: string; answered_at: Date | null } | undefined;
  warnings: Violation[];
  refused?: { section: string; violations: Violation[]; body?: Record<string, unknown> };
  notice?: string;
}

const v = (body: Record<string, unknown> | undefined, k: string) => (typeof body?.[k] === "string" ? (body[k] as string) : "");

export function BilanPage(p: BilanProps) {
  const h = p.s.head;
  const ref = p.refused;
  const vs = (section: string) => (ref?.section === section ? ref.violations : undefined);
  const body = ref?.body;
  const exited = Boolean(h.actual_exit_date);
  const failures = p.s.exams.filter((e) => e.result === "failed" || e.result === "partial");
  const refusal = (section: string) => (ref?.section === section ? <ViolationList violations={ref.violations} title="Action refusée" /> : null);
  return (
    <Layout c={p.c} title={`Évaluation et sortie — ${h.first_name} ${h.last_name}`}>
      <p>
        <a href={`/parcours/${h.id}`}>← Parcours {de(`${h.first_name} ${h.last_name}`)}</a>
      </p>
      <h1>
        Évaluation et sortie — {h.first_name} {h.last_name}
      </h1>
      <p>
        {h.component_title} — du {formatDateFr(h.entry_date)} au {formatDateFr(h.actual_exit_date ?? h.planned_exit_date)} {exited ? "(sortie réelle)" : "(sortie prévue)"}
      </p>
      {p.notice ? (
        <p class="alert success" role="status">
          {p.notice}
        </p>
      ) : null}
      {p.warnings.length ? <ViolationList violations={p.warnings} /> : null}

      <section aria-labelledby="mock-title">
        <h2 id="mock-title">Examens blancs (CP-MOCK-EXAMS)</h2>
        {p.s.mockExams.length ? (
          <Table label="Examens blancs et copies corrigées">
            <caption>Examens blancs et copies corrigées</caption>
            <thead>
              <tr>
                <th scope="col">Épreuve</th>
                <th scope="col">Date</th>
                <th scope="col" class="num">Note</th>
                <th scope="col">Copie corrigée</th>
              </tr>
            </thead>
            <tbody>
              {p.s.mockExams.map((m) => (
                <tr>
                  <th scope="row">{m.title}</th>
                  <td>{formatDateFr(m.taken_on)}</td>
                  <td class="num">
                    {m.score}/{m.out_of}
                  </td>
                  <td>{m.corrected_copy_id ? <a href={`/parcours/${h.id}/examens-blancs/${m.id}/copie`}>Télécharger</a> : "—"}</td>
                </tr>
              ))}
            </tbody>
          </Table>
        ) : (
          <p>Aucun examen blanc enregistré.</p>
        )}
        {p.canRecord ? (
          <form method="post" action={`/parcours/${h.id}/bilan/examen-blanc`} enctype="multipart/form-data">
            <CsrfField c={p.c} />
            {refusal("mock")}
            <div class="grid">
              <Field form="mock" name="title" label="Épreuve" required value={v(body, "title")} error={errOf(vs("mock"), "title")} />
              <Field form="mock" name="takenOn" label="Date" type="date" required value={v(body, "takenOn")} error={errOf(vs("mock"), "takenOn")} />
              <Field form="mock" name="score" label="Note" type="number" required value={v(body, "score")} error={errOf(vs("mock"), "score")} attrs={{ min: 0 }} />
              <Field form="mock" name="outOf" label="Sur" type="number" required value={v(body, "outOf") || "20"} attrs={{ min: 1 }} />
            </div>
            <Area form="mock" name="comment" label="Commentaire" value={v(body, "comment")} />
            <Field form="mock" name="copy" label="Copie corrigée (PDF, JPEG ou PNG, 10 Mo au plus)" type="file" error={errOf(vs("mock"), "copy")} attrs={{ accept: "application/pdf,image/jpeg,image/png" }} />
            <button type="submit">Enregistrer l'examen blanc</button>
          </form>
        ) : null}
      </section>

      <section aria-labelledby="exam-title">
        <h2 id="exam-title">Examens et certification (CP-EXAMS, CP-HABILITATION)</h2>
        {p.s.exams.length ? (
          <Table label="Inscriptions et résultats">
            <caption>Inscriptions et résultats</caption>
            <thead>
              <tr>
                <th scope="col">Certification</th>
                <th scope="col">Session</th>
                <th scope="col">Résultat</th>
                <th scope="col">Action</th>
              </tr>
            </thead>
            <tbody>
              {p.s.exams.map((e) => (
                <tr>
                  <th scope="row">
                    {e.code} — {e.title}
                    {e.second_session ? ` (seconde session${e.trainee_fee_cents ? `, frais à la charge du stagiaire : ${formatEuros(e.trainee_fee_cents)}` : ""})` : ""}
                  </th>
                  <td>
                    {formatDateFr(e.session_on)} — {e.internal ? "interne" : "externe"}
                  </td>
                  <td>
                    {e.result ? r.resultLabels[e.result as keyof typeof r.resultLabels] : "attendu"}
                    {e.passed_blocks.length ? ` : ${e.passed_blocks.join(", ")}` : ""}
                  </td>
                  <td>
                    {p.canRecord && !e.result ? (
                      <form method="post" action={`/parcours/${h.id}/examens/${e.id}/resultat`} class="inline">
                        <CsrfField c={p.c} />
                        <Select form={`res-${e.id}`} name="result" label="Résultat" options={options(r.resultLabels)} required />
                        {e.skill_blocks.length ? (
                          <fieldset>
                            <legend>Blocs obtenus (réussite partielle)</legend>
                            {e.skill_blocks.map((b, i) => (
                              <div class="field checkbox">
                                <input type="checkbox" id={`f-res-${e.id}-b${i}`} name="passedBlocks" value={b} />
                                <label for={`f-res-${e.id}-b${i}`}>{b}</label>
                              </div>
                            ))}
                          </fieldset>
                        ) : null}
                        <button type="submit" class="secondary">
                          Enregistrer le résultat
                        </button>
                      </form>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </Table>
        ) : (
          <p>Aucune inscription à un examen.</p>
        )}
        {refusal("result")}
        {p.canWrite && p.certifications.length ? (
          <form method="post" action={`/parcours/${h.id}/bilan/examen`}>
            <CsrfField c={p.c} />
            <h3>Inscrire à un examen (aux frais de l'organisme)</h3>
            {refusal("exam")}
            <div class="grid">
              <Select form="exam" name="certificationId" label="Certification" required options={p.certifications.map((c) => ({ value: c.id, label: `${c.code} — ${c.title}` }))} value={v(body, "certificationId")} error={errOf(vs("exam"), "certificationId")} />
              <Field form="exam" name="sessionOn" label="Date de la session" type="date" required value={v(body, "sessionOn")} error={errOf(vs("exam"), "sessionOn")} />
              <Select form="exam" name="internal" label="Examen" options={[{ value: "0", label: "Externe" }, { value: "1", label: "Interne" }]} value={v(body, "internal")} />
            </div>
            <button type="submit">Inscrire</button>
          </form>
        ) : p.canWrite ? (
          <p>
            Aucune certification n'est listée pour cette composante : <a href={`/offre/composantes/${h.component_id}/certifications`}>ajoutez-la</a>.
          </p>
        ) : null}
        {p.canWrite && failures.length ? (
          <>
            <form method="post" action={`/parcours/${h.id}/bilan/seconde-session`}>
              <CsrfField c={p.c} />
              <h3>Aide à l'inscription en seconde session</h3>
              <p class="hint">Seule une seconde session après un échec peut avoir des frais, à la charge du stagiaire (CP-EXAMS).</p>
              {refusal("second")}
              <div class="grid">
                <Select form="second" name="certificationId" label="Certification" required options={p.certifications.map((c) => ({ value: c.id, label: `${c.code} — ${c.title}` }))} />
                <Field form="second" name="sessionOn" label="Date de la seconde session" type="date" required value={v(body, "sessionOn")} />
                <Select form="second" name="internal" label="Examen" options={[{ value: "0", label: "Externe" }, { value: "1", label: "Interne" }]} />
                <Field form="second" name="fee" label="Frais à la charge du stagiaire (€, facultatif)" value={v(body, "fee")} error={errOf(vs("second"), "traineeFeeCents")} />
              </div>
              <Area form="second" name="help" label="Aide apportée" required value={v(body, "help")} error={errOf(vs("second"), "help")} />
              <button type="submit" class="secondary">
                Enregistrer la seconde session
              </button>
            </form>
            <form method="post" action={`/parcours/${h.id}/bilan/rattrapage`}>
              <CsrfField c={p.c} />
              <h3>Programme de rattrapage individuel (CP-CATCHUP)</h3>
              <p class="hint">Sur le même parcours, compté dans les 200 h ; il peut finir après la commande, jamais après l'accord-cadre ({formatDateFr(h.framework_end)}).</p>
              {refusal("catchup")}
              <div class="grid">
                <Select form="catchup" name="registrationId" label="Après l'examen" required options={failures.map((e) => ({ value: e.id, label: `${e.code} du ${formatDateFr(e.session_on)}` }))} />
                <Field form="catchup" name="duration" label="Durée (ex. 10 h 30)" required value={v(body, "duration")} error={errOf(vs("catchup"), "minutes")} />
                <Field form="catchup" name="startOn" label="Début" type="date" required value={v(body, "startOn")} />
                <Field form="catchup" name="endOn" label="Fin" type="date" required value={v(body, "endOn")} error={errOf(vs("catchup"), "endOn")} />
              </div>
              <Area form="catchup" name="content" label="Contenu" required value={v(body, "content")} />
              <button type="submit" class="secondary">
                Planifier le rattrapage
              </button>
            </form>
          </>
        ) : null}
        {p.s.catchups.length ? (
          <ul>
            {p.s.catchups.map((c) => (
              <li>
                Rattrapage : {formatMinutes(c.minutes)} du {formatDateFr(c.start_on)} au {formatDateFr(c.end_on)} — {c.content}
              </li>
            ))}
          </ul>
        ) : null}
      </section>

      <SoftSkillsSection {...p} />

      <section aria-labelledby="exit-title">
        <h2 id="exit-title">Sortie</h2>
        <p>
          Questionnaire de satisfaction (CP-SATISFACTION) :{" "}
          {p.satisfaction ? `lien envoyé le ${formatDateFr(p.satisfaction.sent_on)} — ${p.satisfaction.answered_at ? "répondu" : "pas encore de réponse"}` : "le lien part dans les deux dernières semaines du parcours"}.
        </p>
        {p.s.exit ? (
          <>
            <p>
              Sortie le {formatDateFr(h.actual_exit_date)} : <strong>{r.exitReasonLabels[p.s.exit.reason as keyof typeof r.exitReasonLabels]}</strong>
              {p.s.exit.cause ? ` — ${p.s.exit.cause}` : ""}. Avis d'enquêtes envoyé à {p.s.exit.email}.
            </p>
            <p>
              <a href={`/parcours/${h.id}/attestation-competences.pdf`}>Télécharger l'attestation de compétences (PDF)</a> — <a href={`/syntheses/${h.id}`}>synthèse pour le prescripteur</a>
            </p>
            <VaeSection {...p} />
          </>
        ) : exited ? (
          <p>
            Sortie enregistrée le {formatDateFr(h.actual_exit_date)} sans motif détaillé. <a href={`/parcours/${h.id}/attestation-competences.pdf`}>Attestation de compétences (PDF)</a>
          </p>
        ) : p.canWrite && (h.status === "validated" || h.status === "draft") ? (
          <form method="post" action={`/parcours/${h.id}/bilan/sortie`}>
            <CsrfField c={p.c} />
            {refusal("exit")}
            <p class="hint">
              Adresse e-mail du stagiaire : {h.email ?? "aucune"} — elle est exigée à la sortie pour les enquêtes de la Région à 6 et 18 mois (CP-SURVEY-NOTICE). <a href={`/stagiaires/${h.trainee_id}`}>Modifier la fiche</a>
            </p>
            <div class="grid">
              <Select form="exit" name="reason" label="Motif de sortie" required options={options(r.exitReasonLabels)} value={v(body, "reason")} emptyLabel="Choisir…" error={errOf(vs("exit"), "reason")} />
              <Field form="exit" name="actualExitDate" label="Date de sortie réelle" type="date" required value={v(body, "actualExitDate")} error={errOf(vs("exit"), "actualExitDate")} />
              <Field form="exit" name="cause" label="Cause (abandon ou exclusion)" value={v(body, "cause")} error={errOf(vs("exit"), "cause") ?? errOf(vs("exit"), "exitReason")} />
            </div>
            <Area form="exit" name="actionPlan" label="Plan d'action pour la suite" value={v(body, "actionPlan")} />
            <VaeFields form="exit" vs={vs("exit")} engaged={v(body, "vaeEngaged") === "1"} result={v(body, "vaeResult")} decidedOn={v(body, "vaeDecidedOn")} />
            <button type="submit">Enregistrer la sortie</button>
          </form>
        ) : null}
      </section>

      {exited ? <FollowUpSection {...p} /> : null}
    </Layout>
  );
}

function SoftSkillsSection(p: BilanProps) {
  const h = p.s.head;
  const body = p.refused?.body;
  const vs = p.refused?.section === "soft" ? p.refused.violations : undefined;
  const badgeOf = (id: string) => p.s.badges.find((b) => b.soft_skill_id === id);
  const validated = new Set(p.s.softSkills.filter((s) => s.validated).map((s) => s.soft_skill_id));
  return (
    <section aria-labelledby="soft-title">
      <h2 id="soft-title">Savoir-être et badges (CP-SOFT-SKILLS)</h2>
      {p.s.softSkills.length ? (
        <Table label="Étapes : identifier, développer et suivre, évaluer et valoriser">
          <caption>Étapes : identifier, développer et suivre, évaluer et valoriser</caption>
          <thead>
            <tr>
              <th scope="col">Savoir-être</th>
              <th scope="col">Étape</th>
              <th scope="col">Observation</th>
              <th scope="col">Le</th>
            </tr>
          </thead>
          <tbody>
            {p.s.softSkills.map((s) => (
              <tr>
                <th scope="row">{s.title}</th>
                <td>
                  {r.stepLabels[s.step as keyof typeof r.stepLabels]}
                  {s.validated ? " — validé" : ""}
                </td>
                <td>{s.observation}</td>
                <td>{formatDateFr(parisDate(s.recorded_at))}</td>
              </tr>
            ))}
          </tbody>
        </Table>
      ) : (
        <p>Aucune observation enregistrée.</p>
      )}
      {p.s.badges.length ? (
        <ul>
          {p.s.badges.map((b) => (
            <li>
              Badge « {b.title} » délivré le {formatDateFr(parisDate(b.issued_at))} — <a href={`/badges/${b.id}`}>page de vérification</a>
              {b.revoked_at ? " — révoqué" : null}
              {!b.revoked_at && p.canWrite ? (
                <form method="post" action={`/parcours/${h.id}/badges/${b.id}/revocation`} class="inline">
                  <CsrfField c={p.c} />
                  <Field form={`rev-${b.id}`} name="reason" label="Motif de révocation" required />
                  <button type="submit" class="secondary">
                    Révoquer
                  </button>
                </form>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      {p.refused?.section === "soft" ? <ViolationList violations={p.refused.violations} title="Action refusée" /> : null}
      {p.canRecord && p.softSkills.length ? (
        <form method="post" action={`/parcours/${h.id}/bilan/savoir-etre`}>
          <CsrfField c={p.c} />
          <div class="grid">
            <Select form="soft" name="softSkillId" label="Savoir-être (liste de la Région)" required options={p.softSkills.map((s) => ({ value: s.id, label: `${s.position}. ${s.title}` }))} value={v(body, "softSkillId")} />
            <Select form="soft" name="step" label="Étape" required options={options(r.stepLabels)} value={v(body, "step")} error={errOf(vs, "step")} />
          </div>
          <Area form="soft" name="observation" label="Observation" required value={v(body, "observation")} error={errOf(vs, "observation")} />
          <Check form="soft" name="validated" label="Savoir-être validé (étape « Évaluer et valoriser »)" />
          <button type="submit" class="secondary">
            Enregistrer l'étape
          </button>
        </form>
      ) : null}
      {p.canRecord && p.softSkills.some((s) => validated.has(s.id) && !badgeOf(s.id)) ? (
        <form method="post" action={`/parcours/${h.id}/bilan/badge`}>
          <CsrfField c={p.c} />
          <Select form="badge" name="softSkillId" label="Badge à délivrer (Open Badges 3.0)" required options={p.softSkills.filter((s) => validated.has(s.id) && !badgeOf(s.id)).map((s) => ({ value: s.id, label: s.title }))} />
          <button type="submit">Délivrer le badge</button>
        </form>
      ) : null}
    </section>
  );
}

function FollowUpSection(p: BilanProps) {
  const h = p.s.head;
  const vs = p.refused?.section === "followup" ? p.refused.violations : undefined;
  const recorded = new Map(p.s.followUps.map((f) => [f.milestone, f]));
  const stateLabel: Record<r.FollowUpState, string> = { done: "renseigné", upcoming: "à venir", due: "à renseigner", late: "en retard" };
  return (
    <section aria-labelledby="fu-title">
      <h2 id="fu-title">Suivi à la sortie, à 3 et à 6 mois (CP-EXIT-FOLLOWUP)</h2>
      <Table label="Situation du stagiaire après la sortie">
        <caption>Situation du stagiaire après la sortie du {formatDateFr(h.actual_exit_date)}</caption>
        <thead>
          <tr>
            <th scope="col">Étape</th>
            <th scope="col">À partir du</th>
            <th scope="col">Au plus tard le</th>
            <th scope="col">État</th>
            <th scope="col">Situation</th>
          </tr>
        </thead>
        <tbody>
          {p.followUps.map((f) => {
            const rec = recorded.get(f.milestone);
            return (
              <tr>
                <th scope="row">{r.milestoneLabels[f.milestone]}</th>
                <td>{formatDateFr(f.opensOn)}</td>
                <td>{formatDateFr(f.dueBy)}</td>
                <td>
                  <span class={f.state === "late" ? "badge danger" : "badge"}>{stateLabel[f.state]}</span>
                </td>
                <td>
                  {rec
                    ? `${r.situationLabels[rec.situation as keyof typeof r.situationLabels]}${rec.contract_type ? ` — ${r.contractLabels[rec.contract_type as keyof typeof r.contractLabels]}` : ""}${rec.rome_code ? ` (ROME ${rec.rome_code}${rec.in_target_sector ? ", secteur visé" : ""})` : ""}`
                    : "—"}
                </td>
              </tr>
            );
          })}
        </tbody>
      </Table>
      {p.canWrite ? (
        <form method="post" action={`/parcours/${h.id}/bilan/suivi`}>
          <CsrfField c={p.c} />
          {vs ? <ViolationList violations={vs} title="Suivi refusé" /> : null}
          <div class="grid">
            <Select form="fu" name="milestone" label="Étape" required options={options(r.milestoneLabels)} value={v(p.refused?.body, "milestone")} error={errOf(vs, "milestone")} />
            <Select form="fu" name="situation" label="Situation" required options={options(r.situationLabels)} value={v(p.refused?.body, "situation")} />
            <Select form="fu" name="contractType" label="Type de contrat (en emploi)" options={options(r.contractLabels)} emptyLabel="—" value={v(p.refused?.body, "contractType")} error={errOf(vs, "contractType")} />
            <Field form="fu" name="romeCode" label="Code ROME (en emploi)" value={v(p.refused?.body, "romeCode")} error={errOf(vs, "romeCode")} hint="Ex. K2111" />
          </div>
          <Check form="fu" name="inTargetSector" label="Dans le secteur visé par la formation" />
          <Area form="fu" name="note" label="Précisions" value={v(p.refused?.body, "note")} />
          <button type="submit">Enregistrer la situation</button>
        </form>
      ) : null}
    </section>
  );
}

/** CP-KPI-VAE: engaged in a VAE; its result and the jury's date once decided (both or neither). */
function VaeFields(p: { form: string; vs: Violation[] | undefined; engaged: boolean; result: string; decidedOn: string }) {
  return (
    <fieldset>
      <legend>VAE (validation des acquis de l'expérience)</legend>
      <Check form={p.form} name="vaeEngaged" label="Le stagiaire est engagé dans une VAE" checked={p.engaged} />
      <div class="grid">
        <Select form={p.form} name="vaeResult" label="Résultat de la VAE (si le jury a statué)" options={options(r.vaeResultLabels)} value={p.result} emptyLabel="Pas encore de décision" error={errOf(p.vs, "vaeResult")} />
        <Field form={p.form} name="vaeDecidedOn" label="Date de la décision du jury" type="date" value={p.decidedOn} error={errOf(p.vs, "vaeDecidedOn")} />
      </div>
    </fieldset>
  );
}

/** CP-KPI-VAE: the VAE recorded at exit, correctable afterwards (the jury often decides later). */
function VaeSection(p: BilanProps) {
  const x = p.s.exit!;
  const ref = p.refused?.section === "vae" ? p.refused : undefined;
  const said = x.vae_engaged ? `engagé dans une VAE — ${x.vae_result ? `${r.vaeResultLabels[x.vae_result].toLowerCase()} le ${formatDateFr(x.vae_decided_on)}` : "décision du jury attendue"}` : "pas de VAE";
  return (
    <>
      <h3 id="vae-title">VAE (CP-KPI-VAE)</h3>
      <p>VAE : {said}.</p>
      {p.canWrite ? (
        <form method="post" action={`/parcours/${p.s.head.id}/bilan/vae`}>
          <CsrfField c={p.c} />
          {ref ? <ViolationList violations={ref.violations} title="Action refusée" /> : null}
          <VaeFields
            form="vae"
            vs={ref?.violations}
            engaged={ref ? v(ref.body, "vaeEngaged") === "1" : x.vae_engaged}
            result={ref ? v(ref.body, "vaeResult") : (x.vae_result ?? "")}
            decidedOn={ref ? v(ref.body, "vaeDecidedOn") : (x.vae_decided_on ?? "")}
          />
          <button type="submit">Enregistrer la VAE</button>
        </form>
      ) : null}
    </>
  );
}
