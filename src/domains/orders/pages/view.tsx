// Pages /commandes (list filtered by lot and provider, CP-LOTS) and /commandes/:id (details and consumption).
import type { OpenAPIHono } from "@hono/zod-openapi";
import { keysetPageLenient, type Page, readListQuery } from "../../../core/listing.ts";
import { ListControls, Pager } from "../../../core/pages/list-controls.tsx";
import { ORDER_SORTS, type OrderListParams, OrderListQuery } from "../store.ts";
import { isProviderStaff, requireRole } from "../../../core/auth/actor.ts";
import type { AppEnv, Ctx } from "../../../core/http/context.ts";
import { actorOf, depsOf } from "../../../core/http/context.ts";
import { attempt, formBody, str } from "../../../core/pages/forms.ts";
import { Layout, Select, ViolationList } from "../../../core/pages/layout.tsx";
import { formatEuros, formatMinutes, type Violation } from "../../../core/rules.ts";
import { formatDateFr, parisDate } from "../../../core/time.ts";
import { billingMonths } from "../../ledger/use-cases.ts";
import { certificateWarnings, listLots, listProviders } from "../../region/use-cases.ts";
import * as uc from "../use-cases.ts";
import { CONFIRM_FIELD, type CloseAttempt, CloseSection } from "./close.tsx";
import { ConsumptionSection, pathStatusLabels } from "./consumption.tsx";
import { pagePaths, PathListQuery } from "../../paths/use-cases.ts";
import { Table } from "../../../core/pages/table.tsx";

const UUID = "{[0-9a-fA-F-]{36}}";
const statusLabels = { issued: "En cours", closed: "Close" } as const;

