// Key packages through the public API: checked on upload, each handed out once, expired ones
// never, the last-resort one when nothing else is left, and the owner told to refill.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { DeviceKeys } from '@parley/crypto';

import { errorCode, gql, ok, signUp, startCluster, subscribe, uuidOf } from './support/harness.js';
import { b64, MlsDevice } from './support/mls-device.js';
import {
  claimMutation as claim,
  registerKeyMutation as registerKey,
  stockQuery,
  uploadMutation as upload,
} from './support/mls-operations.js';

describe('key packages', async () => {
  const cluster = await startCluster();
  const server = cluster.servers[0]!;

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
    const { viewer } = await ok(server, stockQuery, {}, account.token);
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
    const ownerId = uuidOf(owner.deviceId);
    await server.deps.db.prisma.keyPackage.updateMany({
      where: { deviceId: ownerId, lastResort: false },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const claimer = await signUp(cluster);
    const result = await ok(server, claim, { u: owner.userId }, claimer.token);
    assert.equal(result.claimKeyPackages.keyPackages[0].lastResort, true);
    const { viewer } = await ok(server, stockQuery, {}, owner.token);
    assert.deepEqual(viewer.keyPackageStock, { available: 0, lastResort: true });
    assert.equal(
      await server.deps.db.prisma.keyPackage.count({ where: { deviceId: ownerId } }),
      1,
      'the expired ones were deleted',
    );
  });

  it('hands each package out once under concurrent claims, then the last resort', async () => {
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

    const { viewer } = await ok(server, stockQuery, {}, owner.token);
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
