// Server-only. Storing and reading messages. A message is opaque ciphertext stored once per
// conversation; its sequence number is assigned in the transaction that stores it, under a row
// lock on the conversation, so seq N+1 can never be committed before N.
import { conversationChannel, type MessageEvent } from '../bus/events.js';
import type { Deps } from '../deps.js';
import { badInput, ParleyError } from '../errors.js';
import type { Message } from '../generated/prisma/client.ts';
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

type StoredRow = { seq: number; created_at: Date | string };

const storeMessage = `
  WITH bumped AS (
    UPDATE conversations c
    SET last_seq = c.last_seq + 1, last_message_at = now(), activity_at = now()
    WHERE c.id = $1::uuid
      AND EXISTS (
        SELECT 1 FROM members m
        WHERE m.conversation_id = c.id AND m.user_id = $2::uuid AND m.left_at IS NULL
      )
    RETURNING c.id, c.last_seq, c.last_message_at
  ), stored AS (
    INSERT INTO messages
      (id, conversation_id, seq, sender_device_id, sender_user_id, client_message_id,
       ciphertext, created_at)
    SELECT $3::uuid, id, last_seq, $4::uuid, $2::uuid, $5::text, $6::bytea, last_message_at
    FROM bumped
    RETURNING conversation_id, seq, created_at
  ), own_cursors AS (
    -- The sender has seen what they wrote, so it never counts as unread for them.
    UPDATE members m
    SET delivered_seq = GREATEST(m.delivered_seq, s.seq), read_seq = GREATEST(m.read_seq, s.seq)
    FROM stored s
    WHERE m.conversation_id = s.conversation_id AND m.user_id = $2::uuid
  )
  SELECT seq, created_at FROM stored`;

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === '23505';
}

/** Nothing was stored: say why, without having slowed down the common path to know it. */
async function refusal(deps: Deps, conversationId: ConversationId): Promise<ParleyError> {
  const exists = await deps.db.prisma.conversation.count({ where: { id: conversationId } });
  return exists === 0
    ? new ParleyError('NOT_FOUND', 'No conversation has this id.')
    : new ParleyError('NOT_A_MEMBER', 'Only members can send to this conversation.');
}

/** The client message id was used before: the first send's result, or a conflict. */
async function existingSend(deps: Deps, viewer: Viewer, input: SendInput): Promise<SendResult> {
  const existing = await deps.db.prisma.message.findUnique({
    where: {
      senderDeviceId_clientMessageId: {
        senderDeviceId: viewer.deviceId,
        clientMessageId: input.clientMessageId,
      },
    },
  });
  if (!existing) throw new Error('unique violation without a stored message');
  if (existing.conversationId !== input.conversationId) throw clientMessageIdConflict();
  return { message: existing, duplicate: true };
}

const clientMessageIdConflict = () =>
  new ParleyError(
    'CLIENT_MESSAGE_ID_CONFLICT',
    'This device already used this clientMessageId in another conversation.',
  );

export const clientMessageIdPattern = /^[\w.:-]{1,128}$/;

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
    kind: message.kind,
    epoch: message.epoch,
  };
}

/**
 * Stores a message once and fans it out, live and by Web Push to devices that are away. Sending
 * the same client message id again returns the first result, also when both sends race: the
 * conversation's row lock orders them.
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

  // One statement, one round trip. The UPDATE takes the conversation's row lock, so concurrent
  // sends queue on it and each reads the seq its predecessor committed (READ COMMITTED re-checks
  // the row after the wait). A repeated client message id fails the INSERT on its unique key,
  // which rolls back the whole statement, seq increment included: no seq is ever skipped.
  const id = newMessageId();
  let rows: StoredRow[];
  try {
    rows = await deps.db.sql.query<StoredRow>(storeMessage, [
      input.conversationId,
      viewer.userId,
      id,
      viewer.deviceId,
      input.clientMessageId,
      Buffer.from(
        input.ciphertext.buffer,
        input.ciphertext.byteOffset,
        input.ciphertext.byteLength,
      ),
    ]);
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return existingSend(deps, viewer, input);
  }

  const row = rows[0];
  if (!row) throw await refusal(deps, input.conversationId);
  const result: SendResult = {
    message: {
      id,
      conversationId: input.conversationId,
      seq: row.seq,
      senderDeviceId: viewer.deviceId,
      senderUserId: viewer.userId,
      clientMessageId: input.clientMessageId,
      ciphertext: new Uint8Array(input.ciphertext),
      createdAt: new Date(row.created_at),
      kind: 'APPLICATION',
      epoch: null,
    },
    duplicate: false,
  };

  await deps.bus.publish(conversationChannel(input.conversationId), toMessageEvent(result.message));
  deps.push.messageStored(result.message);
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
