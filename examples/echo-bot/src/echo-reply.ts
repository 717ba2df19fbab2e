// What the bot says: each plain text comes back as a reply that quotes it. Everything about the
// protocol lives elsewhere; a bot of your own replaces this function.
import {
  contentLimits,
  excerptOf,
  newContentId,
  type MessageContent,
  type ReplyContent,
} from '@parley/crypto';

const prefix = 'echo: ';

/**
 * The answer to a decrypted message, or undefined for none. Only plain texts are answered:
 * answering replies too would let two echo bots answer each other forever.
 */
export function echoReply(content: MessageContent, now = Date.now()): ReplyContent | undefined {
  if (content.type !== 'text') return undefined;
  const echoed = `${prefix}${content.body}`;
  return {
    type: 'reply',
    id: newContentId(),
    sentAt: now,
    // A text near the size limit no longer fits once prefixed; its excerpt always does.
    body: fitsInBody(echoed) ? echoed : `${prefix}${excerptOf(content.body)}`,
    quote: { id: content.id, excerpt: excerptOf(content.body) },
  };
}

function fitsInBody(text: string): boolean {
  return new TextEncoder().encode(text).length <= contentLimits.bodyBytes;
}
