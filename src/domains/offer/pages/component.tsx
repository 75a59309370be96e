// Pages /offre/composantes/nouvelle and /offre/composantes/:id: details, modules, sites, checks,
// submission, hybrid modality; for the Region, the decisions.
import type { OpenAPIHono } from "@hono/zod-openapi";
import { isProviderStaff, ownProviderId } from "../../../core/auth/actor.ts";
import { may } from "../../../core/auth/roles.ts";
import type { AppEnv, Ctx } from "../../../core/http/context.ts";
import { actorOf, depsOf } from "../../../core/http/context.ts";
import { CsrfField, errorFor, Layout, ViolationList } from "../../../core/pages/layout.tsx";
import { formatMinutes, type Violation } from "../../../core/rules.ts";
import { listLots } from "../../region/use-cases.ts";
import * as uc from "../use-cases.ts";
import {
  ChecksPanel,
  ComponentForm,
  type ComponentValues,
  componentValuesFromForm,
  emptyComponent,
  emptyModule,
  ModuleForm,
  type ModuleValues,
  moduleRaw,
  moduleValuesFromForm,
  moduleValuesOf,
} from "./component-form.tsx";
import { attempt, formBody, str } from "./form.ts";
import { categoryLabels, contentTagOptions, hybridStatusLabels, modalityLabels, offerStatusLabels, prepPartLabels, StatusBadge } from "./labels.tsx";
import { DecisionForm, HistoryTable, HybridRequestForm, ReadOnlyDetails } from "./component-parts.tsx";
import { Table } from "../../../core/pages/table.tsx";

type Forms = {
  details?: { values: ComponentValues; violations: Violation[] };
  module?: { values: ModuleValues; violations: Violation[] };
  action?: { name: "submit" | "decision" | "hybrid" | "hybridDecision"; violations: Violation[]; text?: string };
};

const base = (id: string) => `/offre/composantes/${id}`;

