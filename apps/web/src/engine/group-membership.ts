// Browser-only (page). Bringing devices into a conversation's MLS group: all of a new chat's
// devices when this device creates it, and later any member's new device (a browser linked
// since, say) that the server lists as awaiting. Any member may commit such an addition; when
// two try at once the server takes one and refuses the other as stale, which is then dropped.
import { fromBase64, newContentId, toBase64 } from '@parley/crypto';

import { isTransient } from './api.ts';
import { ApiError } from './graphql-client.ts';
import {
  claimKeyPackagesMutation,
  createGroupConversationMutation,
  devicesAwaitingJoinQuery,
  discoverContactsMutation,
  startDirectConversationMutation,
  submitCommitMutation,
} from './operations.ts';
import { saveConversation, type ServerConversation, type ServerUser } from './conversation-sync.ts';
import type { ParleyEngine } from './parley-engine.ts';

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

  // The worker keeps the commit and the state it leads to under this id; a retry after a lost
  // answer sends the same id, and the server answers it with the first result.
  const clientMessageId = crypto.randomUUID();
  const proposed = await engine.crypto.call('proposeAdd', {
    conversationId: conversation.id,
    clientMessageId,
    keyPackages,
  });
  const submit = {
    conversationId: conversation.id,
    clientMessageId,
    commit: toBase64(proposed.commit),
    welcome: proposed.welcome ? toBase64(proposed.welcome) : null,
    addedDeviceIds: proposed.addedDeviceIds,
    removedDeviceIds: [],
  };
  for (let attempt = 1; ; attempt++) {
    try {
      const data = await engine.api.mutate(submitCommitMutation, submit);
      const seq = data.submitCommit.message.seq as number;
      await engine.crypto.call('commitAccepted', {
        conversationId: conversation.id,
        clientMessageId,
        seq,
      });
      return true;
    } catch (error) {
      // Whether the server stored it is unknown: the same submit again finds out. After that,
      // the commit is kept, and applied if it comes back through the log.
      if (isTransient(error) && attempt < 3) {
        await new Promise((resolve) => setTimeout(resolve, 500 * attempt * (1 + Math.random())));
        continue;
      }
      if (isTransient(error)) return false;
      // Refused (stale: another member moved the group on first): the log brings this device
      // up to date, and the devices are added then, if still waiting.
      await engine.crypto.call('commitRefused', {
        conversationId: conversation.id,
        clientMessageId,
      });
      if (error instanceof ApiError && error.code === 'STALE_EPOCH') return false;
      throw error;
    }
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
    try {
      await bringDevicesIn(engine, { ...node, members: [] });
    } catch (error) {
      // One conversation's trouble (a package that fails its checks, say) is not the others'.
      console.warn('Parley: could not add a new device to a conversation', error);
    }
  }
}

export class NotOnParleyError extends Error {
  override readonly name = 'NotOnParleyError';
  constructor(readonly phoneNumber: string) {
    super(`${phoneNumber} is not on Parley yet.`);
  }
}

/**
 * Opens the direct conversation with the user who has this phone number, creating its MLS
 * group with every device of both users when nobody has yet. Answers the conversation's id.
 */
export async function startChat(engine: ParleyEngine, phoneNumber: string): Promise<string> {
  const found = await engine.api.mutate(discoverContactsMutation, { phoneNumbers: [phoneNumber] });
  const user = (found.discoverContacts as ServerUser[])[0];
  if (!user) throw new NotOnParleyError(phoneNumber);
  const data = await engine.api.mutate(startDirectConversationMutation, { userId: user.id });
  const conversation = data.startDirectConversation as ServerConversation;
  await saveConversation(engine, conversation);
  await engine.inEventOrder(() => bringDevicesIn(engine, conversation));
  engine.changed();
  void engine.outbox.flush();
  return conversation.id;
}

/**
 * Creates a group with the users who have these phone numbers, its MLS group with every device
 * of every member, and names it with a group_renamed notice inside the encryption: the server
 * never learns the name. Answers the conversation's id.
 */
export async function startGroup(
  engine: ParleyEngine,
  name: string,
  phoneNumbers: readonly string[],
): Promise<string> {
  const found = await engine.api.mutate(discoverContactsMutation, { phoneNumbers });
  const users = found.discoverContacts as ServerUser[];
  const missing = phoneNumbers.find((phone) => !users.some((u) => u.phoneNumber === phone));
  if (missing) throw new NotOnParleyError(missing);
  const data = await engine.api.mutate(createGroupConversationMutation, {
    memberIds: users.map((user) => user.id),
  });
  const conversation = data.createGroupConversation as ServerConversation;
  await saveConversation(engine, conversation);
  await engine.inEventOrder(() => bringDevicesIn(engine, conversation));
  await engine.outbox.add(conversation.id, {
    type: 'system',
    id: newContentId(),
    sentAt: Date.now(),
    notice: 'group_renamed',
    name,
  });
  return conversation.id;
}
