// French as people write it (issue 10, point 3): elision before a name, dates and periods in words
// with months in lower case, times in Europe/Paris. Pages and mails format through here.

const ELIDES = /^[aeiouyhàâäéèêëîïôöùûü]/i;

/** « de » before a name, elided before a vowel or h: de("Inès Roux") → « d'Inès Roux », de("Paul") → « de Paul ». */
export function de(name: string): string {
  return ELIDES.test(name.trim()) ? `d'${name.trim()}` : `de ${name.trim()}`;
}

const MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"];

/** '2026-11-30' → « 30 novembre 2026 » (« 1er » on the first of the month). */
export function longDateFr(date: string): string {
  const [y, m, d] = date.split("-").map(Number);
  return `${d === 1 ? "1er" : d} ${MONTHS[m - 1]} ${y}`;
}

/** The week starting on Monday `monday`: « semaine du 30 novembre 2026 ». */
export const weekFr = (monday: string) => `semaine du ${longDateFr(monday)}`;

/** '2026-03' or '2026-03-15' → « mars 2026 ». */
export function monthFr(date: string): string {
  const [y, m] = date.split("-").map(Number);
  return `${MONTHS[m - 1]} ${y}`;
}

const PARIS_TIME = new Intl.DateTimeFormat("fr-FR", { timeZone: "Europe/Paris", hour: "2-digit", minute: "2-digit" });
const PARIS_DATE_TIME = new Intl.DateTimeFormat("fr-FR", { timeZone: "Europe/Paris", dateStyle: "short", timeStyle: "short" });

/** An instant as Paris wall-clock time: « 09:05 ». */
export const timeFr = (instant: Date | string) => PARIS_TIME.format(new Date(instant));
/** An instant as a Paris date and time: « 30/11/2026 09:05 ». */
export const dateTimeFr = (instant: Date | string) => PARIS_DATE_TIME.format(new Date(instant));

const PARIS_TIME_SECONDS = new Intl.DateTimeFormat("fr-FR", { timeZone: "Europe/Paris", timeStyle: "medium" });
const PARIS_DATE_TIME_SECONDS = new Intl.DateTimeFormat("fr-FR", { timeZone: "Europe/Paris", dateStyle: "short", timeStyle: "medium" });
const PARIS_LONG_DATE_TIME = new Intl.DateTimeFormat("fr-FR", { timeZone: "Europe/Paris", dateStyle: "long", timeStyle: "short" });

/** To the second, where the moment is evidence (signatures, sheets, audit): « 09:05:07 ». */
export const timeSecondsFr = (instant: Date | string) => PARIS_TIME_SECONDS.format(new Date(instant));
/** To the second, with the date: « 30/11/2026 09:05:07 » (what `toLocaleString("fr-FR")` printed). */
export const dateTimeSecondsFr = (instant: Date | string) => PARIS_DATE_TIME_SECONDS.format(new Date(instant));
/** In words: « 30 novembre 2026 à 09:05 ». */
export const longDateTimeFr = (instant: Date | string) => PARIS_LONG_DATE_TIME.format(new Date(instant));
