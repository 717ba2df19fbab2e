// Shared (browser and Node). A device's long-term identity: the signature key pair that signs
// everything it sends in MLS, and the credential that names the user and the device.
import type { Credential } from 'ts-mls';

import { fromUtf8, utf8 } from './bytes.ts';
import { ParleyCryptoError } from './errors.ts';
import { cipherSuite } from './suite.ts';

/** Who a leaf of a group is: a user's device, both as the server's public API names them. */
export type DeviceRef = { readonly userId: string; readonly deviceId: string };

export type DeviceIdentity = DeviceRef & {
  /** Published in the server's device directory and compared in safety numbers. */
  readonly signaturePublicKey: Uint8Array;
  /** Never leaves the device. */
  readonly signaturePrivateKey: Uint8Array;
};

// A basic credential (RFC 9420, section 5.3) whose identity is this text. Ids are the API's
// global ids: base64 without spaces, so a space separates them unambiguously.
const credentialPrefix = 'parley/1 ';
const maxIdLength = 200;

export async function createDeviceIdentity(device: DeviceRef): Promise<DeviceIdentity> {
  checkId(device.userId, 'userId');
  checkId(device.deviceId, 'deviceId');
  const { publicKey, signKey } = await (await cipherSuite()).signature.keygen();
  return {
    userId: device.userId,
    deviceId: device.deviceId,
    signaturePublicKey: publicKey,
    signaturePrivateKey: signKey,
  };
}

export function credentialFor(device: DeviceRef): Credential {
  return {
    credentialType: 'basic',
    identity: utf8(`${credentialPrefix}${device.userId} ${device.deviceId}`),
  };
}

/** The device a credential names, or MALFORMED for anything that is not Parley's form. */
export function deviceOfCredential(credential: Credential): DeviceRef {
  if (credential.credentialType !== 'basic') {
    throw new ParleyCryptoError('MALFORMED', 'Only basic credentials name Parley devices.');
  }
  let text: string;
  try {
    text = fromUtf8(credential.identity);
  } catch (cause) {
    throw new ParleyCryptoError('MALFORMED', 'The credential is not UTF-8.', { cause });
  }
  if (!text.startsWith(credentialPrefix)) {
    throw new ParleyCryptoError('MALFORMED', 'The credential is not a Parley device credential.');
  }
  const parts = text.slice(credentialPrefix.length).split(' ');
  const [userId, deviceId] = parts;
  if (parts.length !== 2 || !isId(userId) || !isId(deviceId)) {
    throw new ParleyCryptoError('MALFORMED', 'The credential does not name a user and a device.');
  }
  return { userId, deviceId };
}

function isId(value: string | undefined): value is string {
  return (
    value !== undefined && value.length > 0 && value.length <= maxIdLength && !/\s/.test(value)
  );
}

function checkId(value: string, field: string): void {
  if (!isId(value)) {
    throw new ParleyCryptoError(
      'INVALID_OPERATION',
      `${field} must be 1 to ${maxIdLength} characters without spaces.`,
    );
  }
}
