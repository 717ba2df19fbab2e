// Test-only. The code sender of the servers that e2e tests start: it keeps every verification
// code, by phone number, so that a test can type into the browser the code that a person would
// have read in a text message.
import type { CodeSender } from '@parley/api/src/identity/code-sender.ts';

export type WaitForCodeOptions = {
  /** Wait until this many codes went to the number, and return the last. Default 1. */
  readonly count?: number;
  /** Give up after this long. Default 10 s. */
  readonly timeoutMs?: number;
};

export class CodeInbox implements CodeSender {
  readonly #sent = new Map<string, string[]>();
  readonly #listeners = new Set<() => void>();

  async send(phoneNumber: string, code: string): Promise<void> {
    const codes = this.#sent.get(phoneNumber) ?? [];
    codes.push(code);
    this.#sent.set(phoneNumber, codes);
    for (const listener of this.#listeners) listener();
  }

  /** The codes sent to a number (in E.164, as "+14155550123"), oldest first. */
  sentTo(phoneNumber: string): readonly string[] {
    return this.#sent.get(phoneNumber) ?? [];
  }

  /**
   * The latest code sent to a number, once at least `count` were sent. A browser asks for the
   * code in the background after a click, so a test waits for it rather than reading it at once.
   */
  waitForCode(phoneNumber: string, options: WaitForCodeOptions = {}): Promise<string> {
    const count = options.count ?? 1;
    const timeoutMs = options.timeoutMs ?? 10_000;
    return new Promise((resolve, reject) => {
      const check = () => {
        const codes = this.sentTo(phoneNumber);
        if (codes.length < count) return false;
        this.#listeners.delete(check);
        clearTimeout(timer);
        resolve(codes[codes.length - 1]!);
        return true;
      };
      const timer = setTimeout(() => {
        this.#listeners.delete(check);
        const sent = this.sentTo(phoneNumber).length;
        reject(new Error(`${sent} of ${count} codes reached ${phoneNumber} in ${timeoutMs} ms`));
      }, timeoutMs);
      if (!check()) this.#listeners.add(check);
    });
  }
}
