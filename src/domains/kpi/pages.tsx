// Pages /tableau-de-bord (the Region's figures; a provider's own) and /conformite (the compliance board),
// with their CSV (Excel-FR) and XLSX exports.
import { ruleTitle } from "../../core/rule-titles.ts";
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv, Ctx } from "../../core/http/context.ts";
import { actorOf, depsOf } from "../../core/http/context.ts";
import { Layout, Select } from "../../core/pages/layout.tsx";
import { formatMinutes } from "../../core/rules.ts";
import { listComponents } from "../offer/use-cases.ts";
import { listDepartements, listLots, listProviders } from "../region/use-cases.ts";
import { BarChart } from "./charts.tsx";
import { type ComplianceLine, complianceBoard } from "./compliance.ts";
import { type Dashboard, dashboard } from "./dashboard.ts";
import { complianceRows, csvOf, dashboardRows, xlsxOf } from "./export.ts";
import type { Figure } from "./rules.ts";
import { ComplianceQuery, KpiFilter, parseInput } from "./schema.ts";
import { Table } from "../../core/pages/table.tsx";

const CATEGORIES = [
  { value: "transverse", label: "Transverse" },
  { value: "regulatory", label: "Réglementaire" },
  { value: "specific_preparation", label: "Préparation spécifique" },
];

const pct = (v: number) => `${String(v).replace(".", ",")} %`;

function shownValue(f: Figure) {
  if (f.status === "no_data") return <em>pas encore de données</em>;
  if (f.status === "small_base") return <em>masqué (moins de 5 personnes)</em>;
  if (f.unit === "percent") return pct(f.value ?? 0);
  if (f.unit === "minutes") return formatMinutes(f.value ?? 0);
  return String(f.value);
}

function FigureTable(props: { id: string; title: string; figures: Figure[] }) {
  return (
    <section aria-labelledby={props.id}>
      <h2 id={props.id}>{props.title}</h2>
      <Table label={props.title}>
        <thead>
          <tr>
            <th scope="col">Indicateur</th>
            <th scope="col">Valeur</th>
            <th scope="col">Base</th>
            <th scope="col">Règle</th>
          </tr>
        </thead>
        <tbody>
          {props.figures.map((f) => (
            <tr>
              <th scope="row">{f.label}</th>
              <td>{shownValue(f)}</td>
              <td>{f.base === null ? "—" : `${f.base} ${f.baseLabel}`}</td>
              <td>{f.rule}</td>
            </tr>
          ))}
        </tbody>
      </Table>
    </section>
  );
}

/** A bar chart of the figures shown (hidden and missing ones are left out), with its data table beside it. */
function ChartOf(props: { id: string; title: string; figures: Figure[] }) {
  const shown = props.figures.filter((f) => f.status === "ok" && f.value !== null);
  if (shown.length === 0) return null;
  const fmt = (f: Figure) => (v: number) => (f.unit === "percent" ? pct(v) : String(v));
  const format = fmt(shown[0]);
  return (
    <div class="chart-pair">
      <BarChart id={props.id} title={props.title} bars={shown.map((f) => ({ label: f.label, value: f.value ?? 0 }))} format={format} />
      <Table label={`Données du graphique : ${props.title.toLowerCase()}`}>
        <caption>Données du graphique : {props.title.toLowerCase()}</caption>
        <thead>
          <tr>
            <th scope="col">Indicateur</th>
            <th scope="col">Valeur</th>
            <th scope="col">Base</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((f) => (
            <tr>
              <th scope="row">{f.label}</th>
              <td>{format(f.value ?? 0)}</td>
              <td>{f.base ?? "—"}</td>
            </tr>
          ))}
        </tbody>
      </Table>
    </div>
  );
}

const queryOf = (c: Ctx) => new URL(c.req.url).search;

