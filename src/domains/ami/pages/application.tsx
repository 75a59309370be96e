// Pages /ami/candidatures/:id — the application form (draft, save, submit, receipt) and, once
// submitted, the selection and the three missions, each step for whoever takes it.
import { de } from "../../../core/french.ts";
import type { OpenAPIHono } from "@hono/zod-openapi";
import { may } from "../../../core/auth/roles.ts";
import type { AppEnv, Ctx } from "../../../core/http/context.ts";
import { actorOf, depsOf } from "../../../core/http/context.ts";
import { attempt, formBody, type FormBody, str, strs } from "../../../core/pages/forms.ts";
import { CsrfField, errorFor, Field, Layout, Select, ViolationList } from "../../../core/pages/layout.tsx";
import type { Violation } from "../../../core/rules.ts";
import { parisDate } from "../../../core/time.ts";
import { formatParis } from "../paris.ts";
import { receiptPdf } from "../pdf.ts";
import { AXES, axisLabels, DELIVERABLE_KINDS, deliverableLabels, formatDays, formatPercent, PIC_PUBLICS, picPublicLabels } from "../rules.ts";
import * as uc from "../use-cases.ts";
import { Choices, frDate, pdfResponse, StatusBadge, TextArea } from "./parts.tsx";
import { Table } from "../../../core/pages/table.tsx";

const now = (c: Ctx) => depsOf(c).clock.now();
const TEAM_ROWS = 6;

/** The form's fields as typed, turned into the use case's input (kept as typed on a refusal). */
function applicationInput(body: FormBody) {
  const team = Array.from({ length: TEAM_ROWS }, (_, i) => ({ name: str(body, `team_name_${i}`), role: str(body, `team_role_${i}`), commitment: str(body, `team_commitment_${i}`) })).filter(
    (m) => m.name.trim() !== "" || m.role.trim() !== "" || m.commitment.trim() !== "",
  );
  const prior = str(body, "priorAccompaniment");
  return {
    network: str(body, "network"),
    needs: { professions: str(body, "professions"), digitalisation: str(body, "digitalisation"), pedagogy: str(body, "pedagogy"), phases: str(body, "phases") },
    team,
    projectLeadName: str(body, "projectLeadName"),
    projectLeadShare: str(body, "projectLeadShare"),
    siteMode: (str(body, "siteMode") || "single") as "single" | "multi",
    referenceSiteId: str(body, "referenceSiteId") || null,
    implementationSiteIds: strs(body, "implementationSiteIds"),
    targetPublics: strs(body, "targetPublics") as (typeof PIC_PUBLICS)[number][],
    ecologicalActions: str(body, "ecologicalActions"),
    priorAccompaniment: prior === "yes" ? true : prior === "no" ? false : null,
    priorAccompanimentDetail: str(body, "priorAccompanimentDetail"),
  };
}
type FormValues = ReturnType<typeof applicationInput>;

