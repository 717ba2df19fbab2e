// Bad input never crashes anything and never loses data: each mistake a client can make gets a
// typed error with a stable code, and each authorization boundary holds.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  errorCode,
  gql,
  ok,
  send,
  sendMutation,
  signUp,
  startCluster,
  startDirect,
  subscribe,
} from './support/harness.js';

const cluster = await startCluster({ limits: { codesPerNumber: { limit: 3, windowMs: 60_000 } } });
const server = cluster.servers[0]!;

const requestCode =
  'mutation($p: String!) { requestVerificationCode(input: { phoneNumber: $p }) { phoneNumber } }';
const verify = `mutation($p: String!, $c: String!) {
  verifyCode(input: { phoneNumber: $p, code: $c, deviceName: "test" }) { token }
}`;
const conversationQuery = 'query($c: ID!) { conversation(id: $c) { id lastSeq } }';
const historyQuery =
  'query($c: ID!, $a: String) { conversation(id: $c) { messages(first: 5, after: $a) { edges { node { seq } } } } }';
const markRead =
  'mutation($c: ID!, $s: Int!) { markRead(input: { conversationId: $c, seq: $s }) { readUpTo } }';
const base64 = (text: string) => Buffer.from(text).toString('base64');
const unknownConversation = Buffer.from(
  'Conversation:00000000-0000-4000-8000-000000000000',
).toString('base64');

describe('sign-in input', () => {
  it('refuses malformed phone numbers', async () => {
    for (const phoneNumber of ['', '4155550123', '+1 415', '+999999999999', 'x'.repeat(500)]) {
      assert.equal(
        await errorCode(server, requestCode, { p: phoneNumber }),
        'INVALID_PHONE_NUMBER',
        phoneNumber,
      );
    }
  });

  it('refuses a wrong code, then voids the code after too many attempts', async () => {
    const phoneNumber = '+14155550101';
    await ok(server, requestCode, { p: phoneNumber });
    const right = cluster.codes.for(phoneNumber);
    const wrong = right === '000000' ? '111111' : '000000';
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      assert.equal(await errorCode(server, verify, { p: phoneNumber, c: wrong }), 'INVALID_CODE');
    }
    assert.equal(
      await errorCode(server, verify, { p: phoneNumber, c: right }),
      'TOO_MANY_ATTEMPTS',
      'even the right code no longer works',
    );
  });

  it('refuses a code that was never sent, or was already used', async () => {
    assert.equal(
      await errorCode(server, verify, { p: '+14155550102', c: '123456' }),
      'INVALID_CODE',
    );
    const phoneNumber = '+14155550103';
    await ok(server, requestCode, { p: phoneNumber });
    const code = cluster.codes.for(phoneNumber);
    await ok(server, verify, { p: phoneNumber, c: code });
    assert.equal(await errorCode(server, verify, { p: phoneNumber, c: code }), 'INVALID_CODE');
  });

  it('limits how many codes one number is sent', async () => {
    const phoneNumber = '+14155550104';
    for (let i = 0; i < 3; i += 1) await ok(server, requestCode, { p: phoneNumber });
    const result = await gql(server, requestCode, { p: phoneNumber });
    assert.equal(result.errors?.[0]?.extensions?.code, 'RATE_LIMITED');
    assert.ok(Number(result.errors?.[0]?.extensions?.retryAfterMs) > 0);
  });

  it('refuses an expired code', async () => {
    const shortLived = await startCluster({ limits: { codeTtlMs: 50 } });
    const phoneNumber = '+14155550105';
    await ok(shortLived.servers[0]!, requestCode, { p: phoneNumber });
    await new Promise((resolve) => setTimeout(resolve, 120));
    assert.equal(
      await errorCode(shortLived.servers[0]!, verify, {
        p: phoneNumber,
        c: shortLived.codes.for(phoneNumber),
      }),
      'CODE_EXPIRED',
    );
  });
});

