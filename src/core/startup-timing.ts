// Where a start spends its time (docs/performance.md, « Démarrage de la démo »): each phase is marked
// with the time since the process began; STARTUP_TIMING=1 prints them once the server listens.
import { performance } from "node:perf_hooks";

const marks: { label: string; at: number }[] = [];

/** Records that `label` just finished (milliseconds since the process started). */
export function markStartup(label: string): void {
  marks.push({ label, at: Math.round(performance.now()) });
}

/** The phases so far, each with its own duration; empty unless STARTUP_TIMING=1 asked for them. */
export function startupTimings(): string[] {
  if (process.env.STARTUP_TIMING !== "1") return [];
  let previous = 0;
  return marks.map(({ label, at }) => {
    const line = `  ${label.padEnd(28)} ${String(at - previous).padStart(6)} ms (à ${at} ms)`;
    previous = at;
    return line;
  });
}
