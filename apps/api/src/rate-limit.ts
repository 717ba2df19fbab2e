// Server-only. One way to refuse too much of anything: a typed error that says when to retry.
import type { EphemeralStore } from './ephemeral/ephemeral-store.js';
import { ParleyError } from './errors.js';
import type { Window } from './limits.js';

export async function enforceRateLimit(
  store: EphemeralStore,
  key: string,
  window: Window,
  what: string,
): Promise<void> {
  const result = await store.hit(key, window.limit, window.windowMs);
  if (!result.allowed) {
    const seconds = Math.ceil(result.retryAfterMs / 1000);
    throw new ParleyError('RATE_LIMITED', `Too many ${what}. Try again in ${seconds} s.`, {
      retryAfterMs: result.retryAfterMs,
    });
  }
}
