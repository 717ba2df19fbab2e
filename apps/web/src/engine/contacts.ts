// Browser-only (page). Contact info and safety numbers. The number covers every signed-in
// device of both users, as the directory lists them now; marking it verified pins those keys,
// and from then on a key the directory changes is refused (shared/directory-policy.ts).
import { computeSafetyNumber, fromBase64, toBase64 } from '@parley/crypto';

import type { ContactView } from '../model/view-models.ts';
import { deviceKeysQuery } from './operations.ts';
import { userRecord } from './conversation-sync.ts';
import type { ParleyEngine } from './parley-engine.ts';
import { avatarUrlOf } from './view-store.ts';

type DirectoryEntry = { deviceId: string; signatureKey: Uint8Array };

async function directoryOf(engine: ParleyEngine, userId: string) {
  const data = await engine.api.query(deviceKeysQuery, { userId });
  if (!data.user) throw new Error('This user is no longer on Parley.');
  const keys: DirectoryEntry[] = [];
  for (const entry of data.user.deviceKeys as {
    deviceId: string;
    signatureKey: string;
    revoked: boolean;
  }[]) {
    const signatureKey = fromBase64(entry.signatureKey);
    if (signatureKey && !entry.revoked) keys.push({ deviceId: entry.deviceId, signatureKey });
  }
  return { user: userRecord(data.user), keys };
}

/** Contact info, with the peer's device keys that the safety number shown was made from. */
export type LoadedContact = {
  readonly view: ContactView;
  readonly keys: readonly DirectoryEntry[];
};

export async function loadContact(
  engine: ParleyEngine,
  conversationId: string,
): Promise<LoadedContact | undefined> {
  const conversation = await engine.db.get('conversations', conversationId);
  const peerId = conversation?.memberUserIds.find((id) => id !== engine.account.userId);
  if (conversation?.kind !== 'DIRECT' || !peerId) return undefined;

  const [own, peer] = await Promise.all([
    directoryOf(engine, engine.account.userId),
    directoryOf(engine, peerId),
  ]);
  const safety = computeSafetyNumber(
    { userId: engine.account.userId, deviceKeys: own.keys.map((key) => key.signatureKey) },
    { userId: peerId, deviceKeys: peer.keys.map((key) => key.signatureKey) },
  );
  const pin = await engine.db.get('pins', peerId);
  const avatarUrl = avatarUrlOf(peer.user);
  return {
    view: {
      userId: peerId,
      displayName: peer.user.displayName || peer.user.phoneNumber,
      about: peer.user.about,
      phoneNumber: peer.user.phoneNumber,
      ...(avatarUrl && { avatarUrl }),
      safetyNumber: safety.groups,
      safetyQrPayload: toBase64(safety.qr),
      verified: pin !== undefined,
    },
    keys: peer.keys,
  };
}

/**
 * Pins the keys the safety number on screen was made from (not a fresh look-up, which the
 * server could answer differently), or forgets them; the crypto worker checks by them at once.
 */
export async function setVerified(
  engine: ParleyEngine,
  contact: LoadedContact,
  verified: boolean,
): Promise<void> {
  const userId = contact.view.userId;
  if (verified) {
    await engine.db.put('pins', { userId, keys: [...contact.keys], verifiedAt: Date.now() });
  } else {
    await engine.db.delete('pins', userId);
  }
  await engine.crypto.call('reloadPins', {});
}
