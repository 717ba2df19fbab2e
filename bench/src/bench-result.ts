// Bench-only. Everything one run measured, as printed and as written to results/latest.json.
import type { PhaseTally } from './delivery-ledger.js';
import type { IdleMemoryResult } from './idle-memory.js';
import type { TargetMeasurement } from './measure-target.js';
import type { MutationRoute } from './parley-transport.js';

export type BenchResult = {
  readonly finishedAt: string;
  readonly machine: {
    /** os.availableParallelism(): the cores this process may use, the "per core" divisor. */
    readonly cores: number;
    readonly cpu: string;
    readonly node: string;
  };
  readonly settings: {
    readonly pairs: number;
    readonly phaseSeconds: number;
    readonly warmupSeconds: number;
    readonly window: number;
    readonly receiptEvery: number;
    readonly payloadBytes: number;
    readonly steadyShare: number;
    readonly quick: boolean;
  };
  readonly parley: TargetMeasurement;
  /** How sendMessage and markDelivered reached Parley. */
  readonly parleyMutations: MutationRoute;
  readonly relay: TargetMeasurement;
  /** Parley's peak over the relay's peak. */
  readonly peakRatio: number;
  /** Summed over all phases of each target; every count but `sent` and `delivered` must be 0. */
  readonly correctness: { readonly parley: Anomalies; readonly relay: Anomalies };
  readonly idle: IdleMemoryResult | null;
};

export type Anomalies = {
  readonly sent: number;
  readonly delivered: number;
  readonly lost: number;
  readonly duplicated: number;
  readonly outOfOrder: number;
  /** Failed sends, failed receipts, failed streams, unanswered sends, unexpected arrivals. */
  readonly errors: number;
  readonly errorCodes: Readonly<Record<string, number>>;
  readonly errorExamples: Readonly<Record<string, string>>;
};

/** Sums the correctness counts of a target's phases, warm-up included. */
export function anomaliesOf(target: TargetMeasurement): Anomalies {
  const phases: PhaseTally[] = [target.warmup, target.peak, target.steadyPhase];
  const sum = (pick: (phase: PhaseTally) => number) =>
    phases.reduce((total, phase) => total + pick(phase), 0);
  const errorCodes: Record<string, number> = {};
  const errorExamples: Record<string, string> = {};
  for (const phase of phases) {
    for (const [code, count] of Object.entries(phase.errorCodes)) {
      errorCodes[code] = (errorCodes[code] ?? 0) + count;
    }
    for (const [code, example] of Object.entries(phase.errorExamples))
      errorExamples[code] ??= example;
  }
  return {
    sent: sum((phase) => phase.sent),
    delivered: sum((phase) => phase.delivered),
    lost: sum((phase) => phase.lost),
    duplicated: sum((phase) => phase.duplicated),
    outOfOrder: sum((phase) => phase.outOfOrder),
    errors: sum(
      (phase) =>
        phase.sendErrors +
        phase.receiptErrors +
        phase.streamErrors +
        phase.unanswered +
        phase.unexpected,
    ),
    errorCodes,
    errorExamples,
  };
}

export function isClean(anomalies: Anomalies): boolean {
  return (
    anomalies.lost === 0 &&
    anomalies.duplicated === 0 &&
    anomalies.outOfOrder === 0 &&
    anomalies.errors === 0
  );
}
