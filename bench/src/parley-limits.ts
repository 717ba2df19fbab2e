// Bench-only. How the bench lives with the API's rate limits: set-up opens every windowed limit
// wide (it signs up many users from one address, as the test harness does), while the measured
// instances keep their defaults, so each sender stays under the per-device budgets instead.
import { defaultLimits, type Limits, type Window } from '../../apps/api/src/limits.js';

/** The per-device budgets a sender spends one unit of per message, by their names in Limits. */
const perMessageBudgets = ['sendsPerDevice', 'operationsPerClient'];

const wide: Window = { limit: 1_000_000, windowMs: 60_000 };

/** Every windowed limit raised far out of reach, for the set-up server only. */
export function relaxedLimits(): Partial<Limits> {
  return Object.fromEntries(
    Object.entries(defaultLimits)
      .filter(([, value]) => isWindow(value))
      .map(([name]) => [name, wide]),
  );
}

/**
 * The most messages per second one sender may send: 90% of the tightest per-device budget a
 * send draws on, so that sends spaced evenly at this rate never fill a window.
 */
export function senderRateCap(): number {
  const limits = defaultLimits as unknown as Readonly<Record<string, unknown>>;
  const rates = perMessageBudgets
    .map((name) => limits[name])
    .filter(isWindow)
    .map((window) => (window.limit * 1_000) / window.windowMs);
  return 0.9 * Math.min(...rates);
}

function isWindow(value: unknown): value is Window {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Window).limit === 'number' &&
    typeof (value as Window).windowMs === 'number'
  );
}
