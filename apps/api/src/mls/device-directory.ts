// Server-only. The device directory: each device's MLS signature public key, which clients check
// every credential against (their authentication service, in @parley/crypto). A device sets its
// key once; a new key means a new device, so that a key change is always visible to others.
import { verifyIntroduction } from '@parley/crypto';

import type { Deps } from '../deps.js';
import { badInput, ParleyError } from '../errors.js';
import type { Device } from '../generated/prisma/client.ts';
import type { DeviceId, UserId } from '../ids.js';
import type { Viewer } from '../viewer.js';
import { publicDeviceId, publicUserId } from './public-ids.js';

/** Ed25519 public keys, the signature scheme of Parley's cipher suite, are 32 bytes. */
const signatureKeyBytes = 32;

export async function registerDeviceKey(
  deps: Deps,
  viewer: Viewer,
  signatureKey: Uint8Array,
): Promise<Device> {
  if (signatureKey.byteLength !== signatureKeyBytes) {
    throw badInput(`A signature key is ${signatureKeyBytes} bytes (Ed25519).`, 'signatureKey');
  }
  const { prisma } = deps.db;
  const key = new Uint8Array(signatureKey);
  const updated = await prisma.device.updateMany({
    where: { id: viewer.deviceId, signatureKey: null },
    data: { signatureKey: key },
  });
  const device = await prisma.device.findUniqueOrThrow({ where: { id: viewer.deviceId } });
  // Registering the same key again is a retry, not a change.
  if (updated.count === 0 && !Buffer.from(device.signatureKey ?? []).equals(Buffer.from(key))) {
    throw new ParleyError(
      'DEVICE_KEY_ALREADY_SET',
      'This device already has a signature key; sign in again as a new device to use another.',
    );
  }
  return device;
}

/** The signature key of the viewer's device, or a typed refusal telling it to register one. */
export async function requireDeviceKey(deps: Deps, viewer: Viewer): Promise<Uint8Array> {
  const device = await deps.db.prisma.device.findUniqueOrThrow({
    where: { id: viewer.deviceId },
    select: { signatureKey: true },
  });
  if (!device.signatureKey) {
    throw new ParleyError(
      'DEVICE_KEY_REQUIRED',
      'Register this device’s signature key (registerDeviceKey) first.',
    );
  }
  return device.signatureKey;
}

/**
 * Every device of these users that has a key, signed out ones included: a signed-out device's
 * leaf stays in groups until a commit removes it, and members must still be able to check it.
 */
export async function directoryOf(deps: Deps, userIds: readonly UserId[]): Promise<Device[]> {
  return deps.db.prisma.device.findMany({
    where: { userId: { in: [...userIds] }, signatureKey: { not: null } },
    orderBy: { createdAt: 'asc' },
  });
}

/**
 * Stores the viewer's device's signature over another of the user's devices' keys, after
 * checking it: contacts who verified the viewer's device can then trust the other one without
 * comparing safety numbers again. Set once per device.
 */
export async function introduceDevice(
  deps: Deps,
  viewer: Viewer,
  deviceId: DeviceId,
  signature: Uint8Array,
): Promise<Device> {
  const { prisma } = deps.db;
  const introducerKey = await requireDeviceKey(deps, viewer);
  const device = await prisma.device.findUnique({ where: { id: deviceId } });
  if (!device || device.userId !== viewer.userId) {
    throw new ParleyError('NOT_FOUND', 'You have no device with this id.');
  }
  if (device.id === viewer.deviceId) {
    throw new ParleyError('INVALID_INTRODUCTION', 'A device cannot introduce itself.');
  }
  if (!device.signatureKey || device.revokedAt) {
    throw new ParleyError(
      'INVALID_INTRODUCTION',
      'Only a signed-in device with a registered key can be introduced.',
    );
  }
  const valid = await verifyIntroduction(
    introducerKey,
    { userId: publicUserId(viewer.userId), deviceId: publicDeviceId(device.id) },
    device.signatureKey,
    signature,
  );
  if (!valid) {
    throw new ParleyError(
      'INVALID_INTRODUCTION',
      'The signature is not this device’s over that device’s key (see introduceDevice in ' +
        '@parley/crypto).',
    );
  }
  const updated = await prisma.device.updateMany({
    where: { id: device.id, introducedById: null },
    data: { introducedById: viewer.deviceId, introduction: new Uint8Array(signature) },
  });
  if (updated.count === 0 && device.introducedById !== viewer.deviceId) {
    throw new ParleyError('INVALID_INTRODUCTION', 'That device was introduced already.');
  }
  return prisma.device.findUniqueOrThrow({ where: { id: device.id } });
}
