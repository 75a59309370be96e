// Site closures, the week generator, and the trainee's schedule on the phone.
import type { Ctx } from "../../../core/http/context.ts";
import { CsrfField, Field, Layout, Select, ViolationList, errorFor } from "../../../core/pages/layout.tsx";
import { formatMinutes, type Violation } from "../../../core/rules.ts";
import { daysBetween, formatDateFr } from "../../../core/time.ts";
import { isHttpUrl } from "../../../core/inputs.ts";
import { formatDayFr, formatTimeFr } from "../calendar.ts";
import type { GenerateResult } from "../generate.ts";
import type { SlotView } from "../store.ts";
import type { listClosures } from "../use-cases.ts";
import { ModalityBadge } from "./labels.tsx";
import type { Choices } from "./slot.tsx";
import { Table } from "../../../core/pages/table.tsx";

export function ClosuresPage(props: { c: Ctx; closures: Awaited<ReturnType<typeof listClosures>>; sites: { id: string; name: string }[]; canWrite: boolean; body?: Record<string, string>; violations?: Violation[] }) {
  const v = props.violations ?? [];
  const b = props.body ?? {};
  return (
    <Layout c={props.c} title="Fermetures de sites">
      <h1>Fermetures administratives des sites</h1>
      <p>
        Un site n'est jamais fermé plus de 14 jours calendaires consécutifs, jours fériés compris (CP-CLOSURE-MAX-2W, CCTP §3.1.2) : des fermetures qui se touchent ou se chevauchent comptent ensemble, quel que soit leur nombre. Aucun créneau n'est possible un jour de fermeture.
      </p>
      <Table label="Fermetures en cours et à venir">
        <caption>Fermetures en cours et à venir</caption>
        <thead>
          <tr>
            <th scope="col">Site</th>
            <th scope="col">Du</th>
            <th scope="col">Au</th>
            <th scope="col" class="num">Jours</th>
            <th scope="col">Motif</th>
            {props.canWrite ? <th scope="col">Action</th> : null}
          </tr>
        </thead>
        <tbody>
          {props.closures.map((c) => (
            <tr>
              <th scope="row">{c.site_name}</th>
              <td>{formatDateFr(c.start_date)}</td>
              <td>{formatDateFr(c.end_date)}</td>
              <td class="num">{daysBetween(c.start_date, c.end_date) + 1}</td>
              <td>{c.reason}</td>
              {props.canWrite ? (
                <td>
                  <form method="post" action={`/planning/fermetures/${c.id}/supprimer`}>
                    <CsrfField c={props.c} />
                    <button type="submit" class="link" aria-label={`Supprimer la fermeture de ${c.site_name} du ${formatDateFr(c.start_date)}`}>
                      Supprimer
                    </button>
                  </form>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </Table>
      {props.canWrite ? (
        <section aria-labelledby="new-closure">
          <h2 id="new-closure">Déclarer une fermeture</h2>
          <form method="post" action="/planning/fermetures" novalidate>
            <CsrfField c={props.c} />
            {v.length ? <ViolationList violations={v} title="La fermeture n'a pas été enregistrée" /> : null}
            <div class="grid">
              <Select name="siteId" label="Site" required emptyLabel="— choisir —" options={props.sites.map((s) => ({ value: s.id, label: s.name }))} value={b.siteId} error={errorFor(v, "siteId")} />
              <Field name="startDate" label="Premier jour fermé" type="date" required value={b.startDate} error={errorFor(v, "startDate")} />
              <Field name="endDate" label="Dernier jour fermé" type="date" required value={b.endDate} error={errorFor(v, "endDate")} />
              <Field name="reason" label="Motif" required value={b.reason} error={errorFor(v, "reason")} />
            </div>
            <button type="submit">Enregistrer la fermeture</button>
          </form>
        </section>
      ) : null}
    </Layout>
  );
}

export function GeneratePage(props: { c: Ctx; choices: Choices; body: Record<string, string>; violations?: Violation[]; result?: GenerateResult }) {
  const v = props.violations ?? [];
  const b = props.body;
  const r = props.result;
  return (
    <Layout c={props.c} title="Générer le planning d'une semaine">
      <h1>Générer le planning d'une semaine</h1>
      <p>
        Les heures prévues des parcours validés sont placées en demi-journées du lundi au vendredi (9 h–12 h 30 et 13 h 30–17 h), sans jour férié ni jour de fermeture du site, un créneau de groupe par
        demi-journée et par site, module après module dans l'ordre de la composante. L'autoformation et l'entreprise se planifient à la main. Chaque créneau reste modifiable ensuite. Si vous
        choisissez un·e formateur·rice, les demi-journées où il ou elle anime déjà un autre créneau sont sautées et listées avec ce créneau ; le reste de la semaine est généré.
      </p>
      <form method="post" action="/planning/generer" novalidate>
        <CsrfField c={props.c} />
        {v.length ? <ViolationList violations={v} title="Rien n'a été généré" /> : null}
        <div class="grid">
          <Select name="orderLineId" label="Composante de commande" required emptyLabel="— choisir —" options={props.choices.lines.map((l) => ({ value: l.id, label: `${l.number} — ${l.title}` }))} value={b.orderLineId} error={errorFor(v, "orderLineId")} />
          <Field name="week" label="Semaine" type="week" required value={b.week} error={errorFor(v, "week")} hint="Format AAAA-Www, ex. 2026-W10." />
          <Select name="siteId" label="Site" emptyLabel="Tous les sites" options={props.choices.sites.map((s) => ({ value: s.id, label: s.name }))} value={b.siteId} />
          <Select name="trainerId" label="Formateur·rice" emptyLabel="— (à désigner)" options={props.choices.staff.map((u) => ({ value: u.id, label: u.full_name }))} value={b.trainerId} error={errorFor(v, "trainerId")} />
        </div>
        <button type="submit">Générer</button>
      </form>
      {r ? (
        <section aria-labelledby="result" role="status">
          <h2 id="result">{r.created.length} créneau(x) créé(s)</h2>
          <p>
            <a href={`/planning?semaine=${b.week}`}>Voir et modifier la semaine</a>
          </p>
          {r.skipped.length ? (
            <>
              <h3>Demi-journées non planifiées</h3>
              <ul>
                {r.skipped.map((s) => (
                  <li data-code={s.code}>{s.reason}</li>
                ))}
              </ul>
            </>
          ) : null}
          {r.leftToPlan.length ? (
            <Table label="Reste à planifier">
              <caption>Reste à planifier</caption>
              <thead>
                <tr>
                  <th scope="col">Stagiaire</th>
                  <th scope="col">Séquence</th>
                  <th scope="col" class="num">Heures</th>
                  <th scope="col">Pourquoi</th>
                </tr>
              </thead>
              <tbody>
                {r.leftToPlan.map((l) => (
                  <tr>
                    <th scope="row">{l.name}</th>
                    <td>{l.label}</td>
                    <td class="num">{formatMinutes(l.minutes)}</td>
                    <td>{l.why}</td>
                  </tr>
                ))}
              </tbody>
            </Table>
          ) : null}
        </section>
      ) : null}
    </Layout>
  );
}

/** The trainee's next slots, day by day, with big buttons (phone first). */
export function MySchedulePage(props: { c: Ctx; slots: SlotView[]; feedUrl?: string }) {
  const days = [...new Set(props.slots.map((s) => s.date))];
  return (
    <Layout c={props.c} title="Mon planning">
      <h1>Mon planning</h1>
      {props.feedUrl ? (
        <div class="alert success" role="status">
          <p>Votre lien d'agenda personnel (gardez-le pour vous) :</p>
          <p>
            <a href={props.feedUrl} class="break">
              {props.feedUrl}
            </a>
          </p>
          <p>Ajoutez-le dans votre application d'agenda (« s'abonner à un calendrier » / « ajouter par URL »).</p>
        </div>
      ) : null}
      {days.length === 0 ? <p>Aucun créneau prévu dans les quatre prochaines semaines.</p> : null}
      {days.map((d) => (
        <section aria-labelledby={`d-${d}`} class="day">
          <h2 id={`d-${d}`}>{formatDayFr(d)}</h2>
          <ul class="my-slots">
            {props.slots
              .filter((s) => s.date === d)
              .map((s) => (
                <li class={s.status === "cancelled" ? "my-slot cancelled" : "my-slot"}>
                  <p class="when">
                    {formatTimeFr(s.startTime)} – {formatTimeFr(s.endTime)}
                    {s.status === "cancelled" ? <span class="badge refused"> Annulé</span> : null}
                  </p>
                  <p class="what">{s.moduleTitle ?? s.componentTitle}</p>
                  <p>
                    <ModalityBadge modality={s.modality} location={s.selfStudyLocation} />
                  </p>
                  <p>{s.siteName ? `${s.siteName} — ${s.siteAddress}` : (s.place ?? "")}</p>
                  {s.trainerName ? <p>Avec {s.trainerName}</p> : null}
                  {s.modality === "self_study" ? (
                    <dl>
                      <dt>Objectifs</dt>
                      <dd>{s.objectives}</dd>
                      <dt>À rendre</dt>
                      <dd>{s.deliverables}</dd>
                      <dt>Ressources</dt>
                      <dd>{s.resources}</dd>
                    </dl>
                  ) : null}
                  {s.modality === "distance" && isHttpUrl(s.virtualRoomUrl) && s.status !== "cancelled" ? (
                    <a class="button big" href={s.virtualRoomUrl} rel="noopener noreferrer">
                      Rejoindre la classe virtuelle
                    </a>
                  ) : null}
                </li>
              ))}
          </ul>
        </section>
      ))}
      <form method="post" action="/mon-planning/agenda">
        <CsrfField c={props.c} />
        <button type="submit" class="big">
          Recevoir mon lien d'agenda (.ics)
        </button>
        <p class="hint">Un nouveau lien remplace le précédent.</p>
      </form>
    </Layout>
  );
}
