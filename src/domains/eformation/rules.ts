// Pure rules of Occitanie e-formation (CCTP §3.3), one function per rule ID; no I/O.
import { err, formatMinutes, type RuleResult, warn } from "../../core/rules.ts";

const ARTICLE = "CCTP §3.3";

/** A week's minutes split by kind of sequence: tutorat (synchronous), self-study (asynchronous), gatherings (physical, synchronous). */
export interface WeekSplit {
  tutorat: number;
  selfStudy: number;
  gatherings: number;
}

export const MINUTES_PER_WEEK = 7 * 24 * 60;

export const syncMinutes = (w: WeekSplit) => w.tutorat + w.gatherings;
export const totalMinutes = (w: WeekSplit) => w.tutorat + w.selfStudy + w.gatherings;

/**
 * CP-EFORM-TYPICAL-WEEK: the typical week of an e-formation component is a real split of a week:
 * whole minutes, none negative, some teaching, no more than the week holds.
 */
export function typicalWeek(w: WeekSplit): RuleResult {
  const parts = [w.tutorat, w.selfStudy, w.gatherings];
  if (parts.some((m) => !Number.isInteger(m) || m < 0)) return err("CP-EFORM-TYPICAL-WEEK", ARTICLE, "Chaque durée de la semaine type est un nombre entier de minutes, positif ou nul.");
  const total = totalMinutes(w);
  if (total === 0) return err("CP-EFORM-TYPICAL-WEEK", ARTICLE, "La semaine type compte au moins une séquence (tutorat, autoformation ou regroupement).", "tutorat");
  if (total > MINUTES_PER_WEEK) return err("CP-EFORM-TYPICAL-WEEK", ARTICLE, `La semaine type dépasse la durée d'une semaine (${formatMinutes(total)}).`, "tutorat", { total });
  return undefined;
}

/** The synchronous share of a split in whole percent, rounded down (shown to people; the rule compares minutes). */
export const syncPercent = (w: WeekSplit) => (totalMinutes(w) === 0 ? 0 : Math.floor((syncMinutes(w) * 100) / totalMinutes(w)));

/**
 * CP-EFORM-SYNC-MIN: synchronous minutes (tutorat + gatherings) are at least the lot's minimum share of
 * the total, compared on minutes (sync × 100 ≥ minimum × total: exactly at the minimum passes). Hard on
 * the declared typical week (`on: "week"`), a warning on a path's plan (`on: "plan"`). No minimum set
 * for the lot: nothing to judge.
 */
export function syncMin(w: WeekSplit, minPercent: number | null | undefined, on: "week" | "plan", who = ""): RuleResult {
  if (minPercent === null || minPercent === undefined) return undefined;
  const total = totalMinutes(w);
  if (total === 0) return undefined;
  const sync = syncMinutes(w);
  if (sync * 100 >= minPercent * total) return undefined;
  const needed = Math.ceil((minPercent * total) / 100);
  const details = { syncMinutes: sync, totalMinutes: total, minPercent, neededMinutes: needed };
  if (on === "week") {
    return err(
      "CP-EFORM-SYNC-MIN",
      ARTICLE,
      `Le temps synchrone de la semaine type (tutorat + regroupements : ${formatMinutes(sync)} sur ${formatMinutes(total)}) est sous le minimum du lot (${minPercent} %, soit ${formatMinutes(needed)}).`,
      "tutorat",
      details,
    );
  }
  return warn(
    "CP-EFORM-SYNC-MIN",
    ARTICLE,
    `${who ? `${who} : ` : ""}le temps synchrone prévu au parcours (tutorat + regroupements : ${formatMinutes(sync)} sur ${formatMinutes(total)}) est sous le minimum du lot (${minPercent} %, soit ${formatMinutes(needed)}).`,
    undefined,
    details,
  );
}

/** A path item's minutes in the split: distance is tutorat, self-study is self-study, gatherings and in-centre time are synchronous in person; company time is outside. */
export function planSplit(items: { modality: string; minutes: number; exempted?: boolean }[]): WeekSplit {
  const w: WeekSplit = { tutorat: 0, selfStudy: 0, gatherings: 0 };
  for (const i of items) {
    if (i.exempted) continue;
    if (i.modality === "distance") w.tutorat += i.minutes;
    else if (i.modality === "self_study") w.selfStudy += i.minutes;
    else if (i.modality === "gathering" || i.modality === "centre") w.gatherings += i.minutes;
  }
  return w;
}
