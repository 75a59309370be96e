// Staff pages: the company network (/entreprises), a path's periods (/parcours/:id/stages) and a
// period with its agreement, signatures, visits and reviews (/periodes/:id).
import { dateTimeSecondsFr, de } from "../../core/french.ts";
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv, Ctx } from "../../core/http/context.ts";
import { actorOf, depsOf } from "../../core/http/context.ts";
import { publicUrl } from "../../core/http/client.ts";
import { attempt, type FormBody, formBody, str } from "../../core/pages/forms.ts";
import { CsrfField, errorFor, Field, Layout, Select, ViolationList } from "../../core/pages/layout.tsx";
import { formatMinutes, parseDuration, type Violation } from "../../core/rules.ts";
import { formatDateFr } from "../../core/time.ts";
import { agreementPdf } from "./pdf.ts";
import { ShareForm } from "./trainee-pages.tsx";
import { partyLabels, periodStatusLabels, PLACES, placeLabels, REVIEW_PARTIES, reviewPartyLabels } from "./rules.ts";
import * as uc from "./use-cases.ts";
import { Table } from "../../core/pages/table.tsx";

const pdfResponse = (c: Ctx, pdf: Buffer, filename: string) =>
  c.body(new Uint8Array(pdf), 200, { "content-type": "application/pdf", "content-disposition": `attachment; filename="${filename}"`, "cache-control": "private, no-store" });
const now = (c: Ctx) => depsOf(c).clock.now();
const minutesOf = (s: string) => parseDuration(s) ?? (s.trim() === "" ? "" : -1);

function companyForm(b: FormBody) {
  return {
    siret: str(b, "siret"),
    name: str(b, "name"),
    address: str(b, "address"),
    postcode: str(b, "postcode"),
    commune: str(b, "commune"),
    communeInsee: str(b, "communeInsee"),
    latitude: str(b, "latitude"),
    longitude: str(b, "longitude"),
    sector: str(b, "sector"),
    romeCodes: str(b, "romeCodes").split(/[\s,;]+/).filter(Boolean),
    foundByTrainee: str(b, "foundByTrainee") === "1",
  };
}

