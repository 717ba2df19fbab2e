// Server-only. One Web Push request (RFC 8030, section 5): the payload encrypted to the
// subscription's keys (RFC 8291, aes128gcm) and signed with the server's VAPID key (RFC 8292),
// both by the web-push library, then posted with fetch. Each way a push service can refuse
// becomes a PushServiceError here, where it arrives, and `isRetryable` alone decides what to do.
import webPush from 'web-push';

import type { PushPayload } from './push-payload.js';
import type { VapidKeys } from './vapid-keys.js';

export type PushTarget = {
  readonly endpoint: string;
  /** The browser's P-256 public key and auth secret, base64url (PushSubscription.keys). */
  readonly p256dh: string;
  readonly auth: string;
};

export type PushRequestOptions = {
  readonly vapid: VapidKeys & { readonly subject: string };
  /** How long the push service keeps the message for an unreachable device, in seconds. */
  readonly ttlSeconds: number;
  /** Replaces a message with the same topic that the service still holds (RFC 8030, 5.4). */
  readonly topic: string;
  readonly signal: AbortSignal;
};

/**
 * - `gone`: the subscription has expired or was unsubscribed (404, 410): delete it.
 * - `refused`: any other 3xx or 4xx, the request itself is wrong and would be again.
 * - `unavailable`: the service failed (5xx).
 * - `unreachable`: no answer: the network failed or the request timed out.
 */
export type PushFailure = 'gone' | 'refused' | 'unavailable' | 'unreachable';

export class PushServiceError extends Error {
  constructor(
    readonly failure: PushFailure,
    readonly status: number | undefined,
    options?: ErrorOptions,
  ) {
    super(`push ${failure}${status === undefined ? '' : ` (HTTP ${status})`}`, options);
    this.name = 'PushServiceError';
  }
}

/**
 * Only the service's own failures are worth another try. A 4xx never is, 429 included: the
 * device reads everything from its cursors when it next connects, and a later message pushes
 * again, so one lost push costs a notification, not a message.
 */
export function isRetryable(error: PushServiceError): boolean {
  return error.failure === 'unavailable' || error.failure === 'unreachable';
}

/** Sends one push; resolves with the service's status (201 Created, normally). */
export async function sendPushRequest(
  target: PushTarget,
  payload: PushPayload,
  options: PushRequestOptions,
): Promise<number> {
  const details = webPush.generateRequestDetails(
    { endpoint: target.endpoint, keys: { p256dh: target.p256dh, auth: target.auth } },
    JSON.stringify(payload),
    {
      vapidDetails: options.vapid,
      contentEncoding: 'aes128gcm',
      TTL: options.ttlSeconds,
      urgency: 'high',
      topic: options.topic,
    },
  );
  // fetch computes Content-Length from the body itself; web-push's numbers become strings.
  const headers = new Headers();
  for (const [name, value] of Object.entries(details.headers)) {
    if (name.toLowerCase() !== 'content-length') headers.set(name, String(value));
  }

  let response: Response;
  try {
    response = await fetch(details.endpoint, {
      method: 'POST',
      headers,
      body: new Uint8Array(details.body),
      // A push service answers; it does not redirect. Following one would let a subscription
      // point the server at an address of the operator's own network.
      redirect: 'manual',
      signal: options.signal,
    });
  } catch (error) {
    throw new PushServiceError('unreachable', undefined, { cause: error });
  }
  await response.body?.cancel();

  if (response.ok) return response.status;
  if (response.status === 404 || response.status === 410) {
    throw new PushServiceError('gone', response.status);
  }
  if (response.status < 500) throw new PushServiceError('refused', response.status);
  throw new PushServiceError('unavailable', response.status);
}
