// Browser-only (service worker). Turns a Web Push payload into what the notification says. The
// payload carries the message's MLS ciphertext; it is decrypted with a copy of the group's state
// that is never written back, so the page later processes the same message from the log as if
// no push had come. Anything that cannot be read yields a neutral notice, never an error.
import { fromBase64, Group, isCryptoError, type MessageContent } from '@parley/crypto';

import { directoryPolicy } from '../shared/directory-policy.ts';
import { openLocalDatabase } from '../shared/local-database.ts';

export type Shown = {
  readonly title: string;
  readonly body: string;
  readonly conversationId: string | undefined;
};

/** What the server sends (apps/api's push payload), checked before use. */
type PushPayload =
  | {
      readonly type: 'message';
      readonly conversationId: string;
      readonly seq: number;
      readonly ciphertext?: string;
    }
  | { readonly type: 'wake'; readonly conversationId?: string };

const neutral = (conversationId: string | undefined): Shown => ({
  title: 'Parley',
  body: 'New message',
  conversationId,
});

export async function describePush(text: string): Promise<Shown> {
  const payload = parsePayload(text);
  if (!payload) return neutral(undefined);
  if (payload.type === 'wake' || !payload.ciphertext) return neutral(payload.conversationId);

  try {
    const db = await openLocalDatabase();
    const device = await db.get('device', 'self');
    const saved = await db.get('groups', payload.conversationId);
    const ciphertext = fromBase64(payload.ciphertext);
    if (!device || !saved?.state || !ciphertext || payload.seq <= saved.cursor) {
      return neutral(payload.conversationId);
    }
    const group = Group.deserialize(saved.state, await directoryPolicy(device.account, db));
    const received = await group.receive(ciphertext);
    if (received.type !== 'application') return neutral(payload.conversationId);
    const sender = await db.get('users', received.sender.userId);
    return {
      title: sender?.displayName || sender?.phoneNumber || 'Parley',
      body: bodyOf(received.content),
      conversationId: payload.conversationId,
    };
  } catch (error) {
    // WRONG_EPOCH (a commit came before it), a directory that did not answer, anything: the
    // user still learns that a message is waiting.
    if (!isCryptoError(error)) console.warn('Parley: could not read a push', error);
    return neutral(payload.conversationId);
  }
}

// Every push must show something (the subscription promises the browser it will), so a
// reaction, an edit or a deletion says so in a line, under the conversation's one tag.
function bodyOf(content: MessageContent): string {
  switch (content.type) {
    case 'text':
    case 'reply':
      return content.body;
    case 'media':
      return content.caption ?? '📎 Attachment';
    case 'reaction':
      return content.emoji ? `Reacted ${content.emoji}` : 'Took a reaction back';
    case 'edit':
      return `Edited: ${content.body}`;
    case 'delete':
      return 'Deleted a message';
    case 'system':
    case 'unsupported':
      return 'New message';
  }
}

function parsePayload(text: string): PushPayload | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  const conversationId =
    typeof record.conversationId === 'string' ? record.conversationId : undefined;
  if (record.type === 'message' && conversationId && Number.isSafeInteger(record.seq)) {
    return {
      type: 'message',
      conversationId,
      seq: record.seq as number,
      ...(typeof record.ciphertext === 'string' && { ciphertext: record.ciphertext }),
    };
  }
  return { type: 'wake', ...(conversationId && { conversationId }) };
}