function OrderList(props: {
  c: Ctx;
  page: Page<uc.OrderListItem>;
  params: OrderListParams;
  notice?: string;
  lots: { id: string; code: string; name: string }[];
  providers: { id: string; name: string }[] | undefined;
  region: boolean;
}) {
  const p = props.params;
  const orders = props.page.items;
  return (
    <Layout c={props.c} title="Commandes" wide>
      <h1>Commandes</h1>
      {props.region ? (
        <p class="actions">
          <a class="button" href="/commandes/nouvelle">
            Passer une commande
          </a>
        </p>
      ) : (
        <p>Les bons de commande que la Région a adressés à votre organisme.</p>
      )}
      <ListControls action="/commandes" label="Rechercher et filtrer les commandes" sorts={ORDER_SORTS} q={p.q} sort={p.sort} searchLabel="Numéro, organisme ou lot" notice={props.notice}>
        <Select name="lotId" label="Lot" value={p.lotId} emptyLabel="Tous les lots" options={props.lots.map((l) => ({ value: l.id, label: `${l.code} — ${l.name}` }))} />
        {props.providers ? <Select name="providerId" label="Organisme" value={p.providerId} emptyLabel="Tous les organismes" options={props.providers.map((x) => ({ value: x.id, label: x.name }))} /> : null}
        <Select name="status" label="Statut" value={p.status} emptyLabel="Toutes" options={Object.entries(statusLabels).map(([value, label]) => ({ value, label }))} />
      </ListControls>
      <Table label="Bons de commande">
        <caption>Bons de commande ({orders.length} sur cette page) et leur consommation</caption>
        <thead>
          <tr>
            <th scope="col">Numéro</th>
            <th scope="col">Lot</th>
            <th scope="col">Organisme</th>
            <th scope="col">Période prévue</th>
            <th scope="col" class="num">Effectif prévisionnel</th>
            <th scope="col" class="num">Heures commandées</th>
            <th scope="col" class="num">Prix de l'heure</th>
            <th scope="col" class="num">Prévu</th>
            <th scope="col" class="num">Réalisé</th>
            <th scope="col" class="num">Consommé</th>
            <th scope="col">Statut</th>
          </tr>
        </thead>
        <tbody>
          {orders.length === 0 ? (
            <tr>
              <td colspan={11}>Aucune commande.</td>
            </tr>
          ) : null}
          {orders.map((o) => (
            <tr>
              <td>
                <a href={`/commandes/${o.id}`}>{o.number}</a>
              </td>
              <td>{o.lot_code}</td>
              <td>{o.provider_name}</td>
              <td>
                du {formatDateFr(o.planned_start)} au {formatDateFr(o.planned_end)}
              </td>
              <td class="num">{o.headcount}</td>
              <td class="num">{formatMinutes(Number(o.ordered_minutes ?? 0))}</td>
              <td class="num">{formatEuros(o.unit_price_cents)}</td>
              <td class="num">{formatMinutes(o.consumption.planned)}</td>
              <td class="num">{formatMinutes(o.consumption.realised)}</td>
              <td class="num">
                {formatMinutes(o.consumption.consumed)} <span class="muted">({o.consumption.ordered > 0 ? Math.floor((o.consumption.consumed * 100) / o.consumption.ordered) : 0} %)</span>
              </td>
              <td>
                <span class="badge">{statusLabels[o.status]}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </Table>
      <Pager action="/commandes" params={p} next={props.page.next} shown={orders.length} label="Pages des commandes" />
    </Layout>
  );
}

function OrderPage(props: {
  c: Ctx;
  detail: uc.OrderDetail;
  consumption: uc.OrderConsumption;
  /** Page of the paths' findings shown (FINDINGS_PER_PAGE a page): the page stays small whatever the order. */
  findingsPage?: number;
  saved: boolean;
  closedNow?: boolean;
  billingMonths?: string[];
  closeAttempt?: CloseAttempt;
  blocking?: uc.BlockingPath[];
  paths: Awaited<ReturnType<typeof pagePaths>>;
  pathParams: Record<string, string | number | undefined>;
  /** CP-QUALIOPI: the provider's certificate missing, expired or expiring, carried onto its order. */
  certificate?: Violation[];
}) {
  const { order: o, lines, ordered } = props.detail;
  const actor = actorOf(props.c);
  const canRegister = isProviderStaff(actor) && actor.role !== "trainer" && o.status === "issued";
  return (
    <Layout c={props.c} title={`Commande ${o.number}`} wide>
      <h1>
        Commande {o.number} <span class="badge">{statusLabels[o.status]}</span>
      </h1>
      {props.certificate && props.certificate.length > 0 ? <ViolationList violations={props.certificate} /> : null}
      {props.saved ? (
        <p class="alert success" role="status">
          La commande a été enregistrée.
        </p>
      ) : null}
      {props.closedNow ? (
        <p class="alert success" role="status">
          La commande a été clôturée.
          {props.detail.closeWarnings.length > 0
            ? ` ${props.detail.closeWarnings.length} avertissement${props.detail.closeWarnings.length > 1 ? "s" : ""} de conformité ${props.detail.closeWarnings.length > 1 ? "ont été émis" : "a été émis"} : voir « Clôture de la commande ».`
            : ""}
        </p>
      ) : null}
      <div class="actions">
        {actor.role === "region_officer" && o.status === "issued" ? (
          <a class="button" href={`/commandes/${o.id}/modifier`}>
            Modifier la commande
          </a>
        ) : null}
        {canRegister ? (
          <a class="button" href={`/stagiaires/nouveau?commande=${o.id}`}>
            Inscrire un stagiaire sur cette commande
          </a>
        ) : null}
        <a href={`/commandes/${o.id}/parcours.csv`} download>
          Exporter les parcours (CSV Excel)
        </a>
        <a href={`/commandes/${o.id}/equipe`}>Équipe pédagogique</a>
        <a href="/commandes">Retour aux commandes</a>
      </div>
      <dl class="grid">
        <div>
          <dt>
            <strong>Lot</strong>
          </dt>
          <dd>
            {o.lot_code} — {o.lot_name}
          </dd>
        </div>
        <div>
          <dt>
            <strong>Organisme</strong>
          </dt>
          <dd>{o.provider_name}</dd>
        </div>
        <div>
          <dt>
            <strong>Période prévue</strong>
          </dt>
          <dd>
            du {formatDateFr(o.planned_start)} au {formatDateFr(o.planned_end)}
          </dd>
        </div>
        <div>
          <dt>
            <strong>Effectif prévisionnel (indicatif)</strong>
          </dt>
          <dd>{o.headcount} stagiaires</dd>
        </div>
        <div>
          <dt>
            <strong>Prix de l'heure</strong>
          </dt>
          <dd>{formatEuros(o.unit_price_cents)}</dd>
        </div>
        <div>
          <dt>
            <strong>Montant maximal (heures commandées × prix)</strong>
          </dt>
          <dd>{formatEuros(Math.round((ordered.total * o.unit_price_cents) / 60))}</dd>
        </div>
        <div>
          <dt>
            <strong>Cofinanceurs</strong>
          </dt>
          <dd>{o.co_funders.length > 0 ? o.co_funders.join(", ") : "Aucun (Région Occitanie seule)"}</dd>
        </div>
      </dl>

      <h2>Composantes commandées</h2>
      <Table label="Lignes de la commande : parcours moyen et heures commandées">
        <caption>Lignes de la commande : parcours moyen et heures commandées (CP-ORDER-CONTENT)</caption>
        <thead>
          <tr>
            <th scope="col">Composante</th>
            <th scope="col">Sites de réalisation</th>
            <th scope="col" class="num">Effectif</th>
            <th scope="col" class="num">Parcours moyen centre</th>
            <th scope="col" class="num">Parcours moyen entreprise</th>
            <th scope="col" class="num">Heures centre commandées</th>
            <th scope="col" class="num">Heures entreprise commandées</th>
            <th scope="col" class="num">Heures totales commandées</th>
          </tr>
        </thead>
        <tbody>
          {lines.map((l) => (
            <tr>
              <th scope="row">{l.componentTitle}</th>
              <td>{l.sites.map((s) => `${s.name} (${s.commune})`).join(", ")}</td>
              <td class="num">{l.headcount}</td>
              <td class="num">{formatMinutes(l.averagePathCentreMinutes)}</td>
              <td class="num">{formatMinutes(l.averagePathCompanyMinutes)}</td>
              <td class="num">{formatMinutes(l.ordered.centre)}</td>
              <td class="num">{formatMinutes(l.ordered.company)}</td>
              <td class="num">{formatMinutes(l.ordered.total)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" colspan={2}>
              Total
            </th>
            <td class="num">{lines.reduce((a, l) => a + l.headcount, 0)}</td>
            <td></td>
            <td></td>
            <td class="num">{formatMinutes(ordered.centre)}</td>
            <td class="num">{formatMinutes(ordered.company)}</td>
            <td class="num">{formatMinutes(ordered.total)}</td>
          </tr>
        </tfoot>
      </Table>

      <CloseSection c={props.c} detail={props.detail} consumption={props.consumption} region={actor.role === "region_officer"} attempt={props.closeAttempt} blocking={props.blocking ?? []} />

      <ConsumptionSection consumption={props.consumption} closed={o.status === "closed"} findingsPage={props.findingsPage} baseHref={`/commandes/${o.id}`} />

      <h2 id="parcours">Parcours de la commande</h2>
      <p>
        Une page à la fois ; la liste complète est dans <a href={`/commandes/${o.id}/parcours.csv`}>l'export CSV des parcours</a>.
      </p>
      <Table aria-labelledby="parcours">
        <thead>
          <tr>
            <th scope="col">Stagiaire</th>
            <th scope="col">Composante</th>
            <th scope="col">Entrée</th>
            <th scope="col">Sortie prévue</th>
            <th scope="col" class="num">Heures prévues</th>
            <th scope="col">État</th>
          </tr>
        </thead>
        <tbody>
          {props.paths.items.length === 0 ? (
            <tr>
              <td colspan={6}>Aucun parcours sur cette commande.</td>
            </tr>
          ) : null}
          {props.paths.items.map((r) => (
            <tr>
              <th scope="row">
                <a href={`/parcours/${r.id}`}>
                  {r.last_name.toUpperCase()} {r.first_name}
                </a>
              </th>
              <td>{r.component_title}</td>
              <td>{formatDateFr(r.entry_date)}</td>
              <td>{formatDateFr(r.planned_exit_date)}</td>
              <td class="num">{formatMinutes(r.planned_minutes)}</td>
              <td>{pathStatusLabels[r.status]}</td>
            </tr>
          ))}
        </tbody>
      </Table>
      <Pager action={`/commandes/${o.id}`} params={props.pathParams} next={props.paths.next} shown={props.paths.items.length} label="Pages des parcours de la commande" hash="#parcours" />

      <h2 id="billing-title">Relevés de facturation</h2>
      {props.billingMonths?.length ? (
        <ul aria-labelledby="billing-title">
          {props.billingMonths.map((m) => (
            <li>
              <a href={`/commandes/${o.id}/facturation/${m}`}>Relevé de facturation {m}</a>
            </li>
          ))}
        </ul>
      ) : (
        <p>Aucun émargement pour l'instant : pas de relevé de facturation (CP-BILLING-REALISED).</p>
      )}
    </Layout>
  );
}

export function registerOrderViewPages(app: OpenAPIHono<AppEnv>) {
  app.get("/commandes", async (c) => {
    const actor = actorOf(c);
    const { db } = depsOf(c);
    const region = actor.role === "region_officer";
    const read = readListQuery(OrderListQuery, c.req.query());
    const { page, notice } = await keysetPageLenient((p) => uc.pageOrdersWithConsumption(db, actor, { ...read.params, ...p }), read.params);
    const lots = await listLots(db);
    const providers = region ? await listProviders(db, actor) : undefined;
    return c.html(<OrderList c={c} page={page} params={read.params} notice={notice ?? read.notice} lots={lots} providers={providers} region={region} />);
  });

  const orderPage = async (c: Ctx, id: string, closeAttempt?: CloseAttempt) => {
    const actor = actorOf(c);
    const { db } = depsOf(c);
    const detail = await uc.getOrder(db, actor, id);
    const consumption = await uc.getOrderConsumption(db, actor, id);
    const months = await billingMonths(db, id);
    const blocking = detail.order.status === "issued" && actor.role === "region_officer" ? await uc.blockingPaths(db, actor, id) : [];
    // The order's paths, one keyset page at a time: the page no longer grows with the order (the CSV holds all).
    const read = readListQuery(PathListQuery, c.req.query());
    const pathParams = { ...read.params, orderId: id };
    const { page: paths } = await keysetPageLenient((p) => pagePaths(db, actor, { ...pathParams, ...p }), pathParams);
    return (
      <OrderPage
        c={c}
        detail={detail}
        consumption={consumption}
        findingsPage={Math.max(1, Math.min(10_000, Number.parseInt(c.req.query("constats") ?? "1", 10) || 1))}
        saved={c.req.query("enregistre") === "1"}
        closedNow={c.req.query("cloturee") === "1"}
        billingMonths={months}
        closeAttempt={closeAttempt}
        blocking={blocking}
        paths={paths}
        pathParams={{ q: read.params.q, sort: read.params.sort, limit: read.params.limit, after: read.params.after, status: read.params.status }}
        certificate={await certificateWarnings(db, detail.order.provider_id, parisDate(depsOf(c).clock.now()))}
      />
    );
  };

  app.get(`/commandes/:id${UUID}`, async (c) => c.html(await orderPage(c, c.req.param("id"))));

  // The Region closes the order: ticked confirmation, then the use case (refusals re-render the page, 422).
  app.post(`/commandes/:id${UUID}/cloturer`, async (c) => {
    const actor = actorOf(c);
    requireRole(actor, "region_officer");
    const id = c.req.param("id");
    const confirmed = str(await formBody(c), CONFIRM_FIELD) === "1";
    const r = confirmed
      ? await attempt(() => uc.closeOrder(depsOf(c).db, actor, depsOf(c).clock, id))
      : {
          ok: false as const,
          violations: [{ code: "VALIDATION", severity: "error" as const, message: "Cochez la confirmation pour clôturer la commande.", article: "", field: CONFIRM_FIELD }],
        };
    if (r.ok) return c.redirect(`/commandes/${id}?cloturee=1#cloture`, 303);
    return c.html(await orderPage(c, id, { violations: r.violations, confirmed }), 422);
  });
}