describe('authentication', () => {
  it('refuses operations without a token, with an unknown token, or a malformed header', async () => {
    assert.equal(await errorCode(server, '{ viewer { user { id } } }'), 'UNAUTHENTICATED');
    assert.equal(
      await errorCode(server, '{ viewer { user { id } } }', {}, 'pdt_unknown'),
      'UNAUTHENTICATED',
    );
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Basic abc' },
      body: JSON.stringify({ query: '{ viewer { user { id } } }' }),
    });
    const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
    assert.equal(body.errors[0]!.extensions.code, 'UNAUTHENTICATED');
  });

  it('refuses a revoked device’s token and closes its sockets at once', async () => {
    const phoneNumber = '+14155550106';
    const phone = await signUp(cluster, { phoneNumber, deviceName: 'phone' });
    const laptop = await signUp(cluster, { phoneNumber, deviceName: 'laptop' });
    const socket = await subscribe(server, laptop.token);

    const devices = await ok(server, '{ viewer { devices { id name current } } }', {}, phone.token);
    assert.deepEqual(
      devices.viewer.devices.map((device: any) => [device.name, device.current]),
      [
        ['phone', true],
        ['laptop', false],
      ],
    );
    await ok(
      server,
      'mutation($d: ID!) { revokeDevice(input: { deviceId: $d }) { id } }',
      { d: laptop.deviceId },
      phone.token,
    );
    const closed = await socket.closed;
    assert.equal(closed.code, 4403);
    assert.equal(
      await errorCode(server, '{ viewer { user { id } } }', {}, laptop.token),
      'DEVICE_REVOKED',
    );
    const refused = await subscribe(server, laptop.token);
    assert.equal((await refused.closed).code, 4403, 'a revoked token cannot reconnect');
    // The other device is untouched.
    await ok(server, '{ viewer { user { id } } }', {}, phone.token);
  });

  it('refuses to revoke another user’s device', async () => {
    const alice = await signUp(cluster);
    const mallory = await signUp(cluster);
    assert.equal(
      await errorCode(
        server,
        'mutation($d: ID!) { revokeDevice(input: { deviceId: $d }) { id } }',
        { d: alice.deviceId },
        mallory.token,
      ),
      'NOT_FOUND',
    );
  });

  it('refuses a WebSocket without a token', async () => {
    const anonymous = await subscribe(server, undefined);
    assert.equal((await anonymous.closed).code, 4403);
  });

  it('refuses a WebSocket upgrade from a foreign browser origin', async () => {
    const alice = await signUp(cluster);
    const foreign = await subscribe(server, alice.token, undefined, {
      origin: 'https://evil.example',
    });
    const closed = await foreign.closed;
    assert.notEqual(closed.code, 1000);
    assert.equal(foreign.events.length, 0);
    const sameOrigin = await subscribe(server, alice.token, undefined, { origin: server.url });
    assert.equal(sameOrigin.errors.length, 0);
    await sameOrigin.dispose();
  });
});

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
      await errorCode(server, markRead, { c: conversationId, s: 1 }, mallory.token),
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
      body: JSON.stringify({ query: '{ __typename }', padding: 'x'.repeat(1_000_000) }),
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
      await errorCode(server, markRead, { c: conversationId, s: 2 }, bob.token),
      'BAD_USER_INPUT',
    );
    assert.equal(
      await errorCode(server, markRead, { c: conversationId, s: -1 }, bob.token),
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

  it('lets only group admins remove others, and stops a removed member’s events at once', async () => {
    const admin = await signUp(cluster);
    const member = await signUp(cluster);
    const other = await signUp(cluster);
    const created = await ok(
      server,
      'mutation($m: [ID!]!) { createGroupConversation(input: { title: "Team", memberIds: $m }) { id } }',
      { m: [member.userId, other.userId] },
      admin.token,
    );
    const groupId = created.createGroupConversation.id as string;
    const removeMember =
      'mutation($c: ID!, $u: ID!) { removeMember(input: { conversationId: $c, userId: $u }) { id } }';
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
