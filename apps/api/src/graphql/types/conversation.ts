// Server-only. Conversations, members, messages and receipts: the queries and mutations.
import type { MessageEvent } from '../../bus/events.js';
import type { Conversation, Member, User } from '../../generated/prisma/client.ts';
import { parseConversationId, parseUserId, type ConversationId, type UserId } from '../../ids.js';
import {
  activeMembers,
  createGroupConversation,
  listConversations,
  removeMember,
  requireMembership,
  startDirectConversation,
  unreadCount,
} from '../../messaging/conversations.js';
import { messageHistory, sendMessage, toMessageEvent } from '../../messaging/messages.js';
import {
  markReceipt,
  messageStatus,
  receiptSummary,
  visibleReadSeq,
} from '../../messaging/receipts.js';
import { setTyping } from '../../realtime/typing.js';
import { builder } from '../builder.js';
import { requireViewer, type Context } from '../context.js';
import { decodeGlobalIdOf } from '../global-id.js';
import { UserRef } from './user.js';

export type ConversationShape = Conversation & { member?: Member };

export function conversationIdArg(value: string | number): ConversationId {
  return decodeGlobalIdOf(String(value), 'Conversation', parseConversationId);
}

function summaryFor(context: Context, conversationId: ConversationId) {
  const viewer = requireViewer(context);
  let summary = context.receiptSummaries.get(conversationId);
  if (!summary) {
    summary = receiptSummary(context.deps, viewer.userId, conversationId);
    context.receiptSummaries.set(conversationId, summary);
  }
  return summary;
}

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

export const MessageStatusEnum = builder.enumType('MessageStatus', {
  description: 'How far your own message has got: stored, received by all, read by all.',
  values: ['SENT', 'DELIVERED', 'READ'] as const,
});

const MemberRoleEnum = builder.enumType('MemberRole', { values: ['ADMIN', 'MEMBER'] as const });

export const MessageRef = builder.loadableNodeRef<MessageEvent, string>('Message', {
  id: { resolve: (message) => message.messageId },
  load: async (ids, context) => {
    const viewer = requireViewer(context);
    const rows = await context.deps.db.prisma.message.findMany({
      where: {
        id: { in: ids },
        conversation: { members: { some: { userId: viewer.userId, leftAt: null } } },
      },
    });
    const byId = new Map(rows.map((row) => [row.id, toMessageEvent(row)]));
    return ids.map((id) => byId.get(id) ?? new Error('Message not found'));
  },
});

builder.objectType(MessageRef, {
  description: 'One stored message. The server sees only its ciphertext.',
  fields: (t) => ({
    conversationId: t.id({
      resolve: (message) =>
        Buffer.from(`Conversation:${message.conversationId}`).toString('base64'),
    }),
    seq: t.exposeInt('seq', { description: 'Position in the conversation, from 1, no gaps.' }),
    clientMessageId: t.exposeString('clientMessageId'),
    ciphertext: t.expose('ciphertext', { type: 'Bytes' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'Server time of storage.' }),
    sender: t.field({
      type: UserRef,
      resolve: (message) => message.senderUserId,
    }),
    senderDeviceId: t.id({
      resolve: (message) => Buffer.from(`Device:${message.senderDeviceId}`).toString('base64'),
    }),
    status: t.field({
      type: MessageStatusEnum,
      nullable: true,
      description: 'For your own messages: sent, delivered or read. Null for others’ messages.',
      resolve: async (message, _args, context) => {
        const viewer = requireViewer(context);
        if (message.senderUserId !== viewer.userId) return null;
        return messageStatus(message.seq, await summaryFor(context, message.conversationId));
      },
    }),
  }),
});

type MemberShape = Member & { user: User };

const MemberRef = builder.objectRef<MemberShape>('Member').implement({
  description: 'A user’s place in a conversation, with their receipt cursors.',
  fields: (t) => ({
    user: t.field({ type: UserRef, resolve: (member) => member.user }),
    role: t.expose('role', { type: MemberRoleEnum }),
    joinedAt: t.expose('joinedAt', { type: 'DateTime' }),
    deliveredUpTo: t.exposeInt('deliveredSeq', {
      description: 'This member has received every message up to this seq.',
    }),
    readUpTo: t.int({
      nullable: true,
      description: 'This member has read up to this seq; null when read receipts are off.',
      resolve: async (member, _args, context) => {
        const viewer = requireViewer(context);
        if (member.userId === viewer.userId) return member.readSeq;
        const own = await context.deps.db.prisma.user.findUnique({
          where: { id: viewer.userId },
          select: { readReceipts: true },
        });
        return visibleReadSeq(member, own?.readReceipts ?? true);
      },
    }),
  }),
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
    title: t.exposeString('title', { nullable: true, description: 'Groups only.' }),
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
          fields: (f) => ({ title: f.string(), memberIds: f.idList() }),
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
    description: 'Removes a member from a group (admins), or leaves it (anyone, naming themself).',
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

const SendMessagePayloadRef = builder
  .objectRef<{ message: MessageEvent; duplicate: boolean }>('SendMessagePayload')
  .implement({
    fields: (t) => ({
      message: t.field({ type: MessageRef, resolve: (payload) => payload.message }),
      duplicate: t.exposeBoolean('duplicate', {
        description: 'True when this client message id was stored before: nothing new was sent.',
      }),
    }),
  });

builder.mutationField('sendMessage', (t) =>
  t.field({
    type: SendMessagePayloadRef,
    description: 'Stores a ciphertext once and delivers it. Idempotent by clientMessageId.',
    args: {
      input: t.arg({
        type: builder.inputType('SendMessageInput', {
          fields: (f) => ({
            conversationId: f.id(),
            clientMessageId: f.string({
              description: 'Chosen by the client, unique per device; a retry reuses it.',
            }),
            ciphertext: f.field({ type: 'Bytes' }),
          }),
        }),
      }),
    },
    resolve: async (_root, { input }, context) => {
      const result = await sendMessage(context.deps, requireViewer(context), {
        conversationId: conversationIdArg(input.conversationId),
        clientMessageId: input.clientMessageId,
        ciphertext: input.ciphertext,
      });
      return { message: toMessageEvent(result.message), duplicate: result.duplicate };
    },
  }),
);

const ReceiptInput = builder.inputType('ReceiptInput', {
  fields: (f) => ({
    conversationId: f.id(),
    seq: f.int({ description: 'Everything up to and including this seq.' }),
  }),
});

for (const kind of ['delivered', 'read'] as const) {
  const name = kind === 'delivered' ? 'markDelivered' : 'markRead';
  builder.mutationField(name, (t) =>
    t.field({
      type: MemberRef,
      description:
        kind === 'delivered'
          ? 'Says this user’s devices have received messages up to a seq.'
          : 'Says this user has read messages up to a seq (which also marks them delivered).',
      args: { input: t.arg({ type: ReceiptInput }) },
      resolve: async (_root, { input }, context) => {
        const viewer = requireViewer(context);
        const member = await markReceipt(
          context.deps,
          viewer,
          conversationIdArg(input.conversationId),
          kind,
          input.seq,
        );
        const user = await context.deps.db.prisma.user.findUniqueOrThrow({
          where: { id: viewer.userId },
        });
        return { ...member, user };
      },
    }),
  );
}

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
