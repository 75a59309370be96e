// Creating, reading and editing one slot; cancelling it and recording a replacement trainer.
import type { Ctx } from "../../../core/http/context.ts";
import { CsrfField, Field, Layout, Select, ViolationList, errorFor } from "../../../core/pages/layout.tsx";
import { formatMinutes, type Violation } from "../../../core/rules.ts";
import { formatDateFr } from "../../../core/time.ts";
import { formatDayFr, formatTimeFr, isoWeekOf } from "../calendar.ts";
import type { SlotView } from "../store.ts";
import type { schedulingChoices } from "../use-cases.ts";
import { ModalityBadge, modalityLabels, statusLabels } from "./labels.tsx";

export type Choices = Awaited<ReturnType<typeof schedulingChoices>>;
export type SlotBody = Record<string, string | string[]>;

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? (v[0] ?? "") : (v ?? ""));
const many = (v: string | string[] | undefined) => (Array.isArray(v) ? v : v ? [v] : []);

function TextArea(props: { name: string; label: string; value: string; error?: string; hint?: string }) {
  const id = `f-${props.name}`;
  return (
    <div class={props.error ? "field has-error" : "field"}>
      <label for={id}>{props.label}</label>
      {props.hint ? (
        <p class="hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      ) : null}
      <textarea id={id} name={props.name} aria-invalid={props.error ? "true" : undefined} aria-describedby={[props.hint ? `${id}-hint` : "", props.error ? `${id}-err` : ""].filter(Boolean).join(" ") || undefined}>
        {props.value}
      </textarea>
      {props.error ? (
        <p class="field-error" id={`${id}-err`}>
          {props.error}
        </p>
      ) : null}
    </div>
  );
}

/** The slot's fields; `lineId` fixes which paths and modules are offered. */
export function SlotFieldset(props: { choices: Choices; lineId: string; body: SlotBody; violations: Violation[] }) {
  const { choices, body, violations } = props;
  const line = choices.lines.find((l) => l.id === props.lineId);
  const paths = choices.paths.filter((p) => p.order_line_id === props.lineId);
  const modules = choices.modules.filter((m) => m.component_id === line?.component_id);
  const sites = line ? choices.sites.filter((s) => line.siteIds.includes(s.id)) : choices.sites;
  const chosen = new Set(many(body.pathIds));
  const others = choices.otherFunded.filter((o) => o.component_id === line?.component_id);
  const chosenOthers = new Set(many(body.otherFundedIds));
  const e = (f: string) => errorFor(violations, f);
  return (
    <>
      <fieldset class={e("pathIds") ? "has-error" : undefined}>
        <legend>Stagiaires (parcours validés de la composante)</legend>
        {paths.length === 0 ? <p>Aucun parcours validé sur cette composante.</p> : null}
        {paths.map((p) => (
          <div>
            <input type="checkbox" id={`p-${p.id}`} name="pathIds" value={p.id} checked={chosen.has(p.id)} />{" "}
            <label for={`p-${p.id}`}>
              {p.last_name.toUpperCase()} {p.first_name} <span class="muted">(du {formatDateFr(p.entry_date)} au {formatDateFr(p.planned_exit_date)})</span>
            </label>
          </div>
        ))}
        {e("pathIds") ? <p class="field-error">{e("pathIds")}</p> : null}
      </fieldset>
      {others.length ? (
        <fieldset class={e("otherFundedIds") ? "has-error" : undefined}>
          <legend>Stagiaires d'autres financeurs (inscrits sur ce groupe)</legend>
          <p class="hint">Ils comptent dans l'effectif simultané du groupe, 20 au plus (CP-GROUP-MAX-20).</p>
          {others.map((o) => (
            <div>
              <input type="checkbox" id={`o-${o.id}`} name="otherFundedIds" value={o.id} checked={chosenOthers.has(o.id)} />{" "}
              <label for={`o-${o.id}`}>
                {o.full_name} — {o.funder}{" "}
                <span class="muted">
                  ({o.site_name}, du {formatDateFr(o.start_date)} au {formatDateFr(o.end_date)})
                </span>
              </label>
            </div>
          ))}
          {e("otherFundedIds") ? <p class="field-error">{e("otherFundedIds")}</p> : null}
        </fieldset>
      ) : null}
      <div class="grid">
        <Select name="moduleId" label="Module" emptyLabel="— (hors module)" options={modules.map((m) => ({ value: m.id, label: m.title }))} value={one(body.moduleId)} error={e("moduleId")} />
        <Select name="modality" label="Modalité" required options={Object.entries(modalityLabels).map(([value, label]) => ({ value, label }))} value={one(body.modality) || "centre"} error={e("modality")} />
        <Field name="date" label="Date" type="date" required value={one(body.date)} error={e("date")} />
        <Field name="startTime" label="Début" type="time" required value={one(body.startTime)} error={e("startTime")} />
        <Field name="endTime" label="Fin" type="time" required value={one(body.endTime)} error={e("endTime")} />
        <Select name="siteId" label="Site" emptyLabel="— (aucun : à distance ou en entreprise)" options={sites.map((s) => ({ value: s.id, label: s.name }))} value={one(body.siteId)} error={e("siteId")} />
        <Select name="trainerId" label="Formateur·rice" emptyLabel="— (à désigner)" options={choices.staff.map((u) => ({ value: u.id, label: u.full_name }))} value={one(body.trainerId)} error={e("trainerId")} />
        <Field name="place" label="Lieu (salle, entreprise…)" value={one(body.place)} error={e("place")} />
        <Field name="virtualRoomUrl" label="Classe virtuelle (lien)" type="url" value={one(body.virtualRoomUrl)} error={e("virtualRoomUrl")} hint="Pour la formation à distance synchrone." />
      </div>
      <fieldset>
        <legend>Autoformation (CP-SELFSTUDY-DEFINED)</legend>
        <p class="hint">Obligatoire pour une séquence d'autoformation : définis à l'avance et montrés au stagiaire.</p>
        <Select name="selfStudyLocation" label="Lieu de l'autoformation" emptyLabel="—" options={[{ value: "centre", label: "Au centre" }, { value: "remote", label: "À distance" }]} value={one(body.selfStudyLocation)} error={e("selfStudyLocation")} />
        <TextArea name="objectives" label="Objectifs" value={one(body.objectives)} error={e("objectives")} />
        <TextArea name="deliverables" label="Livrables attendus" value={one(body.deliverables)} error={e("deliverables")} />
        <TextArea name="resources" label="Ressources" value={one(body.resources)} error={e("resources")} />
      </fieldset>
      <div class={e("holidayOverride") ? "field has-error" : "field"}>
        <input type="checkbox" id="f-holidayOverride" name="holidayOverride" value="1" checked={one(body.holidayOverride) === "1"} aria-describedby={e("holidayOverride") ? "f-holidayOverride-err" : undefined} />{" "}
        <label for="f-holidayOverride">Créneau exceptionnel un jour férié</label>
        {e("holidayOverride") ? (
          <p class="field-error" id="f-holidayOverride-err">
            {e("holidayOverride")}
          </p>
        ) : null}
      </div>
    </>
  );
}

export function NewSlotPage(props: { c: Ctx; choices: Choices; lineId?: string; body: SlotBody; violations?: Violation[] }) {
  const v = props.violations ?? [];
  return (
    <Layout c={props.c} title="Nouveau créneau">
      <h1>Nouveau créneau</h1>
      <form method="get" action="/planning/creneaux/nouveau" class="actions">
        <Select name="ligne" label="Composante de commande" required options={props.choices.lines.map((l) => ({ value: l.id, label: `${l.number} — ${l.title}` }))} value={props.lineId} emptyLabel="— choisir —" />
        <button type="submit" class="secondary">
          Choisir
        </button>
      </form>
      {props.lineId ? (
        <form method="post" action="/planning/creneaux/nouveau" novalidate>
          <CsrfField c={props.c} />
          <input type="hidden" name="orderLineId" value={props.lineId} />
          {v.length ? <ViolationList violations={v} title="Le créneau n'a pas été créé" /> : null}
          <SlotFieldset choices={props.choices} lineId={props.lineId} body={props.body} violations={v} />
          <div class="actions">
            <button type="submit">Créer le créneau</button>
            <a href="/planning">Annuler</a>
          </div>
        </form>
      ) : null}
    </Layout>
  );
}

export const bodyOfSlot = (s: SlotView): SlotBody => ({
  pathIds: s.trainees.map((t) => t.pathId),
  moduleId: s.moduleId ?? "",
  modality: s.modality,
  date: s.date,
  startTime: s.startTime,
  endTime: s.endTime,
  siteId: s.siteId ?? "",
  trainerId: s.originalTrainerId ?? "",
  place: s.place ?? "",
  virtualRoomUrl: s.virtualRoomUrl ?? "",
  selfStudyLocation: s.selfStudyLocation ?? "",
  objectives: s.objectives ?? "",
  deliverables: s.deliverables ?? "",
  resources: s.resources ?? "",
  holidayOverride: s.holidayOverride ? "1" : "",
  otherFundedIds: s.otherFunded.map((o) => o.id),
});

export function SlotPage(props: { c: Ctx; slot: SlotView; choices?: Choices; canWrite: boolean; body?: SlotBody; violations?: Violation[]; warnings: Violation[]; section?: string; notice?: string }) {
  const s = props.slot;
  const v = props.violations ?? [];
  const planned = s.status === "planned";
  return (
    <Layout c={props.c} title={`Créneau du ${formatDateFr(s.date)}`}>
      <p>
        <a href={`/planning?semaine=${isoWeekOf(s.date)}`}>← Planning de la semaine</a>
      </p>
      <h1>
        {s.moduleTitle ?? s.componentTitle} — {formatDayFr(s.date)}, {formatTimeFr(s.startTime)}–{formatTimeFr(s.endTime)}
      </h1>
      {props.notice ? (
        <p class="alert success" role="status">
          {props.notice}
        </p>
      ) : null}
      <ViolationList violations={[...props.warnings, ...(props.section ? [] : v)]} />
      <dl class="facts">
        <dt>Modalité</dt>
        <dd>
          <ModalityBadge modality={s.modality} location={s.selfStudyLocation} />
        </dd>
        <dt>Statut</dt>
        <dd>
          {statusLabels[s.status]}
          {s.cancelReason ? ` — ${s.cancelReason}` : ""}
        </dd>
        <dt>Durée</dt>
        <dd>{formatMinutes(s.minutes)}</dd>
        <dt>Commande</dt>
        <dd>
          {s.orderNumber} — {s.componentTitle}
        </dd>
        <dt>Lieu</dt>
        <dd>{s.siteName ? `${s.siteName} (${s.siteAddress})` : (s.place ?? s.virtualRoomUrl ?? "—")}</dd>
        <dt>Formateur·rice</dt>
        <dd>
          {s.trainerName ?? "à désigner"}
          {s.replacementTrainerId ? " (remplaçant·e)" : ""}
        </dd>
        <dt>Feuille d'émargement</dt>
        <dd>
          <a href={`/documents/feuilles/${s.id}/pdf`}>Télécharger la feuille d'émargement (PDF)</a>
        </dd>
        {s.modality === "self_study" ? (
          <>
            <dt>Objectifs</dt>
            <dd>{s.objectives}</dd>
            <dt>Livrables attendus</dt>
            <dd>{s.deliverables}</dd>
            <dt>Ressources</dt>
            <dd>{s.resources}</dd>
          </>
        ) : null}
      </dl>
      <h2>Stagiaires ({s.trainees.length + s.otherFunded.length})</h2>
      <ul>
        {s.trainees.map((t) => (
          <li>
            {t.lastName.toUpperCase()} {t.firstName}
          </li>
        ))}
        {s.otherFunded.map((o) => (
          <li>
            {o.fullName} <span class="muted">(financement : {o.funder})</span>
          </li>
        ))}
      </ul>
      {props.canWrite && props.choices && planned ? (
        <section aria-labelledby="edit-title">
          <h2 id="edit-title">Modifier le créneau</h2>
          <form method="post" action={`/planning/creneaux/${s.id}`} novalidate>
            <CsrfField c={props.c} />
            {props.section === "edit" && v.length ? <ViolationList violations={v} title="Le créneau n'a pas été modifié" /> : null}
            <SlotFieldset choices={props.choices} lineId={s.orderLineId} body={props.body ?? bodyOfSlot(s)} violations={props.section === "edit" ? v : []} />
            <button type="submit">Enregistrer les modifications</button>
          </form>
        </section>
      ) : null}
      {props.canWrite && (planned || s.status === "open") ? (
        <section aria-labelledby="cancel-title">
          <h2 id="cancel-title">Annuler le créneau</h2>
          <form method="post" action={`/planning/creneaux/${s.id}/annuler`}>
            <CsrfField c={props.c} />
            <Field name="reason" label="Motif de l'annulation" required error={props.section === "cancel" ? errorFor(v, "reason") : undefined} />
            <div class="field">
              <input type="checkbox" id="f-trainerAbsence" name="trainerAbsence" value="1" /> <label for="f-trainerAbsence">Absence ou départ du formateur (un remplaçant devra être désigné)</label>
            </div>
            <button type="submit" class="secondary">
              Annuler le créneau
            </button>
          </form>
        </section>
      ) : null}
      {props.canWrite && props.choices && s.status === "cancelled" && s.cancelledForTrainerAbsence ? (
        <section aria-labelledby="repl-title">
          <h2 id="repl-title">Désigner un·e remplaçant·e (CP-NO-INTERRUPTION)</h2>
          <form method="post" action={`/planning/creneaux/${s.id}/remplacant`}>
            <CsrfField c={props.c} />
            {props.section === "replacement" && v.length ? <ViolationList violations={v} title="Le remplacement n'a pas été enregistré" /> : null}
            <Select name="replacementTrainerId" label="Formateur·rice remplaçant·e" required emptyLabel="— choisir —" options={props.choices.staff.filter((u) => u.id !== s.originalTrainerId).map((u) => ({ value: u.id, label: u.full_name }))} />
            <button type="submit">Enregistrer le remplacement</button>
          </form>
        </section>
      ) : null}
      {props.canWrite && planned ? (
        <form method="post" action={`/planning/creneaux/${s.id}/supprimer`} class="actions">
          <CsrfField c={props.c} />
          <button type="submit" class="link">
            Supprimer ce créneau (sans émargement)
          </button>
        </form>
      ) : null}
    </Layout>
  );
}
