// The consumption section of an order page: hours ordered / planned / realised / consumed
// (CP-ORDER-FUNGIBLE, CP-KPI-ORGANISATION) as an accessible chart and its data table, path counts
// by status and the compliance findings of the order's paths.
import type { PathStatus } from "../../../core/db/schema.ts";
import { formatMinutes } from "../../../core/rules.ts";
import type { OrderConsumption } from "../use-cases.ts";

export const pathStatusLabels: Record<PathStatus, string> = {
  draft: "Brouillon",
  validated: "Validé",
  closed: "Clôturé",
  dropped: "Abandonné",
};
const STATUSES: PathStatus[] = ["draft", "validated", "closed", "dropped"];

interface Row {
  label: string;
  ordered: number;
  planned: number;
  realised: number;
  consumed: number;
}

/** Integer percent of `part` in `whole` (display only; rules never compare floats). */
const percent = (part: number, whole: number) => (whole <= 0 ? 0 : Math.floor((part * 100) / whole));

function rowsOf(c: OrderConsumption): Row[] {
  return [
    ...c.lines.map((l) => ({ label: l.componentTitle, ordered: l.ordered.total, planned: l.planned.total, realised: l.realised.total, consumed: l.consumed.total })),
    { label: "Total de la commande", ordered: c.ordered.total, planned: c.planned.total, realised: c.realised.total, consumed: c.consumed.total },
  ];
}

const SERIES: { key: keyof Omit<Row, "label">; label: string }[] = [
  { key: "ordered", label: "Commandé" },
  { key: "planned", label: "Prévu" },
  { key: "realised", label: "Réalisé" },
  { key: "consumed", label: "Consommé" },
];

/** CSS bars: one group per component and one for the order; the group is one image with its text alternative. */
function ConsumptionChart(props: { rows: Row[] }) {
  return (
    <div class="cards consumption-chart">
      {props.rows.map((r) => {
        const scale = Math.max(r.ordered, r.planned, r.realised, r.consumed, 1);
        const summary = `${r.label} : commandé ${formatMinutes(r.ordered)}, prévu ${formatMinutes(r.planned)}, réalisé ${formatMinutes(r.realised)}, consommé ${formatMinutes(r.consumed)} (${percent(r.consumed, r.ordered)} % des heures commandées).`;
        return (
          <div class="card" role="img" aria-label={summary}>
            <p>
              <strong>{r.label}</strong>
            </p>
            {SERIES.map((s) => (
              <div aria-hidden="true">
                <span class="muted">
                  {s.label} : {formatMinutes(r[s.key])}
                </span>
                <div class="bar">
                  <span class={s.key === "consumed" && r.consumed > r.ordered ? "over" : undefined} style={`width: ${percent(r[s.key], scale)}%`}></span>
                </div>
              </div>
            ))}
          </div>
        );
      })}
    </div>
  );
}

export function ConsumptionSection(props: { consumption: OrderConsumption }) {
  const c = props.consumption;
  const rows = rowsOf(c);
  const errors = c.findings.filter((f) => f.violation.severity === "error");
  const warnings = c.findings.filter((f) => f.violation.severity === "warning");
  const findings = [...errors, ...warnings];
  const pathTotal = (s: PathStatus) => c.lines.reduce((a, l) => a + l.paths[s], 0);
  return (
    <section aria-labelledby="consommation">
      <h2 id="consommation">Consommation de la commande</h2>
      <p class="hint">
        Consommé = heures réalisées + heures prévues non encore réalisées ; un parcours clôturé ou abandonné ne compte que ses heures réalisées (CP-ORDER-FUNGIBLE, CCTP §3.1.2).
        Les heures sont fongibles entre composantes dans la limite du total commandé.
      </p>
      <ConsumptionChart rows={rows} />
      <table>
        <caption>Heures commandées, prévues, réalisées et consommées par composante</caption>
        <thead>
          <tr>
            <th scope="col">Composante</th>
            <th scope="col" class="num">Commandé</th>
            <th scope="col" class="num">Prévu</th>
            <th scope="col" class="num">Réalisé</th>
            <th scope="col" class="num">Consommé</th>
            <th scope="col" class="num">Reste à consommer</th>
            <th scope="col" class="num">Part consommée</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => {
            const total = i === rows.length - 1;
            const cell = (v: string) => <td class="num">{total ? <strong>{v}</strong> : v}</td>;
            return (
              <tr>
                <th scope="row">{r.label}</th>
                {cell(formatMinutes(r.ordered))}
                {cell(formatMinutes(r.planned))}
                {cell(formatMinutes(r.realised))}
                {cell(formatMinutes(r.consumed))}
                {cell(formatMinutes(r.ordered - r.consumed))}
                {cell(`${percent(r.consumed, r.ordered)} %`)}
              </tr>
            );
          })}
        </tbody>
      </table>

      <table>
        <caption>Parcours par statut</caption>
        <thead>
          <tr>
            <th scope="col">Composante</th>
            {STATUSES.map((s) => (
              <th scope="col" class="num">
                {pathStatusLabels[s]}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {c.lines.map((l) => (
            <tr>
              <th scope="row">{l.componentTitle}</th>
              {STATUSES.map((s) => (
                <td class="num">{l.paths[s]}</td>
              ))}
            </tr>
          ))}
          <tr>
            <th scope="row">Total</th>
            {STATUSES.map((s) => (
              <td class="num">{pathTotal(s)}</td>
            ))}
          </tr>
        </tbody>
      </table>

      <h3 id="constats">Constats de conformité des parcours</h3>
      {findings.length === 0 ? (
        <p class="ok">Aucun constat : les parcours de cette commande respectent les règles du dispositif.</p>
      ) : (
        <table aria-labelledby="constats">
          <thead>
            <tr>
              <th scope="col">Stagiaire</th>
              <th scope="col">Gravité</th>
              <th scope="col">Règle</th>
              <th scope="col">Constat</th>
              <th scope="col">Article</th>
            </tr>
          </thead>
          <tbody>
            {findings.map((f) => (
              <tr data-code={f.violation.code}>
                <td>
                  <a href={`/parcours/${f.pathId}`}>{f.traineeName}</a> <span class="muted">({pathStatusLabels[f.status]})</span>
                </td>
                <td>
                  <span class={f.violation.severity === "error" ? "badge refused" : "badge submitted"}>{f.violation.severity === "error" ? "Erreur" : "Avertissement"}</span>
                </td>
                <td>
                  <strong>{f.violation.code}</strong>
                </td>
                <td>{f.violation.message}</td>
                <td class="article">{f.violation.article}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
