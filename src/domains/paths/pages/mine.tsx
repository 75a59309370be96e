// What a trainee sees of their own paths (phone-first): dates, place, referent, modules and hours.
import type { Ctx } from "../../../core/http/context.ts";
import { Layout } from "../../../core/pages/layout.tsx";
import { formatMinutes } from "../../../core/rules.ts";
import { formatDateFr } from "../../../core/time.ts";
import type { PathDetail } from "../queries.ts";
import { modalityLabels, StatusBadge } from "./labels.tsx";
import { Table } from "../../../core/pages/table.tsx";

export function MyPathsPage(props: { c: Ctx; paths: PathDetail[] }) {
  return (
    <Layout c={props.c} title="Mon parcours">
      <h1>Mon parcours de formation</h1>
      {props.paths.length === 0 ? <p>Aucun parcours n'est encore ouvert à votre nom.</p> : null}
      <p>
        <a href="/mes-documents">Mes documents : certificats, attestations et émargements signés</a>
      </p>
      {props.paths.map((d) => {
        const h = d.head;
        const followed = d.items.filter((i) => !i.exempted);
        const total = followed.reduce((s, i) => s + i.planned_minutes, 0) + (d.positioning?.minutes ?? 0);
        return (
          <section aria-labelledby={`p-${h.id}`} class="card">
            <h2 id={`p-${h.id}`}>
              {h.component_title} <StatusBadge status={h.status} />
            </h2>
            <p>
              Du {formatDateFr(h.entry_date)} au {formatDateFr(h.planned_exit_date)} — {h.site_name} ({h.commune})
            </p>
            <p>Référent·e pédagogique : {h.referent_name ?? "en cours de désignation"}</p>
            <p>Formation gratuite, financée par la Région Occitanie.</p>
            <p>
              <a href={`/mon-parcours/${h.id}/bilan`}>Mes évaluations, examens, badges et attestation de compétences</a>
            </p>
            <p>
              <a href="/mes-stages">Mes stages en entreprise : entreprises proposées, conventions à signer, bilans</a>
            </p>
            <Table label="Mes modules">
              <caption>Mes modules ({formatMinutes(total)} au total, positionnement compris)</caption>
              <thead>
                <tr>
                  <th scope="col">Module</th>
                  <th scope="col">Modalité</th>
                  <th scope="col" class="num">Heures</th>
                </tr>
              </thead>
              <tbody>
                {d.items.map((i) => (
                  <tr>
                    <th scope="row">{i.label}</th>
                    <td>{modalityLabels[i.modality]}</td>
                    <td class="num">{i.exempted ? "Dispensé" : formatMinutes(i.planned_minutes)}</td>
                  </tr>
                ))}
              </tbody>
            </Table>
          </section>
        );
      })}
      {/* CP-NO-REMUNERATION (CCTP §2.6): the scheme gives no pay, but the status and social cover of a trainee of vocational training. */}
      <section aria-labelledby="statut" data-rule="CP-NO-REMUNERATION">
        <h2 id="statut">Votre statut pendant la formation</h2>
        <p>
          Compétences Plus n'ouvre pas droit à une rémunération. Pendant votre formation, vous avez le statut de stagiaire de la formation professionnelle et vous êtes
          couvert·e par la protection sociale qui s'y attache (accidents du travail et maladies professionnelles). Aucune somme ne peut vous être demandée pour la
          formation, hormis une caution pour du matériel prêté, remboursée à sa restitution.
        </p>
      </section>
    </Layout>
  );
}
