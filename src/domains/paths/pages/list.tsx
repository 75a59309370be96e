import { PersonalDataNotice } from "../../../core/pages/personal-data-notice.tsx";
import type { Ctx } from "../../../core/http/context.ts";
import { CsrfField, Field, Layout, Select, ViolationList, errorFor } from "../../../core/pages/layout.tsx";
import { formatMinutes, type Violation } from "../../../core/rules.ts";
import { formatDateFr } from "../../../core/time.ts";
import { PATH_SORTS, type PathListParams, type pagePaths, type registrableLines } from "../queries.ts";
import type { Page } from "../../../core/listing.ts";
import { ListControls, Pager } from "../../../core/pages/list-controls.tsx";

type Row = Awaited<ReturnType<typeof pagePaths>>["items"][number];
import { pathStatusLabels, StatusBadge } from "./labels.tsx";
import { Table } from "../../../core/pages/table.tsx";

export function TraineeListPage(props: { c: Ctx; page: Page<Row>; params: PathListParams; notice?: string; canWrite: boolean }) {
  const p = props.params;
  const rows = props.page.items;
  return (
    <Layout c={props.c} title="Stagiaires et parcours" wide>
      <h1>Stagiaires et parcours</h1>
      {props.canWrite ? (
        <p class="actions">
          <a class="button" href="/stagiaires/nouveau">
            Inscrire un stagiaire
          </a>
        </p>
      ) : null}
      <ListControls action="/stagiaires" label="Rechercher et filtrer les stagiaires" sorts={PATH_SORTS} q={p.q} sort={p.sort} searchLabel="Nom, identifiant France Travail, commande ou composante" notice={props.notice} hidden={{ orderId: p.orderId }}>
        <Select name="status" label="Statut" value={p.status} emptyLabel="Tous" options={Object.entries(pathStatusLabels).map(([value, label]) => ({ value, label }))} />
      </ListControls>
      <Table label="Parcours">
        <caption>Stagiaires et parcours ({rows.length} sur cette page)</caption>
        <thead>
          <tr>
            <th scope="col">Stagiaire</th>
            <th scope="col">Composante</th>
            <th scope="col">Commande</th>
            <th scope="col">Site</th>
            <th scope="col">Entrée</th>
            <th scope="col">Sortie prévue</th>
            <th scope="col" class="num">Heures prévues</th>
            <th scope="col">Statut</th>
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr>
              <td colspan={8}>Aucun parcours ne correspond.</td>
            </tr>
          ) : null}
          {rows.map((r) => (
            <tr>
              <th scope="row">
                <a href={`/parcours/${r.id}`}>
                  {r.last_name.toUpperCase()} {r.first_name}
                </a>
                {r.job_seeker_registered ? null : <span class="badge refused"> non inscrit·e FT</span>}
              </th>
              <td>{r.component_title}</td>
              <td>{r.order_number}</td>
              <td>{r.site_name}</td>
              <td>{formatDateFr(r.entry_date)}</td>
              <td>{formatDateFr(r.planned_exit_date)}</td>
              <td class="num">{formatMinutes(r.planned_minutes)}</td>
              <td>
                <StatusBadge status={r.status} />
              </td>
            </tr>
          ))}
        </tbody>
      </Table>
      <Pager action="/stagiaires" params={p} next={props.page.next} shown={rows.length} label="Pages des stagiaires" />
    </Layout>
  );
}

type Lines = Awaited<ReturnType<typeof registrableLines>>;

export function RegisterPage(props: {
  c: Ctx;
  lines: Lines;
  referents: { id: string; full_name: string }[];
  body: Record<string, string>;
  violations?: Violation[];
  orderId?: string;
}) {
  const b = props.body;
  const vs = props.violations ?? [];
  const lines = props.orderId ? props.lines.filter((l) => l.order_id === props.orderId) : props.lines;
  // One option per (order line, site): the form posts both at once.
  const choices = lines.map((l) => ({
    value: `${l.id}|${l.site_id}`,
    label: `${l.number} — ${l.title} — ${l.site_name} (${l.commune})`,
  }));
  return (
    <Layout c={props.c} title="Inscrire un stagiaire">
      <p>
        <a href="/stagiaires">← Stagiaires</a>
      </p>
      <h1>Inscrire un stagiaire sur une commande</h1>
      <p>Seules les données nécessaires sont demandées (pas de numéro de sécurité sociale).</p>
      {vs.length ? <ViolationList violations={vs} title="L'inscription n'a pas été enregistrée" /> : null}
      <form method="post" action="/stagiaires/nouveau">
        <CsrfField c={props.c} />
        <fieldset>
          <legend>Formation</legend>
          <Select name="lineSite" label="Commande, composante et site" required options={choices} value={b.lineSite} emptyLabel="— Choisir —" error={errorFor(vs, "orderLineId")} />
          <div class="grid">
            <Field name="entryDate" label="Date d'entrée prévue" type="date" required value={b.entryDate} error={errorFor(vs, "entryDate")} />
            <Field name="plannedExitDate" label="Date de sortie prévue" type="date" required value={b.plannedExitDate} error={errorFor(vs, "plannedExitDate")} />
          </div>
        </fieldset>
        <fieldset>
          <legend>Identité et contact</legend>
          <div class="grid">
            <Field name="firstName" label="Prénom" required value={b.firstName} error={errorFor(vs, "firstName")} attrs={{ autocomplete: "off" }} />
            <Field name="lastName" label="Nom" required value={b.lastName} error={errorFor(vs, "lastName")} attrs={{ autocomplete: "off" }} />
            <Field name="birthDate" label="Date de naissance" type="date" required value={b.birthDate} error={errorFor(vs, "birthDate")} />
            <Field name="email" label="E-mail" type="email" value={b.email} error={errorFor(vs, "email")} />
            <Field name="phone" label="Téléphone" type="tel" value={b.phone} />
          </div>
          <PersonalDataNotice purpose="P2" />
        </fieldset>
        <fieldset>
          <legend>France Travail</legend>
          <Field name="franceTravailId" label="Identifiant France Travail" hint="7 chiffres suivis d'un chiffre ou d'une lettre (ex. 1234567A), ou 11 chiffres." value={b.franceTravailId} error={errorFor(vs, "franceTravailId")} />
          <div class="field">
            <input type="checkbox" id="f-jobSeekerRegistered" name="jobSeekerRegistered" value="1" checked={b.jobSeekerRegistered === "1"} />{" "}
            <label for="f-jobSeekerRegistered" class="inline">
              Inscrit·e comme demandeur d'emploi (toute catégorie) — requis pour entrer en formation
            </label>
          </div>
        </fieldset>
        <Select
          name="pedagogicalReferentId"
          label="Référent pédagogique"
          options={props.referents.map((r) => ({ value: r.id, label: r.full_name }))}
          value={b.pedagogicalReferentId}
          emptyLabel="— À désigner avant l'entrée —"
          error={errorFor(vs, "pedagogicalReferentId")}
        />
        <button type="submit">Inscrire et ouvrir le parcours</button>
      </form>
    </Layout>
  );
}
