// Small form parts of the AMI pages (labelled text areas, checkbox and radio groups).
import type { Ctx } from "../../../core/http/context.ts";
import { errorFor } from "../../../core/pages/layout.tsx";
import type { Violation } from "../../../core/rules.ts";
import { type ApplicationStatus, statusLabels } from "../rules.ts";

export const pdfResponse = (c: Ctx, pdf: Buffer | Uint8Array, filename: string, type = "application/pdf") =>
  c.body(new Uint8Array(pdf), 200, { "content-type": type, "content-disposition": `attachment; filename="${filename.replace(/["\\\r\n]/g, "_")}"`, "cache-control": "private, no-store" });

export function TextArea(props: { name: string; label: string; value?: string | null; hint?: string; required?: boolean; rows?: number; violations?: Violation[] }) {
  const id = `f-${props.name}`;
  const error = props.violations ? errorFor(props.violations, props.name) : undefined;
  const describedBy = [props.hint ? `${id}-hint` : "", error ? `${id}-err` : ""].filter(Boolean).join(" ");
  return (
    <div class={error ? "field has-error" : "field"}>
      <label for={id}>
        {props.label}
        {props.required ? <span aria-hidden="true"> *</span> : null}
      </label>
      {props.hint ? (
        <p class="hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      ) : null}
      <textarea id={id} name={props.name} rows={props.rows ?? 3} required={props.required} aria-invalid={error ? "true" : undefined} aria-describedby={describedBy || undefined}>
        {props.value ?? ""}
      </textarea>
      {error ? (
        <p class="field-error" id={`${id}-err`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

export function Choices(props: { name: string; legend: string; type: "checkbox" | "radio"; options: { value: string; label: string }[]; checked: string[]; violations?: Violation[]; hint?: string }) {
  const error = props.violations ? errorFor(props.violations, props.name) : undefined;
  return (
    <fieldset class={error ? "field has-error" : "field"} aria-describedby={error ? `f-${props.name}-err` : undefined}>
      <legend>{props.legend}</legend>
      {props.hint ? <p class="hint">{props.hint}</p> : null}
      {props.options.map((o, i) => (
        <div>
          <input type={props.type} id={`f-${props.name}-${i}`} name={props.name} value={o.value} checked={props.checked.includes(o.value)} />{" "}
          <label for={`f-${props.name}-${i}`}>{o.label}</label>
        </div>
      ))}
      {error ? (
        <p class="field-error" id={`f-${props.name}-err`}>
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}

export const StatusBadge = (props: { status: ApplicationStatus }) => <span class={`badge ${props.status === "not_retained" ? "refused" : props.status === "draft" ? "draft" : "validated"}`}>{statusLabels[props.status]}</span>;

export const frDate = (d: string | null | undefined) => (d ? d.split("-").reverse().join("/") : "—");
