// Pure pieces of the Region's figures (CP-KPI-ORGANISATION, CP-KPI-EXAMS, CP-KPI-VAE, CP-KPI-EMPLOYMENT,
// CP-KPI-SATISFACTION): how a figure carries its base, and when a rate is too small to be shown.
import { addModality, addPositioning, type Totals, zeroTotals } from "../../core/modalities.ts";
import type { ModalityRow } from "./store.ts";

/** A rate computed on fewer people than this is not shown (statistical secrecy: a person could be recognised). */
export const MIN_RATE_BASE = 5;

export type Unit = "people" | "minutes" | "percent";

export interface Figure {
  key: string;
  /** The rule ID the figure answers (CP-KPI-…). */
  rule: string;
  label: string;
  unit: Unit;
  /** null: hidden (base under MIN_RATE_BASE) or no data yet; `status` says which. */
  value: number | null;
  status: "ok" | "small_base" | "no_data";
  /** How many people the figure is computed on, and what they are. */
  base: number | null;
  baseLabel: string;
}

/** A count of people: always shown, its base is itself. */
export const count = (key: string, rule: string, label: string, value: number, baseLabel: string): Figure => ({ key, rule, label, unit: "people", value, status: "ok", base: value, baseLabel });

/**
 * A rate in per-mille of `base` people (integer arithmetic, rounded half up), shown as a percentage with one
 * decimal; hidden under MIN_RATE_BASE people (4 hidden, 5 shown).
 */
export function rate(key: string, rule: string, label: string, numerator: number, base: number, baseLabel: string): Figure {
  if (base < MIN_RATE_BASE) return { key, rule, label, unit: "percent", value: null, status: "small_base", base, baseLabel };
  return { key, rule, label, unit: "percent", value: Math.floor((2000 * numerator + base) / (2 * base)) / 10, status: "ok", base, baseLabel };
}

/**
 * A share of `numerator` answers among `answers` given by `people` persons (CP-KPI-SATISFACTION): the rate
 * of `rate`, hidden like it under MIN_RATE_BASE people, its base being the people, not the answers.
 */
export function shareOf(key: string, rule: string, label: string, numerator: number, answers: number, people: number, baseLabel: string): Figure {
  if (people < MIN_RATE_BASE || answers === 0) return { ...rate(key, rule, label, 0, 0, baseLabel), base: people };
  return { ...rate(key, rule, label, numerator, answers, baseLabel), base: people };
}

/** Minutes, with the people they are counted on (an average hides under MIN_RATE_BASE people too). */
export const minutes = (key: string, rule: string, label: string, value: number, base: number, baseLabel: string): Figure => ({ key, rule, label, unit: "minutes", value, status: "ok", base, baseLabel });

export function average(key: string, rule: string, label: string, sum: number, base: number, baseLabel: string): Figure {
  if (base < MIN_RATE_BASE) return { key, rule, label, unit: "minutes", value: null, status: "small_base", base, baseLabel };
  return { key, rule, label, unit: "minutes", value: Math.round(sum / base), status: "ok", base, baseLabel };
}

/** A figure whose data come from a capability not on the platform yet: « pas encore de données », never a number. */
export const noData = (key: string, rule: string, label: string, baseLabel: string): Figure => ({ key, rule, label, unit: "percent", value: null, status: "no_data", base: null, baseLabel });

/** Minutes by modality, summed the way the ledger and the plan sum them (core/modalities, §12.1–12.2). */
export function totalsOf(rows: ModalityRow[]): Totals {
  const t = zeroTotals();
  for (const r of rows) {
    if (r.modality === "positioning") addPositioning(t, r.minutes);
    else addModality(t, r.modality, r.location, r.minutes);
  }
  return t;
}
