// Test-only. Runs an EchoBot in this process against a test server, with every wait bounded, so
// that a bot that hangs or fails makes the test fail with a message instead of stalling it.
import type { DeviceRef } from '@parley/crypto';

import type { CodeSource } from '../../src/code-source.ts';
import { EchoBot } from '../../src/echo-bot.ts';
import type { KeyPackagePolicy } from '../../src/key-package-stock.ts';
import { createLogger, type LogLevel } from '../../src/logger.ts';

export type BotSettings = {
  readonly url: string;
  readonly phoneNumber: string;
  readonly statePath: string;
  readonly codeSource: CodeSource;
  readonly keyPackages?: KeyPackagePolicy;
};

export type BotUnderTest = {
  readonly device: DeviceRef;
  /** Why the bot stopped by itself, if it did. */
  readonly failure: unknown;
  stop(): Promise<void>;
};

export async function startBot(settings: BotSettings): Promise<BotUnderTest> {
  const logLevel = (process.env.TEST_LOG_LEVEL as LogLevel | undefined) ?? 'silent';
  const bot = new EchoBot({
    config: {
      url: settings.url,
      phoneNumber: settings.phoneNumber,
      code: undefined,
      statePath: settings.statePath,
      logLevel,
    },
    codeSource: settings.codeSource,
    logger: createLogger(logLevel),
    // Short pauses, so that a test of reconnection takes a second rather than half a minute.
    backoff: { baseMs: 20, maxMs: 200 },
    ...(settings.keyPackages && { keyPackages: settings.keyPackages }),
  });

  let failure: unknown;
  const running = bot.run().catch((error: unknown) => {
    failure = error;
  });
  const device = await within(bot.ready, 20_000, 'the bot to sign in and catch up');

  return {
    device,
    get failure() {
      return failure;
    },
    async stop() {
      bot.stop();
      await within(running, 10_000, 'the bot to stop');
      if (failure) throw failure;
    },
  };
}

export async function within<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`timed out after ${timeoutMs} ms: ${what}`)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Polls `check` until it returns a value; fails after `timeoutMs`, or at once if `stop` says so.
 */
export async function eventually<T>(
  check: () => T | undefined | Promise<T | undefined>,
  timeoutMs: number,
  what: () => string,
  stop: () => unknown = () => undefined,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    const reason = stop();
    if (reason) throw new Error(`gave up waiting for ${what()}`, { cause: reason });
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
