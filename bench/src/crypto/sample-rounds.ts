// Bench-only. Runs one measurement's rounds: warm-up rounds first, whose timings are dropped, so
// that V8 has compiled the code paths and filled its caches before anything counts; then the
// measured rounds. A round may time several steps that depend on each other (a message is
// encrypted, then decrypted), so each round returns a duration per step.
import { summarizeTimings, type TimingSummary } from './timing-summary.js';

export type SamplePlan = {
  /** Rounds run first and not counted. */
  readonly warmup: number;
  /** Rounds counted. */
  readonly samples: number;
};

export async function sampleRounds<Step extends string>(
  plan: SamplePlan,
  round: () => Promise<Readonly<Record<Step, number>>>,
): Promise<Record<Step, TimingSummary>> {
  for (let index = 0; index < plan.warmup; index += 1) await round();

  const samples = new Map<Step, number[]>();
  for (let index = 0; index < plan.samples; index += 1) {
    const timings = await round();
    for (const [step, ms] of Object.entries(timings) as [Step, number][]) {
      const values = samples.get(step) ?? [];
      values.push(ms);
      samples.set(step, values);
    }
  }
  return Object.fromEntries(
    [...samples].map(([step, values]) => [step, summarizeTimings(values)]),
  ) as Record<Step, TimingSummary>;
}

/** Runs `work` once and measures it on the monotonic clock. */
export async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  const result = await work();
  return { result, ms: performance.now() - started };
}
