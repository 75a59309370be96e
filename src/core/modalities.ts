// Minutes by modality (CP-MODALITIES) and how they add up (docs/requirements.md §12.1–12.2): one reading,
// shared by the planned side (paths) and the realised side (ledger).
import type { Modality } from "./db/schema.ts";

export interface Totals {
  /** Every modality, positioning included (§12.1). */
  total: number;
  company: number;
  /** All non-company minutes, positioning included (§12.2): the base of the caps. */
  centreMinutes: number;
  /** In-person only — the Region's reporting "centre" category (not the caps' base). */
  inPerson: number;
  distance: number;
  selfStudy: number;
  selfStudyRemote: number;
  gathering: number;
  positioning: number;
}

export const zeroTotals = (): Totals => ({
  total: 0,
  company: 0,
  centreMinutes: 0,
  inPerson: 0,
  distance: 0,
  selfStudy: 0,
  selfStudyRemote: 0,
  gathering: 0,
  positioning: 0,
});

/** Adds `minutes` of one modality to `t` (in place) and keeps the two sums consistent. */
export function addModality(t: Totals, modality: Modality, location: "remote" | "centre" | null, minutes: number): Totals {
  switch (modality) {
    case "company":
      t.company += minutes;
      break;
    case "centre":
      t.inPerson += minutes;
      break;
    case "distance":
      t.distance += minutes;
      break;
    case "self_study":
      t.selfStudy += minutes;
      if (location === "remote") t.selfStudyRemote += minutes;
      break;
    case "gathering":
      t.gathering += minutes;
      break;
  }
  t.centreMinutes = t.positioning + t.inPerson + t.distance + t.selfStudy + t.gathering;
  t.total = t.centreMinutes + t.company;
  return t;
}

/**
 * Adds recorded positioning minutes to `t` (in place): positioning counts in the path (§12.1), in
 * its centre minutes (§12.2), planned and realised alike.
 */
export function addPositioning(t: Totals, minutes: number): Totals {
  t.positioning += minutes;
  t.centreMinutes = t.positioning + t.inPerson + t.distance + t.selfStudy + t.gathering;
  t.total = t.centreMinutes + t.company;
  return t;
}

export function addTotals(a: Totals, b: Totals): Totals {
  const r = zeroTotals();
  for (const k of Object.keys(r) as (keyof Totals)[]) r[k] = a[k] + b[k];
  return r;
}