async function Filters(props: { c: Ctx; f: KpiFilter; years: number[] }) {
  const { c, f } = props;
  const { db } = depsOf(c);
  const actor = actorOf(c);
  const region = actor.role === "region_officer";
  const lots = await listLots(db);
  const deps = await listDepartements(db);
  const providers = region ? await listProviders(db, actor) : [];
  const components = await listComponents(db, actor, region && f.providerId ? { providerId: f.providerId } : {});
  return (
    <form method="get" action="/tableau-de-bord" class="filters">
      <Select name="year" label="Année des commandes" options={props.years.map((y) => ({ value: String(y), label: String(y) }))} value={f.year ? String(f.year) : ""} emptyLabel="Toutes" />
      <Select name="lotId" label="Lot" options={lots.map((l) => ({ value: l.id, label: `${l.code} — ${l.name}` }))} value={f.lotId ?? ""} emptyLabel="Tous" />
      <Select name="departement" label="Département" options={deps.map((d) => ({ value: d.code, label: `${d.code} — ${d.name}` }))} value={f.departement ?? ""} emptyLabel="Tous" />
      {region ? <Select name="providerId" label="Organisme" options={providers.map((p) => ({ value: p.id, label: p.name }))} value={f.providerId ?? ""} emptyLabel="Tous" /> : null}
      <Select name="componentId" label="Composante" options={components.map((x) => ({ value: x.id, label: x.title }))} value={f.componentId ?? ""} emptyLabel="Toutes" />
      <Select name="category" label="Catégorie" options={CATEGORIES} value={f.category ?? ""} emptyLabel="Toutes" />
      <button type="submit">Filtrer</button>
    </form>
  );
}

const HOUR_ROWS = [
  ["Présentiel en centre (positionnement compris)", "centre"],
  ["Entreprise", "company"],
  ["Distance (FAD)", "distance"],
  ["Autoformation", "selfStudy"],
] as const;

