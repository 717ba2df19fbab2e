// Browser-only (page). What the server says of conversations (members, their profiles and
// presence, others' receipt cursors), merged into the local records the chat list reads. The
// history itself never comes from here: only the crypto worker writes it.
import { historyTransaction } from '../shared/history.ts';
import type { ConversationRecord, UserRecord } from '../shared/local-database.ts';
import { isTransient } from './api.ts';
import { conversationQuery, conversationsQuery, usersQuery } from './operations.ts';
import type { ParleyEngine } from './parley-engine.ts';

export type ServerUser = {
  id: string;
  displayName: string;
  phoneNumber: string;
  about: string;
  avatarRef: string | null;
  online: boolean | null;
  lastSeenAt: string | null;
};

export type ServerConversation = {
  id: string;
  kind: 'DIRECT' | 'GROUP';
  title: string | null;
  epoch: number;
  activityAt: string;
  deliveredUpTo: number;
  readUpTo: number | null;
  members: { user: ServerUser }[];
  devicesAwaitingJoin: { deviceId: string; user: { id: string } }[];
};

type ListedConversation = Omit<ServerConversation, 'members' | 'devicesAwaitingJoin'> & {
  members: { user: { id: string } }[];
};

/** Every conversation of the user; groups of conversations the user left are forgotten. */
export async function refreshConversations(engine: ParleyEngine): Promise<void> {
  const data = await engine.api.query(conversationsQuery);
  const nodes = (data.conversations.edges as { node: ListedConversation }[]).map((e) => e.node);
  const ids = [...new Set(nodes.flatMap((node) => node.members.map((m) => m.user.id)))];
  const users = new Map<string, ServerUser>();
  if (ids.length > 0) {
    const found = await engine.api.query(usersQuery, { ids });
    for (const user of found.nodes as (ServerUser | null)[]) {
      if (user?.id) users.set(user.id, user);
    }
  }
  for (const node of nodes) {
    await saveConversation(engine, {
      ...node,
      devicesAwaitingJoin: [],
      members: node.members.flatMap((member) => {
        const user = users.get(member.user.id);
        return user ? [{ user }] : [];
      }),
    });
  }

  // A cursor for a conversation the user is no longer in makes the server refuse the whole
  // event stream: such a group is of no more use, and its history stays readable.
  const listed = new Set(nodes.map((node) => node.id));
  for (const { conversationId } of await engine.crypto.call('cursors', {})) {
    if (!listed.has(conversationId)) await engine.crypto.call('forget', { conversationId });
  }
  engine.changed();
}

export async function refreshConversation(
  engine: ParleyEngine,
  conversationId: string,
): Promise<void> {
  try {
    const data = await engine.api.query(conversationQuery, { id: conversationId });
    await saveConversation(engine, data.conversation as ServerConversation);
  } catch (error) {
    if (isTransient(error)) return;
    // No longer a member: the conversation stays readable here, as history.
  }
  engine.changed();
}

/** Merges what the server says of a conversation into the local record. */
export async function saveConversation(
  engine: ParleyEngine,
  node: ServerConversation,
): Promise<ConversationRecord> {
  const tx = historyTransaction(engine.db, ['users']);
  for (const member of node.members) {
    await tx.objectStore('users').put(userRecord(member.user));
    if (member.user.online !== null || member.user.lastSeenAt !== null) {
      engine.presence.set(member.user.id, {
        online: member.user.online,
        lastSeenAt: member.user.lastSeenAt ? Date.parse(member.user.lastSeenAt) : null,
      });
    }
  }
  const conversations = tx.objectStore('conversations');
  const existing = await conversations.get(node.id);
  const title = existing?.title ?? node.title;
  const record: ConversationRecord = {
    unread: 0,
    readUpTo: 0,
    ...existing,
    id: node.id,
    kind: node.kind,
    ...(title && { title }),
    memberUserIds: node.members.map((member) => member.user.id),
    activityAt: Math.max(existing?.activityAt ?? 0, Date.parse(node.activityAt)),
    othersDeliveredUpTo: node.deliveredUpTo,
    othersReadUpTo: node.readUpTo ?? 0,
  };
  await conversations.put(record);
  await tx.done;
  return record;
}

export function userRecord(user: ServerUser): UserRecord {
  return {
    id: user.id,
    displayName: user.displayName,
    phoneNumber: user.phoneNumber,
    about: user.about,
    ...(user.avatarRef && { avatarRef: user.avatarRef }),
  };
}
