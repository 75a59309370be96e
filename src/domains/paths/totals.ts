// How a path's minutes add up, the one reading of docs/requirements.md §12 used everywhere.
import type { ContentTag, Modality } from "../../core/db/schema.ts";
import { addModality, addPositioning, type Totals, zeroTotals } from "../../core/modalities.ts";

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

export type { Totals } from "../../core/modalities.ts";
export { addTotals, zeroTotals } from "../../core/modalities.ts";

export function planTotals(items: PlanItem[], positioningMinutes: number | null): Totals {
  const t = zeroTotals();
  t.positioning = positioningMinutes ?? 0;
  t.centreMinutes = t.total = t.positioning;
  for (const item of items) {
    if (!item.exempted) addModality(t, item.modality, item.selfStudyLocation, item.plannedMinutes);
  }
  return t;
}

/**
 * The realised side of a path judged with a positioning of `positioningMinutes`: a recorded
 * positioning is realised (§12.1, read by the ledger), so a positioning being recorded or changed
 * replaces the stored one in the realised totals it is judged on (CP-PATH-MAX-200H on realised).
 */
export function withPositioning(realised: Totals, positioningMinutes: number | null): Totals {
  const r = { ...realised, positioning: 0 };
  return addPositioning(r, positioningMinutes ?? 0);
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
