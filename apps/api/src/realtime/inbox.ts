// Server-only. An unbounded-but-capped queue between bus listeners (push) and one subscription's
// async iteration (pull). Closing it wakes a pending pull, so the subscription can end even while
// it waits for an event that will never come.
export class InboxOverflowError extends Error {
  constructor(readonly capacity: number) {
    super(`More than ${capacity} events waited for a slow subscriber.`);
    this.name = 'InboxOverflowError';
  }
}

export const closed: unique symbol = Symbol('closed');

export class Inbox<T> {
  readonly #items: T[] = [];
  readonly #capacity: number;
  #waiting: ((item: T | typeof closed) => void) | undefined;
  #closed = false;
  #failure: Error | undefined;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  push(item: T): void {
    if (this.#closed) return;
    if (this.#waiting) {
      const wake = this.#waiting;
      this.#waiting = undefined;
      wake(item);
      return;
    }
    if (this.#items.length >= this.#capacity) {
      // The subscriber cannot keep up; it reconnects with its cursors and loses nothing.
      this.fail(new InboxOverflowError(this.#capacity));
      return;
    }
    this.#items.push(item);
  }

  /** The next item, or `closed` once closed; rethrows a failure. */
  async take(): Promise<T | typeof closed> {
    if (this.#failure) throw this.#failure;
    const next = this.#items.shift();
    if (next !== undefined) return next;
    if (this.#closed) return closed;
    const item = await new Promise<T | typeof closed>((resolve) => {
      this.#waiting = resolve;
    });
    if (this.#failure) throw this.#failure;
    return item;
  }

  fail(error: Error): void {
    this.#failure = error;
    this.close();
  }

  close(): void {
    this.#closed = true;
    this.#items.length = 0;
    const wake = this.#waiting;
    this.#waiting = undefined;
    wake?.(closed);
  }
}
