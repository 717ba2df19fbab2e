// The MLS authentication service (RFC 9420, section 5.3.1) for this device: a credential in a
// group is accepted only if the server's device directory lists that very signature key for
// that user's device. Accepting every credential, as ts-mls does by default, would let anyone
// who can put a key package on the server join a conversation under somebody else's name.
import type { AuthenticationPolicy, DeviceRef } from '@parley/crypto';

import type { ParleyApi } from './parley-api.ts';

/**
 * Reads the directory through the API (`User.deviceKeys`), remembering the keys it found. A
 * device's key never changes (a new key means a new device), so a key once listed stays right;
 * a device not listed yet is looked up again next time, since it may have just signed in.
 */
export function directoryPolicy(api: ParleyApi): AuthenticationPolicy {
  const known = new Map<string, Uint8Array>();
  // Keyed by user and device together: a credential naming one user with another user's device
  // must not borrow that device's key.
  const keyOf = ({ userId, deviceId }: DeviceRef) => `${userId} ${deviceId}`;

  return {
    directory: {
      async signatureKey(device) {
        const cached = known.get(keyOf(device));
        if (cached) return cached;
        for (const entry of await api.deviceDirectory(device.userId)) {
          // Signed-out devices stay listed: their leaves remain valid until a commit removes
          // them, and members must still be able to read what they sent before.
          if (entry.userId === device.userId) known.set(keyOf(entry), entry.signatureKey);
        }
        return known.get(keyOf(device));
      },
    },
  };
}
