// The device directory through the public API: each device's MLS signature key, set once, and
// the introductions by which a user's devices vouch for each other.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  credentialFor,
  DeviceKeys,
  introduceDevice,
  isCryptoError,
  verifyCredential,
  type AuthenticationPolicy,
} from '@parley/crypto';

import { errorCode, ok, signUp, startCluster } from './support/harness.js';
import { b64, MlsDevice } from './support/mls-device.js';
import { registerKeyMutation as registerKey } from './support/mls-operations.js';

describe('the device directory', async () => {
  const cluster = await startCluster();
  const server = cluster.servers[0]!;

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
});
