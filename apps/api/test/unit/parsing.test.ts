// Parsing at the boundary: phone numbers, ids, cursors, bus events and configuration.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { parseBusEvent } from '../../src/bus/events.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { ParleyError } from '../../src/errors.js';
import { readBearerToken } from '../../src/identity/device-token.js';
import { parsePhoneNumber, redactPhoneNumber } from '../../src/identity/phone-number.js';
import { parseConversationId } from '../../src/ids.js';
import {
  decodeActivityCursor,
  decodeSeqCursor,
  encodeActivityCursor,
  encodeSeqCursor,
} from '../../src/messaging/cursors.js';

const codeOf = (work: () => unknown) => {
  try {
    work();
  } catch (error) {
    if (error instanceof ParleyError) return error.code;
    throw error;
  }
  return undefined;
};

describe('phone numbers', () => {
  it('normalises valid international numbers to E.164', () => {
    assert.equal(parsePhoneNumber('+1 (415) 555-0123'), '+14155550123');
    assert.equal(parsePhoneNumber(' +49 151 12345678 '), '+4915112345678');
  });

  it('refuses national, impossible and oversized input', () => {
    for (const input of ['4155550123', '+1555', '+12025550', '', '+'.padEnd(40, '1')]) {
      assert.equal(
        codeOf(() => parsePhoneNumber(input)),
        'INVALID_PHONE_NUMBER',
        input,
      );
    }
  });

  it('redacts all but the country code and last two digits for logs', () => {
    assert.equal(redactPhoneNumber('+14155550123'), '+14…23');
  });
});

describe('ids and cursors', () => {
  it('accepts UUIDs and refuses anything else as a conversation id', () => {
    assert.equal(
      parseConversationId('0F5B2C6E-8D2A-4E8B-9C3D-1A2B3C4D5E6F'),
      '0f5b2c6e-8d2a-4e8b-9c3d-1a2b3c4d5e6f',
    );
    for (const input of ['', 'abc', "1' OR '1'='1", '0f5b2c6e8d2a4e8b9c3d1a2b3c4d5e6f']) {
      assert.equal(
        codeOf(() => parseConversationId(input)),
        'INVALID_ID',
        input,
      );
    }
  });

  it('round-trips its own cursors and refuses forged ones', () => {
    assert.equal(decodeSeqCursor(encodeSeqCursor(42)), 42);
    const position = { activityAt: new Date(1_700_000_000_123), id: crypto.randomUUID() };
    assert.deepEqual(decodeActivityCursor(encodeActivityCursor(position)), position);
    for (const forged of ['', 'seq:1', Buffer.from('seq:99999999999').toString('base64url')]) {
      assert.equal(
        codeOf(() => decodeSeqCursor(forged)),
        'INVALID_CURSOR',
        forged,
      );
    }
    assert.equal(
      codeOf(() => decodeActivityCursor(encodeSeqCursor(1))),
      'INVALID_CURSOR',
    );
  });

  it('reads bearer tokens and nothing else from Authorization values', () => {
    assert.equal(readBearerToken('Bearer pdt_abc'), 'pdt_abc');
    assert.equal(readBearerToken('pdt_abc'), 'pdt_abc');
    assert.equal(readBearerToken('Basic dXNlcg=='), undefined);
    assert.equal(readBearerToken(42), undefined);
    assert.equal(readBearerToken(`Bearer pdt_${'a'.repeat(200)}`), undefined);
  });
});

describe('bus events from other instances', () => {
  const conversationId = crypto.randomUUID();
  const message = {
    type: 'message',
    conversationId,
    messageId: crypto.randomUUID(),
    seq: 3,
    senderUserId: crypto.randomUUID(),
    senderDeviceId: crypto.randomUUID(),
    clientMessageId: 'c-1',
    ciphertext: Buffer.from('opaque').toString('base64'),
    createdAt: new Date().toISOString(),
    kind: 'APPLICATION',
    epoch: null,
  };

  it('accepts a well-formed event', () => {
    assert.deepEqual(parseBusEvent(JSON.stringify(message)), message);
  });

  it('drops malformed JSON, unknown types and bad fields', () => {
    for (const raw of [
      '{',
      JSON.stringify({ ...message, type: 'launch_missiles' }),
      JSON.stringify({ ...message, seq: -1 }),
      JSON.stringify({ ...message, conversationId: 'not-a-uuid' }),
      JSON.stringify({ ...message, ciphertext: 'not base64!' }),
      JSON.stringify({ type: 'typing', conversationId }),
    ]) {
      assert.equal(parseBusEvent(raw), undefined, raw.slice(0, 60));
    }
  });
});

describe('configuration', () => {
  it('uses the embedded defaults when nothing is set', () => {
    const config = loadConfig({});
    assert.equal(config.port, 4000);
    assert.equal(config.databaseUrl, undefined);
    assert.equal(config.redisUrl, undefined);
    assert.equal(config.maxMessageBytes, 65_536);
  });

  it('reports every invalid variable at once', () => {
    assert.throws(
      () => loadConfig({ PORT: '70000', REDIS_URL: 'http://x', LOG_LEVEL: 'loud' }),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.problems.length === 3 &&
        ['PORT', 'REDIS_URL', 'LOG_LEVEL'].every((name) =>
          error.problems.some((problem) => problem.startsWith(name)),
        ),
    );
  });
});