async function editPage(c: Ctx, id: string, typed: FormValues | undefined, violations: Violation[], status = 200) {
  const v = await uc.getApplication(depsOf(c).db, actorOf(c), id);
  const a = v.app;
  const values: FormValues = typed ?? {
    network: a.network ?? "",
    needs: a.needs,
    team: a.team,
    projectLeadName: a.project_lead_name,
    projectLeadShare: a.project_lead_share_bp === null ? "" : formatPercent(a.project_lead_share_bp).replace(" %", ""),
    siteMode: a.site_mode,
    referenceSiteId: a.reference_site_id,
    implementationSiteIds: a.implementation_site_ids,
    targetPublics: a.target_publics as FormValues["targetPublics"],
    ecologicalActions: a.ecological_actions,
    priorAccompaniment: a.prior_accompaniment,
    priorAccompanimentDetail: a.prior_accompaniment_detail,
  };
  const siteOptions = v.sites.map((s) => ({ value: s.id, label: `${s.name} — ${s.commune} (${s.departement_code})` }));
  return c.html(
    <Layout c={c} title="Candidature AMI">
      <p>
        <a href={`/ami/candidatures/${id}`}>← La candidature</a>
      </p>
      <h1>Candidature — {v.call.title}</h1>
      <p>
        Date limite de dépôt : <strong>{formatParis(v.call.submission_deadline)}</strong> (heure de Paris). Enregistrez votre brouillon autant de fois que nécessaire ; le dépôt vérifie chaque règle.{" "}
        <a href={`/ami/appels/${v.call.id}/formulaire.pdf`}>Formulaire vierge (PDF)</a>
      </p>
      {c.req.query("ok") ? (
        <p class="alert success" role="status">
          Brouillon enregistré.
        </p>
      ) : null}
      {violations.length > 0 ? <ViolationList violations={violations} title="Votre saisie est conservée ; corrigez ces points" /> : null}
      <form method="post" action={`/ami/candidatures/${id}`}>
        <CsrfField c={c} />
        <fieldset>
          <legend>1. Besoins selon les trois axes (AMI-AXES)</legend>
          {AXES.map((x) => (
            <TextArea name={x} label={axisLabels[x]} value={values.needs[x]} violations={violations} />
          ))}
          <TextArea name="phases" label="Phases du projet (présenté dans sa globalité)" value={values.needs.phases} violations={violations} />
        </fieldset>
        <fieldset>
          <legend>2. Équipe engagée dans la démarche</legend>
          {errorFor(violations, "team") ? <p class="field-error">{errorFor(violations, "team")}</p> : null}
          {Array.from({ length: TEAM_ROWS }, (_, i) => (
            <div class="grid">
              <Field name={`team_name_${i}`} label={`Membre ${i + 1} : nom`} value={values.team[i]?.name} />
              <Field name={`team_role_${i}`} label={`Membre ${i + 1} : fonction`} value={values.team[i]?.role} />
              <Field name={`team_commitment_${i}`} label={`Membre ${i + 1} : engagement`} value={values.team[i]?.commitment} />
            </div>
          ))}
          <div class="grid">
            <Field name="projectLeadName" label="Chef de projet" value={values.projectLeadName} error={errorFor(violations, "projectLeadName")} />
            <Field name="projectLeadShare" label="Part d'un ETP consacrée au projet par le chef de projet (%)" value={values.projectLeadShare} hint="10 % au moins (AMI-COMMITMENT-10PCT), ex. 12,5." error={errorFor(violations, "projectLeadShare")} />
          </div>
        </fieldset>
        <fieldset>
          <legend>3. Sites (AMI-SITES) — le lot est celui du site de référence</legend>
          <Field name="network" label="Réseau d'organismes déclaré (le cas échéant)" value={values.network} hint="Un seul dossier par lot pour un réseau ou un organisme multi-site." />
          <Choices
            name="siteMode"
            legend="Organisation"
            type="radio"
            options={[
              { value: "single", label: "Mono-site : un seul site, lieu de référence et de mise en œuvre" },
              { value: "multi", label: "Réseau ou multi-site : un site de référence et de 1 à 3 lieux de mise en œuvre" },
            ]}
            checked={[values.siteMode]}
          />
          <Select name="referenceSiteId" label="Site de référence (diagnostic, plan d'actions, lieu du chef de projet)" options={siteOptions} value={values.referenceSiteId} emptyLabel="— choisir —" error={errorFor(violations, "referenceSiteId")} />
          <Choices name="implementationSiteIds" legend="Lieux de mise en œuvre (multi-site : 1 à 3)" type="checkbox" options={siteOptions} checked={values.implementationSiteIds} violations={violations} />
        </fieldset>
        <fieldset>
          <legend>4. Publics, transition écologique, accompagnement antérieur</legend>
          <Choices name="targetPublics" legend="Publics cibles du PIC" type="checkbox" options={PIC_PUBLICS.map((p) => ({ value: p, label: picPublicLabels[p] }))} checked={values.targetPublics} />
          <TextArea name="ecologicalActions" label="Actions de formation liées à la transition écologique et énergétique" value={values.ecologicalActions} violations={violations} />
          <Choices
            name="priorAccompaniment"
            legend="Avez-vous bénéficié d'un accompagnement lors d'un précédent appel ?"
            type="radio"
            options={[
              { value: "no", label: "Non, jamais" },
              { value: "yes", label: "Oui" },
            ]}
            checked={values.priorAccompaniment === null ? [] : [values.priorAccompaniment ? "yes" : "no"]}
            violations={violations}
          />
          <TextArea name="priorAccompanimentDetail" label="Si oui, lequel" value={values.priorAccompanimentDetail} violations={violations} />
        </fieldset>
        <div class="actions">
          <button type="submit">Enregistrer le brouillon</button>
          <button type="submit" formaction={`/ami/candidatures/${id}/deposer`}>
            Enregistrer et déposer
          </button>
        </div>
      </form>
    </Layout>,
    status as 200,
  );
}

