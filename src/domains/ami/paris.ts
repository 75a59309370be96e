// Europe/Paris wall-clock times of the call (AMI-CALL-DEADLINE): a date and time typed in Paris
// become one instant, and instants are shown back in Paris.
const parts = (d: Date) =>
  Object.fromEntries(
    new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Paris", hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" })
      .formatToParts(d)
      .map((p) => [p.type, p.value]),
  );

/** Minutes Paris is ahead of UTC at this instant (60 in winter, 120 in summer). */
function offsetMinutes(d: Date): number {
  const p = parts(d);
  const asUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  return Math.round((asUtc - Math.floor(d.getTime() / 1000) * 1000) / 60_000);
}

/** '2024-02-20' + '12:00' in Paris → the instant (2024-02-20T11:00:00Z). */
export function parisInstant(date: string, time: string): Date {
  const naive = Date.parse(`${date}T${time}:00Z`);
  let t = naive - offsetMinutes(new Date(naive)) * 60_000;
  t = naive - offsetMinutes(new Date(t)) * 60_000;
  return new Date(t);
}

/** "20/02/2024 à 12:00" (Paris). */
export function formatParis(d: Date): string {
  const p = parts(d);
  return `${p.day}/${p.month}/${p.year} à ${p.hour}:${p.minute}${p.second !== "00" ? `:${p.second}` : ""}`;
}

/** The Paris date and time of an instant, for a form: ['2024-02-20', '12:00']. */
export function parisDateTime(d: Date): [string, string] {
  const p = parts(d);
  return [`${p.year}-${p.month}-${p.day}`, `${p.hour}:${p.minute}`];
}
