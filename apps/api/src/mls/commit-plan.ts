// Server-only. What a commit may do: the server cannot read a commit, so it checks the devices
// the committer says it adds and removes against the conversation and the committer's role.
import type { Deps } from '../deps.js';
import { ParleyError } from '../errors.js';
import type { Conversation, Device, GroupDevice } from '../generated/prisma/client.ts';
import type { UserId } from '../ids.js';
import type { Viewer } from '../viewer.js';
import type { CommitInput } from './commits.js';

const invalid = (message: string) => new ParleyError('INVALID_COMMIT', message);

export type Plan = {
  /** The group has no devices yet: this commit is its creator's first, from epoch 0. */
  founding: boolean;
  added: Device[];
  removed: Device[];
  /** Users who become members through this commit. */
  joiningUserIds: UserId[];
};

/** Checks what the commit claims to do against what the committer may do. */
export async function planChanges(
  deps: Deps,
  viewer: Viewer,
  conversation: Conversation,
  isAdmin: boolean,
  input: CommitInput,
): Promise<Plan> {
  const { prisma } = deps.db;
  const [groupDevices, members, named] = await Promise.all([
    prisma.groupDevice.findMany({
      where: { conversationId: conversation.id, removedSeq: null },
    }),
    prisma.member.findMany({ where: { conversationId: conversation.id, leftAt: null } }),
    prisma.device.findMany({
      where: { id: { in: [...input.addedDeviceIds, ...input.removedDeviceIds] } },
    }),
  ]);
  const inGroup = new Map<string, GroupDevice>(groupDevices.map((d) => [d.deviceId, d]));
  const memberIds = new Set(members.map((m) => m.userId));
  const byId = new Map(named.map((d) => [d.id, d]));

  const founding = groupDevices.length === 0 && conversation.epoch === 0;
  if (!founding && !inGroup.has(viewer.deviceId)) {
    throw new ParleyError(
      'NOT_A_MEMBER',
      'This device is not in the conversation’s MLS group; another member must add it first.',
    );
  }

  const added: Device[] = [];
  const joining = new Set<UserId>();
  for (const id of input.addedDeviceIds) {
    const device = byId.get(id);
    if (!device) throw new ParleyError('NOT_FOUND', `No device has the id ${id}.`);
    if (device.revokedAt) throw invalid('A signed-out device cannot be added.');
    if (!device.signatureKey) throw invalid('A device without a registered key cannot be added.');
    if (inGroup.has(device.id) || device.id === viewer.deviceId) {
      throw invalid('A device that is in the group already cannot be added again.');
    }
    if (!memberIds.has(device.userId)) {
      if (conversation.kind === 'DIRECT') {
        throw new ParleyError('FORBIDDEN', 'A direct conversation has exactly its two users.');
      }
      if (!isAdmin) throw new ParleyError('FORBIDDEN', 'Only admins add people to a group.');
      joining.add(device.userId as UserId);
    }
    added.push(device);
  }
  if (memberIds.size + joining.size > deps.limits.groupSize) {
    throw new ParleyError('FORBIDDEN', `A group has at most ${deps.limits.groupSize} members.`);
  }
  if (groupDevices.length + added.length + (founding ? 1 : 0) > deps.limits.groupDevices) {
    throw new ParleyError('FORBIDDEN', `A group has at most ${deps.limits.groupDevices} devices.`);
  }

  const removed: Device[] = [];
  for (const id of input.removedDeviceIds) {
    const device = byId.get(id);
    if (!device || !inGroup.has(device.id)) {
      throw invalid(`Device ${id} is not in the conversation’s MLS group.`);
    }
    if (device.id === viewer.deviceId) {
      throw invalid('A device cannot commit its own removal; another member removes it.');
    }
    const mayRemove =
      device.userId === viewer.userId ||
      device.revokedAt !== null ||
      !memberIds.has(device.userId) ||
      (conversation.kind === 'GROUP' && isAdmin);
    if (!mayRemove) {
      throw new ParleyError('FORBIDDEN', 'Only admins remove other people’s devices.');
    }
    removed.push(device);
  }

  return { founding, added, removed, joiningUserIds: [...joining] };
}
