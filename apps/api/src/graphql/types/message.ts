// Server-only. Messages as the API shows them, sending, and the receipt mutations that move a
// member's delivered and read cursors.
import type { MessageEvent } from '../../bus/events.js';
import type { ConversationId } from '../../ids.js';
import { sendMessage, toMessageEvent } from '../../messaging/messages.js';
import { markReceipt, messageStatus, receiptSummary } from '../../messaging/receipts.js';
import { publicDeviceId } from '../../mls/public-ids.js';
import { builder } from '../builder.js';
import { type Context, requireViewer } from '../context.js';
import { conversationIdArg } from './conversation-id.js';
import { MemberRef } from './member.js';
import { UserRef } from './user.js';

/** Receipt summaries, memoized per operation: a page of messages costs one query. */
export function summaryFor(context: Context, conversationId: ConversationId) {
  const viewer = requireViewer(context);
  let summary = context.receiptSummaries.get(conversationId);
  if (!summary) {
    summary = receiptSummary(context.deps, viewer.userId, conversationId);
    context.receiptSummaries.set(conversationId, summary);
  }
  return summary;
}

export const MessageStatusEnum = builder.enumType('MessageStatus', {
  description: 'How far your own message has got: stored, received by all, read by all.',
  values: ['SENT', 'DELIVERED', 'READ'] as const,
});

export const MessageKindEnum = builder.enumType('MessageKind', {
  description: 'What a message is to MLS; clients process both kinds in seq order.',
  values: {
    APPLICATION: { description: 'Encrypted content: text, media, reactions and the rest.' },
    COMMIT: { description: 'A commit that moves the conversation’s group to the next epoch.' },
  } as const,
});

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
    kind: t.expose('kind', { type: MessageKindEnum }),
    epoch: t.exposeInt('epoch', {
      nullable: true,
      description: 'For commits: the epoch it was made in (the group then moves to the next).',
    }),
    clientMessageId: t.exposeString('clientMessageId'),
    ciphertext: t.expose('ciphertext', { type: 'Bytes' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'Server time of storage.' }),
    sender: t.field({
      type: UserRef,
      resolve: (message) => message.senderUserId,
    }),
    senderDeviceId: t.id({
      resolve: (message) => publicDeviceId(message.senderDeviceId),
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
        return { ...member, user: await context.self() };
      },
    }),
  );
}
