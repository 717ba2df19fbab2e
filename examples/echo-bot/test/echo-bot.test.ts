// The echo bot against a real Parley server in this process, over HTTP and WebSocket. People are
// the API tests' MlsDevice clients: they start a conversation with the bot, add its device to
// the conversation's MLS group, and read what it answers after decrypting it themselves.
import assert from 'node:assert/strict';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';

import {
  DeviceKeys,
  Group,
  groupIdOf,
  newContentId,
  type DeviceRef,
  type ReplyContent,
  type TextContent,
} from '@parley/crypto';

import {
  newPhoneNumber,
  signUp,
  startCluster,
  startDirect,
  type Account,
} from '../../../apps/api/test/support/harness.ts';
import { MlsDevice } from '../../../apps/api/test/support/mls-device.ts';
import type { KeyPackagePolicy } from '../src/key-package-stock.ts';
import { StateStore } from '../src/state-store.ts';
import { eventually, startBot, type BotUnderTest } from './support/bot-under-test.ts';
import { startTcpProxy } from './support/tcp-proxy.ts';

const replyTimeoutMs = 15_000;

describe('echo bot', async () => {
  const cluster = await startCluster();
  const server = cluster.servers[0]!;
  const folder = await mkdtemp(path.join(tmpdir(), 'parley-echo-bot-'));
  after(() => rm(folder, { recursive: true, force: true }));

  let bots = 0;
  function botSettings(url = `${server.url}/graphql`) {
    bots += 1;
    return {
      url,
      phoneNumber: newPhoneNumber(),
      statePath: path.join(folder, `bot-${bots}.state`),
      // The code the server "sent", as the embedded server would print it.
      codeSource: async (phoneNumber: string) => cluster.codes.for(phoneNumber),
    };
  }

  async function person(): Promise<MlsDevice> {
    const device = await MlsDevice.create(server, await signUp(cluster));
    await device.listen();
    return device;
  }

  /** A direct conversation whose MLS group the person creates with the bot's device in it. */
  async function conversationWith(bot: DeviceRef, someone: MlsDevice): Promise<string> {
    const botAccount: Account = { ...bot, token: '', phoneNumber: '' };
    const conversationId = await startDirect(cluster, someone.account, botAccount);
    await someone.createGroup(conversationId, [bot.userId]);
    return conversationId;
  }

  function text(body: string): TextContent {
    return { type: 'text', id: newContentId(), sentAt: Date.now(), body };
  }

  /** The replies the person decrypted from the bot's device, in order. */
  function repliesFrom(bot: BotUnderTest, someone: MlsDevice, conversationId: string) {
    return (someone.outcomes.get(conversationId) ?? []).flatMap((outcome) =>
      outcome.type === 'received' &&
      outcome.received.type === 'application' &&
      outcome.received.sender.deviceId === bot.device.deviceId &&
      outcome.received.content.type === 'reply'
        ? [outcome.received.content]
        : [],
    );
  }

  function waitForReplies(
    bot: BotUnderTest,
    someone: MlsDevice,
    conversationId: string,
    count: number,
  ): Promise<ReplyContent[]> {
    return eventually(
      async () => {
        await someone.settled();
        const replies = repliesFrom(bot, someone, conversationId);
        return replies.length >= count ? replies : undefined;
      },
      replyTimeoutMs,
      () =>
        `${count} replies; got ${JSON.stringify(repliesFrom(bot, someone, conversationId))}, ` +
        `failures ${JSON.stringify(someone.failures(conversationId))}`,
      () => bot.failure,
    );
  }

  it('joins from the Welcome and answers a text with a reply quoting it', async () => {
    const bot = await startBot(botSettings());
    try {
      const alice = await person();
      const conversationId = await conversationWith(bot.device, alice);

      const hello = text('hello');
      const helloSeq = await alice.sendContent(conversationId, hello);
      const [reply] = await waitForReplies(bot, alice, conversationId, 1);

      assert.equal(reply?.body, 'echo: hello');
      assert.deepEqual(reply?.quote, { id: hello.id, excerpt: 'hello' });
      assert.deepEqual(alice.failures(conversationId), []);

      // Alice sees her message as read: the bot marked it after answering.
      await eventually(
        async () => {
          const { conversation } = await alice.request<{
            conversation: { deliveredUpTo: number; readUpTo: number | null };
          }>('query($c: ID!) { conversation(id: $c) { deliveredUpTo readUpTo } }', {
            c: conversationId,
          });
          return (conversation.readUpTo ?? 0) >= helloSeq ? true : undefined;
        },
        replyTimeoutMs,
        () => `the bot's read receipt for seq ${helloSeq}`,
        () => bot.failure,
      );
      await alice.close();
    } finally {
      await bot.stop();
    }
  });

  it('resumes from its state file and answers what was sent meanwhile, once', async () => {
    const settings = botSettings();
    const first = await startBot(settings);
    const alice = await person();
    const conversationId = await conversationWith(first.device, alice);
    await alice.sendContent(conversationId, text('before the restart'));
    await waitForReplies(first, alice, conversationId, 1);
    await first.stop();
    const saved = await stat(settings.statePath);
    assert.equal(saved.mode & 0o077, 0, 'the state file holds secrets: owner only');

    const whileDown = text('while the bot was down');
    await alice.sendContent(conversationId, whileDown);

    // Signing in again would make a new device outside the group: the saved token must do.
    const second = await startBot({
      ...settings,
      codeSource: async () => assert.fail('the restarted bot asked for a sign-in code'),
    });
    try {
      assert.deepEqual(second.device, first.device);
      await alice.sendContent(conversationId, text('after the restart'));

      // Replies go out in the order of the messages they answer, so once the last one is here,
      // a repeated or a lost one would be too.
      const replies = await waitForReplies(second, alice, conversationId, 3);
      assert.deepEqual(
        replies.map((reply) => reply.body),
        ['echo: before the restart', 'echo: while the bot was down', 'echo: after the restart'],
      );
      assert.equal(replies[1]?.quote.id, whileDown.id);
      assert.deepEqual(alice.failures(conversationId), []);
      await alice.close();
    } finally {
      await second.stop();
    }
  });

  it('reconnects after the network drops and answers what was sent during the outage', async () => {
    const target = new URL(server.url);
    const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port) });
    const bot = await startBot(botSettings(`http://127.0.0.1:${proxy.port}/graphql`));
    try {
      const alice = await person();
      const conversationId = await conversationWith(bot.device, alice);
      await alice.sendContent(conversationId, text('before the outage'));
      await waitForReplies(bot, alice, conversationId, 1);

      proxy.cut();
      await alice.sendContent(conversationId, text('during the outage'));
      // The bot keeps trying while the network is down, and gets through once it is back.
      await eventually(
        () => (proxy.refused >= 2 ? true : undefined),
        replyTimeoutMs,
        () => 'two reconnection attempts during the outage',
        () => bot.failure,
      );
      proxy.restore();

      await waitForReplies(bot, alice, conversationId, 2);
      await alice.sendContent(conversationId, text('after the outage'));
      const replies = await waitForReplies(bot, alice, conversationId, 3);
      assert.deepEqual(
        replies.map((reply) => reply.body),
        ['echo: before the outage', 'echo: during the outage', 'echo: after the outage'],
      );
      await alice.close();
    } finally {
      await bot.stop();
      await proxy.close();
    }
  });

  it('refuses a group whose creator signs with a key the directory does not list', async () => {
    const settings = botSettings();
    const bot = await startBot(settings);
    try {
      // Mallory registers one key, then makes the group with another, as a server that invents
      // devices would have to: the bot's authentication policy must catch the mismatch.
      const mallory = await person();
      const conversationId = await startDirect(cluster, mallory.account, {
        ...bot.device,
        token: '',
        phoneNumber: '',
      });
      const unlisted = await DeviceKeys.create({
        userId: mallory.account.userId,
        deviceId: mallory.account.deviceId,
      });
      const group = await Group.create(unlisted, groupIdOf(conversationId), mallory.policy);
      mallory.groups.set(conversationId, group);
      mallory.position.set(conversationId, 0);
      const packages = await mallory.claim([bot.device.userId]);
      await mallory.commit(conversationId, () => group.add(packages, mallory.policy));
      await mallory.sendContent(conversationId, text('hello from nobody'));

      // Events reach the bot in order: once it answers Alice, it has dealt with Mallory's
      // Welcome, which came first.
      const alice = await person();
      const honest = await conversationWith(bot.device, alice);
      await alice.sendContent(honest, text('hello'));
      await waitForReplies(bot, alice, honest, 1);

      const saved = await new StateStore(settings.statePath).load();
      const joined = saved?.conversations.map((conversation) => conversation.conversationId);
      assert.deepEqual(joined, [honest]);
      await mallory.settled();
      assert.deepEqual(repliesFrom(bot, mallory, conversationId), []);
      await Promise.all([mallory.close(), alice.close()]);
    } finally {
      await bot.stop();
    }
  });

  it('uploads more key packages as people add it, before the last resort is needed', async () => {
    const policy: KeyPackagePolicy = { lowWatermark: 2, batch: 3 };
    const bot = await startBot({ ...botSettings(), keyPackages: policy });
    try {
      const people = [await person(), await person(), await person()];
      for (const [index, someone] of people.entries()) {
        const conversationId = await conversationWith(bot.device, someone);
        await someone.sendContent(conversationId, text(`hello from ${index}`));
        const [reply] = await waitForReplies(bot, someone, conversationId, 1);
        assert.equal(reply?.body, `echo: hello from ${index}`);
      }

      // Three people used three key packages, all the bot started with. Had it not uploaded
      // more, the next claim would get the last-resort package that joiners share.
      const claimed = await people[0]!.request<{
        claimKeyPackages: { keyPackages: { lastResort: boolean }[] };
      }>(
        `mutation($u: ID!) {
          claimKeyPackages(input: { userId: $u }) { keyPackages { lastResort } }
        }`,
        { u: bot.device.userId },
      );
      assert.deepEqual(claimed.claimKeyPackages.keyPackages, [{ lastResort: false }]);
      await Promise.all(people.map((someone) => someone.close()));
    } finally {
      await bot.stop();
    }
  });
});