async function viewPage(c: Ctx, id: string, violations: Violation[] = [], status = 200) {
  const actor = actorOf(c);
  const v = await uc.getApplication(depsOf(c).db, actorOf(c), id);
  const a = v.app;
  const isRegion = actor.role === "region_officer";
  const isExpert = may(actor, "ami.expertise");
  const isApplicant = may(actor, "ami.apply");
  const lot = v.call.lots.find((l) => l.id === a.lot_id);
  const approved = v.actions.filter((x) => x.approved === true);
  const m2Warnings = a.status === "mission_2" ? uc.mission2Warning(v.call.mission2_latest_end, now(c)) : [];
  const post = (path: string) => `/ami/candidatures/${id}/${path}`;
  const sites = new Map(v.sites.map((s) => [s.id, `${s.name} (${s.commune})`]));
  return c.html(
    <Layout c={c} title={`Candidature AMI — ${v.providerName}`}>
      <p>
        <a href="/ami">← AMI modernisation</a>
      </p>
      <h1>
        Candidature {de(v.providerName)} <StatusBadge status={a.status} />
      </h1>
      {c.req.query("ok") ? (
        <p class="alert success" role="status">
          Enregistré.
        </p>
      ) : null}
      {violations.length > 0 ? <ViolationList violations={violations} /> : null}
      <dl>
        <dt>Appel</dt>
        <dd>
          <a href={`/ami/appels/${v.call.id}`}>{v.call.title}</a>
        </dd>
        <dt>Lot</dt>
        <dd>{lot ? lot.name : "—"}</dd>
        <dt>Déposée le</dt>
        <dd>{a.submitted_at ? formatParis(a.submitted_at) : "pas encore déposée"}</dd>
        <dt>Valable jusqu'au (AMI-RECEIPT)</dt>
        <dd>{frDate(a.valid_until)}</dd>
        <dt>Prestataire expert</dt>
        <dd>{v.expert?.name ?? "non désigné"}</dd>
      </dl>
      {a.status === "draft" && isApplicant ? (
        <p>
          <a href={`/ami/candidatures/${id}/modifier`}>Compléter et déposer la candidature</a>
        </p>
      ) : null}
      {a.status !== "draft" ? (
        <p>
          <a href={`/ami/candidatures/${id}/recapitulatif.pdf`}>Télécharger le récapitulatif (PDF)</a>
        </p>
      ) : null}
      <details>
        <summary>Contenu de la candidature</summary>
        <dl>
          {uc.summaryLines(a, v.call, v.providerName, sites).map(([k, val]) => (
            <>
              <dt>{k}</dt>
              <dd>{val}</dd>
            </>
          ))}
        </dl>
      </details>

      {isRegion && a.status === "submitted" ? (
        <section aria-labelledby="selection-title">
          <h2 id="selection-title">Sélection (AMI-SELECTION, AMI-PRIORITY)</h2>
          <form method="post" action={post("rang")}>
            <CsrfField c={c} />
            <div class="grid">
              <Field name="position" label="Forcer le rang (vide : rang calculé)" type="number" value={a.override_position} attrs={{ min: 1 }} />
              <Field name="reason" label="Raison du changement de rang" value={a.override_reason} />
            </div>
            <button type="submit">Enregistrer le rang</button>
          </form>
          <form method="post" action={post("decision")}>
            <CsrfField c={c} />
            <Select
              name="decision"
              label="Décision"
              options={[
                { value: "retained", label: "Retenue" },
                { value: "not_retained", label: "Non retenue" },
              ]}
              required
            />
            <TextArea name="reason" label="Motif (adressé au candidat ; obligatoire si non retenue)" />
            <button type="submit">Enregistrer la décision</button>
          </form>
        </section>
      ) : null}
      {isRegion && a.status === "retained" ? (
        <section aria-labelledby="expert-title">
          <h2 id="expert-title">Désigner le prestataire expert (AMI-EXPERT-IN-LOT)</h2>
          <form method="post" action={post("expert")}>
            <CsrfField c={c} />
            <Select name="expertProviderId" label={`Prestataire expert du ${lot?.name ?? "lot"}`} options={(lot?.experts ?? []).map((e) => ({ value: e.id, label: e.name }))} required />
            <button type="submit">Désigner et ouvrir la mission 1</button>
          </form>
        </section>
      ) : null}

      {["mission_1", "mission_2", "mission_3", "completed"].includes(a.status) ? (
        <section aria-labelledby="m1-title">
          <h2 id="m1-title">Mission 1 — diagnostic partagé et plan d'actions</h2>
          <h3>Diagnostic</h3>
          <p class="preline">{a.diagnostic || "Pas encore rédigé."}</p>
          {isExpert && a.status === "mission_1" ? (
            <form method="post" action={post("diagnostic")}>
              <CsrfField c={c} />
              <TextArea name="diagnostic" label="Diagnostic partagé" value={a.diagnostic} rows={6} required />
              <button type="submit">Enregistrer le diagnostic</button>
            </form>
          ) : null}
          <h3>Plan d'actions</h3>
          <PlanTable actions={v.actions} caption="Plan d'actions co-construit (jours d'engagement par membre de l'équipe)" />
          {isExpert && a.status === "mission_1" ? (
            <form method="post" action={post("actions")}>
              <CsrfField c={c} />
              <fieldset>
                <legend>Ajouter une action</legend>
                <div class="grid">
                  <Field name="phase" label="Phase" type="number" value={1} required attrs={{ min: 1, max: 9 }} />
                  <Field name="title" label="Action" required />
                </div>
                <TextArea name="description" label="Description" />
                {[0, 1, 2].map((i) => (
                  <div class="grid">
                    <Select name={`member_${i}`} label={`Membre ${i + 1}`} options={a.team.map((m) => ({ value: m.name, label: m.name }))} emptyLabel="—" />
                    <Field name={`days_${i}`} label={`Jours du membre ${i + 1}`} hint="Par demi-journée, ex. 1,5." />
                  </div>
                ))}
                <button type="submit">Ajouter l'action</button>
              </fieldset>
            </form>
          ) : null}
          {isRegion && a.status === "mission_1" ? (
            <form method="post" action={post("comite")}>
              <CsrfField c={c} />
              <fieldset>
                <legend>Décision du comité de sélection (AMI-COMMITTEE)</legend>
                <Choices name="approvedActionIds" legend="Actions approuvées (tout ou partie du plan)" type="checkbox" options={v.actions.map((x) => ({ value: x.id, label: `Phase ${x.phase} — ${x.title}` }))} checked={[]} />
                <Field name="decidedOn" label="Date de la décision" type="date" value={parisDate(now(c))} required />
                <TextArea name="note" label="Observations du comité" />
                <button type="submit">Enregistrer la décision et ouvrir la mission 2</button>
              </fieldset>
            </form>
          ) : null}
          {a.committee_decided_on ? (
            <p>
              Décision du comité de sélection du {frDate(a.committee_decided_on)} : {approved.length} action(s) approuvée(s) sur {v.actions.length}.{a.committee_note ? ` ${a.committee_note}` : ""}
            </p>
          ) : null}
        </section>
      ) : null}

      {["mission_2", "mission_3", "completed"].includes(a.status) ? (
        <section aria-labelledby="m2-title">
          <h2 id="m2-title">Mission 2 — mise en œuvre des actions approuvées (AMI-M2-APPROVED-ONLY)</h2>
          <p>Fin au plus tard : {frDate(v.call.mission2_latest_end)} (AMI-DEADLINE-M2).</p>
          {m2Warnings.length > 0 ? <ViolationList violations={m2Warnings} /> : null}
          <PlanTable actions={approved} caption="Actions approuvées par le comité" progress={v.progress} />
          {a.status === "mission_2" && (isExpert || isApplicant) ? (
            <form method="post" action={post("suivi")}>
              <CsrfField c={c} />
              <fieldset>
                <legend>Enregistrer un travail réalisé</legend>
                <Select name="actionId" label="Action approuvée" options={approved.map((x) => ({ value: x.id, label: x.title }))} required />
                <Field name="onDate" label="Date" type="date" value={parisDate(now(c))} required />
                <TextArea name="note" label="Travail réalisé" required />
                <Choices name="done" legend="Avancement" type="checkbox" options={[{ value: "yes", label: "Action terminée" }]} checked={[]} />
                <button type="submit">Enregistrer</button>
              </fieldset>
            </form>
          ) : null}
          {a.status === "mission_2" && (isExpert || isRegion) ? (
            <form method="post" action={post("mission-3")}>
              <CsrfField c={c} />
              <button type="submit">Ouvrir la mission 3 (évaluation et livrables)</button>
            </form>
          ) : null}
        </section>
      ) : null}

      {["mission_2", "mission_3", "completed"].includes(a.status) ? (
        <section aria-labelledby="m3-title">
          <h2 id="m3-title">Livrables (mission 2 et mission 3)</h2>
          {a.site_mode === "multi" ? <p>Organisme multi-site : le kit de transfert vers les autres sites est un livrable obligatoire (AMI-TRANSFER).</p> : null}
          {v.deliverables.length === 0 ? (
            <p class="muted">Aucun livrable.</p>
          ) : (
            <Table label="Livrables déposés">
              <caption>Livrables déposés</caption>
              <thead>
                <tr>
                  <th scope="col">Livrable</th>
                  <th scope="col">Type</th>
                  <th scope="col">Propriétaire</th>
                </tr>
              </thead>
              <tbody>
                {v.deliverables.map((d) => (
                  <tr>
                    <td>
                      <a href={`/ami/livrables/${d.id}`}>{d.title}</a>
                    </td>
                    <td>{deliverableLabels[d.kind]}</td>
                    <td>{d.owner === "provider" ? `${v.providerName} (organisme de formation)` : (v.expert?.name ?? "prestataire expert")}</td>
                  </tr>
                ))}
              </tbody>
            </Table>
          )}
          {isExpert && (a.status === "mission_2" || a.status === "mission_3") ? (
            <form method="post" action={post("livrables")} enctype="multipart/form-data">
              <CsrfField c={c} />
              <fieldset>
                <legend>Déposer un livrable</legend>
                <Select name="kind" label="Type" options={DELIVERABLE_KINDS.filter((k) => a.status === "mission_3" || k === "m2_production").map((k) => ({ value: k, label: deliverableLabels[k] }))} required />
                <Field name="title" label="Titre" required />
                <div class="field">
                  <label for="f-file">Fichier (PDF, PNG ou JPEG, 10 Mo au plus)</label>
                  <input id="f-file" type="file" name="file" accept="application/pdf,image/png,image/jpeg" required />
                </div>
                <button type="submit">Déposer</button>
              </fieldset>
            </form>
          ) : null}
          {isRegion && a.status === "mission_3" ? (
            <form method="post" action={post("cloturer")}>
              <CsrfField c={c} />
              <button type="submit">Clore l'accompagnement</button>
            </form>
          ) : null}
        </section>
      ) : null}
    </Layout>,
    status as 200,
  );
}