async function networkPage(c: Ctx, violations: Violation[] = [], values: Record<string, string> = {}, status = 200) {
  const actor = actorOf(c);
  const q = c.req.query();
  const companies = await uc.searchCompanies(depsOf(c).db, actor, { rome: q.rome || undefined, sector: q.secteur || undefined, nearCompanyId: q.pres || "", commune: q.commune || undefined, km: q.km || undefined });
  const all = q.pres ? await uc.searchCompanies(depsOf(c).db, actor, {}) : companies;
  return c.html(
    <Layout c={c} title="Réseau d'entreprises">
      <h1>Réseau d'entreprises partenaires (CP-COMPANY-NETWORK)</h1>
      <form method="get" action="/entreprises" class="filters" aria-label="Rechercher dans le réseau">
        <Field name="rome" label="Métier (code ROME)" value={q.rome ?? ""} />
        <Field name="secteur" label="Secteur" value={q.secteur ?? ""} />
        <Field name="commune" label="Commune (code INSEE ou nom)" value={q.commune ?? ""} hint="Distance depuis les entreprises connues de cette commune ; à défaut, même département." />
        <Select name="pres" label="À proximité de" options={all.map((x) => ({ value: x.id, label: `${x.name} (${x.commune})` }))} value={q.pres ?? ""} emptyLabel="—" />
        <Field name="km" label="Distance maximale (km)" type="number" value={q.km ?? ""} />
        <button type="submit">Rechercher</button>
      </form>
      <Table label="Entreprises partenaires">
        <caption>{companies.length} entreprise(s)</caption>
        <thead>
          <tr>
            <th scope="col">Entreprise</th>
            <th scope="col">Commune</th>
            <th scope="col">Secteur</th>
            <th scope="col">Métiers (ROME)</th>
            <th scope="col" class="num">Distance</th>
          </tr>
        </thead>
        <tbody>
          {companies.map((x) => (
            <tr>
              <td>
                <a href={`/entreprises/${x.id}`}>{x.name}</a>
              </td>
              <td>{x.commune}</td>
              <td>{x.sector}</td>
              <td>{x.rome_codes.join(", ")}</td>
              <td class="num">{x.km === null ? "—" : `${x.km} km`}</td>
            </tr>
          ))}
        </tbody>
      </Table>
      {q.partage === "1" ? (
        <p class="alert success" role="status">
          Liste partagée : le ou la stagiaire la voit dans « Mes stages ».
        </p>
      ) : null}
      {await ShareForm({ c, companyIds: companies.map((x) => x.id) })}
      <section aria-labelledby="add-company">
        <h2 id="add-company">Ajouter une entreprise</h2>
        <form method="post" action="/entreprises">
          <CsrfField c={c} />
          <ViolationList violations={violations} />
          <div class="grid">
            <Field name="siret" label="SIRET" value={values.siret} required error={errorFor(violations, "siret")} />
            <Field name="name" label="Raison sociale" value={values.name} required error={errorFor(violations, "name")} />
            <Field name="address" label="Adresse" value={values.address} />
            <Field name="postcode" label="Code postal" value={values.postcode} error={errorFor(violations, "postcode")} />
            <Field name="commune" label="Commune" value={values.commune} />
            <Field name="communeInsee" label="Code commune INSEE" value={values.communeInsee} error={errorFor(violations, "communeInsee")} />
            <Field name="latitude" label="Latitude (pour la distance)" value={values.latitude} />
            <Field name="longitude" label="Longitude (pour la distance)" value={values.longitude} />
            <Field name="sector" label="Secteur d'activité" value={values.sector} />
            <Field name="romeCodes" label="Métiers accueillis (codes ROME, séparés par des virgules)" value={values.romeCodes} error={errorFor(violations, "romeCodes.0")} />
            <Select name="foundByTrainee" label="Trouvée par" options={[{ value: "0", label: "L'organisme" }, { value: "1", label: "Le ou la stagiaire" }]} value={values.foundByTrainee ?? "0"} />
          </div>
          <button type="submit">Ajouter l'entreprise</button>
        </form>
      </section>
    </Layout>,
    status as 200,
  );
}

async function companyPage(c: Ctx, violations: Violation[] = [], status = 200) {
  const x = await uc.getCompany(depsOf(c).db, actorOf(c), c.req.param("id") ?? "");
  return c.html(
    <Layout c={c} title={x.name}>
      <h1>{x.name}</h1>
      <p>
        SIRET {x.siret} — {[x.address, x.postcode, x.commune].filter(Boolean).join(" ")} {x.commune_insee ? `(INSEE ${x.commune_insee})` : ""} — {x.sector} — {x.rome_codes.join(", ")}
      </p>
      <h2>Tuteurs et tutrices</h2>
      <ul>
        {x.tutors.map((tu) => (
          <li>
            {tu.full_name}
            {tu.job_title ? `, ${tu.job_title}` : ""} — {tu.email ?? "sans courriel"} — {tu.phone ?? "sans téléphone"}
          </li>
        ))}
      </ul>
      <form method="post" action={`/entreprises/${x.id}/tuteurs`}>
        <CsrfField c={c} />
        <ViolationList violations={violations} />
        <div class="grid">
          <Field name="fullName" label="Nom du tuteur ou de la tutrice" required error={errorFor(violations, "fullName")} />
          <Field name="jobTitle" label="Fonction" />
          <Field name="email" label="Courriel" type="email" error={errorFor(violations, "email")} />
          <Field name="phone" label="Téléphone" type="tel" />
        </div>
        <button type="submit">Ajouter le tuteur</button>
      </form>
      <h2>Accueils passés</h2>
      <ul>
        {x.placements.map((p) => (
          <li>
            <a href={`/periodes/${p.id}`}>
              du {formatDateFr(p.start_date)} au {formatDateFr(p.end_date)}
            </a>{" "}
            — {p.tutor} — {periodStatusLabels[p.status]}
          </li>
        ))}
      </ul>
    </Layout>,
    status as 200,
  );
}

