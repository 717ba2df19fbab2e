import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { utf8 } from '../src/bytes.ts';
import {
  DeviceKeys,
  Group,
  groupIdOf,
  isCryptoError,
  newContentId,
  type AuthenticationPolicy,
  type DeviceRef,
  type Received,
  type TextContent,
} from '../src/index.ts';

const text = (body: string): TextContent => ({
  type: 'text',
  id: newContentId(),
  sentAt: Date.now(),
  body,
});

/** The body of a received text message, or a failure naming what arrived instead. */
function bodyOf(received: Received): string {
  assert.equal(received.type, 'application');
  assert.ok(received.type === 'application' && received.content.type === 'text');
  return received.content.body;
}

/** A directory that lists exactly the devices registered with it, as the server's would. */
class TestDirectory {
  readonly keys = new Map<string, Uint8Array>();

  register(keys: DeviceKeys): void {
    this.keys.set(
      `${keys.identity.userId}/${keys.identity.deviceId}`,
      keys.identity.signaturePublicKey,
    );
  }

  policy(): AuthenticationPolicy {
    return {
      directory: {
        signatureKey: async (d: DeviceRef) => this.keys.get(`${d.userId}/${d.deviceId}`),
      },
    };
  }
}

async function device(directory: TestDirectory, userId: string, deviceId: string) {
  const keys = await DeviceKeys.create({ userId, deviceId });
  directory.register(keys);
  return keys;
}

async function groupOfTwo() {
  const directory = new TestDirectory();
  const policy = directory.policy();
  const alice = await device(directory, 'alice', 'a1');
  const bob = await device(directory, 'bob', 'b1');
  const aliceGroup = await Group.create(alice, groupIdOf('conversation-1'), policy);
  const [bobPackage] = await bob.createKeyPackages(1);
  const pending = await aliceGroup.add([bobPackage!], policy);
  await aliceGroup.applyCommit(pending);
  const bobGroup = await Group.join(bob, pending.welcome!, policy);
  return { directory, policy, alice, bob, aliceGroup, bobGroup };
}

describe('a group of devices', () => {
  test('two devices share an epoch and exchange messages attributed to their sender', async () => {
    const { aliceGroup, bobGroup } = await groupOfTwo();
    assert.equal(aliceGroup.epoch, 1);
    assert.equal(bobGroup.epoch, 1);
    assert.deepEqual(bobGroup.epochAuthenticator, aliceGroup.epochAuthenticator);

    const received = await bobGroup.receive(await aliceGroup.send(text('hello bob')));
    assert.equal(bodyOf(received), 'hello bob');
    assert.deepEqual(received.type === 'application' && received.sender, {
      userId: 'alice',
      deviceId: 'a1',
    });
  });

  test('a replayed message is refused as REPLAYED and the group stays usable', async () => {
    const { aliceGroup, bobGroup } = await groupOfTwo();
    const message = await aliceGroup.send(text('once'));
    await bobGroup.receive(message);
    await assert.rejects(bobGroup.receive(message), (e) => isCryptoError(e, 'REPLAYED'));
    const next = await bobGroup.receive(await aliceGroup.send(text('twice')));
    assert.equal(bodyOf(next), 'twice');
  });

  test('a tampered message is refused as TAMPERED', async () => {
    const { aliceGroup, bobGroup } = await groupOfTwo();
    const message = await aliceGroup.send(text('integrity'));
    const tampered = message.slice();
    tampered[tampered.length - 5]! ^= 0x01;
    await assert.rejects(bobGroup.receive(tampered), (e) => isCryptoError(e, 'TAMPERED'));
    const intact = await bobGroup.receive(message);
    assert.equal(bodyOf(intact), 'integrity');
  });

  test('a removed device cannot decrypt what follows its removal', async () => {
    const { directory, policy, aliceGroup, bobGroup } = await groupOfTwo();
    const carol = await device(directory, 'carol', 'c1');
    const add = await aliceGroup.add(await carol.createKeyPackages(1), policy);
    await aliceGroup.applyCommit(add);
    await bobGroup.receive(add.commit);
    const carolGroup = await Group.join(carol, add.welcome!, policy);

    const removal = await aliceGroup.remove(['b1']);
    await aliceGroup.applyCommit(removal);
    const seenByBob = await bobGroup.receive(removal.commit);
    assert.equal(seenByBob.type === 'commit' && seenByBob.removedSelf, true);
    const seenByCarol = await carolGroup.receive(removal.commit);
    assert.deepEqual(seenByCarol.type === 'commit' && seenByCarol.removed, [
      { userId: 'bob', deviceId: 'b1' },
    ]);

    const secret = await aliceGroup.send(text('after bob left'));
    await assert.rejects(bobGroup.receive(secret), (e) => isCryptoError(e, 'NOT_A_MEMBER'));
    const forCarol = await carolGroup.receive(secret);
    assert.equal(bodyOf(forCarol), 'after bob left');
  });

  test('a key package whose credential the directory does not confirm is refused', async () => {
    const { policy, aliceGroup } = await groupOfTwo();
    const impostor = await DeviceKeys.create({ userId: 'bob', deviceId: 'b2' });
    await assert.rejects(aliceGroup.add(await impostor.createKeyPackages(1), policy), (e) =>
      isCryptoError(e, 'UNKNOWN_CREDENTIAL'),
    );
  });

  test('a key package past its lifetime cannot add anybody', async () => {
    const { directory, policy, aliceGroup } = await groupOfTwo();
    const carol = await device(directory, 'carol', 'c1');
    const longAgo = new Date(Date.now() - 100 * 24 * 3600 * 1000);
    const expired = await carol.createKeyPackages(1, { validFrom: longAgo });
    await assert.rejects(aliceGroup.add(expired, policy), (e) => isCryptoError(e, 'EXPIRED'));
  });

  test('state serialises to bytes and back, and keeps working', async () => {
    const { policy, aliceGroup, bobGroup, bob } = await groupOfTwo();
    const restored = Group.deserialize(bobGroup.serialize(), policy);
    const restoredKeys = DeviceKeys.deserialize(bob.serialize());
    assert.deepEqual(restoredKeys.identity, bob.identity);
    const received = await restored.receive(await aliceGroup.send(text('persisted')));
    assert.equal(bodyOf(received), 'persisted');
    assert.throws(
      () => Group.deserialize(utf8('PGS9junk'), policy),
      (e) => isCryptoError(e, 'MALFORMED'),
    );
  });

  test('a commit made in an epoch the group has left cannot be applied', async () => {
    const { aliceGroup, bobGroup } = await groupOfTwo();
    const fromAlice = await aliceGroup.selfUpdate();
    const fromBob = await bobGroup.selfUpdate();
    await aliceGroup.applyCommit(fromAlice);
    await bobGroup.receive(fromAlice.commit);
    await assert.rejects(bobGroup.applyCommit(fromBob), (e) => isCryptoError(e, 'WRONG_EPOCH'));
    assert.deepEqual(bobGroup.epochAuthenticator, aliceGroup.epochAuthenticator);
  });
});
