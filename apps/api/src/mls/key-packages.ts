// Server-only. Key packages (RFC 9420, section 10) as the Delivery Service keeps them: each
// one-time package is handed out once, even when claims race; when a device has none left, its
// last-resort package is handed out instead (RFC 9420, section 16.8), and stays.
import { inspectKeyPackage, isCryptoError } from '@parley/crypto';

import { userChannel } from '../bus/events.js';
import type { Deps } from '../deps.js';
import { badInput, ParleyError } from '../errors.js';
import type { Device } from '../generated/prisma/client.ts';
import type { DeviceId, UserId } from '../ids.js';
import { enforceRateLimit } from '../rate-limit.js';
import type { Viewer } from '../viewer.js';
import { requireDeviceKey } from './device-directory.js';
import { publicDeviceId, publicUserId } from './public-ids.js';

/** Packages one upload may carry, and one device may hold. */
const maxPerUpload = 100;
const maxStock = 500;
/** Below this many one-time packages, the owner's devices are told to upload more. */
export const keyPackageLowWater = 10;
const maxKeyPackageBytes = 16 * 1024;

export type KeyPackageStock = { available: number; lastResort: boolean };

export type ClaimedKeyPackage = { device: Device; keyPackage: Uint8Array; lastResort: boolean };

/** Packages that may still be handed out: no lifetime recorded, or one that has not ended. */
const unexpired = () => ({ OR: [{ expiresAt: null }, { expiresAt: { gt: new Date() } }] });

export async function keyPackageStock(deps: Deps, deviceId: DeviceId): Promise<KeyPackageStock> {
  const [available, lastResort] = await Promise.all([
    deps.db.prisma.keyPackage.count({ where: { deviceId, lastResort: false, ...unexpired() } }),
    deps.db.prisma.keyPackage.count({ where: { deviceId, lastResort: true, ...unexpired() } }),
  ]);
  return { available, lastResort: lastResort > 0 };
}

/**
 * Stores the viewer's device's key packages after checking each one: it must decode, use
 * Parley's cipher suite, carry a valid self-signature, and name this user and device with the
 * key the directory lists. A package that fails any of these would only fail later, at a joiner.
 */
export async function uploadKeyPackages(
  deps: Deps,
  viewer: Viewer,
  input: { keyPackages: readonly Uint8Array[]; lastResort: Uint8Array | null | undefined },
): Promise<KeyPackageStock> {
  if (input.keyPackages.length > maxPerUpload) {
    throw badInput(`Upload at most ${maxPerUpload} key packages at once.`, 'keyPackages');
  }
  if (input.keyPackages.length === 0 && !input.lastResort) {
    throw badInput('Upload at least one key package.', 'keyPackages');
  }
  const signatureKey = await requireDeviceKey(deps, viewer);
  const all = [...input.keyPackages, ...(input.lastResort ? [input.lastResort] : [])];
  const expiries: Date[] = [];
  for (const [index, bytes] of all.entries()) {
    expiries.push(await checkKeyPackage(viewer, signatureKey, bytes, index));
  }

  const { prisma } = deps.db;
  const stock = await keyPackageStock(deps, viewer.deviceId);
  if (stock.available + input.keyPackages.length > maxStock) {
    throw badInput(`A device holds at most ${maxStock} key packages.`, 'keyPackages');
  }
  await prisma.$transaction([
    ...(input.lastResort
      ? [prisma.keyPackage.deleteMany({ where: { deviceId: viewer.deviceId, lastResort: true } })]
      : []),
    prisma.keyPackage.createMany({
      data: all.map((bytes, index) => ({
        id: crypto.randomUUID(),
        deviceId: viewer.deviceId,
        keyPackage: new Uint8Array(bytes),
        lastResort: Boolean(input.lastResort) && index === all.length - 1,
        expiresAt: expiries[index]!,
      })),
    }),
  ]);
  const after = await keyPackageStock(deps, viewer.deviceId);
  deps.log
    .child({ subsystem: 'mls' })
    .info(
      { deviceId: viewer.deviceId, uploaded: all.length, available: after.available },
      'key packages uploaded',
    );
  return after;
}

