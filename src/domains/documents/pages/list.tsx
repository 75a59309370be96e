// Every certificate the caller sees (ADR 0030): search, sort and filters in the URL (a GET form),
// one keyset page at a time, and the CSV export of the same criteria.
import type { Ctx } from "../../../core/http/context.ts";
import type { Page } from "../../../core/listing.ts";
import { Layout, Select } from "../../../core/pages/layout.tsx";
import { ListControls, listHref, Pager } from "../../../core/pages/list-controls.tsx";
import { Table } from "../../../core/pages/table.tsx";
import { dateTimeFr, de } from "../../../core/french.ts";
import { formatDateFr } from "../../../core/time.ts";
import { CERTIFICATE_SORTS, CERTIFICATE_STATES, type CertificateListItem, type CertificateListParams } from "../listing.ts";

export function CertificateListPage(props: { c: Ctx; page: Page<CertificateListItem>; params: CertificateListParams; years: number[]; notice?: string }) {
  const p = props.params;
  const rows = props.page.items;
  const { after: _after, limit: _limit, ...criteria } = p;
  return (
    <Layout c={props.c} title="Certificats de réalisation" wide>
      <p>
        <a href="/documents">← Documents</a>
      </p>
      <h1>Certificats de réalisation</h1>
      <ListControls
        action="/certificats"
        label="Rechercher et filtrer les certificats"
        sorts={CERTIFICATE_SORTS}
        q={p.q}
        sort={p.sort}
        searchLabel="Stagiaire, commande, composante ou code de vérification"
        notice={props.notice}
        hidden={{ orderId: p.orderId }}
      >
        <Select name="state" label="État" value={p.state} emptyLabel="Tous" options={Object.entries(CERTIFICATE_STATES).map(([value, label]) => ({ value, label }))} />
        <Select name="year" label="Fin de période en" value={p.year ? String(p.year) : ""} emptyLabel="Toutes les années" options={props.years.map((y) => ({ value: String(y), label: String(y) }))} />
      </ListControls>
      <p>
        <a href={listHref("/certificats/export.csv", criteria)} download>
          Exporter ces critères en CSV
        </a>{" "}
        <span class="muted">(toutes les pages, 10 000 lignes au plus)</span>
      </p>
      <Table label="Certificats">
        <caption>Certificats de réalisation ({rows.length} sur cette page)</caption>
        <thead>
          <tr>
            <th scope="col">Stagiaire</th>
            <th scope="col">Composante</th>
            <th scope="col">Commande</th>
            <th scope="col">Période</th>
            <th scope="col">Version</th>
            <th scope="col">Émis le</th>
            <th scope="col">Document</th>
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr>
              <td colspan={7}>Aucun certificat ne correspond.</td>
            </tr>
          ) : null}
          {rows.map((r) => (
            <tr>
              <th scope="row">
                <a href={`/parcours/${r.pathId}/certificats`}>
                  {r.traineeLastName.toUpperCase()} {r.traineeFirstName}
                </a>
              </th>
              <td>{r.componentTitle}</td>
              <td>{r.orderNumber}</td>
              <td>
                du {formatDateFr(r.periodStart)} au {formatDateFr(r.periodEnd)}
              </td>
              <td>
                {r.version} {r.inForce ? <span class="badge">en vigueur</span> : <span class="badge refused">remplacé</span>}
              </td>
              <td>{dateTimeFr(new Date(r.issuedAt))}</td>
              <td>
                <a href={`/certificats/${r.id}/pdf`}>
                  PDF<span class="visually-hidden"> du certificat {de(`${r.traineeFirstName} ${r.traineeLastName}`)}, version {r.version}</span>
                </a>
              </td>
            </tr>
          ))}
        </tbody>
      </Table>
      <Pager action="/certificats" params={p} next={props.page.next} shown={rows.length} label="Pages des certificats" />
    </Layout>
  );
}
