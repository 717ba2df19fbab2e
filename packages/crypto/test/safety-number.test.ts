// Safety numbers: both users see the same digits, the digits follow every device key and
// nothing else, and scanning the other phone's code tells match from mismatch.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';

import { isCryptoError } from '../src/errors.ts';
import {
  compareSafetyNumberQr,
  computeSafetyNumber,
  type SafetyNumberUser,
  safetyNumberVersion,
  userFingerprint,
} from '../src/safety-number.ts';

const key = () => crypto.getRandomValues(new Uint8Array(32));

const alice: SafetyNumberUser = { userId: 'VXNlcjphbGljZQ==', deviceKeys: [key(), key(), key()] };
const bob: SafetyNumberUser = { userId: 'VXNlcjpib2I=', deviceKeys: [key()] };

const onAlicesPhone = computeSafetyNumber(alice, bob);
const onBobsPhone = computeSafetyNumber(bob, alice);

/** The construction as the header of safety-number.ts documents it, written out again. */
function documentedDigits(user: SafetyNumberUser): string {
  const u32 = (value: number) => {
    const bytes = Buffer.alloc(4);
    bytes.writeUInt32BE(value);
    return bytes;
  };
  const userId = Buffer.from(user.userId, 'utf8');
  const keys = [...user.deviceKeys].map((k) => Buffer.from(k)).sort(Buffer.compare);
  const input = Buffer.concat([
    Buffer.from('Parley safety number'),
    Buffer.from([0, 1]),
    u32(userId.length),
    userId,
    u32(keys.length),
    ...keys.flatMap((k) => [u32(k.length), k]),
  ]);
  let state = createHash('sha512').update(input).digest();
  for (let i = 1; i < 5200; i++) state = createHash('sha512').update(state).update(input).digest();
  const number = BigInt(`0x${state.subarray(0, 32).toString('hex')}`) % 10n ** 30n;
  return number.toString().padStart(30, '0');
}

function assertInvalid(compute: () => unknown): void {
  assert.throws(compute, (error) => isCryptoError(error, 'INVALID_OPERATION'));
}

describe('the digits', () => {
  it('are the same on both phones', () => {
    assert.equal(onAlicesPhone.digits, onBobsPhone.digits);
    assert.deepStrictEqual(onAlicesPhone.groups, onBobsPhone.groups);
  });

  it('are 60 digits shown in twelve groups of five', () => {
    assert.match(onAlicesPhone.digits, /^\d{60}$/);
    assert.equal(onAlicesPhone.groups.length, 12);
    assert.ok(onAlicesPhone.groups.every((group) => /^\d{5}$/.test(group)));
    assert.equal(onAlicesPhone.groups.join(''), onAlicesPhone.digits);
  });

  it('follow the documented construction, the lower user id first', () => {
    const [first, second] = alice.userId < bob.userId ? [alice, bob] : [bob, alice];
    assert.equal(onAlicesPhone.digits, documentedDigits(first) + documentedDigits(second));
  });

  it('do not depend on the order the directory lists devices in', () => {
    const reordered = { ...alice, deviceKeys: [...alice.deviceKeys].reverse() };
    assert.equal(computeSafetyNumber(reordered, bob).digits, onAlicesPhone.digits);
  });

  it('change when any one device key changes, in that user’s half only', () => {
    for (let device = 0; device < alice.deviceKeys.length; device++) {
      const deviceKeys = alice.deviceKeys.map((k, i) => {
        if (i !== device) return k;
        const changed = k.slice();
        changed[31]! ^= 1;
        return changed;
      });
      const changed = { ...alice, deviceKeys };
      assert.notDeepStrictEqual(userFingerprint(changed), onAlicesPhone.localFingerprint);
      assert.notEqual(computeSafetyNumber(changed, bob).digits, onAlicesPhone.digits);
    }
  });

  it('change when a user adds or loses a device', () => {
    const added = { ...bob, deviceKeys: [...bob.deviceKeys, key()] };
    const lost = { ...alice, deviceKeys: alice.deviceKeys.slice(1) };
    assert.notEqual(computeSafetyNumber(alice, added).digits, onAlicesPhone.digits);
    assert.notEqual(computeSafetyNumber(lost, bob).digits, onAlicesPhone.digits);
  });

  it('change when the same keys are claimed under another user id', () => {
    const renamed = { ...bob, userId: 'VXNlcjptYWxsb3J5' };
    assert.notEqual(computeSafetyNumber(alice, renamed).digits, onAlicesPhone.digits);
  });

  it('need two different users, each with at least one distinct device key', () => {
    assertInvalid(() => computeSafetyNumber(alice, { ...bob, userId: alice.userId }));
    assertInvalid(() => computeSafetyNumber(alice, { ...bob, deviceKeys: [] }));
    assertInvalid(() => computeSafetyNumber(alice, { ...bob, userId: '' }));
    assertInvalid(() => computeSafetyNumber(alice, { ...bob, deviceKeys: [new Uint8Array(0)] }));
    const twice = bob.deviceKeys[0]!;
    assertInvalid(() => computeSafetyNumber(alice, { ...bob, deviceKeys: [twice, twice.slice()] }));
  });
});

