// Server-only. Storing and reading messages. A message is opaque ciphertext stored once per
// conversation; its sequence number is assigned in the transaction that stores it, under a row
// lock on the conversation, so seq N+1 can never be committed before N (DESIGN.md, Delivery).
import { conversationChannel, type MessageEvent } from '../bus/events.js';
import type { Deps } from '../deps.js';
import { badInput, ParleyError } from '../errors.js';
import { Prisma, type Message } from '../generated/prisma/client.ts';
import { newMessageId, type ConversationId, type DeviceId, type UserId } from '../ids.js';
import { enforceRateLimit } from '../rate-limit.js';
import type { Viewer } from '../viewer.js';
import { requireMembership } from './conversations.js';
import { decodeSeqCursor, encodeSeqCursor, pageSize } from './cursors.js';

export type SendInput = {
  conversationId: ConversationId;
  clientMessageId: string;
  ciphertext: Uint8Array;
};

export type SendResult = { message: Message; duplicate: boolean };

const clientMessageIdConflict = () =>
  new ParleyError(
    'CLIENT_MESSAGE_ID_CONFLICT',
    'This device already used this clientMessageId in another conversation.',
  );

const clientMessageIdPattern = /^[\w.:-]{1,128}$/;

export function toMessageEvent(message: Message): MessageEvent {
  return {
    type: 'message',
    conversationId: message.conversationId as ConversationId,
    messageId: message.id,
    seq: message.seq,
    senderUserId: message.senderUserId as UserId,
    senderDeviceId: message.senderDeviceId as DeviceId,
    clientMessageId: message.clientMessageId,
    ciphertext: Buffer.from(message.ciphertext).toString('base64'),
    createdAt: message.createdAt.toISOString(),
  };
}

/**
 * Stores a message once and fans it out. Sending the same client message id again returns the
 * first result, also when both sends race: the conversation's row lock orders them.
 */
export async function sendMessage(
  deps: Deps,
  viewer: Viewer,
  input: SendInput,
): Promise<SendResult> {
  if (!clientMessageIdPattern.test(input.clientMessageId)) {
    throw badInput(
      'clientMessageId has 1 to 128 letters, digits or the characters _ . : -',
      'clientMessageId',
    );
  }
  if (input.ciphertext.byteLength === 0) throw badInput('The ciphertext is empty.', 'ciphertext');
  if (input.ciphertext.byteLength > deps.config.maxMessageBytes) {
    throw new ParleyError(
      'MESSAGE_TOO_LARGE',
      `A message holds at most ${deps.config.maxMessageBytes} bytes; send media as an upload.`,
      { maxBytes: deps.config.maxMessageBytes },
    );
  }
  await enforceRateLimit(
    deps.store,
    `sends:${viewer.deviceId}`,
    deps.limits.sendsPerDevice,
    'messages',
  );

  const result = await deps.db.prisma
    .$transaction(
      async (tx) => {
        const locked = await tx.$queryRaw<{ member_user: string | null; left_at: Date | null }[]>`
          SELECT m.user_id AS member_user, m.left_at
          FROM conversations c
          LEFT JOIN members m ON m.conversation_id = c.id AND m.user_id = ${viewer.userId}::uuid
          WHERE c.id = ${input.conversationId}::uuid
          FOR UPDATE OF c`;
        const row = locked[0];
        if (!row) throw new ParleyError('NOT_FOUND', 'No conversation has this id.');
        if (!row.member_user || row.left_at) {
          throw new ParleyError('NOT_A_MEMBER', 'Only members can send to this conversation.');
        }

        const existing = await tx.message.findUnique({
          where: {
            senderDeviceId_clientMessageId: {
              senderDeviceId: viewer.deviceId,
              clientMessageId: input.clientMessageId,
            },
          },
        });
        if (existing && existing.conversationId !== input.conversationId) {
          throw clientMessageIdConflict();
        }
        if (existing) return { message: existing, duplicate: true };

        const [next] = await tx.$queryRaw<{ last_seq: number }[]>`
          UPDATE conversations
          SET last_seq = last_seq + 1, last_message_at = now(), activity_at = now()
          WHERE id = ${input.conversationId}::uuid
          RETURNING last_seq`;
        const seq = next?.last_seq ?? 0;
        const message = await tx.message.create({
          data: {
            id: newMessageId(),
            conversationId: input.conversationId,
            seq,
            senderDeviceId: viewer.deviceId,
            senderUserId: viewer.userId,
            clientMessageId: input.clientMessageId,
            ciphertext: new Uint8Array(input.ciphertext),
          },
        });
        // The sender has seen what they wrote, so it never counts as unread for them.
        await tx.$executeRaw`
          UPDATE members
          SET delivered_seq = GREATEST(delivered_seq, ${seq}), read_seq = GREATEST(read_seq, ${seq})
          WHERE conversation_id = ${input.conversationId}::uuid AND user_id = ${viewer.userId}::uuid`;
        return { message, duplicate: false };
      },
      { maxWait: 10_000, timeout: 15_000 },
    )
    .catch((error: unknown) => {
      // The same client id used before in another conversation: a unique violation.
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
        throw clientMessageIdConflict();
      }
      throw error;
    });

  if (!result.duplicate) {
    await deps.bus.publish(
      conversationChannel(input.conversationId),
      toMessageEvent(result.message),
    );
  }
  return result;
}

export type MessagePage = {
  edges: { cursor: string; node: Message }[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
};

/** A page of a conversation's history, by sequence number, in either direction (Relay). */
export async function messageHistory(
  deps: Deps,
  viewer: Viewer,
  conversationId: ConversationId,
  args: {
    first?: number | null;
    after?: string | null;
    last?: number | null;
    before?: string | null;
  },
): Promise<MessagePage> {
  const { direction, size } = pageSize(args.first, args.last, 200, 50);
  const after = args.after ? decodeSeqCursor(args.after) : undefined;
  const before = args.before ? decodeSeqCursor(args.before) : undefined;
  const { member } = await requireMembership(deps, viewer, conversationId);

  const floor = Math.max(after ?? 0, member.joinedSeq);
  const rows = await deps.db.prisma.message.findMany({
    where: {
      conversationId,
      seq: { gt: floor, ...(before !== undefined && { lt: before }) },
    },
    orderBy: { seq: direction === 'forward' ? 'asc' : 'desc' },
    take: size + 1,
  });
  const more = rows.length > size;
  const page = rows.slice(0, size);
  if (direction === 'backward') page.reverse();
  return {
    edges: page.map((node) => ({ cursor: encodeSeqCursor(node.seq), node })),
    hasNextPage: direction === 'forward' ? more : before !== undefined,
    hasPreviousPage: direction === 'backward' ? more : floor > member.joinedSeq,
  };
}

/** Messages after `afterSeq`, in order, for replaying what a device missed. */
export async function messagesAfter(
  deps: Deps,
  conversationId: ConversationId,
  afterSeq: number,
  limit: number,
): Promise<Message[]> {
  return deps.db.prisma.message.findMany({
    where: { conversationId, seq: { gt: afterSeq } },
    orderBy: { seq: 'asc' },
    take: limit,
  });
}
