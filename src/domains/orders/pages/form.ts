// The order form's plain HTML fields ↔ OrderInput, so the page works without JS and echoes what was typed.
import { type FormBody, str, strs } from "../../../core/pages/forms.ts";
import { formatMinutes, parseDuration, type Violation } from "../../../core/rules.ts";
import * as rules from "../rules.ts";
import { eurosInput, type LineInput, parseEuros } from "../schema.ts";
import type { OrderDetail } from "../use-cases.ts";

/** One component row of the form, as typed (hours as "120" or "120 h 30"). */
export interface LineValues {
  included: boolean;
  headcount: string;
  centre: string;
  company: string;
  siteIds: string[];
}

export interface OrderFormValues {
  number: string;
  lotId: string;
  providerId: string;
  plannedStart: string;
  plannedEnd: string;
  headcount: string;
  unitPrice: string;
  coFunders: string;
  /** By component id. */
  lines: Record<string, LineValues>;
}

const LINE_FIELD = /^line_([0-9a-fA-F-]{36})_(include|headcount|centre|company|sites)$/;

export function valuesFromForm(body: FormBody): OrderFormValues {
  const lines: Record<string, LineValues> = {};
  for (const key of Object.keys(body)) {
    const m = LINE_FIELD.exec(key);
    if (!m) continue;
    lines[m[1]] ??= { included: false, headcount: "", centre: "", company: "", siteIds: [] };
    const l = lines[m[1]];
    if (m[2] === "include") l.included = str(body, key) === "1";
    else if (m[2] === "sites") l.siteIds = strs(body, key);
    else l[m[2] as "headcount" | "centre" | "company"] = str(body, key);
  }
  return {
    number: str(body, "number"),
    lotId: str(body, "lotId"),
    providerId: str(body, "providerId"),
    plannedStart: str(body, "plannedStart"),
    plannedEnd: str(body, "plannedEnd"),
    headcount: str(body, "headcount"),
    unitPrice: str(body, "unitPrice"),
    coFunders: str(body, "coFunders"),
    lines,
  };
}

/** Hours as typed → minutes; "" means 0 h. */
const hours = (s: string) => (s.trim() === "" ? 0 : parseDuration(s));
const count = (s: string) => (/^\s*\d+\s*$/.test(s) ? Number(s) : undefined);

export const coFundersOf = (text: string) =>
  text
    .split(/[\n;]/)
    .map((s) => s.trim())
    .filter(Boolean);

export interface ParsedForm {
  input: Record<string, unknown>;
  /** Component id of each line of `input.lines`, so `lines.<i>.*` errors land on the right row. */
  lineComponents: string[];
  violations: Violation[];
}

/** Form → API-shaped input; unreadable numbers become field violations (the rules run on the rest). */
export function inputFromValues(v: OrderFormValues): ParsedForm {
  const violations: Violation[] = [];
  const bad = (field: string, message: string) => violations.push({ code: "VALIDATION", severity: "error", message, article: "", field });
  const headcount = count(v.headcount);
  if (headcount === undefined) bad("headcount", "Effectif prévisionnel : nombre entier attendu.");
  const unitPriceCents = parseEuros(v.unitPrice);
  if (unitPriceCents === undefined) bad("unitPrice", `Prix horaire illisible : « ${v.unitPrice} » (ex. 12,50).`);
  const lineComponents: string[] = [];
  const lines: LineInput[] = [];
  for (const [componentId, l] of Object.entries(v.lines)) {
    if (!l.included) continue;
    const i = lines.length;
    const lineHeadcount = count(l.headcount);
    const centre = hours(l.centre);
    const company = hours(l.company);
    if (lineHeadcount === undefined) bad(`lines.${i}.headcount`, "Effectif : nombre entier attendu.");
    if (centre === undefined) bad(`lines.${i}.averagePathCentreMinutes`, `Durée illisible : « ${l.centre} » (ex. 120, 120 h 30).`);
    if (company === undefined) bad(`lines.${i}.averagePathCompanyMinutes`, `Durée illisible : « ${l.company} » (ex. 35, 70 h).`);
    lineComponents.push(componentId);
    lines.push({ componentId, siteIds: l.siteIds, headcount: lineHeadcount ?? 0, averagePathCentreMinutes: centre ?? 0, averagePathCompanyMinutes: company ?? 0 });
  }
  return {
    input: {
      number: v.number,
      lotId: v.lotId,
      providerId: v.providerId,
      plannedStart: v.plannedStart,
      plannedEnd: v.plannedEnd,
      headcount: headcount ?? 0,
      unitPriceCents: unitPriceCents ?? 0,
      coFunders: coFundersOf(v.coFunders),
      lines,
    },
    lineComponents,
    violations,
  };
}

/** The ordered minutes of what is typed, unreadable figures counted as 0 (the live totals). */
export function orderedFromValues(v: OrderFormValues, titles: Map<string, string>) {
  const lines = Object.entries(v.lines)
    .filter(([, l]) => l.included)
    .map(([componentId, l]) => {
      const line = { headcount: count(l.headcount) ?? 0, averagePathCentreMinutes: hours(l.centre) ?? 0, averagePathCompanyMinutes: hours(l.company) ?? 0 };
      return { componentId, title: titles.get(componentId) ?? "Composante", ...line, ordered: rules.lineOrderedMinutes(line) };
    });
  return { lines, total: rules.orderOrderedMinutes(lines) };
}

/** Durations shown in the form: "120" for 120 h, "120 h 30" otherwise. */
export const hoursInput = (minutes: number) => (minutes % 60 === 0 ? String(minutes / 60) : formatMinutes(minutes).replace(" min", ""));

export function valuesFromOrder(detail: OrderDetail): OrderFormValues {
  const o = detail.order;
  const lines: Record<string, LineValues> = {};
  for (const l of detail.lines) {
    lines[l.componentId] = {
      included: true,
      headcount: String(l.headcount),
      centre: hoursInput(l.averagePathCentreMinutes),
      company: hoursInput(l.averagePathCompanyMinutes),
      siteIds: l.sites.map((s) => s.id),
    };
  }
  return {
    number: o.number,
    lotId: o.lot_id,
    providerId: o.provider_id,
    plannedStart: o.planned_start,
    plannedEnd: o.planned_end,
    headcount: String(o.headcount),
    unitPrice: eurosInput(o.unit_price_cents),
    coFunders: o.co_funders.join("\n"),
    lines,
  };
}

export { attempt, type FormBody, formBody, str, strs } from "../../../core/pages/forms.ts";
