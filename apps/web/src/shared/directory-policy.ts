// Shared by the crypto worker and the service worker. The authentication policy every MLS
// credential is checked against: the server's device directory, overridden by the keys this
// user pinned by comparing safety numbers (see @parley/crypto's authentication.ts).
import { fromBase64, type AuthenticationPolicy } from '@parley/crypto';

import type { Account, LocalDatabase } from './local-database.ts';

const directoryQuery = `query DeviceDirectory($userId: ID!) {
  user(id: $userId) { deviceKeys { deviceId signatureKey } }
}`;

type DirectoryAnswer = {
  data?: { user: { deviceKeys: { deviceId: string; signatureKey: string }[] } | null };
  errors?: { message: string }[];
};

/** Looks keys up over HTTP with the device's token, caching each user's list briefly. */
export async function directoryPolicy(
  account: Account,
  db: LocalDatabase,
): Promise<AuthenticationPolicy> {
  const pins = new Map(
    (await db.getAll('pins')).map((pin) => [
      pin.userId,
      new Map(pin.keys.map((key) => [key.deviceId, key.signatureKey])),
    ]),
  );
  const cache = new Map<string, { at: number; keys: Map<string, Uint8Array> }>();

  const lookUp = async (userId: string): Promise<Map<string, Uint8Array>> => {
    const cached = cache.get(userId);
    if (cached && Date.now() - cached.at < 30_000) return cached.keys;
    const response = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${account.token}` },
      body: JSON.stringify({ query: directoryQuery, variables: { userId } }),
    });
    const answer = (await response.json()) as DirectoryAnswer;
    if (!response.ok || answer.errors?.length || !answer.data) {
      throw new Error(`The device directory did not answer (HTTP ${response.status}).`);
    }
    const keys = new Map<string, Uint8Array>();
    for (const entry of answer.data.user?.deviceKeys ?? []) {
      const key = fromBase64(entry.signatureKey);
      if (key) keys.set(entry.deviceId, key);
    }
    cache.set(userId, { at: Date.now(), keys });
    return keys;
  };

  return {
    directory: {
      signatureKey: async ({ userId, deviceId }) => {
        const known = await lookUp(userId);
        // A device that signed up after the list was cached: ask once more before refusing.
        if (!known.has(deviceId)) cache.delete(userId);
        return (await lookUp(userId)).get(deviceId);
      },
    },
    pins: { pinnedKeys: (userId) => pins.get(userId) },
  };
}
