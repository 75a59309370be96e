// The consumption section of an order page: hours ordered / planned / realised / consumed
// (CP-ORDER-FUNGIBLE, CP-KPI-ORGANISATION) as an accessible chart and its data table, path counts
// by status and the compliance findings of the order's paths.
import type { PathStatus } from "../../../core/db/schema.ts";
import { formatMinutes } from "../../../core/rules.ts";
import { formatShare, type RealisedSelfStudyPart } from "../rules.ts";
import type { OrderConsumption } from "../use-cases.ts";
import { Table } from "../../../core/pages/table.tsx";

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
                {/* An SVG bar: its width is an attribute, not an inline style the CSP would refuse. */}
                <svg class="bar" viewBox="0 0 100 1" preserveAspectRatio="none" focusable="false" aria-hidden="true">
                  <rect class={s.key === "consumed" && r.consumed > r.ordered ? "over" : undefined} width={percent(r[s.key], scale)} height="1" />
                </svg>
              </div>
            ))}
          </div>
        );
      })}
    </div>
  );
}

/**
 * CP-SELFSTUDY-MAX-20 / CP-EFORM-SELFSTUDY-MAX-50 at any time: realised self-study against its share
 * of realised centre minutes (all non-company minutes, §12.2), per part of the order, before close.
 */
function SelfStudyShare(props: { parts: RealisedSelfStudyPart[]; closed: boolean }) {
  if (props.parts.length === 0) return null;
  const mixed = props.parts.length > 1;
  return (
    <>
      <h3 id="autoformation-realisee">Autoformation réalisée et plafond à la clôture</h3>
      <p class="hint">
        Issue des seuls émargements signés. À la clôture, une autoformation réalisée au-delà de 20 % des heures centre réalisées (toutes heures hors entreprise) donne un avertissement
        (CP-SELFSTUDY-MAX-20, CCTP §3.2.2.2) ; 50 % pour les composantes e-formation (CP-EFORM-SELFSTUDY-MAX-50){mixed ? ", chaque partie ayant son propre chiffre" : ""}. Exactement le
        plafond est admis.
      </p>
      <Table aria-labelledby="autoformation-realisee">
        <thead>
          <tr>
            <th scope="col">Partie de la commande</th>
            <th scope="col" class="num">Autoformation réalisée</th>
            <th scope="col" class="num">Heures centre réalisées</th>
            <th scope="col" class="num">Part réalisée</th>
            <th scope="col" class="num">Plafond</th>
            <th scope="col">Situation</th>
          </tr>
        </thead>
        <tbody>
          {props.parts.map((p) => (
            <tr data-code={p.code}>
              <th scope="row">{p.eFormation ? "Composantes e-formation" : "Composantes hors e-formation"}</th>
              <td class="num">{formatMinutes(p.selfStudyMinutes)}</td>
              <td class="num">{formatMinutes(p.centreMinutes)}</td>
              <td class="num">{formatShare(p.selfStudyMinutes, p.centreMinutes)}</td>
              <td class="num">
                {p.capPercent} % ({formatMinutes(p.capMinutes)})
              </td>
              <td>
                {p.over ? (
                  <span class="badge submitted">{props.closed ? `Au-delà du plafond (${p.code})` : `Au-delà : avertissement ${p.code} à la clôture`}</span>
                ) : (
                  <span class="badge validated">Dans le plafond</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </Table>
    </>
  );
}

/** Findings of the order's paths shown per page: the order page's size no longer grows with the order. */
export const FINDINGS_PER_PAGE = 50;

export function ConsumptionSection(props: { consumption: OrderConsumption; closed?: boolean; findingsPage?: number; baseHref?: string }) {
  const c = props.consumption;
  const rows = rowsOf(c);
  const errors = c.findings.filter((f) => f.violation.severity === "error");
  const warnings = c.findings.filter((f) => f.violation.severity === "warning");
  const all = [...errors, ...warnings];
  const pages = Math.max(1, Math.ceil(all.length / FINDINGS_PER_PAGE));
  const page = Math.min(props.findingsPage ?? 1, pages);
  const findings = all.slice((page - 1) * FINDINGS_PER_PAGE, page * FINDINGS_PER_PAGE);
  const pathTotal = (s: PathStatus) => c.lines.reduce((a, l) => a + l.paths[s], 0);
  return (
    <section aria-labelledby="consommation">
      <h2 id="consommation">Consommation de la commande</h2>
      <p class="hint">
        Consommé = heures réalisées + heures prévues non encore réalisées ; un parcours clôturé ou abandonné ne compte que ses heures réalisées (CP-ORDER-FUNGIBLE, CCTP §3.1.2).
        Les heures sont fongibles entre composantes dans la limite du total commandé.
      </p>
      <ConsumptionChart rows={rows} />
      <Table label="Heures commandées, prévues, réalisées et consommées par composante">
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
      </Table>

      <Table label="Parcours par statut">
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
      </Table>

      <SelfStudyShare parts={c.selfStudy} closed={props.closed ?? false} />

      <h3 id="constats">Constats de conformité de la commande et de ses parcours</h3>
      {all.length + c.orderFindings.length === 0 ? (
        <p class="ok">Aucun constat : les parcours de cette commande respectent les règles du dispositif.</p>
      ) : (
        <Table aria-labelledby="constats">
          <thead>
            <tr>
              <th scope="col">Concerne</th>
              <th scope="col">Gravité</th>
              <th scope="col">Règle</th>
              <th scope="col">Constat</th>
              <th scope="col">Article</th>
            </tr>
          </thead>
          <tbody>
            {c.orderFindings.map((v) => (
              <tr data-code={v.code}>
                <td>La commande (à sa clôture)</td>
                <td>
                  <span class={v.severity === "error" ? "badge refused" : "badge submitted"}>{v.severity === "error" ? "Erreur" : "Avertissement"}</span>
                </td>
                <td>
                  <strong>{v.code}</strong>
                </td>
                <td>{v.message}</td>
                <td class="article">{v.article}</td>
              </tr>
            ))}
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
        </Table>
      )}
      {pages > 1 && (
        <nav aria-label="Pages des constats">
          <p>
            Constats {(page - 1) * FINDINGS_PER_PAGE + 1} à {Math.min(page * FINDINGS_PER_PAGE, all.length)} sur {all.length} (erreurs d'abord) — page {page} sur {pages}.{" "}
            {page > 1 && <a href={`${props.baseHref ?? ""}?constats=${page - 1}#constats`}>Page précédente</a>}{" "}
            {page < pages && <a href={`${props.baseHref ?? ""}?constats=${page + 1}#constats`}>Page suivante</a>}
          </p>
        </nav>
      )}
    </section>
  );
}
