// The path overview: identity, positioning, plan totals and checks, entry/exit, deposits, history.
import { dateTimeSecondsFr, de } from "../../../core/french.ts";
import type { Ctx } from "../../../core/http/context.ts";
import { CsrfField, Field, Layout, ViolationList } from "../../../core/pages/layout.tsx";
import { formatEuros, formatMinutes, type Violation } from "../../../core/rules.ts";
import { formatDateFr } from "../../../core/time.ts";
import type { PathRealised } from "../../ledger/use-cases.ts";
import type { PathEvaluation } from "../evaluate.ts";
import type { PathDetail } from "../queries.ts";
import { hoursText } from "./form.ts";
import { modalityLabels, pathStatusLabels, StatusBadge, TotalsTable } from "./labels.tsx";
import { TraineeForm } from "./trainee-form.tsx";
import { Table } from "../../../core/pages/table.tsx";

export interface PathPageProps {
  c: Ctx;
  detail: PathDetail;
  evaluation: PathEvaluation;
  canWrite: boolean;
  referents: { id: string; full_name: string }[];
  /** Violations of a refused action, shown at the top with what the user typed kept in the form. */
  refused?: { section: string; violations: Violation[]; body?: Record<string, unknown> };
  notice?: string;
  /** Realised minutes from signed attendance (ledger domain). */
  realised?: PathRealised;
}

const val = (body: Record<string, unknown> | undefined, k: string, fallback: string | number | null | undefined) =>
  body && typeof body[k] === "string" ? (body[k] as string) : (fallback ?? "");

