// End-to-end encryption through the real API and subscriptions: every conversation is an MLS
// group of devices, the server orders its commits, and what each device can read is decided by
// the group alone.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { Group, isCryptoError, newContentId } from '@parley/crypto';

import {
  ok,
  signUp,
  startCluster,
  startDirect,
  subscribe,
  type Account,
  uuidOf,
} from './support/harness.js';
import { baseDatabaseUrl, redisUrl } from './support/environment.js';
import { b64, MlsDevice, mlsEventsSubscription, StaleEpochError } from './support/mls-device.js';
import { createGroupMutation, stockQuery } from './support/mls-operations.js';

describe('end-to-end encryption', async () => {
  // Two instances when they can share a database and Redis, so that members sit on different
  // servers; on the embedded database, one.
  const shared = baseDatabaseUrl !== undefined && redisUrl !== undefined;
  const cluster = await startCluster({ instances: shared ? 2 : 1 });
  const first = cluster.servers[0]!;
  const second = cluster.servers[1] ?? first;

  async function device(account?: Account, server = first) {
    const signedUp = account ?? (await signUp(cluster));
    const created = await MlsDevice.create(server, signedUp);
    await created.listen();
    return created;
  }

  // The group's name travels encrypted, as a notice, so the server never stores it.
  async function group(creator: MlsDevice, members: MlsDevice[], name = 'friends') {
    const data = await creator.request<{ createGroupConversation: { id: string } }>(
      createGroupMutation,
      { m: members.map((m) => m.account.userId) },
    );
    const conversationId = data.createGroupConversation.id;
    await creator.createGroup(
      conversationId,
      members.map((m) => m.account.userId),
    );
    await creator.sendContent(conversationId, {
      type: 'system',
      id: newContentId(),
      sentAt: Date.now(),
      notice: 'group_renamed',
      name,
    });
    return conversationId;
  }

  it('lets two users chat, each reading only the other’s decrypted words', async () => {
    const alice = await device();
    const bob = await device(undefined, second);
    const conversationId = await startDirect(cluster, alice.account, bob.account);
    await alice.createGroup(conversationId, [bob.account.userId]);

    const hello = await alice.sendText(conversationId, 'hello bob');
    await bob.waitForSeq(conversationId, hello);
    const reply = await bob.sendText(conversationId, 'hi alice');
    await alice.waitForSeq(conversationId, reply);

    assert.deepEqual(bob.texts(conversationId), ['hello bob']);
    assert.deepEqual(alice.texts(conversationId), ['hi alice']);
    assert.equal(bob.groups.get(conversationId)!.epoch, 1);
    assert.deepEqual(
      bob.groups.get(conversationId)!.epochAuthenticator,
      alice.groups.get(conversationId)!.epochAuthenticator,
    );
    const stored = await alice.request<{ conversation: { epoch: number; messages: any } }>(
      `query($c: ID!) { conversation(id: $c) { epoch messages(first: 10) {
        edges { node { kind epoch ciphertext } } } } }`,
      { c: conversationId },
    );
    assert.equal(stored.conversation.epoch, 1);
    const kinds = stored.conversation.messages.edges.map((e: any) => e.node.kind);
    assert.deepEqual(kinds, ['COMMIT', 'APPLICATION', 'APPLICATION']);
    for (const edge of stored.conversation.messages.edges) {
      const bytes = Buffer.from(edge.node.ciphertext, 'base64').toString('latin1');
      assert.ok(!bytes.includes('hello bob') && !bytes.includes('hi alice'));
    }
    await Promise.all([alice.close(), bob.close()]);
  });

  it('lets a third user join a group and read only what comes after', async () => {
    const alice = await device();
    const bob = await device();
    const carol = await device();
    const conversationId = await group(alice, [bob]);
    const before = await alice.sendText(conversationId, 'before carol');
    await bob.waitForSeq(conversationId, before);

    const packages = await alice.claim([carol.account.userId]);
    const group_ = alice.groups.get(conversationId)!;
    const joinedAt = await alice.commit(conversationId, () => group_.add(packages, alice.policy));
    await carol.waitForSeq(conversationId, joinedAt);
    const after = await bob.sendText(conversationId, 'after carol');
    await carol.waitForSeq(conversationId, after);
    await alice.waitForSeq(conversationId, after);

    assert.deepEqual(carol.texts(conversationId), ['after carol']);
    const named = (bob.outcomes.get(conversationId) ?? []).find(
      (o) => o.type === 'received' && o.received.type === 'application',
    );
    assert.ok(named?.type === 'received' && named.received.type === 'application');
    assert.deepEqual(
      named.received.content.type === 'system' && named.received.content.notice,
      'group_renamed',
      'the group’s name reached Bob inside the encryption',
    );
    assert.deepEqual(alice.texts(conversationId), ['after carol']);
    assert.deepEqual(
      bob.texts(conversationId),
      ['before carol'],
      'his own message is not decrypted',
    );

    // The server does not hand Carol what came before she joined, and the ciphertext Alice can
    // fetch would be no use to her: it belongs to an epoch whose secrets she never had.
    const history = await carol.request<{ conversation: { messages: { edges: unknown[] } } }>(
      'query($c: ID!) { conversation(id: $c) { messages(first: 10) { edges { cursor } } } }',
      { c: conversationId },
    );
    assert.equal(history.conversation.messages.edges.length, 1);
    const old = await alice.request<{ conversation: { messages: any } }>(
      `query($c: ID!) { conversation(id: $c) { messages(first: 10) {
        edges { node { seq ciphertext } } } } }`,
      { c: conversationId },
    );
    const oldEntry = old.conversation.messages.edges.find((e: any) => e.node.seq === before);
    await assert.rejects(
      carol.groups.get(conversationId)!.receive(Buffer.from(oldEntry.node.ciphertext, 'base64')),
      (error) => isCryptoError(error, 'WRONG_EPOCH'),
    );
    await Promise.all([alice.close(), bob.close(), carol.close()]);
  });

  it('shuts a removed device out of everything sent after its removal', async () => {
    const alice = await device();
    const bob = await device();
    const carol = await device();
    const conversationId = await group(alice, [bob, carol]);
    await bob.waitForSeq(conversationId, 1);
    const bobBefore = bob.groups.get(conversationId)!.serialize();

    const removal = await alice.commit(conversationId, () =>
      alice.groups.get(conversationId)!.remove([bob.account.deviceId]),
    );
    await carol.waitForSeq(conversationId, removal);
    const secret = await alice.sendText(conversationId, 'only for carol');
    await carol.waitForSeq(conversationId, secret);
    assert.deepEqual(carol.texts(conversationId), ['only for carol']);

    // The server stopped routing to Bob, who left with his only device...
    const members = await alice.request<{ conversation: { members: { user: { id: string } }[] } }>(
      'query($c: ID!) { conversation(id: $c) { members { user { id } } } }',
      { c: conversationId },
    );
    assert.ok(!members.conversation.members.some((m) => m.user.id === bob.account.userId));
    assert.ok(!bob.texts(conversationId).includes('only for carol'));

    // ...and even with the ciphertext in hand, and a copy of his state from before the removal,
    // Bob cannot decrypt it: it was sent in an epoch he was never part of.
    const stored = await alice.request<{ conversation: { messages: any } }>(
      `query($c: ID!) { conversation(id: $c) { messages(last: 1) {
        edges { node { ciphertext } } } } }`,
      { c: conversationId },
    );
    const ciphertext = Buffer.from(stored.conversation.messages.edges[0].node.ciphertext, 'base64');
    const stale = Group.deserialize(bobBefore, bob.policy);
    await assert.rejects(stale.receive(ciphertext), (error) => isCryptoError(error, 'WRONG_EPOCH'));
    const current = bob.groups.get(conversationId)!;
    assert.equal(current.active, false, 'Bob processed his own removal');
    await assert.rejects(current.receive(ciphertext), (error) =>
      isCryptoError(error, 'NOT_A_MEMBER'),
    );
    await Promise.all([alice.close(), bob.close(), carol.close()]);
  });

  it('brings a user’s new device in through another member’s commit', async () => {
    const alice = await device();
    const bob = await device();
    const conversationId = await startDirect(cluster, alice.account, bob.account);
    await alice.createGroup(conversationId, [bob.account.userId]);
    const early = await alice.sendText(conversationId, 'before the new phone');
    await bob.waitForSeq(conversationId, early);

    const bobPhone = await signUp(cluster, { phoneNumber: bob.account.phoneNumber });
    assert.equal(bobPhone.userId, bob.account.userId);
    const phone = await device(bobPhone);
    const waiting = await alice.request<{ conversation: { devicesAwaitingJoin: any[] } }>(
      'query($c: ID!) { conversation(id: $c) { devicesAwaitingJoin { deviceId user { id } } } }',
      { c: conversationId },
    );
    assert.deepEqual(
      waiting.conversation.devicesAwaitingJoin.map((d) => d.deviceId),
      [bobPhone.deviceId],
    );

    const packages = await alice.claim([bob.account.userId], [bobPhone.deviceId]);
    const added = await alice.commit(conversationId, () =>
      alice.groups.get(conversationId)!.add(packages, alice.policy),
    );
    await phone.waitForSeq(conversationId, added);
    const late = await alice.sendText(conversationId, 'after the new phone');
    await Promise.all([
      phone.waitForSeq(conversationId, late),
      bob.waitForSeq(conversationId, late),
    ]);
    assert.deepEqual(phone.texts(conversationId), ['after the new phone']);
    assert.deepEqual(bob.texts(conversationId), ['before the new phone', 'after the new phone']);

    // Bob's two devices are two leaves: what one sends, the other reads.
    const fromPhone = await phone.sendText(conversationId, 'sent from the phone');
    await Promise.all([
      bob.waitForSeq(conversationId, fromPhone),
      alice.waitForSeq(conversationId, fromPhone),
    ]);
    assert.ok(bob.texts(conversationId).includes('sent from the phone'));
    assert.ok(alice.texts(conversationId).includes('sent from the phone'));
    await Promise.all([alice.close(), bob.close(), phone.close()]);
  });

  it('resolves concurrent commits to one epoch that every member shares', async () => {
    const alice = await device();
    const bob = await device();
    const carol = await device();
    const conversationId = await group(alice, [bob, carol]);
    await Promise.all([bob.waitForSeq(conversationId, 1), carol.waitForSeq(conversationId, 1)]);

    // Three members commit in the same epoch at once: one wins, the others are told the epoch
    // moved on, catch up and commit again.
    const [aliceCommit, bobCommit, carolCommit] = await Promise.all(
      [alice, bob, carol].map((member) => member.groups.get(conversationId)!.selfUpdate()),
    );
    const outcomes = await Promise.allSettled([
      alice.submit(conversationId, aliceCommit!),
      bob.submit(conversationId, bobCommit!),
      carol.submit(conversationId, carolCommit!),
    ]);
    const accepted = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    const stale = outcomes.filter(
      (outcome) => outcome.status === 'rejected' && outcome.reason instanceof StaleEpochError,
    );
    assert.equal(accepted.length, 1);
    assert.equal(stale.length, 2);
    for (const outcome of stale) {
      assert.equal((outcome as PromiseRejectedResult).reason.currentEpoch, 2);
    }

    for (const [index, member] of [alice, bob, carol].entries()) {
      if (outcomes[index]!.status === 'rejected') {
        await member.commit(conversationId, () => member.groups.get(conversationId)!.selfUpdate());
      }
    }
    const { conversation } = await alice.request<{
      conversation: { epoch: number; lastSeq: number };
    }>('query($c: ID!) { conversation(id: $c) { epoch lastSeq } }', { c: conversationId });
    assert.equal(conversation.epoch, 4);
    await Promise.all(
      [alice, bob, carol].map((member) => member.waitForSeq(conversationId, conversation.lastSeq)),
    );
    const [a, b, c] = [alice, bob, carol].map((member) => member.groups.get(conversationId)!);
    assert.equal(a!.epoch, 4);
    assert.equal(b!.epoch, 4);
    assert.equal(c!.epoch, 4);
    assert.deepEqual(b!.epochAuthenticator, a!.epochAuthenticator);
    assert.deepEqual(c!.epochAuthenticator, a!.epochAuthenticator);
    assert.deepEqual(alice.failures(conversationId), []);
    await Promise.all([alice.close(), bob.close(), carol.close()]);
  });

  it('rejects tampered and replayed ciphertext with a clear error and reads on', async () => {
    const alice = await device();
    const bob = await device();
    const conversationId = await startDirect(cluster, alice.account, bob.account);
    await alice.createGroup(conversationId, [bob.account.userId]);

    const group_ = alice.groups.get(conversationId)!;
    const genuine = await group_.send({
      type: 'text',
      id: crypto.randomUUID() as never,
      sentAt: Date.now(),
      body: 'genuine',
    });
    const tampered = Buffer.from(genuine);
    tampered[tampered.length - 3]! ^= 0x40;
    const sendRaw = (bytes: Uint8Array) =>
      alice.request<{ sendMessage: { message: { seq: number } } }>(
        `mutation($c: ID!, $id: String!, $b: Bytes!) {
          sendMessage(input: { conversationId: $c, clientMessageId: $id, ciphertext: $b }) {
            message { seq }
          }
        }`,
        { c: conversationId, id: crypto.randomUUID(), b: b64(bytes) },
      );
    await sendRaw(tampered);
    await sendRaw(genuine);
    const replay = await sendRaw(genuine);
    await bob.waitForSeq(conversationId, replay.sendMessage.message.seq);

    assert.deepEqual(bob.failures(conversationId), ['TAMPERED', 'REPLAYED']);
    assert.deepEqual(bob.texts(conversationId), ['genuine']);
    const next = await alice.sendText(conversationId, 'still fine');
    await bob.waitForSeq(conversationId, next);
    assert.deepEqual(bob.texts(conversationId), ['genuine', 'still fine']);
    await Promise.all([alice.close(), bob.close()]);
  });

  it('replays a Welcome to a device that was offline, until it joins', async () => {
    const alice = await device();
    const bobAccount = await signUp(cluster);
    const bob = await MlsDevice.create(first, bobAccount);
    const conversationId = await startDirect(cluster, alice.account, bobAccount);
    await alice.createGroup(conversationId, [bobAccount.userId]);
    const seq = await alice.sendText(conversationId, 'while you were away');

    await bob.listen();
    await bob.waitForSeq(conversationId, seq);
    assert.deepEqual(bob.texts(conversationId), ['while you were away']);
    const { viewer } = await ok<{ viewer: { keyPackageStock: { available: number } } }>(
      first,
      stockQuery,
      {},
      bobAccount.token,
    );
    assert.equal(viewer.keyPackageStock.available, 4, 'the Welcome used one key package');
    await bob.close();

    // Without a cursor, the device is handed the Welcome again...
    const fresh = await subscribe(first, bobAccount.token, undefined, {
      query: mlsEventsSubscription,
    });
    assert.equal(fresh.events.filter((e) => e.__typename === 'WelcomeEvent').length, 1);
    await fresh.dispose();

    // ...until it comes back with a cursor past the commit, its word that it joined: then the
    // Welcome is deleted, and not sent again.
    const back = await subscribe(first, bobAccount.token, [{ conversationId, seq }], {
      query: mlsEventsSubscription,
    });
    assert.ok(!back.events.some((event) => event.__typename === 'WelcomeEvent'));
    await back.dispose();
    const deviceUuid = uuidOf(bobAccount.deviceId);
    const kept = await first.deps.db.prisma.welcomeRecipient.count({
      where: { deviceId: deviceUuid },
    });
    assert.equal(kept, 0);
    await alice.close();
  });
});
