// Lists of recruitment: candidacies (provider, Region), prescriptions (prescriber), slips, selection ranking, Region view.
import { de } from "../../../core/french.ts";
import type { CandidacyStatus } from "../../../core/db/schema.ts";
import type { Ctx } from "../../../core/http/context.ts";
import { CsrfField, Layout, Select } from "../../../core/pages/layout.tsx";
import type { Violation } from "../../../core/rules.ts";
import { formatDateFr } from "../../../core/time.ts";
import type { regionContinuations, selectionRanking } from "../queries.ts";
import type { Page } from "../../../core/listing.ts";
import { ListControls, Pager } from "../../../core/pages/list-controls.tsx";
import { CANDIDACY_SORTS, type CandidacyListParams, type pageCandidacies, type pageSlips, SLIP_SORTS, type SlipListParams } from "../listing.ts";
import { originLabels, schemeLabels, statusLabels } from "../rules.ts";
import { Table } from "../../../core/pages/table.tsx";

type Row = Awaited<ReturnType<typeof pageCandidacies>>["items"][number];

const badgeClass: Record<CandidacyStatus, string> = {
  received: "draft",
  invited: "submitted",
  summoned: "submitted",
  selected: "accepted",
  waiting_list: "requested",
  not_retained: "refused",
  entered: "validated",
  withdrawn: "dropped",
};
export const StatusBadge = (props: { status: CandidacyStatus }) => <span class={`badge ${badgeClass[props.status]}`}>{statusLabels[props.status]}</span>;

const Flags = (props: { flags: Violation[] }) =>
  props.flags.length ? (
    <ul class="flags">
      {props.flags.map((f) => (
        <li data-code={f.code} class="muted">
          <strong>{f.code}</strong>
        </li>
      ))}
    </ul>
  ) : null;

export function CandidacyListPage(props: {
  c: Ctx;
  page: Page<Row>;
  params: CandidacyListParams;
  notice?: string;
  sessions: { id: string; start_date: string; title: string }[];
  canWrite: boolean;
  title: string;
  action: string;
}) {
  const p = props.params;
  const rows = props.page.items;
  return (
    <Layout c={props.c} title={props.title} wide>
      <h1>{props.title}</h1>
      <div class="actions">
        {props.canWrite ? (
          <>
            <a class="button" href="/candidatures/nouvelle">
              Saisir une prescription papier
            </a>
            <a class="button secondary" href="/candidatures/import">
              Importer un CSV
            </a>
            <a class="button secondary" href="/continuations">
              Fiches navettes
            </a>
          </>
        ) : null}
        {props.action === "/prescriptions" ? (
          <a class="button" href="/prescriptions/nouvelle">
            Prescrire un candidat
          </a>
        ) : null}
      </div>
      <ListControls action={props.action} label="Rechercher et filtrer les candidatures" sorts={CANDIDACY_SORTS} q={p.q} sort={p.sort} searchLabel="Nom, identifiant France Travail, e-mail, formation ou commande" notice={props.notice} hidden={{ orderId: p.orderId }}>
        {props.sessions.length ? (
          <Select name="sessionId" label="Session" value={p.sessionId} emptyLabel="Toutes" options={props.sessions.map((s) => ({ value: s.id, label: `${s.title} — ${formatDateFr(s.start_date)}` }))} />
        ) : null}
        <Select name="status" label="Statut" value={p.status} emptyLabel="Tous" options={Object.entries(statusLabels).map(([value, label]) => ({ value, label }))} />
      </ListControls>
      <Table label="Candidatures">
        <caption>Candidatures ({rows.length} sur cette page)</caption>
        <thead>
          <tr>
            <th scope="col">Candidat</th>
            <th scope="col">Formation</th>
            <th scope="col">Session</th>
            <th scope="col">Origine</th>
            <th scope="col">Prescripteur</th>
            <th scope="col">Statut</th>
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr>
              <td colspan={6}>Aucune candidature ne correspond.</td>
            </tr>
          ) : null}
          {rows.map((r) => (
            <tr>
              <th scope="row">
                <a href={`/candidatures/${r.id}`}>
                  {r.last_name.toUpperCase()} {r.first_name}
                </a>
                {r.job_seeker_registered ? null : <span class="badge refused"> non inscrit·e FT</span>}
              </th>
              <td>
                {r.component_title} <span class="muted">({r.provider_name})</span>
              </td>
              <td>{formatDateFr(r.session_start)}</td>
              <td>{originLabels[r.origin]}</td>
              <td>{r.prescriber_name ?? "—"}</td>
              <td>
                <StatusBadge status={r.status} />
              </td>
            </tr>
          ))}
        </tbody>
      </Table>
      <Pager action={props.action} params={p} next={props.page.next} shown={rows.length} label="Pages des candidatures" />
    </Layout>
  );
}

