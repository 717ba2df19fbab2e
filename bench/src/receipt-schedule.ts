// Bench-only. When a receiver acknowledges delivery: after every `every`-th message, and once
// more for the last message of a phase, as a client that batches its receipts would. Receipts
// are cumulative ("delivered up to seq"), so the batched ones lose no information.

export class ReceiptSchedule {
  readonly #every: number;
  readonly #sinceReceipt: number[];
  readonly #latestSeq: number[];
  readonly #acknowledgedSeq: number[];

  constructor(pairCount: number, every: number) {
    this.#every = every;
    this.#sinceReceipt = new Array<number>(pairCount).fill(0);
    this.#latestSeq = new Array<number>(pairCount).fill(0);
    this.#acknowledgedSeq = new Array<number>(pairCount).fill(0);
  }

  /** Records an arrival; returns the seq to acknowledge now, or undefined. */
  arrived(pair: number, seq: number): number | undefined {
    this.#latestSeq[pair] = Math.max(this.#latestSeq[pair] ?? 0, seq);
    const count = (this.#sinceReceipt[pair] ?? 0) + 1;
    if (count < this.#every) {
      this.#sinceReceipt[pair] = count;
      return undefined;
    }
    return this.#take(pair);
  }

  /** The seq still owed a receipt for `pair`, if any, taken as sent. */
  owed(pair: number): number | undefined {
    const latest = this.#latestSeq[pair] ?? 0;
    return latest > (this.#acknowledgedSeq[pair] ?? 0) ? this.#take(pair) : undefined;
  }

  #take(pair: number): number {
    const seq = this.#latestSeq[pair] ?? 0;
    this.#sinceReceipt[pair] = 0;
    this.#acknowledgedSeq[pair] = seq;
    return seq;
  }
}
