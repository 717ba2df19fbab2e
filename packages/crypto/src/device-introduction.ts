// Shared (browser and Node). Device introductions: a user's existing device signs the key of the
// user's new device. The server's device directory is only the server's word; an introduction
// is the user's. A contact who verified one of the user's devices (by comparing safety numbers)
// can then accept the new one through the chain of introductions, without verifying again.
import { concatBytes, utf8 } from './bytes.ts';
import { ParleyCryptoError } from './errors.ts';
import type { DeviceIdentity, DeviceRef } from './identity.ts';
import { cipherSuite } from './suite.ts';

const label = utf8('parley/1 device introduction');

function lengthPrefixed(bytes: Uint8Array): Uint8Array {
  const length = new Uint8Array(4);
  new DataView(length.buffer).setUint32(0, bytes.length);
  return concatBytes(length, bytes);
}

/** What is signed: the label, then user, device and key, each with its length. */
function introductionContent(device: DeviceRef, signaturePublicKey: Uint8Array): Uint8Array {
  return concatBytes(
    label,
    lengthPrefixed(utf8(device.userId)),
    lengthPrefixed(utf8(device.deviceId)),
    lengthPrefixed(signaturePublicKey),
  );
}

/** Signs another device of the same user into the user's set of devices. */
export async function introduceDevice(
  introducer: DeviceIdentity,
  device: DeviceRef,
  signaturePublicKey: Uint8Array,
): Promise<Uint8Array> {
  if (device.userId !== introducer.userId) {
    throw new ParleyCryptoError('INVALID_OPERATION', 'A device introduces only its own user’s.');
  }
  if (device.deviceId === introducer.deviceId) {
    throw new ParleyCryptoError('INVALID_OPERATION', 'A device cannot introduce itself.');
  }
  const suite = await cipherSuite();
  return suite.signature.sign(
    introducer.signaturePrivateKey,
    introductionContent(device, signaturePublicKey),
  );
}

export async function verifyIntroduction(
  introducerKey: Uint8Array,
  device: DeviceRef,
  signaturePublicKey: Uint8Array,
  signature: Uint8Array,
): Promise<boolean> {
  const suite = await cipherSuite();
  try {
    return await suite.signature.verify(
      introducerKey,
      introductionContent(device, signaturePublicKey),
      signature,
    );
  } catch {
    return false;
  }
}
