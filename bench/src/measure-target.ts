// Bench-only. The same procedure for every system under test: a warm-up, a closed-loop run that
// finds the peak, then an open-loop run at 70% of that peak for latency, since latency at the
// peak only measures the length of the queue. Each phase ends by draining: sending stops, and
// the phase waits for every accepted message and every receipt before it is tallied.
import type { DeliveryLedger, PhaseTally } from './delivery-ledger.js';
import { runClosedLoop } from './closed-loop.js';
import type { LoadGenerator } from './load-generator.js';
import { runOpenLoop } from './open-loop.js';
import type { PairTransport } from './pair-transport.js';
import { progress } from './progress.js';
import { withDeadline } from './with-deadline.js';

/** The share of the peak at which latency is measured. */
export const steadyShare = 0.7;

export type TargetUnderTest = {
  readonly name: string;
  readonly transport: PairTransport;
  readonly ledger: DeliveryLedger;
  readonly generator: LoadGenerator;
  /** Sends per second per pair the system allows; undefined when it has no such limit. */
  readonly maxPairRate: number | undefined;
};

export type MeasureOptions = {
  readonly warmupMs: number;
  readonly durationMs: number;
  readonly drainMs: number;
  readonly window: number;
};

export type TargetMeasurement = {
  readonly name: string;
  /** Delivered messages per second in the closed-loop run. */
  readonly peakPerSecond: number;
  /** True when the peak came within 5% of what the per-device send limit allows. */
  readonly peakLimitedBySendLimit: boolean;
  readonly steady: {
    readonly offeredPerSecond: number;
    /** Delivered messages per second while the open loop was offering. */
    readonly deliveredPerSecond: number;
    readonly maxGeneratorLagMs: number;
  };
  readonly warmup: PhaseTally;
  readonly peak: PhaseTally;
  readonly steadyPhase: PhaseTally;
};

export async function measureTarget(
  target: TargetUnderTest,
  options: MeasureOptions,
): Promise<TargetMeasurement> {
  const closedLoop = (durationMs: number) =>
    runClosedLoop(target.generator, target.ledger, {
      durationMs,
      window: options.window,
      maxPairRate: target.maxPairRate,
    });

  progress(`${target.name}: warm-up, ${options.warmupMs / 1_000} s`);
  const warmup = await runPhase(target, 'warm-up', options.drainMs, () =>
    closedLoop(options.warmupMs),
  );

  progress(`${target.name}: peak, closed loop, ${options.window} in flight per pair`);
  const peak = await runPhase(target, 'peak', options.drainMs, () =>
    closedLoop(options.durationMs),
  );
  progress(`${target.name}: peak ${Math.round(peak.result)} msgs/s`);

  const offeredPerSecond = Math.max(1, peak.result * steadyShare);
  progress(`${target.name}: open loop at ${Math.round(offeredPerSecond)} msgs/s`);
  const steady = await runPhase(target, 'steady', options.drainMs, async () => {
    const deliveredBefore = target.ledger.deliveredCount;
    const startedMs = performance.now();
    const offered = await runOpenLoop(target.generator, {
      rate: offeredPerSecond,
      durationMs: options.durationMs,
    });
    const elapsedS = (performance.now() - startedMs) / 1_000;
    return {
      ...offered,
      deliveredPerSecond: (target.ledger.deliveredCount - deliveredBefore) / elapsedS,
    };
  });

  const limit =
    target.maxPairRate === undefined ? undefined : target.maxPairRate * target.generator.pairCount;
  return {
    name: target.name,
    peakPerSecond: peak.result,
    peakLimitedBySendLimit: limit !== undefined && peak.result >= 0.95 * limit,
    steady: {
      offeredPerSecond,
      deliveredPerSecond: steady.result.deliveredPerSecond,
      maxGeneratorLagMs: steady.result.maxLagMs,
    },
    warmup: warmup.tally,
    peak: peak.tally,
    steadyPhase: steady.tally,
  };
}

async function runPhase<T>(
  target: TargetUnderTest,
  phase: string,
  drainMs: number,
  load: () => Promise<T>,
): Promise<{ result: T; tally: PhaseTally }> {
  target.ledger.beginPhase(phase);
  const result = await load();
  const settled = await target.ledger.waitUntilSettled(drainMs);
  if (!settled) progress(`${target.name}: ${phase} did not drain within ${drainMs} ms`);
  await withDeadline(`${target.name} receipts`, drainMs, target.transport.settleReceipts());
  return { result, tally: target.ledger.endPhase() };
}
