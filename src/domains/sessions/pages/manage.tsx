import type { Ctx } from "../../../core/http/context.ts";
import type { Page } from "../../../core/listing.ts";
import { ListControls, listHref, Pager } from "../../../core/pages/list-controls.tsx";
import { type MeetingListParams, SESSION_SORTS, type SessionListParams } from "../store.ts";
import { CsrfField, errorFor, Field, Layout, Select, ViolationList } from "../../../core/pages/layout.tsx";
import type { Violation } from "../../../core/rules.ts";
import { formatDateFr } from "../../../core/time.ts";
import { INFO_CONTENT_ITEMS } from "../rules.ts";
import type { MeetingRow, PublishableLine, SessionRow } from "../use-cases.ts";
import { Table } from "../../../core/pages/table.tsx";

export const hhmm = (t: string) => t.slice(0, 5).replace(":", " h ");

export function PublishedBadge(props: { at: Date | string | null }) {
  return props.at ? <span class="badge">Publiée</span> : <span class="badge draft">Brouillon</span>;
}

export function meetingPlaceLabel(m: Pick<MeetingRow, "site_name" | "site_commune" | "place" | "remote_url">): string {
  const parts = [m.site_name ? `${m.site_name} (${m.site_commune})` : null, m.place, m.remote_url ? "à distance (visioconférence)" : null].filter(Boolean);
  return parts.join(" — ");
}

function PublishButton(props: { c: Ctx; action: string; label: string }) {
  return (
    <form method="post" action={props.action} class="inline">
      <CsrfField c={props.c} />
      <button type="submit" class="secondary">
        {props.label}
      </button>
    </form>
  );
}

