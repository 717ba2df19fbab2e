// Browser-only (page). Builds what the screens show (model/view-models.ts) from the local
// database and the engine's live state (presence, typing). Reads only: every change to the
// history goes through the crypto worker or the outbox.
import type {
  ChatSummary,
  ConversationHeader,
  ConversationView,
  MessageSearchHit,
  MessageView,
  Tick,
} from '../model/view-models.ts';
import { previewText } from '../shared/history.ts';
import type { ConversationRecord, MessageRecord, UserRecord } from '../shared/local-database.ts';
import type { ParleyEngine } from './parley-engine.ts';

type Users = ReadonlyMap<string, UserRecord>;

async function loadUsers(engine: ParleyEngine): Promise<Users> {
  return new Map((await engine.db.getAll('users')).map((user) => [user.id, user]));
}

export function nameOf(engine: ParleyEngine, users: Users, userId: string): string {
  if (userId === engine.account.userId) return 'You';
  const user = users.get(userId);
  return user?.displayName || user?.phoneNumber || 'Someone';
}

export function avatarUrlOf(user: UserRecord | undefined): string | undefined {
  return user?.avatarRef ? `/media/${user.avatarRef}` : undefined;
}

function peerOf(engine: ParleyEngine, conversation: ConversationRecord): string | undefined {
  if (conversation.kind !== 'DIRECT') return undefined;
  return conversation.memberUserIds.find((id) => id !== engine.account.userId);
}

function titleOf(engine: ParleyEngine, users: Users, conversation: ConversationRecord): string {
  const peer = peerOf(engine, conversation);
  if (peer) return nameOf(engine, users, peer);
  if (conversation.title) return conversation.title;
  return (
    conversation.memberUserIds
      .filter((id) => id !== engine.account.userId)
      .map((id) => nameOf(engine, users, id))
      .join(', ') || 'Group'
  );
}

function typingNow(engine: ParleyEngine, conversationId: string): string[] {
  const now = Date.now();
  return [...(engine.typing.get(conversationId) ?? [])]
    .filter(([, until]) => until > now)
    .map(([userId]) => userId);
}

function tickOf(record: MessageRecord, conversation: ConversationRecord): Tick | undefined {
  if (!record.outgoing) return undefined;
  if (record.outgoing === 'pending') return 'pending';
  if (record.outgoing === 'failed') return 'failed';
  const seq = record.seq ?? Number.POSITIVE_INFINITY;
  if (seq <= conversation.othersReadUpTo) return 'read';
  if (seq <= conversation.othersDeliveredUpTo) return 'delivered';
  return 'sent';
}

export async function loadChatList(engine: ParleyEngine): Promise<ChatSummary[]> {
  const [conversations, users] = await Promise.all([
    engine.db.getAll('conversations'),
    loadUsers(engine),
  ]);
  const summaries: ChatSummary[] = [];
  for (const conversation of conversations) {
    const peer = peerOf(engine, conversation);
    const last = conversation.lastMessage;
    let tick: Tick | undefined;
    if (last && last.senderUserId === engine.account.userId) {
      const record = await engine.db.get('messages', [conversation.id, last.id]);
      tick = record && tickOf(record, conversation);
    }
    const avatarUrl = peer ? avatarUrlOf(users.get(peer)) : undefined;
    summaries.push({
      id: conversation.id,
      title: titleOf(engine, users, conversation),
      isGroup: conversation.kind === 'GROUP',
      ...(avatarUrl && { avatarUrl }),
      online: peer ? engine.presence.get(peer)?.online === true : false,
      typing: typingNow(engine, conversation.id).length > 0,
      unread: conversation.unread,
      lastActivityAt: conversation.activityAt,
      ...(last && {
        lastMessage: {
          text: last.text,
          fromSelf: last.senderUserId === engine.account.userId,
          ...(conversation.kind === 'GROUP' && {
            senderName: nameOf(engine, users, last.senderUserId),
          }),
          at: last.at,
          ...(tick && { tick }),
        },
      }),
    });
  }
  return summaries.sort((a, b) => b.lastActivityAt - a.lastActivityAt);
}

export async function loadConversation(
  engine: ParleyEngine,
  conversationId: string,
  limit: number,
): Promise<ConversationView | undefined> {
  const conversation = await engine.db.get('conversations', conversationId);
  if (!conversation) return undefined;
  const users = await loadUsers(engine);

  // Newest first through the order index, then turned around.
  const records: MessageRecord[] = [];
  const range = IDBKeyRange.bound([conversationId, 0], [conversationId, Number.MAX_SAFE_INTEGER]);
  let cursor = await engine.db
    .transaction('messages')
    .store.index('byOrder')
    .openCursor(range, 'prev');
  while (cursor && records.length <= limit) {
    records.push(cursor.value);
    cursor = await cursor.continue();
  }
  const hasOlder = records.length > limit;
  const shown = records.slice(0, limit).reverse();

  const byId = new Map(shown.map((record) => [record.id, record]));
  const messages: MessageView[] = shown.map((record) =>
    messageView(engine, users, conversation, record, byId),
  );
  const firstUnread =
    conversation.unread > 0 ? await firstUnreadOf(engine, conversation) : undefined;
  const typing = typingNow(engine, conversationId).map((id) => nameOf(engine, users, id));

  return {
    header: headerOf(engine, users, conversation, typing),
    messages,
    hasOlder,
    ...(firstUnread && { firstUnreadId: firstUnread.id }),
    typing:
      typing.length === 0
        ? ''
        : conversation.kind === 'DIRECT'
          ? 'typing…'
          : `${typing.join(', ')} ${typing.length === 1 ? 'is' : 'are'} typing…`,
  };
}