async function ComponentPage(c: Ctx, id: string, forms: Forms = {}) {
  const actor = actorOf(c);
  const { db } = depsOf(c);
  const d = await uc.componentDetail(db, actor, id);
  const comp = d.component;
  const lots = await listLots(db);
  const lot = lots.find((l) => l.id === comp.lot_id);
  const staff = isProviderStaff(actor);
  const editable = may(actor, "offer.write") && ["draft", "refused"].includes(comp.offer_status);
  const ownSites = staff ? await uc.listSites(db, actor) : d.sites;
  const total = d.modules.reduce((s, m) => s + m.minutes, 0);
  const failed = Boolean(forms.details || forms.module || forms.action);
  const tagLabel = (t: string | null) => contentTagOptions.find((o) => o.value === (t ?? "none"))?.label ?? "—";
  const values: ComponentValues = forms.details?.values ?? {
    lotId: comp.lot_id,
    title: comp.title,
    category: comp.category,
    subcategory: comp.subcategory ?? "",
    certificationCode: comp.certification_code ?? "",
    level: comp.level_2019 === null ? "" : String(comp.level_2019),
    eFormation: comp.e_formation,
    offList: comp.off_list,
    prerequisites: comp.prerequisites,
    content: comp.content,
    purpose: comp.purpose,
    siteIds: d.siteIds,
  };
  const saved = c.req.query("enregistre");
  return c.html(
    <Layout c={c} title={comp.title}>
      <p>
        <a href="/offre">← Retour à l'offre</a>
      </p>
      <h1>{comp.title}</h1>
      <p>
        <StatusBadge status={comp.offer_status} labels={offerStatusLabels} /> <StatusBadge status={comp.hybrid_status} labels={hybridStatusLabels} />{" "}
        <span class="muted">
          Lot {lot?.code} — {categoryLabels[comp.category]}
          {comp.e_formation ? " — Occitanie e-formation" : ""}
        </span>
      </p>
      {saved ? (
        <p class="alert success" role="status">
          {saved === "soumise" ? "La composante a été soumise à la Région." : "Modification enregistrée."}
        </p>
      ) : null}
      {forms.action ? <ViolationList violations={forms.action.violations} id="action-errors" /> : null}

      <section aria-labelledby="checks-title">
        <h2 id="checks-title">Vérifier</h2>
        <ChecksPanel violations={d.violations} refreshUrl={base(id)} />
        {editable ? (
          <form method="post" action={`${base(id)}/soumettre`} class="actions">
            <CsrfField c={c} />
            <button type="submit">Soumettre la composante à la Région</button>
          </form>
        ) : null}
      </section>

      <section aria-labelledby="details-title">
        <h2 id="details-title">Description</h2>
        {editable ? (
          <ComponentForm
            c={c}
            action={base(id)}
            checkUrl={`${base(id)}/verifier`}
            values={values}
            violations={forms.details?.violations ?? []}
            lots={lots}
            sites={ownSites}
            submitLabel="Enregistrer la description"
          />
        ) : (
          <ReadOnlyDetails component={comp} sites={d.sites} />
        )}
      </section>

      <section aria-labelledby="modules-title">
        <h2 id="modules-title">Modules (CP-MODULAR)</h2>
        <Table label="Modules de la composante">
          <caption>Modules de la composante — total {formatMinutes(total)}</caption>
          <thead>
            <tr>
              <th scope="col">Ordre</th>
              <th scope="col">Intitulé</th>
              <th scope="col" class="num">
                Durée
              </th>
              <th scope="col">Modalité</th>
              <th scope="col">Contenu transverse</th>
              <th scope="col">Partie</th>
              {editable ? <th scope="col">Actions</th> : null}
            </tr>
          </thead>
          <tbody>
            {d.modules.length === 0 ? (
              <tr>
                <td colspan={editable ? 7 : 6}>Aucun module.</td>
              </tr>
            ) : null}
            {d.modules.map((m) => (
              <tr>
                <td class="num">{m.position}</td>
                <td>{m.title}</td>
                <td class="num">{formatMinutes(m.minutes)}</td>
                <td>{modalityLabels[m.modality]}</td>
                <td>{m.content_tag ? tagLabel(m.content_tag) : "—"}</td>
                <td>{m.prep_part ? prepPartLabels[m.prep_part] : "—"}</td>
                {editable ? (
                  <td>
                    <div class="actions">
                      <a href={`${base(id)}/modules/${m.id}`}>
                        Modifier<span class="skip"> le module {m.title}</span>
                      </a>
                      <form method="post" action={`${base(id)}/modules/${m.id}/supprimer`}>
                        <CsrfField c={c} />
                        <button type="submit" class="link" aria-label={`Supprimer le module ${m.title}`}>
                          Supprimer
                        </button>
                      </form>
                    </div>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </Table>
        {editable ? (
          <>
            <h3>Ajouter un module</h3>
            <ModuleForm
              c={c}
              action={`${base(id)}/modules`}
              values={forms.module?.values ?? emptyModule}
              violations={forms.module?.violations ?? []}
              submitLabel="Ajouter le module"
            />
          </>
        ) : null}
      </section>

      <section aria-labelledby="hybrid-title">
        <h2 id="hybrid-title">Modalité hybride (CP-HYBRID-APPROVED, CCTP §3.2.2.1)</h2>
        {comp.e_formation ? (
          <p>Une composante Occitanie e-formation est à distance par nature : la modalité hybride ne s'y applique pas.</p>
        ) : (
          <>
            <p>
              Statut : <StatusBadge status={comp.hybrid_status} labels={hybridStatusLabels} />
            </p>
            {comp.hybrid_organisation ? (
              <div class="card">
                <h3>Organisation de la formation à distance</h3>
                <p class="pre-line">{comp.hybrid_organisation}</p>
              </div>
            ) : null}
            {may(actor, "offer.write") && comp.hybrid_status !== "approved" ? (
              <HybridRequestForm
                c={c}
                action={`${base(id)}/hybride`}
                value={forms.action?.name === "hybrid" ? (forms.action.text ?? "") : (comp.hybrid_organisation ?? "")}
                error={forms.action?.name === "hybrid" ? errorFor(forms.action.violations, "organisation") : undefined}
              />
            ) : null}
            {actor.role === "region_officer" && comp.hybrid_status === "requested" ? (
              <DecisionForm c={c} action={`${base(id)}/hybride/decision`} legend="Décision sur la modalité hybride" accept="approved" refuse="refused" prefix="hybrid" />
            ) : null}
          </>
        )}
      </section>

      {actor.role === "region_officer" && comp.offer_status === "submitted" ? (
        <section aria-labelledby="decision-title">
          <h2 id="decision-title">Décision de la Région sur la composante</h2>
          <DecisionForm c={c} action={`${base(id)}/decision`} legend="Décision" accept="accepted" refuse="refused" prefix="offer" />
        </section>
      ) : null}

      <HistoryTable history={d.history} />
    </Layout>,
    failed ? 422 : 200,
  );
}

async function NewComponentPage(c: Ctx, form?: { values: ComponentValues; violations: Violation[] }) {
  const actor = actorOf(c);
  ownProviderId(actor);
  const { db } = depsOf(c);
  const values = form?.values ?? { ...emptyComponent, lotId: c.req.query("lot") ?? "" };
  return c.html(
    <Layout c={c} title="Nouvelle composante">
      <h1>Nouvelle composante</h1>
      <p>Enregistrez d'abord la description et les sites ; vous ajouterez ensuite les modules, puis soumettrez la composante à la Région.</p>
      <ComponentForm
        c={c}
        action="/offre/composantes/nouvelle"
        checkUrl="/offre/composantes/verifier"
        values={values}
        violations={form?.violations ?? []}
        lots={await listLots(db)}
        sites={await uc.listSites(db, actor)}
        submitLabel="Créer la composante"
      />
      <section aria-labelledby="checks-title">
        <h2 id="checks-title">Vérifier</h2>
        <ChecksPanel violations={values.lotId ? await uc.previewChecks(db, actor, undefined, values as unknown as Record<string, unknown>) : []} />
      </section>
    </Layout>,
    form ? 422 : 200,
  );
}

const UUID = "{[0-9a-fA-F-]{36}}";

export function registerComponentPages(app: OpenAPIHono<AppEnv>) {
  app.get("/offre/composantes/nouvelle", (c) => NewComponentPage(c));
  app.post("/offre/composantes/nouvelle", async (c) => {
    const actor = actorOf(c);
    const values = componentValuesFromForm(await formBody(c));
    const r = await attempt(() => uc.createComponent(depsOf(c).db, actor, values));
    if (r.ok) return c.redirect(`${base(r.value.id)}?enregistre=1`, 303);
    return NewComponentPage(c, { values, violations: r.violations });
  });

  // Live checks of the form being edited (htmx fragment).
  const preview = async (c: Ctx, id: string | undefined) => {
    const values = componentValuesFromForm(await formBody(c));
    const violations = await uc.previewChecks(depsOf(c).db, actorOf(c), id, values as unknown as Record<string, unknown>);
    return c.html(<ChecksPanel violations={violations} refreshUrl={id ? base(id) : undefined} />);
  };
  app.post("/offre/composantes/verifier", (c) => preview(c, undefined));
  app.post(`/offre/composantes/:id${UUID}/verifier`, (c) => preview(c, c.req.param("id")));
  app.get(`/offre/composantes/:id${UUID}/verifier`, async (c) => {
    const d = await uc.componentDetail(depsOf(c).db, actorOf(c), c.req.param("id"));
    return c.html(<ChecksPanel violations={d.violations} refreshUrl={base(d.component.id)} />);
  });

  app.get(`/offre/composantes/:id${UUID}`, (c) => ComponentPage(c, c.req.param("id")));
  app.post(`/offre/composantes/:id${UUID}`, async (c) => {
    const id = c.req.param("id");
    const values = componentValuesFromForm(await formBody(c));
    const r = await attempt(() => uc.updateComponent(depsOf(c).db, actorOf(c), id, values));
    if (r.ok) return c.redirect(`${base(id)}?enregistre=1`, 303);
    return ComponentPage(c, id, { details: { values, violations: r.violations } });
  });

  app.post(`/offre/composantes/:id${UUID}/modules`, async (c) => {
    const id = c.req.param("id");
    const values = moduleValuesFromForm(await formBody(c));
    const r = await attempt(() => uc.addModule(depsOf(c).db, actorOf(c), id, moduleRaw(values)));
    if (r.ok) return c.redirect(`${base(id)}?enregistre=1#modules-title`, 303);
    return ComponentPage(c, id, { module: { values, violations: r.violations } });
  });

  const modulePage = async (c: Ctx, id: string, moduleId: string, form?: { values: ModuleValues; violations: Violation[] }) => {
    const d = await uc.componentDetail(depsOf(c).db, actorOf(c), id);
    const m = d.modules.find((x) => x.id === moduleId);
    if (!m) return c.notFound();
    return c.html(
      <Layout c={c} title={`Module ${m.title}`}>
        <p>
          <a href={base(id)}>← Retour à la composante « {d.component.title} »</a>
        </p>
        <h1>Module « {m.title} »</h1>
        <ModuleForm
          c={c}
          action={`${base(id)}/modules/${moduleId}`}
          values={form?.values ?? moduleValuesOf(m)}
          violations={form?.violations ?? []}
          submitLabel="Enregistrer le module"
          withPosition
        />
      </Layout>,
      form ? 422 : 200,
    );
  };
  app.get(`/offre/composantes/:id${UUID}/modules/:moduleId${UUID}`, (c) => {
    ownProviderId(actorOf(c));
    return modulePage(c, c.req.param("id"), c.req.param("moduleId"));
  });
  app.post(`/offre/composantes/:id${UUID}/modules/:moduleId${UUID}`, async (c) => {
    const { id, moduleId } = c.req.param();
    const values = moduleValuesFromForm(await formBody(c));
    const r = await attempt(() => uc.updateModule(depsOf(c).db, actorOf(c), id, moduleId, moduleRaw(values)));
    if (r.ok) return c.redirect(`${base(id)}?enregistre=1#modules-title`, 303);
    return modulePage(c, id, moduleId, { values, violations: r.violations });
  });
  app.post(`/offre/composantes/:id${UUID}/modules/:moduleId${UUID}/supprimer`, async (c) => {
    const { id, moduleId } = c.req.param();
    const r = await attempt(() => uc.deleteModule(depsOf(c).db, actorOf(c), id, moduleId));
    if (r.ok) return c.redirect(`${base(id)}?enregistre=1#modules-title`, 303);
    return ComponentPage(c, id, { action: { name: "submit", violations: r.violations } });
  });

  // Workflow actions: each re-renders the page with its refusal, or redirects.
  const action = (path: string, name: NonNullable<Forms["action"]>["name"], run: (c: Ctx, id: string, body: Record<string, string>) => Promise<unknown>, done: string) =>
    app.post(`/offre/composantes/:id${UUID}/${path}`, async (c) => {
      const id = c.req.param("id");
      const raw = await formBody(c);
      const body = { decision: str(raw, "decision"), reason: str(raw, "reason"), organisation: str(raw, "organisation") };
      const r = await attempt(() => run(c, id, body));
      if (r.ok) return c.redirect(`${base(id)}?enregistre=${done}`, 303);
      return ComponentPage(c, id, { action: { name, violations: r.violations, text: body.organisation } });
    });
  action("soumettre", "submit", (c, id) => uc.submitComponent(depsOf(c).db, actorOf(c), id), "soumise");
  action("decision", "decision", (c, id, b) => uc.decideComponent(depsOf(c).db, actorOf(c), id, { decision: b.decision, reason: b.reason }), "1");
  action("hybride", "hybrid", (c, id, b) => uc.requestHybrid(depsOf(c).db, actorOf(c), id, { organisation: b.organisation }), "1");
  action(
    "hybride/decision",
    "hybridDecision",
    (c, id, b) => uc.decideHybrid(depsOf(c).db, actorOf(c), id, { decision: b.decision, reason: b.reason }, depsOf(c).clock.now()),
    "1",
  );
}
