// The one reading of dates, times and texts typed by people or sent by programs (§12.10: Paris
// calendar dates, UTC instants). Every domain's schema builds on these, so 30 February, year 0000,
// a NUL byte or a 100 MB password is a French 400 naming the field, never a database error.
import { z } from "zod";

// Messages zod writes itself (a missing field, a wrong type) are in French like ours.
z.config(z.locales.fr());

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** Years a date of this scheme can carry (a birth date in 1920, an order in 2026). */
const FIRST_YEAR = 1900;
const LAST_YEAR = 2100;

/** True for a real day of the Gregorian calendar between 1900 and 2100 ('2026-02-30' is false). */
export function isCalendarDate(s: string): boolean {
  const m = DATE.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < FIRST_YEAR || y > LAST_YEAR || mo < 1 || mo > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, mo, 0)).getUTCDate();
}

const prefix = (label?: string) => (label ? `${label} : ` : "");

/** A calendar date 'AAAA-MM-JJ' that exists. */
export const calendarDate = (label?: string) =>
  z
    .string()
    .max(10, `${prefix(label)}date attendue au format AAAA-MM-JJ.`)
    .regex(DATE, `${prefix(label)}date attendue au format AAAA-MM-JJ.`)
    .refine(isCalendarDate, `${prefix(label)}cette date n'existe pas (entre 1900 et 2100).`);

/** A clock time 'HH:MM' (a trailing ':00' from a browser is dropped). */
export const clockTime = (label?: string) =>
  z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d(:00)?$/, `${prefix(label)}heure attendue au format HH:MM.`)
    .transform((s) => s.slice(0, 5));

/** An instant with its offset (ISO 8601), on a real day. */
export const instant = (label?: string) =>
  z
    .string()
    .max(40)
    .datetime({ offset: true, message: `${prefix(label)}date et heure attendues au format ISO 8601 avec fuseau.` })
    .refine((s) => isCalendarDate(s.slice(0, 10)), `${prefix(label)}cette date n'existe pas.`);

/** An ISO week 'AAAA-Www' (weeks 01 to 53). */
export const isoWeek = z.string().regex(/^(19|20)\d{2}-W(0[1-9]|[1-4]\d|5[0-3])$/, "Semaine attendue au format AAAA-Www (ex. 2026-W10).");

/** A month 'AAAA-MM'. */
export const yearMonth = z.string().regex(/^(19|20)\d{2}-(0[1-9]|1[0-2])$/, "Mois attendu au format AAAA-MM.");

/** False for NUL and other control characters (tab and line breaks aside) and lone surrogates: not storable as UTF-8 text. */
export function storable(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return false;
    if (c >= 0xdc00 && c <= 0xdfff) return false;
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return false;
      i++;
    }
  }
  return true;
}

/** A trimmed text of at most `max` characters that PostgreSQL can store. */
export const text = (max: number, label?: string) =>
  z
    .string()
    .max(max * 4, `${prefix(label)}${max} caractères au plus.`) // before trimming: a bound on work too
    .trim()
    .max(max, `${prefix(label)}${max} caractères au plus.`)
    .refine(storable, `${prefix(label)}le texte contient un caractère invalide.`);

/** Passwords: long passphrases welcome, but a bounded hash input (argon2 on 100 MB is a denial of service). */
export const PASSWORD_MAX = 256;

/** An e-mail address (RFC 5321 caps a path at 254 characters), lower-cased as login compares it. */
export const email = (message = "Adresse e-mail invalide.") => z.string().trim().max(254, message).toLowerCase().email(message);

/** True for an absolute http(s) address with a host: the only links a page may render from stored text. */
export function isHttpUrl(s: string | null | undefined): s is string {
  if (!s) return false;
  try {
    const u = new URL(s);
    return (u.protocol === "http:" || u.protocol === "https:") && u.hostname !== "" && !/\s/.test(s);
  } catch {
    return false;
  }
}

/**
 * A web address a person types (virtual class, videoconference, website): http or https only. A
 * `javascript:` or `data:` link would run in the browser of whoever clicks it (a trainee's planning).
 */
export const httpUrl = (label: string, max = 500) =>
  z
    .url({ protocol: /^https?$/, error: `${label} : adresse web attendue, commençant par https:// ou http:// (ex. https://visio.exemple.fr/salle).` })
    .trim()
    .max(max, `${label} : ${max} caractères au plus.`)
    .refine((s) => isHttpUrl(s) && storable(s), `${label} : adresse web attendue, commençant par https:// ou http:// (ex. https://visio.exemple.fr/salle).`);
