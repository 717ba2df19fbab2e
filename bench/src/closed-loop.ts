// Bench-only. Finds a system's peak: each pair keeps `window` messages in flight (sent and not
// yet delivered) and sends the next one the moment one arrives, so the system is never idle and
// never handed more than it can hold. The rate it sustains for the whole duration is its peak.
import { nowUs, sleep } from './clock.js';
import type { DeliveryLedger } from './delivery-ledger.js';
import type { LoadGenerator } from './load-generator.js';

export type ClosedLoopOptions = {
  readonly durationMs: number;
  readonly window: number;
  /**
   * Most sends per second per pair, for a system that rate-limits each device; undefined for
   * none. Sends are spaced evenly, so no fixed one-second window ever sees more than this.
   */
  readonly maxPairRate: number | undefined;
};

/** Runs the loop for `durationMs`; returns deliveries per second over that time. */
export async function runClosedLoop(
  generator: LoadGenerator,
  ledger: DeliveryLedger,
  options: ClosedLoopOptions,
): Promise<number> {
  const pairs = generator.pairCount;
  const inFlight = new Array<number>(pairs).fill(0);
  const nextSendMs = new Array<number>(pairs).fill(0);
  const paced = new Set<NodeJS.Timeout>();
  const spacingMs = options.maxPairRate ? 1_000 / options.maxPairRate : 0;
  let running = true;

  const fill = (pair: number) => {
    while (running && (inFlight[pair] ?? 0) < options.window) {
      const now = performance.now();
      const due = nextSendMs[pair] ?? 0;
      if (now < due) {
        const timer = setTimeout(() => {
          paced.delete(timer);
          fill(pair);
        }, due - now);
        paced.add(timer);
        return;
      }
      nextSendMs[pair] = Math.max(now, due) + spacingMs;
      inFlight[pair] = (inFlight[pair] ?? 0) + 1;
      generator.send(pair, nowUs());
    }
  };

  ledger.onMessageDone((pair) => {
    inFlight[pair] = (inFlight[pair] ?? 0) - 1;
    fill(pair);
  });
  const startedMs = performance.now();
  const deliveredBefore = ledger.deliveredCount;
  for (let pair = 0; pair < pairs; pair += 1) fill(pair);
  await sleep(options.durationMs);
  const delivered = ledger.deliveredCount - deliveredBefore;
  const elapsedS = (performance.now() - startedMs) / 1_000;

  running = false;
  ledger.onMessageDone(undefined);
  for (const timer of paced) clearTimeout(timer);
  return delivered / elapsedS;
}