async function DashboardPage(props: { c: Ctx; d: Dashboard; f: KpiFilter }) {
  const { c, d } = props;
  const q = queryOf(c);
  const years = [2023, 2024, 2025, 2026, 2027];
  return (
    <Layout c={c} title="Tableau de bord" wide>
      <h1>Tableau de bord</h1>
      <p>
        Chiffres calculés à l'instant sur les données de la plateforme ; chaque chiffre dit sur combien de personnes il porte, et un taux calculé sur moins de 5 personnes est masqué. Définitions : guide de la Région, « Indicateurs ».
      </p>
      {await Filters({ c, f: props.f, years })}
      <p class="actions">
        <a href={`/tableau-de-bord.csv${q}`} download>
          Exporter en CSV (Excel)
        </a>
        <a href={`/tableau-de-bord.xlsx${q}`} download>
          Exporter en XLSX
        </a>
      </p>
      <p>
        {d.orders} commande{d.orders > 1 ? "s" : ""} retenue{d.orders > 1 ? "s" : ""} par les filtres.
      </p>
      <FigureTable id="organisation" title="Organisation et effectifs (CP-KPI-ORGANISATION)" figures={d.organisation} />
      <FigureTable id="sorties" title="Sorties" figures={d.exits} />
      <FigureTable id="sorties-motif" title="Sorties par motif (CP-KPI-ORGANISATION)" figures={d.exitReasons} />
      <ChartOf id="chart-exit-reasons" title="Sorties par motif" figures={d.exitReasons.slice(1)} />
      <FigureTable id="heures" title="Consommation des commandes" figures={d.hoursFigures} />
      <section aria-labelledby="modalites">
        <h2 id="modalites">Heures prévues et réalisées par modalité</h2>
        <div class="chart-pair">
          <BarChart id="chart-realised" title="Heures réalisées par modalité" bars={HOUR_ROWS.map(([label, k]) => ({ label, value: d.hours.realised[k] }))} format={formatMinutes} />
          <Table label="Données du graphique : heures par modalité">
            <caption>Données du graphique : heures par modalité</caption>
            <thead>
              <tr>
                <th scope="col">Modalité</th>
                <th scope="col">Prévues</th>
                <th scope="col">Réalisées</th>
              </tr>
            </thead>
            <tbody>
              {HOUR_ROWS.map(([label, k]) => (
                <tr>
                  <th scope="row">{label}</th>
                  <td>{formatMinutes(d.hours.planned[k])}</td>
                  <td>{formatMinutes(d.hours.realised[k])}</td>
                </tr>
              ))}
              <tr>
                <th scope="row">Total (commandé : {formatMinutes(d.hours.ordered.total)})</th>
                <td>{formatMinutes(d.hours.planned.total)}</td>
                <td>{formatMinutes(d.hours.realised.total)}</td>
              </tr>
            </tbody>
          </Table>
        </div>
      </section>
      <section aria-labelledby="entrees-mois">
        <h2 id="entrees-mois">Entrées par mois</h2>
        {d.entriesByMonth.length === 0 ? (
          <p>Aucune entrée.</p>
        ) : (
          <div class="chart-pair">
            <BarChart id="chart-entries" title="Entrées par mois" bars={d.entriesByMonth.map((m) => ({ label: m.month, value: m.entries }))} format={(v) => String(v)} />
            <Table label="Données du graphique : entrées par mois">
              <caption>Données du graphique : entrées par mois</caption>
              <thead>
                <tr>
                  <th scope="col">Mois</th>
                  <th scope="col">Entrées</th>
                </tr>
              </thead>
              <tbody>
                {d.entriesByMonth.map((m) => (
                  <tr>
                    <th scope="row">{m.month}</th>
                    <td>{m.entries}</td>
                  </tr>
                ))}
              </tbody>
            </Table>
          </div>
        )}
      </section>
      <FigureTable id="examens" title="Examens (CP-KPI-EXAMS)" figures={d.exams} />
      <FigureTable id="vae" title="VAE (CP-KPI-VAE)" figures={d.vae} />
      <ChartOf id="chart-exams" title="Examens : taux de présentation et de réussite" figures={d.exams} />
      <FigureTable id="emploi" title="Accès à l'emploi (CP-KPI-EMPLOYMENT)" figures={d.employment} />
      <ChartOf id="chart-employment" title="Accès à l'emploi à la sortie, à 3 et 6 mois" figures={d.employment} />
      <FigureTable id="satisfaction" title="Satisfaction (CP-KPI-SATISFACTION)" figures={d.satisfaction} />
    </Layout>
  );
}

const SORT_LABELS: [string, string][] = [
  ["severity", "Gravité"],
  ["rule", "Règle"],
  ["provider", "Organisme"],
  ["order", "Commande"],
  ["since", "Depuis"],
];

