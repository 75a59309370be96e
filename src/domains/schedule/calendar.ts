// Calendar arithmetic of the schedule (pure): Europe/Paris wall-clock → instants, ISO weeks,
// French public holidays. Dates are 'YYYY-MM-DD' strings, times 'HH:MM'.
import { addDays } from "../../core/time.ts";

const parisParts = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/Paris",
  hourCycle: "h23",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
});

/** Offset of Europe/Paris from UTC at an instant, in milliseconds (+1 h in winter, +2 h in summer). */
function parisOffsetMs(instant: number): number {
  const p = Object.fromEntries(parisParts.formatToParts(new Date(instant)).map((x) => [x.type, x.value]));
  const asUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant of a Europe/Paris wall-clock time. The offset is read at the guessed instant and
 * re-read once, which is right on both sides of a DST change (daytime slots never fall in the gap).
 */
export function parisInstant(date: string, time: string): Date {
  const [y, mo, d] = date.split("-").map(Number);
  const [h, mi] = time.split(":").map(Number);
  const wall = Date.UTC(y, mo - 1, d, h, mi);
  let instant = wall - parisOffsetMs(wall);
  const again = wall - parisOffsetMs(instant);
  if (again !== instant) instant = again;
  return new Date(instant);
}

/** 'HH:MM' or 'HH:MM:SS' → minutes since midnight. */
export const minutesOfDay = (time: string): number => {
  const [h, m] = time.split(":").map(Number);
  return h * 60 + m;
};

export const hhmm = (time: string): string => time.slice(0, 5);

/** Planned minutes of a slot from its wall-clock times. */
export const slotMinutes = (startTime: string, endTime: string): number => minutesOfDay(endTime) - minutesOfDay(startTime);

/** 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: string): number {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day === 0 ? 7 : day;
}

/** The Monday of the Monday–Sunday week holding `date`. */
export const mondayOf = (date: string): string => addDays(date, 1 - isoWeekday(date));

/** ISO 8601 week of a date, as 'YYYY-Www' (the week belongs to the year of its Thursday). */
export function isoWeekOf(date: string): string {
  const thursday = addDays(mondayOf(date), 3);
  const year = Number(thursday.slice(0, 4));
  const firstThursday = addDays(mondayOf(`${year}-01-04`), 3);
  const week = 1 + Math.round((Date.parse(`${thursday}T00:00:00Z`) - Date.parse(`${firstThursday}T00:00:00Z`)) / (7 * 86_400_000));
  return `${year}-W${String(week).padStart(2, "0")}`;
}

/** Monday of an ISO week 'YYYY-Www'; undefined when unreadable or out of range. */
export function mondayOfIsoWeek(week: string): string | undefined {
  const m = /^(\d{4})-W(\d{2})$/.exec(week);
  if (!m) return undefined;
  const year = Number(m[1]);
  const n = Number(m[2]);
  if (n < 1 || n > 53) return undefined;
  const monday = addDays(mondayOf(`${year}-01-04`), (n - 1) * 7);
  return isoWeekOf(monday) === week ? monday : undefined;
}

/** Easter Sunday of a Gregorian year (anonymous Gregorian algorithm, Meeus/Jones/Butcher). */
export function easterSunday(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/** French public holidays of a year (Occitanie: no Alsace-Moselle days), date → name. */
export function publicHolidays(year: number): Map<string, string> {
  const easter = easterSunday(year);
  const fixed: [string, string][] = [
    ["01-01", "Jour de l'an"],
    ["05-01", "Fête du Travail"],
    ["05-08", "Victoire 1945"],
    ["07-14", "Fête nationale"],
    ["08-15", "Assomption"],
    ["11-01", "Toussaint"],
    ["11-11", "Armistice 1918"],
    ["12-25", "Noël"],
  ];
  const days = new Map<string, string>(fixed.map(([md, name]) => [`${year}-${md}`, name]));
  days.set(addDays(easter, 1), "Lundi de Pâques");
  days.set(addDays(easter, 39), "Ascension");
  days.set(addDays(easter, 50), "Lundi de Pentecôte");
  return days;
}

/** The holiday's name when `date` is a French public holiday. */
export const holidayOn = (date: string): string | undefined => publicHolidays(Number(date.slice(0, 4))).get(date);

const dayFormat = new Intl.DateTimeFormat("fr-FR", { weekday: "long", day: "numeric", month: "long", timeZone: "UTC" });
/** "lundi 2 mars". */
export const formatDayFr = (date: string): string => dayFormat.format(new Date(`${date}T00:00:00Z`));

/** "09:00" → "9 h", "13:30" → "13 h 30". */
export function formatTimeFr(time: string): string {
  const [h, m] = hhmm(time).split(":");
  return m === "00" ? `${Number(h)} h` : `${Number(h)} h ${m}`;
}
