// The handshake log through the public API: commits accepted only for the current epoch,
// idempotent by client message id, and only for changes the committer may make.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { Group, groupIdOf } from '@parley/crypto';

import { errorCode, gql, ok, signUp, startCluster, startDirect } from './support/harness.js';
import { b64, MlsDevice } from './support/mls-device.js';
import { createGroupMutation, submitCommitMutation as submit } from './support/mls-operations.js';

describe('the handshake log', async () => {
  const cluster = await startCluster();
  const server = cluster.servers[0]!;

  async function directGroup() {
    const alice = await MlsDevice.create(server, await signUp(cluster));
    const bob = await MlsDevice.create(server, await signUp(cluster));
    const conversationId = await startDirect(cluster, alice.account, bob.account);
    return { alice, bob, conversationId };
  }

  it('refuses a commit for another epoch with STALE_EPOCH naming the current one', async () => {
    const { alice, bob, conversationId } = await directGroup();
    await alice.createGroup(conversationId, [bob.account.userId]);
    const stale = await Group.create(alice.keys, groupIdOf(conversationId), alice.policy);
    const pending = await stale.selfUpdate();
    const result = await gql(
      server,
      submit,
      { c: conversationId, id: 'stale-1', commit: b64(pending.commit) },
      alice.account.token,
    );
    assert.equal(result.errors?.[0]?.extensions?.code, 'STALE_EPOCH');
    assert.equal(result.errors?.[0]?.extensions?.currentEpoch, 1);
  });

  it('returns the first result when a commit is submitted again', async () => {
    const { alice, bob, conversationId } = await directGroup();
    await alice.createGroup(conversationId, [bob.account.userId]);
    const pending = await alice.groups.get(conversationId)!.selfUpdate();
    const variables = { c: conversationId, id: 'retry-1', commit: b64(pending.commit) };
    const once = await ok(server, submit, variables, alice.account.token);
    const twice = await ok(server, submit, variables, alice.account.token);
    assert.deepEqual(once.submitCommit.message, { seq: 2, kind: 'COMMIT', epoch: 1 });
    assert.equal(once.submitCommit.duplicate, false);
    assert.deepEqual(twice.submitCommit, { ...once.submitCommit, duplicate: true });
  });

  it('gives both of two identical commits sent at once the one result', async () => {
    const { alice, bob, conversationId } = await directGroup();
    await alice.createGroup(conversationId, [bob.account.userId]);
    const pending = await alice.groups.get(conversationId)!.selfUpdate();
    const variables = { c: conversationId, id: 'twice-at-once', commit: b64(pending.commit) };
    const both = await Promise.all([
      ok(server, submit, variables, alice.account.token),
      ok(server, submit, variables, alice.account.token),
    ]);
    assert.deepEqual(both.map((r) => r.submitCommit.duplicate).sort(), [false, true]);
    assert.deepEqual(both[0]!.submitCommit.message, both[1]!.submitCommit.message);
  });

  it('refuses commits that are not what they claim, naming the problem', async () => {
    const { alice, bob, conversationId } = await directGroup();
    const group = await Group.create(alice.keys, groupIdOf(conversationId), alice.policy);
    const packages = await alice.claim([bob.account.userId]);
    const adding = await group.add(packages, alice.policy);
    const elsewhere = await Group.create(alice.keys, groupIdOf('another'), alice.policy);
    const foreign = await elsewhere.selfUpdate();
    const cases: [string, Record<string, unknown>][] = [
      ['garbage', { commit: b64(Buffer.from('not mls')) }],
      ['another group', { commit: b64(foreign.commit) }],
      ['no welcome', { commit: b64(adding.commit), a: [bob.account.deviceId] }],
      ['stray welcome', { commit: b64(adding.commit), w: b64(adding.welcome!) }],
      [
        'add and remove at once',
        {
          commit: b64(adding.commit),
          w: b64(adding.welcome!),
          a: [bob.account.deviceId],
          r: [alice.account.deviceId],
        },
      ],
    ];
    for (const [name, variables] of cases) {
      const result = await gql(
        server,
        submit,
        { c: conversationId, id: crypto.randomUUID(), ...variables },
        alice.account.token,
      );
      assert.equal(result.errors?.[0]?.extensions?.code, 'INVALID_COMMIT', name);
    }
    const { conversation } = await ok(
      server,
      'query($c: ID!) { conversation(id: $c) { epoch lastSeq } }',
      { c: conversationId },
      alice.account.token,
    );
    assert.deepEqual(conversation, { epoch: 0, lastSeq: 0 }, 'nothing was stored');
  });

  it('lets only admins bring people into a group, and nobody into a direct chat', async () => {
    const alice = await MlsDevice.create(server, await signUp(cluster));
    const bob = await MlsDevice.create(server, await signUp(cluster));
    const carol = await MlsDevice.create(server, await signUp(cluster));
    const dave = await MlsDevice.create(server, await signUp(cluster));
    const created = await alice.request(createGroupMutation, { m: [bob.account.userId] });
    const groupId = created.createGroupConversation.id as string;
    await alice.createGroup(groupId, [bob.account.userId]);
    await bob.listen();
    await bob.waitForSeq(groupId, 1);
    const byBob = await bob.groups
      .get(groupId)!
      .add(await bob.claim([carol.account.userId]), bob.policy);
    const refused = await gql(
      server,
      submit,
      {
        c: groupId,
        id: crypto.randomUUID(),
        commit: b64(byBob.commit),
        w: b64(byBob.welcome!),
        a: [carol.account.deviceId],
      },
      bob.account.token,
    );
    assert.equal(refused.errors?.[0]?.extensions?.code, 'FORBIDDEN');

    const directId = await startDirect(cluster, alice.account, dave.account);
    await alice.createGroup(directId, [dave.account.userId]);
    const third = await alice.groups
      .get(directId)!
      .add(await alice.claim([carol.account.userId]), alice.policy);
    const intoDirect = await gql(
      server,
      submit,
      {
        c: directId,
        id: crypto.randomUUID(),
        commit: b64(third.commit),
        w: b64(third.welcome!),
        a: [carol.account.deviceId],
      },
      alice.account.token,
    );
    assert.equal(intoDirect.errors?.[0]?.extensions?.code, 'FORBIDDEN');
    await bob.close();
  });

  it('removes others only by commit, and lists a leaver’s devices until then', async () => {
    const alice = await MlsDevice.create(server, await signUp(cluster));
    const bob = await MlsDevice.create(server, await signUp(cluster));
    const carol = await MlsDevice.create(server, await signUp(cluster));
    const created = await alice.request(createGroupMutation, {
      m: [bob.account.userId, carol.account.userId],
    });
    const groupId = created.createGroupConversation.id as string;
    await alice.createGroup(groupId, [bob.account.userId, carol.account.userId]);
    const removeMember = `mutation($c: ID!, $u: ID!) {
      removeMember(input: { conversationId: $c, userId: $u }) { id }
    }`;
    assert.equal(
      await errorCode(
        server,
        removeMember,
        { c: groupId, u: bob.account.userId },
        alice.account.token,
      ),
      'FORBIDDEN',
    );

    await ok(server, removeMember, { c: groupId, u: carol.account.userId }, carol.account.token);
    const awaiting =
      'query($c: ID!) { conversation(id: $c) { devicesAwaitingRemoval { deviceId } } }';
    const before = await alice.request(awaiting, { c: groupId });
    assert.deepEqual(before.conversation.devicesAwaitingRemoval, [
      { deviceId: carol.account.deviceId },
    ]);
    await alice.commit(groupId, () => alice.groups.get(groupId)!.remove([carol.account.deviceId]));
    const after = await alice.request(awaiting, { c: groupId });
    assert.deepEqual(after.conversation.devicesAwaitingRemoval, []);
  });

  it('refuses commits from a device that is not in the group', async () => {
    const { alice, bob, conversationId } = await directGroup();
    await alice.createGroup(conversationId, [bob.account.userId]);
    const bobPhone = await MlsDevice.create(
      server,
      await signUp(cluster, { phoneNumber: bob.account.phoneNumber }),
    );
    const outsider = await Group.create(bobPhone.keys, groupIdOf(conversationId), bob.policy);
    const pending = await outsider.selfUpdate();
    assert.equal(
      await errorCode(
        server,
        submit,
        { c: conversationId, id: 'outsider', commit: b64(pending.commit) },
        bobPhone.account.token,
      ),
      'STALE_EPOCH',
    );
    const current = await alice.groups.get(conversationId)!.selfUpdate();
    assert.equal(
      await errorCode(
        server,
        submit,
        { c: conversationId, id: 'outsider-2', commit: b64(current.commit) },
        bobPhone.account.token,
      ),
      'NOT_A_MEMBER',
    );
  });
});
