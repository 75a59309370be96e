// The forms of a component (details, modules) and its live "Vérifier" panel.
import type { Ctx } from "../../../core/http/context.ts";
import { CsrfField, errorFor, Field, Select, ViolationList } from "../../../core/pages/layout.tsx";
import type { Violation } from "../../../core/rules.ts";
import { SUBCATEGORIES, SUBCATEGORY_CODES } from "../rules.ts";
import { type FormBody, generalErrors, str, strs } from "./form.ts";
import { categoryLabels, contentTagOptions, modalityLabels, prepPartLabels } from "./labels.tsx";

export interface ComponentValues {
  lotId: string;
  title: string;
  category: string;
  subcategory: string;
  certificationCode: string;
  level: string;
  eFormation: boolean;
  offList: boolean;
  prerequisites: string;
  content: string;
  purpose: string;
  siteIds: string[];
}

export const emptyComponent: ComponentValues = {
  lotId: "",
  title: "",
  category: "transverse",
  subcategory: "",
  certificationCode: "",
  level: "",
  eFormation: false,
  offList: false,
  prerequisites: "",
  content: "",
  purpose: "",
  siteIds: [],
};

export const componentValuesFromForm = (body: FormBody): ComponentValues => ({
  lotId: str(body, "lotId"),
  title: str(body, "title"),
  category: str(body, "category"),
  subcategory: str(body, "subcategory"),
  certificationCode: str(body, "certificationCode"),
  level: str(body, "level"),
  eFormation: str(body, "eFormation") === "on",
  offList: str(body, "offList") === "on",
  prerequisites: str(body, "prerequisites"),
  content: str(body, "content"),
  purpose: str(body, "purpose"),
  siteIds: strs(body, "siteIds"),
});

const componentFields = ["lotId", "title", "category", "subcategory", "certificationCode", "level", "prerequisites", "content", "purpose", "siteIds"];