async function checkKeyPackage(
  viewer: Viewer,
  signatureKey: Uint8Array,
  bytes: Uint8Array,
  index: number,
): Promise<Date> {
  const refuse = (reason: string) =>
    new ParleyError('INVALID_KEY_PACKAGE', `Key package ${index}: ${reason}`, { index });
  if (bytes.byteLength === 0 || bytes.byteLength > maxKeyPackageBytes) {
    throw refuse(`a key package is 1 to ${maxKeyPackageBytes} bytes.`);
  }
  let inspected: Awaited<ReturnType<typeof inspectKeyPackage>>;
  try {
    inspected = await inspectKeyPackage(bytes);
  } catch (error) {
    if (isCryptoError(error)) throw refuse(error.message);
    throw error;
  }
  if (
    inspected.device.userId !== publicUserId(viewer.userId) ||
    inspected.device.deviceId !== publicDeviceId(viewer.deviceId)
  ) {
    throw refuse('its credential names another user or device.');
  }
  if (!Buffer.from(inspected.signaturePublicKey).equals(Buffer.from(signatureKey))) {
    throw refuse('it is signed with a key other than this device’s registered one.');
  }
  return inspected.expiresAt;
}

/** Tells the device, if it is listening, that its stock is low; it refills by uploading. */
async function warnIfLow(deps: Deps, device: Device, lastResortUsed: boolean): Promise<void> {
  const available = lastResortUsed
    ? 0
    : await deps.db.prisma.keyPackage.count({
        where: { deviceId: device.id, lastResort: false, ...unexpired() },
      });
  if (available >= keyPackageLowWater) return;
  await deps.bus.publish(userChannel(device.userId as UserId), {
    type: 'key_packages_low',
    userId: device.userId as UserId,
    deviceId: device.id as DeviceId,
    available,
  });
}

type ClaimedRow = { key_package: Buffer | Uint8Array; last_resort: boolean };

// Deletes and returns the device's oldest one-time package. SKIP LOCKED lets concurrent claims
// each take a different row instead of queueing on the same one.
const claimOneTime = `
  DELETE FROM key_packages
  WHERE id = (
    SELECT id FROM key_packages
    WHERE device_id = $1::uuid AND last_resort = false
      AND (expires_at IS NULL OR expires_at > now())
    ORDER BY created_at, id
    LIMIT 1
    FOR UPDATE SKIP LOCKED
  )
  RETURNING key_package, last_resort`;

const readLastResort = `
  SELECT key_package, last_resort FROM key_packages
  WHERE device_id = $1::uuid AND last_resort = true
    AND (expires_at IS NULL OR expires_at > now())
  ORDER BY created_at DESC
  LIMIT 1`;

/**
 * One key package for each signed-in device of a user (or of the named devices), to add them
 * to a group. Devices with nothing to hand out are returned in `unavailable`.
 */
export async function claimKeyPackages(
  deps: Deps,
  viewer: Viewer,
  userId: UserId,
  deviceIds: readonly DeviceId[] | undefined,
): Promise<{ claimed: ClaimedKeyPackage[]; unavailable: Device[] }> {
  await enforceRateLimit(
    deps.store,
    `claims:${viewer.deviceId}`,
    deps.limits.keyPackageClaimsPerDevice,
    'key package claims',
  );
  // Each claim spends the target's stock: one claimer may not empty it for everyone else.
  await enforceRateLimit(
    deps.store,
    `claims:${viewer.deviceId}:${userId}`,
    deps.limits.keyPackageClaimsPerTarget,
    'key package claims from this user',
  );
  const devices = await deps.db.prisma.device.findMany({
    where: {
      userId,
      revokedAt: null,
      signatureKey: { not: null },
      id: { not: viewer.deviceId, ...(deviceIds && { in: [...deviceIds] }) },
    },
    orderBy: { createdAt: 'asc' },
  });
  if (devices.length === 0 && !(await deps.db.prisma.user.count({ where: { id: userId } }))) {
    throw new ParleyError('NOT_FOUND', 'No user has this id.');
  }

  const claimed: ClaimedKeyPackage[] = [];
  const unavailable: Device[] = [];
  for (const device of devices) {
    // Expired packages can never be used again; they go as soon as anyone looks for one.
    await deps.db.prisma.keyPackage.deleteMany({
      where: { deviceId: device.id, expiresAt: { lte: new Date() } },
    });
    let [row] = await deps.db.sql.query<ClaimedRow>(claimOneTime, [device.id]);
    row ??= (await deps.db.sql.query<ClaimedRow>(readLastResort, [device.id]))[0];
    if (!row) {
      unavailable.push(device);
      continue;
    }
    claimed.push({
      device,
      keyPackage: new Uint8Array(row.key_package),
      lastResort: row.last_resort,
    });
    await warnIfLow(deps, device, row.last_resort);
  }
  return { claimed, unavailable };
}
