// Public catalogue (no login): what a job seeker or a counsellor browses.
import type { Ctx } from "../../../core/http/context.ts";
import { Layout } from "../../../core/pages/layout.tsx";
import { formatDateFr } from "../../../core/time.ts";
import { isHttpUrl } from "../../../core/inputs.ts";
import type { catalogue, publicSession, SessionRow } from "../use-cases.ts";
import { hhmm, meetingPlaceLabel } from "./manage.tsx";

export const categoryLabels: Record<string, string> = {
  transverse: "Compétences transverses",
  regulatory: "Formations réglementaires",
  specific_preparation: "Préparations spécifiques (concours, sélections)",
};

/** Open to direct application (CP-PRESCRIPTION-MODES): an e-formation session whose recruitment is open; the others go through a prescriber. */
const openToDirect = (s: { e_formation: boolean; recruitment_open: boolean }) => s.e_formation && s.recruitment_open;

const levelLabel = (level: number | null) => (level ? `niveau ${level} (cadre national 2019)` : null);

function SessionPlace(props: { s: SessionRow }) {
  return <>{props.s.site_name ? `${props.s.site_commune} (${props.s.site_departement}) — ${props.s.site_name}` : "À distance — Occitanie e-formation"}</>;
}

export function CataloguePage(props: { c: Ctx; data: Awaited<ReturnType<typeof catalogue>>; departements: { code: string; name: string }[] }) {
  const { filter, sessions, meetings } = props.data;
  return (
    <Layout c={props.c} title="Catalogue des formations">
      <h1>Formations Compétences Plus à venir</h1>
      <p>
        Formations gratuites financées par la Région Occitanie pour les demandeurs d'emploi. Pour vous inscrire, adressez-vous à votre conseiller (France Travail, Mission locale,
        Cap emploi…) ou venez à une information collective.
      </p>
      <form method="get" action="/catalogue" class="filters" aria-labelledby="filter-title">
        <h2 id="filter-title">Filtrer</h2>
        <div class="grid">
          <div class="field">
            <label for="f-departement">Département</label>
            <select id="f-departement" name="departement">
              <option value="">Tous les départements</option>
              {props.departements.map((d) => (
                <option value={d.code} selected={filter.departement === d.code}>
                  {d.code} — {d.name}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="f-category">Type de formation</label>
            <select id="f-category" name="category">
              <option value="">Tous les types</option>
              {Object.entries(categoryLabels).map(([k, label]) => (
                <option value={k} selected={filter.category === k}>
                  {label}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="f-from">À partir du</label>
            <input id="f-from" type="date" name="from" value={filter.from} />
          </div>
        </div>
        <button type="submit">Afficher</button>
      </form>
      <section aria-labelledby="sessions-title">
        <h2 id="sessions-title">Sessions ({sessions.length})</h2>
        {sessions.length === 0 ? <p>Aucune session ne correspond à ces critères.</p> : null}
        <ul class="cards">
          {sessions.map((s) => (
            <li class="card">
              <h3>
                <a href={`/catalogue/sessions/${s.id}`}>{s.component_title}</a>
              </h3>
              <p>
                Du {formatDateFr(s.start_date)} au {formatDateFr(s.end_date)} — <SessionPlace s={s} />
              </p>
              <p class="muted">
                {categoryLabels[s.category]} · {s.provider_name} · {s.recruitment_open ? "inscriptions ouvertes" : "inscriptions fermées"}
              </p>
              {openToDirect(s) ? (
                <p>
                  <a href={`/candidater/${s.id}`}>
                    Candidater en ligne<span class="visually-hidden"> : {s.component_title}, du {formatDateFr(s.start_date)}</span>
                  </a>
                </p>
              ) : null}
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="meetings-title">
        <h2 id="meetings-title">Informations collectives ({meetings.length})</h2>
        {meetings.length === 0 ? <p>Aucune information collective ne correspond à ces critères.</p> : null}
        <ul class="cards">
          {meetings.map((m) => (
            <li class="card">
              <h3>{m.component_title}</h3>
              <p>
                Le {formatDateFr(m.meeting_date)}, de {hhmm(m.start_time)} à {hhmm(m.end_time)} — {meetingPlaceLabel(m)}
              </p>
              {isHttpUrl(m.remote_url) ? (
                <p>
                  <a href={m.remote_url} rel="noopener noreferrer">
                    Lien de la visioconférence<span class="visually-hidden"> ({m.component_title}, {formatDateFr(m.meeting_date)})</span>
                  </a>
                </p>
              ) : null}
              <p class="muted">{m.provider_name}</p>
            </li>
          ))}
        </ul>
      </section>
      <p>
        <a href="/api/lheo/offre.xml">Offre au format LHEO 2.3 (flux pour les catalogues régionaux)</a>
      </p>
    </Layout>
  );
}

export function PublicSessionPage(props: { c: Ctx; data: Awaited<ReturnType<typeof publicSession>> }) {
  const { session: s, meetings, provider } = props.data;
  return (
    <Layout c={props.c} title={s.component_title}>
      <p>
        <a href="/catalogue">← Retour au catalogue</a>
      </p>
      <h1>{s.component_title}</h1>
      <dl>
        <dt>Dates</dt>
        <dd>
          Du {formatDateFr(s.start_date)} au {formatDateFr(s.end_date)}
        </dd>
        <dt>Lieu</dt>
        <dd>{s.site_name ? `${s.site_name}, ${s.site_address}, ${s.site_postcode} ${s.site_commune}${s.site_accessible ? " (accessible aux personnes à mobilité réduite)" : ""}` : "À distance — Occitanie e-formation"}</dd>
        <dt>Places</dt>
        <dd>{s.places}</dd>
        <dt>Inscriptions</dt>
        <dd>
          {s.recruitment_open ? "Ouvertes" : "Fermées"}
          {s.recruitment_start || s.recruitment_end ? ` (période de recrutement : ${formatDateFr(s.recruitment_start)} → ${formatDateFr(s.recruitment_end)})` : null}
        </dd>
        <dt>Type</dt>
        <dd>
          {categoryLabels[s.category]}
          {levelLabel(s.level_2019) ? ` — ${levelLabel(s.level_2019)}` : null}
        </dd>
        <dt>Organisme</dt>
        <dd>{s.provider_name}</dd>
        <dt>Coût pour le stagiaire</dt>
        <dd>Aucun : formation financée par la Région Occitanie.</dd>
      </dl>
      <h2>Objectif</h2>
      <p>{s.purpose || "Non renseigné."}</p>
      <h2>Contenu</h2>
      <p>{s.content || "Non renseigné."}</p>
      <h2>Prérequis</h2>
      <p>{s.prerequisites || "Aucun prérequis."}</p>
      <h2>Certification visée</h2>
      <p>{s.certification_code ? `${s.certification_code}` : "Pas de certification : une attestation de compétences est remise en fin de parcours."}</p>
      <h2>Informations collectives à venir</h2>
      {meetings.length === 0 ? (
        <p>Aucune information collective n'est programmée pour le moment : contactez l'organisme ou votre conseiller.</p>
      ) : (
        <ul>
          {meetings.map((m) => (
            <li>
              Le {formatDateFr(m.meeting_date)}, de {hhmm(m.start_time)} à {hhmm(m.end_time)} — {meetingPlaceLabel(m)}
              {isHttpUrl(m.remote_url) ? (
                <>
                  {" "}
                  (<a href={m.remote_url} rel="noopener noreferrer">lien de la visioconférence</a>)
                </>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      <h2>Comment s'inscrire</h2>
      <p>
        Adressez-vous à votre conseiller France Travail, Mission locale ou Cap emploi, qui vous prescrira cette formation.
        {s.e_formation ? " Pour les formations Occitanie e-formation, l'inscription directe en ligne est aussi possible." : ""}
      </p>
      {openToDirect(s) ? (
        <p>
          <a class="button" href={`/candidater/${s.id}`}>
            Candidater en ligne<span class="visually-hidden"> : {s.component_title}</span>
          </a>
        </p>
      ) : null}
      {provider?.contact ? (
        <p>
          Contact à l'organisme : {provider.contact.full_name}
          {provider.contact.email ? (
            <>
              {" "}
              — <a href={`mailto:${provider.contact.email}`}>{provider.contact.email}</a>
            </>
          ) : null}
          {provider.contact.phone ? ` — ${provider.contact.phone}` : null}
        </p>
      ) : null}
    </Layout>
  );
}
