import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
  credentialFor,
  DeviceKeys,
  Group,
  groupIdOf,
  isCryptoError,
  introduceDevice,
  verifyCredential,
  type AuthenticationPolicy,
  type DeviceIntroduction,
  type DeviceRef,
} from '../src/index.ts';

function directoryOf(...devices: DeviceKeys[]): AuthenticationPolicy['directory'] {
  const keys = new Map(devices.map((d) => [d.identity.deviceId, d.identity]));
  return {
    signatureKey: async ({ userId, deviceId }: DeviceRef) => {
      const identity = keys.get(deviceId);
      return identity?.userId === userId ? identity.signaturePublicKey : undefined;
    },
  };
}

describe('the authentication service', () => {
  test('accepts a credential whose key the directory lists for that device', async () => {
    const bob = await DeviceKeys.create({ userId: 'bob', deviceId: 'b1' });
    const device = await verifyCredential(
      { directory: directoryOf(bob) },
      credentialFor(bob.identity),
      bob.identity.signaturePublicKey,
    );
    assert.deepEqual(device, { userId: 'bob', deviceId: 'b1' });
  });

  test('refuses a device the directory does not list, or lists with another key', async () => {
    const bob = await DeviceKeys.create({ userId: 'bob', deviceId: 'b1' });
    const impostor = await DeviceKeys.create({ userId: 'bob', deviceId: 'b1' });
    const policy = { directory: directoryOf(bob) };
    await assert.rejects(
      verifyCredential(
        policy,
        credentialFor(impostor.identity),
        impostor.identity.signaturePublicKey,
      ),
      (e) => isCryptoError(e, 'UNKNOWN_CREDENTIAL'),
    );
    await assert.rejects(
      verifyCredential(
        policy,
        credentialFor({ userId: 'mallory', deviceId: 'b1' }),
        bob.identity.signaturePublicKey,
      ),
      (e) => isCryptoError(e, 'UNKNOWN_CREDENTIAL'),
    );
    await assert.rejects(
      verifyCredential(
        policy,
        { credentialType: 'basic', identity: new TextEncoder().encode('not parley') },
        bob.identity.signaturePublicKey,
      ),
      (e) => isCryptoError(e, 'MALFORMED'),
    );
  });

  test('holds a verified contact to the pinned key, even when the directory agrees', async () => {
    const bob = await DeviceKeys.create({ userId: 'bob', deviceId: 'b1' });
    const replaced = await DeviceKeys.create({ userId: 'bob', deviceId: 'b1' });
    const laptop = await DeviceKeys.create({ userId: 'bob', deviceId: 'b2' });
    const pins = {
      pinnedKeys: (userId: string) =>
        userId === 'bob' ? new Map([['b1', bob.identity.signaturePublicKey]]) : undefined,
    };
    // The server swapped Bob's key in its directory: the pin still refuses it.
    await assert.rejects(
      verifyCredential(
        { directory: directoryOf(replaced), pins },
        credentialFor(replaced.identity),
        replaced.identity.signaturePublicKey,
      ),
      (e) => isCryptoError(e, 'IDENTITY_MISMATCH'),
    );
    // A new device of a verified contact: accepted by default, refused under the strict policy.
    const laptopCredential = credentialFor(laptop.identity);
    const laptopKey = laptop.identity.signaturePublicKey;
    const lenient = { directory: directoryOf(bob, laptop), pins };
    assert.deepEqual(await verifyCredential(lenient, laptopCredential, laptopKey), {
      userId: 'bob',
      deviceId: 'b2',
    });
    const strict = { ...lenient, unpinnedDeviceOfVerifiedContact: 'introduced' as const };
    await assert.rejects(verifyCredential(strict, laptopCredential, laptopKey), (e) =>
      isCryptoError(e, 'IDENTITY_MISMATCH'),
    );
  });

  test('is what MLS asks: a Welcome naming an unconfirmed member is refused', async () => {
    const alice = await DeviceKeys.create({ userId: 'alice', deviceId: 'a1' });
    const bob = await DeviceKeys.create({ userId: 'bob', deviceId: 'b1' });
    const carol = await DeviceKeys.create({ userId: 'carol', deviceId: 'c1' });
    const everyone = { directory: directoryOf(alice, bob, carol) };
    const group = await Group.create(alice, groupIdOf('c'), everyone);
    const [forBob] = await bob.createKeyPackages(1);
    const [forCarol] = await carol.createKeyPackages(1);
    const pending = await group.add([forBob!, forCarol!], everyone);

    // Bob's directory does not know Carol: joining a group with her in it must fail.
    const withoutCarol = { directory: directoryOf(alice, bob) };
    await assert.rejects(Group.join(bob, pending.welcome!, withoutCarol), (e) =>
      isCryptoError(e, 'UNKNOWN_CREDENTIAL'),
    );
    const joined = await Group.join(bob, pending.welcome!, everyone);
    assert.equal(joined.members().length, 3);
  });

  test('reports a directory that cannot be asked as such, not as a bad credential', async () => {
    const alice = await DeviceKeys.create({ userId: 'alice', deviceId: 'a1' });
    const bob = await DeviceKeys.create({ userId: 'bob', deviceId: 'b1' });
    const group = await Group.create(alice, groupIdOf('c'), { directory: directoryOf(alice, bob) });
    const pending = await group.add(await bob.createKeyPackages(1), {
      directory: directoryOf(alice, bob),
    });
    const offline = {
      directory: {
        signatureKey: async () => {
          throw new TypeError('fetch failed');
        },
      },
    };
    await assert.rejects(Group.join(bob, pending.welcome!, offline), (e) =>
      isCryptoError(e, 'DIRECTORY_UNAVAILABLE'),
    );
    // Nothing was used up: with the directory back, the same Welcome works.
    const joined = await Group.join(bob, pending.welcome!, { directory: directoryOf(alice, bob) });
    assert.equal(joined.epoch, 1);
  });

  test('accepts a verified contact’s new device through a chain of introductions', async () => {
    const phone = await DeviceKeys.create({ userId: 'bob', deviceId: 'b1' });
    const laptop = await DeviceKeys.create({ userId: 'bob', deviceId: 'b2' });
    const tablet = await DeviceKeys.create({ userId: 'bob', deviceId: 'b3' });
    const eve = await DeviceKeys.create({ userId: 'eve', deviceId: 'e1' });
    const introductions = new Map<string, DeviceIntroduction>();
    const introduce = async (by: DeviceKeys, device: DeviceKeys, signer = by) => {
      introductions.set(device.identity.deviceId, {
        introducer: { userId: by.identity.userId, deviceId: by.identity.deviceId },
        introducerKey: by.identity.signaturePublicKey,
        // A forger signs as if it were one of the user's devices.
        signature: await introduceDevice(
          { ...signer.identity, userId: device.identity.userId },
          device.identity,
          device.identity.signaturePublicKey,
        ),
      });
    };
    const policy: AuthenticationPolicy = {
      directory: {
        ...directoryOf(phone, laptop, tablet, eve),
        introduction: async ({ deviceId }) => introductions.get(deviceId),
      },
      pins: {
        pinnedKeys: (userId) =>
          userId === 'bob' ? new Map([['b1', phone.identity.signaturePublicKey]]) : undefined,
      },
      unpinnedDeviceOfVerifiedContact: 'introduced',
    };
    const check = (device: DeviceKeys) =>
      verifyCredential(policy, credentialFor(device.identity), device.identity.signaturePublicKey);

    await assert.rejects(check(laptop), (e) => isCryptoError(e, 'IDENTITY_MISMATCH'));
    await introduce(phone, laptop);
    await introduce(laptop, tablet);
    assert.deepEqual(await check(laptop), { userId: 'bob', deviceId: 'b2' });
    assert.deepEqual(await check(tablet), { userId: 'bob', deviceId: 'b3' }, 'two links');

    // A signature by the wrong key, or an introducer from another account, breaks the chain.
    await introduce(phone, tablet, eve);
    await assert.rejects(check(tablet), (e) => isCryptoError(e, 'IDENTITY_MISMATCH'));
    introductions.set('b3', {
      ...introductions.get('b2')!,
      introducer: { userId: 'eve', deviceId: 'e1' },
    });
    await assert.rejects(check(tablet), (e) => isCryptoError(e, 'IDENTITY_MISMATCH'));
  });
});
