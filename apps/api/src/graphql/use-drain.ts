// Server-only. Counts queries and mutations while they execute, over either transport, so that
// shutdown can wait for them: a send that was accepted is committed before the database closes,
// even when its WebSocket was already told to go away.
import type { Plugin } from '@envelop/core';

export class OperationTracker {
  #running = 0;
  #idle: (() => void)[] = [];

  started(): void {
    this.#running += 1;
  }

  finished(): void {
    this.#running -= 1;
    if (this.#running === 0) for (const resolve of this.#idle.splice(0)) resolve();
  }

  /** Resolves when nothing runs, or after `timeoutMs`, whichever comes first. */
  async drained(timeoutMs: number): Promise<void> {
    if (this.#running === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      new Promise<void>((resolve) => this.#idle.push(resolve)),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
      }),
    ]);
    clearTimeout(timer);
  }
}

export function useDrain(tracker: OperationTracker): Plugin {
  return {
    onExecute() {
      tracker.started();
      return {
        onExecuteDone() {
          tracker.finished();
        },
      };
    },
  };
}
