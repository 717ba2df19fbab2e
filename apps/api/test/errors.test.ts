// Bad input never crashes anything and never loses data: each mistake a client can make with
// conversations and messages gets a typed error with a stable code, and each authorization
// boundary holds. Sign-in and tokens are in sign-in-errors.test.ts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  errorCode,
  markReadMutation,
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

const conversationQuery = 'query($c: ID!) { conversation(id: $c) { id lastSeq } }';
const historyQuery = `query($c: ID!, $a: String) {
  conversation(id: $c) { messages(first: 5, after: $a) { edges { node { seq } } } }
}`;
const base64 = (text: string) => Buffer.from(text).toString('base64');
const unknownConversation = Buffer.from(
  'Conversation:00000000-0000-4000-8000-000000000000',
).toString('base64');

describe('conversations and messages', () => {
  it('refuses malformed, unknown and foreign conversation ids', async () => {
    const alice = await signUp(cluster);
    const bob = await signUp(cluster);
    const mallory = await signUp(cluster);
    const conversationId = await startDirect(cluster, alice, bob);

    assert.equal(
      await errorCode(server, conversationQuery, { c: 'nonsense' }, alice.token),
      'INVALID_ID',
    );
    const userIdAsConversation = alice.userId;
    assert.equal(
      await errorCode(server, conversationQuery, { c: userIdAsConversation }, alice.token),
      'INVALID_ID',
    );
    assert.equal(
      await errorCode(server, conversationQuery, { c: unknownConversation }, alice.token),
      'NOT_FOUND',
    );
    assert.equal(
      await errorCode(server, conversationQuery, { c: conversationId }, mallory.token),
      'NOT_A_MEMBER',
    );
  });

  it('keeps non-members from sending, reading, marking, typing and subscribing', async () => {
    const alice = await signUp(cluster);
    const bob = await signUp(cluster);
    const mallory = await signUp(cluster);
    const conversationId = await startDirect(cluster, alice, bob);
    await send(server, alice, conversationId, 'private');

    const sendCode = await errorCode(
      server,
      sendMutation,
      { c: conversationId, id: 'intruder-1', b: base64('let me in') },
      mallory.token,
    );
    assert.equal(sendCode, 'NOT_A_MEMBER');
    assert.equal(
      await errorCode(server, historyQuery, { c: conversationId }, mallory.token),
      'NOT_A_MEMBER',
    );
    assert.equal(
      await errorCode(server, markReadMutation, { c: conversationId, s: 1 }, mallory.token),
      'NOT_A_MEMBER',
    );
    assert.equal(
      await errorCode(
        server,
        'mutation($c: ID!) { setTyping(input: { conversationId: $c, typing: true }) }',
        { c: conversationId },
        mallory.token,
      ),
      'NOT_A_MEMBER',
    );
    const snooping = await subscribe(server, mallory.token, [{ conversationId, seq: 0 }]);
    await snooping.waitFor(() => false, 300).catch(() => undefined);
    assert.equal(
      (snooping.errors[0] as { extensions?: { code?: string } }).extensions?.code,
      'NOT_A_MEMBER',
    );
    assert.equal(snooping.events.length, 0);
    await snooping.dispose();

    // Nothing Mallory did reached the conversation.
    const view = await ok(server, conversationQuery, { c: conversationId }, alice.token);
    assert.equal(view.conversation.lastSeq, 1);
  });

  it('refuses oversized, empty and malformed ciphertext, and bad client message ids', async () => {
    const alice = await signUp(cluster);
    const bob = await signUp(cluster);
    const conversationId = await startDirect(cluster, alice, bob);
    const cases: [Record<string, unknown>, string][] = [
      [{ id: 'big', b: Buffer.alloc(65_537).toString('base64') }, 'MESSAGE_TOO_LARGE'],
      [{ id: 'empty', b: '' }, 'BAD_USER_INPUT'],
      [{ id: 'not-base64', b: 'this is not base64!' }, 'BAD_USER_INPUT'],
      [{ id: '', b: base64('x') }, 'BAD_USER_INPUT'],
      [{ id: 'x'.repeat(129), b: base64('x') }, 'BAD_USER_INPUT'],
      [{ id: 'spaces are not allowed', b: base64('x') }, 'BAD_USER_INPUT'],
    ];
    for (const [variables, expected] of cases) {
      assert.equal(
        await errorCode(server, sendMutation, { c: conversationId, ...variables }, alice.token),
        expected,
        JSON.stringify(variables).slice(0, 80),
      );
    }
    const view = await ok(server, conversationQuery, { c: conversationId }, alice.token);
    assert.equal(view.conversation.lastSeq, 0, 'nothing was stored');
  });

  it('refuses an oversized request body before reading it', async () => {
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }', padding: 'x'.repeat(6_000_000) }),
    });
    assert.equal(response.status, 413);
    const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
    assert.equal(body.errors[0]!.extensions.code, 'MESSAGE_TOO_LARGE');
  });

  it('refuses bad cursors and receipts past the last message', async () => {
    const alice = await signUp(cluster);
    const bob = await signUp(cluster);
    const conversationId = await startDirect(cluster, alice, bob);
    await send(server, alice, conversationId, 'one');

    const validCursor = Buffer.from('seq:1').toString('base64url');
    await ok(server, historyQuery, { c: conversationId, a: validCursor }, bob.token);
    for (const cursor of ['garbage', Buffer.from('seq:-1').toString('base64url'), '🙂']) {
      assert.equal(
        await errorCode(server, historyQuery, { c: conversationId, a: cursor }, bob.token),
        'INVALID_CURSOR',
        cursor,
      );
    }
    assert.equal(
      await errorCode(
        server,
        '{ conversations(first: 1, after: "bm90IGEgY3Vyc29y") { edges { cursor } } }',
        {},
        bob.token,
      ),
      'INVALID_CURSOR',
    );
    assert.equal(
      await errorCode(server, markReadMutation, { c: conversationId, s: 2 }, bob.token),
      'BAD_USER_INPUT',
    );
    assert.equal(
      await errorCode(server, markReadMutation, { c: conversationId, s: -1 }, bob.token),
      'BAD_USER_INPUT',
    );

    const badCursor = await subscribe(server, bob.token, [{ conversationId, seq: -5 }]);
    await badCursor.waitFor(() => false, 300).catch(() => undefined);
    assert.equal(
      (badCursor.errors[0] as { extensions?: { code?: string } }).extensions?.code,
      'INVALID_CURSOR',
    );
    await badCursor.dispose();
  });

  it('lets only admins remove others, and stops a removed member’s events at once', async () => {
    const admin = await signUp(cluster);
    const member = await signUp(cluster);
    const other = await signUp(cluster);
    const created = await ok(
      server,
      `mutation($m: [ID!]!) { createGroupConversation(input:
        { title: "Team", memberIds: $m }) { id } }`,
      { m: [member.userId, other.userId] },
      admin.token,
    );
    const groupId = created.createGroupConversation.id as string;
    const removeMember = `mutation($c: ID!, $u: ID!) { removeMember(input:
        { conversationId: $c, userId: $u }) { id } }`;
    assert.equal(
      await errorCode(server, removeMember, { c: groupId, u: other.userId }, member.token),
      'FORBIDDEN',
    );

    const otherEvents = await subscribe(server, other.token);
    await send(server, admin, groupId, 'before removal');
    await otherEvents.waitFor((event) => event.__typename === 'MessageEvent');
    await ok(server, removeMember, { c: groupId, u: other.userId }, admin.token);
    await otherEvents.waitFor(
      (event) => event.__typename === 'ConversationEvent' && event.change === 'MEMBER_REMOVED',
    );
    await send(server, admin, groupId, 'after removal');
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(
      otherEvents.events.filter((event) => event.__typename === 'MessageEvent').length,
      1,
      'the removed member got nothing sent after the removal',
    );
    assert.equal(
      await errorCode(server, historyQuery, { c: groupId }, other.token),
      'NOT_A_MEMBER',
    );
    await otherEvents.dispose();
  });
});

