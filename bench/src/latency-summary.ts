// Bench-only. Percentiles of one phase's latencies. Every sample is kept and sorted: a phase
// holds at most a few hundred thousand, and exact percentiles spare the reader any doubt about
// histogram buckets.

export type LatencySummary = {
  readonly samples: number;
  readonly p50Ms: number | null;
  readonly p99Ms: number | null;
  readonly maxMs: number | null;
};

export function summarizeLatency(samplesUs: readonly number[]): LatencySummary {
  if (samplesUs.length === 0) return { samples: 0, p50Ms: null, p99Ms: null, maxMs: null };
  const sorted = Float64Array.from(samplesUs).sort();
  // Nearest-rank percentile: the smallest sample with at least p% of samples at or below it.
  const rank = (p: number) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
  const ms = (us: number) => Math.round(us) / 1000;
  return {
    samples: sorted.length,
    p50Ms: ms(rank(50)),
    p99Ms: ms(rank(99)),
    maxMs: ms(sorted[sorted.length - 1] ?? 0),
  };
}