function PlanTable(props: { actions: uc.ApplicationView["actions"]; caption: string; progress?: uc.ApplicationView["progress"] }) {
  if (props.actions.length === 0) return <p class="muted">Aucune action.</p>;
  return (
    <Table label={props.caption}>
      <caption>{props.caption}</caption>
      <thead>
        <tr>
          <th scope="col">Phase</th>
          <th scope="col">Action</th>
          <th scope="col">Engagement de l'équipe</th>
          <th scope="col">{props.progress ? "Suivi" : "Décision du comité"}</th>
        </tr>
      </thead>
      <tbody>
        {props.actions.map((x) => (
          <tr data-action={x.title}>
            <td>{x.phase}</td>
            <td>
              {x.title}
              {x.description ? <p class="muted">{x.description}</p> : null}
            </td>
            <td>{x.commitments.map((m) => `${m.member_name} : ${formatDays(m.half_days)}`).join(" ; ") || "—"}</td>
            <td>
              {props.progress ? (
                <ul>
                  {props.progress
                    .filter((p) => p.action_id === x.id)
                    .map((p) => (
                      <li>
                        {frDate(p.on_date)} — {p.note}
                        {p.done ? " (terminée)" : ""}
                      </li>
                    ))}
                </ul>
              ) : x.approved === null ? (
                "en attente"
              ) : x.approved ? (
                "approuvée"
              ) : (
                "non approuvée"
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

export function registerAmiApplicationPages(app: OpenAPIHono<AppEnv>) {
  const db = (c: Ctx) => depsOf(c).db;
  /** Looks the application up first: another organisation's answers 404 like an unknown id, before any body is read. */
  const seen = (c: Ctx) => uc.getApplication(db(c), actorOf(c), c.req.param("id") ?? "");
  const step = (path: string, run: (c: Ctx, id: string, body: FormBody) => Promise<unknown>) =>
    app.post(`/ami/candidatures/:id/${path}`, async (c) => {
      const id = c.req.param("id");
      await seen(c);
      const body = await formBody(c);
      const r = await attempt(() => run(c, id, body));
      return r.ok ? c.redirect(`/ami/candidatures/${id}?ok=1`, 303) : viewPage(c, id, r.violations, 422);
    });

  app.get("/ami/candidatures/:id", (c) => viewPage(c, c.req.param("id")));
  app.get("/ami/candidatures/:id/modifier", (c) => editPage(c, c.req.param("id"), undefined, []));
  app.post("/ami/candidatures/:id", async (c) => {
    const id = c.req.param("id");
    await seen(c);
    const typed = applicationInput(await formBody(c));
    const r = await attempt(() => uc.saveApplication(db(c), actorOf(c), id, typed, now(c)));
    return r.ok ? c.redirect(`/ami/candidatures/${id}/modifier?ok=1`, 303) : editPage(c, id, typed, r.violations, 422);
  });
  app.post("/ami/candidatures/:id/deposer", async (c) => {
    const id = c.req.param("id");
    await seen(c);
    const typed = applicationInput(await formBody(c));
    const r = await attempt(async () => {
      await uc.saveApplication(db(c), actorOf(c), id, typed, now(c));
      return uc.submitApplication(db(c), actorOf(c), id, now(c));
    });
    return r.ok ? c.redirect(`/ami/candidatures/${id}?ok=1`, 303) : editPage(c, id, typed, r.violations, 422);
  });
  app.get("/ami/candidatures/:id/recapitulatif.pdf", async (c) => {
    const v = await seen(c);
    return pdfResponse(c, await receiptPdf(v), "ami-recapitulatif.pdf");
  });
  step("rang", (c, id, b) => uc.overrideRank(db(c), actorOf(c), id, { position: str(b, "position") === "" ? null : str(b, "position"), reason: str(b, "reason") }));
  step("decision", (c, id, b) => uc.decide(db(c), actorOf(c), id, { decision: str(b, "decision"), reason: str(b, "reason") }, now(c)));
  step("expert", (c, id, b) => uc.assignExpert(db(c), actorOf(c), id, { expertProviderId: str(b, "expertProviderId") }));
  step("diagnostic", (c, id, b) => uc.saveDiagnostic(db(c), actorOf(c), id, { diagnostic: str(b, "diagnostic") }, now(c)));
  step("actions", (c, id, b) =>
    uc.addAction(db(c), actorOf(c), id, {
      phase: str(b, "phase"),
      title: str(b, "title"),
      description: str(b, "description"),
      commitments: [0, 1, 2].map((i) => ({ memberName: str(b, `member_${i}`), days: str(b, `days_${i}`) })).filter((m) => m.memberName !== ""),
    }),
  );
  step("comite", (c, id, b) => uc.recordCommitteeDecision(db(c), actorOf(c), id, { decidedOn: str(b, "decidedOn"), approvedActionIds: strs(b, "approvedActionIds"), note: str(b, "note") }, now(c)));
  step("suivi", (c, id, b) => uc.recordProgress(db(c), actorOf(c), id, { actionId: str(b, "actionId"), onDate: str(b, "onDate"), note: str(b, "note"), done: str(b, "done") === "yes" }, now(c)));
  step("mission-3", (c, id) => uc.startMission3(db(c), actorOf(c), id));
  step("cloturer", (c, id) => uc.completeAccompaniment(db(c), actorOf(c), id));
  step("livrables", async (c, id, b) => {
    const f = b.file;
    const file = f instanceof File && f.size > 0 ? { filename: f.name, contentType: f.type, bytes: new Uint8Array(await f.arrayBuffer()) } : undefined;
    return uc.addDeliverable(db(c), actorOf(c), id, { kind: str(b, "kind"), title: str(b, "title") }, file);
  });

  app.get("/ami/livrables/:id", async (c) => {
    const f = await uc.readDeliverable(db(c), actorOf(c), c.req.param("id"));
    return pdfResponse(c, f.bytes, f.filename, f.content_type);
  });
}
