// Web Push settings at the boundary: the VAPID key pair, its subject, and the payloads that must
// fit in one push.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import webPush from 'web-push';

import { ConfigError, loadConfig } from '../../src/config.js';
import type { Database } from '../../src/db/database.js';
import type { Message } from '../../src/generated/prisma/client.ts';
import { createLogger } from '../../src/logger.js';
import { maxPushBodyBytes, messagePushPayload } from '../../src/push/push-payload.js';
import { loadVapidKeys } from '../../src/push/vapid-keys.js';
import { PushReceiver } from '../support/push-receiver.js';

const refusal =
  (...names: string[]) =>
  (error: unknown) =>
    error instanceof ConfigError &&
    names.every((name) => error.problems.some((problem) => problem.includes(name)));

describe('VAPID settings', () => {
  const pair = webPush.generateVAPIDKeys();

  it('defaults to a key pair kept in the database and a mailto: subject', () => {
    const config = loadConfig({});
    assert.equal(config.push.vapidKeys, undefined);
    assert.equal(config.push.vapidSubject, 'mailto:admin@localhost');
    assert.equal(config.push.allowInsecureEndpoints, false);
  });

  it('takes both halves of a pair from the environment', () => {
    const config = loadConfig({
      VAPID_PUBLIC_KEY: pair.publicKey,
      VAPID_PRIVATE_KEY: pair.privateKey,
    });
    assert.deepEqual(config.push.vapidKeys, pair);
  });

  it('refuses half a pair, keys of the wrong size and a subject nobody can reach', () => {
    assert.throws(() => loadConfig({ VAPID_PUBLIC_KEY: pair.publicKey }), refusal('VAPID'));
    assert.throws(
      () => loadConfig({ VAPID_PUBLIC_KEY: pair.privateKey, VAPID_PRIVATE_KEY: pair.publicKey }),
      refusal('VAPID_PUBLIC_KEY', 'VAPID_PRIVATE_KEY'),
    );
    assert.throws(
      () => loadConfig({ VAPID_SUBJECT: 'admin@example.com' }),
      refusal('VAPID_SUBJECT'),
    );
  });

  it('refuses a public key that is not the private key’s own', async () => {
    const other = webPush.generateVAPIDKeys();
    const mismatched = { publicKey: other.publicKey, privateKey: pair.privateKey };
    // The pair is checked before the database is consulted.
    const database = {} as Database;
    await assert.rejects(
      loadVapidKeys(database, mismatched, createLogger('silent')),
      refusal('VAPID_PUBLIC_KEY'),
    );
  });
});

describe('push payloads', () => {
  const message = (bytes: number): Message => ({
    id: crypto.randomUUID(),
    conversationId: crypto.randomUUID(),
    seq: 7,
    senderDeviceId: crypto.randomUUID(),
    senderUserId: crypto.randomUUID(),
    clientMessageId: 'c1',
    ciphertext: new Uint8Array(bytes),
    createdAt: new Date(),
    kind: 'APPLICATION',
    epoch: null,
  });

  it('carries the ciphertext while the encrypted push fits in 4096 bytes, else wakes', () => {
    const { p256dh, auth } = PushReceiver.create().keys;
    const bodyBytes = (payload: object) =>
      webPush.encrypt(p256dh, auth, JSON.stringify(payload), 'aes128gcm').cipherText.length;

    let largestCarried = 0;
    for (let bytes = 2_500; bytes <= 3_000; bytes++) {
      const payload = messagePushPayload(message(bytes));
      if (payload.type === 'wake') continue;
      assert.ok(bodyBytes(payload) <= maxPushBodyBytes, `${bytes} bytes`);
      largestCarried = bytes;
    }
    assert.ok(largestCarried > 2_500 && largestCarried < 3_000, `${largestCarried} bytes`);
    // The limit is used up to the last base64 quantum, not rounded down.
    const atLimit = bodyBytes(messagePushPayload(message(largestCarried)));
    assert.ok(atLimit > maxPushBodyBytes - 4, `${atLimit} bytes`);
    const beyond = messagePushPayload(message(largestCarried + 3));
    assert.equal(beyond.type, 'wake');
    assert.equal(beyond.type === 'wake' && beyond.reason, 'message');
    assert.equal(beyond.seq, 7);
  });
});
