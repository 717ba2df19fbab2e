// Shared (browser and Node). Safety numbers: a short fingerprint of two users' device signature
// keys that they compare in person (digits or a QR code), so that a server that slipped in a
// device of its own would be caught.
//
// Construction, version 1. Each user's half is made from the user id and all of the user's
// device keys, so a new device changes it:
//
//   input = "Parley safety number" || version as a big-endian uint16
//           || uint32 length || user id in UTF-8
//           || uint32 number of keys || for each key, in bytewise order: uint32 length || key
//   h(0) = SHA-512(input), then h(i) = SHA-512(h(i - 1) || input) up to h(5199)
//   fingerprint = the first 32 bytes of h(5199)
//
// Sorting the keys makes the half independent of the order the directory lists devices in. The
// iterations make each guess cost 5200 hashes: finding keys that give a victim's 30 digits (about
// 2^100 guesses) then costs about 2^112 hashes instead of 2^100.
//
// A user's 30 digits are the fingerprint read as a big-endian number, modulo 10^30; since 2^256
// is vastly larger than 10^30, every digit string is as likely as any other. The safety number
// puts the half of the user whose id sorts first (by UTF-8 bytes) first, so both phones show the
// same 60 digits, in twelve groups of five.
//
// The QR code is "PSN" || version as a uint8 || shower's fingerprint || the other user's
// fingerprint. Unlike the digits it has a direction: the scanner expects its own fingerprint
// second, so a code merely relayed back to the phone that made it (an attacker in the middle
// replaying Alice's own code at her) does not match.
import { sha512 } from '@noble/hashes/sha2.js';

import { concatBytes, equalBytes, toHex, utf8 } from './bytes.ts';
import { ParleyCryptoError } from './errors.ts';

export const safetyNumberVersion = 1;

const label = utf8('Parley safety number');
const iterations = 5200;
const fingerprintBytes = 32;
const digitsPerUser = 30;
const groupDigits = 5;
const qrMagic = utf8('PSN');
const qrBytes = qrMagic.length + 1 + 2 * fingerprintBytes;
const maxUserIdBytes = 1024;
const maxDevices = 1000;

/** One user as the directory lists them: every device's signature public key. */
export type SafetyNumberUser = {
  readonly userId: string;
  readonly deviceKeys: readonly Uint8Array[];
};

export type SafetyNumber = {
  readonly version: number;
  /** 60 digits, the same on both users' screens. */
  readonly digits: string;
  /** The digits in twelve groups of five, as shown. */
  readonly groups: readonly string[];
  readonly localFingerprint: Uint8Array;
  readonly remoteFingerprint: Uint8Array;
  /** What this side shows as a QR code for the other side to scan. */
  readonly qr: Uint8Array;
};

export type SafetyNumberComparison =
  | { readonly type: 'match' }
  /** The two phones see different keys: a device the other user does not know, or a relay. */
  | { readonly type: 'mismatch' }
  /** The other phone runs a version that builds safety numbers differently: update both. */
  | { readonly type: 'different_version'; readonly scanned: number; readonly own: number }
  /** Not a Parley safety number code at all. */
  | { readonly type: 'malformed' };

/** One user's half: the iterated hash of the user id and device keys. */
export function userFingerprint(user: SafetyNumberUser): Uint8Array {
  const userId = utf8(user.userId);
  if (userId.length === 0 || userId.length > maxUserIdBytes) {
    throw new ParleyCryptoError('INVALID_OPERATION', 'A safety number needs a user id.');
  }
  const keys = [...user.deviceKeys].sort(compareBytes);
  if (keys.length === 0 || keys.length > maxDevices) {
    throw new ParleyCryptoError(
      'INVALID_OPERATION',
      `A safety number covers 1 to ${maxDevices} devices; this user has ${keys.length}.`,
    );
  }
  for (let i = 0; i < keys.length; i++) {
    if (keys[i]!.length === 0) {
      throw new ParleyCryptoError('INVALID_OPERATION', 'A device key is empty.');
    }
    if (i > 0 && equalBytes(keys[i - 1]!, keys[i]!)) {
      throw new ParleyCryptoError(
        'INVALID_OPERATION',
        'Two devices list the same key: the directory answer is wrong, so nothing can be compared.',
      );
    }
  }

  const input = concatBytes(
    label,
    uint16(safetyNumberVersion),
    uint32(userId.length),
    userId,
    uint32(keys.length),
    ...keys.flatMap((key) => [uint32(key.length), key]),
  );
  let state = sha512(input);
  for (let i = 1; i < iterations; i++) state = sha512(concatBytes(state, input));
  return state.slice(0, fingerprintBytes);
}

export function computeSafetyNumber(
  local: SafetyNumberUser,
  remote: SafetyNumberUser,
): SafetyNumber {
  const order = compareBytes(utf8(local.userId), utf8(remote.userId));
  if (order === 0) {
    throw new ParleyCryptoError('INVALID_OPERATION', 'A safety number is between two users.');
  }
  const localFingerprint = userFingerprint(local);
  const remoteFingerprint = userFingerprint(remote);

  const halves = [digitsOf(localFingerprint), digitsOf(remoteFingerprint)];
  const digits = (order < 0 ? halves : halves.reverse()).join('');
  const groups = digits.match(new RegExp(`\\d{${groupDigits}}`, 'g')) ?? [];
  const qr = concatBytes(
    qrMagic,
    Uint8Array.of(safetyNumberVersion),
    localFingerprint,
    remoteFingerprint,
  );
  return {
    version: safetyNumberVersion,
    digits,
    groups,
    localFingerprint,
    remoteFingerprint,
    qr,
  };
}

/** Compares the code scanned from the other phone with what this phone computed. */
export function compareSafetyNumberQr(
  scanned: Uint8Array,
  mine: SafetyNumber,
): SafetyNumberComparison {
  const magic = scanned.subarray(0, qrMagic.length);
  const version = scanned[qrMagic.length];
  if (!equalBytes(magic, qrMagic) || version === undefined) return { type: 'malformed' };
  if (version !== mine.version)
    return { type: 'different_version', scanned: version, own: mine.version };
  if (scanned.length !== qrBytes) return { type: 'malformed' };

  // The other phone's local user is our remote one, and the other way round.
  const start = qrMagic.length + 1;
  const theirLocal = scanned.subarray(start, start + fingerprintBytes);
  const theirRemote = scanned.subarray(start + fingerprintBytes);
  const match =
    equalBytes(theirLocal, mine.remoteFingerprint) &&
    equalBytes(theirRemote, mine.localFingerprint);
  return { type: match ? 'match' : 'mismatch' };
}

function digitsOf(fingerprint: Uint8Array): string {
  const value = BigInt(`0x${toHex(fingerprint)}`) % 10n ** BigInt(digitsPerUser);
  return value.toString().padStart(digitsPerUser, '0');
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    if (a[i] !== b[i]) return a[i]! - b[i]!;
  }
  return a.length - b.length;
}

function uint16(value: number): Uint8Array {
  return Uint8Array.of(value >> 8, value & 0xff);
}

function uint32(value: number): Uint8Array {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, value);
  return bytes;
}