export function SessionsPage(props: { c: Ctx; page: Page<SessionRow>; params: SessionListParams; listNotice?: string; meetings: Page<MeetingRow>; meetingParams: MeetingListParams; meetingNotice?: string; warnings: Violation[]; canWrite: boolean; isRegion: boolean; notice?: string }) {
  const { c, canWrite } = props;
  // The sessions' criteria ride along the meetings' links (and the other way round), so neither list loses its place.
  const sessionCriteria = { ...props.params };
  const meetingIc = props.meetingParams.ic === "upcoming" ? undefined : props.meetingParams.ic;
  return (
    <Layout c={c} title="Sessions et informations collectives" wide>
      <h1>Sessions et informations collectives</h1>
      {props.notice ? (
        <p class="alert success" role="status">
          {props.notice}
        </p>
      ) : null}
      <p>
        {props.isRegion
          ? "Sessions et informations collectives publiées par les organismes pour leurs commandes (lecture seule)."
          : "Publiez, dès réception de la commande, les sessions de chaque composante et les informations collectives : elles paraissent dans le catalogue public et le flux LHEO (CP-INFO-SESSIONS)."}
      </p>
      <div class="actions">
        {canWrite ? (
          <>
            <a class="button" href="/sessions/nouvelle">
              Nouvelle session
            </a>
            <a class="button" href="/informations-collectives/nouvelle">
              Nouvelle information collective
            </a>
          </>
        ) : null}
        <a class="button secondary" href="/sessions/offre-lheo.xml" download="offre-lheo.xml">
          Télécharger l'offre publiée (LHEO 2.3)
        </a>
        <a class="button secondary" href="/catalogue">
          Voir le catalogue public
        </a>
      </div>
      <section aria-labelledby="regular-title">
        <h2 id="regular-title">Régularité des informations collectives</h2>
        {props.warnings.length === 0 ? <p class="ok">Chaque commande ouverte aux entrées a une information collective publiée à venir (CP-INFO-REGULAR).</p> : <ViolationList violations={props.warnings} />}
      </section>
      <h2 id="sessions-title">Sessions</h2>
      <ListControls action="/sessions" label="Rechercher et filtrer les sessions" sorts={SESSION_SORTS} q={props.params.q} sort={props.params.sort} searchLabel="Composante, commande, site ou organisme" notice={props.listNotice} hidden={{ orderId: props.params.orderId, ic: props.meetingParams.ic === "upcoming" ? undefined : props.meetingParams.ic }}>
        <Select name="published" label="État" value={props.params.published} emptyLabel="Toutes" options={[{ value: "yes", label: "Publiées" }, { value: "no", label: "Brouillons" }]} />
        <Select name="recruitmentOpen" label="Recrutement" value={props.params.recruitmentOpen} emptyLabel="Ouvert ou fermé" options={[{ value: "yes", label: "Ouvert" }, { value: "no", label: "Fermé" }]} />
      </ListControls>
      <Table label="Sessions">
        <caption>Sessions ({props.page.items.length} sur cette page)</caption>
        <thead>
          <tr>
            <th scope="col">Composante</th>
            {props.isRegion ? <th scope="col">Organisme</th> : null}
            <th scope="col">Commande</th>
            <th scope="col">Dates</th>
            <th scope="col">Site</th>
            <th scope="col" class="num">Places</th>
            <th scope="col">Recrutement</th>
            <th scope="col">État</th>
            {canWrite ? <th scope="col">Actions</th> : null}
          </tr>
        </thead>
        <tbody>
          {props.page.items.length === 0 ? (
            <tr>
              <td colspan={9}>Aucune session ne correspond.</td>
            </tr>
          ) : null}
          {props.page.items.map((s) => (
            <tr>
              <th scope="row">{s.component_title}</th>
              {props.isRegion ? <td>{s.provider_name}</td> : null}
              <td>{s.order_number}</td>
              <td>
                du {formatDateFr(s.start_date)} au {formatDateFr(s.end_date)}
              </td>
              <td>{s.site_name ? `${s.site_name} (${s.site_commune})` : "À distance (e-formation)"}</td>
              <td class="num">{s.places}</td>
              <td>
                {s.recruitment_open ? "Ouvert" : "Fermé"}
                {s.recruitment_start || s.recruitment_end ? (
                  <span class="muted">
                    {" "}
                    ({formatDateFr(s.recruitment_start)} → {formatDateFr(s.recruitment_end)})
                  </span>
                ) : null}
              </td>
              <td>
                <PublishedBadge at={s.published_at} />
              </td>
              {canWrite ? (
                <td class="actions">
                  <a href={`/sessions/${s.id}/modifier`}>
                    Modifier<span class="visually-hidden"> la session du {formatDateFr(s.start_date)}</span>
                  </a>
                  {s.published_at ? null : <PublishButton c={c} action={`/sessions/${s.id}/publier`} label="Publier" />}
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </Table>
      <Pager action="/sessions" params={{ ...props.params, ic: props.meetingParams.ic === "upcoming" ? undefined : props.meetingParams.ic }} next={props.page.next} shown={props.page.items.length} label="Pages des sessions" />
      <h2 id="meetings-title">Informations collectives</h2>
      {props.meetingNotice ? (
        <p class="alert" role="status">
          {props.meetingNotice}
        </p>
      ) : null}
      <nav aria-label="Période des informations collectives">
        <p class="actions">
          {(["upcoming", "past"] as const).map((ic) => (
            <a href={listHref("/sessions", { ...sessionCriteria, ic: ic === "upcoming" ? undefined : ic }, "#meetings-title")} aria-current={props.meetingParams.ic === ic ? "page" : undefined} class={props.meetingParams.ic === ic ? "button" : "button secondary"}>
              {ic === "upcoming" ? "À venir" : "Passées"}
            </a>
          ))}
        </p>
      </nav>
      <Table label="Informations collectives">
        <caption>
          Informations collectives {props.meetingParams.ic === "upcoming" ? "à venir" : "passées"} ({props.meetings.items.length} sur cette page)
        </caption>
        <thead>
          <tr>
            <th scope="col">Date</th>
            <th scope="col">Horaires</th>
            <th scope="col">Composante</th>
            {props.isRegion ? <th scope="col">Organisme</th> : null}
            <th scope="col">Lieu</th>
            <th scope="col">État</th>
            {canWrite ? <th scope="col">Actions</th> : null}
          </tr>
        </thead>
        <tbody>
          {props.meetings.items.length === 0 ? (
            <tr>
              <td colspan={7}>Aucune information collective {props.meetingParams.ic === "upcoming" ? "à venir" : "passée"}.</td>
            </tr>
          ) : null}
          {props.meetings.items.map((m) => (
            <tr>
              <th scope="row">{formatDateFr(m.meeting_date)}</th>
              <td>
                {hhmm(m.start_time)} – {hhmm(m.end_time)}
              </td>
              <td>
                {m.component_title} <span class="muted">({m.order_number})</span>
              </td>
              {props.isRegion ? <td>{m.provider_name}</td> : null}
              <td>{meetingPlaceLabel(m)}</td>
              <td>
                <PublishedBadge at={m.published_at} />
              </td>
              {canWrite ? (
                <td class="actions">
                  <a href={`/informations-collectives/${m.id}/modifier`}>
                    Modifier<span class="visually-hidden"> l'information collective du {formatDateFr(m.meeting_date)}</span>
                  </a>
                  {m.published_at ? null : <PublishButton c={c} action={`/informations-collectives/${m.id}/publier`} label="Publier" />}
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </Table>
      {props.meetings.next || props.meetingParams.icAfter ? (
        <nav aria-label="Pages des informations collectives" class="pager">
          <p class="actions">
            {props.meetingParams.icAfter ? <a href={listHref("/sessions", { ...sessionCriteria, ic: meetingIc }, "#meetings-title")}>Premières informations collectives</a> : null}
            {props.meetings.next ? (
              <a class="button secondary" rel="next" href={listHref("/sessions", { ...sessionCriteria, ic: meetingIc, icAfter: props.meetings.next }, "#meetings-title")}>
                Informations collectives suivantes
              </a>
            ) : null}
          </p>
        </nav>
      ) : null}
    </Layout>
  );
}

/** "lineId|siteId" options: each ordered component at each of its sites (and "à distance" for e-formation). */
function lineSiteOptions(lines: PublishableLine[], withoutSite: (l: PublishableLine) => string | undefined) {
  return lines.flatMap((l) => {
    const head = `${l.order_number} — ${l.component_title}`;
    const opts = l.sites.map((s) => ({ value: `${l.id}|${s.id}`, label: `${head} — ${s.name} (${s.commune})` }));
    const none = withoutSite(l);
    return none ? [...opts, { value: `${l.id}|`, label: `${head} — ${none}` }] : opts;
  });
}

export function SessionFormPage(props: { c: Ctx; lines: PublishableLine[]; body: Record<string, string>; violations?: Violation[]; editing?: SessionRow }) {
  const { c, body } = props;
  const v = props.violations ?? [];
  const lines = props.editing ? props.lines.filter((l) => l.id === props.editing!.order_line_id) : props.lines;
  const action = props.editing ? `/sessions/${props.editing.id}/modifier` : "/sessions/nouvelle";
  return (
    <Layout c={c} title={props.editing ? "Modifier la session" : "Nouvelle session"}>
      <h1>{props.editing ? "Modifier la session" : "Nouvelle session"}</h1>
      {props.editing ? (
        <p>
          <a href={`/sessions/${props.editing.id}/departements`}>Stagiaires par département de résidence</a>
        </p>
      ) : null}
      {v.length ? <ViolationList violations={v} title="La session n'a pas été enregistrée" /> : null}
      {lines.length === 0 ? (
        <p class="alert warning">Aucune commande en cours : une session se publie pour une composante d'une commande reçue.</p>
      ) : (
        <form method="post" action={action}>
          <CsrfField c={c} />
          <Select
            name="lineSite"
            label="Composante commandée et site"
            required
            options={lineSiteOptions(lines, (l) => (l.e_formation ? "à distance, sans site (e-formation)" : undefined))}
            value={body.lineSite}
            error={errorFor(v, "orderLineId") ?? errorFor(v, "siteId")}
          />
          <div class="grid">
            <Field name="startDate" label="Début de la session" type="date" required value={body.startDate} error={errorFor(v, "startDate")} />
            <Field name="endDate" label="Fin de la session" type="date" required value={body.endDate} error={errorFor(v, "endDate")} hint="Dans la période de la commande." />
            <Field name="places" label="Nombre de places" type="number" required value={body.places} error={errorFor(v, "places")} attrs={{ min: 1, max: 1000 }} />
          </div>
          <fieldset>
            <legend>Recrutement</legend>
            <div class="field">
              <label>
                <input type="checkbox" name="recruitmentOpen" value="1" checked={body.recruitmentOpen === "1"} /> Recrutement ouvert
              </label>
            </div>
            <div class="grid">
              <Field name="recruitmentStart" label="Début de la période de recrutement" type="date" value={body.recruitmentStart} error={errorFor(v, "recruitmentStart")} />
              <Field name="recruitmentEnd" label="Fin de la période de recrutement" type="date" value={body.recruitmentEnd} error={errorFor(v, "recruitmentEnd")} />
            </div>
          </fieldset>
          <div class="actions">
            <button type="submit">Enregistrer</button>
            {props.editing?.published_at ? null : (
              <button type="submit" name="publish" value="1" class="secondary">
                Enregistrer et publier
              </button>
            )}
            <a href="/sessions">Annuler</a>
          </div>
        </form>
      )}
      {props.editing && !props.editing.published_at ? (
        <form method="post" action={`/sessions/${props.editing.id}/supprimer`}>
          <CsrfField c={c} />
          <button type="submit" class="link">
            Supprimer ce brouillon de session
          </button>
        </form>
      ) : null}
    </Layout>
  );
}

export function MeetingFormPage(props: { c: Ctx; lines: PublishableLine[]; body: Record<string, string>; violations?: Violation[]; editing?: MeetingRow }) {
  const { c, body } = props;
  const v = props.violations ?? [];
  const lines = props.editing ? props.lines.filter((l) => l.id === props.editing!.order_line_id) : props.lines;
  const action = props.editing ? `/informations-collectives/${props.editing.id}/modifier` : "/informations-collectives/nouvelle";
  const title = props.editing ? "Modifier l'information collective" : "Nouvelle information collective";
  return (
    <Layout c={c} title={title}>
      <h1>{title}</h1>
      {v.length ? <ViolationList violations={v.filter((x) => x.code !== "CP-INFO-CONTENT-ITEM")} title="L'information collective n'a pas été enregistrée" /> : null}
      {lines.length === 0 ? (
        <p class="alert warning">Aucune commande en cours.</p>
      ) : (
        <form method="post" action={action}>
          <CsrfField c={c} />
          <Select
            name="lineSite"
            label="Composante commandée et lieu"
            required
            options={lineSiteOptions(lines, () => "autre lieu ou à distance")}
            value={body.lineSite}
            error={errorFor(v, "orderLineId") ?? errorFor(v, "siteId")}
          />
          <div class="grid">
            <Field name="meetingDate" label="Date" type="date" required value={body.meetingDate} error={errorFor(v, "meetingDate")} />
            <Field name="startTime" label="Heure de début" type="time" required value={body.startTime} error={errorFor(v, "startTime")} />
            <Field name="endTime" label="Heure de fin" type="time" required value={body.endTime} error={errorFor(v, "endTime")} />
          </div>
          <Field name="place" label="Autre lieu (adresse)" value={body.place} error={errorFor(v, "place")} hint="Si l'information collective ne se tient pas sur un site de la commande." />
          <Field name="remoteUrl" label="Lien de visioconférence" type="url" value={body.remoteUrl} error={errorFor(v, "remoteUrl")} hint="Pour une information collective à distance (https://…)." />
          <fieldset>
            <legend>Contenu présenté (tous les points sont exigés pour publier — CP-INFO-CONTENT, CCTP §2.3)</legend>
            {INFO_CONTENT_ITEMS.map((i) => {
              const error = errorFor(v, `content.${i.key}`);
              return (
                <div class={error ? "field has-error" : "field"}>
                  <label for={`f-content-${i.key}`}>{i.label}</label>
                  <textarea id={`f-content-${i.key}`} name={`content.${i.key}`} rows={2} aria-invalid={error ? "true" : undefined} aria-describedby={error ? `f-content-${i.key}-err` : undefined}>
                    {body[`content.${i.key}`] ?? ""}
                  </textarea>
                  {error ? (
                    <p class="field-error" id={`f-content-${i.key}-err`}>
                      {error}
                    </p>
                  ) : null}
                </div>
              );
            })}
          </fieldset>
          <div class="actions">
            <button type="submit">Enregistrer</button>
            {props.editing?.published_at ? null : (
              <button type="submit" name="publish" value="1" class="secondary">
                Enregistrer et publier
              </button>
            )}
            <a href="/sessions">Annuler</a>
          </div>
        </form>
      )}
      {props.editing && !props.editing.published_at ? (
        <form method="post" action={`/informations-collectives/${props.editing.id}/supprimer`}>
          <CsrfField c={c} />
          <button type="submit" class="link">
            Supprimer ce brouillon d'information collective
          </button>
        </form>
      ) : null}
    </Layout>
  );
}
