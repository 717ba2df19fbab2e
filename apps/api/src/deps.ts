// Server-only. What every service needs, built once by server.ts and passed down explicitly.
import type { EventBus } from './bus/event-bus.js';
import type { Config } from './config.js';
import type { Database } from './db/database.js';
import type { EphemeralStore } from './ephemeral/ephemeral-store.js';
import type { CodeSender } from './identity/code-sender.js';
import type { Limits } from './limits.js';
import type { Logger } from './logger.js';
import type { PushNotifier } from './push/push-notifier.js';

export type Deps = {
  readonly config: Config;
  readonly db: Database;
  readonly bus: EventBus;
  readonly store: EphemeralStore;
  readonly codeSender: CodeSender;
  readonly limits: Limits;
  readonly log: Logger;
  /** Expiry timers of users typing through this instance, by conversation and user. */
  readonly typingTimers: Map<string, NodeJS.Timeout>;
  /** Web Push to devices without a live connection. */
  readonly push: PushNotifier;
};