describe('scanning the QR code', () => {
  it('matches when both phones see the same keys', () => {
    assert.deepStrictEqual(compareSafetyNumberQr(onBobsPhone.qr, onAlicesPhone), { type: 'match' });
    assert.deepStrictEqual(compareSafetyNumberQr(onAlicesPhone.qr, onBobsPhone), { type: 'match' });
  });

  it('does not match when the server gave one phone a device of its own', () => {
    const withIntruder = { ...bob, deviceKeys: [...bob.deviceKeys, key()] };
    const onIntercepted = computeSafetyNumber(alice, withIntruder);
    assert.deepStrictEqual(compareSafetyNumberQr(onBobsPhone.qr, onIntercepted), {
      type: 'mismatch',
    });
    assert.deepStrictEqual(compareSafetyNumberQr(onIntercepted.qr, onBobsPhone), {
      type: 'mismatch',
    });
  });

  it('does not match a phone’s own code relayed back to it', () => {
    assert.deepStrictEqual(compareSafetyNumberQr(onAlicesPhone.qr, onAlicesPhone), {
      type: 'mismatch',
    });
  });

  it('reports a code made by another version of the construction', () => {
    const newer = onBobsPhone.qr.slice();
    newer[3] = safetyNumberVersion + 1;
    assert.deepStrictEqual(compareSafetyNumberQr(newer, onAlicesPhone), {
      type: 'different_version',
      scanned: safetyNumberVersion + 1,
      own: safetyNumberVersion,
    });
  });

  it('holds the magic, the version and both fingerprints, the shower’s first', () => {
    const { qr, localFingerprint, remoteFingerprint } = onAlicesPhone;
    assert.equal(Buffer.from(qr.subarray(0, 3)).toString(), 'PSN');
    assert.equal(qr[3], safetyNumberVersion);
    assert.deepStrictEqual(qr.subarray(4, 36), localFingerprint);
    assert.deepStrictEqual(qr.subarray(36), remoteFingerprint);
    assert.deepStrictEqual(localFingerprint, userFingerprint(alice));
  });

  const malformed: readonly (readonly [string, Uint8Array])[] = [
    ['an empty code', new Uint8Array(0)],
    ['the magic alone', new TextEncoder().encode('PSN')],
    ['another kind of QR code', new TextEncoder().encode('https://example.com/join/abc')],
    ['a code cut short', onBobsPhone.qr.subarray(0, 40)],
    ['a code with a byte too many', Uint8Array.of(...onBobsPhone.qr, 0)],
    ['a code with other magic', Uint8Array.of(0x50, 0x53, 0x4d, ...onBobsPhone.qr.subarray(3))],
  ];
  for (const [name, scanned] of malformed) {
    it(`calls ${name} malformed`, () => {
      assert.deepStrictEqual(compareSafetyNumberQr(scanned, onAlicesPhone), { type: 'malformed' });
    });
  }
});
