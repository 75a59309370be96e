// Small form parts of the exit pages: several forms share a page, so every input id carries its form's
// prefix (the core Field and Select take it as `form`); the text area and the checkbox have no core twin.
import type { Violation } from "../../../core/rules.ts";

export const errOf = (vs: Violation[] | undefined, field: string) => vs?.find((v) => v.field === field && v.severity === "error")?.message;

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
