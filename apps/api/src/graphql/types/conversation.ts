// Server-only. Conversations: the list, one conversation, starting and leaving, and typing.
import type { Conversation, Member } from '../../generated/prisma/client.ts';
import { type ConversationId, parseUserId, type UserId } from '../../ids.js';
import {
  activeMembers,
  createGroupConversation,
  listConversations,
  removeMember,
  requireMembership,
  startDirectConversation,
  unreadCount,
} from '../../messaging/conversations.js';
import { messageHistory, toMessageEvent } from '../../messaging/messages.js';
import { setTyping } from '../../realtime/typing.js';
import { builder } from '../builder.js';
import { type Context, requireViewer } from '../context.js';
import { decodeGlobalIdOf } from '../global-id.js';
import { conversationIdArg } from './conversation-id.js';
import { MemberRef } from './member.js';
import { MessageRef, summaryFor } from './message.js';
import { UserRef } from './user.js';

export { conversationIdArg };

export type ConversationShape = Conversation & { member?: Member };

async function ownMember(context: Context, conversation: ConversationShape): Promise<Member> {
  if (conversation.member) return conversation.member;
  const viewer = requireViewer(context);
  const { member } = await requireMembership(
    context.deps,
    viewer,
    conversation.id as ConversationId,
  );
  return member;
}

export const ConversationKindEnum = builder.enumType('ConversationKind', {
  values: ['DIRECT', 'GROUP'] as const,
});

export const ConversationRef = builder.loadableNodeRef<ConversationShape, string>('Conversation', {
  id: { resolve: (conversation) => conversation.id },
  load: async (ids, context) => {
    const viewer = requireViewer(context);
    const rows = await context.deps.db.prisma.conversation.findMany({
      where: { id: { in: ids } },
      include: { members: { where: { userId: viewer.userId, leftAt: null } } },
    });
    const byId = new Map(
      rows.map(({ members, ...row }) => [row.id, { ...row, member: members[0] }]),
    );
    return ids.map((id) => {
      const found = byId.get(id);
      return found?.member ? found : new Error('Conversation not found');
    });
  },
});

builder.objectType(ConversationRef, {
  description: 'A direct or group conversation; for end-to-end encryption, one MLS group.',
  fields: (t) => ({
    kind: t.expose('kind', { type: ConversationKindEnum }),
    title: t.exposeString('title', {
      nullable: true,
      description:
        'A plaintext title, if the creator gave one; encrypted groups name themselves inside ' +
        'the MLS group (group_renamed notices).',
    }),
    lastSeq: t.exposeInt('lastSeq', { description: 'Seq of the newest message; 0 if none.' }),
    lastMessageAt: t.expose('lastMessageAt', { type: 'DateTime', nullable: true }),
    activityAt: t.expose('activityAt', { type: 'DateTime', description: 'Sort key of lists.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    unreadCount: t.int({
      description: 'Messages from others after your read cursor.',
      resolve: async (conversation, _args, context) =>
        unreadCount(context.deps, await ownMember(context, conversation), conversation.lastSeq),
    }),
    members: t.field({
      type: [MemberRef],
      resolve: (conversation, _args, context) =>
        activeMembers(context.deps, conversation.id as ConversationId),
    }),
    deliveredUpTo: t.int({
      description: 'Every other member has received messages up to this seq.',
      resolve: async (conversation, _args, context) =>
        Math.min(
          (await summaryFor(context, conversation.id as ConversationId)).deliveredUpTo,
          conversation.lastSeq,
        ),
    }),
    readUpTo: t.int({
      nullable: true,
      description: 'Every other member has read up to this seq; null when read state is hidden.',
      resolve: async (conversation, _args, context) => {
        const { readUpTo } = await summaryFor(context, conversation.id as ConversationId);
        return readUpTo === null ? null : Math.min(readUpTo, conversation.lastSeq);
      },
    }),
    typing: t.field({
      type: [UserRef],
      description: 'Other members typing right now.',
      resolve: async (conversation, _args, context) => {
        const viewer = requireViewer(context);
        const ids = await context.deps.store.typing(conversation.id as ConversationId);
        return ids.filter((id) => id !== viewer.userId);
      },
    }),
    messages: t.connection({
      type: MessageRef,
      description: 'History by seq. `last`/`before` pages back from the newest.',
      resolve: async (conversation, args, context) => {
        const page = await messageHistory(
          context.deps,
          requireViewer(context),
          conversation.id as ConversationId,
          args,
        );
        return {
          edges: page.edges.map((edge) => ({
            cursor: edge.cursor,
            node: toMessageEvent(edge.node),
          })),
          pageInfo: {
            hasNextPage: page.hasNextPage,
            hasPreviousPage: page.hasPreviousPage,
            startCursor: page.edges[0]?.cursor ?? null,
            endCursor: page.edges.at(-1)?.cursor ?? null,
          },
        };
      },
    }),
  }),
});

