// Wires the bot together and keeps it connected: opens the device session, subscribes to the
// event stream with the session's cursors, and after a failure asks retry-policy.ts whether to
// reconnect, forget a conversation, or stop.
import { setTimeout as sleep } from 'node:timers/promises';

import type { DeviceRef } from '@parley/crypto';

import type { CodeSource } from './code-source.ts';
import { webSocketUrl, type EchoBotConfig } from './config.ts';
import { DeviceSession } from './device-session.ts';
import { echoReply } from './echo-reply.ts';
import { ApiError, SignedOutError } from './errors.ts';
import { runEventStream } from './event-stream.ts';
import { GraphQLClient } from './graphql-client.ts';
import { defaultKeyPackagePolicy, type KeyPackagePolicy } from './key-package-stock.ts';
import { createLogger, describeError, type Logger } from './logger.ts';
import { ParleyApi } from './parley-api.ts';
import {
  classifyFailure,
  defaultBackoff,
  retryDelay,
  type BackoffOptions,
} from './retry-policy.ts';
import { signIn } from './sign-in.ts';
import { StateStore } from './state-store.ts';

export type EchoBotOptions = {
  readonly config: EchoBotConfig;
  /** Where the sign-in code comes from; asked only when the state file holds no token. */
  readonly codeSource: CodeSource;
  /** Default: lines on stderr at `config.logLevel`. */
  readonly logger?: Logger;
  /** When to upload more key packages, and how many. */
  readonly keyPackages?: KeyPackagePolicy;
  /** How long to wait between reconnections. */
  readonly backoff?: Partial<BackoffOptions>;
};

export class EchoBot {
  /** Resolves with the bot's device once it has caught up for the first time. */
  readonly ready: Promise<DeviceRef>;
  readonly #options: EchoBotOptions;
  readonly #log: Logger;
  readonly #stopping = new AbortController();
  readonly #backoff: BackoffOptions;
  #markReady: (device: DeviceRef) => void = () => {};
  #failReady: (error: unknown) => void = () => {};
  #session: DeviceSession | undefined;

  constructor(options: EchoBotOptions) {
    this.#options = options;
    this.#log = (options.logger ?? createLogger(options.config.logLevel)).child({
      bot: 'echo',
    });
    this.#backoff = { ...defaultBackoff, ...options.backoff };
    this.ready = new Promise((resolve, reject) => {
      this.#markReady = resolve;
      this.#failReady = reject;
    });
    // Whoever awaits run() hears of the same failure; `ready` alone must not crash the process.
    this.ready.catch(() => {});
  }

  /** Runs until stop() is called; rejects when the bot cannot go on (see retry-policy.ts). */
  async run(): Promise<void> {
    try {
      await this.#stayConnected();
      this.#failReady(new Error('The bot was stopped before it was ready.'));
    } catch (error) {
      this.#failReady(error);
      throw error;
    } finally {
      // Whatever was being processed finishes, and is saved, before run() returns.
      await this.#session?.idle();
    }
  }

  /** Asks the bot to stop: the connection closes, and run() returns once the state is saved. */
  stop(): void {
    this.#stopping.abort();
  }

  async #stayConnected(): Promise<void> {
    const signal = this.#stopping.signal;
    const { config } = this.#options;
    const log = this.#log.child({ subsystem: 'connection' });
    const api = new ParleyApi(new GraphQLClient(config.url, signal));
    const store = new StateStore(config.statePath);
    let attempt = 0;

    while (!signal.aborted) {
      try {
        this.#session ??= await DeviceSession.open(
          {
            api,
            store,
            logger: this.#log,
            keyPackages: this.#options.keyPackages ?? defaultKeyPackagePolicy,
            respond: echoReply,
          },
          () => signIn(api, config.phoneNumber, this.#options.codeSource, signal),
        );
        const session = this.#session;
        await session.prepare();
        await runEventStream({
          url: webSocketUrl(config.url),
          token: session.account.token,
          cursors: session.cursors(),
          signal,
          onEvent: async (event) => {
            await session.handle(event);
            if (event.type !== 'caught_up') return;
            attempt = 0;
            this.#markReady(session.device);
          },
        });
      } catch (error) {
        if (signal.aborted) break;
        const kind = classifyFailure(error);
        switch (kind) {
          case 'transient': {
            const delayMs = retryDelay(attempt++, error, this.#backoff);
            log.warn('disconnected; reconnecting', { attempt, delayMs, ...describeError(error) });
            await sleep(delayMs, undefined, { signal }).catch(() => {});
            break;
          }
          case 'conversation-gone': {
            // A cursor for a conversation this user has left refuses the whole subscription;
            // the server names the conversation, and the others carry on without it.
            const conversationId = error instanceof ApiError ? error.conversationId : undefined;
            if (!conversationId || !this.#session) throw error;
            log.info('forgetting a conversation this user left', { conversation: conversationId });
            await this.#session.forget(conversationId);
            break;
          }
          case 'signed-out':
            throw new SignedOutError(config.statePath, { cause: error });
          case 'fatal':
            throw error;
          default: {
            const unknown: never = kind;
            throw new Error(`Unhandled failure kind ${unknown}`);
          }
        }
      }
    }
    log.info('stopped');
  }
}
