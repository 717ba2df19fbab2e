// Server-only. Background work with a bound on how much runs at once and how much may wait, that
// shutdown can drain: pushes are sent after the operation that caused them has answered, and
// must neither pile up without limit behind a slow push service nor be cut off by a restart
// without a grace period.

/** A unit of work. It should end soon after `signal` aborts, and never reject. */
export type Task = (signal: AbortSignal) => Promise<void>;

export class BoundedQueue {
  readonly #concurrency: number;
  readonly #backlog: number;
  readonly #onError: (error: unknown) => void;
  readonly #waiting: Task[] = [];
  readonly #running = new Set<Promise<void>>();
  readonly #abort = new AbortController();
  #idle: (() => void)[] = [];

  constructor(options: {
    concurrency: number;
    backlog: number;
    /** Called with what a task threw, which it should not have. */
    onError: (error: unknown) => void;
  }) {
    this.#concurrency = options.concurrency;
    this.#backlog = options.backlog;
    this.#onError = options.onError;
  }

  /** Aborts when the queue stops for good: tasks pass it on to their I/O and their waits. */
  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  /** Runs `task` when a slot is free. False when the backlog is full or the queue has stopped. */
  add(task: Task): boolean {
    if (this.#abort.signal.aborted || this.#waiting.length >= this.#backlog) return false;
    this.#waiting.push(task);
    this.#next();
    return true;
  }

  /**
   * Waits until nothing runs or waits, for at most `graceMs`; then aborts what still runs, drops
   * what waits, and resolves once the aborted tasks have ended, with how many were cut short.
   * Nothing is accepted after it.
   */
  async close(graceMs: number): Promise<number> {
    if (this.#running.size > 0 || this.#waiting.length > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>((resolve) => this.#idle.push(resolve)),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, graceMs);
        }),
      ]);
      clearTimeout(timer);
    }
    const unfinished = this.#running.size + this.#waiting.length;
    this.#abort.abort();
    this.#waiting.length = 0;
    await Promise.allSettled([...this.#running]);
    return unfinished;
  }

  #next(): void {
    while (this.#running.size < this.#concurrency) {
      const task = this.#waiting.shift();
      if (!task) break;
      const signal = this.#abort.signal;
      const run: Promise<void> = Promise.resolve()
        .then(() => task(signal))
        .catch((error: unknown) => this.#onError(error))
        .finally(() => {
          this.#running.delete(run);
          this.#next();
        });
      this.#running.add(run);
    }
    if (this.#running.size === 0 && this.#waiting.length === 0) {
      for (const resolve of this.#idle.splice(0)) resolve();
    }
  }
}
