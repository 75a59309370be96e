// Trainees other funders pay for, recorded on a group (component × site) so that the group's
// headcount counts them (CP-GROUP-MAX-20: everyone in the room counts).
import type { Ctx } from "../../../core/http/context.ts";
import { CsrfField, Field, Layout, Select, ViolationList, errorFor } from "../../../core/pages/layout.tsx";
import type { Violation } from "../../../core/rules.ts";
import { formatDateFr } from "../../../core/time.ts";
import type { OtherFundedTrainee } from "../other-funded.ts";
import { Table } from "../../../core/pages/table.tsx";

export function OtherFundedPage(props: {
  c: Ctx;
  trainees: OtherFundedTrainee[];
  components: { id: string; title: string }[];
  sites: { id: string; name: string }[];
  canWrite: boolean;
  body?: Record<string, string>;
  violations?: Violation[];
}) {
  const v = props.violations ?? [];
  const b = props.body ?? {};
  return (
    <Layout c={props.c} title="Stagiaires d'autres financeurs">
      <p>
        <a href="/planning">← Planning</a>
      </p>
      <h1>Stagiaires d'autres financeurs</h1>
      <p>
        Un groupe ne devrait pas dépasser 20 stagiaires simultanés, quel que soit leur financeur (CP-GROUP-MAX-20, CCTP §3.1.2). Inscrivez ici les stagiaires d'un groupe que la Région ne finance pas : ils comptent dans l'effectif du groupe (composante et site) sur leurs dates, et peuvent être ajoutés aux créneaux.
      </p>
      <Table label="Stagiaires d'autres financeurs">
        <caption>Stagiaires d'autres financeurs ({props.trainees.length})</caption>
        <thead>
          <tr>
            <th scope="col">Nom</th>
            <th scope="col">Financeur</th>
            <th scope="col">Composante</th>
            <th scope="col">Site</th>
            <th scope="col">Du</th>
            <th scope="col">Au</th>
            {props.canWrite ? <th scope="col">Action</th> : null}
          </tr>
        </thead>
        <tbody>
          {props.trainees.map((o) => (
            <tr>
              <th scope="row">{o.fullName}</th>
              <td>{o.funder}</td>
              <td>{o.componentTitle}</td>
              <td>{o.siteName}</td>
              <td>{formatDateFr(o.startDate)}</td>
              <td>{formatDateFr(o.endDate)}</td>
              {props.canWrite ? (
                <td>
                  <form method="post" action={`/planning/autres-financeurs/${o.id}/supprimer`}>
                    <CsrfField c={props.c} />
                    <button type="submit" class="link" aria-label={`Retirer ${o.fullName}`}>
                      Retirer
                    </button>
                  </form>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </Table>
      {props.canWrite ? (
        <section aria-labelledby="new-other-funded">
          <h2 id="new-other-funded">Inscrire un·e stagiaire sur un groupe</h2>
          <form method="post" action="/planning/autres-financeurs" novalidate>
            <CsrfField c={props.c} />
            {v.length ? <ViolationList violations={v} title="Le ou la stagiaire n'a pas été inscrit·e" /> : null}
            <div class="grid">
              <Field name="fullName" label="Nom et prénom" required value={b.fullName} error={errorFor(v, "fullName")} />
              <Field name="funder" label="Financeur" required value={b.funder} error={errorFor(v, "funder")} hint="Ex. France Travail, OPCO, employeur, autofinancement." />
              <Select name="componentId" label="Composante" required emptyLabel="— choisir —" options={props.components.map((c) => ({ value: c.id, label: c.title }))} value={b.componentId} error={errorFor(v, "componentId")} />
              <Select name="siteId" label="Site" required emptyLabel="— choisir —" options={props.sites.map((s) => ({ value: s.id, label: s.name }))} value={b.siteId} error={errorFor(v, "siteId")} />
              <Field name="startDate" label="Premier jour dans le groupe" type="date" required value={b.startDate} error={errorFor(v, "startDate")} />
              <Field name="endDate" label="Dernier jour dans le groupe" type="date" required value={b.endDate} error={errorFor(v, "endDate")} />
            </div>
            <button type="submit">Inscrire</button>
          </form>
        </section>
      ) : null}
    </Layout>
  );
}
