// Pure rules of the realised-hours ledger (no I/O). The ledger's SQL aggregation (store.ts) applies
// CP-ATTENDANCE-REALISED and CP-SELFSTUDY-PRESENCE row by row; what is judged on its figures lives here.
import { formatMinutes, type RuleResult, type Violation } from "../../core/rules.ts";
import { addModality, addPositioning, type Totals, zeroTotals } from "../../core/modalities.ts";
import type { Modality } from "../../core/db/schema.ts";

/** Realised minutes by modality: the same shape and sums as the planned side (core/modalities). */
export type RealisedMinutes = Totals;
export const zeroRealised = zeroTotals;
export { addModality };
export type SlotModality = Modality;

/** Adds one ledger row (a slot modality's proved minutes, or the recorded positioning) to `t`, in place. */
export function addRealised(t: RealisedMinutes, row: { modality: SlotModality | "positioning"; location: "remote" | "centre" | null; realised: number }): RealisedMinutes {
  return row.modality === "positioning" ? addPositioning(t, row.realised) : addModality(t, row.modality, row.location, row.realised);
}

export interface RegionCategories {
  /** In person: centre sessions, e-formation gatherings and positioning. */
  centre: number;
  company: number;
  /** FAD: synchronous distance (tutorat). */
  distance: number;
  selfStudy: number;
  selfStudyRemote: number;
  selfStudyCentre: number;
}

/** CP-MODALITIES: the Region's four reporting categories (self-study split remote / in centre). */
export function regionCategories(t: RealisedMinutes): RegionCategories {
  return {
    centre: t.inPerson + t.gathering + t.positioning,
    company: t.company,
    distance: t.distance,
    selfStudy: t.selfStudy,
    selfStudyRemote: t.selfStudyRemote,
    selfStudyCentre: t.selfStudy - t.selfStudyRemote,
  };
}

/**
 * CP-EFORM-BILLING: e-formation is paid in group-hours on synchronous slots (tutorat + gatherings)
 * only, each counted once whatever the group size, and only when at least one trainee signed.
 */
export function eFormationGroupMinutes(slots: { modality: SlotModality; minutes: number; signedCount: number }[]): number {
  let minutes = 0;
  for (const s of slots) {
    if (s.modality !== "distance" && s.modality !== "gathering") continue;
    if (s.signedCount >= 1) minutes += s.minutes;
  }
  return minutes;
}

export interface BillingCap {
  /** Minutes billable this period once the cap applied. */
  billable: number;
  /** Minutes left out by the cap. */
  capped: number;
  violation: RuleResult;
}

/**
 * CP-BILLING-REALISED: billed minutes never exceed the ordered volume. The cap is cumulative over
 * the order: what earlier periods billed is taken first. Exactly the ordered volume is not capped.
 */
export function billingCap(orderedMinutes: number, billableBefore: number, realisedThisPeriod: number): BillingCap {
  const room = Math.max(0, orderedMinutes - billableBefore);
  const billable = Math.min(realisedThisPeriod, room);
  const capped = realisedThisPeriod - billable;
  const violation: Violation | undefined =
    capped > 0
      ? {
          code: "CP-BILLING-REALISED",
          severity: "warning",
          article: "CCTP §3.2.2.2, §2.5",
          message: `Les heures réalisées dépassent le volume commandé (${formatMinutes(orderedMinutes)}) : ${formatMinutes(capped)} ne sont pas facturables (CP-BILLING-REALISED).`,
          details: { orderedMinutes, billableBefore, realisedThisPeriod, capped },
        }
      : undefined;
  return { billable, capped, violation };
}

/** Cents for minutes at an hourly price (rounded to the cent once, on the total). */
export const amountCents = (minutes: number, unitPriceCents: number) => Math.round((minutes * unitPriceCents) / 60);
