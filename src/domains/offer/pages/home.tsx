// Page /offre: the provider's offer (sites, components) or, for the Region, the review list.
import type { OpenAPIHono } from "@hono/zod-openapi";
import { isProviderStaff } from "../../../core/auth/actor.ts";
import { may } from "../../../core/auth/roles.ts";
import type { AppEnv, Ctx } from "../../../core/http/context.ts";
import { actorOf, depsOf } from "../../../core/http/context.ts";
import { Layout, Select } from "../../../core/pages/layout.tsx";
import { forbidden } from "../../../core/errors.ts";
import { listLots, listProviders } from "../../region/use-cases.ts";
import { ComponentFilter } from "../schema.ts";
import * as uc from "../use-cases.ts";
import { categoryLabels, hybridStatusLabels, offerStatusLabels, StatusBadge } from "./labels.tsx";
import { Table } from "../../../core/pages/table.tsx";

type Listed = Awaited<ReturnType<typeof uc.listComponents>>[number];

function ComponentTable(props: { caption: string; components: Listed[]; lotCode: (id: string) => string; providerName?: (id: string) => string }) {
  return (
    <Table label={props.caption}>
      <caption>{props.caption}</caption>
      <thead>
        <tr>
          <th scope="col">Composante</th>
          {props.providerName ? <th scope="col">Organisme</th> : null}
          <th scope="col">Lot</th>
          <th scope="col">Catégorie</th>
          <th scope="col">Sites</th>
          <th scope="col">Statut</th>
          <th scope="col">Modalité hybride</th>
        </tr>
      </thead>
      <tbody>
        {props.components.length === 0 ? (
          <tr>
            <td colspan={props.providerName ? 7 : 6}>Aucune composante.</td>
          </tr>
        ) : null}
        {props.components.map((c) => (
          <tr>
            <td>
              <a href={`/offre/composantes/${c.id}`}>{c.title}</a>
              {c.e_formation ? <span class="muted"> (e-formation)</span> : null}
            </td>
            {props.providerName ? <td>{props.providerName(c.provider_id)}</td> : null}
            <td>{props.lotCode(c.lot_id)}</td>
            <td>{categoryLabels[c.category]}</td>
            <td class="num">{c.siteIds.length}</td>
            <td>
              <StatusBadge status={c.offer_status} labels={offerStatusLabels} />
            </td>
            <td>{c.e_formation ? "—" : <StatusBadge status={c.hybrid_status} labels={hybridStatusLabels} />}</td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

async function ProviderOffer(c: Ctx) {
  const actor = actorOf(c);
  const { db } = depsOf(c);
  const [sites, components, lots] = await Promise.all([uc.listSites(db, actor), uc.listComponents(db, actor), listLots(db)]);
  const lotCode = (id: string) => lots.find((l) => l.id === id)?.code ?? "—";
  return c.html(
    <Layout c={c} title="Offre de formation">
      <h1>Offre de formation</h1>
      <section aria-labelledby="sites-title">
        <h2 id="sites-title">Sites de réalisation</h2>
        <p>
          {sites.length === 0 ? "Aucun site déclaré." : `${sites.length} site${sites.length > 1 ? "s" : ""} : ${sites.map((s) => `${s.name} (${s.departement_code})`).join(", ")}.`}{" "}
          <a href="/offre/sites">{may(actor, "offer.write") ? "Gérer les sites" : "Voir les sites"}</a>
        </p>
      </section>
      <section aria-labelledby="components-title">
        <h2 id="components-title">Composantes</h2>
        {may(actor, "offer.write") ? (
          <p class="actions">
            <a class="button" href="/offre/composantes/nouvelle">
              Nouvelle composante
            </a>
          </p>
        ) : null}
        <ComponentTable caption="Composantes proposées par l'organisme" components={components} lotCode={lotCode} />
      </section>
    </Layout>,
  );
}

async function RegionReview(c: Ctx) {
  const actor = actorOf(c);
  const { db } = depsOf(c);
  const q = c.req.query();
  // Submitted components by default: what awaits the Region's decision. "tous" lists every status.
  const raw = { lotId: q.lot || undefined, providerId: q.organisme || undefined, status: q.statut === undefined ? "submitted" : q.statut === "tous" ? undefined : q.statut };
  const parsed = ComponentFilter.safeParse(raw);
  const filter = parsed.success ? parsed.data : {};
  const [components, lots, providers] = await Promise.all([uc.listComponents(db, actor, filter), listLots(db), listProviders(db, actor)]);
  const hybridRequests = (await uc.listComponents(db, actor, { lotId: filter.lotId, providerId: filter.providerId })).filter((x) => x.hybrid_status === "requested");
  const lotCode = (id: string) => lots.find((l) => l.id === id)?.code ?? "—";
  const providerName = (id: string) => providers.find((p) => p.id === id)?.name ?? "—";
  return c.html(
    <Layout c={c} title="Examen des offres" wide>
      <h1>Examen des offres</h1>
      <form method="get" action="/offre" class="grid" aria-label="Filtrer les composantes">
        <Select name="lot" label="Lot" value={filter.lotId ?? ""} emptyLabel="Tous les lots" options={lots.map((l) => ({ value: l.id, label: `${l.code} — ${l.name}` }))} />
        <Select name="organisme" label="Organisme" value={filter.providerId ?? ""} emptyLabel="Tous les organismes" options={providers.map((p) => ({ value: p.id, label: p.name }))} />
        <Select
          name="statut"
          label="Statut"
          value={filter.status ?? "tous"}
          options={[...Object.entries(offerStatusLabels).map(([value, label]) => ({ value, label })), { value: "tous", label: "Tous les statuts" }]}
        />
        <div class="actions">
          <button type="submit">Filtrer</button>
        </div>
      </form>
      <ComponentTable caption={`Composantes (${components.length})`} components={components} lotCode={lotCode} providerName={providerName} />
      <section aria-labelledby="hybrid-title">
        <h2 id="hybrid-title">Demandes de modalité hybride en attente (CP-HYBRID-APPROVED)</h2>
        <ComponentTable caption={`Demandes en attente (${hybridRequests.length})`} components={hybridRequests} lotCode={lotCode} providerName={providerName} />
      </section>
    </Layout>,
  );
}

export function registerOfferHome(app: OpenAPIHono<AppEnv>) {
  app.get("/offre", (c) => {
    const actor = actorOf(c);
    if (isProviderStaff(actor)) return ProviderOffer(c);
    if (actor.role === "region_officer") return RegionReview(c);
    throw forbidden();
  });
}
