// Shared (browser and Node). Key packages (RFC 9420, section 10): the signed, one-time
// invitations that let others add this device to a group while it is offline. The public half
// goes to the server; the private half stays here until a Welcome uses it.
import {
  decodeMlsMessage,
  defaultCapabilities,
  encodeMlsMessage,
  generateKeyPackageWithKey,
  type KeyPackage,
  type PrivateKeyPackage,
  type Welcome,
} from 'ts-mls';
import { makeKeyPackageRef, verifyKeyPackage } from 'ts-mls/keyPackage.js';

import { equalBytes, toHex } from './bytes.ts';
import { ParleyCryptoError } from './errors.ts';
import {
  credentialFor,
  deviceOfCredential,
  type DeviceIdentity,
  type DeviceRef,
} from './identity.ts';
import { cipherSuite, cipherSuiteName } from './suite.ts';

export type KeyPackageSecret = {
  /** The key package reference (RFC 9420, section 5.2) a Welcome names its joiner by. */
  readonly ref: Uint8Array;
  readonly publicPackage: KeyPackage;
  readonly privatePackage: PrivateKeyPackage;
  /**
   * Handed out by the server when the device has no one-time package left. It is reused, so a
   * Welcome to it does not consume it; the device replaces it after use to limit that reuse.
   */
  readonly lastResort: boolean;
};

/** How long a key package stays valid: RFC 9420 (section 10) has each one carry a lifetime. */
export const keyPackageLifetimeSeconds = 90 * 24 * 3600;
// Valid from an hour before it was made, so that a device whose clock is behind accepts it.
const clockLeewaySeconds = 3600;

export type KeyPackageOptions = {
  /** When its lifetime starts, before the leeway; default now. Tests pass a past time. */
  readonly validFrom?: Date;
};

export async function createKeyPackage(
  identity: DeviceIdentity,
  lastResort: boolean,
  options: KeyPackageOptions = {},
): Promise<KeyPackageSecret> {
  const suite = await cipherSuite();
  const start = BigInt(Math.floor((options.validFrom ?? new Date()).getTime() / 1000));
  const { publicPackage, privatePackage } = await generateKeyPackageWithKey(
    credentialFor(identity),
    defaultCapabilities(),
    {
      notBefore: start - BigInt(clockLeewaySeconds),
      notAfter: start + BigInt(keyPackageLifetimeSeconds),
    },
    [],
    { signKey: identity.signaturePrivateKey, publicKey: identity.signaturePublicKey },
    suite,
  );
  const ref = await makeKeyPackageRef(publicPackage, suite.hash);
  return { ref, publicPackage, privatePackage, lastResort };
}

/** The wire form (an MLSMessage holding a KeyPackage) that is uploaded and claimed. */
export function encodeKeyPackage(keyPackage: KeyPackage): Uint8Array {
  return encodeMlsMessage({ version: 'mls10', wireformat: 'mls_key_package', keyPackage });
}

export type InspectedKeyPackage = {
  readonly keyPackage: KeyPackage;
  readonly device: DeviceRef;
  readonly signaturePublicKey: Uint8Array;
  readonly ref: Uint8Array;
  /** The end of its lifetime, after which nobody may add a device with it. */
  readonly expiresAt: Date;
};

/**
 * Decodes a key package and checks what can be checked without a directory: Parley's cipher
 * suite, a device credential, and the package's own signature by the key in its leaf. The
 * server runs this on upload, so that it never hands out a package that cannot work; clients
 * run it again, and also check the credential against the directory, before adding anybody.
 */
export async function inspectKeyPackage(bytes: Uint8Array): Promise<InspectedKeyPackage> {
  let decoded: ReturnType<typeof decodeMlsMessage>;
  try {
    decoded = decodeMlsMessage(bytes, 0);
  } catch (cause) {
    throw new ParleyCryptoError('MALFORMED', 'These bytes are not an MLS message.', { cause });
  }
  if (!decoded || decoded[1] !== bytes.length || decoded[0].wireformat !== 'mls_key_package') {
    throw new ParleyCryptoError('MALFORMED', 'These bytes are not an MLS key package.');
  }
  const keyPackage = decoded[0].keyPackage;
  if (keyPackage.cipherSuite !== cipherSuiteName) {
    throw new ParleyCryptoError(
      'MALFORMED',
      `The key package uses ${keyPackage.cipherSuite}; Parley uses ${cipherSuiteName}.`,
    );
  }
  const device = deviceOfCredential(keyPackage.leafNode.credential);
  const suite = await cipherSuite();
  if (!(await verifyKeyPackage(keyPackage, suite.signature))) {
    throw new ParleyCryptoError('TAMPERED', 'The key package signature does not verify.');
  }
  const { notBefore, notAfter } = keyPackage.leafNode.lifetime;
  const now = BigInt(Math.floor(Date.now() / 1000));
  if (now < notBefore - BigInt(clockLeewaySeconds) || now > notAfter) {
    throw new ParleyCryptoError('EXPIRED', 'The key package is outside its lifetime.');
  }
  const ref = await makeKeyPackageRef(keyPackage, suite.hash);
  return {
    keyPackage,
    device,
    signaturePublicKey: keyPackage.leafNode.signaturePublicKey,
    ref,
    expiresAt: secondsToDate(notAfter),
  };
}

// The latest time a JavaScript Date can hold, for lifetimes that never end.
const latestDateSeconds = 8_640_000_000_000n;

function secondsToDate(seconds: bigint): Date {
  return new Date(Number(seconds < latestDateSeconds ? seconds : latestDateSeconds) * 1000);
}

/** The private key packages a device holds, found by the reference a Welcome carries. */
export class KeyPackageStore {
  readonly #secrets = new Map<string, KeyPackageSecret>();

  constructor(secrets: Iterable<KeyPackageSecret> = []) {
    for (const secret of secrets) this.add(secret);
  }

  add(secret: KeyPackageSecret): void {
    this.#secrets.set(toHex(secret.ref), secret);
  }

  get size(): number {
    return this.#secrets.size;
  }

  all(): KeyPackageSecret[] {
    return [...this.#secrets.values()];
  }

  /** The secret a Welcome is addressed to (RFC 9420, section 12.4.3.1). */
  forWelcome(welcome: Welcome): KeyPackageSecret {
    for (const entry of welcome.secrets) {
      const secret = this.#secrets.get(toHex(entry.newMember));
      if (secret && equalBytes(secret.ref, entry.newMember)) return secret;
    }
    throw new ParleyCryptoError(
      'NO_MATCHING_KEY_PACKAGE',
      'This Welcome is not addressed to any key package this device holds.',
    );
  }

  /** Deletes a used one-time package, so its private keys cannot decrypt anything again. */
  consume(secret: KeyPackageSecret): void {
    if (!secret.lastResort) this.delete(secret);
  }

  delete(secret: KeyPackageSecret): void {
    this.#secrets.delete(toHex(secret.ref));
  }
}
