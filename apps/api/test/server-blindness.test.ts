// The server never holds a message's plaintext. A canary string goes through every kind of
// content; afterwards it must be absent from every table of the database, from everything the
// servers sent to Redis, from the Web Push requests they made (as sent, and as the device
// decrypts them), and from their logs at the most verbose level.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';

import { encryptMedia, newContentId, type MessageContent } from '@parley/crypto';

import { redisUrl } from './support/environment.js';
import { capturedLogs } from './support/captured-logs.js';
import { FakePushService } from './support/fake-push-service.js';
import { signUp, startCluster } from './support/harness.js';
import { MlsDevice } from './support/mls-device.js';
import { createGroupMutation } from './support/mls-operations.js';
import { RedisMonitor } from './support/redis-monitor.js';
import { enablePush, pushPayload, waitUntilAway } from './support/push-operations.js';

/** Every way the canary could appear in stored or sent bytes: as text, hex and base64. */
function spellings(canary: string): string[] {
  const bytes = Buffer.from(canary);
  const forms = [canary, bytes.toString('hex')];
  // Base64 depends on alignment: the canary may start at any of three offsets in a longer run.
  for (let offset = 0; offset < 3; offset++) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    forms.push(encoded.slice(Math.ceil((offset * 4) / 3) + 2, -4));
  }
  return forms;
}

describe('server blindness', async () => {
  const { logger, lines: logLines } = capturedLogs();
  const cluster = await startCluster({
    logger,
    instances: redisUrl ? 2 : 1,
    env: { PUSH_ALLOW_INSECURE_ENDPOINTS: 'true' },
  });
  const pushService = await FakePushService.start();
  const monitor = redisUrl ? await RedisMonitor.start(redisUrl) : undefined;
  after(() => monitor?.close());

  it('would spot the canary in any of its spellings', () => {
    const canary = `canary-${crypto.randomUUID()}`;
    const forms = spellings(canary);
    for (const prefix of ['', 'a', 'ab', 'abc']) {
      const text = `${prefix}${canary}!`;
      const encodings = [
        text,
        Buffer.from(text).toString('hex'),
        Buffer.from(text).toString('base64'),
      ];
      for (const encoded of encodings) assert.ok(forms.some((form) => encoded.includes(form)));
    }
  });

  it('finds no canary plaintext in the database, Redis traffic, pushes or logs', async () => {
    const canary = `canary-${crypto.randomUUID()}`;
    const server = cluster.servers[0]!;
    const other = cluster.servers[1] ?? server;
    const alice = await MlsDevice.create(server, await signUp(cluster));
    const bob = await MlsDevice.create(other, await signUp(cluster));
    await bob.listen();
    // Carol goes away once she has joined: everything after that reaches her by Web Push.
    const carol = await MlsDevice.create(other, await signUp(cluster));
    await carol.listen();
    const memberIds = [bob.account.userId, carol.account.userId];
    const created = await alice.request(createGroupMutation, { m: memberIds });
    const conversationId = created.createGroupConversation.id as string;
    await alice.createGroup(conversationId, memberIds);
    await carol.waitForSeq(conversationId, alice.position.get(conversationId)!);
    const carolPush = await enablePush(other, carol.account, pushService);
    await carol.close();
    await waitUntilAway(other, carol.account);

    const envelope = () => ({ id: newContentId(), sentAt: Date.now() });
    const first = { type: 'text', ...envelope(), body: `${canary} text` } as const;
    const media = await encryptMedia(Buffer.from(`${canary} file contents`));
    const thumbnail = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.from(canary)]);
    const contents: MessageContent[] = [
      first,
      {
        type: 'reply',
        ...envelope(),
        body: `${canary} reply`,
        quote: { id: first.id, excerpt: canary },
      },
      { type: 'reaction', ...envelope(), targetId: first.id, emoji: '👍' },
      { type: 'edit', ...envelope(), targetId: first.id, body: `${canary} edited` },
      { type: 'delete', ...envelope(), targetId: first.id },
      {
        type: 'media',
        ...envelope(),
        fileId: 'file-1',
        key: media.key,
        digest: media.digest,
        mimeType: 'image/jpeg',
        size: media.plaintextSize,
        fileName: `${canary}.jpg`,
        width: 640,
        height: 480,
        thumbnail,
        caption: `${canary} caption`,
      },
      { type: 'system', ...envelope(), notice: 'group_renamed', name: `${canary} group` },
    ];
    let last = 0;
    for (const content of contents) last = await alice.sendContent(conversationId, content);
    await bob.waitForSeq(conversationId, last);

    // Bob read every one of them, so the canary did travel through the servers.
    const received = (bob.outcomes.get(conversationId) ?? []).flatMap((o) =>
      o.type === 'received' && o.received.type === 'application' ? [o.received.content.type] : [],
    );
    assert.deepEqual(
      received,
      contents.map((c) => c.type),
    );
    assert.ok(bob.texts(conversationId)[0]!.includes(canary));

    // Carol's service worker reads the same words from her pushes, so the canary went that way.
    const pushes = await pushService.waitFor(carolPush.endpoint, contents.length);
    const payloads = pushes
      .map((push) => pushPayload(carolPush, push.body))
      .sort((a, b) => a.seq - b.seq);
    for (const payload of payloads) {
      assert.equal(payload.type, 'message');
      const { seq, ciphertext, senderDeviceId } = payload;
      await carol.process(conversationId, { seq, kind: 'APPLICATION', ciphertext, senderDeviceId });
    }
    assert.ok(carol.texts(conversationId)[0]!.includes(canary));

    const forms = spellings(canary);
    const tables = await server.deps.db.sql.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables
       WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
    );
    assert.ok(tables.some((t) => t.table_name === 'messages'));
    let rows = 0;
    for (const { table_name } of tables) {
      const dump = await server.deps.db.sql.query<{ row: string }>(
        `SELECT t::text AS row FROM "${table_name}" t`,
      );
      rows += dump.length;
      for (const { row } of dump) {
        for (const form of forms) assert.ok(!row.includes(form), `${table_name} holds the canary`);
      }
    }
    assert.ok(rows > 20, 'the dump covered the stored conversation');

    assert.equal(pushService.received.length, contents.length);
    for (const push of pushService.received) {
      const sent = [push.body.toString('latin1'), push.body.toString('hex')];
      const decrypted = JSON.stringify(pushPayload(carolPush, push.body));
      for (const text of [...sent, decrypted]) {
        for (const form of forms) assert.ok(!text.includes(form), 'a push holds the canary');
      }
    }

    if (monitor) {
      const redisTraffic = monitor.commands();
      assert.ok(redisTraffic.length > 0, 'Redis traffic was captured');
      for (const command of redisTraffic) {
        for (const form of forms) assert.ok(!command.includes(form), 'Redis saw the canary');
      }
    }
    assert.ok(logLines.length > 0, 'the servers logged');
    for (const line of logLines) {
      for (const form of forms) assert.ok(!line.includes(form), 'a log line holds the canary');
    }
    await Promise.all([alice.close(), bob.close()]);
  });
});
