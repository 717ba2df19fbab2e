// Bench-only. One monotonic clock for the whole load generator. Senders and receivers live in
// the same process, so a timestamp written into a message can be subtracted from this clock on
// arrival without any clock synchronisation.

/** Microseconds since this process started, from the monotonic high-resolution clock. */
export function nowUs(): number {
  return performance.now() * 1000;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
