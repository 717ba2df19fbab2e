// Server-only. A device's Web Push subscription: registered from what the browser's
// PushManager.subscribe() returned, checked at the edge, one per device. Registering again
// replaces it, and an endpoint moves to whichever device registered it last: a browser that
// signs in again, as another device or another user, keeps getting only the pushes meant for it.
import { ECDH } from 'node:crypto';
import { isIP } from 'node:net';

import type { Deps } from '../deps.js';
import { ParleyError } from '../errors.js';
import type { PushSubscription } from '../generated/prisma/client.ts';
import type { Viewer } from '../viewer.js';

export type PushSubscriptionInput = {
  readonly endpoint: string;
  readonly keys: { readonly p256dh: string; readonly auth: string };
};

/** The subscription as stored: the endpoint as given, the keys in base64url without padding. */
export type CheckedSubscription = { endpoint: string; p256dh: string; auth: string };

const maxEndpointLength = 2048;
const base64url = /^[A-Za-z0-9_-]+={0,2}$/;

const invalid = (field: string, message: string) =>
  new ParleyError('INVALID_PUSH_SUBSCRIPTION', message, { field });

/**
 * Checks what a client sent. The server will POST to the endpoint, so it must be a push
 * service's https URL; plain http is allowed only to loopback, and only where
 * PUSH_ALLOW_INSECURE_ENDPOINTS says so (tests, a local push service). Addresses written as IP
 * literals are refused otherwise, which keeps the obvious internal targets out. What this does
 * not stop: a host name that resolves to an internal address. Where that matters, restrict the
 * instances' outbound traffic to the push services.
 */
export function checkPushSubscription(
  input: PushSubscriptionInput,
  allowInsecureEndpoints: boolean,
): CheckedSubscription {
  if (input.endpoint.length > maxEndpointLength) {
    throw invalid('endpoint', `The endpoint is longer than ${maxEndpointLength} characters.`);
  }
  let url: URL;
  try {
    url = new URL(input.endpoint);
  } catch {
    throw invalid('endpoint', 'The endpoint is not a URL: send PushSubscription.endpoint.');
  }
  if (url.username || url.password) {
    throw invalid('endpoint', 'The endpoint must not carry a user name or password.');
  }
  const local = allowInsecureEndpoints && isLoopback(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local)) {
    throw invalid('endpoint', 'The endpoint must be an https URL.');
  }
  if (!local && (isIpLiteral(url.hostname) || isLoopback(url.hostname))) {
    throw invalid('endpoint', 'The endpoint must name a push service by its host name.');
  }

  return {
    // As the browser gave it: the server posts to exactly this URL.
    endpoint: input.endpoint,
    p256dh: checkPublicKey(input.keys.p256dh),
    auth: checkKey('keys.auth', input.keys.auth, 16, 'an auth secret (16 bytes)'),
  };
}

/** RFC 8291, section 3.2: the user agent's P-256 key, as an uncompressed point of 65 bytes. */
function checkPublicKey(value: string): string {
  const field = 'keys.p256dh';
  const key = checkKey(field, value, 65, 'a P-256 public key (65 bytes)');
  try {
    // Refuses a point that is not on the curve, which could never be encrypted to.
    ECDH.convertKey(Buffer.from(key, 'base64url'), 'prime256v1');
  } catch {
    throw invalid(field, 'keys.p256dh is not a point on P-256.');
  }
  return key;
}

function checkKey(field: string, value: string, bytes: number, what: string): string {
  const decoded = base64url.test(value) ? Buffer.from(value, 'base64url') : undefined;
  if (decoded?.length !== bytes) {
    throw invalid(field, `${field} must be ${what} in base64url, as PushSubscription gives it.`);
  }
  return decoded.toString('base64url');
}

function isIpLiteral(hostname: string): boolean {
  return isIP(hostname.replace(/^\[|\]$/g, '')) !== 0;
}

function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));
}

// Prisma reports a unique key's violation as P2002, whatever the driver adapter.
const uniqueViolation = (error: unknown) => (error as { code?: unknown } | null)?.code === 'P2002';

/** Stores this device's subscription, replacing any it had. */
export async function registerPushSubscription(
  deps: Deps,
  viewer: Viewer,
  input: PushSubscriptionInput,
): Promise<PushSubscription> {
  const checked = checkPushSubscription(input, deps.config.push.allowInsecureEndpoints);

  // Two devices registering one endpoint at the same moment can both pass the DELETE; the
  // loser's INSERT then meets the endpoint's unique key, and one more round settles it.
  for (let attempt = 1; ; attempt++) {
    try {
      return await deps.db.prisma.$transaction(async (tx) => {
        await tx.pushSubscription.deleteMany({
          where: { endpoint: checked.endpoint, deviceId: { not: viewer.deviceId } },
        });
        return tx.pushSubscription.upsert({
          where: { deviceId: viewer.deviceId },
          create: { id: crypto.randomUUID(), deviceId: viewer.deviceId, ...checked },
          update: { ...checked, createdAt: new Date() },
        });
      });
    } catch (error) {
      if (attempt >= 2 || !uniqueViolation(error)) throw error;
    }
  }
}

/** Stops pushes to this device. False when it had no subscription. */
export async function removePushSubscription(deps: Deps, viewer: Viewer): Promise<boolean> {
  const removed = await deps.db.prisma.pushSubscription.deleteMany({
    where: { deviceId: viewer.deviceId },
  });
  return removed.count > 0;
}

export async function hasPushSubscription(deps: Deps, viewer: Viewer): Promise<boolean> {
  const count = await deps.db.prisma.pushSubscription.count({
    where: { deviceId: viewer.deviceId },
  });
  return count > 0;
}
