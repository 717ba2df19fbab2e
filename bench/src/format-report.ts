// Bench-only. The human-readable report: what was run, the throughput and latency of both
// systems side by side, the correctness counts that must be zero, and the idle memory figure.
import type { Anomalies, BenchResult } from './bench-result.js';
import type { TargetMeasurement } from './measure-target.js';
import { textTable as table } from './text-table.js';

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat('en-US', {
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
});

export function formatReport(result: BenchResult): string {
  const { settings, machine, parley, relay, correctness, idle } = result;
  const lines: string[] = [];

  lines.push(
    'Parley 1:1 send-to-deliver benchmark: messages stored, with receipts ' +
      `(markDelivered every ${settings.receiptEvery}th message and the last)`,
    `${settings.pairs} pairs, ${settings.phaseSeconds} s per phase after ` +
      `${settings.warmupSeconds} s of warm-up, ${settings.window} in flight per pair at peak, ` +
      `${settings.payloadBytes}-byte payloads`,
    `${machine.cores} cores (${machine.cpu}), Node ${machine.node}; ` +
      `latency at ${Math.round(settings.steadyShare * 100)}% of each system's own peak, open loop`,
    result.parleyMutations.via === 'graphql-ws'
      ? "Parley mutations (sendMessage, markDelivered) over each device's graphql-ws connection"
      : "Parley mutations over HTTP POST to the device's instance, because " +
          result.parleyMutations.because,
    '',
  );

  const share = `${Math.round(settings.steadyShare * 100)}%`;
  lines.push(
    ...table(
      ['', 'peak msgs/s', 'per core', `${share} offered`, `${share} delivered`, 'p50 ms', 'p99 ms'],
      [parley, relay].map((target) => throughputRow(target, machine.cores)),
    ),
    '',
    `Parley / relay, peak throughput: ${result.peakRatio.toFixed(3)} ` +
      `(${decimal.format(result.peakRatio * 100)}%)`,
  );
  if (parley.peakLimitedBySendLimit) {
    lines.push(
      "Note: Parley's peak is within 5% of what the per-device send limit allows; " +
        'run with more --pairs to find the real peak.',
    );
  }

  lines.push(
    '',
    ...table(
      [
        'Correctness, all phases',
        'sent',
        'delivered',
        'lost',
        'duplicated',
        'out of order',
        'errors',
      ],
      [
        correctnessRow(parley.name, correctness.parley),
        correctnessRow(relay.name, correctness.relay),
      ],
    ),
  );
  for (const [name, anomalies] of [
    [parley.name, correctness.parley],
    [relay.name, correctness.relay],
  ] as const) {
    for (const [code, count] of Object.entries(anomalies.errorCodes)) {
      lines.push(`${name}: ${count} x ${code}, e.g. "${anomalies.errorExamples[code] ?? ''}"`);
    }
  }

  lines.push('');
  if (idle) {
    const rounds = idle.roundsKiB.map((kib) => decimal.format(kib)).join(', ');
    lines.push(
      `Idle subscribed connections: ${integer.format(idle.connections)} on ${idle.instance} ` +
        `(${idle.devices} devices): ${decimal.format(idle.perConnectionKiB)} KiB RSS per ` +
        `connection (median of rounds ${rounds}; JS heap alone ` +
        `${decimal.format(idle.heapPerConnectionKiB)} KiB); ` +
        `${integer.format(idle.verifiedLive)}/${integer.format(idle.connections)} ` +
        'subscriptions verified live',
    );
  } else {
    lines.push('Idle subscribed connections: skipped (--idle 0)');
  }
  return `${lines.join('\n')}\n`;
}

function throughputRow(target: TargetMeasurement, cores: number): string[] {
  const { latency } = target.steadyPhase;
  const ms = (value: number | null) => (value === null ? '-' : value.toFixed(2));
  return [
    target.name,
    integer.format(target.peakPerSecond),
    integer.format(target.peakPerSecond / cores),
    integer.format(target.steady.offeredPerSecond),
    integer.format(target.steady.deliveredPerSecond),
    ms(latency.p50Ms),
    ms(latency.p99Ms),
  ];
}

function correctnessRow(name: string, anomalies: Anomalies): string[] {
  return [
    name,
    integer.format(anomalies.sent),
    integer.format(anomalies.delivered),
    String(anomalies.lost),
    String(anomalies.duplicated),
    String(anomalies.outOfOrder),
    String(anomalies.errors),
  ];
}
