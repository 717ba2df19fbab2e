// Server-only. Delivery and read receipts as two cursors per member. A message is "delivered"
// once every other member's delivered cursor has passed it, and "read" likewise. A member who
// turns read receipts off shares no read cursor and sees nobody else's (as WhatsApp does).
import { conversationChannel } from '../bus/events.js';
import type { Deps } from '../deps.js';
import { badInput } from '../errors.js';
import type { ConversationId, UserId } from '../ids.js';
import type { Viewer } from '../viewer.js';
import { requireMembership } from './conversations.js';

export type ReceiptKind = 'delivered' | 'read';
export type MessageStatus = 'SENT' | 'DELIVERED' | 'READ';

/** Moves the viewer's delivered (and, for "read", read) cursor forward to `seq`. */
export async function markReceipt(
  deps: Deps,
  viewer: Viewer,
  conversationId: ConversationId,
  kind: ReceiptKind,
  seq: number,
) {
  const { conversation, member } = await requireMembership(deps, viewer, conversationId);
  if (!Number.isInteger(seq) || seq < 0 || seq > conversation.lastSeq) {
    throw badInput(`seq must be between 0 and the last message (${conversation.lastSeq}).`, 'seq');
  }
  const read = kind === 'read';
  const updated = await deps.db.prisma.$queryRaw<{ delivered_seq: number; read_seq: number }[]>`
    UPDATE members
    SET delivered_seq = GREATEST(delivered_seq, ${seq}),
        read_seq = CASE WHEN ${read} THEN GREATEST(read_seq, ${seq}) ELSE read_seq END
    WHERE conversation_id = ${conversationId}::uuid AND user_id = ${viewer.userId}::uuid
      AND (delivered_seq < ${seq} OR (${read} AND read_seq < ${seq}))
    RETURNING delivered_seq, read_seq`;
  const row = updated[0];
  if (!row) return { ...member, conversation };

  const owner = await deps.db.prisma.user.findUnique({
    where: { id: viewer.userId },
    select: { readReceipts: true },
  });
  await deps.bus.publish(conversationChannel(conversationId), {
    type: 'receipt',
    conversationId,
    userId: viewer.userId,
    deliveredSeq: row.delivered_seq,
    readSeq: owner?.readReceipts ? row.read_seq : null,
  });
  return { ...member, deliveredSeq: row.delivered_seq, readSeq: row.read_seq, conversation };
}

export type ReceiptSummary = {
  /** Every other member has received messages up to here. */
  readonly deliveredUpTo: number;
  /** Every other member has read up to here, or null when read state is not shared. */
  readonly readUpTo: number | null;
};

/** What `viewerId` may know of the other members' progress through a conversation. */
export async function receiptSummary(
  deps: Deps,
  viewerId: UserId,
  conversationId: ConversationId,
): Promise<ReceiptSummary> {
  const members = await deps.db.prisma.member.findMany({
    where: { conversationId, leftAt: null },
    select: {
      userId: true,
      deliveredSeq: true,
      readSeq: true,
      user: { select: { readReceipts: true } },
    },
  });
  const viewer = members.find((member) => member.userId === viewerId);
  const others = members.filter((member) => member.userId !== viewerId);
  if (others.length === 0) {
    return { deliveredUpTo: Number.MAX_SAFE_INTEGER, readUpTo: Number.MAX_SAFE_INTEGER };
  }
  const deliveredUpTo = Math.min(...others.map((member) => member.deliveredSeq));
  const shared = viewer?.user.readReceipts !== false && others.every((m) => m.user.readReceipts);
  return {
    deliveredUpTo,
    readUpTo: shared ? Math.min(...others.map((member) => member.readSeq)) : null,
  };
}

export function messageStatus(seq: number, summary: ReceiptSummary): MessageStatus {
  if (summary.readUpTo !== null && seq <= summary.readUpTo) return 'READ';
  if (seq <= summary.deliveredUpTo) return 'DELIVERED';
  return 'SENT';
}

/** A member's read cursor as others may see it. */
export function visibleReadSeq(
  member: { readSeq: number; user: { readReceipts: boolean } },
  viewerReadReceipts: boolean,
): number | null {
  return member.user.readReceipts && viewerReadReceipts ? member.readSeq : null;
}
