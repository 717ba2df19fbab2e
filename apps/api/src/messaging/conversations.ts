// Server-only. Conversations and their members. A direct conversation is unique per pair of
// users; a group has a title and admins. Membership decides who may read, send and subscribe.
import { conversationChannel, userChannel, type ConversationEvent } from '../bus/events.js';
import type { Deps } from '../deps.js';
import { badInput, ParleyError } from '../errors.js';
import type { Conversation, Member } from '../generated/prisma/client.ts';
import { newConversationId, type ConversationId, type UserId } from '../ids.js';
import type { Viewer } from '../viewer.js';
import { decodeActivityCursor, encodeActivityCursor, pageSize } from './cursors.js';

export type Membership = { conversation: Conversation; member: Member };

/** The viewer's live membership of a conversation, or a typed refusal. */
export async function requireMembership(
  deps: Deps,
  viewer: Viewer,
  conversationId: ConversationId,
): Promise<Membership> {
  const conversation = await deps.db.prisma.conversation.findUnique({
    where: { id: conversationId },
    include: { members: { where: { userId: viewer.userId } } },
  });
  if (!conversation) {
    throw new ParleyError('NOT_FOUND', 'No conversation has this id.');
  }
  const { members, ...rest } = conversation;
  const member = members[0];
  if (!member || member.leftAt) {
    throw new ParleyError(
      'NOT_A_MEMBER',
      'This device’s user is not a member of the conversation.',
    );
  }
  return { conversation: rest, member };
}

async function announce(deps: Deps, event: ConversationEvent, userIds: readonly UserId[]) {
  await Promise.all([
    deps.bus.publish(conversationChannel(event.conversationId), event),
    ...userIds.map((id) => deps.bus.publish(userChannel(id), event)),
  ]);
}

async function requireUsers(deps: Deps, userIds: readonly UserId[]): Promise<void> {
  const found = await deps.db.prisma.user.count({ where: { id: { in: [...userIds] } } });
  if (found !== new Set(userIds).size) throw new ParleyError('NOT_FOUND', 'No user has this id.');
}

/** Opens the one direct conversation between the viewer and `otherUserId`, creating it once. */
export async function startDirectConversation(
  deps: Deps,
  viewer: Viewer,
  otherUserId: UserId,
): Promise<Conversation> {
  const { prisma } = deps.db;
  const directKey = [viewer.userId, otherUserId].sort().join(':');
  const existing = await prisma.conversation.findUnique({ where: { directKey } });
  if (existing) return existing;
  await requireUsers(deps, [otherUserId]);

  const userIds = [...new Set([viewer.userId, otherUserId])];
  const id = newConversationId();
  try {
    const created = await prisma.conversation.create({
      data: {
        id,
        kind: 'DIRECT',
        directKey,
        members: { create: userIds.map((userId) => ({ userId, role: 'MEMBER' as const })) },
      },
    });
    await announce(
      deps,
      { type: 'conversation', conversationId: id, change: 'CREATED', userIds },
      userIds,
    );
    return created;
  } catch (error) {
    // Both users started it at once: the other request won, and its conversation is the one.
    const raced = await prisma.conversation.findUnique({ where: { directKey } });
    if (raced) return raced;
    throw error;
  }
}

export async function createGroupConversation(
  deps: Deps,
  viewer: Viewer,
  input: { title: string | null | undefined; memberUserIds: readonly UserId[] },
): Promise<Conversation> {
  // The title is stored as plaintext. Encrypting clients leave it out and name the group inside
  // the MLS group instead (a `group_renamed` notice), so that the server never learns it.
  const title = input.title?.trim() || null;
  if (title !== null && title.length > 100) {
    throw badInput('A group title has at most 100 characters.', 'title');
  }
  const others = [...new Set(input.memberUserIds)].filter((id) => id !== viewer.userId);
  if (others.length + 1 > deps.limits.groupSize) {
    throw badInput(`A group has at most ${deps.limits.groupSize} members.`, 'memberUserIds');
  }
  await requireUsers(deps, others);

  const id = newConversationId();
  const created = await deps.db.prisma.conversation.create({
    data: {
      id,
      kind: 'GROUP',
      title,
      members: {
        create: [
          { userId: viewer.userId, role: 'ADMIN' as const },
          ...others.map((userId) => ({ userId, role: 'MEMBER' as const })),
        ],
      },
    },
  });
  const userIds = [viewer.userId, ...others];
  await announce(
    deps,
    { type: 'conversation', conversationId: id, change: 'CREATED', userIds },
    userIds,
  );
  return created;
}

