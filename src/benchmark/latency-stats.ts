// Summary statistics of latency samples. Percentiles use the nearest-rank method: the p-th
// percentile of n sorted samples is the sample at rank ceil(p/100 · n) (1-based), so every
// reported percentile is a latency that was actually measured.

export interface LatencyStats {
  /** Successful samples. */
  count: number;
  minMs: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
  /** Sample standard deviation (n − 1 in the denominator); 0 for a single sample. */
  stddevMs: number;
}

/** Nearest-rank percentile of `sorted` (ascending, non-empty), 0 ≤ p ≤ 100. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new RangeError('percentile of no samples');
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile ${p} is outside 0..100`);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

/** Statistics of `samples` (ms, any order), or undefined when there is none. */
export function summarize(samples: readonly number[]): LatencyStats | undefined {
  if (samples.length === 0) return undefined;
  const sorted = [...samples].sort((a, b) => a - b);
  const n = sorted.length;
  const mean = sorted.reduce((s, x) => s + x, 0) / n;
  const variance = n > 1 ? sorted.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1) : 0;
  return {
    count: n,
    minMs: sorted[0],
    p50Ms: percentile(sorted, 50),
    p90Ms: percentile(sorted, 90),
    p99Ms: percentile(sorted, 99),
    maxMs: sorted[n - 1],
    meanMs: mean,
    stddevMs: Math.sqrt(variance),
  };
}

/**
 * Throughput of one operation: successful operations per second of the wall time its phases
 * took. With concurrency c, up to c operations ran at once during that time, so this is what the
 * runtime sustained at that concurrency (not 1 / mean latency).
 */
export function opsPerSecond(count: number, phaseMs: number): number {
  return phaseMs > 0 ? (count * 1000) / phaseMs : 0;
}
