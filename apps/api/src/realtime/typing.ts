// Server-only. "Typing…" is ephemeral: held in the ephemeral store with an expiry, never in the
// database, and announced again as stopped when it lapses without a refresh.
import { conversationChannel } from '../bus/events.js';
import type { Deps } from '../deps.js';
import type { ConversationId, UserId } from '../ids.js';
import { requireMembership } from '../messaging/conversations.js';
import type { Viewer } from '../viewer.js';

async function announce(
  deps: Deps,
  conversationId: ConversationId,
  userId: UserId,
  typing: boolean,
  expiresAt: Date,
) {
  await deps.bus.publish(conversationChannel(conversationId), {
    type: 'typing',
    conversationId,
    userId,
    typing,
    expiresAt: expiresAt.toISOString(),
  });
}

export async function setTyping(
  deps: Deps,
  viewer: Viewer,
  conversationId: ConversationId,
  typing: boolean,
): Promise<void> {
  await requireMembership(deps, viewer, conversationId);
  // One timer per (conversation, user) typing on this instance. When it fires, the store
  // decides: a refresh through another instance keeps the user typing, and nothing is announced.
  const key = `${conversationId}:${viewer.userId}`;
  clearTimeout(deps.typingTimers.get(key));
  deps.typingTimers.delete(key);

  if (!typing) {
    await deps.store.stopTyping(conversationId, viewer.userId);
    await announce(deps, conversationId, viewer.userId, false, new Date());
    return;
  }

  const ttl = deps.limits.typingTtlMs;
  await deps.store.startTyping(conversationId, viewer.userId, ttl);
  await announce(deps, conversationId, viewer.userId, true, new Date(Date.now() + ttl));

  const timer = setTimeout(() => {
    deps.typingTimers.delete(key);
    void (async () => {
      const typists = await deps.store.typing(conversationId);
      if (!typists.includes(viewer.userId)) {
        await announce(deps, conversationId, viewer.userId, false, new Date());
      }
    })().catch((error: unknown) => deps.log.warn({ err: error, conversationId }, 'typing expiry'));
  }, ttl + 50);
  timer.unref();
  deps.typingTimers.set(key, timer);
}