function periodForm(b: FormBody) {
  return {
    companyId: str(b, "companyId"),
    tutorId: str(b, "tutorId"),
    followUpTrainerId: str(b, "followUpTrainerId"),
    place: str(b, "place"),
    country: str(b, "country"),
    workAddress: str(b, "workAddress"),
    startDate: str(b, "startDate"),
    endDate: str(b, "endDate"),
    plannedMinutes: minutesOf(str(b, "plannedHours")),
    weeklyMinutes: minutesOf(str(b, "weeklyHours")),
    timetable: str(b, "timetable"),
    precontactOn: str(b, "precontactOn"),
    precontactNotes: str(b, "precontactNotes"),
    nature: str(b, "nature"),
    objectives: str(b, "objectives"),
    pedagogicalObjectives: str(b, "pedagogicalObjectives"),
    positionHeld: str(b, "positionHeld"),
    followUpModalities: str(b, "followUpModalities"),
    outsideOpening: str(b, "outsideOpening") === "1",
    centreContact: str(b, "centreContact"),
  };
}

type PeriodValues = Record<string, string>;

async function PeriodFields(props: { c: Ctx; providerId: string; values: PeriodValues; violations: Violation[] }) {
  const { c, values: v, violations } = props;
  const db = depsOf(c).db;
  const companies = await uc.searchCompanies(db, actorOf(c), {});
  const tutors = companies.length ? await db.selectFrom("company_tutor").select(["id", "full_name", "company_id"]).where("provider_id", "=", props.providerId).orderBy("full_name").execute() : [];
  const staff = await uc.staffOf(db, props.providerId);
  const e = (f: string) => errorFor(violations, f);
  return (
    <div class="grid">
      <Select name="companyId" label="Entreprise d'accueil" required options={companies.map((x) => ({ value: x.id, label: x.name }))} value={v.companyId} emptyLabel="—" error={e("companyId")} />
      <Select name="tutorId" label="Tuteur ou tutrice" required options={tutors.map((t) => ({ value: t.id, label: `${t.full_name} (${companies.find((x) => x.id === t.company_id)?.name ?? ""})` }))} value={v.tutorId} emptyLabel="—" error={e("tutorId")} />
      <Select name="followUpTrainerId" label="Formateur·rice de suivi" options={staff.map((s) => ({ value: s.id, label: s.full_name }))} value={v.followUpTrainerId} emptyLabel="—" error={e("followUpTrainerId")} />
      <Select name="place" label="Lieu" required options={PLACES.map((p) => ({ value: p, label: placeLabels[p] }))} value={v.place ?? "region"} />
      <Field name="country" label="Pays (à l'étranger)" value={v.country} error={e("country")} />
      <Field name="workAddress" label="Adresse du lieu de travail" value={v.workAddress} />
      <Field name="startDate" label="Début" type="date" required value={v.startDate} error={e("startDate")} />
      <Field name="endDate" label="Fin" type="date" required value={v.endDate} error={e("endDate")} />
      <Field name="plannedHours" label="Heures prévues (ex. 35 h)" required value={v.plannedHours} error={e("plannedMinutes")} />
      <Field name="weeklyHours" label="Heures par semaine au plus (35 h maximum)" required value={v.weeklyHours} error={e("weeklyMinutes")} />
      <Field name="timetable" label="Planning (jours et horaires)" value={v.timetable} error={e("timetable")} />
      <Field name="precontactOn" label="Contact préalable avec le tuteur (date)" type="date" value={v.precontactOn} hint="Sans contact préalable, la période porte un avertissement (CP-TUTOR-PRECONTACT)." />
      <Field name="precontactNotes" label="Contact préalable : notes" value={v.precontactNotes} />
      <Field name="nature" label="Nature de la période" value={v.nature} error={e("nature")} />
      <Field name="objectives" label="Objectifs" value={v.objectives} error={e("objectives")} />
      <Field name="pedagogicalObjectives" label="Objectifs pédagogiques" value={v.pedagogicalObjectives} error={e("pedagogicalObjectives")} />
      <Field name="positionHeld" label="Poste occupé" value={v.positionHeld} error={e("positionHeld")} />
      <Field name="followUpModalities" label="Modalités de suivi (nombre, fréquence, nature)" value={v.followUpModalities} error={e("followUpModalities")} />
      <Select name="outsideOpening" label="Heures hors ouverture du centre (CP-COMPANY-OUTSIDE-OPENING)" options={[{ value: "0", label: "Non prévues" }, { value: "1", label: "Prévues par la convention" }]} value={v.outsideOpening ?? "0"} />
      <Field name="centreContact" label="Contact du centre joignable alors" value={v.centreContact} />
    </div>
  );
}

