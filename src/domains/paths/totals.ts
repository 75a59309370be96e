// How a path's minutes add up, the one reading of REQUIREMENTS §12 used everywhere.
import type { ContentTag, Modality } from "../../core/db/schema.ts";

export interface PlanItem {
  moduleId: string | null;
  label: string;
  modality: Modality;
  selfStudyLocation: "remote" | "centre" | null;
  plannedMinutes: number;
  exempted: boolean;
  exemptionReason?: string | null;
  /** From the module: its transverse-content tag and its full duration. */
  contentTag?: ContentTag | null;
  moduleMinutes?: number | null;
}

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

export function planTotals(items: PlanItem[], positioningMinutes: number | null): Totals {
  const t = zeroTotals();
  t.positioning = positioningMinutes ?? 0;
  for (const item of items) {
    if (item.exempted) continue;
    const m = item.plannedMinutes;
    switch (item.modality) {
      case "company":
        t.company += m;
        break;
      case "centre":
        t.inPerson += m;
        break;
      case "distance":
        t.distance += m;
        break;
      case "self_study":
        t.selfStudy += m;
        if (item.selfStudyLocation === "remote") t.selfStudyRemote += m;
        break;
      case "gathering":
        t.gathering += m;
        break;
    }
  }
  t.centreMinutes = t.positioning + t.inPerson + t.distance + t.selfStudy + t.gathering;
  t.total = t.centreMinutes + t.company;
  return t;
}

export function addTotals(a: Totals, b: Totals): Totals {
  const r = zeroTotals();
  for (const k of Object.keys(r) as (keyof Totals)[]) r[k] = a[k] + b[k];
  return r;
}

/**
 * Order consumption of one path (CP-ORDER-FUNGIBLE, §12.5): realised + planned not yet realised,
 * modality by modality; a closed or dropped path counts only what it realised.
 */
export function consumedTotals(planned: Totals, realised: Totals, finished: boolean): Totals {
  if (finished) return realised;
  const r = zeroTotals();
  for (const k of Object.keys(r) as (keyof Totals)[]) r[k] = Math.max(planned[k], realised[k]);
  // The sums are rebuilt from the modalities: the max of two totals is not the total of the maxima.
  r.centreMinutes = r.positioning + r.inPerson + r.distance + r.selfStudy + r.gathering;
  r.total = r.centreMinutes + r.company;
  return r;
}
