/** Exponential backoff after the n-th failed attempt (n ≥ 1): base, 2·base, 4·base… capped. */
export function backoffMs(attempts: number, baseMs: number, maxMs: number): number {
  const exponent = Math.min(Math.max(attempts - 1, 0), 20);
  return Math.min(baseMs * 2 ** exponent, maxMs);
}

export type JobLog = (message: string) => void;
export const consoleLog: JobLog = (message) => console.warn(message);
