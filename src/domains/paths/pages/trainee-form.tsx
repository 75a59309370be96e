// Editing the trainee record from the path screen: job-seeker registration done later, a referent
// assigned, the CV update date (CP-TRE-CV-UPDATE) — what entry needs, without retyping the rest.
import { PersonalDataNotice } from "../../../core/pages/personal-data-notice.tsx";
import type { Ctx } from "../../../core/http/context.ts";
import { CsrfField, Field, Select, ViolationList, errorFor } from "../../../core/pages/layout.tsx";
import type { Violation } from "../../../core/rules.ts";
import type { PathDetail } from "../queries.ts";

export function TraineeForm(props: { c: Ctx; detail: PathDetail; referents: { id: string; full_name: string }[]; body?: Record<string, unknown>; violations?: Violation[] }) {
  const h = props.detail.head;
  const b = props.body;
  const v = (k: string, fallback: string | null | undefined) => (b && typeof b[k] === "string" ? (b[k] as string) : (fallback ?? ""));
  const vs = props.violations ?? [];
  const registered = b ? b.jobSeekerRegistered === "1" : h.job_seeker_registered;
  return (
    <details open={vs.length > 0 || undefined}>
      <summary>Modifier la fiche du stagiaire</summary>
      {vs.length ? <ViolationList violations={vs} title="La fiche n'a pas été enregistrée" /> : null}
      <form method="post" action={`/stagiaires/${h.trainee_id}/modifier`}>
        <CsrfField c={props.c} />
        <input type="hidden" name="pathId" value={h.id} />
        <div class="grid">
          <Field name="firstName" label="Prénom" required value={v("firstName", h.first_name)} error={errorFor(vs, "firstName")} />
          <Field name="lastName" label="Nom" required value={v("lastName", h.last_name)} error={errorFor(vs, "lastName")} />
          <Field name="birthDate" label="Date de naissance" type="date" required value={v("birthDate", h.birth_date)} error={errorFor(vs, "birthDate")} />
          <Field name="email" label="E-mail" type="email" value={v("email", h.email)} error={errorFor(vs, "email")} />
          <Field name="phone" label="Téléphone" type="tel" value={v("phone", h.phone)} />
          <Field name="franceTravailId" label="Identifiant France Travail" value={v("franceTravailId", h.france_travail_id)} error={errorFor(vs, "franceTravailId")} />
          <Field name="cvUpdatedOn" label="CV mis à jour sur le site de France Travail le" type="date" value={v("cvUpdatedOn", h.cv_updated_on)} />
        </div>
        <PersonalDataNotice purpose="P2" />
        <div class="field">
          <input type="checkbox" id="f-edit-registered" name="jobSeekerRegistered" value="1" checked={registered} />{" "}
          <label for="f-edit-registered" class="inline">
            Inscrit·e comme demandeur d'emploi à France Travail
          </label>
        </div>
        <Select
          name="pedagogicalReferentId"
          label="Référent pédagogique"
          options={props.referents.map((r) => ({ value: r.id, label: r.full_name }))}
          value={v("pedagogicalReferentId", h.pedagogical_referent_id)}
          emptyLabel="— À désigner —"
          error={errorFor(vs, "pedagogicalReferentId")}
        />
        <button type="submit" class="secondary">Enregistrer la fiche</button>
      </form>
    </details>
  );
}
