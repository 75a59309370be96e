// The week calendar (/planning?semaine=YYYY-Www): one row per day, morning and afternoon columns,
// a real table (caption, th scope) that stays readable on a phone.
import type { Ctx } from "../../../core/http/context.ts";
import { Layout, ViolationList } from "../../../core/pages/layout.tsx";
import { formatMinutes, type Violation } from "../../../core/rules.ts";
import { addDays, formatDateFr } from "../../../core/time.ts";
import { formatDayFr, formatTimeFr, holidayOn, isoWeekOf, minutesOfDay } from "../calendar.ts";
import type { SlotView } from "../store.ts";
import { ModalityBadge } from "./labels.tsx";
import { Table } from "../../../core/pages/table.tsx";

export interface CalendarProps {
  c: Ctx;
  week: string;
  monday: string;
  slots: SlotView[];
  closures: { site_id: string; site_name: string; start_date: string; end_date: string; reason: string }[];
  sites: { id: string; name: string }[];
  staff: { id: string; full_name: string }[];
  siteId?: string;
  trainerId?: string;
  canWrite: boolean;
  warnings: Violation[];
  notice?: string;
}

function SlotCard(props: { s: SlotView }) {
  const s = props.s;
  const cancelled = s.status === "cancelled";
  return (
    <li class={cancelled ? "slot cancelled" : `slot m-${s.modality}`}>
      <a href={`/planning/creneaux/${s.id}`}>
        <strong>
          {formatTimeFr(s.startTime)}–{formatTimeFr(s.endTime)}
        </strong>{" "}
        {s.moduleTitle ?? s.componentTitle}
      </a>
      <br />
      <ModalityBadge modality={s.modality} location={s.selfStudyLocation} />
      {cancelled ? (
        <span class="badge refused">Annulé</span>
      ) : (
        <a class="sheet-link" href={`/documents/feuilles/${s.id}/pdf`}>
          Feuille d'émargement<span class="visually-hidden"> du créneau de {formatTimeFr(s.startTime)} (PDF)</span>
        </a>
      )}
      <span class="muted">
        {" "}
        {s.trainees.length === 1 ? `${s.trainees[0].firstName} ${s.trainees[0].lastName}` : `${s.trainees.length} stagiaires`}
        {s.siteName ? ` · ${s.siteName}` : ""}
        {s.trainerName ? ` · ${s.trainerName}` : ""}
      </span>
    </li>
  );
}

export function CalendarPage(p: CalendarProps) {
  const days = Array.from({ length: 7 }, (_, i) => addDays(p.monday, i));
  const query = (week: string) => `/planning?semaine=${week}${p.siteId ? `&site=${p.siteId}` : ""}${p.trainerId ? `&formateur=${p.trainerId}` : ""}`;
  const total = p.slots.filter((s) => s.status !== "cancelled").reduce((n, s) => n + s.minutes, 0);
  const weekend = days.slice(5).some((d) => p.slots.some((s) => s.date === d));
  const shown = weekend ? days : days.slice(0, 5);
  return (
    <Layout c={p.c} title={`Planning — semaine ${p.week}`} wide>
      <h1>Planning de la semaine du {formatDateFr(p.monday)}</h1>
      {p.notice ? (
        <p class="alert success" role="status">
          {p.notice}
        </p>
      ) : null}
      <form method="get" action="/planning" class="actions filters">
        <div class="field">
          <label for="f-semaine">Semaine</label>
          <input id="f-semaine" name="semaine" type="week" value={p.week} />
        </div>
        <div class="field">
          <label for="f-site">Site</label>
          <select id="f-site" name="site">
            <option value="">Tous les sites</option>
            {p.sites.map((s) => (
              <option value={s.id} selected={s.id === p.siteId}>
                {s.name}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="f-formateur">Formateur·rice</label>
          <select id="f-formateur" name="formateur">
            <option value="">Tous</option>
            {p.staff.map((u) => (
              <option value={u.id} selected={u.id === p.trainerId}>
                {u.full_name}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">Afficher</button>
      </form>
      <nav aria-label="Semaines" class="actions">
        <a href={query(isoWeekOf(addDays(p.monday, -7)))}>← Semaine précédente</a>
        <a href={query(isoWeekOf(addDays(p.monday, 7)))}>Semaine suivante →</a>
        {p.canWrite ? (
          <>
            <a class="button" href="/planning/creneaux/nouveau">
              Nouveau créneau
            </a>
            <a class="button secondary" href={`/planning/generer?semaine=${p.week}`}>
              Générer la semaine
            </a>
          </>
        ) : null}
        <a href="/planning/fermetures">Fermetures de sites</a>
        <a href="/planning/autres-financeurs">Stagiaires d'autres financeurs</a>
      </nav>
      {p.warnings.length ? <ViolationList violations={p.warnings} /> : null}
      <Table class="week" label={`Semaine ${p.week}`}>
        <caption>
          Semaine {p.week} : {p.slots.length} créneau(x), {formatMinutes(total)} prévues
        </caption>
        <thead>
          <tr>
            <th scope="col">Jour</th>
            <th scope="col">Matin</th>
            <th scope="col">Après-midi</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((d) => {
            const mine = p.slots.filter((s) => s.date === d);
            const holiday = holidayOn(d);
            const closed = p.closures.filter((c) => c.start_date <= d && d <= c.end_date);
            const cell = (am: boolean) => {
              const list = mine.filter((s) => (minutesOfDay(s.startTime) < 13 * 60) === am);
              return list.length ? (
                <ul class="slots">
                  {list.map((s) => (
                    <SlotCard s={s} />
                  ))}
                </ul>
              ) : (
                <span class="muted">—</span>
              );
            };
            return (
              <tr>
                <th scope="row">
                  {formatDayFr(d)}
                  {holiday ? <span class="badge submitted">Férié : {holiday}</span> : null}
                  {closed.map((c) => (
                    <span class="badge refused">
                      {c.site_name} fermé ({c.reason})
                    </span>
                  ))}
                </th>
                <td>{cell(true)}</td>
                <td>{cell(false)}</td>
              </tr>
            );
          })}
        </tbody>
      </Table>
    </Layout>
  );
}
