// Two users sign up, open a direct conversation and write to each other over the real HTTP and
// WebSocket API, watching their own messages go from sent to delivered to read.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  decodeText,
  markDeliveredMutation,
  markReadMutation,
  isMessage,
  ok,
  send,
  signUp,
  startCluster,
  startDirect,
  subscribe,
} from './support/harness.js';

const cluster = await startCluster();
const server = cluster.servers[0]!;

const statusQuery = `
  query($c: ID!) {
    conversation(id: $c) {
      deliveredUpTo readUpTo unreadCount lastSeq
      messages(last: 10) { edges { node { seq status clientMessageId } } }
    }
  }`;

describe('a direct conversation between two users', () => {
  it('carries messages both ways in seq order, and receipts from sent to read', async () => {
    const alice = await signUp(cluster, { name: 'Alice' });
    const bob = await signUp(cluster, { name: 'Bob' });
    const conversationId = await startDirect(cluster, alice, bob);
    assert.equal(await startDirect(cluster, bob, alice), conversationId, 'one conversation a pair');

    const aliceEvents = await subscribe(server, alice.token);
    const bobEvents = await subscribe(server, bob.token);

    const first = await send(server, alice, conversationId, 'hello Bob');
    const second = await send(server, bob, conversationId, 'hi Alice');
    const third = await send(server, alice, conversationId, 'how are you?');
    assert.deepEqual([first.seq, second.seq, third.seq], [1, 2, 3]);

    const bobSaw = await bobEvents.waitForCount(isMessage, 3);
    assert.deepEqual(bobSaw.map(decodeText), ['hello Bob', 'hi Alice', 'how are you?']);
    assert.deepEqual(
      bobSaw.map((event) => event.message.seq),
      [1, 2, 3],
    );
    const aliceSaw = await aliceEvents.waitForCount(isMessage, 3);
    assert.equal(aliceSaw[1]!.message.sender.id, bob.userId);

    // Nobody else has received Alice's third message yet: it is only sent.
    let view = await ok(server, statusQuery, { c: conversationId }, alice.token);
    const statusOf = (seq: number) =>
      view.conversation.messages.edges.find((edge: any) => edge.node.seq === seq)?.node.status;
    assert.equal(statusOf(3), 'SENT');
    assert.equal(statusOf(2), null, 'no status on messages of others');
    const bobView = await ok(server, statusQuery, { c: conversationId }, bob.token);
    // Bob's own reply counts as reading what came before it.
    assert.equal(bobView.conversation.unreadCount, 1, "Bob has not read Alice's last message");

    await ok(server, markDeliveredMutation, { c: conversationId, s: 3 }, bob.token);
    const delivered = await aliceEvents.waitFor(
      (event) => event.__typename === 'ReceiptEvent' && event.user.id === bob.userId,
    );
    assert.equal(delivered.deliveredUpTo, 3);
    view = await ok(server, statusQuery, { c: conversationId }, alice.token);
    assert.equal(statusOf(3), 'DELIVERED');

    await ok(server, markReadMutation, { c: conversationId, s: 3 }, bob.token);
    await aliceEvents.waitFor(
      (event) => event.__typename === 'ReceiptEvent' && event.readUpTo === 3,
    );
    view = await ok(server, statusQuery, { c: conversationId }, alice.token);
    assert.equal(statusOf(3), 'READ');
    assert.equal(statusOf(1), 'READ');
    assert.equal(view.conversation.readUpTo, 3);
    const bobAfter = await ok(server, statusQuery, { c: conversationId }, bob.token);
    assert.equal(bobAfter.conversation.unreadCount, 0);

    await aliceEvents.dispose();
    await bobEvents.dispose();
  });

  it('lists conversations by last activity with unread counts', async () => {
    const carol = await signUp(cluster, { name: 'Carol' });
    const dave = await signUp(cluster, { name: 'Dave' });
    const erin = await signUp(cluster, { name: 'Erin' });
    const withDave = await startDirect(cluster, carol, dave);
    const withErin = await startDirect(cluster, carol, erin);
    await send(server, erin, withErin, 'one');
    await send(server, dave, withDave, 'two');
    await send(server, dave, withDave, 'three');

    const list = await ok(
      server,
      '{ conversations(first: 10) { edges { node { id unreadCount } } pageInfo { hasNextPage } } }',
      {},
      carol.token,
    );
    const nodes = list.conversations.edges.map((edge: any) => edge.node);
    assert.deepEqual(
      nodes.map((node: any) => [node.id, node.unreadCount]),
      [
        [withDave, 2],
        [withErin, 1],
      ],
    );

    const firstPage = await ok(
      server,
      `{ conversations(first: 1) { edges { cursor node { id } } pageInfo
        { hasNextPage endCursor } } }`,
      {},
      carol.token,
    );
    assert.equal(firstPage.conversations.pageInfo.hasNextPage, true);
    const secondPage = await ok(
      server,
      `query($a: String!) { conversations(first: 1, after: $a) { edges { node
        { id } } pageInfo { hasNextPage } } }`,
      { a: firstPage.conversations.pageInfo.endCursor },
      carol.token,
    );
    assert.equal(secondPage.conversations.edges[0].node.id, withErin);
    assert.equal(secondPage.conversations.pageInfo.hasNextPage, false);
  });

  it('pages through history in both directions', async () => {
    const frank = await signUp(cluster);
    const grace = await signUp(cluster);
    const conversationId = await startDirect(cluster, frank, grace);
    for (let i = 1; i <= 7; i += 1) await send(server, frank, conversationId, `message ${i}`);

    const page = `
      query($c: ID!, $first: Int, $after: String, $last: Int, $before: String) {
        conversation(id: $c) {
          messages(first: $first, after: $after, last: $last, before: $before) {
            edges { cursor node { seq } }
            pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
          }
        }
      }`;
    const seqs = (data: any) => data.conversation.messages.edges.map((edge: any) => edge.node.seq);

    const newest = await ok(server, page, { c: conversationId, last: 3 }, grace.token);
    assert.deepEqual(seqs(newest), [5, 6, 7]);
    assert.equal(newest.conversation.messages.pageInfo.hasPreviousPage, true);
    const older = await ok(
      server,
      page,
      { c: conversationId, last: 3, before: newest.conversation.messages.pageInfo.startCursor },
      grace.token,
    );
    assert.deepEqual(seqs(older), [2, 3, 4]);

    const oldest = await ok(server, page, { c: conversationId, first: 4 }, grace.token);
    assert.deepEqual(seqs(oldest), [1, 2, 3, 4]);
    assert.equal(oldest.conversation.messages.pageInfo.hasNextPage, true);
    const rest = await ok(
      server,
      page,
      { c: conversationId, first: 10, after: oldest.conversation.messages.pageInfo.endCursor },
      grace.token,
    );
    assert.deepEqual(seqs(rest), [5, 6, 7]);
    assert.equal(rest.conversation.messages.pageInfo.hasNextPage, false);
  });

  it('discovers which numbers are users, and hides read state when receipts are off', async () => {
    const heidi = await signUp(cluster);
    const ivan = await signUp(cluster);
    const found = await ok(
      server,
      `mutation($n: [String!]!) { discoverContacts(input: { phoneNumbers: $n })
        { id phoneNumber } }`,
      { n: [ivan.phoneNumber, '+14155559999', 'not a number'] },
      heidi.token,
    );
    assert.deepEqual(
      found.discoverContacts.map((user: any) => user.id),
      [ivan.userId],
    );

    const conversationId = await startDirect(cluster, heidi, ivan);
    const sent = await send(server, heidi, conversationId, 'are receipts on?');
    await ok(
      server,
      'mutation { updatePrivacySettings(input: { readReceipts: false }) { readReceipts } }',
      {},
      ivan.token,
    );
    await ok(server, markReadMutation, { c: conversationId, s: sent.seq }, ivan.token);
    const view = await ok(server, statusQuery, { c: conversationId }, heidi.token);
    assert.equal(view.conversation.readUpTo, null);
    assert.equal(view.conversation.messages.edges[0].node.status, 'DELIVERED');
  });
});