/**
 * The first message from someone else after the read position, loaded or not: the screen loads
 * older pages until it reaches it when the reader asks to jump there.
 */
async function firstUnreadOf(
  engine: ParleyEngine,
  conversation: ConversationRecord,
): Promise<MessageRecord | undefined> {
  const range = IDBKeyRange.bound(
    [conversation.id, conversation.readUpTo + 1],
    [conversation.id, Number.MAX_SAFE_INTEGER],
  );
  let cursor = await engine.db.transaction('messages').store.index('byOrder').openCursor(range);
  while (cursor) {
    const record = cursor.value;
    if (record.senderUserId !== engine.account.userId && record.kind !== 'system') return record;
    cursor = await cursor.continue();
  }
  return undefined;
}

function messageView(
  engine: ParleyEngine,
  users: Users,
  conversation: ConversationRecord,
  record: MessageRecord,
  byId: ReadonlyMap<string, MessageRecord>,
): MessageView {
  const counts = new Map<string, { count: number; mine: boolean }>();
  for (const [userId, emoji] of Object.entries(record.reactions)) {
    const entry = counts.get(emoji) ?? { count: 0, mine: false };
    counts.set(emoji, {
      count: entry.count + 1,
      mine: entry.mine || userId === engine.account.userId,
    });
  }
  const quoted = record.replyTo && byId.get(record.replyTo.id);
  const tick = tickOf(record, conversation);
  return {
    id: record.id,
    ...(record.seq !== undefined && { seq: record.seq }),
    kind: record.deleted ? 'deleted' : record.kind,
    text: record.deleted
      ? ''
      : record.kind === 'system' && !record.localNotice
        ? `${nameOf(engine, users, record.senderUserId)} ${record.text}`
        : record.text,
    fromSelf: record.senderUserId === engine.account.userId,
    senderName: nameOf(engine, users, record.senderUserId),
    at: record.at,
    edited: record.editedAt !== undefined && !record.deleted,
    ...(tick && { tick }),
    ...(record.replyTo && {
      replyTo: {
        id: record.replyTo.id,
        senderName: quoted ? nameOf(engine, users, quoted.senderUserId) : '',
        excerpt: quoted ? previewText(quoted) : record.replyTo.excerpt,
      },
    }),
    reactions: [...counts].map(([emoji, { count, mine }]) => ({ emoji, count, mine })),
  };
}

function headerOf(
  engine: ParleyEngine,
  users: Users,
  conversation: ConversationRecord,
  typing: readonly string[],
): ConversationHeader {
  const peer = peerOf(engine, conversation);
  const avatarUrl = peer ? avatarUrlOf(users.get(peer)) : undefined;
  let status: string;
  if (peer) {
    const presence = engine.presence.get(peer);
    status =
      typing.length > 0
        ? 'typing…'
        : presence?.online
          ? 'online'
          : presence?.lastSeenAt
            ? `last seen ${describeLastSeen(presence.lastSeenAt)}`
            : '';
  } else {
    // "Ana, Cleo, You": the others by name, the user last.
    const self = engine.account.userId;
    const others = conversation.memberUserIds.filter((id) => id !== self);
    status = [...others.map((id) => nameOf(engine, users, id)), 'You'].join(', ');
  }
  return {
    id: conversation.id,
    title: titleOf(engine, users, conversation),
    isGroup: conversation.kind === 'GROUP',
    ...(avatarUrl && { avatarUrl }),
    status,
  };
}

function describeLastSeen(at: number): string {
  const time = new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  const days = Math.floor((startOfDay(Date.now()) - startOfDay(at)) / 86_400_000);
  if (days <= 0) return `today at ${time}`;
  if (days === 1) return `yesterday at ${time}`;
  return `${new Date(at).toLocaleDateString()} at ${time}`;
}

function startOfDay(at: number): number {
  const day = new Date(at);
  day.setHours(0, 0, 0, 0);
  return day.getTime();
}

/**
 * Searches the decrypted history on this device: the server holds only ciphertext, so this is
 * the only place a search can run.
 */
export async function searchMessages(
  engine: ParleyEngine,
  query: string,
): Promise<MessageSearchHit[]> {
  const needle = query.trim().toLocaleLowerCase();
  if (needle.length < 2) return [];
  const [conversations, users] = await Promise.all([
    engine.db.getAll('conversations'),
    loadUsers(engine),
  ]);
  const titles = new Map(conversations.map((c) => [c.id, titleOf(engine, users, c)]));
  const hits: MessageSearchHit[] = [];
  let cursor = await engine.db.transaction('messages').store.openCursor();
  while (cursor && hits.length < 50) {
    const record = cursor.value;
    if (
      !record.deleted &&
      record.kind === 'text' &&
      record.text.toLocaleLowerCase().includes(needle)
    ) {
      hits.push({
        conversationId: record.conversationId,
        conversationTitle: titles.get(record.conversationId) ?? '',
        messageId: record.id,
        excerpt: record.text.slice(0, 120),
        at: record.at,
      });
    }
    cursor = await cursor.continue();
  }
  return hits.sort((a, b) => b.at - a.at);
}
