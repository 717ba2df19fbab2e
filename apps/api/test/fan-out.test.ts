// Two API instances sharing Postgres and Redis: what is sent through one reaches a subscriber
// connected to the other, in order, once.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { redisUrl } from './support/environment.js';
import {
  decodeText,
  isMessage,
  markReadMutation,
  ok,
  send,
  signUp,
  startCluster,
  startDirect,
  subscribe,
} from './support/harness.js';

describe('two instances sharing Redis', { skip: redisUrl ? false : 'REDIS_URL is not set' }, () => {
  it('delivers a message sent through one instance to a subscriber on the other', async () => {
    const cluster = await startCluster({ instances: 2, redis: true });
    const [first, second] = [cluster.servers[0]!, cluster.servers[1]!];
    const alice = await signUp(cluster);
    const bob = await signUp(cluster);
    const conversationId = await startDirect(cluster, alice, bob);

    const bobOnSecond = await subscribe(second, bob.token);
    for (let i = 1; i <= 20; i += 1) await send(first, alice, conversationId, `across ${i}`);
    const received = await bobOnSecond.waitForCount(isMessage, 20);
    assert.deepEqual(
      received.map((event) => event.message.seq),
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
    assert.equal(decodeText(received[19]!), 'across 20');

    // Receipts cross instances too.
    const aliceOnFirst = await subscribe(first, alice.token);
    await ok(second, markReadMutation, { c: conversationId, s: 20 }, bob.token);
    const receipt = await aliceOnFirst.waitFor((event) => event.__typename === 'ReceiptEvent');
    assert.equal(receipt.readUpTo, 20);

    // No duplicates arrived after the fact.
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(bobOnSecond.events.filter(isMessage).length, 20);
    await bobOnSecond.dispose();
    await aliceOnFirst.dispose();
  });
});
