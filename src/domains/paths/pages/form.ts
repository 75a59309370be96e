// Turns the builder's plain HTML form into a PlanInput (and back), so the page works without JS.
import { parseDuration } from "../../../core/rules.ts";
import type { PlanInput } from "../schema.ts";
import type { PathDetail } from "../queries.ts";

export type FormBody = Record<string, string | File | (string | File)[]>;
const str = (v: unknown) => (typeof v === "string" ? v : "");

export interface PlanFormErrors {
  [field: string]: string;
}

/** Module rows: status_<id> = follow | exempt | skip; minutes_<id> as "14", "3h30"; reason_<id>; location_<id>. */
export function planFromForm(body: FormBody, modules: PathDetail["modules"]): { input: PlanInput; errors: PlanFormErrors } {
  const errors: PlanFormErrors = {};
  const items: PlanInput["items"] = [];
  for (const m of modules) {
    const status = str(body[`status_${m.id}`]) || "skip";
    if (status === "skip") continue;
    const raw = str(body[`minutes_${m.id}`]);
    const minutes = status === "exempt" ? 0 : parseDuration(raw || "0");
    if (minutes === undefined) errors[`minutes_${m.id}`] = `Durée illisible : « ${raw} » (ex. 14, 3h30).`;
    const reason = str(body[`reason_${m.id}`]).trim();
    if (status === "exempt" && !reason) errors[`reason_${m.id}`] = "Une dispense doit être motivée.";
    items.push({
      moduleId: m.id,
      modality: m.modality,
      selfStudyLocation: m.modality === "self_study" ? (str(body[`location_${m.id}`]) === "remote" ? "remote" : "centre") : null,
      plannedMinutes: minutes ?? 0,
      exempted: status === "exempt",
      exemptionReason: reason || undefined,
    });
  }
  const companyRaw = str(body.company_minutes).trim();
  if (companyRaw) {
    const minutes = parseDuration(companyRaw);
    if (minutes === undefined) errors.company_minutes = `Durée illisible : « ${companyRaw} » (ex. 35, 70h).`;
    else if (minutes > 0) {
      items.push({ moduleId: null, label: str(body.company_label).trim() || "Période en entreprise", modality: "company", selfStudyLocation: null, plannedMinutes: minutes, exempted: false });
    }
  }
  return {
    input: {
      siteId: str(body.siteId) || undefined,
      entryDate: str(body.entryDate),
      plannedExitDate: str(body.plannedExitDate),
      items,
      reason: str(body.reason).trim() || undefined,
    },
    errors,
  };
}

/** The form's values from what is saved (first display) — later displays echo what was typed. */
export function formFromPlan(detail: PathDetail): FormBody {
  const body: FormBody = {
    siteId: detail.head.site_id,
    entryDate: detail.head.entry_date,
    plannedExitDate: detail.head.planned_exit_date,
  };
  const fresh = detail.items.length === 0;
  for (const m of detail.modules) {
    const item = detail.items.find((i) => i.module_id === m.id);
    body[`status_${m.id}`] = item ? (item.exempted ? "exempt" : "follow") : fresh ? "follow" : "skip";
    body[`minutes_${m.id}`] = hoursText(item && !item.exempted ? item.planned_minutes : m.minutes);
    body[`reason_${m.id}`] = item?.exemption_reason ?? "";
    body[`location_${m.id}`] = item?.self_study_location ?? "centre";
  }
  const company = detail.items.filter((i) => i.module_id === null && i.modality === "company");
  body.company_minutes = company.length ? hoursText(company.reduce((s, i) => s + i.planned_minutes, 0)) : "";
  body.company_label = company[0]?.label ?? "";
  return body;
}

export function hoursText(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m === 0 ? String(h) : `${h}h${String(m).padStart(2, "0")}`;
}