describe('operation limits', () => {
  it('refuses queries that are too deep, too long or use too many aliases', async () => {
    const alice = await signUp(cluster);
    const usual = `{ conversations { edges { node { members { user { id } }
      messages(last: 5) { edges { node { sender { id } } } } } } } }`;
    await ok(server, usual, {}, alice.token);

    const aliases = Array.from({ length: 20 }, (_, i) => `a${i}: viewer { user { id } }`).join(' ');
    assert.equal(await errorCode(server, `{ ${aliases} }`, {}, alice.token), 'QUERY_TOO_COMPLEX');
    const long = `{ viewer { user { id } } ${'__typename '.repeat(3_000)} }`;
    assert.equal(await errorCode(server, long, {}, alice.token), 'QUERY_TOO_COMPLEX');

    // Parley's schema has no cycles deep enough to pass the default depth limit, so this
    // server is started with a lower one to show the limit is enforced.
    const shallow = await startCluster({
      operationLimits: { depth: 4, aliases: 15, tokens: 3_000, cost: 5_000 },
    });
    const bob = await signUp(shallow);
    await ok(shallow.servers[0]!, '{ viewer { user { id } } }', {}, bob.token);
    assert.equal(await errorCode(shallow.servers[0]!, usual, {}, bob.token), 'QUERY_TOO_COMPLEX');
  });

  it('applies the same limits to operations over WebSocket', async () => {
    const alice = await signUp(cluster);
    const events = await subscribe(server, alice.token);
    const aliases = Array.from({ length: 20 }, (_, i) => `a${i}: viewer { user { id } }`).join(' ');
    const errors = await new Promise<readonly unknown[]>((resolve) => {
      events.client.subscribe(
        { query: `{ ${aliases} }` },
        {
          next: (result) => resolve(result.errors ?? []),
          error: (error) => resolve(Array.isArray(error) ? error : [error]),
          complete: () => resolve([]),
        },
      );
    });
    assert.equal(
      (errors[0] as { extensions?: { code?: string } } | undefined)?.extensions?.code,
      'QUERY_TOO_COMPLEX',
    );
    await events.dispose();
  });
});
