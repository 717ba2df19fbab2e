// Browser-only (page). Bringing devices into a conversation's MLS group: all of a new chat's
// devices when this device creates it, and later any member's new device (a browser linked
// since, say) that the server lists as awaiting. Any member may commit such an addition; when
// two try at once the server takes one and refuses the other as stale, which is then dropped.
import { fromBase64, toBase64 } from '@parley/crypto';

import { ApiError } from './graphql-client.ts';
import {
  claimKeyPackagesMutation,
  devicesAwaitingJoinQuery,
  submitCommitMutation,
} from './operations.ts';
import type { ParleyEngine, ServerConversation } from './parley-engine.ts';

/**
 * Creates the group of a conversation that has none yet (epoch 0) with every device of its
 * members, or adds the devices that are waiting to join. Answers whether a commit was accepted.
 */
export async function bringDevicesIn(
  engine: ParleyEngine,
  conversation: Pick<ServerConversation, 'id' | 'epoch' | 'devicesAwaitingJoin'> & {
    readonly members: readonly { readonly user: { readonly id: string } }[];
  },
): Promise<boolean> {
  const hasGroup = (await engine.db.get('groups', conversation.id)) !== undefined;
  if (!hasGroup && conversation.epoch > 0) return false; // Its Welcome is on the way.

  const wanted = hasGroup
    ? conversation.devicesAwaitingJoin.map((device) => ({
        userId: device.user.id,
        deviceId: device.deviceId,
      }))
    : conversation.members.map((member) => ({ userId: member.user.id, deviceId: undefined }));
  if (wanted.length === 0) return false;

  const keyPackages: Uint8Array[] = [];
  for (const userId of new Set(wanted.map((device) => device.userId))) {
    const deviceIds = hasGroup
      ? wanted.filter((device) => device.userId === userId).map((device) => device.deviceId)
      : null;
    const data = await engine.api.mutate(claimKeyPackagesMutation, { userId, deviceIds });
    for (const claimed of data.claimKeyPackages.keyPackages as { keyPackage: string }[]) {
      const bytes = fromBase64(claimed.keyPackage);
      if (bytes) keyPackages.push(bytes);
    }
  }
  if (hasGroup && keyPackages.length === 0) return false;

  const proposed = await engine.crypto.call('proposeAdd', {
    conversationId: conversation.id,
    keyPackages,
  });
  try {
    const data = await engine.api.mutate(submitCommitMutation, {
      conversationId: conversation.id,
      clientMessageId: crypto.randomUUID(),
      commit: toBase64(proposed.commit),
      welcome: proposed.welcome ? toBase64(proposed.welcome) : null,
      addedDeviceIds: proposed.addedDeviceIds,
      removedDeviceIds: [],
    });
    await engine.crypto.call('commitAccepted', {
      conversationId: conversation.id,
      seq: data.submitCommit.message.seq,
    });
    return true;
  } catch (error) {
    await engine.crypto.call('commitRefused', { conversationId: conversation.id });
    // Stale: another member moved the group on first; the log brings this device up to date.
    if (error instanceof ApiError && error.code === 'STALE_EPOCH') return false;
    throw error;
  }
}

/**
 * Adds every member's device that the server lists as waiting, in each conversation. Runs in
 * the engine's event queue: a message processed between making the commit and applying it
 * would be decrypted with the epoch the commit is leaving.
 */
export async function addAwaitingDevices(engine: ParleyEngine): Promise<void> {
  const data = await engine.api.query<{
    conversations: {
      edges: { node: Pick<ServerConversation, 'id' | 'epoch' | 'devicesAwaitingJoin'> }[];
    };
  }>(devicesAwaitingJoinQuery);
  for (const { node } of data.conversations.edges) {
    if (node.devicesAwaitingJoin.length === 0) continue;
    await bringDevicesIn(engine, { ...node, members: [] });
  }
}