async function pathPeriodsPage(c: Ctx, violations: Violation[] = [], values: PeriodValues = {}, status = 200) {
  const { path, periods } = await uc.periodsOfPath(depsOf(c).db, actorOf(c), c.req.param("id") ?? "");
  return c.html(
    <Layout c={c} title={`Périodes en entreprise — ${path.name}`}>
      <h1>Périodes en entreprise {de(path.name)}</h1>
      <p>
        Heures en entreprise prévues au parcours : {formatMinutes(path.plannedCompany)} (70 h au plus sur toutes les périodes, CP-COMPANY-MAX-70H). <a href={`/parcours/${path.id}`}>Retour au parcours</a>
      </p>
      <Table label="Périodes">
        <caption>Périodes</caption>
        <thead>
          <tr>
            <th scope="col">Entreprise</th>
            <th scope="col">Dates</th>
            <th scope="col" class="num">Heures</th>
            <th scope="col">État</th>
            <th scope="col">Convention</th>
          </tr>
        </thead>
        <tbody>
          {periods.map((p) => (
            <tr>
              <td>
                <a href={`/periodes/${p.id}`}>{p.company}</a>
              </td>
              <td>
                {formatDateFr(p.start_date)} – {formatDateFr(p.end_date)}
              </td>
              <td class="num">{formatMinutes(p.planned_minutes)}</td>
              <td>{periodStatusLabels[p.status]}</td>
              <td>{p.missing.length === 0 ? "Signée (3/3)" : p.agreement_sent_at ? `En signature (${3 - p.missing.length}/3)` : "Brouillon"}</td>
            </tr>
          ))}
        </tbody>
      </Table>
      {actorOf(c).role === "trainee" ? null : (
        <section aria-labelledby="welcome">
          <h2 id="welcome">Livret d'accueil (CP-WELCOME)</h2>
          <p>
            <a href={`/parcours/${path.id}/livret.pdf`}>Télécharger le livret d'accueil (PDF)</a>
          </p>
          <ul>
            {(await uc.deliveriesOf(depsOf(c).db, path.id)).map((d) => (
              <li>
                Remis le {formatDateFr(d.delivered_on)} ({d.how}) — empreinte {d.booklet_sha256.slice(0, 16)}…
              </li>
            ))}
          </ul>
          <form method="post" action={`/parcours/${path.id}/livret/remise`}>
            <CsrfField c={c} />
            <Field name="deliveredOn" label="Date de remise" type="date" />
            <Field name="how" label="Mode de remise" value="Remis en main propre" />
            <button type="submit">Noter la remise du livret</button>
          </form>
        </section>
      )}
      {actorOf(c).role === "trainee" ? null : (
        <section aria-labelledby="new-period">
          <h2 id="new-period">Nouvelle période</h2>
          <form method="post" action={`/parcours/${path.id}/stages`}>
            <CsrfField c={c} />
            <ViolationList violations={violations} />
            {await PeriodFields({ c, providerId: path.provider_id, values, violations })}
            <button type="submit">Créer la période</button>
          </form>
        </section>
      )}
    </Layout>,
    status as 200,
  );
}