/**
 * Removes a member from a group: an admin removes anyone, anyone removes themselves (leaving).
 * The removed user's subscriptions stop receiving the conversation at once. Once the group has
 * MLS state, others are removed only by a commit; a member who leaves stays a leaf until another
 * member commits the removal (the conversation lists it in `devicesAwaitingRemoval`), because
 * MLS does not let a member commit its own removal (RFC 9420, section 12.1.3).
 */
export async function removeMember(
  deps: Deps,
  viewer: Viewer,
  conversationId: ConversationId,
  userId: UserId,
): Promise<Conversation> {
  const { conversation, member } = await requireMembership(deps, viewer, conversationId);
  if (conversation.kind !== 'GROUP') {
    throw new ParleyError('FORBIDDEN', 'Members of a direct conversation cannot be removed.');
  }
  if (userId !== viewer.userId && member.role !== 'ADMIN') {
    throw new ParleyError('FORBIDDEN', 'Only a group admin can remove other members.');
  }
  if (userId !== viewer.userId && conversation.epoch > 0) {
    // Once the conversation is an MLS group, taking someone out without a commit would stop
    // the server routing to them while their devices still held the group's keys.
    throw new ParleyError(
      'FORBIDDEN',
      'Remove another member by committing the removal of their devices (submitCommit with ' +
        'removedDeviceIds); their membership ends with their last device.',
    );
  }
  const removed = await deps.db.prisma.member.updateMany({
    where: { conversationId, userId, leftAt: null },
    data: { leftAt: new Date() },
  });
  if (removed.count === 0) {
    throw new ParleyError('NOT_A_MEMBER', 'That user is not a member of the conversation.');
  }
  await announce(
    deps,
    { type: 'conversation', conversationId, change: 'MEMBER_REMOVED', userIds: [userId] },
    [userId],
  );
  return conversation;
}

export type ConversationPage = {
  edges: { cursor: string; node: Conversation & { member: Member } }[];
  hasNextPage: boolean;
};

/** The viewer's conversations, most recent activity first. */
export async function listConversations(
  deps: Deps,
  viewer: Viewer,
  args: { first?: number | null; after?: string | null },
): Promise<ConversationPage> {
  const { size } = pageSize(args.first, undefined, 200, 50);
  const after = args.after ? decodeActivityCursor(args.after) : undefined;
  const members = await deps.db.prisma.member.findMany({
    where: {
      userId: viewer.userId,
      leftAt: null,
      ...(after && {
        conversation: {
          OR: [
            { activityAt: { lt: after.activityAt } },
            { activityAt: after.activityAt, id: { lt: after.id } },
          ],
        },
      }),
    },
    include: { conversation: true },
    orderBy: [{ conversation: { activityAt: 'desc' } }, { conversation: { id: 'desc' } }],
    take: size + 1,
  });
  const edges = members.slice(0, size).map(({ conversation, ...member }) => ({
    cursor: encodeActivityCursor(conversation),
    node: { ...conversation, member },
  }));
  return { edges, hasNextPage: members.length > size };
}

/** Messages after the member's read cursor that somebody else sent. */
export async function unreadCount(deps: Deps, member: Member, lastSeq: number): Promise<number> {
  if (member.readSeq >= lastSeq) return 0;
  return deps.db.prisma.message.count({
    where: {
      conversationId: member.conversationId,
      seq: { gt: Math.max(member.readSeq, member.joinedSeq) },
      senderUserId: { not: member.userId },
      kind: 'APPLICATION',
    },
  });
}

export async function activeMembers(deps: Deps, conversationId: ConversationId) {
  return deps.db.prisma.member.findMany({
    where: { conversationId, leftAt: null },
    include: { user: true },
    orderBy: { joinedAt: 'asc' },
  });
}
