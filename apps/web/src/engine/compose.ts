// Browser-only (page). What the composer and the message actions write: each becomes one piece
// of content (@parley/crypto's content model) that goes through the outbox, and shows at once.
import { excerptOf, newContentId, parseContentId, type MessageContent } from '@parley/crypto';

import type { ParleyEngine } from './parley-engine.ts';

export type SendOptions = { readonly replyTo?: string; readonly edit?: string };

export async function sendText(
  engine: ParleyEngine,
  conversationId: string,
  text: string,
  options: SendOptions = {},
): Promise<void> {
  const body = text.trim();
  if (body === '') return;
  const envelope = { id: newContentId(), sentAt: Date.now() };
  let content: MessageContent;
  if (options.edit) {
    content = { ...envelope, type: 'edit', targetId: parseContentId(options.edit), body };
  } else if (options.replyTo) {
    const quoted = await engine.db.get('messages', [conversationId, options.replyTo]);
    content = {
      ...envelope,
      type: 'reply',
      body,
      quote: {
        id: parseContentId(options.replyTo),
        excerpt: excerptOf(quoted && !quoted.deleted ? quoted.text : ''),
      },
    };
  } else {
    content = { ...envelope, type: 'text', body };
  }
  await engine.outbox.add(conversationId, content);
}

/** Reacts with `emoji`, or takes this user's reaction back when it is the one already there. */
export async function toggleReaction(
  engine: ParleyEngine,
  conversationId: string,
  messageId: string,
  emoji: string,
): Promise<void> {
  const target = await engine.db.get('messages', [conversationId, messageId]);
  if (!target) return;
  const current = target.reactions[engine.account.userId];
  await engine.outbox.add(conversationId, {
    type: 'reaction',
    id: newContentId(),
    sentAt: Date.now(),
    targetId: parseContentId(messageId),
    emoji: current === emoji ? '' : emoji,
  });
}

export async function deleteForEveryone(
  engine: ParleyEngine,
  conversationId: string,
  messageId: string,
): Promise<void> {
  await engine.outbox.add(conversationId, {
    type: 'delete',
    id: newContentId(),
    sentAt: Date.now(),
    targetId: parseContentId(messageId),
  });
}
