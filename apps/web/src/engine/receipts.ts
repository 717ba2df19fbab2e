// Browser-only (page). This device's side of receipts: "delivered" for what it received, "read"
// for what the user saw in the open conversation, each gathered over a short interval so that a
// burst of messages costs one request, and sent outside the event queue, which never waits on
// them. Others' receipts change the ticks through conversation-sync.ts.
import { isTransient } from './api.ts';
import { refreshConversation } from './conversation-sync.ts';
import { markDeliveredMutation, markReadMutation } from './operations.ts';
import type { ParleyEngine } from './parley-engine.ts';

/** How long receipts wait to gather a burst of messages into one request. */
const gatherMs = 250;

export class Receipts {
  readonly #engine: ParleyEngine;
  /** Per conversation, the highest seq received from others and not yet reported. */
  readonly #delivered = new Map<string, number>();
  readonly #reads = new Map<string, Promise<void>>();
  readonly #refreshes = new Map<string, ReturnType<typeof setTimeout>>();
  #deliveredTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(engine: ParleyEngine) {
    this.#engine = engine;
  }

  received(conversationId: string, seq: number): void {
    this.#delivered.set(conversationId, Math.max(seq, this.#delivered.get(conversationId) ?? 0));
    if (this.#engine.connection !== 'online' || this.#deliveredTimer !== undefined) return;
    this.#deliveredTimer = setTimeout(() => {
      this.#deliveredTimer = undefined;
      void this.flush();
    }, gatherMs);
  }

  /** Sends what is owed: once the replay after connecting is done, then after live bursts. */
  async flush(): Promise<void> {
    const owed = [...this.#delivered];
    this.#delivered.clear();
    for (const [conversationId, seq] of owed) {
      try {
        await this.#engine.api.mutate(markDeliveredMutation, { conversationId, seq });
      } catch (error) {
        if (!isTransient(error)) continue;
        this.received(conversationId, seq);
        return;
      }
    }
    const open = this.#engine.openConversationId;
    if (open) await this.markRead(open);
  }

  /** Marks everything in a conversation read, when the page is actually seen. */
  markRead(conversationId: string): Promise<void> {
    const pending = this.#reads.get(conversationId);
    if (pending) return pending;
    const run = new Promise<void>((resolve) => setTimeout(resolve, gatherMs)).then(() => {
      this.#reads.delete(conversationId);
      return this.#markReadNow(conversationId);
    });
    this.#reads.set(conversationId, run);
    return run;
  }

  async #markReadNow(conversationId: string): Promise<void> {
    const engine = this.#engine;
    if (engine.stopped || document.visibilityState !== 'visible') return;
    // One transaction: the crypto worker may be adding a message to the same record. The read
    // position only ever moves forward; the newest stored seq is what the user has seen.
    const tx = engine.db.transaction('conversations', 'readwrite');
    const conversation = await tx.store.get(conversationId);
    if (!conversation) return;
    const seen = Math.max(conversation.readUpTo, conversation.lastMessage?.seq ?? 0);
    if (seen === conversation.readUpTo && conversation.unread === 0) return;
    await tx.store.put({ ...conversation, readUpTo: seen, unread: 0 });
    await tx.done;
    engine.changed();
    try {
      await engine.api.mutate(markReadMutation, { conversationId, seq: seen });
    } catch (error) {
      if (!isTransient(error)) console.warn('Parley: markRead refused', error);
    }
  }

  /**
   * A member's cursor moved. Another member's: the ticks may change, so the conversation is
   * read again, once for a burst. The user's own (read on another device): read here too.
   */
  async moved(conversationId: string, userId: string, readUpTo: number | null): Promise<void> {
    const engine = this.#engine;
    if (userId === engine.account.userId) {
      if (readUpTo === null) return;
      const tx = engine.db.transaction('conversations', 'readwrite');
      const conversation = await tx.store.get(conversationId);
      if (!conversation || readUpTo <= conversation.readUpTo) return;
      const caughtUp = readUpTo >= (conversation.lastMessage?.seq ?? 0);
      await tx.store.put({
        ...conversation,
        readUpTo,
        unread: caughtUp ? 0 : conversation.unread,
      });
      await tx.done;
      engine.changed();
      return;
    }
    if (this.#refreshes.has(conversationId)) return;
    this.#refreshes.set(
      conversationId,
      setTimeout(() => {
        this.#refreshes.delete(conversationId);
        void refreshConversation(engine, conversationId);
      }, gatherMs),
    );
  }

  stop(): void {
    clearTimeout(this.#deliveredTimer);
    for (const timer of this.#refreshes.values()) clearTimeout(timer);
  }
}
