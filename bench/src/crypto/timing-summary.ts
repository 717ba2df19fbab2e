// Bench-only. The median and 95th percentile of one operation's samples. Every sample is kept:
// there are at most a few hundred, so percentiles are exact ranks, not estimates.

export type TimingSummary = {
  readonly samples: number;
  readonly medianMs: number;
  readonly p95Ms: number;
  readonly minMs: number;
  readonly maxMs: number;
};

export function summarizeTimings(samplesMs: readonly number[]): TimingSummary {
  if (samplesMs.length === 0) throw new Error('An operation needs at least one sample.');
  const sorted = Float64Array.from(samplesMs).sort();
  // Nearest rank: the smallest sample with at least p% of the samples at or below it. With fewer
  // than 20 samples, the 95th percentile is therefore the largest sample.
  const rank = (p: number) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
  const round = (ms: number) => Math.round(ms * 1_000) / 1_000;
  return {
    samples: sorted.length,
    medianMs: round(rank(50)),
    p95Ms: round(rank(95)),
    minMs: round(sorted[0] ?? 0),
    maxMs: round(sorted[sorted.length - 1] ?? 0),
  };
}
