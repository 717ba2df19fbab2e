// Test-only. A device's `events` subscription over graphql-ws, collecting what it receives so
// that tests can wait for an event and assert on it.
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

import type { ParleyServer } from '../../src/server.js';

export const eventsSubscription = `
  subscription($cursors: [ConversationCursorInput!]) {
    events(cursors: $cursors) {
      __typename
      ... on MessageEvent {
        conversationId
        message { seq clientMessageId ciphertext sender { id } }
      }
      ... on ReceiptEvent { conversationId user { id } deliveredUpTo readUpTo }
      ... on TypingEvent { conversationId user { id } typing expiresAt }
      ... on PresenceEvent { conversationId user { id } online lastSeenAt }
      ... on ConversationEvent { conversationId change users { id } }
      ... on CaughtUpEvent { at }
    }
  }`;

export type Subscriber = {
  readonly events: Record<string, any>[];
  readonly errors: unknown[];
  /** Waits until an event matches, returning it; fails after `timeoutMs`. */
  waitFor(
    predicate: (event: Record<string, any>) => boolean,
    timeoutMs?: number,
  ): Promise<Record<string, any>>;
  /** Waits until `count` events match. */
  waitForCount(
    predicate: (event: Record<string, any>) => boolean,
    count: number,
    timeoutMs?: number,
  ): Promise<Record<string, any>[]>;
  readonly closed: Promise<{ code: number; reason: string }>;
  readonly client: Client;
  dispose(): Promise<void>;
};

export function decodeText(event: Record<string, any>): string {
  return Buffer.from(event.message.ciphertext as string, 'base64').toString();
}

/** Opens a device's event subscription over graphql-ws, collecting everything it receives. */
export async function subscribe(
  server: ParleyServer,
  token: string | undefined,
  cursors?: { conversationId: string; seq: number }[],
  options: {
    origin?: string;
    /** Another selection of the `events` subscription. */
    query?: string;
    /** Called with each event as it arrives, before waiters see it. */
    onEvent?: (event: Record<string, any>) => void;
  } = {},
): Promise<Subscriber> {
  const events: Record<string, any>[] = [];
  const errors: unknown[] = [];
  const waiters = new Set<() => void>();
  let resolveClosed!: (value: { code: number; reason: string }) => void;
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    resolveClosed = resolve;
  });
  let isClosed = false;
  let resolveConnected!: () => void;
  const connected = new Promise<void>((resolve) => {
    resolveConnected = resolve;
  });

  class OriginWebSocket extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, options.origin ? { headers: { origin: options.origin } } : {});
    }
  }

  const client = createClient({
    url: `${server.url.replace('http', 'ws')}/graphql`,
    webSocketImpl: OriginWebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    lazy: false,
    retryAttempts: 0,
    on: {
      connected: () => resolveConnected(),
      closed: (event) => {
        const { code, reason } = event as { code: number; reason: string };
        isClosed = true;
        resolveClosed({ code, reason: String(reason) });
        resolveConnected();
        for (const wake of waiters) wake();
      },
    },
    onNonLazyError: (error) => errors.push(error),
  });

  client.subscribe(
    { query: options.query ?? eventsSubscription, variables: cursors ? { cursors } : {} },
    {
      next: (result) => {
        if (result.errors) errors.push(...result.errors);
        if (result.data?.events) {
          const event = result.data.events as Record<string, any>;
          options.onEvent?.(event);
          events.push(event);
        }
        for (const wake of waiters) wake();
      },
      error: (error) => {
        errors.push(error);
        for (const wake of waiters) wake();
      },
      complete: () => {},
    },
  );
  await connected;

  const waitUntil = <T>(condition: () => T | undefined, timeoutMs: number, what: () => string) =>
    new Promise<T>((resolve, reject) => {
      const check = () => {
        const value = condition();
        if (value !== undefined) {
          cleanup();
          resolve(value);
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out waiting for ${what()}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      waiters.add(check);
      check();
    });

  const waitForCount = (
    predicate: (event: Record<string, any>) => boolean,
    count: number,
    timeoutMs = 5_000,
  ) =>
    waitUntil(
      () => {
        const matched = events.filter(predicate);
        return matched.length >= count ? matched : undefined;
      },
      timeoutMs,
      () => `${count} events; got ${JSON.stringify(events)}; errors ${JSON.stringify(errors)}`,
    );

  // Resolves once the server has replayed the backlog (so that what a test does next is live),
  // or refused the subscription, or closed the socket.
  await waitUntil(
    () =>
      events.some((event) => event.__typename === 'CaughtUpEvent') || errors.length > 0 || isClosed
        ? true
        : undefined,
    10_000,
    () => 'the subscription to start',
  );

  return {
    events,
    errors,
    closed,
    client,
    waitFor: async (predicate, timeoutMs) => (await waitForCount(predicate, 1, timeoutMs))[0]!,
    waitForCount,
    dispose: async () => {
      await client.dispose();
    },
  };
}

export const isMessage = (event: Record<string, any>) => event.__typename === 'MessageEvent';
