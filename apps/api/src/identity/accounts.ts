// Server-only. Sign-in by phone number and one-time code, device tokens, and device revocation.
import { createHash, randomInt, timingSafeEqual } from 'node:crypto';

import { userChannel } from '../bus/events.js';
import type { Deps } from '../deps.js';
import { ParleyError } from '../errors.js';
import type { Device, User } from '../generated/prisma/client.ts';
import { newDeviceId, newUserId, type DeviceId, type UserId } from '../ids.js';
import { enforceRateLimit } from '../rate-limit.js';
import type { Viewer } from '../viewer.js';
import { hashDeviceToken, newDeviceToken } from './device-token.js';
import { parsePhoneNumber, redactPhoneNumber, type PhoneNumber } from './phone-number.js';

export type SignIn = { token: string; user: User; device: Device; isNewUser: boolean };

const codeDigits = 6;

function hashCode(phoneNumber: PhoneNumber, code: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(createHash('sha256').update(`${phoneNumber}:${code}`).digest());
}

export async function requestVerificationCode(
  deps: Deps,
  input: { phoneNumber: string; clientAddress: string },
): Promise<{ phoneNumber: PhoneNumber; expiresAt: Date }> {
  const phoneNumber = parsePhoneNumber(input.phoneNumber);
  const { store, limits } = deps;

  await enforceRateLimit(
    store,
    `codes:address:${input.clientAddress}`,
    limits.codesPerAddress,
    'verification codes from this address',
  );
  await enforceRateLimit(
    store,
    `codes:number:${phoneNumber}`,
    limits.codesPerNumber,
    'verification codes for this number',
  );

  const code = randomInt(0, 10 ** codeDigits)
    .toString()
    .padStart(codeDigits, '0');
  const expiresAt = new Date(Date.now() + limits.codeTtlMs);
  await deps.db.prisma.$transaction([
    // Only the newest code counts: older ones are void once a new one is sent.
    deps.db.prisma.verificationCode.updateMany({
      where: { phoneNumber, consumedAt: null },
      data: { consumedAt: new Date() },
    }),
    deps.db.prisma.verificationCode.create({
      data: {
        id: crypto.randomUUID(),
        phoneNumber,
        codeHash: hashCode(phoneNumber, code),
        expiresAt,
      },
    }),
  ]);
  await deps.codeSender.send(phoneNumber, code);
  deps.log.info({ phone: redactPhoneNumber(phoneNumber) }, 'verification code sent');
  return { phoneNumber, expiresAt };
}

export async function verifyCode(
  deps: Deps,
  input: { phoneNumber: string; code: string; deviceName: string; clientAddress: string },
): Promise<SignIn> {
  const phoneNumber = parsePhoneNumber(input.phoneNumber);
  const deviceName = input.deviceName.trim();
  if (deviceName.length === 0 || deviceName.length > 64) {
    throw new ParleyError('BAD_USER_INPUT', 'A device name has 1 to 64 characters.', {
      field: 'deviceName',
    });
  }
  const { prisma } = deps.db;
  await enforceRateLimit(
    deps.store,
    `verify:address:${input.clientAddress}`,
    deps.limits.verificationsPerAddress,
    'code checks from this address',
  );

  const pending = await prisma.verificationCode.findFirst({
    where: { phoneNumber, consumedAt: null },
    orderBy: { createdAt: 'desc' },
  });
  if (!pending) {
    throw new ParleyError('INVALID_CODE', 'No code is pending for this number: request one.');
  }
  if (pending.expiresAt.getTime() <= Date.now()) {
    throw new ParleyError('CODE_EXPIRED', 'This code has expired: request a new one.');
  }

  // Count the attempt before checking it, atomically, so parallel guesses cannot exceed the cap.
  const counted = await prisma.verificationCode.updateMany({
    where: { id: pending.id, consumedAt: null, attempts: { lt: deps.limits.attemptsPerCode } },
    data: { attempts: { increment: 1 } },
  });
  if (counted.count === 0) {
    throw new ParleyError('TOO_MANY_ATTEMPTS', 'Too many wrong codes: request a new one.');
  }
  const guess = hashCode(phoneNumber, /^\d{6}$/.test(input.code) ? input.code : 'invalid');
  if (!timingSafeEqual(guess, pending.codeHash)) {
    const left = deps.limits.attemptsPerCode - pending.attempts - 1;
    throw new ParleyError('INVALID_CODE', 'That code is wrong.', { attemptsLeft: left });
  }

  return prisma.$transaction(async (tx) => {
    const consumed = await tx.verificationCode.updateMany({
      where: { id: pending.id, consumedAt: null },
      data: { consumedAt: new Date() },
    });
    if (consumed.count === 0) {
      throw new ParleyError('INVALID_CODE', 'This code was used already: request a new one.');
    }
    const existing = await tx.user.findUnique({ where: { phoneNumber } });
    const user = existing ?? (await tx.user.create({ data: { id: newUserId(), phoneNumber } }));
    const token = newDeviceToken();
    const device = await tx.device.create({
      data: {
        id: newDeviceId(),
        userId: user.id,
        name: deviceName,
        tokenHash: hashDeviceToken(token),
      },
    });
    deps.log.info(
      { userId: user.id, deviceId: device.id, isNewUser: !existing },
      'device signed in',
    );
    return { token, user, device, isNewUser: !existing };
  });
}

/** Finds the live device behind a token. */
export async function authenticate(deps: Deps, token: string): Promise<Viewer> {
  const device = await deps.db.prisma.device.findUnique({
    where: { tokenHash: hashDeviceToken(token) },
    select: { id: true, userId: true, revokedAt: true, lastActiveAt: true },
  });
  if (!device) {
    throw new ParleyError('UNAUTHENTICATED', 'This device token is not known. Sign in again.');
  }
  if (device.revokedAt) {
    throw new ParleyError('DEVICE_REVOKED', 'This device was signed out. Sign in again.');
  }
  // Last activity is worth a write once a minute, not once a request.
  if (Date.now() - device.lastActiveAt.getTime() > 60_000) {
    await deps.db.prisma.device.update({
      where: { id: device.id },
      data: { lastActiveAt: new Date() },
    });
  }
  return { userId: device.userId as UserId, deviceId: device.id as DeviceId };
}

export async function listDevices(deps: Deps, viewer: Viewer): Promise<Device[]> {
  return deps.db.prisma.device.findMany({
    where: { userId: viewer.userId, revokedAt: null },
    orderBy: { createdAt: 'asc' },
  });
}

/** Signs a device out everywhere: its token stops working, its sockets close, its pushes stop. */
export async function revokeDevice(
  deps: Deps,
  viewer: Viewer,
  deviceId: DeviceId,
): Promise<Device> {
  const revoked = await deps.db.prisma.device.updateManyAndReturn({
    where: { id: deviceId, userId: viewer.userId, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  const device = revoked[0];
  if (!device) {
    throw new ParleyError('NOT_FOUND', 'No such device is signed in on this account.');
  }
  await deps.db.prisma.pushSubscription.deleteMany({ where: { deviceId } });
  await deps.bus.publish(userChannel(viewer.userId), {
    type: 'device_revoked',
    userId: viewer.userId,
    deviceId,
  });
  deps.log.info({ deviceId, by: viewer.deviceId }, 'device revoked');
  return device;
}
