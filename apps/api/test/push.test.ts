// Web Push to devices that are away: the server encrypts each push to the device's own keys
// (RFC 8291), signs it with its VAPID key (RFC 8292), and carries at most the MLS ciphertext, which
// only the device can read. A fake push service on loopback stands in for the browser vendor's.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';

import webPush from 'web-push';

import { createLogger } from '../src/logger.js';
import { loadVapidKeys } from '../src/push/vapid-keys.js';
import { capturedLogs } from './support/captured-logs.js';
import { FakePushService, verifyVapid } from './support/fake-push-service.js';
import {
  gql,
  ok,
  send,
  signUp,
  startCluster,
  startDirect,
  uuidOf,
  type Account,
} from './support/harness.js';
import { MlsDevice } from './support/mls-device.js';
import { createGroupMutation } from './support/mls-operations.js';
import {
  enablePush,
  type PushDevice,
  pushPayload,
  registerPushMutation,
  waitUntilAway,
} from './support/push-operations.js';
import { PushReceiver } from './support/push-receiver.js';

const pushEnabledQuery = '{ viewer { pushEnabled } }';
const lastMessageQuery = `query($c: ID!) {
  conversation(id: $c) { messages(last: 1) { edges { node { id seq ciphertext } } } }
}`;

describe('web push', async () => {
  const { logger, lines: logLines } = capturedLogs();
  const cluster = await startCluster({ logger, env: { PUSH_ALLOW_INSECURE_ENDPOINTS: 'true' } });
  const server = cluster.servers[0]!;
  const service = await FakePushService.start();
  const { pushConfig } = await ok<{ pushConfig: { vapidPublicKey: string } }>(
    server,
    '{ pushConfig { vapidPublicKey } }',
  );

  async function device(): Promise<MlsDevice> {
    const created = await MlsDevice.create(server, await signUp(cluster));
    await created.listen();
    return created;
  }

  /** A group of MLS devices, each of which has joined it. */
  async function group(creator: MlsDevice, members: MlsDevice[]): Promise<string> {
    const data = await creator.request<{ createGroupConversation: { id: string } }>(
      createGroupMutation,
      { m: members.map((member) => member.account.userId) },
    );
    const conversationId = data.createGroupConversation.id;
    await creator.createGroup(
      conversationId,
      members.map((member) => member.account.userId),
    );
    const commitSeq = creator.position.get(conversationId)!;
    for (const member of members) await member.waitForSeq(conversationId, commitSeq);
    return conversationId;
  }

  const subscribed: PushDevice[] = [];

  async function subscribe(account: Account, status?: number): Promise<PushDevice> {
    const subscription = await enablePush(server, account, service, status);
    subscribed.push(subscription);
    return subscription;
  }

  async function goAway(...devices: MlsDevice[]): Promise<void> {
    for (const away of devices) {
      await away.close();
      await waitUntilAway(server, away.account);
    }
  }

  async function pushEnabled(account: Account): Promise<boolean> {
    const data = await ok<{ viewer: { pushEnabled: boolean } }>(
      server,
      pushEnabledQuery,
      {},
      account.token,
    );
    return data.viewer.pushEnabled;
  }

  it('gives out one VAPID public key, which the server keeps for every instance', async () => {
    assert.equal(Buffer.from(pushConfig.vapidPublicKey, 'base64url').length, 65);
    // Another instance, or this one restarted, reads the same pair from the database.
    const again = await loadVapidKeys(server.deps.db, undefined, createLogger('silent'));
    assert.equal(again.publicKey, pushConfig.vapidPublicKey);
  });

  it('pushes a message to a device that is away, and only that device can read it', async () => {
    const alice = await device();
    const bob = await device();
    const conversationId = await group(alice, [bob]);
    const bobPush = await subscribe(bob.account);
    assert.equal(await pushEnabled(bob.account), true);
    await goAway(bob);

    const seq = await alice.sendText(conversationId, 'are you there?');
    const [received] = await service.waitFor(bobPush.endpoint);
    const stored = await alice.request<{ conversation: { messages: any } }>(lastMessageQuery, {
      c: conversationId,
    });
    const message = stored.conversation.messages.edges[0].node;
    assert.equal(message.seq, seq);
    assert.deepEqual(pushPayload(bobPush, received!.body), {
      type: 'message',
      v: 1,
      conversationId,
      seq,
      messageId: message.id,
      senderDeviceId: alice.account.deviceId,
      ciphertext: message.ciphertext,
    });

    // Bob's service worker decrypts it with the device's own MLS state.
    const payload = pushPayload(bobPush, received!.body);
    const read = await bob.groups
      .get(conversationId)!
      .receive(Buffer.from(payload.ciphertext as string, 'base64'));
    assert.ok(read.type === 'application' && read.content.type === 'text');
    assert.equal(read.content.body, 'are you there?');

    // What the push service saw: an aes128gcm body, delivery hints and a VAPID signature.
    const { headers } = received!;
    assert.equal(headers['content-encoding'], 'aes128gcm');
    assert.equal(headers.ttl, '86400');
    assert.equal(headers.urgency, 'high');
    assert.match(String(headers.topic), /^[\w-]{1,32}$/);
    assert.ok(!String(headers.topic).includes(uuidOf(conversationId).slice(0, 8)));
    const claims = verifyVapid(String(headers.authorization), service.url);
    assert.equal(claims.key, pushConfig.vapidPublicKey);
    assert.equal(claims.sub, 'mailto:admin@localhost');
    assert.throws(() => PushReceiver.create().decrypt(received!.body), 'another key cannot');
    assert.equal(service.pushesTo(bobPush.endpoint).length, 1);
    await alice.close();
  });

  it('sends nothing to a device that holds a live connection', async () => {
    const alice = await device();
    const bob = await device();
    const carol = await device();
    const conversationId = await group(alice, [bob, carol]);
    const bobPush = await subscribe(bob.account);
    const carolPush = await subscribe(carol.account);
    await goAway(carol);

    const seq = await alice.sendText(conversationId, 'one of you is here');
    await bob.waitForSeq(conversationId, seq);
    // The same fan-out that reached Carol passed Bob over.
    await service.waitFor(carolPush.endpoint);
    assert.equal(service.pushesTo(bobPush.endpoint).length, 0);
    assert.deepEqual(bob.texts(conversationId), ['one of you is here']);
    await Promise.all([alice.close(), bob.close()]);
  });

  it('deletes a subscription the push service calls gone, and pushes to it no more', async () => {
    const alice = await device();
    const bob = await device();
    const carol = await device();
    const conversationId = await group(alice, [bob, carol]);
    const bobPush = await subscribe(bob.account, 410);
    const carolPush = await subscribe(carol.account);
    await goAway(bob, carol);

    await alice.sendText(conversationId, 'first');
    await service.waitFor(bobPush.endpoint);
    const deadline = Date.now() + 5_000;
    while (await pushEnabled(bob.account)) {
      assert.ok(Date.now() < deadline, 'the gone subscription was not deleted');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }

    await alice.sendText(conversationId, 'second');
    await service.waitFor(carolPush.endpoint, 2);
    assert.equal(service.pushesTo(bobPush.endpoint).length, 1);
    await alice.close();
  });

  it('wakes a device that was added to a group while away', async () => {
    const alice = await device();
    const carol = await MlsDevice.create(server, await signUp(cluster));
    const carolPush = await subscribe(carol.account);

    const data = await alice.request<{ createGroupConversation: { id: string } }>(
      createGroupMutation,
      { m: [carol.account.userId] },
    );
    const conversationId = data.createGroupConversation.id;
    await alice.createGroup(conversationId, [carol.account.userId]);
    const commitSeq = alice.position.get(conversationId)!;

    const [received] = await service.waitFor(carolPush.endpoint);
    assert.deepEqual(pushPayload(carolPush, received!.body), {
      type: 'wake',
      v: 1,
      conversationId,
      seq: commitSeq,
      reason: 'welcome',
    });
    // Woken, she connects, joins from the Welcome and reads what follows.
    await carol.listen();
    const seq = await alice.sendText(conversationId, 'welcome, carol');
    await carol.waitForSeq(conversationId, seq);
    assert.deepEqual(carol.texts(conversationId), ['welcome, carol']);
    await Promise.all([alice.close(), carol.close()]);
  });

  it('sends a wake-up instead when the message would not fit in one push', async () => {
    const alice = await signUp(cluster);
    const bob = await signUp(cluster);
    const conversationId = await startDirect(cluster, alice, bob);
    const bobPush = await subscribe(bob);

    const { seq } = await send(server, alice, conversationId, 'x'.repeat(3_500));
    const [received] = await service.waitFor(bobPush.endpoint);
    assert.ok(received!.body.length <= 4096);
    assert.deepEqual(pushPayload(bobPush, received!.body), {
      type: 'wake',
      v: 1,
      conversationId,
      seq,
      reason: 'message',
    });
  });

  it('keeps one subscription per device; an endpoint goes to its last registrant', async () => {
    const account = await signUp(cluster);
    const other = await signUp(cluster);
    await subscribe(account);
    const second = await subscribe(account);
    const rows = await server.deps.db.prisma.pushSubscription.findMany({
      where: { deviceId: uuidOf(account.deviceId) },
    });
    assert.deepEqual(
      rows.map((row) => row.endpoint),
      [second.endpoint],
    );

    // The same browser signed in as another account: the endpoint now serves that one alone.
    const { p256dh, auth } = PushReceiver.create().keys;
    await ok(server, registerPushMutation, { e: second.endpoint, p: p256dh, a: auth }, other.token);
    assert.equal(await pushEnabled(account), false);
    assert.equal(await pushEnabled(other), true);

    const remove = 'mutation { removePushSubscription }';
    const removed = await ok<{ removePushSubscription: boolean }>(server, remove, {}, other.token);
    assert.equal(removed.removePushSubscription, true);
    assert.equal(await pushEnabled(other), false);
    const again = await ok<{ removePushSubscription: boolean }>(server, remove, {}, other.token);
    assert.equal(again.removePushSubscription, false);
  });

  it('refuses keys that are not a P-256 point and a 16-byte secret, naming the field', async () => {
    const account = await signUp(cluster);
    const good = PushReceiver.create().keys;
    const offCurve = Buffer.concat([Buffer.from([4]), Buffer.alloc(64, 7)]).toString('base64url');
    const cases = [
      { p: randomBytes(64).toString('base64url'), a: good.auth, field: 'keys.p256dh' },
      { p: offCurve, a: good.auth, field: 'keys.p256dh' },
      { p: good.p256dh, a: randomBytes(15).toString('base64url'), field: 'keys.auth' },
      { p: good.p256dh, a: 'not base64url!', field: 'keys.auth' },
    ];
    for (const { p, a, field } of cases) {
      const result = await gql(
        server,
        registerPushMutation,
        { e: service.endpoint(), p, a },
        account.token,
      );
      assert.equal(result.errors?.[0]?.extensions?.code, 'INVALID_PUSH_SUBSCRIPTION', field);
      assert.equal(result.errors?.[0]?.extensions?.field, field);
    }
    assert.equal(await pushEnabled(account), false);
  });

  it('refuses endpoints that are not a push service’s https URL', async () => {
    const account = await signUp(cluster);
    const { p256dh, auth } = PushReceiver.create().keys;
    for (const endpoint of [
      'not a url',
      'ftp://push.example.com/abc',
      'http://push.example.com/abc',
      'https://10.0.0.1/abc',
      'https://user:secret@push.example.com/abc',
    ]) {
      const result = await gql(
        server,
        registerPushMutation,
        { e: endpoint, p: p256dh, a: auth },
        account.token,
      );
      assert.equal(result.errors?.[0]?.extensions?.code, 'INVALID_PUSH_SUBSCRIPTION', endpoint);
      assert.equal(result.errors?.[0]?.extensions?.field, 'endpoint');
    }
  });

  it('refuses plain http on loopback unless PUSH_ALLOW_INSECURE_ENDPOINTS is set', async () => {
    const vapid = webPush.generateVAPIDKeys();
    const strict = await startCluster({
      env: { VAPID_PUBLIC_KEY: vapid.publicKey, VAPID_PRIVATE_KEY: vapid.privateKey },
    });
    const strictServer = strict.servers[0]!;
    const account = await signUp(strict);
    const { p256dh, auth } = PushReceiver.create().keys;
    const result = await gql(
      strictServer,
      registerPushMutation,
      { e: service.endpoint(), p: p256dh, a: auth },
      account.token,
    );
    assert.equal(result.errors?.[0]?.extensions?.code, 'INVALID_PUSH_SUBSCRIPTION');
    assert.equal(result.errors?.[0]?.extensions?.field, 'endpoint');

    // The key pair from the environment is the one browsers subscribe with.
    const config = await ok<{ pushConfig: { vapidPublicKey: string } }>(
      strictServer,
      '{ pushConfig { vapidPublicKey } }',
    );
    assert.equal(config.pushConfig.vapidPublicKey, vapid.publicKey);
  });

  it('never logs an endpoint’s secret path or a subscription’s keys', () => {
    const secrets = subscribed.flatMap(({ endpoint, receiver }) => [
      new URL(endpoint).pathname.slice('/push/'.length),
      receiver.keys.p256dh,
      receiver.keys.auth,
    ]);
    assert.ok(service.received.length > 3, 'pushes were sent');
    assert.ok(
      logLines.some((line) => line.includes('"push sent"')),
      'sends were logged',
    );
    for (const line of logLines) {
      for (const secret of secrets) assert.ok(!line.includes(secret), 'a log line holds a secret');
    }
  });
});