const valuesOf = (p: uc.PeriodRowLike): PeriodValues => ({
  companyId: p.company_id,
  tutorId: p.tutor_id,
  followUpTrainerId: p.follow_up_trainer_id ?? "",
  place: p.place,
  country: p.country ?? "",
  workAddress: p.work_address,
  startDate: p.start_date,
  endDate: p.end_date,
  plannedHours: formatMinutes(p.planned_minutes),
  weeklyHours: formatMinutes(p.weekly_minutes),
  timetable: p.timetable,
  precontactOn: p.precontact_on ?? "",
  precontactNotes: p.precontact_notes ?? "",
  nature: p.nature,
  objectives: p.objectives,
  pedagogicalObjectives: p.pedagogical_objectives,
  positionHeld: p.position_held,
  followUpModalities: p.follow_up_modalities,
  outsideOpening: p.outside_opening ? "1" : "0",
  centreContact: p.centre_contact ?? "",
});

async function periodPage(c: Ctx, violations: Violation[] = [], status = 200, notice?: string) {
  const actor = actorOf(c);
  const d = await uc.periodDetail(depsOf(c).db, actor, c.req.param("id") ?? "");
  const p = d.period;
  const staff = actor.role !== "trainee" && actor.role !== "region_officer";
  const urls = c.req.query("liens");
  return c.html(
    <Layout c={c} title={`Période en entreprise — ${d.path.name}`}>
      <h1>
        Période en entreprise de {d.path.name} chez {d.company.name}
      </h1>
      {notice ? (
        <p class="alert success" role="status">
          {notice}
        </p>
      ) : null}
      <ViolationList violations={violations} />
      <p>
        État : <strong>{periodStatusLabels[p.status]}</strong> — du {formatDateFr(p.start_date)} au {formatDateFr(p.end_date)}, {formatMinutes(p.planned_minutes)} — {placeLabels[p.place]}
        {p.country ? ` (${p.country})` : ""} — <a href={`/parcours/${p.path_id}/stages`}>toutes les périodes du parcours</a>
      </p>
      {!p.precontact_on ? <ViolationList violations={[{ code: "CP-TUTOR-PRECONTACT", severity: "warning", article: "CCTP §3.1.5.1", message: "Aucun contact préalable avec le tuteur ou la tutrice n'est noté (CP-TUTOR-PRECONTACT)." }]} /> : null}
      <section aria-labelledby="agreement">
        <h2 id="agreement">Convention tripartite (version {p.agreement_version})</h2>
        <p>
          Empreinte SHA-256 : <code>{p.agreement_hash}</code> — <a href={`/periodes/${p.id}/convention.pdf`}>Télécharger la convention (PDF)</a>
        </p>
        <ul>
          {(["trainee", "tutor", "provider"] as const).map((party) => {
            const s = d.current.find((x) => x.party === party);
            return <li>{s ? `Signée par ${partyLabels[party]} (${s.signer_name}) le ${dateTimeSecondsFr(s.signed_at)}` : `En attente de la signature : ${partyLabels[party]}`}</li>;
          })}
        </ul>
        {urls ? <p>Liens envoyés par courriel au stagiaire et au tuteur.</p> : null}
        {staff ? (
          <div class="actions">
            <form method="post" action={`/periodes/${p.id}/envoyer`}>
              <CsrfField c={c} />
              <button type="submit">{p.agreement_sent_at ? "Renvoyer les liens de signature" : "Envoyer à la signature"}</button>
            </form>
            {p.agreement_sent_at && d.missing.includes("provider") ? (
              <form method="post" action={`/periodes/${p.id}/signer`}>
                <CsrfField c={c} />
                <button type="submit">Signer pour l'organisme</button>
              </form>
            ) : null}
          </div>
        ) : null}
        {actor.role === "trainee" && p.agreement_sent_at && d.missing.includes("trainee") ? (
          <form method="post" action={`/periodes/${p.id}/signer`}>
            <CsrfField c={c} />
            <button type="submit">Signer la convention</button>
          </form>
        ) : null}
      </section>
      {staff ? (
        <section aria-labelledby="status">
          <h2 id="status">Déroulement</h2>
          <div class="actions">
            {p.status === "preparing" ? (
              <form method="post" action={`/periodes/${p.id}/etat`}>
                <CsrfField c={c} />
                <input type="hidden" name="status" value="in_progress" />
                <button type="submit">Commencer la période</button>
              </form>
            ) : null}
            {p.status === "in_progress" ? (
              <form method="post" action={`/periodes/${p.id}/etat`}>
                <CsrfField c={c} />
                <input type="hidden" name="status" value="closed" />
                <button type="submit">Clôturer la période</button>
              </form>
            ) : null}
          </div>
          {p.place === "abroad" ? (
            <form method="post" action={`/periodes/${p.id}/attestations`} enctype="multipart/form-data">
              <CsrfField c={c} />
              <p>
                Attestations (CP-INTERNSHIP-ABROAD) : responsabilité civile {p.civil_liability_attachment_id ? "déposée" : "manquante"}, couverture sociale {p.social_cover_attachment_id ? "déposée" : "manquante"}.
              </p>
              <Select name="kind" label="Attestation" options={[{ value: "civil_liability", label: "Responsabilité civile" }, { value: "social_cover", label: "Couverture sociale" }]} />
              <div class="field">
                <label for="f-file">Fichier (PDF, JPEG ou PNG, 10 Mo)</label>
                <input id="f-file" name="file" type="file" accept="application/pdf,image/jpeg,image/png" required />
              </div>
              <button type="submit">Déposer</button>
            </form>
          ) : null}
        </section>
      ) : null}
      <section aria-labelledby="visits">
        <h2 id="visits">Visites (CP-INTERNSHIP-VISIT)</h2>
        <ul>
          {d.visits.map((v) => (
            <li>{v.visited_on ? `Visite du ${formatDateFr(v.visited_on)} — rencontré·es : ${v.met ?? "—"} — ${v.observations ?? ""}` : `Visite prévue le ${formatDateFr(v.planned_on)}`}</li>
          ))}
          {p.visit_waiver_at ? <li>Dispense de visite accordée par la Région : {p.visit_waiver_reason}</li> : null}
        </ul>
        {staff ? (
          <form method="post" action={`/periodes/${p.id}/visites`}>
            <CsrfField c={c} />
            <div class="grid">
              <Field name="plannedOn" label="Date prévue" type="date" />
              <Field name="visitedOn" label="Date de la visite faite" type="date" />
              <Field name="met" label="Personnes rencontrées" />
              <Field name="observations" label="Observations" />
            </div>
            <button type="submit">Enregistrer la visite</button>
          </form>
        ) : null}
        {actor.role === "region_officer" && p.place === "abroad" && !p.visit_waiver_at ? (
          <form method="post" action={`/periodes/${p.id}/dispense`}>
            <CsrfField c={c} />
            <Field name="reason" label="Motif de la dispense de visite" required />
            <button type="submit">Accorder la dispense</button>
          </form>
        ) : null}
      </section>
      <section aria-labelledby="reviews">
        <h2 id="reviews">Bilans (CP-INTERNSHIP-REVIEW)</h2>
        {REVIEW_PARTIES.map((party) => {
          const r = d.reviews.find((x) => x.party === party);
          return (
            <div>
              <h3>{reviewPartyLabels[party]}</h3>
              {r ? (
                <p>
                  {r.author_name} — activités : {r.activities} — compétences acquises : {r.skills} — axes de progrès : {r.progress} — appréciation : {r.appreciation}
                </p>
              ) : (
                <p>Pas encore rempli.</p>
              )}
            </div>
          );
        })}
        {staff ? (
          <form method="post" action={`/periodes/${p.id}/bilan`}>
            <CsrfField c={c} />
            <div class="grid">
              <Field name="authorName" label="Votre nom" value={actor.fullName} required />
              <Field name="activities" label="Activités réalisées" />
              <Field name="skills" label="Compétences acquises" />
              <Field name="progress" label="Axes de progrès" />
              <Field name="appreciation" label="Appréciation" />
            </div>
            <button type="submit">Enregistrer le bilan du formateur</button>
          </form>
        ) : null}
        {staff && d.reviews.length ? (
          <p>
            <a class="button" href={`/parcours/${p.path_id}/construire?motif=${encodeURIComponent(`Bilan de la période en entreprise chez ${d.company.name} (CP-INTERNSHIP-REVIEW)`)}`}>
              Réajuster le parcours suite au bilan (CP-PATH-READJUST)
            </a>
          </p>
        ) : null}
      </section>
      {staff && (p.status === "preparing" || p.status === "in_progress") ? (
        <section aria-labelledby="edit">
          <h2 id="edit">Modifier la période et la convention</h2>
          <p>Une convention signée modifiée repart à la signature des trois parties.</p>
          <form method="post" action={`/periodes/${p.id}`}>
            <CsrfField c={c} />
            {await PeriodFields({ c, providerId: p.provider_id, values: valuesOf(p), violations })}
            <button type="submit">Enregistrer les modifications</button>
          </form>
        </section>
      ) : null}
    </Layout>,
    status as 200,
  );
}

