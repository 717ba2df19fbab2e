// Bench-only. Offers a fixed rate whatever the system does: message k is due at start + k/rate
// and leaves as soon as the timer loop sees it due, round-robin over the pairs. Its timestamp is
// the moment it was due, not the moment it left, so a generator that falls behind shows up in
// the latency instead of hiding it (the "coordinated omission" of closed-loop measurements).
import { nowUs } from './clock.js';
import type { LoadGenerator } from './load-generator.js';

export type OpenLoopResult = {
  readonly offered: number;
  /** The furthest any send fell behind its due time; large values mean a saturated generator. */
  readonly maxLagMs: number;
};

export function runOpenLoop(
  generator: LoadGenerator,
  options: { readonly rate: number; readonly durationMs: number },
): Promise<OpenLoopResult> {
  const total = Math.max(1, Math.round((options.rate * options.durationMs) / 1_000));
  const intervalUs = 1_000_000 / options.rate;
  const startUs = nowUs();
  let next = 0;
  let maxLagUs = 0;

  return new Promise((resolve) => {
    const tick = () => {
      const now = nowUs();
      for (; next < total; next += 1) {
        const dueUs = startUs + next * intervalUs;
        if (dueUs > now) break;
        maxLagUs = Math.max(maxLagUs, now - dueUs);
        generator.send(next % generator.pairCount, dueUs);
      }
      if (next < total) setTimeout(tick, 1);
      else resolve({ offered: total, maxLagMs: Math.round(maxLagUs) / 1_000 });
    };
    tick();
  });
}
