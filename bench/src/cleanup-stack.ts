// Bench-only. Everything the bench starts (a database, child processes, sockets) registers how
// to undo itself here, so that a failure halfway, or Ctrl-C, still leaves the machine as it was.

type Step = { readonly name: string; readonly run: () => Promise<void> | void };

export class CleanupStack {
  readonly #steps: Step[] = [];
  #running: Promise<string[]> | undefined;

  /** Registers an undo step; steps run in reverse order, as nested `finally` blocks would. */
  defer(name: string, run: Step['run']): void {
    this.#steps.push({ name, run });
  }

  /**
   * Runs every step once, continuing past failures, and returns what failed. Calling it again
   * (a second signal during cleanup) returns the same run instead of starting another.
   */
  runAll(): Promise<string[]> {
    this.#running ??= (async () => {
      const failures: string[] = [];
      for (const step of this.#steps.splice(0).reverse()) {
        try {
          await step.run();
        } catch (error) {
          failures.push(`${step.name}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      return failures;
    })();
    return this.#running;
  }
}
