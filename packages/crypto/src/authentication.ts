// Shared (browser and Node). The MLS Authentication Service (RFC 9420, section 5.3.1): decides
// whether a credential and the signature key presented with it belong together. MLS leaves this
// to the application; ts-mls's default accepts anything, which would let the server (or anyone
// who can inject a key package) add a device under somebody else's name.
import type { AuthenticationService, Credential } from 'ts-mls';

import { equalBytes } from './bytes.ts';
import { ParleyCryptoError } from './errors.ts';
import { verifyIntroduction } from './device-introduction.ts';
import { deviceOfCredential, type DeviceRef } from './identity.ts';

/** The server's device directory, as the client reads it through the API. */
export interface DeviceDirectory {
  /**
   * The signature key the directory lists for this device of this user, including devices
   * signed out since (their leaves stay valid until a commit removes them); undefined when the
   * directory has no such device.
   */
  signatureKey(device: DeviceRef): Promise<Uint8Array | undefined>;
  /**
   * Which of the user's devices introduced this one, with that device's key and its signature
   * (see device-introduction.ts); undefined when none did, or when the client does not ask.
   */
  introduction?(device: DeviceRef): Promise<DeviceIntroduction | undefined>;
}

export type DeviceIntroduction = {
  readonly introducer: DeviceRef;
  readonly introducerKey: Uint8Array;
  readonly signature: Uint8Array;
};

/** Links followed from a new device back to one the user verified; a longer chain is refused. */
const maxIntroductionChain = 16;

/** Keys this user confirmed by comparing safety numbers with a contact. */
export interface IdentityPins {
  /** Pinned key per device id, or undefined when the user has not verified this contact. */
  pinnedKeys(userId: string): ReadonlyMap<string, Uint8Array> | undefined;
}

export type AuthenticationPolicy = {
  readonly directory: DeviceDirectory;
  readonly pins?: IdentityPins;
  /**
   * A verified contact's device that was not pinned (a new phone, say): accept it, so the app
   * can say "safety number changed", or refuse it unless a chain of introductions leads from it
   * to a pinned device, so that only the contact's own devices can vouch for it. Default accept.
   */
  readonly unpinnedDeviceOfVerifiedContact?: 'accept' | 'introduced';
};

/**
 * Checks a credential against the directory and the pins; throws a typed error saying which
 * check failed. A device whose key does not match what the directory lists could be an
 * impostor the server invented, so only a directory match is accepted; a key that differs from
 * the pinned one is refused even if the directory confirms it, because the directory is the
 * server's word and pins are the user's.
 */
export async function verifyCredential(
  policy: AuthenticationPolicy,
  credential: Credential,
  signaturePublicKey: Uint8Array,
): Promise<DeviceRef> {
  const device = deviceOfCredential(credential);

  const pinned = policy.pins?.pinnedKeys(device.userId);
  if (pinned) {
    const key = pinned.get(device.deviceId);
    if (key && !equalBytes(key, signaturePublicKey)) {
      throw new ParleyCryptoError(
        'IDENTITY_MISMATCH',
        'This device presents a key other than the one verified with this contact.',
      );
    }
    if (!key && policy.unpinnedDeviceOfVerifiedContact === 'introduced') {
      await requireIntroductionChain(policy.directory, pinned, device, signaturePublicKey);
    }
  }

  let listed: Uint8Array | undefined;
  try {
    listed = await policy.directory.signatureKey(device);
  } catch (cause) {
    // Kept apart from a refusal: a lookup that failed says nothing about the credential.
    throw new ParleyCryptoError(
      'DIRECTORY_UNAVAILABLE',
      'The device directory could not be asked; try again.',
      { cause },
    );
  }
  if (!listed || !equalBytes(listed, signaturePublicKey)) {
    throw new ParleyCryptoError(
      'UNKNOWN_CREDENTIAL',
      listed
        ? 'The device directory lists another key for this device.'
        : 'The device directory does not list this device.',
    );
  }
  return device;
}

/**
 * Follows introductions from a device back to one whose key the user pinned, checking each
 * signature and that every link stays within the same user.
 */
async function requireIntroductionChain(
  directory: DeviceDirectory,
  pinned: ReadonlyMap<string, Uint8Array>,
  device: DeviceRef,
  signaturePublicKey: Uint8Array,
): Promise<void> {
  const refuse = (why: string) =>
    new ParleyCryptoError(
      'IDENTITY_MISMATCH',
      `A verified contact has a device that none of their verified devices vouches for: ${why}`,
    );
  let current = device;
  let currentKey = signaturePublicKey;
  const seen = new Set<string>();
  for (let link = 0; link < maxIntroductionChain; link++) {
    seen.add(current.deviceId);
    let introduction: DeviceIntroduction | undefined;
    try {
      introduction = await directory.introduction?.(current);
    } catch (cause) {
      throw new ParleyCryptoError(
        'DIRECTORY_UNAVAILABLE',
        'The device directory could not be asked; try again.',
        { cause },
      );
    }
    if (!introduction) throw refuse('no introduction.');
    const { introducer, introducerKey, signature } = introduction;
    if (introducer.userId !== device.userId || seen.has(introducer.deviceId)) {
      throw refuse('the introductions do not form a chain within the user’s devices.');
    }
    if (!(await verifyIntroduction(introducerKey, current, currentKey, signature))) {
      throw refuse('an introduction’s signature does not verify.');
    }
    const pinnedKey = pinned.get(introducer.deviceId);
    if (pinnedKey) {
      if (equalBytes(pinnedKey, introducerKey)) return;
      throw refuse('it was introduced with a key other than the verified one.');
    }
    current = introducer;
    currentKey = introducerKey;
  }
  throw refuse('the chain of introductions is too long.');
}

/** The policy as the MLS library's hook; its failures surface as typed errors, not `false`. */
export function authenticationService(policy: AuthenticationPolicy): AuthenticationService {
  return {
    async validateCredential(credential, signaturePublicKey) {
      await verifyCredential(policy, credential, signaturePublicKey);
      return true;
    },
  };
}
