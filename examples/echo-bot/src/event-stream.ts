// One connection of the device's event stream over graphql-ws: subscribes with the device's
// cursors, hands each event to the caller in arrival order, and ends with a typed error saying
// why. Reconnecting is left to the caller on purpose: graphql-ws's own retries would resubscribe
// with the cursors the connection started with, replaying what the device has since processed.
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

import { ApiError, StreamClosedError, TransportError } from './errors.ts';
import {
  deviceEventsSubscription,
  parseDeviceEvent,
  type Cursor,
  type DeviceEvent,
} from './device-event.ts';

export type EventStreamOptions = {
  /** The GraphQL endpoint as a ws:// or wss:// URL. */
  readonly url: string;
  readonly token: string;
  /** Where the device stands in each conversation it has joined. */
  readonly cursors: readonly Cursor[];
  /** Ends the stream without an error. */
  readonly signal: AbortSignal;
  /**
   * Called for each event, one at a time: the next event waits until the promise settles, and a
   * rejection ends the stream with that error. Events are never dropped while one is handled.
   */
  readonly onEvent: (event: DeviceEvent) => Promise<void>;
};

// A half-open connection (a laptop that slept, a NAT that forgot us) looks alive forever unless
// something is sent: ping every 10 s and give up on the socket when no pong comes within 5 s.
const pingEveryMs = 10_000;
const pongWithinMs = 5_000;

/** Resolves when `signal` aborts; rejects with the reason the stream ended otherwise. */
export async function runEventStream(options: EventStreamOptions): Promise<void> {
  const { signal } = options;
  if (signal.aborted) return;

  let pongTimer: NodeJS.Timeout | undefined;
  const client = createClient({
    url: options.url,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${options.token}` },
    retryAttempts: 0,
    keepAlive: pingEveryMs,
    on: {
      ping: (received) => {
        if (!received) pongTimer = setTimeout(() => client.terminate(), pongWithinMs);
      },
      pong: (received) => {
        if (received) clearTimeout(pongTimer);
      },
    },
  });

  // Events are chained here so that each waits for the one before; the chain never rejects.
  let handled: Promise<void> = Promise.resolve();
  let stopped = false;
  try {
    const failure = await new Promise<Error | undefined>((resolve) => {
      let unsubscribe = () => {};
      const onAbort = () => end(undefined);
      const end = (error: Error | undefined) => {
        if (stopped) return;
        stopped = true;
        signal.removeEventListener('abort', onAbort);
        unsubscribe();
        resolve(error);
      };
      signal.addEventListener('abort', onAbort);

      unsubscribe = client.subscribe(
        { query: deviceEventsSubscription, variables: { cursors: options.cursors } },
        {
          next: (result) => {
            if (result.errors?.length) return end(ApiError.fromWire(result.errors));
            let event: DeviceEvent;
            try {
              event = parseDeviceEvent(result.data?.events);
            } catch (error) {
              return end(error as Error);
            }
            handled = handled.then(async () => {
              if (stopped) return;
              await options.onEvent(event).catch((error: unknown) => end(asError(error)));
            });
          },
          error: (error) => end(streamFailure(error)),
          complete: () => end(new StreamClosedError(1000, 'the server ended the subscription')),
        },
      );
    });

    // The event being handled finishes before the stream reports that it ended, so that the
    // caller's next connection starts from the cursors that event left behind.
    await handled;
    if (failure) throw failure;
  } finally {
    clearTimeout(pongTimer);
    await client.dispose();
  }
}

/** graphql-ws reports a refused subscription, a closed socket and a socket error alike. */
function streamFailure(error: unknown): Error {
  if (Array.isArray(error)) return ApiError.fromWire(error);
  if (isCloseEvent(error)) return new StreamClosedError(error.code, error.reason);
  return new TransportError('The event stream’s connection failed.', { cause: error });
}

function isCloseEvent(value: unknown): value is { code: number; reason: string } {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { code?: unknown }).code === 'number' &&
    typeof (value as { reason?: unknown }).reason === 'string'
  );
}

function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}
