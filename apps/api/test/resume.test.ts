// Ordered, resumable, exactly-once delivery: a device that reconnects with its cursors gets what
// it missed, in order, then live messages, with no gap and no duplicate; a retried send stores
// one message.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  decodeText,
  errorCode,
  isMessage,
  ok,
  send,
  sendMutation,
  signUp,
  startCluster,
  startDirect,
  subscribe,
} from './support/harness.js';

const cluster = await startCluster();
const server = cluster.servers[0]!;

describe('reconnecting with cursors', () => {
  it('replays exactly the missed messages in order, then continues live', async () => {
    const alice = await signUp(cluster);
    const bob = await signUp(cluster);
    const conversationId = await startDirect(cluster, alice, bob);

    const online = await subscribe(server, bob.token);
    for (let i = 1; i <= 3; i += 1) await send(server, alice, conversationId, `before ${i}`);
    const seen = await online.waitForCount(isMessage, 3);
    const cursor = seen.at(-1)!.message.seq as number;
    await online.dispose();

    for (let i = 1; i <= 5; i += 1) await send(server, alice, conversationId, `missed ${i}`);

    const back = await subscribe(server, bob.token, [{ conversationId, seq: cursor }]);
    const replayed = await back.waitForCount(isMessage, 5);
    assert.deepEqual(
      replayed.map(decodeText),
      [1, 2, 3, 4, 5].map((i) => `missed ${i}`),
    );
    assert.deepEqual(
      replayed.map((event) => event.message.seq),
      [4, 5, 6, 7, 8],
    );

    await send(server, alice, conversationId, 'live 1');
    await send(server, alice, conversationId, 'live 2');
    const all = await back.waitForCount(isMessage, 7);
    assert.deepEqual(
      all.map((event) => event.message.seq),
      [4, 5, 6, 7, 8, 9, 10],
    );
    await new Promise((resolve) => setTimeout(resolve, 150));
    assert.equal(back.events.filter(isMessage).length, 7, 'nothing arrives twice');
    await back.dispose();
  });

  it('keeps order and loses nothing while messages are sent during the replay', async () => {
    const alice = await signUp(cluster);
    const bob = await signUp(cluster);
    const conversationId = await startDirect(cluster, alice, bob);
    for (let i = 1; i <= 300; i += 1) await send(server, alice, conversationId, `old ${i}`);

    // The replay reads 300 stored messages in batches while 50 more are sent at once.
    const subscriber = subscribe(server, bob.token, [{ conversationId, seq: 0 }]);
    const sending = Promise.all(
      Array.from({ length: 50 }, (_, i) => send(server, alice, conversationId, `new ${i}`)),
    );
    const bobEvents = await subscriber;
    await sending;
    const received = await bobEvents.waitForCount(isMessage, 350, 15_000);
    assert.deepEqual(
      received.map((event) => event.message.seq),
      Array.from({ length: 350 }, (_, i) => i + 1),
    );
    await new Promise((resolve) => setTimeout(resolve, 150));
    assert.equal(bobEvents.events.filter(isMessage).length, 350);
    await bobEvents.dispose();
  });

  it('replays, without a cursor, what was sent since the device signed in', async () => {
    const alice = await signUp(cluster);
    const bob = await signUp(cluster);
    const conversationId = await startDirect(cluster, alice, bob);
    await send(server, alice, conversationId, 'for every device of Bob');
    const subscriber = await subscribe(server, bob.token);
    const [event] = await subscriber.waitForCount(isMessage, 1);
    assert.equal(decodeText(event!), 'for every device of Bob');
    await subscriber.dispose();
  });
});

describe('idempotent sends', () => {
  it('stores one message when the same client message id is sent twice', async () => {
    const alice = await signUp(cluster);
    const bob = await signUp(cluster);
    const conversationId = await startDirect(cluster, alice, bob);

    const first = await send(server, alice, conversationId, 'once', 'retry-me');
    const again = await send(server, alice, conversationId, 'once', 'retry-me');
    assert.equal(first.duplicate, false);
    assert.equal(again.duplicate, true);
    assert.equal(again.id, first.id);
    assert.equal(again.seq, first.seq);
  });

  it('stores one message when the same client message id races itself', async () => {
    const alice = await signUp(cluster);
    const bob = await signUp(cluster);
    const conversationId = await startDirect(cluster, alice, bob);

    const results = await Promise.all(
      Array.from({ length: 8 }, () => send(server, alice, conversationId, 'racing', 'same-id')),
    );
    assert.equal(new Set(results.map((result) => result.id)).size, 1);
    assert.equal(results.filter((result) => !result.duplicate).length, 1);

    const history = await ok(
      server,
      `query($c: ID!) { conversation(id: $c) { lastSeq messages(first: 10) { edges { node
        { seq } } } } }`,
      { c: conversationId },
      bob.token,
    );
    assert.equal(history.conversation.lastSeq, 1, 'no seq was skipped');
    assert.equal(history.conversation.messages.edges.length, 1);
  });

  it('refuses a client message id reused for another conversation', async () => {
    const alice = await signUp(cluster);
    const bob = await signUp(cluster);
    const carol = await signUp(cluster);
    const withBob = await startDirect(cluster, alice, bob);
    const withCarol = await startDirect(cluster, alice, carol);
    await send(server, alice, withBob, 'first use', 'reused');
    const code = await errorCode(
      server,
      sendMutation,
      { c: withCarol, id: 'reused', b: Buffer.from('second use').toString('base64') },
      alice.token,
    );
    assert.equal(code, 'CLIENT_MESSAGE_ID_CONFLICT');
  });

  it('assigns gapless seqs to concurrent senders in one conversation', async () => {
    const alice = await signUp(cluster);
    const bob = await signUp(cluster);
    const conversationId = await startDirect(cluster, alice, bob);
    const sends = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        send(server, i % 2 ? alice : bob, conversationId, `concurrent ${i}`),
      ),
    );
    assert.deepEqual(
      sends.map((result) => result.seq).sort((a, b) => a - b),
      Array.from({ length: 40 }, (_, i) => i + 1),
    );
  });
});
