import { randomUUID } from "node:crypto";

/** Injected so tests can fix "now" (ARCHITECTURE: time and ids come from providers). */
export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };
export const fixedClock = (iso: string): Clock => ({ now: () => new Date(iso) });

export const newId = (): string => randomUUID();

// One formatter for the process: building an Intl.DateTimeFormat costs ~0.15 ms, formatting with it ~1 µs.
const parisDay = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Paris", year: "numeric", month: "2-digit", day: "2-digit" });

/** Today's calendar date in Europe/Paris as 'YYYY-MM-DD'. */
export function parisDate(instant: Date): string {
  return parisDay.format(instant);
}

export const yearOf = (date: string): number => Number(date.slice(0, 4));

/** Adds calendar days to a 'YYYY-MM-DD' date. */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export function formatDateFr(date: string | null | undefined): string {
  if (!date) return "—";
  const [y, m, d] = date.split("-");
  return `${d}/${m}/${y}`;
}
