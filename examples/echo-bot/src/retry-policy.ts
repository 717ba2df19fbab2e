// The one place that decides what a failure means for the bot, and how long to wait before the
// next attempt. Everything else throws typed errors (errors.ts) and lets the bot's loop ask here.
import { isCryptoError } from '@parley/crypto';

import { ApiError, OutOfOrderError, StreamClosedError, TransportError } from './errors.ts';

export type FailureKind =
  /** Worth trying again after a pause: the network, an overloaded or restarting server. */
  | 'transient'
  /** The user left the conversation or was removed: forget it and carry on with the others. */
  | 'conversation-gone'
  /** The server no longer accepts this device's token; only a new sign-in helps. */
  | 'signed-out'
  /** A bug or a misconfiguration: trying again would fail the same way. */
  | 'fatal';

// graphql-ws's own codes, and the API's: 4403 is both "the token was refused" at connection_init
// and "this device was revoked" (apps/api closes revoked devices' sockets with it).
const forbiddenCloseCode = 4403;
const fatalCloseCodes = new Set([4400, 4004, 4005, 4406, 4409]);

const transientCodes = new Set(['RATE_LIMITED', 'SUBSCRIBER_TOO_SLOW', 'INTERNAL_SERVER_ERROR']);
const signedOutCodes = new Set(['UNAUTHENTICATED', 'DEVICE_REVOKED']);
const conversationGoneCodes = new Set(['NOT_A_MEMBER', 'NOT_FOUND']);

export function classifyFailure(error: unknown): FailureKind {
  // The directory lookup failed while MLS processed a Welcome or a commit: nothing changed, and
  // the same message can be processed once the API answers again.
  if (isCryptoError(error, 'DIRECTORY_UNAVAILABLE')) return 'transient';
  const cause = apiFailureIn(error) ?? error;
  if (cause instanceof TransportError || cause instanceof OutOfOrderError) return 'transient';
  if (cause instanceof StreamClosedError) {
    if (cause.code === forbiddenCloseCode) return 'signed-out';
    return fatalCloseCodes.has(cause.code) ? 'fatal' : 'transient';
  }
  if (cause instanceof ApiError) {
    if (transientCodes.has(cause.code)) return 'transient';
    if (signedOutCodes.has(cause.code)) return 'signed-out';
    if (conversationGoneCodes.has(cause.code)) return 'conversation-gone';
  }
  return 'fatal';
}

/**
 * A failure to talk to the API, found in an error or in its causes: @parley/crypto reports a
 * directory it could not ask as DIRECTORY_UNAVAILABLE, with the API's error as its `cause`, and
 * that error may say how long to wait.
 */
export function apiFailureIn(error: unknown): TransportError | ApiError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current instanceof Error; depth++) {
    if (current instanceof TransportError || current instanceof ApiError) return current;
    current = current.cause;
  }
  return undefined;
}

export type BackoffOptions = {
  /** The first pause, before jitter. Default 500 ms. */
  readonly baseMs: number;
  /** The longest pause. Default 30 s. */
  readonly maxMs: number;
  /** A source of randomness in [0, 1), replaceable in tests. Default Math.random. */
  readonly random: () => number;
};

export const defaultBackoff: BackoffOptions = { baseMs: 500, maxMs: 30_000, random: Math.random };

/**
 * How long to wait before attempt `attempt + 1`: exponential backoff with full jitter, so that
 * many clients cut off by the same outage do not all come back in the same instant. A server
 * that said when to retry (RATE_LIMITED's `retryAfterMs`) is waited for at least that long.
 */
export function retryDelay(
  attempt: number,
  error: unknown,
  options: BackoffOptions = defaultBackoff,
): number {
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** Math.min(attempt, 30));
  const jittered = Math.floor(options.random() * ceiling);
  const cause = apiFailureIn(error) ?? error;
  const retryAfter = cause instanceof ApiError ? cause.extensions.retryAfterMs : undefined;
  return typeof retryAfter === 'number' ? Math.max(jittered, retryAfter) : jittered;
}
