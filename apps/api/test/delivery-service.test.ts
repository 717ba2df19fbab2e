// The server's side of MLS, driven through the public API: the device directory, key packages
// handed out once, and the handshake log's rules. Each refusal has its own typed error.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  credentialFor,
  DeviceKeys,
  Group,
  groupIdOf,
  introduceDevice,
  isCryptoError,
  verifyCredential,
  type AuthenticationPolicy,
} from '@parley/crypto';

import {
  errorCode,
  gql,
  ok,
  signUp,
  startCluster,
  startDirect,
  subscribe,
} from './support/harness.js';
import { b64, MlsDevice } from './support/mls-device.js';

const registerKey =
  'mutation($k: Bytes!) { registerDeviceKey(input: { signatureKey: $k }) { deviceId } }';
const upload = `mutation($p: [Bytes!]!, $l: Bytes) {
  uploadKeyPackages(input: { keyPackages: $p, lastResort: $l }) { available lastResort }
}`;
const claim = `mutation($u: ID!) {
  claimKeyPackages(input: { userId: $u }) {
    keyPackages { keyPackage lastResort device { deviceId } }
    unavailable { deviceId }
  }
}`;
const submit = `mutation($c: ID!, $id: String!, $commit: Bytes!, $w: Bytes, $a: [ID!], $r: [ID!]) {
  submitCommit(input: { conversationId: $c, clientMessageId: $id, commit: $commit, welcome: $w,
    addedDeviceIds: $a, removedDeviceIds: $r }) { epoch duplicate message { seq kind epoch } }
}`;