function TextArea(props: { name: string; label: string; value: string; hint?: string; error?: string }) {
  const id = `f-${props.name}`;
  return (
    <div class={props.error ? "field has-error" : "field"}>
      <label for={id}>{props.label}</label>
      {props.hint ? (
        <p class="hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      ) : null}
      <textarea id={id} name={props.name} aria-describedby={props.hint ? `${id}-hint` : undefined}>
        {props.value}
      </textarea>
      {props.error ? <p class="field-error">{props.error}</p> : null}
    </div>
  );
}

export function ComponentForm(props: {
  c: Ctx;
  action: string;
  checkUrl: string;
  values: ComponentValues;
  violations: Violation[];
  lots: { id: string; code: string; name: string; departements: string[] }[];
  sites: { id: string; name: string; commune: string; departement_code: string }[];
  submitLabel: string;
}) {
  const { values: v, violations } = props;
  const general = generalErrors(violations, componentFields);
  const siteError = errorFor(violations, "siteIds");
  return (
    <form method="post" action={props.action} hx-post={props.checkUrl} hx-trigger="change" hx-target="#checks" hx-swap="outerHTML">
      <CsrfField c={props.c} />
      {general.length > 0 ? <ViolationList violations={general} /> : null}
      <div class="grid">
        <Select
          name="lotId"
          label="Lot"
          value={v.lotId}
          required
          emptyLabel="— Choisir le lot —"
          error={errorFor(violations, "lotId")}
          options={props.lots.map((l) => ({ value: l.id, label: `${l.code} — ${l.name} (${l.departements.join(", ")})` }))}
        />
        <Field name="title" label="Intitulé de la composante" value={v.title} required error={errorFor(violations, "title")} />
        <Select
          name="category"
          label="Catégorie (CP-SCHEME-CATEGORIES)"
          value={v.category}
          required
          error={errorFor(violations, "category")}
          options={Object.entries(categoryLabels).map(([value, label]) => ({ value, label }))}
        />
        <SubcategorySelect value={v.subcategory} error={errorFor(violations, "subcategory")} />
        <Field
          name="certificationCode"
          label="Certification visée (RNCP ou RS)"
          value={v.certificationCode}
          hint="Exemple : RNCP12345 ou RS5678. Facultatif."
          error={errorFor(violations, "certificationCode")}
        />
        <Field
          name="level"
          label="Niveau de sortie"
          value={v.level}
          hint="Cadre national 2019 : 1 à 8 ; ancien niveau accepté : V, IV, III, II, I. Facultatif."
          error={errorFor(violations, "level")}
        />
      </div>
      <div class="field">
        <input type="checkbox" id="f-eFormation" name="eFormation" checked={v.eFormation} /> <label for="f-eFormation">Composante Occitanie e-formation</label>
      </div>
      <div class="field">
        <input type="checkbox" id="f-offList" name="offList" checked={v.offList} />{" "}
        <label for="f-offList">Composante hors liste (non attendue au lot, proposée par l'organisme)</label>
      </div>
      <TextArea name="prerequisites" label="Prérequis" value={v.prerequisites} hint="Publiés aux prescripteurs (CP-OFFER-INFO)." error={errorFor(violations, "prerequisites")} />
      <TextArea name="content" label="Contenu" value={v.content} error={errorFor(violations, "content")} />
      <TextArea name="purpose" label="Objectifs" value={v.purpose} error={errorFor(violations, "purpose")} />
      <fieldset aria-describedby={siteError ? "siteIds-err" : undefined}>
        <legend>Sites de réalisation (dans les départements du lot : CP-SITE-IN-LOT)</legend>
        {props.sites.length === 0 ? (
          <p>
            Aucun site déclaré : <a href="/offre/sites">déclarez d'abord vos sites</a>.
          </p>
        ) : null}
        {props.sites.map((s) => (
          <div>
            <input type="checkbox" id={`site-${s.id}`} name="siteIds" value={s.id} checked={v.siteIds.includes(s.id)} />{" "}
            <label for={`site-${s.id}`}>
              {s.name} — {s.commune} ({s.departement_code})
            </label>
          </div>
        ))}
        {siteError ? (
          <p class="field-error" id="siteIds-err">
            {siteError}
          </p>
        ) : null}
      </fieldset>
      <div class="actions">
        <button type="submit">{props.submitLabel}</button>
      </div>
    </form>
  );
}

/** The same checks as on submission, refreshed live by htmx (and on every page load). */
export function ChecksPanel(props: { violations: Violation[]; refreshUrl?: string }) {
  return (
    <div id="checks">
      <ViolationList violations={props.violations} title="Points à corriger avant de soumettre" />
      {props.refreshUrl ? (
        <p>
          <a href={props.refreshUrl} hx-get={`${props.refreshUrl}/verifier`} hx-target="#checks" hx-swap="outerHTML">
            Vérifier à nouveau
          </a>
        </p>
      ) : null}
    </div>
  );
}

export interface ModuleValues {
  title: string;
  duration: string;
  modality: string;
  contentTag: string;
  prepPart: string;
  position: string;
}

export const emptyModule: ModuleValues = { title: "", duration: "", modality: "centre", contentTag: "none", prepPart: "", position: "" };

// The module form's inputs are prefixed: the component form on the same page also has a "title".
const MODULE_FIELDS = ["title", "duration", "modality", "contentTag", "prepPart", "position"] as const;
const mf = (name: string) => `module_${name}`;

export const moduleValuesFromForm = (body: FormBody) =>
  Object.fromEntries(MODULE_FIELDS.map((f) => [f, str(body, mf(f))])) as unknown as ModuleValues;

/** Violations of the use case ("title") → the form's field names ("module_title"). */
export const moduleFieldViolations = (violations: Violation[]) =>
  violations.map((v) => (v.field && (MODULE_FIELDS as readonly string[]).includes(v.field) ? { ...v, field: mf(v.field) } : v));

/** What the use case takes: positions typed as text become numbers, empty means "at the end". */
export const moduleRaw = (v: ModuleValues) => ({
  title: v.title,
  duration: v.duration,
  modality: v.modality,
  contentTag: v.contentTag,
  prepPart: v.prepPart,
  position: /^\d+$/.test(v.position.trim()) ? Number(v.position) : undefined,
});

export const moduleValuesOf = (m: { title: string; minutes: number; modality: string; content_tag: string | null; prep_part: string | null; position: number }): ModuleValues => ({
  title: m.title,
  duration: m.minutes % 60 === 0 ? String(m.minutes / 60) : `${Math.floor(m.minutes / 60)}h${String(m.minutes % 60).padStart(2, "0")}`,
  modality: m.modality,
  contentTag: m.content_tag ?? "none",
  prepPart: m.prep_part ?? "",
  position: String(m.position),
});

export function ModuleForm(props: { c: Ctx; action: string; values: ModuleValues; violations: Violation[]; submitLabel: string; withPosition?: boolean }) {
  const { values: v } = props;
  const violations = moduleFieldViolations(props.violations);
  const general = generalErrors(violations, MODULE_FIELDS.map(mf));
  return (
    <form method="post" action={props.action}>
      <CsrfField c={props.c} />
      {general.length > 0 ? <ViolationList violations={general} /> : null}
      <div class="grid">
        <Field name={mf("title")} label="Intitulé du module" value={v.title} required error={errorFor(violations, mf("title"))} />
        <Field name={mf("duration")} label="Durée" value={v.duration} required hint="En heures : « 14 » ou « 3h30 »." error={errorFor(violations, mf("duration"))} />
        <Select
          name={mf("modality")}
          label="Modalité (CP-MODALITIES)"
          value={v.modality}
          required
          error={errorFor(violations, mf("modality"))}
          options={Object.entries(modalityLabels).map(([value, label]) => ({ value, label }))}
        />
        <Select name={mf("contentTag")} label="Contenu transverse" value={v.contentTag} error={errorFor(violations, mf("contentTag"))} options={contentTagOptions} />
        <Select
          name={mf("prepPart")}
          label="Partie (préparations spécifiques)"
          value={v.prepPart}
          emptyLabel="Sans objet"
          error={errorFor(violations, mf("prepPart"))}
          options={Object.entries(prepPartLabels).map(([value, label]) => ({ value, label }))}
        />
        {props.withPosition ? (
          <Field name={mf("position")} label="Ordre" type="number" value={v.position} error={errorFor(violations, mf("position"))} attrs={{ min: 0 }} />
        ) : null}
      </div>
      <div class="actions">
        <button type="submit">{props.submitLabel}</button>
      </div>
    </form>
  );
}

/**
 * « Sous-catégorie »: a list of the allowed codes grouped by category (CP-SCHEME-CATEGORIES), never a
 * typed code. A stored code that is no longer in the list stays shown, flagged, until another is picked.
 */
function SubcategorySelect(props: { value?: string | null; error?: string }) {
  const known = SUBCATEGORY_CODES.includes(props.value ?? "");
  return (
    <div class={props.error ? "field has-error" : "field"}>
      <label for="f-subcategory">Sous-catégorie</label>
      <p class="hint" id="f-subcategory-hint">
        « Numérique et logiciels » dispense du module usages du numérique (CP-TRANSVERSE-CONTENT).
      </p>
      <select id="f-subcategory" name="subcategory" aria-invalid={props.error ? "true" : undefined} aria-describedby={props.error ? "f-subcategory-hint f-subcategory-err" : "f-subcategory-hint"}>
        <option value="">Aucune</option>
        {props.value && !known ? (
          <option value={props.value} selected>
            « {props.value} » (hors liste : choisissez une sous-catégorie)
          </option>
        ) : null}
        {Object.entries(SUBCATEGORIES).map(([category, codes]) => (
          <optgroup label={categoryLabels[category as keyof typeof categoryLabels]}>
            {Object.entries(codes).map(([code, label]) => (
              <option value={code} selected={code === props.value}>
                {label}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
      {props.error ? (
        <p class="field-error" id="f-subcategory-err">
          {props.error}
        </p>
      ) : null}
    </div>
  );
}
