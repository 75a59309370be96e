// Small form parts of the exit pages: several forms share a page, so every input id carries its form's prefix.
import type { Violation } from "../../../core/rules.ts";

export const errOf = (vs: Violation[] | undefined, field: string) => vs?.find((v) => v.field === field && v.severity === "error")?.message;

export function In(props: { form: string; name: string; label: string; type?: string; value?: string | number | null; required?: boolean; hint?: string; error?: string; attrs?: Record<string, string | number | boolean | undefined> }) {
  const id = `f-${props.form}-${props.name}`;
  const described = [props.hint ? `${id}-hint` : "", props.error ? `${id}-err` : ""].filter(Boolean).join(" ");
  return (
    <div class={props.error ? "field has-error" : "field"}>
      <label for={id}>
        {props.label}
        {props.required ? <span aria-hidden="true"> *</span> : null}
      </label>
      {props.hint ? (
        <p class="hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      ) : null}
      <input id={id} name={props.name} type={props.type ?? "text"} value={props.value ?? ""} required={props.required} aria-invalid={props.error ? "true" : undefined} aria-describedby={described || undefined} {...(props.attrs ?? {})} />
      {props.error ? (
        <p class="field-error" id={`${id}-err`}>
          {props.error}
        </p>
      ) : null}
    </div>
  );
}

export function Area(props: { form: string; name: string; label: string; value?: string | null; required?: boolean; error?: string }) {
  const id = `f-${props.form}-${props.name}`;
  return (
    <div class={props.error ? "field has-error" : "field"}>
      <label for={id}>
        {props.label}
        {props.required ? <span aria-hidden="true"> *</span> : null}
      </label>
      <textarea id={id} name={props.name} rows={3} required={props.required} aria-invalid={props.error ? "true" : undefined} aria-describedby={props.error ? `${id}-err` : undefined}>
        {props.value ?? ""}
      </textarea>
      {props.error ? (
        <p class="field-error" id={`${id}-err`}>
          {props.error}
        </p>
      ) : null}
    </div>
  );
}

export function Pick(props: { form: string; name: string; label: string; options: { value: string; label: string }[]; value?: string | null; required?: boolean; error?: string; empty?: string }) {
  const id = `f-${props.form}-${props.name}`;
  return (
    <div class={props.error ? "field has-error" : "field"}>
      <label for={id}>
        {props.label}
        {props.required ? <span aria-hidden="true"> *</span> : null}
      </label>
      <select id={id} name={props.name} required={props.required} aria-invalid={props.error ? "true" : undefined} aria-describedby={props.error ? `${id}-err` : undefined}>
        {props.empty !== undefined ? <option value="">{props.empty}</option> : null}
        {props.options.map((o) => (
          <option value={o.value} selected={o.value === props.value}>
            {o.label}
          </option>
        ))}
      </select>
      {props.error ? (
        <p class="field-error" id={`${id}-err`}>
          {props.error}
        </p>
      ) : null}
    </div>
  );
}

export function Check(props: { form: string; name: string; label: string; checked?: boolean }) {
  const id = `f-${props.form}-${props.name}`;
  return (
    <div class="field checkbox">
      <input type="checkbox" id={id} name={props.name} value="1" checked={props.checked} />
      <label for={id}>{props.label}</label>
    </div>
  );
}

export const options = <K extends string>(labels: Record<K, string>) => (Object.entries(labels) as [K, string][]).map(([value, label]) => ({ value, label }));