describe('the MLS Delivery Service', async () => {
  const cluster = await startCluster();
  const server = cluster.servers[0]!;

  describe('device directory', () => {
    it('sets a device’s key once, accepts the same key again and refuses another', async () => {
      const account = await signUp(cluster);
      const keys = await DeviceKeys.create({ userId: account.userId, deviceId: account.deviceId });
      const key = b64(keys.identity.signaturePublicKey);
      assert.equal(
        await errorCode(server, registerKey, { k: b64(new Uint8Array(31)) }, account.token),
        'BAD_USER_INPUT',
      );
      await ok(server, registerKey, { k: key }, account.token);
      await ok(server, registerKey, { k: key }, account.token);
      const other = await DeviceKeys.create({ userId: account.userId, deviceId: account.deviceId });
      assert.equal(
        await errorCode(
          server,
          registerKey,
          { k: b64(other.identity.signaturePublicKey) },
          account.token,
        ),
        'DEVICE_KEY_ALREADY_SET',
      );

      const viewer = await signUp(cluster);
      const { user } = await ok(
        server,
        'query($u: ID!) { user(id: $u) { deviceKeys { deviceId signatureKey revoked } } }',
        { u: account.userId },
        viewer.token,
      );
      assert.deepEqual(user.deviceKeys, [
        { deviceId: account.deviceId, signatureKey: key, revoked: false },
      ]);
    });
  });

  it('keeps a user’s introductions of their own devices, which contacts can follow', async () => {
    const laptopAccount = await signUp(cluster);
    const phoneAccount = await signUp(cluster, { phoneNumber: laptopAccount.phoneNumber });
    const laptop = await MlsDevice.create(server, laptopAccount, 1);
    const phone = await MlsDevice.create(server, phoneAccount, 1);
    const introduce = `mutation($d: ID!, $s: Bytes!) {
      introduceDevice(input: { deviceId: $d, signature: $s }) { deviceId introducedBy }
    }`;
    const phoneRef = { userId: phoneAccount.userId, deviceId: phoneAccount.deviceId };
    const phoneKey = phone.keys.identity.signaturePublicKey;

    const forged = await introduceDevice(
      (await DeviceKeys.create({ userId: laptopAccount.userId, deviceId: 'x' })).identity,
      phoneRef,
      phoneKey,
    );
    assert.equal(
      await errorCode(
        server,
        introduce,
        { d: phoneRef.deviceId, s: b64(forged) },
        laptopAccount.token,
      ),
      'INVALID_INTRODUCTION',
    );
    const signature = await introduceDevice(laptop.keys.identity, phoneRef, phoneKey);
    const stranger = await MlsDevice.create(server, await signUp(cluster), 1);
    assert.equal(
      await errorCode(
        server,
        introduce,
        { d: phoneRef.deviceId, s: b64(signature) },
        stranger.account.token,
      ),
      'NOT_FOUND',
    );
    const done = await ok(
      server,
      introduce,
      { d: phoneRef.deviceId, s: b64(signature) },
      laptopAccount.token,
    );
    assert.equal(done.introduceDevice.introducedBy, laptopAccount.deviceId);

    // A contact who verified the laptop accepts the phone through the introduction, reading
    // only the public directory; without it, the strict policy refuses the phone.
    const directory = async () => {
      const { user } = await stranger.request(
        `query($u: ID!) { user(id: $u) { deviceKeys {
          deviceId signatureKey introducedBy introduction } } }`,
        { u: laptopAccount.userId },
      );
      return user.deviceKeys as {
        deviceId: string;
        signatureKey: string;
        introducedBy: string | null;
        introduction: string | null;
      }[];
    };
    const policy = (withIntroductions: boolean): AuthenticationPolicy => ({
      directory: {
        signatureKey: async ({ deviceId }) => {
          const entry = (await directory()).find((d) => d.deviceId === deviceId);
          return entry && Buffer.from(entry.signatureKey, 'base64');
        },
        introduction: async ({ deviceId }) => {
          const entries = await directory();
          const entry = entries.find((d) => d.deviceId === deviceId);
          const by = entries.find((d) => d.deviceId === entry?.introducedBy);
          if (!withIntroductions || !entry?.introduction || !by) return undefined;
          return {
            introducer: { userId: laptopAccount.userId, deviceId: by.deviceId },
            introducerKey: Buffer.from(by.signatureKey, 'base64'),
            signature: Buffer.from(entry.introduction, 'base64'),
          };
        },
      },
      pins: {
        pinnedKeys: () =>
          new Map([[laptopAccount.deviceId, laptop.keys.identity.signaturePublicKey]]),
      },
      unpinnedDeviceOfVerifiedContact: 'introduced',
    });
    const credential = credentialFor(phoneRef);
    assert.deepEqual(await verifyCredential(policy(true), credential, phoneKey), phoneRef);
    await assert.rejects(verifyCredential(policy(false), credential, phoneKey), (e) =>
      isCryptoError(e, 'IDENTITY_MISMATCH'),
    );
  });

  describe('key packages', () => {
    it('accepts only packages that name this device and are signed with its key', async () => {
      const account = await signUp(cluster);
      const keys = await DeviceKeys.create({ userId: account.userId, deviceId: account.deviceId });
      const [valid] = await keys.createKeyPackages(1);
      assert.equal(
        await errorCode(server, upload, { p: [b64(valid!)] }, account.token),
        'DEVICE_KEY_REQUIRED',
      );
      await ok(server, registerKey, { k: b64(keys.identity.signaturePublicKey) }, account.token);

      const elsewhere = await DeviceKeys.create({ userId: account.userId, deviceId: 'another' });
      const impostor = await DeviceKeys.create({
        userId: account.userId,
        deviceId: account.deviceId,
      });
      const refused = [
        Buffer.from('not a key package'),
        (await elsewhere.createKeyPackages(1))[0]!,
        (await impostor.createKeyPackages(1))[0]!,
      ];
      for (const bytes of refused) {
        const result = await gql(server, upload, { p: [b64(valid!), b64(bytes)] }, account.token);
        assert.equal(result.errors?.[0]?.extensions?.code, 'INVALID_KEY_PACKAGE');
        assert.equal(result.errors?.[0]?.extensions?.index, 1);
      }
      const { viewer } = await ok(
        server,
        '{ viewer { keyPackageStock { available lastResort } } }',
        {},
        account.token,
      );
      assert.deepEqual(viewer.keyPackageStock, { available: 0, lastResort: false });
    });

    it('refuses expired key packages and never hands one out', async () => {
      const owner = await signUp(cluster);
      const device = await MlsDevice.create(server, owner, 2);
      const longAgo = new Date(Date.now() - 100 * 24 * 3600 * 1000);
      const [stale] = await device.keys.createKeyPackages(1, { validFrom: longAgo });
      const refused = await gql(server, upload, { p: [b64(stale!)] }, owner.token);
      assert.equal(refused.errors?.[0]?.extensions?.code, 'INVALID_KEY_PACKAGE');

      // Packages whose lifetime ends while stored are skipped, then deleted.
      const ownerId = Buffer.from(owner.deviceId, 'base64').toString().split(':')[1]!;
      await server.deps.db.prisma.keyPackage.updateMany({
        where: { deviceId: ownerId, lastResort: false },
        data: { expiresAt: new Date(Date.now() - 1000) },
      });
      const claimer = await signUp(cluster);
      const result = await ok(server, claim, { u: owner.userId }, claimer.token);
      assert.equal(result.claimKeyPackages.keyPackages[0].lastResort, true);
      const { viewer } = await ok(
        server,
        '{ viewer { keyPackageStock { available lastResort } } }',
        {},
        owner.token,
      );
      assert.deepEqual(viewer.keyPackageStock, { available: 0, lastResort: true });
      assert.equal(
        await server.deps.db.prisma.keyPackage.count({ where: { deviceId: ownerId } }),
        1,
        'the expired ones were deleted',
      );
    });

    it('hands each package out once under concurrent claims, then the last-resort one', async () => {
      const owner = await signUp(cluster);
      await MlsDevice.create(server, owner, 6);
      const claimers = await Promise.all(Array.from({ length: 10 }, () => signUp(cluster)));

      const results = await Promise.all(
        claimers.map((claimer) => ok(server, claim, { u: owner.userId }, claimer.token)),
      );
      const handedOut = results.map((r) => r.claimKeyPackages.keyPackages[0]);
      const oneTime = handedOut.filter((p) => !p.lastResort).map((p) => p.keyPackage);
      const lastResort = handedOut.filter((p) => p.lastResort).map((p) => p.keyPackage);
      assert.equal(oneTime.length, 6);
      assert.equal(new Set(oneTime).size, 6, 'no one-time package went out twice');
      assert.equal(lastResort.length, 4);
      assert.equal(new Set(lastResort).size, 1);
      assert.ok(handedOut.every((p) => p.device.deviceId === owner.deviceId));

      const { viewer } = await ok(
        server,
        '{ viewer { keyPackageStock { available lastResort } } }',
        {},
        owner.token,
      );
      assert.deepEqual(viewer.keyPackageStock, { available: 0, lastResort: true });
    });

    it('tells the owning device when its key packages run low, so that it refills', async () => {
      const owner = await signUp(cluster);
      await MlsDevice.create(server, owner, 2);
      const events = await subscribe(server, owner.token, undefined, {
        query: 'subscription { events { __typename ... on KeyPackagesLowEvent { available } } }',
      });
      const claimer = await signUp(cluster);
      for (let i = 0; i < 3; i++) await ok(server, claim, { u: owner.userId }, claimer.token);
      const low = await events.waitForCount((e) => e.__typename === 'KeyPackagesLowEvent', 3);
      assert.deepEqual(
        low.map((e) => e.available),
        [1, 0, 0],
      );
      await events.dispose();
    });

    it('lists devices that have nothing to hand out, and never the claiming device', async () => {
      const owner = await signUp(cluster);
      const keys = await DeviceKeys.create({ userId: owner.userId, deviceId: owner.deviceId });
      await ok(server, registerKey, { k: b64(keys.identity.signaturePublicKey) }, owner.token);
      const other = await signUp(cluster);
      const result = await ok(server, claim, { u: owner.userId }, other.token);
      assert.deepEqual(result.claimKeyPackages.keyPackages, []);
      assert.deepEqual(result.claimKeyPackages.unavailable, [{ deviceId: owner.deviceId }]);
      const own = await ok(server, claim, { u: owner.userId }, owner.token);
      assert.deepEqual(own.claimKeyPackages.unavailable, []);
    });
  });

  describe('the handshake log', () => {
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

    it('lets only admins bring new people into a group, and nobody into a direct chat', async () => {
      const alice = await MlsDevice.create(server, await signUp(cluster));
      const bob = await MlsDevice.create(server, await signUp(cluster));
      const carol = await MlsDevice.create(server, await signUp(cluster));
      const dave = await MlsDevice.create(server, await signUp(cluster));
      const created = await alice.request(
        'mutation($m: [ID!]!) { createGroupConversation(input: { memberIds: $m, title: "g" }) { id } }',
        { m: [bob.account.userId] },
      );
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

    it('removes others only by commit, and lists a leaver’s devices until one is made', async () => {
      const alice = await MlsDevice.create(server, await signUp(cluster));
      const bob = await MlsDevice.create(server, await signUp(cluster));
      const carol = await MlsDevice.create(server, await signUp(cluster));
      const created = await alice.request(
        'mutation($m: [ID!]!) { createGroupConversation(input: { memberIds: $m, title: "g" }) { id } }',
        { m: [bob.account.userId, carol.account.userId] },
      );
      const groupId = created.createGroupConversation.id as string;
      await alice.createGroup(groupId, [bob.account.userId, carol.account.userId]);
      const removeMember =
        'mutation($c: ID!, $u: ID!) { removeMember(input: { conversationId: $c, userId: $u }) { id } }';
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
      await alice.commit(groupId, () =>
        alice.groups.get(groupId)!.remove([carol.account.deviceId]),
      );
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

  it('limits how many key packages one device may take from one user', async () => {
    const strict = await startCluster({
      limits: { keyPackageClaimsPerTarget: { limit: 2, windowMs: 60_000 } },
    });
    const target = strict.servers[0]!;
    const owner = await signUp(strict);
    await MlsDevice.create(target, owner, 5);
    const claimer = await signUp(strict);
    await ok(target, claim, { u: owner.userId }, claimer.token);
    await ok(target, claim, { u: owner.userId }, claimer.token);
    assert.equal(
      await errorCode(target, claim, { u: owner.userId }, claimer.token),
      'RATE_LIMITED',
    );
    const other = await signUp(strict);
    await ok(target, claim, { u: owner.userId }, other.token);
  });
});