export function PathPage(props: PathPageProps) {
  const { detail, evaluation, canWrite } = props;
  const h = detail.head;
  const p = detail.positioning;
  const ref = props.refused;
  const refusedIn = (section: string) => (ref?.section === section ? ref.violations : []);
  const open = h.status === "draft" || h.status === "validated";
  return (
    <Layout c={props.c} title={`Parcours ${de(`${h.first_name} ${h.last_name}`)}`}>
      <p>
        <a href="/stagiaires">← Stagiaires</a>
      </p>
      <h1>
        {h.first_name} {h.last_name} <StatusBadge status={h.status} />
      </h1>
      {props.notice ? (
        <div class="alert success" role="status">
          <p>{props.notice}</p>
        </div>
      ) : null}
      <div class="grid">
        <section aria-labelledby="id-title">
          <h2 id="id-title">Stagiaire</h2>
          <dl>
            <dt>Né·e le</dt>
            <dd>{formatDateFr(h.birth_date)}</dd>
            <dt>Identifiant France Travail</dt>
            <dd>{h.france_travail_id ?? "—"}</dd>
            <dt>Inscrit·e comme demandeur d'emploi</dt>
            <dd>{h.job_seeker_registered ? "Oui" : "Non — l'entrée est impossible tant que l'inscription n'est pas faite"}</dd>
            <dt>Contact</dt>
            <dd>{[h.email, h.phone].filter(Boolean).join(" — ") || "—"}</dd>
            <dt>Référent pédagogique</dt>
            <dd>{h.referent_name ?? "Non désigné"}</dd>
            <dt>CV mis à jour sur France Travail</dt>
            <dd>{formatDateFr(h.cv_updated_on)}</dd>
          </dl>
          {canWrite ? <TraineeForm c={props.c} detail={detail} referents={props.referents} body={ref?.section === "trainee" ? ref.body : undefined} violations={refusedIn("trainee")} /> : null}
        </section>
        <section aria-labelledby="order-title">
          <h2 id="order-title">Commande et composante</h2>
          <dl>
            <dt>Composante</dt>
            <dd>{h.component_title}</dd>
            <dt>Commande</dt>
            <dd>
              <a href={`/commandes/${h.order_id}`}>{h.order_number}</a> (du {formatDateFr(h.planned_start)} au {formatDateFr(h.planned_end)})
            </dd>
            <dt>Site</dt>
            <dd>
              {h.site_name} ({h.commune})
            </dd>
            <dt>Entrée / sortie prévue</dt>
            <dd>
              {formatDateFr(h.entry_date)} → {formatDateFr(h.planned_exit_date)}
              {h.actual_exit_date ? ` (sortie réelle : ${formatDateFr(h.actual_exit_date)})` : ""}
            </dd>
          </dl>
        </section>
      </div>

      <section aria-labelledby="plan-title">
        <h2 id="plan-title">Parcours individualisé</h2>
        {detail.items.length === 0 ? (
          <p>Aucun module n'est encore prévu.</p>
        ) : (
          <Table label="Modules prévus">
            <caption>Modules prévus</caption>
            <thead>
              <tr>
                <th scope="col">Module</th>
                <th scope="col">Modalité</th>
                <th scope="col" class="num">Heures</th>
                <th scope="col">Remarque</th>
              </tr>
            </thead>
            <tbody>
              {detail.items.map((i) => (
                <tr>
                  <th scope="row">{i.label}</th>
                  <td>
                    {modalityLabels[i.modality]}
                    {i.self_study_location ? (i.self_study_location === "remote" ? " (à distance)" : " (au centre)") : ""}
                  </td>
                  <td class="num">{i.exempted ? "—" : formatMinutes(i.planned_minutes)}</td>
                  <td>{i.exempted ? `Dispensé : ${i.exemption_reason}` : ""}</td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
        {canWrite && open ? (
          <p>
            <a class="button" href={`/parcours/${h.id}/construire`}>
              {h.status === "validated" ? "Réajuster le parcours" : "Construire le parcours"}
            </a>
          </p>
        ) : null}
        <TotalsTable planned={evaluation.planned} caption="Heures par modalité (positionnement compris)" />
        <ViolationList violations={evaluation.violations} id="path-checks" ok />
      </section>

      {props.realised ? <RealisedSection pathId={h.id} realised={props.realised} canCertify={h.status !== "draft"} /> : null}

      <section aria-labelledby="pos-title">
        <h2 id="pos-title">Positionnement</h2>
        {ref?.section === "positioning" ? <ViolationList violations={refusedIn("positioning")} title="Positionnement non enregistré" /> : null}
        {canWrite && open ? (
          <form method="post" action={`/parcours/${h.id}/positionnement`}>
            <CsrfField c={props.c} />
            <div class="grid">
              <Field name="minutes" label="Durée du positionnement" hint="Entre 2 h et 14 h (indicatif). Exemples : 3, 3h30." required value={val(ref?.body, "minutes", p ? hoursText(p.minutes) : "")} />
              <Field
                name="startedOn"
                label="Date des premières évaluations"
                type="date"
                hint="Premier jour du parcours s'il précède l'entrée (CP-ENTRY-YEAR-N) ; à défaut, la date de restitution."
                value={val(ref?.body, "startedOn", p?.started_on)}
              />
              <Field name="restitutionOn" label="Date de la restitution en face à face" type="date" value={val(ref?.body, "restitutionOn", p?.restitution_on)} />
            </div>
            <div class="field">
              <label for="f-evaluations">Évaluations réalisées *</label>
              <textarea id="f-evaluations" name="evaluations" required>{val(ref?.body, "evaluations", p?.evaluations)}</textarea>
            </div>
            <fieldset>
              <legend>Livrable préconisé</legend>
              <div class="field">
                <label for="f-priorLearning">Acquis antérieurs</label>
                <textarea id="f-priorLearning" name="priorLearning">{val(ref?.body, "priorLearning", p?.prior_learning)}</textarea>
              </div>
              <div class="field">
                <label for="f-competences">Compétences évaluées</label>
                <textarea id="f-competences" name="competences">{val(ref?.body, "competences", p?.competences)}</textarea>
              </div>
              <div class="field">
                <label for="f-recommendedExemptions">Dispenses préconisées</label>
                <textarea id="f-recommendedExemptions" name="recommendedExemptions">{val(ref?.body, "recommendedExemptions", p?.recommended_exemptions)}</textarea>
              </div>
              <div class="grid">
                <Field name="recommendedMinutes" label="Durée préconisée du parcours" hint="Exemple : 150" value={val(ref?.body, "recommendedMinutes", p?.recommended_minutes ? hoursText(p.recommended_minutes) : "")} />
                <Field name="recommendedMethods" label="Modalités préconisées" value={val(ref?.body, "recommendedMethods", p?.recommended_methods)} />
              </div>
              <div class="field">
                <input type="checkbox" id="f-access" name="recommendsAccessSite" value="1" checked={Boolean(p?.recommends_access_site)} />{" "}
                <label for="f-access" class="inline">Séquences à distance conseillées en point d'accès e-formation</label>
              </div>
            </fieldset>
            <button type="submit">Enregistrer le positionnement</button>
          </form>
        ) : p ? (
          <p>
            {formatMinutes(p.minutes)} — {p.started_on ? `premières évaluations le ${formatDateFr(p.started_on)}, ` : ""}restitution le {formatDateFr(p.restitution_on)} — {p.evaluations}
          </p>
        ) : (
          <p>Aucun positionnement enregistré.</p>
        )}
      </section>
      {p?.recommends_access_site ? (
        <p>
          <a href={`/parcours/${h.id}/site-acces`}>Places en site d'accès e-formation : réserver, repositionner à domicile</a>
        </p>
      ) : null}

      <p>
        <a href={`/parcours/${h.id}/bilan`}>Évaluation et sortie : examens, savoir-être, sortie avec son motif, suivi à 3 et 6 mois, attestation de compétences</a>
      </p>
      <ul aria-label="Stages et suivi">
        {h.e_formation ? (
          <li>
            <a href={`/eformation/parcours/${h.id}/protocole`}>Protocole individuel de formation e-formation : générer, signer, PDF</a>
          </li>
        ) : null}
        <li>
          <a href={`/parcours/${h.id}/stages`}>Périodes en entreprise, conventions et livret d'accueil</a>
        </li>
        <li>
          <a href={`/stagiaires/${h.trainee_id}/suivi`}>Suivi du stagiaire : entretiens, freins, alerte de décrochage, arrêts et accidents</a>
        </li>
      </ul>
      {canWrite ? (
        <section aria-labelledby="status-title">
          <h2 id="status-title">Entrée et sortie</h2>
          {ref?.section === "status" ? <ViolationList violations={refusedIn("status")} title="Action refusée" /> : null}
          {h.status === "draft" ? (
            <form method="post" action={`/parcours/${h.id}/valider`} class="actions">
              <CsrfField c={props.c} />
              <p>La validation vaut entrée en formation : positionnement restitué, référent pédagogique désigné et inscription à France Travail sont exigés.</p>
              <button type="submit">Valider le parcours (entrée)</button>
            </form>
          ) : null}
        </section>
      ) : null}

      <section aria-labelledby="dep-title">
        <h2 id="dep-title">Caution de matériel</h2>
        <p class="muted">La formation est gratuite pour le stagiaire : seule une caution remboursable pour du matériel prêté peut être demandée, 200 € au plus par parcours (CP-FREE-OF-CHARGE, CP-DEPOSIT-MAX-200).</p>
        {detail.deposits.length ? (
          <Table label="Cautions">
            <caption>Cautions</caption>
            <thead>
              <tr>
                <th scope="col">Matériel</th>
                <th scope="col" class="num">Montant</th>
                <th scope="col">Versée le</th>
                <th scope="col">Devenir</th>
              </tr>
            </thead>
            <tbody>
              {detail.deposits.map((d) => (
                <tr>
                  <th scope="row">{d.material}</th>
                  <td class="num">{formatEuros(d.amount_cents)}</td>
                  <td>{formatDateFr(d.taken_on)}</td>
                  <td>
                    {d.refunded_on ? `Restituée le ${formatDateFr(d.refunded_on)}` : d.kept_reason ? `Retenue : ${d.kept_reason}` : canWrite ? (
                      <form method="post" action={`/cautions/${d.id}/restitution`} class="actions">
                        <CsrfField c={props.c} />
                        <input type="hidden" name="pathId" value={h.id} />
                        <label for={`refund-${d.id}`}>Date de restitution</label>
                        <input type="date" id={`refund-${d.id}`} name="refundedOn" required />
                        <button type="submit" class="secondary">Restituer</button>
                      </form>
                    ) : (
                      "Détenue"
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </Table>
        ) : (
          <p>Aucune caution.</p>
        )}
        {canWrite && open ? (
          <form method="post" action={`/parcours/${h.id}/caution`}>
            <CsrfField c={props.c} />
            {ref?.section === "deposit" ? <ViolationList violations={refusedIn("deposit")} title="Caution refusée" /> : null}
            <div class="grid">
              <Field name="material" label="Matériel prêté" required value={val(ref?.body, "material", "")} />
              <Field name="amount" label="Montant (€)" hint="Exemple : 150 ou 49,90" required value={val(ref?.body, "amount", "")} />
              <Field name="takenOn" label="Date de versement" type="date" required value={val(ref?.body, "takenOn", h.entry_date)} />
            </div>
            <button type="submit" class="secondary">Enregistrer la caution</button>
          </form>
        ) : null}
      </section>

      <section aria-labelledby="hist-title">
        <h2 id="hist-title">Historique</h2>
        <ul>
          {detail.transitions.map((t) => (
            <li>
              {dateTimeSecondsFr(t.at as unknown as string)} — {t.from_status ? `${pathStatusLabels[t.from_status]} → ` : ""}
              {pathStatusLabels[t.to_status]} par {t.full_name ?? "—"}
              {t.reason ? ` (${t.reason})` : ""}
            </li>
          ))}
          {detail.adjustments.map((a) => (
            <li>
              {dateTimeSecondsFr(a.adjusted_at as unknown as string)} — réajustement par {a.full_name ?? "—"} : {a.reason}
            </li>
          ))}
        </ul>
      </section>
    </Layout>
  );
}

const absenceModality: Record<string, string> = { centre: "centre", company: "entreprise", distance: "distance", self_study: "autoformation", gathering: "regroupement" };

/** CP-ATTENDANCE-REALISED, CP-MODALITIES, CP-ABSENCE-DECLARED: what proved attendance realises, and what is only declared. */
function RealisedSection(props: { pathId: string; realised: PathRealised; canCertify: boolean }) {
  const { categories: k, absences: a, totals } = props.realised;
  return (
    <section aria-labelledby="realised-title">
      <h2 id="realised-title">Heures réalisées</h2>
      <p class="muted">
        Issues des seules présences prouvées : signature du·de la stagiaire (ou du·de la tuteur·rice en entreprise), ou feuille papier scannée et contresignée ; une présence
        seulement marquée par le·la formateur·rice est déclarée, pas réalisée (CP-ATTENDANCE-REALISED, CP-SELFSTUDY-PRESENCE).
      </p>
      {props.realised.declared > 0 ? (
        <p class="alert warning">
          {formatMinutes(props.realised.declared)} de présences déclarées, preuve en attente : ni réalisées, ni certifiées, ni facturées tant que la signature ou la feuille scannée
          contresignée n'est pas arrivée.
        </p>
      ) : null}
      <Table label="Heures réalisées par catégorie de la Région">
        <caption>Heures réalisées par catégorie de la Région</caption>
        <thead>
          <tr>
            <th scope="col">Catégorie</th>
            <th scope="col" class="num">Heures</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">Centre (présentiel, regroupements, positionnement {formatMinutes(totals.positioning)})</th>
            <td class="num">{formatMinutes(k.centre)}</td>
          </tr>
          <tr>
            <th scope="row">Entreprise</th>
            <td class="num">{formatMinutes(k.company)}</td>
          </tr>
          <tr>
            <th scope="row">Distance (FAD, synchrone)</th>
            <td class="num">{formatMinutes(k.distance)}</td>
          </tr>
          <tr>
            <th scope="row">Autoformation (à distance {formatMinutes(k.selfStudyRemote)}, au centre {formatMinutes(k.selfStudyCentre)})</th>
            <td class="num">{formatMinutes(k.selfStudy)}</td>
          </tr>
          <tr>
            <th scope="row">Total réalisé</th>
            <td class="num">
              <strong>{formatMinutes(totals.total)}</strong>
            </td>
          </tr>
        </tbody>
      </Table>
      <p>
        Absences enregistrées : {a.absent} non justifiée(s), {a.excused} justifiée(s){a.minutes ? `, soit ${formatMinutes(a.minutes)}` : ""}.
      </p>
      {a.list.length ? (
        <ul>
          {a.list.slice(0, 20).map((x) => (
            <li>
              {formatDateFr(x.date)} {x.start}–{x.end} ({absenceModality[x.modality] ?? x.modality}) : {x.status === "absent" ? "absence" : "absence justifiée"}
            </li>
          ))}
        </ul>
      ) : null}
      <p class="actions">
        <a class="button" href={`/parcours/${props.pathId}/certificats`}>
          {props.canCertify ? "Certificats de réalisation" : "Certificats de réalisation (après validation)"}
        </a>
      </p>
    </section>
  );
}
