// Timing helpers shared by the database benches (growth-db, region-desk): p50/p95 of repeated runs
// within a time budget, the ratio to a raw-SQL baseline, and the growth exponent between two sizes.
import { performance } from "node:perf_hooks";

export interface Timing {
  n: number;
  p50_ms: number;
  p95_ms: number;
}

/** Runs `fn` once to warm up (unless `warmup: false`), then at least `min` and at most `max` times, stopping once `budgetMs` is spent. */
export async function measure(fn: () => Promise<unknown>, o: { min?: number; max?: number; budgetMs?: number; warmup?: boolean } = {}): Promise<Timing> {
  const min = o.min ?? 3;
  const max = o.max ?? 30;
  const budget = o.budgetMs ?? 10_000;
  if (o.warmup !== false) await fn();
  const samples: number[] = [];
  const start = performance.now();
  while (samples.length < max && (samples.length < min || performance.now() - start < budget)) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.ceil(q * samples.length) - 1)];
  return { n: samples.length, p50_ms: +at(0.5).toFixed(2), p95_ms: +at(0.95).toFixed(2) };
}

/**
 * Times `fns` taking turns (a, b, a, b…) after one warm-up run of each: on a machine whose load moves, two
 * blocks timed one after the other see different loads and their ratio measures the load, not the code.
 */
export async function measureTurns(fns: (() => Promise<unknown>)[], o: { min?: number; max?: number; budgetMs?: number } = {}): Promise<Timing[]> {
  const min = o.min ?? 3;
  const max = o.max ?? 30;
  const budget = o.budgetMs ?? 10_000;
  for (const fn of fns) await fn();
  const samples: number[][] = fns.map(() => []);
  const start = performance.now();
  while (samples[0].length < max && (samples[0].length < min || performance.now() - start < budget)) {
    for (const [i, fn] of fns.entries()) {
      const t0 = performance.now();
      await fn();
      samples[i].push(performance.now() - t0);
    }
  }
  return samples.map(timing);
}

/** `a` and `b` taking turns (measureTurns). */
export async function measurePair(a: () => Promise<unknown>, b: () => Promise<unknown>, o: { min?: number; max?: number; budgetMs?: number } = {}): Promise<[Timing, Timing]> {
  const [ta, tb] = await measureTurns([a, b], o);
  return [ta, tb];
}

function timing(samples: number[]): Timing {
  samples.sort((x, y) => x - y);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.ceil(q * samples.length) - 1)];
  return { n: samples.length, p50_ms: +at(0.5).toFixed(2), p95_ms: +at(0.95).toFixed(2) };
}

export const ratio = (app: Timing, raw: Timing) => +(app.p50_ms / Math.max(raw.p50_ms, 0.01)).toFixed(2);

/** log(t2/t1) / log(n2/n1): 1 is linear, 0 constant, 2 quadratic. */
export const exponent = (t1: number, t2: number, n1: number, n2: number) => +(Math.log(Math.max(t2, 0.01) / Math.max(t1, 0.01)) / Math.log(n2 / n1)).toFixed(2);

/** Peak RSS growth (MB) while `fn` runs, sampled every 5 ms. */
export async function peakRssGrowth(fn: () => Promise<unknown>): Promise<number> {
  globalThis.gc?.();
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 5);
  try {
    await fn();
  } finally {
    clearInterval(timer);
  }
  peak = Math.max(peak, process.memoryUsage().rss);
  return +((peak - base) / 1e6).toFixed(1);
}
