// Ephemeral state: "typing…" expires by itself, presence follows the user's devices, and last
// seen is written when the last one goes, all within the user's privacy settings.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ok, signUp, startCluster, startDirect, subscribe } from './support/harness.js';

const cluster = await startCluster({ limits: { typingTtlMs: 1_500, presenceTtlMs: 900 } });
const server = cluster.servers[0]!;

const setTyping =
  'mutation($c: ID!, $t: Boolean!) { setTyping(input: { conversationId: $c, typing: $t }) }';
const typingQuery = 'query($c: ID!) { conversation(id: $c) { typing { id } } }';
const presenceQuery = 'query($u: ID!) { user(id: $u) { online lastSeenAt } }';

describe('typing', () => {
  it('shows while the user types and expires by itself', async () => {
    const alice = await signUp(cluster);
    const bob = await signUp(cluster);
    const conversationId = await startDirect(cluster, alice, bob);
    const bobEvents = await subscribe(server, bob.token);

    await ok(server, setTyping, { c: conversationId, t: true }, alice.token);
    const started = await bobEvents.waitFor((event) => event.__typename === 'TypingEvent');
    assert.equal(started.typing, true);
    assert.equal(started.user.id, alice.userId);
    assert.ok(Date.parse(started.expiresAt) > Date.now() - 1_000);
    const during = await ok(server, typingQuery, { c: conversationId }, bob.token);
    assert.deepEqual(during.conversation.typing, [{ id: alice.userId }]);

    const stopped = await bobEvents.waitFor(
      (event) => event.__typename === 'TypingEvent' && event.typing === false,
    );
    assert.equal(stopped.user.id, alice.userId);
    const after = await ok(server, typingQuery, { c: conversationId }, bob.token);
    assert.deepEqual(after.conversation.typing, []);
    await bobEvents.dispose();
  });

  it('stops at once when the user says so, and never reaches the typist themself', async () => {
    const alice = await signUp(cluster);
    const bob = await signUp(cluster);
    const conversationId = await startDirect(cluster, alice, bob);
    const aliceEvents = await subscribe(server, alice.token);
    const bobEvents = await subscribe(server, bob.token);

    await ok(server, setTyping, { c: conversationId, t: true }, alice.token);
    await ok(server, setTyping, { c: conversationId, t: false }, alice.token);
    const events = await bobEvents.waitForCount((event) => event.__typename === 'TypingEvent', 2);
    assert.deepEqual(
      events.map((event) => event.typing),
      [true, false],
    );
    const during = await ok(server, typingQuery, { c: conversationId }, bob.token);
    assert.deepEqual(during.conversation.typing, []);
    assert.equal(aliceEvents.events.filter((e) => e.__typename === 'TypingEvent').length, 0);
    await aliceEvents.dispose();
    await bobEvents.dispose();
  });
});

describe('presence', () => {
  it('goes offline and sets last seen when the user’s last device disconnects', async () => {
    const alice = await signUp(cluster);
    const bob = await signUp(cluster);
    await startDirect(cluster, alice, bob);
    const bobEvents = await subscribe(server, bob.token);

    const before = await ok(server, presenceQuery, { u: alice.userId }, bob.token);
    assert.equal(before.user.online, false);
    assert.equal(before.user.lastSeenAt, null);

    const phone = await subscribe(server, alice.token);
    const online = await bobEvents.waitFor(
      (event) => event.__typename === 'PresenceEvent' && event.online === true,
    );
    assert.equal(online.user.id, alice.userId);
    assert.equal(
      (await ok(server, presenceQuery, { u: alice.userId }, bob.token)).user.online,
      true,
    );

    // A second connection of the same user, then the first one goes: still online.
    const laptop = await subscribe(server, alice.token);
    await phone.dispose();
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(
      (await ok(server, presenceQuery, { u: alice.userId }, bob.token)).user.online,
      true,
    );

    const leaving = Date.now();
    await laptop.dispose();
    const offline = await bobEvents.waitFor(
      (event) => event.__typename === 'PresenceEvent' && event.online === false,
    );
    assert.ok(Date.parse(offline.lastSeenAt) >= leaving - 1_000);
    const after = await ok(server, presenceQuery, { u: alice.userId }, bob.token);
    assert.equal(after.user.online, false);
    assert.equal(after.user.lastSeenAt, offline.lastSeenAt);
    await bobEvents.dispose();
  });

  it('hides online and last seen from people the settings exclude', async () => {
    const alice = await signUp(cluster);
    const bob = await signUp(cluster);
    const carol = await signUp(cluster);
    await startDirect(cluster, alice, bob);
    await startDirect(cluster, alice, carol);
    // Alice has Bob in her contacts, not Carol.
    await ok(
      server,
      'mutation($n: [String!]!) { discoverContacts(input: { phoneNumbers: $n }) { id } }',
      { n: [bob.phoneNumber] },
      alice.token,
    );
    await ok(
      server,
      `mutation { updatePrivacySettings(input: { lastSeen: CONTACTS, online: CONTACTS })
        { lastSeen } }`,
      {},
      alice.token,
    );
    const connection = await subscribe(server, alice.token);
    await connection.dispose();
    await new Promise((resolve) => setTimeout(resolve, 200));

    const seenByBob = await ok(server, presenceQuery, { u: alice.userId }, bob.token);
    const seenByCarol = await ok(server, presenceQuery, { u: alice.userId }, carol.token);
    assert.notEqual(seenByBob.user.lastSeenAt, null);
    assert.equal(seenByBob.user.online, false);
    assert.equal(seenByCarol.user.lastSeenAt, null);
    assert.equal(seenByCarol.user.online, null);

    // Whoever hides their own last seen sees nobody's.
    await ok(
      server,
      'mutation { updatePrivacySettings(input: { lastSeen: NOBODY }) { lastSeen } }',
      {},
      bob.token,
    );
    const hiddenFromBob = await ok(server, presenceQuery, { u: alice.userId }, bob.token);
    assert.equal(hiddenFromBob.user.lastSeenAt, null);
  });
});
