// Bench-only. The server's device directory, kept in memory: it lists every device the bench
// enrolls, so the authentication service checks each credential against it on every add, join
// and commit, as it does in the app, without a server in the way.
import { randomUUID } from 'node:crypto';

import { DeviceKeys, type AuthenticationPolicy, type DeviceRef } from '@parley/crypto';

export class InMemoryDirectory {
  readonly #signatureKeys = new Map<string, Uint8Array>();

  readonly policy: AuthenticationPolicy = {
    directory: { signatureKey: async (device) => this.#signatureKeys.get(entryOf(device)) },
  };

  /** A new device of a new user, listed in the directory. */
  async enroll(): Promise<DeviceKeys> {
    const keys = await DeviceKeys.create({
      userId: publicId('User'),
      deviceId: publicId('Device'),
    });
    this.#signatureKeys.set(entryOf(keys.identity), keys.identity.signaturePublicKey);
    return keys;
  }
}

/**
 * An id shaped like the API's global ids, base64 of "Type:uuid" (apps/api/src/mls/public-ids.ts).
 * Credentials carry two of them, so ids of the real length keep leaves, key packages, Welcomes
 * and group state the size they have in the app.
 */
export function publicId(typename: string): string {
  return Buffer.from(`${typename}:${randomUUID()}`).toString('base64');
}

function entryOf(device: DeviceRef): string {
  return `${device.userId} ${device.deviceId}`;
}
