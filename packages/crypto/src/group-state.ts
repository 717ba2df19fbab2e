// Shared (browser and Node). Reading a group's state: its members from the ratchet tree, the
// sender of a private message, and whole MLS messages from bytes.
import {
  decodeMlsMessage,
  type ClientState,
  type LeafNode,
  type MLSMessage,
  type PrivateMessage,
} from 'ts-mls';
import { decryptSenderData } from 'ts-mls/privateMessage.js';

import { ParleyCryptoError } from './errors.ts';
import { deviceOfCredential, type DeviceRef } from './identity.ts';
import { cipherSuite } from './suite.ts';

/** A device in a group, at its leaf. */
export type GroupMember = DeviceRef & {
  readonly leafIndex: number;
  readonly signaturePublicKey: Uint8Array;
};

export function decodeMessage(bytes: Uint8Array, doing: string): MLSMessage {
  let decoded: ReturnType<typeof decodeMlsMessage>;
  try {
    decoded = decodeMlsMessage(bytes, 0);
  } catch (cause) {
    throw new ParleyCryptoError('MALFORMED', `${doing}: the bytes do not decode.`, { cause });
  }
  if (!decoded || decoded[1] !== bytes.length) {
    throw new ParleyCryptoError('MALFORMED', `${doing}: the bytes do not decode.`);
  }
  return decoded[0];
}

export function leaves(state: ClientState): { leafIndex: number; leaf: LeafNode }[] {
  const found: { leafIndex: number; leaf: LeafNode }[] = [];
  // Leaves sit at the even node indexes of the array form of the tree (RFC 9420, appendix C).
  for (let node = 0; node < state.ratchetTree.length; node += 2) {
    const entry = state.ratchetTree[node];
    if (entry?.nodeType === 'leaf') found.push({ leafIndex: node / 2, leaf: entry.leaf });
  }
  return found;
}

/**
 * The device that sent a private message, read from its sender data (RFC 9420, section 6.3.2)
 * with the secrets of the epoch it was sent in. Called only after the library has verified the
 * message's signature by that same leaf, so the attribution is authenticated.
 */
export async function senderOf(state: ClientState, message: PrivateMessage): Promise<DeviceRef> {
  const current = message.epoch === state.groupContext.epoch;
  const epochData = current
    ? { senderDataSecret: state.keySchedule.senderDataSecret, ratchetTree: state.ratchetTree }
    : state.historicalReceiverData.get(message.epoch);
  if (!epochData) {
    throw new ParleyCryptoError('WRONG_EPOCH', 'No secrets are kept for that epoch.');
  }
  const senderData = await decryptSenderData(
    message,
    epochData.senderDataSecret,
    await cipherSuite(),
  );
  const node = senderData && epochData.ratchetTree[senderData.leafIndex * 2];
  if (node?.nodeType !== 'leaf') {
    throw new ParleyCryptoError('TAMPERED', 'The sender data names no member.');
  }
  return deviceOfCredential(node.leaf.credential);
}

export function difference(a: readonly GroupMember[], b: readonly GroupMember[]): DeviceRef[] {
  const inB = new Set(b.map((m) => `${m.leafIndex}:${m.deviceId}`));
  return a
    .filter((m) => !inB.has(`${m.leafIndex}:${m.deviceId}`))
    .map(({ userId, deviceId }) => ({ userId, deviceId }));
}
