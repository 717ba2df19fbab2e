// The bot's one decision about failures: which ones are worth another attempt, and how long to
// wait before it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ParleyCryptoError } from '@parley/crypto';

import { ApiError, ProtocolError, StreamClosedError, TransportError } from '../src/errors.ts';
import { classifyFailure, retryDelay } from '../src/retry-policy.ts';

describe('classifyFailure', () => {
  it('retries what the network or a busy server caused', () => {
    assert.equal(classifyFailure(new TransportError('no route')), 'transient');
    assert.equal(classifyFailure(new StreamClosedError(1006, '')), 'transient');
    assert.equal(classifyFailure(new StreamClosedError(1001, 'Server shutting down')), 'transient');
    assert.equal(classifyFailure(new ApiError('RATE_LIMITED', 'slow down')), 'transient');
    assert.equal(classifyFailure(new ApiError('SUBSCRIBER_TOO_SLOW', 'resubscribe')), 'transient');
  });

  it('retries a directory lookup that failed inside MLS processing, not a forgery', () => {
    const wrapped = new ParleyCryptoError('TAMPERED', 'Joining from the Welcome: fetch failed', {
      cause: new TransportError('no route'),
    });
    assert.equal(classifyFailure(wrapped), 'transient');
    assert.equal(classifyFailure(new ParleyCryptoError('UNKNOWN_CREDENTIAL', 'unlisted')), 'fatal');
  });

  it('stops for a device the server signed out', () => {
    assert.equal(classifyFailure(new StreamClosedError(4403, 'Forbidden')), 'signed-out');
    assert.equal(classifyFailure(new ApiError('UNAUTHENTICATED', 'sign in')), 'signed-out');
    assert.equal(classifyFailure(new ApiError('DEVICE_REVOKED', 'signed out')), 'signed-out');
  });

  it('forgets a conversation the user is no longer in', () => {
    const refused = new ApiError('NOT_A_MEMBER', 'left', { conversationId: 'Q29udg==' });
    assert.equal(classifyFailure(refused), 'conversation-gone');
    assert.equal(refused.conversationId, 'Q29udg==');
  });

  it('stops for what another attempt would repeat', () => {
    assert.equal(classifyFailure(new ApiError('BAD_USER_INPUT', 'no')), 'fatal');
    assert.equal(classifyFailure(new ProtocolError('data.viewer must be an object.')), 'fatal');
    assert.equal(classifyFailure(new StreamClosedError(4400, 'Bad request')), 'fatal');
    assert.equal(classifyFailure(new TypeError('a bug')), 'fatal');
  });
});

describe('retryDelay', () => {
  const options = { baseMs: 100, maxMs: 1_000 };

  it('grows exponentially up to the cap, with the whole range jittered', () => {
    const highest = (attempt: number) =>
      retryDelay(attempt, new TransportError('x'), { ...options, random: () => 0.999_999 });
    assert.deepEqual([0, 1, 2, 3, 4, 10].map(highest), [99, 199, 399, 799, 999, 999]);
    const lowest = retryDelay(5, new TransportError('x'), { ...options, random: () => 0 });
    assert.equal(lowest, 0);
  });

  it('waits at least as long as a rate limit asks', () => {
    const limited = new ApiError('RATE_LIMITED', 'slow down', { retryAfterMs: 5_000 });
    assert.equal(retryDelay(0, limited, { ...options, random: () => 0.5 }), 5_000);
  });
});