builder.queryField('conversations', (t) =>
  t.connection({
    type: ConversationRef,
    description: 'Your conversations, the most recently active first.',
    resolve: async (_root, args, context) => {
      const page = await listConversations(context.deps, requireViewer(context), args);
      return {
        edges: page.edges,
        pageInfo: {
          hasNextPage: page.hasNextPage,
          hasPreviousPage: args.after != null,
          startCursor: page.edges[0]?.cursor ?? null,
          endCursor: page.edges.at(-1)?.cursor ?? null,
        },
      };
    },
  }),
);

builder.queryField('conversation', (t) =>
  t.field({
    type: ConversationRef,
    args: { id: t.arg.id() },
    resolve: async (_root, args, context) => {
      const membership = await requireMembership(
        context.deps,
        requireViewer(context),
        conversationIdArg(args.id),
      );
      return { ...membership.conversation, member: membership.member };
    },
  }),
);

// Mutations.

builder.mutationField('startDirectConversation', (t) =>
  t.field({
    type: ConversationRef,
    description: 'Opens the direct conversation with a user; the same one every time.',
    args: {
      input: t.arg({
        type: builder.inputType('StartDirectConversationInput', {
          fields: (f) => ({ userId: f.id() }),
        }),
      }),
    },
    resolve: (_root, { input }, context) =>
      startDirectConversation(
        context.deps,
        requireViewer(context),
        decodeGlobalIdOf(String(input.userId), 'User', parseUserId),
      ),
  }),
);

builder.mutationField('createGroupConversation', (t) =>
  t.field({
    type: ConversationRef,
    args: {
      input: t.arg({
        type: builder.inputType('CreateGroupConversationInput', {
          fields: (f) => ({
            title: f.string({
              required: false,
              description:
                'Stored in plaintext, visible to the server. Leave it out and name the group ' +
                'with an encrypted group_renamed notice instead; kept for clients without MLS.',
            }),
            memberIds: f.idList(),
          }),
        }),
      }),
    },
    resolve: (_root, { input }, context) =>
      createGroupConversation(context.deps, requireViewer(context), {
        title: input.title,
        memberUserIds: input.memberIds.map((id) =>
          decodeGlobalIdOf(String(id), 'User', parseUserId),
        ),
      }),
  }),
);

builder.mutationField('removeMember', (t) =>
  t.field({
    type: ConversationRef,
    description:
      'Leaves a group (anyone, naming themself), or removes a member from a group without ' +
      'MLS state yet (admins). Once the group has epochs, others are removed by a commit.',
    args: {
      input: t.arg({
        type: builder.inputType('RemoveMemberInput', {
          fields: (f) => ({ conversationId: f.id(), userId: f.id() }),
        }),
      }),
    },
    resolve: (_root, { input }, context) =>
      removeMember(
        context.deps,
        requireViewer(context),
        conversationIdArg(input.conversationId),
        decodeGlobalIdOf(String(input.userId), 'User', parseUserId) as UserId,
      ),
  }),
);

builder.mutationField('setTyping', (t) =>
  t.field({
    type: 'Boolean',
    description: 'Starts or stops "typing…"; it stops by itself after a few seconds.',
    args: {
      input: t.arg({
        type: builder.inputType('SetTypingInput', {
          fields: (f) => ({ conversationId: f.id(), typing: f.boolean() }),
        }),
      }),
    },
    resolve: async (_root, { input }, context) => {
      await setTyping(
        context.deps,
        requireViewer(context),
        conversationIdArg(input.conversationId),
        input.typing,
      );
      return input.typing;
    },
  }),
);
