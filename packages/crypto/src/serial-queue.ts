// Shared (browser and Node). Runs async tasks one at a time, in the order they were queued.

/**
 * A named queue of async work. MLS state is a chain: each commit and each decrypted message
 * produces the state the next one needs (RFC 9420, section 8), so two operations on one group
 * that overlapped would both start from the same state and one result would be lost.
 */
export class SerialQueue {
  #tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(task);
    // The queue goes on after a failure; the failure is the caller's, through `result`.
    this.#tail = result.catch(() => undefined);
    return result;
  }
}