async function CompliancePage(props: { c: Ctx; lines: ComplianceLine[]; q: ComplianceQuery }) {
  const { c, lines, q } = props;
  const { db } = depsOf(c);
  const providers = await listProviders(db, actorOf(c));
  const rules = [...new Set(lines.map((l) => l.rule))].sort();
  const link = (sort: string) => {
    const u = new URLSearchParams(Object.entries({ ...q, sort }).filter(([, v]) => v) as [string, string][]);
    return `/conformite?${u}`;
  };
  return (
    <Layout c={c} title="Conformité des organismes" wide>
      <h1>Conformité des organismes</h1>
      <p>Toutes les alertes ouvertes et les délais dépassés, chez tous les organismes ; chaque ligne nomme sa règle et l'article du cahier des charges, et mène à l'objet concerné.</p>
      <form method="get" action="/conformite" class="filters">
        <Select name="providerId" label="Organisme" options={providers.map((p) => ({ value: p.id, label: p.name }))} value={q.providerId ?? ""} emptyLabel="Tous" />
        <Select name="rule" label="Règle" options={rules.map((r) => ({ value: r, label: `${ruleTitle(r)} (${r})` }))} value={q.rule ?? ""} emptyLabel="Toutes" />
        <Select
          name="severity"
          label="Gravité"
          options={[
            { value: "error", label: "Erreur" },
            { value: "warning", label: "Alerte" },
          ]}
          value={q.severity ?? ""}
          emptyLabel="Toutes"
        />
        <input type="hidden" name="sort" value={q.sort ?? "severity"} />
        <button type="submit">Filtrer</button>
      </form>
      <p class="actions">
        <a href={`/conformite.csv${queryOf(c)}`} download>
          Exporter en CSV (Excel)
        </a>
        <a href={`/conformite.xlsx${queryOf(c)}`} download>
          Exporter en XLSX
        </a>
      </p>
      <p role="status">
        {lines.length} constat{lines.length > 1 ? "s" : ""}.
      </p>
      <Table label="Constats de conformité">
        <caption class="visually-hidden">Constats de conformité</caption>
        <thead>
          <tr>
            {SORT_LABELS.slice(0, 2).map(([k, label]) => (
              <th scope="col" aria-sort={(q.sort ?? "severity") === k ? "ascending" : undefined}>
                <a href={link(k)}>{label}</a>
              </th>
            ))}
            <th scope="col">Article</th>
            {SORT_LABELS.slice(2).map(([k, label]) => (
              <th scope="col" aria-sort={q.sort === k ? "ascending" : undefined}>
                <a href={link(k)}>{label}</a>
              </th>
            ))}
            <th scope="col">Objet et constat</th>
          </tr>
        </thead>
        <tbody>
          {lines.map((l) => (
            <tr>
              <td>{l.severity === "error" ? "Erreur" : "Alerte"}</td>
              <td>{l.rule}</td>
              <td>{l.article}</td>
              <td>{l.providerName}</td>
              <td>{l.orderNumber ?? "—"}</td>
              <td>{l.since ?? "—"}</td>
              <td>
                <a href={l.href}>{l.object}</a> : {l.message}
              </td>
            </tr>
          ))}
        </tbody>
      </Table>
    </Layout>
  );
}

const download = (c: Ctx, body: Buffer, type: string, name: string) =>
  c.body(new Uint8Array(body), 200, { "content-type": type, "content-disposition": `attachment; filename="${name}"`, "x-content-type-options": "nosniff" });
const CSV = "text/csv; charset=utf-8";
const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

export function registerKpiPages(app: OpenAPIHono<AppEnv>) {
  const load = async (c: Ctx) => {
    const f = parseInput(KpiFilter, c.req.query());
    const { db, clock } = depsOf(c);
    return { f, d: await dashboard(db, actorOf(c), clock, f) };
  };
  app.get("/tableau-de-bord", async (c) => {
    const { f, d } = await load(c);
    return c.html(await DashboardPage({ c, d, f }));
  });
  app.get("/tableau-de-bord.csv", async (c) => download(c, csvOf(dashboardRows((await load(c)).d)), CSV, "tableau-de-bord.csv"));
  app.get("/tableau-de-bord.xlsx", async (c) => download(c, await xlsxOf([{ name: "Tableau de bord", rows: dashboardRows((await load(c)).d) }]), XLSX, "tableau-de-bord.xlsx"));
  const board = async (c: Ctx) => {
    const q = parseInput(ComplianceQuery, c.req.query());
    const { db, clock } = depsOf(c);
    return { q, lines: await complianceBoard(db, actorOf(c), clock, q) };
  };
  app.get("/conformite", async (c) => {
    const { q, lines } = await board(c);
    return c.html(await CompliancePage({ c, lines, q }));
  });
  app.get("/conformite.csv", async (c) => download(c, csvOf(complianceRows((await board(c)).lines, depsOf(c).config.publicUrl ?? "")), CSV, "conformite.csv"));
  app.get("/conformite.xlsx", async (c) => download(c, await xlsxOf([{ name: "Conformité", rows: complianceRows((await board(c)).lines, depsOf(c).config.publicUrl ?? "") }]), XLSX, "conformite.xlsx"));
}
