import { formatMinutes } from "../../../core/rules.ts";
import { pathStatusLabels as statusLabels } from "../rules.ts";
import type { Totals } from "../totals.ts";
import { Table } from "../../../core/pages/table.tsx";

export const modalityLabels: Record<string, string> = {
  centre: "Présentiel (centre)",
  company: "Entreprise",
  distance: "À distance (tutorat synchrone)",
  self_study: "Autoformation",
  gathering: "Regroupement",
};

export const pathStatusLabels: Record<string, string> = statusLabels;

export function StatusBadge(props: { status: string }) {
  return <span class={`badge ${props.status}`}>{pathStatusLabels[props.status] ?? props.status}</span>;
}

/** Minutes by modality as a small table (the Region's four categories + gathering + positioning). */
export function TotalsTable(props: { planned: Totals; realised?: Totals; caption: string }) {
  const rows: [string, keyof Totals][] = [
    ["Positionnement", "positioning"],
    ["Présentiel (centre)", "inPerson"],
    ["À distance (tutorat)", "distance"],
    ["Autoformation", "selfStudy"],
    ["dont à distance", "selfStudyRemote"],
    ["Regroupement", "gathering"],
    ["Heures centre (base des plafonds)", "centreMinutes"],
    ["Entreprise", "company"],
    ["Total du parcours", "total"],
  ];
  return (
    <Table label={props.caption}>
      <caption>{props.caption}</caption>
      <thead>
        <tr>
          <th scope="col">Modalité</th>
          <th scope="col" class="num">Prévu</th>
          {props.realised ? <th scope="col" class="num">Réalisé</th> : null}
        </tr>
      </thead>
      <tbody>
        {rows.map(([label, key]) => (
          <tr>
            <th scope="row">{key === "total" ? <strong>{label}</strong> : label}</th>
            <td class="num" data-total={key}>{formatMinutes(props.planned[key])}</td>
            {props.realised ? <td class="num">{formatMinutes(props.realised[key])}</td> : null}
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