const back = (c: Ctx, id: string) => c.redirect(`/periodes/${id}`, 303);

export function registerInternshipPages(app: OpenAPIHono<AppEnv>) {
  app.get("/entreprises", (c) => networkPage(c));
  app.post("/entreprises", async (c) => {
    const b = await formBody(c);
    const r = await attempt(() => uc.createCompany(depsOf(c).db, actorOf(c), companyForm(b)));
    if (r.ok) return c.redirect(`/entreprises/${r.value.id}`, 303);
    return networkPage(c, r.violations, Object.fromEntries(["siret", "name", "address", "postcode", "commune", "communeInsee", "latitude", "longitude", "sector", "romeCodes", "foundByTrainee"].map((k) => [k, str(b, k)])), 422);
  });
  app.get("/entreprises/:id", (c) => companyPage(c));
  app.post("/entreprises/:id/tuteurs", async (c) => {
    const b = await formBody(c);
    const r = await attempt(() => uc.addTutor(depsOf(c).db, actorOf(c), c.req.param("id"), { fullName: str(b, "fullName"), jobTitle: str(b, "jobTitle"), email: str(b, "email"), phone: str(b, "phone") }));
    return r.ok ? c.redirect(`/entreprises/${c.req.param("id")}`, 303) : companyPage(c, r.violations, 422);
  });
  app.get("/parcours/:id/stages", (c) => pathPeriodsPage(c));
  app.post("/parcours/:id/stages", async (c) => {
    const b = await formBody(c);
    const r = await attempt(() => uc.createPeriod(depsOf(c).db, actorOf(c), { ...periodForm(b), pathId: c.req.param("id") }));
    if (r.ok) return c.redirect(`/periodes/${r.value.id}`, 303);
    return pathPeriodsPage(c, r.violations, Object.fromEntries(Object.keys(b).map((k) => [k, str(b, k)])), 422);
  });
  app.get("/periodes/:id", (c) => periodPage(c));
  app.post("/periodes/:id", async (c) => {
    const b = await formBody(c);
    const r = await attempt(() => uc.updatePeriod(depsOf(c).db, actorOf(c), c.req.param("id"), periodForm(b), now(c), publicUrl(c)));
    return r.ok ? back(c, c.req.param("id")) : periodPage(c, r.violations, 422);
  });
  app.get("/periodes/:id/convention.pdf", async (c) => {
    const { pdf, filename } = await agreementPdf(depsOf(c).db, actorOf(c), c.req.param("id"));
    return pdfResponse(c, pdf, filename);
  });
  app.post("/periodes/:id/envoyer", async (c) => {
    const r = await attempt(() => uc.sendForSignature(depsOf(c).db, actorOf(c), c.req.param("id"), now(c), publicUrl(c)));
    return r.ok ? c.redirect(`/periodes/${c.req.param("id")}?liens=1`, 303) : periodPage(c, r.violations, 422);
  });
  app.post("/periodes/:id/signer", async (c) => {
    const actor = actorOf(c);
    const id = c.req.param("id");
    const r = await attempt(() => (actor.role === "trainee" ? uc.signAsTrainee(depsOf(c).db, actor, id, now(c)) : uc.signAsProvider(depsOf(c).db, actor, id, now(c))));
    return r.ok ? back(c, id) : periodPage(c, r.violations, 422);
  });
  app.post("/periodes/:id/etat", async (c) => {
    const b = await formBody(c);
    const to = str(b, "status") as "in_progress" | "closed" | "cancelled";
    const r = await attempt(() => uc.transitionPeriod(depsOf(c).db, actorOf(c), c.req.param("id"), to));
    if (!r.ok) return periodPage(c, r.violations, 422);
    return r.value.warnings.length ? periodPage(c, r.value.warnings, 200, "La période a commencé.") : back(c, c.req.param("id"));
  });
  app.post("/periodes/:id/visites", async (c) => {
    const b = await formBody(c);
    const r = await attempt(() => uc.recordVisit(depsOf(c).db, actorOf(c), c.req.param("id"), { plannedOn: str(b, "plannedOn"), visitedOn: str(b, "visitedOn"), met: str(b, "met"), observations: str(b, "observations") }));
    return r.ok ? back(c, c.req.param("id")) : periodPage(c, r.violations, 422);
  });
  app.post("/periodes/:id/dispense", async (c) => {
    const b = await formBody(c);
    const r = await attempt(() => uc.waiveVisit(depsOf(c).db, actorOf(c), c.req.param("id"), { reason: str(b, "reason") }, now(c)));
    return r.ok ? back(c, c.req.param("id")) : periodPage(c, r.violations, 422);
  });
  app.post("/periodes/:id/bilan", async (c) => {
    const b = await formBody(c);
    const r = await attempt(() => uc.submitReferentReview(depsOf(c).db, actorOf(c), c.req.param("id"), { authorName: str(b, "authorName"), activities: str(b, "activities"), skills: str(b, "skills"), progress: str(b, "progress"), appreciation: str(b, "appreciation") }, now(c)));
    return r.ok ? back(c, c.req.param("id")) : periodPage(c, r.violations, 422);
  });
  app.post("/periodes/:id/attestations", async (c) => {
    const b = await formBody(c);
    const file = b.file;
    const f = file instanceof File ? { filename: file.name, contentType: file.type, bytes: new Uint8Array(await file.arrayBuffer()) } : { filename: "", contentType: "", bytes: new Uint8Array() };
    const kind = str(b, "kind") === "social_cover" ? "social_cover" : "civil_liability";
    const r = await attempt(() => uc.uploadCertificate(depsOf(c).db, actorOf(c), c.req.param("id"), kind, f));
    return r.ok ? back(c, c.req.param("id")) : periodPage(c, r.violations, 422);
  });
}
