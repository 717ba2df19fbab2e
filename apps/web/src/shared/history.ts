// Shared by the page and the crypto worker. How one piece of decrypted content changes the local
// history: a text becomes a message, a reaction, edit or deletion changes the message it
// targets, a system notice becomes a line of its own. The worker calls this in the same
// IndexedDB transaction that saves the group state, so the two never disagree after a crash.
import { excerptOf, type MessageContent } from '@parley/crypto';
import type { IDBPTransaction, StoreNames } from 'idb';

import {
  pendingOrderBase,
  type ConversationRecord,
  type LocalDatabase,
  type MessageRecord,
  type ParleySchema,
} from './local-database.ts';

export type HistoryTransaction = IDBPTransaction<
  ParleySchema,
  StoreNames<ParleySchema>[],
  'readwrite'
>;

/**
 * A transaction over the history and whatever else must change with it, atomically. `relaxed`
 * durability lets the browser report the commit before it reaches the disk: fine where the
 * same work can be done again from the server's log (a power cut loses the group state and the
 * message together, and the device decrypts the message again), never for the outbox.
 */
export function historyTransaction(
  db: LocalDatabase,
  also: StoreNames<ParleySchema>[] = [],
  durability: 'strict' | 'relaxed' = 'strict',
): HistoryTransaction {
  return db.transaction(['messages', 'conversations', ...also], 'readwrite', { durability });
}

/** Who sent a piece of content, and where it sits in the log (no seq while in the outbox). */
export type Origin = {
  readonly conversationId: string;
  readonly senderUserId: string;
  readonly senderDeviceId?: string;
  readonly seq?: number;
  /** Server time of storage, when known (ms). */
  readonly storedAt?: number;
  readonly fromSelf: boolean;
};

/** What the page may want to announce about the change. */
export type HistoryChange = {
  readonly conversationId: string;
  /** A new visible message from someone else: its text, for notifications and live regions. */
  readonly arrived?: { readonly id: string; readonly text: string };
};

export async function applyContent(
  tx: HistoryTransaction,
  origin: Origin,
  content: MessageContent,
): Promise<HistoryChange> {
  const messages = tx.objectStore('messages');
  const key = (id: string): [string, string] => [origin.conversationId, id];

  switch (content.type) {
    case 'text':
    case 'reply': {
      const replyTo =
        content.type === 'reply'
          ? { id: content.quote.id, excerpt: content.quote.excerpt }
          : undefined;
      const record = newRecord(origin, content.id, content.sentAt, 'text', content.body, replyTo);
      await putMessage(tx, record, origin);
      return { conversationId: origin.conversationId, ...arrival(origin, record) };
    }

    case 'media': {
      // Media sending is not built yet; its caption (or a neutral line) keeps the log whole.
      const text = content.caption ?? `📎 ${content.fileName ?? content.mimeType}`;
      const record = newRecord(origin, content.id, content.sentAt, 'text', text);
      await putMessage(tx, record, origin);
      return { conversationId: origin.conversationId, ...arrival(origin, record) };
    }

    case 'reaction': {
      const target = await messages.get(key(content.targetId));
      if (!target) return { conversationId: origin.conversationId };
      const reactions = { ...target.reactions };
      if (content.emoji === '') delete reactions[origin.senderUserId];
      else reactions[origin.senderUserId] = content.emoji;
      await messages.put({ ...target, reactions });
      return { conversationId: origin.conversationId };
    }

    // Edits and deletions count only from the user who sent the original: anyone else in the
    // group could otherwise rewrite what a member said.
    case 'edit': {
      const target = await messages.get(key(content.targetId));
      if (!target || target.senderUserId !== origin.senderUserId || target.deleted) {
        return { conversationId: origin.conversationId };
      }
      await messages.put({ ...target, text: content.body, editedAt: content.sentAt });
      await refreshPreview(tx, origin.conversationId, target.id);
      return { conversationId: origin.conversationId };
    }

    case 'delete': {
      const target = await messages.get(key(content.targetId));
      if (!target || target.senderUserId !== origin.senderUserId) {
        return { conversationId: origin.conversationId };
      }
      await messages.put({ ...target, text: '', deleted: true, reactions: {} });
      await refreshPreview(tx, origin.conversationId, target.id);
      return { conversationId: origin.conversationId };
    }

    case 'system': {
      const record = newRecord(origin, content.id, content.sentAt, 'system', describe(content));
      // An id already in the history is someone's message: a notice never replaces it.
      if (await messages.get(key(content.id))) return { conversationId: origin.conversationId };
      await messages.put(record);
      if (content.notice === 'group_renamed') {
        await updateConversation(tx, origin.conversationId, (conversation) => ({
          ...conversation,
          title: content.name,
        }));
      }
      return { conversationId: origin.conversationId };
    }

    case 'unsupported': {
      const text = 'This message needs a newer version of Parley.';
      const record = newRecord(origin, content.id, content.sentAt, 'unsupported', text);
      await putMessage(tx, record, origin);
      return { conversationId: origin.conversationId };
    }

    default: {
      const unknown: never = content;
      throw new Error(`Unhandled content ${JSON.stringify(unknown)}`);
    }
  }
}

