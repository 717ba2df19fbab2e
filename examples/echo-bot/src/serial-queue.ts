// Runs async work one task at a time, in the order it was queued.

/**
 * A device's MLS state is a chain: joining, decrypting and encrypting each start from the state
 * the previous step left (RFC 9420, section 8), and the state file must be written in that same
 * order. Two tasks that overlapped would start from the same state, and one result would be lost.
 */
export class SerialQueue {
  #tail: Promise<unknown> = Promise.resolve();

  /** Runs `task` after everything queued before it; its failure is the caller's alone. */
  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(task);
    this.#tail = result.catch(() => undefined);
    return result;
  }

  /** Settles once everything queued so far has finished, whether it failed or not. */
  async idle(): Promise<void> {
    await this.#tail;
  }
}