type Slips = Awaited<ReturnType<typeof pageSlips>>["items"];

function SlipTable(props: { caption: string; slips: Slips; showDestination?: boolean }) {
  return (
    <Table label={props.caption}>
      <caption>{props.caption}</caption>
      <thead>
        <tr>
          <th scope="col">Candidat</th>
          <th scope="col">Formation suivante</th>
          <th scope="col">Venant de</th>
          <th scope="col">Reçue le</th>
          <th scope="col">Échéance (28 j)</th>
          <th scope="col">Réponse</th>
          <th scope="col">Statut</th>
          {props.showDestination ? <th scope="col">Sens</th> : null}
        </tr>
      </thead>
      <tbody>
        {props.slips.length === 0 ? (
          <tr>
            <td colspan={props.showDestination ? 8 : 7}>Aucune fiche navette ne correspond.</td>
          </tr>
        ) : null}
        {props.slips.map((s) => (
          <tr data-overdue={s.lateness && !s.row.slip_answered_on ? "1" : undefined}>
            <th scope="row">
              {s.direction === "sent" ? (
                `${s.row.last_name.toUpperCase()} ${s.row.first_name}`
              ) : (
                <a href={`/candidatures/${s.row.id}`}>
                  {s.row.last_name.toUpperCase()} {s.row.first_name}
                </a>
              )}
            </th>
            <td>
              {s.row.component_title} <span class="muted">({s.row.provider_name})</span>
            </td>
            <td>
              {s.row.from_provider_name} <span class="muted">— {schemeLabels[s.row.from_scheme as keyof typeof schemeLabels]}</span>
            </td>
            <td>{formatDateFr(s.row.slip_received_on)}</td>
            <td>
              {formatDateFr(s.deadline)}
              {s.lateness ? <span class="badge refused">{s.row.slip_answered_on ? " réponse tardive" : " en retard"}</span> : null}
            </td>
            <td>
              {s.row.slip_answer === "entry"
                ? `Entrée le ${formatDateFr(s.row.slip_answer_entry_date)} (répondu le ${formatDateFr(s.row.slip_answered_on)})`
                : s.row.slip_answer === "refusal"
                  ? `Refus : ${s.row.slip_answer_reason} (répondu le ${formatDateFr(s.row.slip_answered_on)})`
                  : "En attente"}
            </td>
            <td>{"status" in s.row ? <StatusBadge status={s.row.status} /> : <span class="muted">suivi par l'organisme d'accueil</span>}</td>
            {props.showDestination ? <td>{s.direction === "sent" ? "Envoyée" : "Reçue"}</td> : null}
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

export function SlipsPage(props: { c: Ctx; page: { items: Slips; next: string | null }; params: SlipListParams; notice?: string; overdue: number; isProvider: boolean; canSend: boolean }) {
  const p = props.params;
  const slips = props.page.items;
  return (
    <Layout c={props.c} title="Fiches navettes" wide>
      <h1>Fiches navettes (suites de parcours)</h1>
      {props.canSend ? (
        <p>
          <a class="button" href="/continuations/nouvelle">
            Transmettre une fiche navette
          </a>
        </p>
      ) : null}
      {props.overdue ? (
        <div class="alert warning">
          <p>
            <strong>CP-CONTINUATION-4W</strong> — {props.overdue} fiche(s) navette(s) sans réponse plus de 28 jours après leur réception (CCTP §2.2).{" "}
            <a href="/continuations?overdue=1">Les voir</a>
          </p>
        </div>
      ) : null}
      <ListControls action="/continuations" label="Rechercher et filtrer les fiches navettes" sorts={SLIP_SORTS} q={p.q} sort={p.sort} searchLabel="Nom, identifiant France Travail, e-mail ou formation" notice={props.notice}>
        {props.isProvider ? (
          <Select name="direction" label="Sens" value={p.direction} emptyLabel="Reçues et envoyées" options={[{ value: "received", label: "Reçues (à traiter)" }, { value: "sent", label: "Envoyées (suivi CO'PASS)" }]} />
        ) : null}
        <Select name="overdue" label="Retard" value={p.overdue} emptyLabel="Toutes" options={[{ value: "1", label: "Sans réponse après 28 jours" }]} />
      </ListControls>
      <SlipTable caption={`Fiches navettes (${slips.length} sur cette page)`} slips={slips} showDestination={props.isProvider} />
      <Pager action="/continuations" params={p} next={props.page.next} shown={slips.length} label="Pages des fiches navettes" />
    </Layout>
  );
}

export function RegionContinuationsPage(props: { c: Ctx; orders: Awaited<ReturnType<typeof regionContinuations>> }) {
  return (
    <Layout c={props.c} title="Suites de parcours par commande" wide>
      <h1>Suites de parcours par commande</h1>
      <p>CP-CONTINUATION-PRIORITY (CCTP §2.2) : candidats en suite de parcours reçus, retenus et refusés, avec les motifs et justifications.</p>
      <Table label="Commandes concernées">
        <caption>{props.orders.length} commande(s) concernée(s)</caption>
        <thead>
          <tr>
            <th scope="col">Commande</th>
            <th scope="col">Organisme</th>
            <th scope="col" class="num">Reçues</th>
            <th scope="col" class="num">Retenues</th>
            <th scope="col" class="num">Refusées</th>
            <th scope="col" class="num">En cours</th>
            <th scope="col" class="num">En retard (28 j)</th>
          </tr>
        </thead>
        <tbody>
          {props.orders.map((o) => (
            <tr>
              <th scope="row">{o.orderNumber}</th>
              <td>{o.providerName}</td>
              <td class="num">{o.received}</td>
              <td class="num">{o.retained}</td>
              <td class="num">{o.refused}</td>
              <td class="num">{o.pending}</td>
              <td class="num">{o.overdue}</td>
            </tr>
          ))}
        </tbody>
      </Table>
      <h2>Refus motivés</h2>
      <ul>
        {props.orders.flatMap((o) =>
          o.refusals.map((s) => (
            <li>
              <strong>{o.orderNumber}</strong> — <a href={`/candidatures/${s.row.id}`}>{`${s.row.first_name} ${s.row.last_name}`}</a> : {s.row.refusal_reason_label}. Justification : {s.row.continuation_justification}
            </li>
          )),
        )}
      </ul>
    </Layout>
  );
}

export function SelectionPage(props: { c: Ctx; data: Awaited<ReturnType<typeof selectionRanking>>; canWrite: boolean }) {
  const s = props.data.session;
  return (
    <Layout c={props.c} title="Classement de sélection" wide>
      <h1>Classement de sélection</h1>
      <p>
        {s.component_title} — session du {formatDateFr(s.start_date)} au {formatDateFr(s.end_date)}, {s.places} place(s).
      </p>
      <p class="hint">Rang : note décroissante ; à note égale, les candidats en suite de parcours d'abord (CP-CONTINUATION-PRIORITY), puis par date de réception.</p>
      <Table label="Candidatures en cours">
        <caption>{props.data.ranked.length} candidature(s) en cours</caption>
        <thead>
          <tr>
            <th scope="col" class="num">Rang</th>
            <th scope="col">Candidat</th>
            <th scope="col">Origine</th>
            <th scope="col">Note (0–100)</th>
            <th scope="col">Statut</th>
            <th scope="col">Alertes</th>
          </tr>
        </thead>
        <tbody>
          {props.data.ranked.map((x) => (
            <tr>
              <td class="num">{x.rank}</td>
              <th scope="row">
                <a href={`/candidatures/${x.row.id}`}>
                  {x.row.last_name.toUpperCase()} {x.row.first_name}
                </a>
              </th>
              <td>{x.row.origin === "continuation" ? <strong>{originLabels[x.row.origin]}</strong> : originLabels[x.row.origin]}</td>
              <td>
                {props.canWrite ? (
                  <form method="post" action={`/candidatures/${x.row.id}/note`} class="actions">
                    <CsrfField c={props.c} />
                    <label for={`score-${x.row.id}`} class="visually-hidden">
                      Note {de(`${x.row.first_name} ${x.row.last_name}`)}
                    </label>
                    <input id={`score-${x.row.id}`} name="assessmentScore" type="number" min="0" max="100" value={x.row.assessment_score ?? ""} size={4} />
                    <button type="submit" class="secondary">
                      Noter
                    </button>
                  </form>
                ) : (
                  (x.row.assessment_score ?? "—")
                )}
              </td>
              <td>
                <StatusBadge status={x.row.status} />
              </td>
              <td>
                <Flags flags={x.flags} />
              </td>
            </tr>
          ))}
        </tbody>
      </Table>
    </Layout>
  );
}