/** A message whose ciphertext could not be decrypted: shown as such, never dropped silently. */
export async function applyUndecryptable(
  tx: HistoryTransaction,
  origin: Origin & { readonly seq: number },
): Promise<HistoryChange> {
  const at = origin.storedAt ?? Date.now();
  const record = newRecord(origin, `seq:${origin.seq}`, at, 'undecryptable', '');
  await putMessage(tx, record, origin);
  return { conversationId: origin.conversationId };
}

function newRecord(
  origin: Origin,
  id: string,
  at: number,
  kind: MessageRecord['kind'],
  text: string,
  replyTo?: MessageRecord['replyTo'],
): MessageRecord {
  return {
    conversationId: origin.conversationId,
    id,
    order: origin.seq ?? pendingOrderBase + at,
    ...(origin.seq !== undefined && { seq: origin.seq }),
    senderUserId: origin.senderUserId,
    ...(origin.senderDeviceId && { senderDeviceId: origin.senderDeviceId }),
    at,
    kind,
    text,
    ...(replyTo && { replyTo }),
    reactions: {},
    deleted: false,
    ...(origin.fromSelf && { outgoing: origin.seq === undefined ? 'pending' : 'sent' }),
  };
}

function arrival(origin: Origin, record: MessageRecord): Pick<HistoryChange, 'arrived'> {
  return origin.fromSelf ? {} : { arrived: { id: record.id, text: record.text } };
}

// A message seen again (its own device's copy coming back from another device, or a retry) keeps
// what happened to it since: reactions, edits and the deletion stay.
async function putMessage(
  tx: HistoryTransaction,
  record: MessageRecord,
  origin: Origin,
): Promise<void> {
  const messages = tx.objectStore('messages');
  const existing = await messages.get([record.conversationId, record.id]);
  // Content ids are chosen by senders: another member reusing one cannot take a message over.
  if (existing && existing.senderUserId !== record.senderUserId) return;
  if (existing) {
    await messages.put({
      ...existing,
      order: record.order,
      ...(record.seq !== undefined && { seq: record.seq }),
      ...(existing.outgoing && record.seq !== undefined && { outgoing: 'sent' as const }),
    });
    return;
  }
  await messages.put(record);

  await updateConversation(tx, record.conversationId, (conversation) => {
    const unreadNow =
      !origin.fromSelf && record.seq !== undefined && record.seq > conversation.readUpTo;
    return {
      ...conversation,
      activityAt: Math.max(conversation.activityAt, origin.storedAt ?? record.at),
      lastMessage: {
        id: record.id,
        text: previewText(record),
        senderUserId: record.senderUserId,
        at: record.at,
        ...(record.seq !== undefined && { seq: record.seq }),
      },
      unread: conversation.unread + (unreadNow ? 1 : 0),
    };
  });
}

export function previewText(record: MessageRecord): string {
  if (record.deleted) return 'This message was deleted';
  if (record.kind === 'undecryptable') return 'This message could not be decrypted';
  return record.text;
}

async function refreshPreview(
  tx: HistoryTransaction,
  conversationId: string,
  messageId: string,
): Promise<void> {
  const message = await tx.objectStore('messages').get([conversationId, messageId]);
  if (!message) return;
  await updateConversation(tx, conversationId, (conversation) =>
    conversation.lastMessage?.id === messageId
      ? {
          ...conversation,
          lastMessage: { ...conversation.lastMessage, text: previewText(message) },
        }
      : conversation,
  );
}

export function emptyConversation(id: string): ConversationRecord {
  return {
    id,
    kind: 'DIRECT',
    memberUserIds: [],
    activityAt: 0,
    readUpTo: 0,
    othersDeliveredUpTo: 0,
    othersReadUpTo: 0,
    unread: 0,
  };
}

async function updateConversation(
  tx: HistoryTransaction,
  id: string,
  change: (conversation: ConversationRecord) => ConversationRecord,
): Promise<void> {
  const conversations = tx.objectStore('conversations');
  const existing = (await conversations.get(id)) ?? emptyConversation(id);
  await conversations.put(change(existing));
}

function describe(content: MessageContent & { type: 'system' }): string {
  switch (content.notice) {
    case 'member_added':
      return 'added members';
    case 'member_removed':
      return 'removed members';
    case 'device_added':
      return 'linked a new device';
    case 'group_renamed':
      return `named the group “${excerptOf(content.name)}”`;
    case 'safety_number_changed':
      return 'safety number changed';
  }
}
